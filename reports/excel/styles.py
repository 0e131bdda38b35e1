"""Cell styles and number formats shared by every workbook the app writes.

Percentages are stored as the number on screen (23.5 means 23.5%), and the workbook keeps that
number: the format `0.0"%"` prints the sign without dividing by 100, so a cell holds exactly the
figure the pages show and a reader summing or copying it gets the same number.
"""

from __future__ import annotations

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from metrics.models import Unit
from wirralsafe.spreadsheets import escape_formula

COUNT_FORMAT = "#,##0"
PERCENT_FORMAT = '0.0"%"'
GBP_FORMAT = "£#,##0"
RATE_FORMAT = "0.00"

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F3864")
TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
THIN = Side(style="thin", color="BFBFBF")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
PENDING_FONT = Font(italic=True, color="9C5700")


def number_format(unit: str, places: int = 0) -> str:
    """The Excel format of an input cell for a unit (the return template), with at least the
    metric's decimal places. Printed figures use figure_format."""
    if unit == Unit.PERCENTAGE:
        decimals = max(places, 1)
        return "0." + "0" * decimals + '"%"'
    if unit == Unit.GBP:
        return GBP_FORMAT if places == 0 else "£#,##0." + "0" * places
    if unit in (Unit.RATE_PER_1000, Unit.RATE_PER_REOFFENDER):
        return RATE_FORMAT if places <= 2 else "0." + "0" * places
    if places:
        return "#,##0." + "0" * places
    return COUNT_FORMAT


def figure_format(unit: str, places: int = 0) -> str:
    """The Excel format that shows a figure as the pages print it: its unit's sign, thousands
    commas, and exactly the decimals the page gives it (Shown.places), so that 79 is not shown
    as 79.00 nor 14 as 14.0. The cell itself holds the number unrounded."""
    decimals = "." + "0" * places if places else ""
    if unit == Unit.PERCENTAGE:
        return "0" + decimals + '"%"'
    if unit == Unit.GBP:
        return "£#,##0" + decimals
    return "#,##0" + decimals


def pounds_format(amount) -> str:
    """An allocation as the programme's page prints it: whole pounds, or pounds and pence."""
    return GBP_FORMAT if amount == amount.to_integral_value() else GBP_FORMAT + ".00"


def text_cell(ws, value, *, wrap: bool = False, font=None):
    """A write-only cell for text that came from people: never a formula."""
    cell = WriteOnlyCell(ws, value=escape_formula(value))
    cell.alignment = WRAP if wrap else TOP
    if font is not None:
        cell.font = font
    return cell


def number_cell(ws, value, fmt: str, *, font=None):
    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = fmt
    cell.alignment = TOP
    if font is not None:
        cell.font = font
    return cell


def header_cells(ws, titles):
    cells = []
    for title in titles:
        cell = WriteOnlyCell(ws, value=title)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cells.append(cell)
    return cells


def row_height(texts_and_widths, *, line_height: float = 15.0, minimum: float = 15.0) -> float:
    """A row tall enough to read its wrapped text: lines estimated from length and width."""
    lines = 1
    for text, width in texts_and_widths:
        if not text:
            continue
        chars_per_line = max(int(width * 1.1), 1)
        estimate = sum(
            max(1, -(-len(paragraph) // chars_per_line)) for paragraph in str(text).split("\n")
        )
        lines = max(lines, estimate)
    return max(minimum, min(lines * line_height, 409.0))  # 409 points is Excel's maximum
