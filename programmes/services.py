"""Writes for quarterly returns: the workflow draft -> submitted -> approved, and back.

Every transition checks the user's role through programmes.scoping, saves the return, and
records a ReturnEvent with who, when and the note, in one transaction. Nothing else may change a
return's status (Return.save refuses it), so these functions are the whole workflow.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from programmes.models import (
    FinancialYear,
    Partner,
    Period,
    ReminderLog,
    Return,
    ReturnEvent,
    quarter_dates,
    return_due_date,
)
from programmes.scoping import (
    Role,
    editable_partner_ids,
    enters_figures_for,
    has_role,
    may_approve,
    may_reopen,
    may_send_back,
    may_submit,
)

Status = Return.Status


class TransitionError(ValidationError):
    """A transition that the return's status does not allow."""


def _locked_copy(report_return: Return) -> Return:
    # Re-read under a row lock so two approvers clicking at once cannot both act on the
    # status they saw.
    return (
        Return.objects.select_for_update(of=("self",))
        .select_related("partner", "period__financial_year")
        .get(pk=report_return.pk)
    )


def _transition(
    *,
    report_return: Return,
    user,
    kind: ReturnEvent.Kind,
    expected: Status,
    to: Status,
    note: str = "",
    changes: dict | None = None,
) -> Return:
    fresh = _locked_copy(report_return)
    if fresh.status != expected:
        raise TransitionError(
            f"{fresh} is {fresh.get_status_display().lower()}, so it cannot be "
            f"{ReturnEvent.Kind(kind).label.lower()} now; reload to see its current state."
        )
    for field, value in {"status": to, **(changes or {})}.items():
        setattr(fresh, field, value)
    fresh._transition_allowed = True
    fresh.save()
    ReturnEvent.objects.create(
        report_return=fresh,
        kind=kind,
        from_status=expected,
        to_status=to,
        user=user,
        note=note,
    )
    # Keep the caller's object in step with the database.
    report_return.refresh_from_db()
    return fresh


@transaction.atomic
def get_or_create_return(*, partner: Partner, period: Period) -> Return:
    """The partner's return for the period, created as a draft when it does not exist yet."""
    return Return.objects.get_or_create(partner=partner, period=period)[0]


def get_or_create_quarter_return(*, partner: Partner, start_year: int, quarter: int) -> Return:
    """The partner's return for a quarter, creating its financial year and period when new."""
    year, _ = FinancialYear.objects.get_or_create(start_year=start_year)
    first_day, last_day = quarter_dates(start_year, quarter)
    period, _ = Period.objects.get_or_create(
        kind=Period.Kind.QUARTER,
        financial_year=year,
        quarter=quarter,
        defaults={"start_date": first_day, "end_date": last_day},
    )
    return get_or_create_return(partner=partner, period=period)


@transaction.atomic
def start_return(
    *,
    partner: Partner,
    start_year: int,
    quarter: int,
    user,
    today: datetime.date | None = None,
) -> Return:
    """A partner's editor starts the partner's return for a quarter that has begun.

    The financial year and the quarter's Period are created on the way if nobody has needed
    them yet; starting a return that already exists gives that return back unchanged.
    """
    if partner.pk not in editable_partner_ids(user):
        raise PermissionDenied(f"You do not enter figures for {partner}.")
    if quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": f"Quarter {quarter} does not exist: choose 1 to 4."})
    if not 1990 <= start_year <= 2100:
        raise ValidationError({"year": "A financial year must start between 1990 and 2100."})
    today = today or timezone.localdate()
    first_day, _ = quarter_dates(start_year, quarter)
    label = f"{FinancialYear(start_year=start_year).label} Q{quarter}"
    if first_day > today:
        raise ValidationError(
            {"quarter": f"{label} has not begun yet: it starts on {first_day:%-d %B %Y}."}
        )
    return get_or_create_quarter_return(partner=partner, start_year=start_year, quarter=quarter)


@transaction.atomic
def submit_return(*, report_return: Return, user) -> Return:
    """A partner's editor hands the return to the approver; it stays editable only if sent back."""
    # Membership only: a return that is not a draft is refused below with its status.
    if not enters_figures_for(user, report_return.partner_id):
        raise PermissionDenied(f"You do not enter figures for {report_return.partner}.")
    return _transition(
        report_return=report_return,
        user=user,
        kind=ReturnEvent.Kind.SUBMITTED,
        expected=Status.DRAFT,
        to=Status.SUBMITTED,
        changes={"submitted_by": user, "submitted_at": timezone.now()},
    )


@transaction.atomic
def approve_return(*, report_return: Return, user, note: str = "") -> Return:
    """The approver accepts a submitted return, which locks its figures and narratives."""
    if not has_role(user, Role.APPROVER):
        raise PermissionDenied("Only an approver may approve a return.")
    if report_return.submitted_by_id == user.pk:
        raise PermissionDenied("You submitted this return, so another approver must approve it.")
    return _transition(
        report_return=report_return,
        user=user,
        kind=ReturnEvent.Kind.APPROVED,
        expected=Status.SUBMITTED,
        to=Status.APPROVED,
        note=note.strip(),
        changes={"approved_by": user, "approved_at": timezone.now(), "note": note.strip()},
    )


