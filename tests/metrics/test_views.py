"""The metrics list and a metric's page."""

import json
from decimal import Decimal

import lxml.html
import pytest
from django.urls import reverse

from metrics.models import Result
from programmes.models import Period, Return
from programmes.scoping import Role
from programmes.services import reopen_return
from tests import factories as f
from tests.screen import (
    as_screen,
    csv_rows,
    response_bytes,
    rows_by_name,
    table_header,
    table_rows,
    xlsx_rows,
)

pytestmark = pytest.mark.django_db

LIST = reverse("metrics:metric_list")


def chart_of(response, chart_id):
    doc = lxml.html.fromstring(response.content)
    return json.loads(doc.get_element_by_id(f"{chart_id}-data").text_content())


def test_the_list_needs_a_login(client, demo):
    assert client.get(LIST).status_code == 302


def test_each_row_gives_figure_target_change_and_status_in_words(analyst_client, demo):
    rows = rows_by_name(analyst_client.get(LIST).content)
    crime = rows["Crime rate"]
    assert (crime["Theme"], crime["Programme"]) == ("Anti-social behaviour", "Area-wide")
    assert crime["Figure"] == "79 per 1,000 population"
    assert crime["Period"] == "2018/19"
    assert crime["Target"] == "70 per 1,000 population"
    assert crime["Change on a year before (%)"] == "↑ up 9.7%, worse (against 2017/18)"
    # A year's figure: no quarter before it.
    assert crime["Change on the quarter before (%)"] == ""
    assert crime["Status"] == "✖ Red"
    assert crime["Position among comparators"].startswith("4th lowest of 15")
    assert rows["ASB reports"]["Change on a year before (%)"] == (
        "↓ down 30%, better (against 2017/18)"
    )
    assert rows["Homes made safer"]["Figure"] == "over 412 homes"


def test_the_figure_and_its_status_come_before_what_the_metric_is_filed_under(analyst_client, demo):
    """On a laptop's screen the columns that matter are in view without scrolling."""
    header = table_header(analyst_client.get(LIST).content)
    assert header[:8] == [
        "Metric",
        "Figure",
        "Period",
        "Target",
        "Change on a year before (%)",
        "Change on the quarter before (%)",
        "Status",
        "Position among comparators",
    ]


def test_the_tables_caption_counts_one_row_as_a_row(analyst_client, demo):
    doc = lxml.html.fromstring(analyst_client.get(LIST, {"q": "Crime rate"}).content)
    caption = doc.get_element_by_id("results-table").xpath("caption")[0].text_content()
    assert caption.startswith("Metrics: 1 row, sortable")


def test_sorting_by_status_puts_red_first(analyst_client, demo):
    rows = rows_by_name(analyst_client.get(LIST, {"sort": "status"}).content)
    assert [r["Status"] for r in rows.values()] == ["✖ Red", "▲ Amber", "✔ Green", "✔ Green"]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_download_holds_the_filtered_sorted_rows_on_screen(analyst_client, demo, kind):
    params = {"direction": "lower", "sort": "-figure"}
    screen = analyst_client.get(LIST, params)
    data = response_bytes(analyst_client.get(LIST, {**params, "export": kind}))
    exported = csv_rows(data) if kind == "csv" else xlsx_rows(data)
    assert as_screen(exported) == (table_header(screen.content), table_rows(screen.content))
    figure = exported[0].index("Figure")
    values = [row[figure] for row in exported[1:]]
    assert values == (["6860", "79"] if kind == "csv" else [6860, 79])


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_download_with_a_filter_that_is_not_valid_is_refused_on_the_page(
    analyst_client, demo, kind
):
    """An invalid filter is left out of the rows: a file made from it would hold rows nobody
    asked for, so the page says what is wrong instead."""
    response = analyst_client.get(LIST, {"unit": "no-such-unit", "export": kind})
    assert response.status_code == 400
    assert not getattr(response, "streaming", False)
    assert "text/html" in response["Content-Type"]
    content = response.content.decode()
    assert "Nothing was downloaded: a filter below is not valid." in content
    assert "Select a valid choice" in content


def test_the_download_keeps_a_decimal_figure_exact(analyst_client, demo):
    data = response_bytes(analyst_client.get(LIST, {"unit": "percentage", "export": "xlsx"}))
    rows = xlsx_rows(data)
    assert rows[1][rows[0].index("Figure")] == 23.5
    assert rows[1][rows[0].index("Figure (as shown)")] == "23.5%"


def test_pending_figures_are_marked_wherever_they_appear(analyst_client, demo):
    y19 = demo["years"][2]
    rows = rows_by_name(analyst_client.get(LIST, {"year": y19.pk, "include_pending": "on"}).content)
    (row,) = rows.values()
    assert (row["Figure"], row["Period"]) == ("95 homes (pending)", "2019/20 Q2")


def test_the_list_runs_the_same_queries_at_twenty_times_the_data(
    analyst_client, django_assert_max_num_queries
):
    f.programmes_with_figures(1)
    with django_assert_max_num_queries(30) as small:
        analyst_client.get(LIST, {"per_page": 100, "status": "green"})
    f.programmes_with_figures(19, start=1)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = analyst_client.get(LIST, {"per_page": 100, "status": "green"})
    assert len(table_rows(response.content)) == 20


def test_the_metric_page_lists_every_period_with_who_reported_it(analyst_client, demo):
    response = analyst_client.get(reverse("metrics:metric_detail", args=["crime-rate"]))
    rows = table_rows(response.content, "metric-history")
    assert [r[0] for r in rows] == ["2017/18", "2018/19"]
    assert rows[1][1:6] == [
        "79 per 1,000 population",
        "70 per 1,000 population",
        "↑ up 9.7%, worse (against 2017/18)",
        "",
        "✖ Red",
    ]
    assert (
        rows[1][6] == "England: 85 per 1,000 population Most similar group: Wirral 4th lowest of 15"
    )
    # The partner, and the person who submitted the return.
    assert rows[1][7].startswith("Merseyside Police (user")


