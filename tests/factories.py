"""Small builders for test data, shared by the whole suite.

Each takes keyword overrides and fills the rest with plain defaults, so that a test says only
what matters to it.
"""

from __future__ import annotations

import itertools
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from metrics.models import Comparator, ComparatorArea, Metric, Result, Target, Unit
from programmes.models import (
    Activity,
    ExpectedOutcome,
    FinancialYear,
    FundingStream,
    OutcomeStatement,
    Partner,
    Period,
    Programme,
    Return,
    Theme,
)
from programmes.scoping import ROLE_GROUPS, Role

_seq = itertools.count(1)


def _n() -> int:
    return next(_seq)


def year(start_year: int = 2018) -> FinancialYear:
    return FinancialYear.objects.get_or_create(start_year=start_year)[0]


def year_period(start_year: int = 2018) -> Period:
    fy = year(start_year)
    period = Period.objects.filter(kind=Period.Kind.YEAR, financial_year=fy).first()
    return period or Period.objects.create(kind=Period.Kind.YEAR, financial_year=fy)


def quarter_period(start_year: int = 2019, quarter: int = 1) -> Period:
    fy = year(start_year)
    period = Period.objects.filter(kind=Period.Kind.QUARTER, financial_year=fy, quarter=quarter)
    return period.first() or Period.objects.create(
        kind=Period.Kind.QUARTER, financial_year=fy, quarter=quarter
    )


def partner(**kw) -> Partner:
    n = _n()
    kw.setdefault("name", f"Partner {n}")
    kw.setdefault("slug", f"partner-{n}")
    return Partner.objects.create(**kw)


def theme(**kw) -> Theme:
    n = _n()
    kw.setdefault("name", f"Theme {n}")
    kw.setdefault("slug", f"theme-{n}")
    return Theme.objects.create(**kw)


def stream(**kw) -> FundingStream:
    n = _n()
    kw.setdefault("name", f"Stream {n}")
    kw.setdefault("slug", f"stream-{n}")
    return FundingStream.objects.create(**kw)


def programme(**kw) -> Programme:
    n = _n()
    kw.setdefault("name", f"Programme {n}")
    kw.setdefault("slug", f"programme-{n}")
    kw.setdefault("theme", theme())
    kw.setdefault("lead_partner", partner())
    return Programme.objects.create(**kw)


def activity(**kw) -> Activity:
    kw.setdefault("programme", programme())
    kw.setdefault("financial_year", year())
    kw.setdefault("funding_stream", stream())
    kw.setdefault("title", f"Activity {_n()}")
    kw.setdefault("description", "Deliver workshops.")
    return Activity.objects.create(**kw)


def expected_outcome(**kw) -> ExpectedOutcome:
    kw.setdefault("activity", activity())
    kw.setdefault("text", "Fewer victims.")
    return ExpectedOutcome.objects.create(**kw)


def report_return(**kw) -> Return:
    kw.setdefault("partner", partner())
    kw.setdefault("period", quarter_period())
    return Return.objects.create(**kw)


def outcome_statement(**kw) -> OutcomeStatement:
    act = kw.setdefault("activity", activity())
    if "report_return" not in kw:
        kw["report_return"] = Return.objects.get_or_create(
            partner=act.programme.lead_partner, period=year_period(act.financial_year.start_year)
        )[0]
    kw.setdefault("text", "Workshops were delivered.")
    return OutcomeStatement.objects.create(**kw)


def metric(**kw) -> Metric:
    n = _n()
    kw.setdefault("name", f"Metric {n}")
    kw.setdefault("slug", f"metric-{n}")
    kw.setdefault("unit", Unit.COUNT)
    if "partner" not in kw:
        kw["partner"] = kw["programme"].lead_partner if kw.get("programme") else partner()
    return Metric.objects.create(**kw)


def result(**kw) -> Result:
    m = kw.setdefault("metric", metric())
    period = kw.setdefault("period", quarter_period())
    if "report_return" not in kw:
        kw["report_return"] = Return.objects.get_or_create(partner=m.partner, period=period)[0]
    kw["value"] = Decimal(str(kw.get("value", 10)))
    return Result.objects.create(**kw)


def target(**kw) -> Target:
    kw.setdefault("metric", metric())
    kw.setdefault("period", quarter_period())
    kw["value"] = Decimal(str(kw.get("value", 10)))
    return Target.objects.create(**kw)


def comparator_area(**kw) -> ComparatorArea:
    n = _n()
    kw.setdefault("name", f"Area {n}")
    kw.setdefault("slug", f"area-{n}")
    return ComparatorArea.objects.create(**kw)


def comparator(**kw) -> Comparator:
    kw.setdefault("metric", metric())
    kw.setdefault("period", year_period())
    kw.setdefault("area", comparator_area())
    if "value" in kw and kw["value"] is not None:
        kw["value"] = Decimal(str(kw["value"]))
    elif "rank" not in kw:
        kw["value"] = Decimal(10)
    return Comparator.objects.create(**kw)


