"""The base of every table the app's pages show and export.

django-tables2 declares the columns, sorts and paginates; the cells are not rendered through
its per-cell machinery (signature inspection, per-cell templates and attributes), which made a
50-row page about eight times slower than a hand-written template. Instead a selector builds
each row once as a dict, and the table reads from it:

- ``row[name]``        the typed value (a Decimal stays a Decimal): what the export writes;
- ``row[name_text]``   the text the page shows, when it differs from ``str(row[name])``;
- ``row[name_url]``    a link for the cell, if any;
- ``row[name_sort]``   the sort key, when the value does not sort well by itself;
- ``row[name_places]`` the decimals the page prints a number with, for the export to keep.

Screen and export read the same dicts in the same order, so they cannot disagree.
"""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html

from wirralsafe.exports import Number


class LeanTable(tables.Table):
    """A table of selector-built row dicts, rendered by generic/lean_table.html."""

    # Columns exported twice: the typed number, then the words the screen shows beside it
    # (qualifier, unit, "(pending)", "2016/17 figure"), so that nothing on screen is lost.
    export_text_columns: tuple[str, ...] = ()

    class Meta:
        template_name = "generic/lean_table.html"
        attrs = {"class": "table table-sm table-striped table-hover align-middle"}

    def cell_text(self, row: dict, name: str) -> str:
        text = row.get(f"{name}_text")
        if text is None:
            value = row.get(name)
            text = "" if value is None else str(value)
        return text

    def header_cells(self, request) -> list[dict]:
        """Each visible column's header, its sort link and its aria-sort state."""
        params = request.GET.copy()
        params.pop(self.prefixed_page_field, None)
        params.pop("export", None)
        cells = []
        for column in self.columns:
            cell = {"name": column.name, "label": column.header, "url": "", "sort": "none"}
            if column.orderable:
                if column.is_ordered:
                    cell["sort"] = (
                        "descending" if column.order_by_alias.is_descending else ("ascending")
                    )
                params[self.prefixed_order_by_field] = column.order_by_alias.next
                cell["url"] = "?" + params.urlencode()
            cells.append(cell)
        return cells

    def page_rows(self) -> list[list]:
        """The cells of the current page, as (text, url) pairs, ready for the template."""
        names = [column.name for column in self.columns]
        rows = self.page.object_list if hasattr(self, "page") else self.rows
        out = []
        for bound in rows:
            row = bound.record
            cells = []
            for name in names:
                text = self.cell_text(row, name)
                url = row.get(f"{name}_url")
                cells.append(format_html('<a href="{}">{}</a>', url, text) if url else text)
            out.append(cells)
        return out

    def export_header(self) -> list[str]:
        header = []
        for column in self.columns:
            header.append(str(column.header))
            if column.name in self.export_text_columns:
                header.append(f"{column.header} (as shown)")
        return header

    def export_rows(self):
        """Every row of the filtered, sorted data (not just the page), typed."""
        names = [column.name for column in self.columns]
        for bound in self.rows:
            row = bound.record
            values = []
            for name in names:
                if name in self.export_text_columns:
                    values.append(export_number(row, name))
                    values.append(self.cell_text(row, name))
                else:
                    value = row.get(name)
                    values.append(self.cell_text(row, name) if isinstance(value, str) else value)
            yield values


def export_number(row: dict, name: str):
    """The cell's typed value, carrying the decimals the page shows it with when the row says."""
    value = row.get(name)
    places = row.get(f"{name}_places")
    if value is None or places is None:
        return value
    return Number(value, places)


def sortable(name: str, verbose_name: str, **kwargs) -> tables.Column:
    """A column that sorts by the row's ``<name>_sort`` key."""
    return tables.Column(verbose_name=verbose_name, order_by=(f"{name}_sort",), **kwargs)