def test_a_count_of_one_reads_in_the_singular_on_the_page(analyst_client, demo):
    # Another partner's: the demo's returns are approved and locked.
    placements = f.metric(
        slug="placements", unit_label="students", unit_label_singular="student", partner=f.partner()
    )
    for start_year, value in [(2017, 1), (2018, 2)]:
        result = f.result(metric=placements, period=f.year_period(start_year), value=value)
        f.approve(result.report_return)
    response = analyst_client.get(reverse("metrics:metric_detail", args=["placements"]))
    rows = table_rows(response.content, "metric-history")
    assert [r[1] for r in rows] == ["1 student", "2 students"]
    assert rows[1][3] == "↑ up 100% (against 2017/18)"


def test_a_small_counts_chart_is_ticked_in_whole_numbers(analyst_client, demo):
    # Another partner's: the demo's returns are approved and locked.
    providers = f.metric(slug="providers", unit_label="providers", partner=f.partner())
    for start_year, value in [(2017, 1), (2018, 3)]:
        f.approve(
            f.result(metric=providers, period=f.year_period(start_year), value=value).report_return
        )
    page = analyst_client.get(reverse("metrics:metric_detail", args=["providers"]))
    assert chart_of(page, "metric-chart")["layout"]["yaxis"]["dtick"] == 1
    # A rate keeps plotly's own ticks: 72.5 per 1,000 is a figure.
    page = analyst_client.get(reverse("metrics:metric_detail", args=["crime-rate"]))
    assert "dtick" not in chart_of(page, "metric-chart")["layout"]["yaxis"]


def test_the_metric_chart_holds_the_values_target_and_comparators(analyst_client, demo):
    response = analyst_client.get(reverse("metrics:metric_detail", args=["crime-rate"]))
    traces = {t["name"]: t for t in chart_of(response, "metric-chart")["data"]}
    assert traces["Year"]["x"] == ["2017/18", "2018/19"]
    assert traces["Year"]["y"] == [72.0, 79.0]
    assert traces["Target"]["y"] == [70.0]
    assert traces["England"]["y"] == [80.0, 85.0]


def test_the_chart_has_quarters_too_when_pending_ones_are_asked_for(analyst_client, demo):
    url = reverse("metrics:metric_detail", args=["homes-made-safer"])
    traces = {
        t["name"]: t
        for t in chart_of(analyst_client.get(url, {"include_pending": "on"}), "metric-chart")[
            "data"
        ]
    }
    assert traces["Quarter"]["x"] == ["2019/20 Q1", "2019/20 Q2"]
    assert traces["Quarter"]["y"] == [110.0, 95.0]


def test_a_figure_for_an_earlier_period_says_so(analyst_client, demo):
    police = demo["partners"][0]
    metric = f.metric(name="Re-offending rate", slug="reoffending", partner=police)
    earlier = Period.objects.create(
        kind=Period.Kind.RANGE,
        start_date="2016-04-01",
        end_date="2017-03-31",
        label_text="April 2016 - March 2017",
    )
    ret = Return.objects.get(partner=police, period=f.year_period(2018))
    reopen_return(report_return=ret, user=f.user(Role.APPROVER), reason="Add a figure")
    Result.objects.create(metric=metric, period=earlier, report_return=ret, value=Decimal("5.22"))
    f.approve(ret)
    page = analyst_client.get(reverse("metrics:metric_detail", args=["reoffending"]))
    # The row is the period's own: its badge says what the row cannot, when it was reported.
    assert table_rows(page.content, "metric-history")[0][:2] == [
        "April 2016 - March 2017",
        "5.22 reported in 2018/19",
    ]
    rows = rows_by_name(analyst_client.get(LIST, {"year": demo["years"][1].pk}).content)
    assert rows["Re-offending rate"]["Figure"] == "5.22 (April 2016 - March 2017 figure)"


def test_the_metric_page_runs_the_same_queries_at_twenty_times_the_data(
    analyst_client, django_assert_max_num_queries
):
    prog = f.programmes_with_figures(1)[0]
    metric = prog.metrics.get()
    url = reverse("metrics:metric_detail", args=[metric.slug])
    with django_assert_max_num_queries(20) as small:
        analyst_client.get(url)
    # A later return reporting nineteen earlier years, approved once its figures are in.
    ret = f.report_return(partner=metric.partner, period=f.year_period(2020))
    for start in range(1995, 2014):
        Result.objects.create(
            metric=metric, period=f.year_period(start), report_return=ret, value=start - 1990
        )
    f.approve(ret)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = analyst_client.get(url)
    assert len(table_rows(response.content, "metric-history")) == 21


def test_a_figure_for_part_of_the_year_is_the_years_figure_with_its_span(analyst_client, demo):
    police = demo["partners"][0]
    metric = f.metric(name="Fit and Fed", slug="fit-and-fed", partner=police, unit_label="people")
    summer = Period.objects.create(
        kind=Period.Kind.RANGE,
        start_date="2018-07-01",
        end_date="2018-08-31",
        label_text="July - August 2018",
    )
    ret = f.report_return(partner=police, period=f.quarter_period(2018, 2))
    Result.objects.create(
        metric=metric, period=summer, report_return=ret, value=500, qualifier="over"
    )
    f.approve(ret)
    rows = rows_by_name(analyst_client.get(LIST, {"year": demo["years"][1].pk}).content)
    assert rows["Fit and Fed"]["Figure"] == "over 500 people (July - August 2018 figure)"
