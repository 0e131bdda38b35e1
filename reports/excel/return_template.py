"""The quarterly return workbook a partner downloads, fills in and uploads back.

The layout below is also the contract the import checks: sheet names, the heading of every
column, and the hidden identifier columns (metric code, activity id) by which rows are matched,
so that a sorted or re-ordered sheet still imports correctly.
"""

from __future__ import annotations

from datetime import UTC, datetime

from openpyxl import Workbook
from openpyxl.styles import Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties

from metrics.models import Qualifier, Unit
from reports.excel import styles
from reports.selectors import ReturnTemplate
from wirralsafe.spreadsheets import escape_formula

INSTRUCTIONS = "Instructions"
FIGURES = "Figures"
NARRATIVES = "Narratives"

FIGURE_COLUMNS = [
    ("Metric code", 16),
    ("Metric", 40),
    ("Programme", 28),
    ("Unit", 22),
    ("Last quarter", 14),
    ("Same quarter last year", 14),
    ("Target", 12),
    ("Value", 14),
    ("Qualifier", 16),
    ("Note", 40),
]
FIGURE_INPUTS = ("Value", "Qualifier", "Note")
NARRATIVE_COLUMNS = [
    ("Activity id", 12),
    ("Programme", 28),
    ("Activity", 40),
    ("Expected outcomes", 45),
    ("Outcome", 70),
    ("Note", 40),
]
NARRATIVE_INPUTS = ("Outcome", "Note")

# The words a partner picks in the Qualifier column, and what each means.
QUALIFIER_WORDS = {
    "exact": Qualifier.EXACT,
    "over": Qualifier.OVER,
    "at least": Qualifier.AT_LEAST,
    "approximately": Qualifier.APPROXIMATELY,
}
WORD_FOR_QUALIFIER = {v: k for k, v in QUALIFIER_WORDS.items()}

PARTNER_LABEL = "Partner code"
QUARTER_LABEL = "Quarter"

UNLOCKED = Protection(locked=False)


def column_index(columns, title: str) -> int:
    return [t for t, _ in columns].index(title) + 1


def _finish(ws, columns, last_row: int) -> None:
    for index, (_, width) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    # The identifier column is hidden, not removed: the import matches rows by it.
    ws.column_dimensions["A"].hidden = True
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(last_row, 1)}"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    # Protection guides the partner to the input cells; it is not security (it has no
    # password), which is why the import checks every cell again.
    ws.protection.sheet = True
    ws.protection.autoFilter = False
    ws.protection.sort = False
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _explain_empty(ws, text: str) -> None:
    """Say why a sheet has no rows, where its rows would be. The text sits in column B, which
    the import never reads, and the identifier column A stays empty, so the row is skipped."""
    _set(ws, 2, 2, text, wrap=True)
    ws.merge_cells(start_row=2, start_column=2, end_row=2, end_column=4)
    ws.row_dimensions[2].height = 60


def _header(ws, columns, inputs) -> None:
    for index, (title, _) in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=index, value=title)
        cell.font = styles.HEADER_FONT
        cell.fill = styles.HEADER_FILL
        cell.alignment = styles.Alignment(wrap_text=True, vertical="center")
        if title in inputs:
            cell.fill = styles.PatternFill("solid", fgColor="7F6000")


def _set(ws, row: int, column: int, value, *, fmt: str | None = None, wrap: bool = False):
    cell = ws.cell(row=row, column=column, value=escape_formula(value))
    if fmt:
        cell.number_format = fmt
    cell.alignment = styles.WRAP if wrap else styles.TOP
    return cell


def _input(cell) -> None:
    cell.protection = UNLOCKED
    cell.fill = styles.INPUT_FILL
    cell.border = styles.BORDER


def _status_text(template: ReturnTemplate) -> str:
    """The return's status; for one the user cannot upload into now, why and what to do, so
    that the workbook does not invite figures the upload would refuse."""
    if not template.closed_note:
        return template.return_status
    return (
        f"{template.return_status}. {template.closed_note} This copy shows what the return "
        "holds; an upload to it is refused until then."
    )


def _instructions(wb: Workbook, template: ReturnTemplate, generated_by: str, now) -> None:
    ws = wb.active
    ws.title = INSTRUCTIONS
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 100
    title = ws.cell(row=1, column=1, value=f"Quarterly return: {template.partner.name}")
    title.font = styles.TITLE_FONT
    rows = [
        (PARTNER_LABEL, template.partner.slug),
        ("Partner", template.partner.name),
        (QUARTER_LABEL, template.label),
        ("Return status", _status_text(template)),
        ("Generated", f"{now:%d %B %Y %H:%M} UTC by {generated_by}"),
        ("", ""),
        (
            "How to fill it in",
            "Enter this quarter's figures on the 'Figures' sheet in the "
            "yellow columns Value, Qualifier and Note, and what each activity achieved on the "
            "'Narratives' sheet in the yellow columns Outcome and Note. Other cells are locked.",
        ),
        (
            "Value",
            "A number only: no words, no % or £ signs, no formulas. Percentages as "
            "the number on screen: 23.5 for 23.5%, never more than 100. Nothing is negative.",
        ),
        (
            "Qualifier",
            "Leave empty or choose 'exact' for an exact figure; 'over' or 'at least' "
            "when the true figure is higher ('over 400'); 'approximately' for an estimate.",
        ),
        (
            "Empty cells",
            "An empty Value or Outcome leaves what is already held unchanged; "
            "nothing is deleted by an upload.",
        ),
        (
            "Do not",
            "rename the sheets, move, add or remove columns, or change the hidden "
            "Metric code and Activity id columns: rows are matched by them.",
        ),
        (
            "Uploading",
            "Upload the file yourself on the 'Upload a filled workbook' page (Reports, "
            "Quarterly returns), or send it to your partner's editor to upload. You will see "
            "every change (old to new) and every problem, by sheet, row and column, before "
            "anything is saved; nothing is saved while any problem remains. Then submit the "
            "return on the returns page. Only a draft can be uploaded to: a submitted return "
            "waits for the approver, who may send it back; an approved one is locked until "
            "the approver reopens it.",
        ),
        ("Last quarter", template.last_quarter_label),
        ("Same quarter last year", template.same_quarter_last_year_label),
    ]
    for index, (label, text) in enumerate(rows, start=3):
        label_cell = ws.cell(row=index, column=1, value=label)
        label_cell.font = styles.BOLD
        label_cell.alignment = styles.TOP
        _set(ws, index, 2, text, wrap=True)
        ws.row_dimensions[index].height = styles.row_height([(text, 100)])
    ws.protection.sheet = True


