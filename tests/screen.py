"""Read tables back from pages and downloads, so that tests compare what a user would see."""

from __future__ import annotations

import csv
import io

import lxml.html
from openpyxl import load_workbook


def table_rows(html: bytes | str, table_id: str = "results-table") -> list[list[str]]:
    """The body rows of a table on a page, as the text of each cell."""
    doc = lxml.html.fromstring(html)
    table = doc.get_element_by_id(table_id)
    return [
        [" ".join(" ".join(cell.itertext()).split()) for cell in row.xpath("./th|./td")]
        for row in table.xpath("./tbody/tr")
    ]


def table_header(html: bytes | str, table_id: str = "results-table") -> list[str]:
    doc = lxml.html.fromstring(html)
    table = doc.get_element_by_id(table_id)
    for hidden in table.xpath('.//*[@aria-hidden="true"]'):
        hidden.drop_tree()
    return [" ".join(th.text_content().split()) for th in table.xpath("./thead/tr/th")]


def rows_by_name(html: bytes | str, table_id: str = "results-table") -> dict[str, dict[str, str]]:
    """Each row of a table as {column heading: cell}, keyed by its first cell: assertions that
    name their column hold whatever order the columns come in."""
    header = table_header(html, table_id)
    return {row[0]: dict(zip(header, row, strict=True)) for row in table_rows(html, table_id)}


def response_bytes(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def xlsx_rows(data: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


AS_SHOWN = " (as shown)"


def shown_columns(header: list[str]) -> list[int]:
    """Indexes of the export's columns that hold what the screen shows: a column exported
    twice (number, then words) is shown as its words."""
    return [i for i, name in enumerate(header) if f"{name}{AS_SHOWN}" not in header]


def as_screen(exported: list[list]) -> tuple[list[str], list[list[str]]]:
    """An export's header and rows reduced to the columns and text the screen shows."""
    keep = shown_columns([str(h) for h in exported[0]])
    header = [str(exported[0][i]).removesuffix(AS_SHOWN) for i in keep]
    rows = [["" if row[i] is None else str(row[i]) for i in keep] for row in exported[1:]]
    return header, rows
