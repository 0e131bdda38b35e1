"""Tables as .csv and .xlsx downloads: the rows and numbers the page shows, typed."""

from __future__ import annotations

import csv
import logging
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import BinaryIO

from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from wirralsafe.spreadsheets import escape_formula

logger = logging.getLogger("wirralsafe.exports")

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What is read from the finished workbook and sent at a time: big enough that a large file is a
# few hundred writes, small enough that memory stays flat whatever the file's size.
CHUNK_BYTES = 64 * 1024

# Thousands separators as on screen. A number the page prints to set decimals (a Number) has
# exactly those; any other shows the digits it holds, up to the database's four places.
WHOLE = "#,##0"
DECIMAL = "#,##0.0###"

# (header, rows) of a table, read only when the download is under way.
Table = Callable[[], tuple[list[str], Iterable[list]]]


@dataclass(frozen=True)
class Number:
    """A number with the decimals the page prints it with: 14 entered as '14' is written 14,
    23.5 as 23.5, and a rate the metric gives to two places as 5.20, in the CSV's text and
    in the workbook's number format alike, while the cell holds the number itself."""

    value: Decimal
    places: int

    @property
    def text(self) -> str:
        return f"{Decimal(self.value):.{self.places}f}"

    @property
    def number_format(self) -> str:
        return WHOLE + ("." + "0" * self.places if self.places else "")


def _cell(value):
    if isinstance(value, Number):
        return value
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
    if isinstance(value, Number):
        return value.text
    return value


class _Echo:
    def write(self, value):
        return value


def csv_response(filename: str, table: Table):
    """The table as CSV, streamed row by row; `table()` is called once the download has begun
    (see begun_at_once)."""
    writer = csv.writer(_Echo())

    def lines():
        header, rows = table()
        # A byte-order mark so that Excel reads the £ sign as UTF-8.
        yield "\ufeff" + writer.writerow([escape_formula(h) for h in header])
        for row in rows:
            yield writer.writerow([_csv_cell(v) for v in row])

    filename = f"{filename}.csv"
    response = StreamingHttpResponse(begun_at_once(lines, filename), content_type=CSV_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


HEADER_FONT = Font(bold=True)


def _xlsx_cell(sheet, value):
    value = _cell(value)
    if isinstance(value, Number):
        cell = WriteOnlyCell(sheet, value.value)
        cell.number_format = value.number_format
        return cell
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        # Thousands separators as on screen; the number itself stays exact and summable.
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = WHOLE if isinstance(value, int) else DECIMAL
        return cell
    return value


def xlsx_response(
    filename: str,
    title: str,
    table: Table,
    *,
    about: list[tuple[str, str]] = (),
):
    """The table as a workbook: a sheet of rows, and an "About" sheet saying what it holds
    (filters, year, whether pending figures are in, when and by whom), so that a file passed
    on still says what it is. `table()` is called once the download has begun."""

    def write(handle):
        header, rows = table()
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
        workbook.save(handle)

    return xlsx_file_response(write, f"{filename}.xlsx")


def xlsx_file_response(write: Callable[[BinaryIO], object], filename: str):
    """A workbook download that the browser starts at once and receives when it is built:
    `write(handle)` fills an unnamed temporary file while the response is being sent, so the
    workbook goes to disk rather than memory, and the file is gone once it has been sent."""

    def chunks():
        # Leaving the block removes the file, also when the client goes away mid-download and
        # the server closes the response (and so this generator) early.
        with tempfile.TemporaryFile(suffix=".xlsx") as handle:
            write(handle)
            handle.seek(0)
            while chunk := handle.read(CHUNK_BYTES):
                yield chunk

    response = StreamingHttpResponse(begun_at_once(chunks, filename), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def begun_at_once(produce: Callable[[], Iterable[bytes | str]], filename: str) -> Iterator:
    """The body of a download that starts in the browser before `produce()` has done anything.

    The view returns with nothing read or built; `produce` runs while the response is being
    sent. So whatever must be refused (bad input, permission) the view refuses before it
    returns, and `produce` may use nothing of the request but what it was given: the user is
    fine, a transaction the view opened is not (it has ended).
    """
    # WSGI servers (gunicorn, wsgiref) send the status line and headers on the first write,
    # even an empty one: the browser starts the download now, not once the file is built.
    yield b""
    try:
        yield from produce()
    except Exception:
        # The 200 and the headers have gone, so an error page cannot follow. Raising makes the
        # server break off the response before its last chunk: the browser reports a failed
        # download rather than silently saving a truncated file.
        logger.exception("Building %s failed after its download began", filename)
        raise
