"""Reads for the returns page: the partner x quarter grid and one return's detail."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from programmes.models import (
    FinancialYear,
    Partner,
    Period,
    Return,
    ReturnEvent,
    quarter_dates,
    return_due_date,
)
from programmes.scoping import (
    editable_partner_ids,
    grid_partners,
    returns_visible_in_grid,
    visible_results,
    visible_statements,
)

MISSING, DRAFT, SUBMITTED, LATE, APPROVED = "missing", "draft", "submitted", "late", "approved"
NOT_YET_DUE = "not_yet_due"
STATE_LABELS = {
    MISSING: "Not started",
    DRAFT: "Draft",
    SUBMITTED: "Submitted",
    LATE: "Late",
    APPROVED: "Approved",
    NOT_YET_DUE: "Not yet due",
}


def current_start_year(today: datetime.date | None = None) -> int:
    """The starting year of the financial year (1 April - 31 March) that today falls in."""
    today = today or timezone.localdate()
    return today.year if today.month >= 4 else today.year - 1


@dataclass(frozen=True)
class GridQuarter:
    """A column of the returns page, worked out from dates: it needs no Period row to exist."""

    start_year: int
    quarter: int
    start_date: datetime.date
    end_date: datetime.date
    due_date: datetime.date
    begun: bool

    @property
    def label(self) -> str:
        return f"{FinancialYear(start_year=self.start_year).label} Q{self.quarter}"

    def __str__(self) -> str:
        return self.label


def grid_quarters(*, start_year: int, today: datetime.date) -> list[GridQuarter]:
    """The four quarters of a financial year, begun or not, each with its due date."""
    from django.conf import settings

    quarters = []
    for quarter in (1, 2, 3, 4):
        start, end = quarter_dates(start_year, quarter)
        quarters.append(
            GridQuarter(
                start_year=start_year,
                quarter=quarter,
                start_date=start,
                end_date=end,
                due_date=end + datetime.timedelta(days=settings.RETURN_DUE_DAYS),
                begun=start <= today,
            )
        )
    return quarters


@dataclass(frozen=True)
class GridCell:
    partner: Partner
    quarter: GridQuarter
    report_return: Return | None
    state: str
    can_start: bool = False

    @property
    def due_date(self) -> datetime.date:
        return self.quarter.due_date

    @property
    def label(self) -> str:
        if self.state == LATE:
            started = "draft" if self.report_return else "not started"
            return f"Late ({started})"
        return STATE_LABELS[self.state]


def return_state(
    report_return: Return | None, period: Period | GridQuarter, today: datetime.date
) -> str:
    """missing / draft / submitted / late / approved, or not yet due for a quarter not begun.

    Late means the due date has passed and the return has not been submitted.
    """
    if report_return is not None and report_return.status == Return.Status.APPROVED:
        return APPROVED
    if report_return is not None and report_return.status == Return.Status.SUBMITTED:
        return SUBMITTED
    if period.start_date > today:
        return NOT_YET_DUE
    due = period.due_date if isinstance(period, GridQuarter) else return_due_date(period)
    if today > due:
        return LATE
    return DRAFT if report_return is not None else MISSING


def reporting_partners(queryset: QuerySet | None = None) -> QuerySet:
    """Partners expected to make quarterly returns: those that report a metric or lead a
    programme, by name.

    The one definition behind both the returns page and the dashboard's completeness panel, so
    that the two always count the same partners. Pass a scoped queryset to narrow it.
    """
    qs = Partner.objects.all() if queryset is None else queryset
    expected = Partner.objects.filter(
        Q(metrics__isnull=False) | Q(led_programmes__isnull=False)
    ).values("pk")
    return qs.filter(pk__in=expected).order_by("name")


def year_label(start_year: int) -> str:
    return FinancialYear(start_year=start_year).label


def workbook_quarter_label(period: Period) -> str:
    """The quarter as the workbook pages name it ('2026/27 Q2'), or '' for any other period."""
    if period.kind != Period.Kind.QUARTER:
        return ""
    return f"{period.financial_year.label} Q{period.quarter}"


def grid_years(*, today: datetime.date) -> list[int]:
    """Starting years offered on the returns page: every year held, and the current one."""
    years = set(FinancialYear.objects.values_list("start_year", flat=True))
    years.add(current_start_year(today))
    return sorted(years, reverse=True)


def return_grid(
    user, *, today: datetime.date | None = None, start_year: int | None = None
) -> tuple[list[GridQuarter], list[tuple[Partner, list[GridCell]]]]:
    """The year's four quarters (columns) and, per reporting partner, one cell per quarter.

    The year defaults to the current financial year. A fixed number of queries whatever the
    number of partners or returns: the partners, the year's returns and who may edit what.
    """
    today = today or timezone.localdate()
    start_year = current_start_year(today) if start_year is None else start_year
    quarters = grid_quarters(start_year=start_year, today=today)
    partners = list(reporting_partners(grid_partners(user)))
    returns = returns_visible_in_grid(
        user,
        Return.objects.filter(
            period__kind=Period.Kind.QUARTER,
            period__financial_year__start_year=start_year,
            partner__in=[p.pk for p in partners],
        ).select_related("period"),
    )
    by_key = {(r.partner_id, r.period.quarter): r for r in returns}
    editable = editable_partner_ids(user)
    rows = []
    for partner in partners:
        cells = []
        for quarter in quarters:
            found = by_key.get((partner.pk, quarter.quarter))
            cells.append(
                GridCell(
                    partner=partner,
                    quarter=quarter,
                    report_return=found,
                    state=return_state(found, quarter, today),
                    can_start=found is None and quarter.begun and partner.pk in editable,
                )
            )
        rows.append((partner, cells))
    return quarters, rows


def return_detail(user, pk: int) -> Return:
    """One return the user may work on, or 404: another partner's return does not exist for them."""
    return get_object_or_404(
        returns_visible_in_grid(user).select_related(
            "partner", "period__financial_year", "submitted_by", "approved_by"
        ),
        pk=pk,
    )


