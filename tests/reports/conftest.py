"""Data shared by the Excel tests: a small 2018/19 report in the seed report's shape."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from metrics.models import Direction, Qualifier, Unit
from programmes.models import Period, Return
from programmes.scoping import Role
from tests import factories as f


@dataclass
class ReportData:
    partner: object
    other_partner: object
    stream: object
    programme: object
    activity: object
    asb: object
    solved: object
    young: object
    reoffending: object
    pending_metric: object


@pytest.fixture
def report_data(db) -> ReportData:
    police = f.partner(name="Merseyside Police", slug="police")
    other = f.partner(name="Youth Justice Service", slug="yjs")
    pcc = f.stream(name="PCC Funded Programmes", slug="pcc", order=1)
    prog = f.programme(name="Target Hardening", slug="target-hardening", lead_partner=police)
    act = f.activity(
        programme=prog,
        funding_stream=pcc,
        title="Target Hardening",
        description="Fit locks and alarms at the homes of repeat victims.",
    )
    f.expected_outcome(activity=act, text="Fewer repeat burglaries.")
    this_year = f.year_period(2018)
    last_year = f.year_period(2017)
    # Returns are filled as drafts and approved at the end: the lock refuses rows added later.
    approved = Return.objects.create(partner=police, period=this_year)
    approved_last = Return.objects.create(partner=police, period=last_year)
    f.outcome_statement(
        activity=act, report_return=approved, text='=HYPERLINK("x") 120 homes made safer.'
    )
    asb = f.metric(
        name="Anti-social behaviour incidents",
        slug="asb",
        partner=police,
        direction=Direction.LOWER_IS_BETTER,
        is_headline=True,
    )
    f.result(metric=asb, period=last_year, value=8617, report_return=approved_last)
    f.result(metric=asb, period=this_year, value=6029, report_return=approved)
    solved = f.metric(
        name="Hate crimes solved",
        slug="hate-solved",
        partner=police,
        unit=Unit.PERCENTAGE,
        decimal_places=1,
        direction=Direction.HIGHER_IS_BETTER,
        aggregation="latest",
        is_headline=True,
        programme=prog,
    )
    f.result(metric=solved, period=last_year, value="20.0", report_return=approved_last)
    f.result(metric=solved, period=this_year, value="23.5", report_return=approved)
    f.target(metric=solved, period=this_year, value=25)
    young = f.metric(
        name="Young people reached",
        slug="young-reached",
        partner=police,
        programme=prog,
        unit_label="young people",
        direction=Direction.HIGHER_IS_BETTER,
    )
    for q, v in enumerate([100, 110, 120, 130], start=1):
        f.result(
            metric=young,
            period=f.quarter_period(2018, q),
            value=v,
            qualifier=Qualifier.OVER if q == 4 else Qualifier.EXACT,
            report_return=Return.objects.create(partner=police, period=f.quarter_period(2018, q)),
        )
    reoffending = f.metric(
        name="Re-offences per re-offender",
        slug="reoffences",
        partner=police,
        unit=Unit.RATE_PER_REOFFENDER,
        decimal_places=2,
        direction=Direction.LOWER_IS_BETTER,
        aggregation="latest",
    )
    earlier = Period.objects.create(
        kind=Period.Kind.RANGE,
        start_date="2016-04-01",
        end_date="2017-03-31",
        label_text="April 2016 - March 2017",
    )
    f.result(metric=reoffending, period=earlier, value="5.22", report_return=approved)
    area = f.comparator_area(name="Most similar group", slug="msg", group_size=15)
    f.comparator(metric=asb, period=this_year, area=area, rank=4, rank_order="lowest")
    pending_metric = f.metric(name="Referrals awaiting approval", slug="pending", partner=other)
    pending_return = Return.objects.create(partner=other, period=this_year)
    f.result(
        metric=pending_metric, period=this_year, value=Decimal(77), report_return=pending_return
    )
    f.submit(pending_return)
    for ret in Return.objects.filter(partner=police):
        f.approve(ret)
    return ReportData(
        partner=police,
        other_partner=other,
        stream=pcc,
        programme=prog,
        activity=act,
        asb=asb,
        solved=solved,
        young=young,
        reoffending=reoffending,
        pending_metric=pending_metric,
    )


@pytest.fixture
def commissioner(db):
    return f.user(Role.COMMISSIONER)


@dataclass
class ReturnData:
    partner: object
    other_partner: object
    count: object
    percentage: object
    foreign: object
    activity: object
    editor: object
    outsider: object


@pytest.fixture
def return_data(db) -> ReturnData:
    fsu = f.partner(name="Family Safety Unit", slug="fsu")
    other = f.partner(name="Fire and Rescue", slug="fire")
    prog = f.programme(name="Domestic Abuse Champions", slug="da-champions", lead_partner=fsu)
    act = f.activity(
        programme=prog,
        financial_year=f.year(2019),
        title="Community Domestic Abuse Champions",
        description="Train volunteers to spot abuse and refer victims.",
    )
    f.expected_outcome(activity=act, text="More victims referred early.")
    count = f.metric(
        name="Champions trained", slug="champions", partner=fsu, unit_label="champions"
    )
    percentage = f.metric(
        name="Victims referred within a week",
        slug="referred-week",
        partner=fsu,
        unit=Unit.PERCENTAGE,
        decimal_places=1,
    )
    foreign = f.metric(name="Home fire safety checks", slug="fire-checks", partner=other)
    # Last quarter's and last year's figures, shown beside the inputs.
    f.result(metric=count, period=f.quarter_period(2018, 4), value=40)
    f.result(metric=count, period=f.quarter_period(2018, 1), value=35)
    f.target(metric=count, period=f.quarter_period(2019, 1), value=50)
    editor = f.user(Role.PARTNER_EDITOR, partners=(fsu,), username="fsu-editor")
    outsider = f.user(Role.PARTNER_EDITOR, partners=(other,), username="fire-editor")
    return ReturnData(
        partner=fsu,
        other_partner=other,
        count=count,
        percentage=percentage,
        foreign=foreign,
        activity=act,
        editor=editor,
        outsider=outsider,
    )