def user(*roles: Role, partners: tuple[Partner, ...] = (), **kw):
    n = _n()
    kw.setdefault("username", f"user{n}")
    kw.setdefault("email", f"user{n}@example.org")
    u = get_user_model().objects.create_user(
        password=kw.pop("password", "pw-Correct-Horse-9"), **kw
    )
    for role in roles:
        group, _ = Group.objects.get_or_create(name=ROLE_GROUPS[role])
        u.groups.add(group)
    for p in partners:
        p.members.add(u)
    return u


# Returns move only through programmes.services (Return.save refuses a status change), and a
# result cannot be put into an approved return: build the figures first, then approve.


def submit(report_return: Return, *, by=None) -> Return:
    from programmes.services import submit_return

    by = by or user(Role.PARTNER_EDITOR, partners=(report_return.partner,))
    submit_return(report_return=report_return, user=by)
    return report_return


def approve(report_return: Return, *, by=None, note: str = "") -> Return:
    """Submit (when still a draft) and approve a return, with a fresh editor and approver."""
    from programmes.services import approve_return

    if report_return.status == Return.Status.DRAFT:
        submit(report_return)
    approve_return(report_return=report_return, user=by or user(Role.APPROVER), note=note)
    return report_return


def demo_data() -> dict:
    """A small, believable partnership in the report's shape, for page and browser tests.

    Figures for 2017/18 and 2018/19 as years, approved; 2019/20 Q1-Q2 quarters submitted or in
    draft; targets, comparators, allocations (one not published), an activity and a narrative.
    Built with the models directly: the builders above create spare rows for their defaults.
    """
    from metrics.models import Aggregation, Direction, Qualifier
    from programmes.models import Allocation

    def make(model, **kw):
        return model.objects.create(**kw)

    police = make(Partner, name="Merseyside Police", slug="police", kind=Partner.Kind.POLICE)
    council = make(Partner, name="Wirral Council", slug="council", kind=Partner.Kind.COUNCIL)
    fsu = make(Partner, name="Family Safety Unit", slug="fsu", kind=Partner.Kind.COUNCIL)
    asb = make(Theme, name="Anti-social behaviour", slug="asb")
    hate = make(Theme, name="Hate crime", slug="hate-crime")
    da = make(Theme, name="Domestic abuse", slug="domestic-abuse")
    pcc = make(FundingStream, name="PCC Funded Programmes", slug="pcc", order=1)
    csp = make(FundingStream, name="CSP Funding Element", slug="csp", order=2)
    hardening = make(
        Programme,
        name="Target Hardening",
        slug="target-hardening",
        theme=da,
        lead_partner=fsu,
        description="Security work at the homes of high-risk victims of domestic abuse.",
    )
    hate_prog = make(
        Programme,
        name="Challenging racism and hate crime",
        slug="hate-crime-challenge",
        theme=hate,
        lead_partner=police,
    )
    asb_prog = make(
        Programme,
        name="Anti Social Behaviour reduction",
        slug="asb-reduction",
        theme=asb,
        lead_partner=council,
    )
    y17, y18, y19 = year(2017), year(2018), year(2019)
    make(
        Allocation,
        programme=hardening,
        funding_stream=pcc,
        financial_year=y18,
        amount=Decimal(20000),
    )
    make(
        Allocation,
        programme=hate_prog,
        funding_stream=pcc,
        financial_year=y18,
        amount=Decimal("12500.50"),
    )
    make(Allocation, programme=asb_prog, funding_stream=csp, financial_year=y18)
    act = make(
        Activity,
        programme=hardening,
        financial_year=y18,
        funding_stream=pcc,
        title="Target Hardening",
        description="Fit locks, alarms and door chains at the homes of high-risk victims.",
    )
    make(ExpectedOutcome, activity=act, text="Victims feel and are safer at home.")
    approved = Return.Status.APPROVED
    returns, wanted = {}, {}

    # Returns start as drafts and move on once their rows are in (see settle_returns below).
    def ret(p, period, status=approved):
        key = (p.pk, period.pk)
        if key not in returns:
            returns[key] = make(Return, partner=p, period=period)
            wanted[key] = status
        return returns[key]

    make(
        OutcomeStatement,
        activity=act,
        report_return=ret(fsu, year_period(2018)),
        text="Over 400 homes were made safer.",
    )

    def new_metric(**kw):
        kw.setdefault("partner", kw["programme"].lead_partner if kw.get("programme") else None)
        return make(Metric, **kw)

    homes = new_metric(
        name="Homes made safer",
        slug="homes-made-safer",
        programme=hardening,
        unit_label="homes",
        direction=Direction.HIGHER_IS_BETTER,
        is_headline=True,
    )
    asb_reports = new_metric(
        name="ASB reports",
        slug="asb-reports",
        programme=asb_prog,
        unit_label="reports",
        direction=Direction.LOWER_IS_BETTER,
        is_headline=True,
    )
    crime_rate = new_metric(
        name="Crime rate",
        slug="crime-rate",
        partner=police,
        theme=asb,
        unit=Unit.RATE_PER_1000,
        aggregation=Aggregation.LATEST,
        direction=Direction.LOWER_IS_BETTER,
        is_headline=True,
    )
    hate_solved = new_metric(
        name="Hate crimes solved",
        slug="hate-crimes-solved",
        programme=hate_prog,
        unit=Unit.PERCENTAGE,
        aggregation=Aggregation.LATEST,
        decimal_places=1,
        direction=Direction.HIGHER_IS_BETTER,
    )
    for m, p, prev, cur, tgt in [
        (homes, fsu, 380, 412, 400),
        (asb_reports, council, 9800, 6860, 8000),
        (crime_rate, police, 72, 79, 70),
        (hate_solved, police, "21.0", "23.5", "30.0"),
    ]:
        make(
            Result,
            metric=m,
            period=year_period(2017),
            value=Decimal(str(prev)),
            report_return=ret(p, year_period(2017)),
        )
        make(
            Result,
            metric=m,
            period=year_period(2018),
            value=Decimal(str(cur)),
            report_return=ret(p, year_period(2018)),
            qualifier=Qualifier.OVER if m is homes else Qualifier.EXACT,
        )
        make(Target, metric=m, period=year_period(2018), value=Decimal(str(tgt)))
    most_similar = make(ComparatorArea, name="Most similar group", slug="msg", group_size=15)
    england = make(ComparatorArea, name="England", slug="england")
    make(
        Comparator,
        metric=crime_rate,
        period=year_period(2018),
        area=most_similar,
        rank=4,
        rank_order="lowest",
        group_size=15,
    )
    make(Comparator, metric=crime_rate, period=year_period(2018), area=england, value=Decimal(85))
    make(Comparator, metric=crime_rate, period=year_period(2017), area=england, value=Decimal(80))
    for q, value in [(1, 110), (2, 95)]:
        period = quarter_period(2019, q)
        make(
            Result,
            metric=homes,
            period=period,
            value=Decimal(value),
            report_return=ret(fsu, period, Return.Status.SUBMITTED),
        )
    ret(police, quarter_period(2019, 2), Return.Status.DRAFT)
    for key, status in wanted.items():
        if status == Return.Status.APPROVED:
            approve(returns[key])
        elif status == Return.Status.SUBMITTED:
            submit(returns[key])
    return {
        "partners": (police, council, fsu),
        "themes": (asb, hate, da),
        "streams": (pcc, csp),
        "programmes": (hardening, hate_prog, asb_prog),
        "metrics": (homes, asb_reports, crime_rate, hate_solved),
        "years": (y17, y18, y19),
    }


