"""Every result of every year as one Excel sheet, for analysts who want the raw figures.

openpyxl's write-only mode streams each row to a temporary file as it is appended, so memory
stays flat however many rows there are. Cells are appended as plain values: a styled cell
object per cell would cost more than the writing itself, so the only formatting is a number
format per column, set once through the column's cells in the header row's style.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from reports.selectors import RESULT_EXPORT_HEADER

SHEET_TITLE = "Results"
WIDTHS = {
    "Financial year": 10,
    "Period": 14,
    "Period start": 12,
    "Period end": 12,
    "Partner": 28,
    "Programme": 30,
    "Metric code": 20,
    "Metric": 40,
    "Unit": 20,
    "Value": 12,
    "Qualifier": 14,
    "As printed": 22,
    "Note": 40,
    "Source": 30,
}


def write_results(
    rows: Iterable[list],
    destination,
    *,
    progress: Callable[[int], object] | None = None,
) -> int:
    """Write the header and every row to `destination` (a path or a binary file); return
    the number of rows written."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=SHEET_TITLE)
    for index, title in enumerate(RESULT_EXPORT_HEADER, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(title, 16)
    sheet.freeze_panes = "A2"
    sheet.append(RESULT_EXPORT_HEADER)
    count = 0
    for row in rows:
        sheet.append(row)
        count += 1
        if progress is not None and count % 1000 == 0:
            progress(1000)
    if progress is not None and count % 1000:
        progress(count % 1000)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(RESULT_EXPORT_HEADER))}{max(count + 1, 1)}"
    workbook.save(destination)
    return count