def _figures(wb: Workbook, template: ReturnTemplate) -> None:
    ws = wb.create_sheet(FIGURES)
    _header(ws, FIGURE_COLUMNS, FIGURE_INPUTS)
    value_col = column_index(FIGURE_COLUMNS, "Value")
    qualifier_col = column_index(FIGURE_COLUMNS, "Qualifier")
    note_col = column_index(FIGURE_COLUMNS, "Note")
    any_number = DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Not a figure",
        error="Enter a number of 0 or more, with no words or signs.",
    )
    percentage = DataValidation(
        type="decimal",
        operator="between",
        formula1="0",
        formula2="100",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Not a percentage",
        error="Enter a percentage from 0 to 100, as on screen: 23.5 for 23.5%.",
    )
    qualifiers = DataValidation(
        type="list",
        formula1='"' + ",".join(QUALIFIER_WORDS) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Not a qualifier",
        error="Choose exact, over, at least or approximately, or leave empty.",
    )
    for dv in (any_number, percentage, qualifiers):
        ws.add_data_validation(dv)
    for row, item in enumerate(template.metrics, start=2):
        m = item.metric
        fmt = styles.number_format(m.unit, m.decimal_places)
        unit = Unit(m.unit).label + (f": {m.unit_label}" if m.unit_label else "")
        _set(ws, row, 1, m.slug)
        _set(ws, row, 2, m.name, wrap=True)
        _set(ws, row, 3, m.programme.name if m.programme else "Area-wide", wrap=True)
        _set(ws, row, 4, unit, wrap=True)
        for col, held in ((5, item.last_quarter), (6, item.same_quarter_last_year)):
            _set(ws, row, col, held.value if held else None, fmt=fmt)
        _set(ws, row, 7, item.target.value if item.target else None, fmt=fmt)
        current = item.current
        _input(_set(ws, row, value_col, current.value if current else None, fmt=fmt))
        _input(
            _set(
                ws,
                row,
                qualifier_col,
                WORD_FOR_QUALIFIER.get(current.qualifier, "exact") if current else None,
            )
        )
        _input(_set(ws, row, note_col, current.note if current else None, wrap=True))
        cell_ref = f"{get_column_letter(value_col)}{row}"
        (percentage if m.unit == Unit.PERCENTAGE else any_number).add(cell_ref)
        qualifiers.add(f"{get_column_letter(qualifier_col)}{row}")
        ws.row_dimensions[row].height = styles.row_height([(m.name, 40)])
    if not template.metrics:
        _explain_empty(
            ws,
            f"{template.partner.name} reports no metrics, so there is no figure to enter here. "
            "If it should, ask the CSP administrator to set its metrics up, then download the "
            "workbook again.",
        )
    _finish(ws, FIGURE_COLUMNS, len(template.metrics) + 1)


def _narratives(wb: Workbook, template: ReturnTemplate) -> None:
    ws = wb.create_sheet(NARRATIVES)
    _header(ws, NARRATIVE_COLUMNS, NARRATIVE_INPUTS)
    for row, item in enumerate(template.activities, start=2):
        act = item.activity
        expected = "\n".join(f"• {t}" for t in item.expected_outcomes)
        activity_text = f"{act.title}\n{act.description}"
        _set(ws, row, 1, act.pk)
        _set(ws, row, 2, act.programme.name, wrap=True)
        _set(ws, row, 3, activity_text, wrap=True)
        _set(ws, row, 4, expected, wrap=True)
        current = item.current
        _input(_set(ws, row, 5, current.text if current else None, wrap=True))
        _input(_set(ws, row, 6, current.note if current else None, wrap=True))
        ws.row_dimensions[row].height = styles.row_height(
            [(activity_text, 40), (expected, 45), (current.text if current else "", 70)],
            minimum=60,
        )
    if not template.activities:
        year = template.label.split()[0]
        _explain_empty(
            ws,
            f"No activities are recorded for the programmes {template.partner.name} leads in "
            f"{year}, so there is no outcome to write here. If there should be, ask the CSP "
            "administrator to add this year's activities, then download the workbook again.",
        )
    _finish(ws, NARRATIVE_COLUMNS, len(template.activities) + 1)


def build_return_workbook(
    template: ReturnTemplate, *, generated_by: str, now: datetime | None = None
) -> Workbook:
    now = now or datetime.now(UTC)
    wb = Workbook()
    wb.properties.title = f"Quarterly return {template.label}: {template.partner.name}"
    wb.properties.creator = generated_by
    wb.properties.created = now.replace(tzinfo=None)
    _instructions(wb, template, generated_by, now)
    _figures(wb, template)
    _narratives(wb, template)
    wb.active = 1
    return wb


def write_return_workbook(template: ReturnTemplate, destination, *, generated_by: str) -> None:
    build_return_workbook(template, generated_by=generated_by).save(destination)