def programmes_with_figures(count: int, *, start: int = 0) -> list[Programme]:
    """`count` programmes, each with an allocation, an activity and narrative, and a metric
    with approved figures for 2017/18 and 2018/19, a target and a comparator: data that grows
    evenly, for the tests that a page's queries do not grow with it."""
    from metrics.models import Direction
    from programmes.models import Allocation

    pcc = FundingStream.objects.get_or_create(slug="pcc", defaults={"name": "PCC"})[0]
    area = ComparatorArea.objects.get_or_create(slug="england", defaults={"name": "England"})[0]
    y17, y18 = year_period(2017), year_period(2018)
    made = []
    for i in range(start, start + count):
        lead = Partner.objects.create(name=f"Scaled partner {i}", slug=f"scaled-partner-{i}")
        theme_ = Theme.objects.create(name=f"Scaled theme {i}", slug=f"scaled-theme-{i}")
        prog = Programme.objects.create(
            name=f"Scaled programme {i}", slug=f"scaled-{i}", theme=theme_, lead_partner=lead
        )
        prog.delivery_partners.add(lead)
        Allocation.objects.create(
            programme=prog, funding_stream=pcc, financial_year=y18.financial_year, amount=i + 1
        )
        act = Activity.objects.create(
            programme=prog,
            financial_year=y18.financial_year,
            funding_stream=pcc,
            title=f"Activity {i}",
            description="Deliver workshops.",
        )
        ExpectedOutcome.objects.create(activity=act, text="Fewer victims.")
        m = Metric.objects.create(
            name=f"Scaled metric {i}",
            slug=f"scaled-metric-{i}",
            programme=prog,
            partner=lead,
            direction=Direction.HIGHER_IS_BETTER,
            is_headline=True,
        )
        filled = []
        for period, value in ((y17, 10 + i), (y18, 12 + i)):
            ret = Return.objects.create(partner=lead, period=period)
            Result.objects.create(metric=m, period=period, report_return=ret, value=value)
            filled.append(ret)
        OutcomeStatement.objects.create(activity=act, report_return=ret, text="Delivered.")
        for ret in filled:
            approve(ret)
        Target.objects.create(metric=m, period=y18, value=11 + i)
        Comparator.objects.create(metric=m, period=y18, area=area, value=9 + i)
        made.append(prog)
    return made
