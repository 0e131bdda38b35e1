"""The returns page: which partner's quarterly returns are missing, late, submitted, approved."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from programmes import selectors
from programmes.scoping import may_use_returns_page
from programmes.services import TRANSITIONS, error_text, run_transition


def _check(user) -> None:
    if not may_use_returns_page(user):
        raise PermissionDenied("The returns page is for partners' editors, analysts and approvers.")


@require_GET
def return_grid(request):
    _check(request.user)
    year = request.GET.get("year", "")
    start_year = int(year) if year.isdigit() else None
    periods, rows = selectors.return_grid(request.user, start_year=start_year)
    return render(
        request,
        "returns/return_grid.html",
        {
            "periods": periods,
            "rows": rows,
            "year": start_year,
            "due_days": settings.RETURN_DUE_DAYS,
        },
    )


@require_GET
def return_detail(request, pk: int):
    _check(request.user)
    report_return = selectors.return_detail(request.user, pk)
    return render(
        request,
        "returns/return_detail.html",
        {
            "report_return": report_return,
            "events": selectors.return_events(report_return),
            "results": selectors.return_result_rows(request.user, report_return),
            "statements": selectors.return_statements(request.user, report_return),
            "transitions": selectors.allowed_transitions(request.user, report_return),
        },
    )


@require_POST
def return_transition(request, pk: int, action: str):
    _check(request.user)
    report_return = selectors.return_detail(request.user, pk)
    if action not in TRANSITIONS:
        raise PermissionDenied("No such step.")
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