def return_events(report_return: Return) -> QuerySet:
    return ReturnEvent.objects.filter(report_return=report_return).select_related("user")


def quarter_return(*, partner: Partner, start_year: int, quarter: int) -> Return | None:
    """The partner's return for a quarter, if it has been started."""
    return Return.objects.filter(
        partner=partner,
        period__kind=Period.Kind.QUARTER,
        period__financial_year__start_year=start_year,
        period__quarter=quarter,
    ).first()


def last_approver_note(events: list[ReturnEvent]) -> ReturnEvent | None:
    """The latest event that carries an approver's note (sent back, approved, reopened).

    Return.note keeps the last note even after the partner resubmits, so the page shows it
    with the event and date that made it rather than as if it were current.
    """
    for event in reversed(events):
        if event.note and event.kind != ReturnEvent.Kind.SUBMITTED:
            return event
    return None


def return_results(user, report_return: Return) -> QuerySet:
    return visible_results(user, report_return.results.all()).select_related(
        "metric", "period__financial_year"
    )


def return_result_rows(user, report_return: Return) -> list[tuple]:
    """(result, the figure as text) with qualifier and unit, formatted by metrics.calculations."""
    from metrics.calculations import figure_places, format_value

    return [
        (
            r,
            format_value(
                r.value,
                r.unit,
                places=figure_places(r.metric.decimal_places, r.places),
                qualifier=r.qualifier,
                unit_label=r.metric.unit_label,
                unit_label_singular=r.metric.unit_label_singular,
            ),
        )
        for r in return_results(user, report_return)
    ]


def return_statements(user, report_return: Return) -> QuerySet:
    return visible_statements(user, report_return.outcome_statements.all()).select_related(
        "activity"
    )


def returns_needing_reminders(*, today: datetime.date) -> list[tuple[Partner, Period, str]]:
    """(partner, quarter, 'due' or 'late') for returns due within a week or late, not submitted.

    Lateness stops prompting reminders after settings.RETURN_REMINDER_LATE_DAYS: by then the
    analysts chase the partner in person, and editors should not get a daily email for ever.
    """
    from django.conf import settings

    earliest_end = today - datetime.timedelta(
        days=settings.RETURN_DUE_DAYS + settings.RETURN_REMINDER_LATE_DAYS
    )
    latest_end = today - datetime.timedelta(days=settings.RETURN_DUE_DAYS - 7)
    periods = list(
        Period.objects.filter(
            kind=Period.Kind.QUARTER, end_date__gte=earliest_end, end_date__lte=latest_end
        ).select_related("financial_year")
    )
    partners = list(reporting_partners().prefetch_related("members"))
    done = set(
        Return.objects.filter(
            period__in=periods,
            status__in=[Return.Status.SUBMITTED, Return.Status.APPROVED],
        ).values_list("partner_id", "period_id")
    )
    needed = []
    for period in periods:
        for partner in partners:
            if (partner.pk, period.pk) not in done:
                state = "late" if today > return_due_date(period) else "due"
                needed.append((partner, period, state))
    return needed


def allowed_transitions(user, report_return: Return) -> list[tuple[str, str, bool]]:
    """(name, button label, whether a note is required) for each step the user may take now."""
    from programmes.services import TRANSITIONS

    return [
        (action, label, needs_note)
        for action, (_service, label, needs_note, _keyword, allowed) in TRANSITIONS.items()
        if allowed(user, report_return)
    ]
