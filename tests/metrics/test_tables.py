"""The metrics table: sorting that copes with missing figures, and the export's columns."""

from decimal import Decimal

import pytest
from django.test import RequestFactory
from django_tables2 import RequestConfig

from metrics.tables import MetricTable


def row(name, figure=None, **extra):
    return {
        "name": name,
        "name_url": f"/metrics/{name}/",
        "name_sort": name.lower(),
        "figure": figure,
        "figure_text": "no figure" if figure is None else f"{figure} things",
        "figure_sort": (0,) if figure is None else (1, figure),
        "target_sort": (0,),
        "change_sort": (0,),
        "status_sort": 0,
        **extra,
    }


def configured(rows, **params):
    table = MetricTable(rows)
    RequestConfig(RequestFactory().get("/", params), paginate={"per_page": 25}).configure(table)
    return table


def test_sorting_by_figure_puts_missing_figures_first_and_never_fails():
    table = configured([row("b", Decimal(5)), row("a"), row("c", Decimal("1.5"))], sort="figure")
    assert [r.record["name"] for r in table.page.object_list] == ["a", "c", "b"]
    table = configured([row("b", Decimal(5)), row("a"), row("c", Decimal("1.5"))], sort="-figure")
    assert [r.record["name"] for r in table.page.object_list] == ["b", "c", "a"]


def test_the_export_gives_a_figure_as_a_number_then_as_shown():
    table = configured([row("a", Decimal(5))])
    header = table.export_header()
    at = header.index("Figure")
    assert header[at : at + 2] == ["Figure", "Figure (as shown)"]
    values = next(table.export_rows())
    assert values[at : at + 2] == [Decimal(5), "5 things"]


def test_cells_escape_text_and_link_names():
    table = configured([row("<b>x</b>", Decimal(1), theme="<script>")])
    cells = table.page_rows()[0]
    assert str(cells[0]) == '<a href="/metrics/&lt;b&gt;x&lt;/b&gt;/">&lt;b&gt;x&lt;/b&gt;</a>'
    # Plain text stays a str, which the template escapes.
    theme = cells[[column.name for column in table.columns].index("theme")]
    assert theme == "<script>" and not hasattr(theme, "__html__")


def test_header_links_flip_the_sort_and_keep_the_filters():
    request = RequestFactory().get("/", {"sort": "name", "unit": "count", "page": "2"})
    table = MetricTable([row("a")])
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    name = table.header_cells(request)[0]
    assert name["sort"] == "ascending"
    assert name["url"] == "?sort=-name&unit=count"


@pytest.mark.django_db
def test_every_rows_links_are_the_ones_reverse_gives(demo):
    from metrics.models import Metric
    from metrics.selectors import metric_rows, metrics_queryset
    from programmes.scoping import Role
    from tests import factories as f

    analyst = f.user(Role.ANALYST)
    f.metric(name="Odd slug", slug="odd_slug-2")
    rows = {row["name"]: row for row in metric_rows(analyst, metrics_queryset(analyst), None)}
    assert len(rows) == Metric.objects.count() > 4
    for metric in Metric.objects.select_related("programme"):
        assert rows[metric.name]["name_url"] == metric.get_absolute_url()
        expected = metric.programme.get_absolute_url() if metric.programme_id else None
        assert rows[metric.name]["programme_url"] == expected
