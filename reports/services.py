"""Writes of the reports app: applying a partner's quarterly return workbook."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from openpyxl.utils import get_column_letter

from metrics import freshness
from metrics.models import Result
from programmes.locks import LockedRow, StaleEditError, stale_message
from programmes.models import OutcomeStatement, Return
from programmes.scoping import can_edit_return
from programmes.services import get_or_create_quarter_return
from reports.excel.return_import import (
    FILE,
    ImportPreview,
    closed_upload_message,
    read_return_workbook,
)
from reports.excel.return_template import (
    FIGURE_COLUMNS,
    FIGURES,
    NARRATIVE_COLUMNS,
    NARRATIVES,
    column_index,
)
from wirralsafe.history import CHANGED, CREATED, copy_to_history

BATCH_SIZE = 1000
# Foreign keys the import has already resolved to rows it holds (metric, period, return,
# activity): full_clean() would check each again with a query per row.
RESOLVED_KEYS = ["metric", "period", "report_return", "activity", "updated_by"]
# What an upload changes in a row it already holds, and the stamps every change moves.
FIGURE_FIELDS = ["value", "qualifier", "note", "unit", "places"]
NARRATIVE_FIELDS = ["text", "note"]
STAMP_FIELDS = ["version", "updated_at", "updated_by"]


def _letter(columns, title: str) -> str:
    return get_column_letter(column_index(columns, title))


def _read(file) -> bytes:
    if isinstance(file, bytes | bytearray):
        return bytes(file)
    if hasattr(file, "seek"):
        file.seek(0)
    return file.read()


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(m for messages in exc.message_dict.values() for m in messages)
    return "; ".join(exc.messages)


def _quarter_return(preview: ImportPreview) -> Return:
    """The partner's return for the quarter, created if new, held for this transaction so
    that nobody approves it while its figures are written."""
    report_return = get_or_create_quarter_return(
        partner=preview.partner, start_year=preview.start_year, quarter=preview.quarter
    )
    return (
        Return.objects.select_for_update(of=("self",))
        .select_related("period__financial_year", "partner", "submitted_by", "approved_by")
        .get(pk=report_return.pk)
    )


@transaction.atomic
def apply_return_workbook(*, file, user, dry_run: bool = False) -> ImportPreview:
    """Check a quarterly return workbook and, unless dry_run or any problem, apply all of it.

    All or nothing: every figure and narrative is checked by its model's field rules and
    clean() first, then all are written in bulk with their history rows, the return checked
    once, held FOR UPDATE, to be one the user may write into (scoping.can_edit_return: a
    partner editor's own draft; never an approved one), and rows changed since the preview
    refused.
    If anything is refused the whole transaction is rolled back and the refusal is added to
    the preview's problems, naming its sheet, row and column where it has one.
    """
    preview = read_return_workbook(_read(file), user=user)
    if dry_run or not preview.ok:
        return preview
    with freshness.raised_once():
        report_return = _quarter_return(preview)
        if not can_edit_return(user, report_return):
            # Submitted or approved between the check and now: refuse as the check would have.
            # The row lock held from here on keeps it open until the figures are written.
            preview.problem(FILE, None, None, closed_upload_message(report_return))
            preview.return_closed = True
            transaction.set_rollback(True)
            return preview
        figures = [_figure_row(change, report_return, user) for change in preview.figures]
        narratives = [_narrative_row(change, report_return, user) for change in preview.narratives]
        _check_rows(figures, preview, FIGURES, _letter(FIGURE_COLUMNS, "Value"))
        _check_rows(narratives, preview, NARRATIVES, _letter(NARRATIVE_COLUMNS, "Outcome"))
        if not preview.problems:
            try:
                with transaction.atomic():
                    _write(Result, [row for row, _ in figures], FIGURE_FIELDS, user)
                    _write(OutcomeStatement, [row for row, _ in narratives], NARRATIVE_FIELDS, user)
            except (StaleEditError, PermissionDenied, ValidationError, IntegrityError) as exc:
                preview.problem(FILE, None, None, _refusal(exc))
    if preview.problems:
        transaction.set_rollback(True)
        return preview
    preview.applied = True
    return preview


def _attach(row: LockedRow, report_return: Return) -> None:
    """Give a held row the return (and its period) this import holds, so that clean() reads
    them without a query per row."""
    if row.report_return_id == report_return.pk:
        row.report_return = report_return
    if isinstance(row, Result) and row.period_id == report_return.period_id:
        row.period = report_return.period


def _figure_row(change, report_return: Return, user) -> tuple[Result, int]:
    result = change.old or Result(
        metric=change.metric, period=report_return.period, report_return=report_return
    )
    _attach(result, report_return)
    result.value = change.value
    # A workbook cell holds 14 and 14.0 alike: the places typed are not known, so the figure is
    # printed to the metric's (a bulk write skips Result.save(), which would otherwise say).
    result.places = None
    result.qualifier = change.qualifier
    result.note = change.note
    # As Result.save() does: the figure keeps the unit its metric had when it came in.
    result.unit = change.metric.unit
    result.updated_by = user
    return result, change.row


def _narrative_row(change, report_return: Return, user) -> tuple[OutcomeStatement, int]:
    statement = change.old or OutcomeStatement(
        activity=change.activity, report_return=report_return
    )
    _attach(statement, report_return)
    statement.text = change.text
    statement.note = change.note
    statement.updated_by = user
    return statement, change.row


def _check_rows(rows, preview: ImportPreview, sheet: str, column: str) -> None:
    """Each row's field rules and clean(), as a form would; uniqueness and the lock are
    decided by the bulk write itself (the database's constraints, one lock check)."""
    for instance, row in rows:
        try:
            instance.full_clean(
                exclude=RESOLVED_KEYS, validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            preview.problem(sheet, row, column, _messages(exc))


def _write(model, rows: list[LockedRow], fields: list[str], user) -> None:
    """Insert the new rows and update the held ones, then copy each into its history.

    Both bulk writes go through LockedQuerySet, which checks the approval lock once for all.
    """
    new = [row for row in rows if row._state.adding]
    held = [row for row in rows if not row._state.adding]
    if held:
        _refuse_stale(model, held)
        now = timezone.now()
        for row in held:
            row.version += 1
            row.updated_at = now
        model.objects.bulk_update(held, [*fields, *STAMP_FIELDS], batch_size=BATCH_SIZE)
        copy_to_history(model, [row.pk for row in held], user=user, history_type=CHANGED)
    if new:
        created = model.objects.bulk_create(new, batch_size=BATCH_SIZE)
        # PostgreSQL and SQLite (3.35 on) return the new keys; without them no history.
        pks = [row.pk for row in created]
        if None in pks:
            raise RuntimeError("The database returned no keys for the new rows.")
        copy_to_history(model, pks, user=user, history_type=CREATED)


def _refuse_stale(model, held: list[LockedRow]) -> None:
    """Refuse when a held row was changed since the preview read it (one query, rows locked)."""
    stored = dict(
        model._base_manager.select_for_update()
        .filter(pk__in=[row.pk for row in held])
        .values_list("pk", "version")
    )
    for row in held:
        if stored.get(row.pk) != row.version:
            current = model._base_manager.select_related("updated_by").filter(pk=row.pk).first()
            if current is None:
                raise StaleEditError(
                    f"A {row.stale_noun} in this return was deleted after the upload was "
                    "checked; upload the workbook again."
                )
            raise StaleEditError(stale_message(current, row.stale_noun))


def _refusal(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return _messages(exc)
    if isinstance(exc, IntegrityError):
        # Another upload or edit added the same figure after this one was checked.
        return (
            "another change to this return was saved while the upload was being applied; "
            "nothing was written. Upload the workbook again to see the current figures."
        )
    return str(exc) or "refused: the return is locked."
