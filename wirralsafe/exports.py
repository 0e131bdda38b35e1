"""Tables as .csv and .xlsx downloads: the rows and numbers the page shows, typed."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from openpyxl import Workbook

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


def xlsx_response(filename: str, title: str, header: list[str], rows: Iterable[list]):
    # Write-only mode streams rows to a temporary file instead of holding a sheet in memory.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([escape_formula(h) for h in header])
    for row in rows:
        sheet.append([_cell(v) for v in row])
    # FileResponse closes the file when the download is sent.
    handle = tempfile.TemporaryFile()  # noqa: SIM115
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(
        handle, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_TYPE
    )
