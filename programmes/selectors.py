"""Reads for the returns page: the partner x quarter grid and one return's detail."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from programmes.models import Partner, Period, Return, ReturnEvent, return_due_date
from programmes.scoping import (
    grid_partners,
    returns_visible_in_grid,
    visible_results,
    visible_statements,
)

MISSING, DRAFT, SUBMITTED, LATE, APPROVED = "missing", "draft", "submitted", "late", "approved"
STATE_LABELS = {
    MISSING: "Not started",
    DRAFT: "Draft",
    SUBMITTED: "Submitted",
    LATE: "Late",
    APPROVED: "Approved",
}


@dataclass(frozen=True)
class GridCell:
    partner: Partner
    period: Period
    report_return: Return | None
    state: str
    due_date: datetime.date

    @property
    def label(self) -> str:
        if self.state == LATE:
            started = "draft" if self.report_return else "not started"
            return f"Late ({started})"
        return STATE_LABELS[self.state]


def return_state(report_return: Return | None, period: Period, today: datetime.date) -> str:
    """missing / draft / submitted / late / approved; late = due date passed, not submitted."""
    if report_return is not None and report_return.status == Return.Status.APPROVED:
        return APPROVED
    if report_return is not None and report_return.status == Return.Status.SUBMITTED:
        return SUBMITTED
    if today > return_due_date(period):
        return LATE
    return DRAFT if report_return is not None else MISSING


def reporting_partners(user) -> QuerySet:
    """Partners expected to make returns: those that report a metric or lead a programme."""
    return (
        grid_partners(user)
        .filter(
            Q(metrics__isnull=False) | Q(led_programmes__isnull=False) | Q(returns__isnull=False)
        )
        .distinct()
        .order_by("name")
    )


def grid_periods(*, today: datetime.date, start_year: int | None = None) -> QuerySet:
    """Quarters that have begun, optionally of one financial year."""
    qs = Period.objects.filter(kind=Period.Kind.QUARTER, start_date__lte=today).select_related(
        "financial_year"
    )
    if start_year is not None:
        qs = qs.filter(financial_year__start_year=start_year)
    return qs.order_by("start_date")


def return_grid(
    user, *, today: datetime.date | None = None, start_year: int | None = None
) -> tuple[list[Period], list[tuple[Partner, list[GridCell]]]]:
    """Periods (columns) and, per partner, one cell per period. Three queries whatever the size."""
    today = today or timezone.localdate()
    periods = list(grid_periods(today=today, start_year=start_year))
    partners = list(reporting_partners(user))
    returns = returns_visible_in_grid(
        user,
        Return.objects.filter(period__in=periods, partner__in=partners),
    )
    by_key = {(r.partner_id, r.period_id): r for r in returns}
    rows = []
    for partner in partners:
        cells = []
        for period in periods:
            found = by_key.get((partner.pk, period.pk))
            cells.append(
                GridCell(
                    partner=partner,
                    period=period,
                    report_return=found,
                    state=return_state(found, period, today),
                    due_date=return_due_date(period),
                )
            )
        rows.append((partner, cells))
    return periods, rows


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


def return_results(user, report_return: Return) -> QuerySet:
    return visible_results(user, report_return.results.all()).select_related(
        "metric", "period__financial_year"
    )


def return_result_rows(user, report_return: Return) -> list[tuple]:
    """(result, the figure as text) with qualifier and unit, formatted by metrics.calculations."""
    from metrics.calculations import format_value

    return [
        (
            r,
            format_value(
                r.value,
                r.unit,
                places=r.metric.decimal_places,
                qualifier=r.qualifier,
                unit_label=r.metric.unit_label,
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
    partners = list(
        Partner.objects.filter(Q(metrics__isnull=False) | Q(led_programmes__isnull=False))
        .distinct()
        .prefetch_related("members")
    )
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