@transaction.atomic
def send_back_return(*, report_return: Return, user, note: str) -> Return:
    """The approver returns a submitted return to its partner as a draft, saying what to fix."""
    if not has_role(user, Role.APPROVER):
        raise PermissionDenied("Only an approver may send a return back.")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "Say what the partner should change before resubmitting."})
    return _transition(
        report_return=report_return,
        user=user,
        kind=ReturnEvent.Kind.SENT_BACK,
        expected=Status.SUBMITTED,
        to=Status.DRAFT,
        note=note,
        changes={"note": note, "submitted_by": None, "submitted_at": None},
    )


@transaction.atomic
def reopen_return(*, report_return: Return, user, reason: str) -> Return:
    """The approver unlocks an approved return, giving a reason that stays on its record."""
    if not has_role(user, Role.APPROVER):
        raise PermissionDenied("Only an approver may reopen an approved return.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Give the reason for reopening an approved return."})
    return _transition(
        report_return=report_return,
        user=user,
        kind=ReturnEvent.Kind.REOPENED,
        expected=Status.APPROVED,
        to=Status.DRAFT,
        note=reason,
        changes={
            "note": reason,
            "submitted_by": None,
            "submitted_at": None,
            "approved_by": None,
            "approved_at": None,
        },
    )


@transaction.atomic
def approve_published_return(
    *, report_return: Return, note: str, approved_at: datetime.datetime | None = None
) -> Return:
    """Mark a draft return as approved because its figures come from a published report.

    For loaders of annual reports the partnership has already signed off: there is no submitter
    and no approver in the app, so the event records the source instead of a user.
    """
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "Say which published report the figures come from."})
    return _transition(
        report_return=report_return,
        user=None,
        kind=ReturnEvent.Kind.APPROVED,
        expected=Status.DRAFT,
        to=Status.APPROVED,
        note=note,
        # A loader gives the publication date; the event itself is stamped now.
        changes={"approved_at": approved_at or timezone.now(), "note": note},
    )


@transaction.atomic
def send_return_reminders(*, today=None) -> list[ReminderLog]:
    """Email each partner's editors about a return due within a week or late, once a day.

    A ReminderLog row per partner, quarter and day (unique in the database) is what makes a
    second run on the same day send nothing. Partners with no member holding an email address
    are skipped, and no log is written for them, so a later run reminds them once they have one.
    """
    from django.conf import settings
    from django.core.mail import EmailMessage, get_connection

    from programmes.selectors import returns_needing_reminders

    today = today or timezone.localdate()
    already = set(ReminderLog.objects.filter(sent_on=today).values_list("partner_id", "period_id"))
    messages, logs = [], []
    for partner, period, state in returns_needing_reminders(today=today):
        if (partner.pk, period.pk) in already:
            continue
        recipients = sorted({m.email for m in partner.members.all() if m.is_active and m.email})
        if not recipients:
            continue
        due = return_due_date(period)
        if state == "late":
            subject = f"{partner}: the {period} return is late"
            opening = f"The {period} return for {partner} was due on {due:%-d %B %Y}"
        else:
            subject = f"{partner}: the {period} return is due on {due:%-d %B %Y}"
            opening = f"The {period} return for {partner} is due on {due:%-d %B %Y}"
        body = (
            f"{opening} and has not been submitted yet.\n\n"
            "Please enter the quarter's figures and outcome narratives and submit the return.\n"
        )
        for address in recipients:
            messages.append(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address]))
        logs.append(
            ReminderLog(
                partner=partner, period=period, sent_on=today, recipients="\n".join(recipients)
            )
        )
    # Log first: if the mail server fails, the transaction rolls back and the next run retries.
    created = ReminderLog.objects.bulk_create(logs)
    if messages:
        get_connection().send_messages(messages)
    return created


# The transitions by the name the admin and the returns page use:
# name -> (service, button label, whether a note is required, the note's keyword, who may).
TRANSITIONS = {
    "submit": (submit_return, "Submit", False, None, may_submit),
    "approve": (approve_return, "Approve", False, "note", may_approve),
    "send_back": (send_back_return, "Send back", True, "note", may_send_back),
    "reopen": (reopen_return, "Reopen", True, "reason", may_reopen),
}


def run_transition(*, action: str, report_return: Return, user, note: str = "") -> Return:
    """Call the service behind a transition's name with the note the user typed."""
    service, _label, _needs_note, keyword, _allowed = TRANSITIONS[action]
    kwargs = {keyword: note} if keyword else {}
    return service(report_return=report_return, user=user, **kwargs)


def error_text(error: Exception) -> str:
    """A refusal as one line for a message or a form error."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


@transaction.atomic
def set_generated_return_status(*, queryset, status: str, **fields) -> int:
    """Change the status of returns a data generator created and owns, in bulk.

    Synthetic data (metrics.synthetic) makes thousands of returns with no person acting; going
    through the one-by-one transitions would cost minutes and record events nobody took. This
    is the single, named way round the rule that statuses change only through the transitions
    above, and it refuses any return that is not the generator's own.
    """
    from metrics.synthetic import PREFIX

    if queryset.exclude(partner__slug__startswith=PREFIX).exists():
        raise PermissionDenied("Only synthetic returns may change status in bulk.")
    # QuerySet.update itself, not the guarded Return queryset's: this is the sanctioned bypass.
    return models.QuerySet.update(queryset, status=status, **fields)
