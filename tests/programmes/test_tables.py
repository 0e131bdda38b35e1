"""The programmes table: sorting by money and by status, and the export's columns."""

from decimal import Decimal

from django.test import RequestFactory
from django_tables2 import RequestConfig

from programmes.tables import ProgrammeTable


def row(name, funding, status_sort):
    return {
        "name": name,
        "name_sort": name,
        "funding": funding,
        "funding_text": "not published" if funding is None else f"£{funding:,}",
        "funding_sort": (0,) if funding is None else (1, funding),
        "status": "",
        "status_sort": status_sort,
        "metrics": 1,
    }


def names(table):
    return [r.record["name"] for r in table.page.object_list]


def configured(rows, **params):
    table = ProgrammeTable(rows)
    RequestConfig(RequestFactory().get("/", params), paginate={"per_page": 25}).configure(table)
    return table


def test_funding_sorts_as_money_with_unpublished_amounts_apart():
    rows = [row("a", Decimal(900), (2,)), row("b", None, (1,)), row("c", Decimal(12000), (0,))]
    assert names(configured(rows, sort="-funding")) == ["c", "a", "b"]


def test_status_sorts_worst_first():
    rows = [
        row("a", Decimal(900), (2, 0, 0)),
        row("b", None, (0, -2, 0)),
        row("c", None, (0, -1, 0)),
    ]
    assert names(configured(rows, sort="status")) == ["b", "c", "a"]


def test_the_export_gives_money_as_a_number_and_as_shown():
    table = configured([row("a", Decimal("12500.50"), (0,))])
    header = table.export_header()
    i = header.index("Allocated (£)")
    assert header[i + 1] == "Allocated (£) (as shown)"
    values = next(table.export_rows())
    assert values[i : i + 2] == [Decimal("12500.50"), "£12,500.50"]
