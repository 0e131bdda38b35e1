"""Tables as .csv and .xlsx downloads: the rows and numbers the page shows, typed."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from wirralsafe.spreadsheets import escape_formula

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value):
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Decimal):
        # Exact as stored, without the trailing zeros of the database's fixed four places.
        return int(value) if value == value.to_integral_value() else value.normalize()
    return escape_formula(value)


def _csv_cell(value):
    value = _cell(value)
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}"
    return value


class _Echo:
    def write(self, value):
        return value


def csv_response(filename: str, header: list[str], rows: Iterable[list]):
    writer = csv.writer(_Echo())

    def lines():
        # A byte-order mark so that Excel reads the £ sign as UTF-8.
        yield "\ufeff" + writer.writerow([escape_formula(h) for h in header])
        for row in rows:
            yield writer.writerow([_csv_cell(v) for v in row])

    response = StreamingHttpResponse(lines(), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


HEADER_FONT = Font(bold=True)
WHOLE = "#,##0"
DECIMAL = "#,##0.0###"


def _xlsx_cell(sheet, value):
    value = _cell(value)
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        # Thousands separators as on screen; the number itself stays exact and summable.
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = WHOLE if isinstance(value, int) else DECIMAL
        return cell
    return value


def xlsx_response(
    filename: str,
    title: str,
    header: list[str],
    rows: Iterable[list],
    *,
    about: list[tuple[str, str]] = (),
):
    """The table as a workbook: a sheet of rows, and an "About" sheet saying what it holds
    (filters, year, whether pending figures are in, when and by whom), so that a file passed
    on still says what it is."""
    # Write-only mode streams rows to a temporary file instead of holding a sheet in memory.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.freeze_panes = "A2"
    for index, name in enumerate(header, start=1):
        width = min(max(len(name) + 2, 12), 45)
        sheet.column_dimensions[get_column_letter(index)].width = width
    heading = []
    for name in header:
        cell = WriteOnlyCell(sheet, escape_formula(name))
        cell.font = HEADER_FONT
        heading.append(cell)
    sheet.append(heading)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, v) for v in row])
    if about:
        notes = workbook.create_sheet(title="About")
        notes.column_dimensions["A"].width = 24
        notes.column_dimensions["B"].width = 80
        for label, text in about:
            notes.append([escape_formula(label), escape_formula(text)])
    return xlsx_file_response(workbook.save, f"{filename}.xlsx")


def xlsx_file_response(write, filename: str) -> FileResponse:
    """A workbook download: `write(handle)` fills an unnamed temporary file, so the workbook
    goes to disk rather than memory, and the file is gone once the response has sent it."""
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it)
    write(handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
