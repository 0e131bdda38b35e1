"""Writes of the reports app: applying a partner's quarterly return workbook."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from metrics.models import Result
from programmes.models import OutcomeStatement, Return
from programmes.services import get_or_create_quarter_return
from reports.excel.return_import import FILE, ImportPreview, read_return_workbook


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
    return Return.objects.select_for_update().get(pk=report_return.pk)


@transaction.atomic
def apply_return_workbook(*, file, user, dry_run: bool = False) -> ImportPreview:
    """Check a quarterly return workbook and, unless dry_run or any problem, apply all of it.

    All or nothing: every figure and narrative is written through the model's full_clean()
    and save() (so model rules and the approval lock apply), and if any of them is refused
    the whole transaction is rolled back and the refusal is added to the preview's problems.
    """
    preview = read_return_workbook(_read(file), user=user)
    if dry_run or not preview.ok:
        return preview
    try:
        report_return = _quarter_return(preview)
        if report_return.is_locked:
            # Approved between the check and now: refuse as the check would have.
            preview.problem(
                FILE,
                None,
                None,
                f"the {preview.quarter_label} return of {preview.partner.name} is approved "
                "and locked.",
            )
            transaction.set_rollback(True)
            return preview
        for change in preview.figures:
            result = change.old or Result(
                metric=change.metric, period=report_return.period, report_return=report_return
            )
            result.value = change.value
            result.qualifier = change.qualifier
            result.note = change.note
            _save(result, preview, "Figures", change.row, "H")
        for change in preview.narratives:
            statement = change.old or OutcomeStatement(
                activity=change.activity, report_return=report_return
            )
            statement.text = change.text
            statement.note = change.note
            _save(statement, preview, "Narratives", change.row, "E")
    except (ValidationError, PermissionDenied) as exc:
        preview.problem(
            FILE, None, None, _messages(exc) if isinstance(exc, ValidationError) else str(exc)
        )
    if preview.problems:
        transaction.set_rollback(True)
        return preview
    preview.applied = True
    return preview


def _save(instance, preview: ImportPreview, sheet: str, row: int, column: str) -> None:
    try:
        instance.full_clean()
        instance.save()
    except ValidationError as exc:
        preview.problem(sheet, row, column, _messages(exc))
    except PermissionDenied as exc:
        preview.problem(sheet, row, column, str(exc) or "refused: the return is locked.")
