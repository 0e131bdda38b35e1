"""The returns page: which partner's quarterly returns are missing, late, submitted, approved."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from programmes import selectors
from programmes.locks import closed_message
from programmes.scoping import (
    approves_own_submission,
    can_edit_return,
    editable_partner_ids,
    enters_figures_for,
    grid_partners,
    may_use_returns_page,
)
from programmes.services import TRANSITIONS, error_text, run_transition, start_return


def _check(user) -> None:
    if not may_use_returns_page(user):
        raise PermissionDenied("The returns page is for partners' editors, analysts and approvers.")


@require_GET
def return_grid(request):
    _check(request.user)
    today = timezone.localdate()
    years = selectors.grid_years(today=today)
    # A year is asked for by its label ("2026/27"), or by its starting year as older links and
    # the Start return button write it. One not offered falls back to the current year, and
    # the page says so.
    asked = request.GET.get("year", "").strip()
    offered = {selectors.year_label(y): y for y in years} | {str(y): y for y in years}
    start_year = offered.get(asked, selectors.current_start_year(today))
    notice = ""
    if asked and asked not in offered:
        notice = f"There is no year {asked}; showing {selectors.year_label(start_year)}."
    quarters, rows = selectors.return_grid(request.user, today=today, start_year=start_year)
    return render(
        request,
        "returns/return_grid.html",
        {
            "quarters": quarters,
            "rows": rows,
            "year": selectors.year_label(start_year),
            "years": [(selectors.year_label(y), selectors.year_label(y)) for y in years],
            "year_label": selectors.year_label(start_year),
            "year_notice": notice,
            "due_days": settings.RETURN_DUE_DAYS,
            "may_edit": bool(editable_partner_ids(request.user)),
        },
    )


@require_POST
def return_start(request):
    """Start (or open, if it exists) a partner's return for a quarter that has begun."""
    _check(request.user)
    partner = get_object_or_404(grid_partners(request.user), pk=request.POST.get("partner", ""))
    year, quarter = request.POST.get("year", ""), request.POST.get("quarter", "")
    if not (year.isdigit() and quarter.isdigit()):
        messages.error(request, "Choose a quarter from the returns page to start its return.")
        return redirect("returns:grid")
    try:
        report_return = start_return(
            partner=partner, start_year=int(year), quarter=int(quarter), user=request.user
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect(f"{reverse('returns:grid')}?year={int(year)}")
    return redirect("returns:detail", pk=report_return.pk)


@require_GET
def return_detail(request, pk: int):
    _check(request.user)
    report_return = selectors.return_detail(request.user, pk)
    events = list(selectors.return_events(report_return))
    return render(
        request,
        "returns/return_detail.html",
        {
            "report_return": report_return,
            "events": events,
            "last_note": selectors.last_approver_note(events),
            "results": selectors.return_result_rows(request.user, report_return),
            "statements": selectors.return_statements(request.user, report_return),
            "transitions": selectors.allowed_transitions(request.user, report_return),
            "may_edit": can_edit_return(request.user, report_return),
            # Whether the user works on this partner's returns, so that a frozen return says
            # what to do rather than just go quiet.
            "works_on_it": enters_figures_for(request.user, report_return.partner_id),
            "closed_note": closed_message(report_return),
            "approves_own": approves_own_submission(request.user, report_return),
            "quarter_label": selectors.workbook_quarter_label(report_return.period),
        },
    )


@require_POST
def return_transition(request, pk: int, action: str):
    _check(request.user)
    report_return = selectors.return_detail(request.user, pk)
    if action not in TRANSITIONS:
        raise PermissionDenied("No such step.")
    if action == "submit" and request.POST.get("checked") != "yes":
        # The confirmation is the form's own tick box, not a browser dialog: once submitted,
        # the editor cannot change a figure until the approver sends the return back.
        messages.error(
            request,
            "Tick 'I have checked these figures and narratives' to submit the return: once "
            "submitted, they cannot be changed unless the approver sends it back.",
        )
        return redirect("returns:detail", pk=report_return.pk)
    try:
        run_transition(
            action=action,
            report_return=report_return,
            user=request.user,
            note=request.POST.get("note", ""),
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            f"{report_return} is now {report_return.get_status_display().lower()}.",
        )
    return redirect("returns:detail", pk=report_return.pk)
