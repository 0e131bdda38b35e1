"""Helpers that build quarterly return workbooks for the import tests."""

import io

from openpyxl import load_workbook

from reports import selectors
from reports.excel.return_template import build_return_workbook


def template_workbook(partner, user, quarter="2019/20 Q1"):
    start_year, q = selectors.parse_quarter(quarter)
    template = selectors.return_template(
        user=user, partner=partner, start_year=start_year, quarter=q
    )
    return build_return_workbook(template, generated_by=user.username)


def to_bytes(wb) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def row_of(ws, key, column=1):
    for row in range(2, ws.max_row + 1):
        if str(ws.cell(row=row, column=column).value) == str(key):
            return row
    raise AssertionError(f"{key} not in {ws.title}")


def filled(partner, user, figures=None, narratives=None, quarter="2019/20 Q1"):
    """A template with values typed in: figures {slug: (value, qualifier, note)},
    narratives {activity id: (text, note)}."""
    wb = template_workbook(partner, user, quarter)
    ws = wb["Figures"]
    for slug, (value, qualifier, note) in (figures or {}).items():
        row = row_of(ws, slug)
        ws.cell(row=row, column=8, value=value)
        ws.cell(row=row, column=9, value=qualifier)
        ws.cell(row=row, column=10, value=note)
    ns = wb["Narratives"]
    for activity_id, (text, note) in (narratives or {}).items():
        row = row_of(ns, activity_id)
        ns.cell(row=row, column=5, value=text)
        ns.cell(row=row, column=6, value=note)
    return wb


def reload(data: bytes):
    return load_workbook(io.BytesIO(data))
