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
