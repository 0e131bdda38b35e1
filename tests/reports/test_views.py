"""The dashboard: headline tiles, the RAG summary and the latest quarter's returns."""

import json

import lxml.html
import pytest
from django.urls import reverse

from metrics.models import Result
from programmes.models import Return
from programmes.scoping import Role
from tests import factories as f
from tests.screen import table_rows

pytestmark = pytest.mark.django_db

HOME = reverse("reports:dashboard")


def tiles(response) -> dict[str, str]:
    doc = lxml.html.fromstring(response.content)
    return {
        tile.xpath(".//h3")[0].text_content().strip(): " ".join(tile.text_content().split())
        for tile in doc.xpath('//section[contains(@class, "tile")]')
    }


def test_the_dashboard_needs_a_login(client):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_defaults_to_the_latest_year_with_approved_figures(analyst_client, demo):
    response = analyst_client.get(HOME)
    assert response.context["year"] == demo["years"][1]


def test_headline_tiles_give_change_in_words_and_comparator_position(analyst_client, demo):
    shown = tiles(analyst_client.get(HOME))
    assert set(shown) == {"Homes made safer", "ASB reports", "Crime rate"}
    assert "6,860 reports" in shown["ASB reports"]
    assert "down 30%, better (against 2017/18)" in shown["ASB reports"]
    assert "↓" in shown["ASB reports"]
    assert "4th lowest of 15 (Most similar group)" in shown["Crime rate"]
    assert "✖ Red" in shown["Crime rate"]
    assert "over 412 homes" in shown["Homes made safer"]


def test_the_rag_summary_counts_every_metric_including_those_without_a_target(analyst_client, demo):
    f.metric(name="Untargeted", slug="untargeted")
    response = analyst_client.get(HOME)
    summary = dict(tuple(row) for row in table_rows(response.content, "rag-summary"))
    assert summary == {
        "✔ Green": "2",
        "▲ Amber": "1",
        "✖ Red": "1",
        "○ No target": "0",
        "◌ No figure": str(response.context["metric_count"] - 4),
    }
    doc = lxml.html.fromstring(response.content)
    chart = json.loads(doc.get_element_by_id("rag-chart-data").text_content())
    assert chart["data"][0]["y"] == [int(v) for v in summary.values()]


def heading(response, element_id) -> str:
    return lxml.html.fromstring(response.content).get_element_by_id(element_id).text_content()


def test_the_rag_heading_names_the_year_and_counts_in_words(analyst_client, demo):
    assert heading(analyst_client.get(HOME), "rag-heading") == "RAG status, 2018/19: all 4 metrics"


def test_a_single_metric_is_not_all_1_metrics(analyst_client):
    # Built directly: the result builder makes a spare metric for its default.
    metric = f.metric()
    year = f.year_period(2018)
    ret = Return.objects.create(partner=metric.partner, period=year)
    Result.objects.create(metric=metric, period=year, report_return=ret, value=1)
    f.approve(ret)
    assert heading(analyst_client.get(HOME), "rag-heading") == "RAG status, 2018/19: 1 metric"


def test_completeness_shows_each_partners_return_for_the_latest_quarter(analyst_client, demo):
    rows = table_rows(analyst_client.get(HOME).content, "returns-summary")
    assert rows == [
        ["Family Safety Unit", "Submitted"],
        ["Merseyside Police", "Draft"],
        ["Wirral Council", "Not started"],
    ]


def test_a_commissioner_is_told_only_that_a_return_is_not_yet_approved(client, demo):
    client.force_login(f.user(Role.COMMISSIONER))
    rows = table_rows(client.get(HOME).content, "returns-summary")
    assert [r[1] for r in rows] == ["Not yet approved", "Not yet approved", "Not started"]


def make_pending(report_return):
    """Reopen an approved return and submit it again: its figures are then pending."""
    from programmes.services import reopen_return

    reopen_return(report_return=report_return, user=f.user(Role.APPROVER), reason="Recheck")
    f.submit(report_return)


def test_a_commissioner_cannot_bring_pending_figures_into_the_dashboard(client, demo):
    make_pending(Return.objects.get(period=f.year_period(2018), partner=demo["partners"][1]))
    client.force_login(f.user(Role.COMMISSIONER))
    shown = tiles(client.get(HOME, {"include_pending": "on"}))
    assert "No figure for 2018/19" in shown["ASB reports"]


def test_an_analyst_may_include_pending_figures_marked_so(analyst_client, demo):
    make_pending(Return.objects.get(period=f.year_period(2018), partner=demo["partners"][1]))
    shown = tiles(analyst_client.get(HOME, {"include_pending": "on", "year": demo["years"][1].pk}))
    assert "6,860 reports" in shown["ASB reports"]
    assert "(pending)" in shown["ASB reports"]
    assert "(pending)" not in shown["Crime rate"]


def test_the_year_picker_chooses_the_year(analyst_client, demo):
    response = analyst_client.get(HOME, {"year": demo["years"][0].pk})
    shown = tiles(response)
    assert "9,800 reports" in shown["ASB reports"]
    assert "down" not in shown["ASB reports"]


def test_the_dashboard_runs_the_same_queries_at_twenty_times_the_data(
    analyst_client, django_assert_max_num_queries
):
    f.programmes_with_figures(1)
    f.report_return(partner=f.partner(), period=f.quarter_period(2019, 1))
    with django_assert_max_num_queries(30) as small:
        analyst_client.get(HOME)
    f.programmes_with_figures(19, start=1)
    for _ in range(19):
        f.report_return(partner=f.partner(), period=f.quarter_period(2019, 1))
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = analyst_client.get(HOME)
    assert len(tiles(response)) == 20


PAGES = [
    ("reports:dashboard", []),
    ("programmes:programme_list", []),
    ("programmes:programme_detail", ["target-hardening"]),
    ("metrics:metric_list", []),
    ("metrics:metric_detail", ["crime-rate"]),
]


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_every_page_sends_an_anonymous_visitor_to_log_in(client, demo, name, args):
    url = reverse(name, args=args)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("name", "args"), PAGES)
def test_every_role_can_open_every_page(client, demo, role, name, args):
    client.force_login(f.user(role))
    assert client.get(reverse(name, args=args)).status_code == 200


@pytest.mark.parametrize(("name", "args"), PAGES[2::2])
def test_a_user_with_no_role_finds_no_programme_or_metric(client, demo, name, args):
    client.force_login(f.user())
    assert client.get(reverse(name, args=args)).status_code == 404


def test_the_menu_links_the_returns_page_for_those_who_may_use_it(client):
    client.force_login(f.user(Role.ANALYST))
    assert reverse("returns:grid") in client.get(HOME).content.decode()
    client.force_login(f.user(Role.COMMISSIONER))
    assert reverse("returns:grid") not in client.get(HOME).content.decode()


def test_the_dashboard_and_the_returns_page_count_the_same_partners(analyst_client, demo):
    import lxml.html

    # A partner leading a programme but reporting no metric counts on both; one doing
    # neither counts on neither.
    f.programme(lead_partner=f.partner(name="Leads only"))
    f.partner(name="Does nothing")
    dashboard = [r[0] for r in table_rows(analyst_client.get(HOME).content, "returns-summary")]
    doc = lxml.html.fromstring(analyst_client.get(reverse("returns:grid")).content)
    grid = [th.text_content().strip() for th in doc.xpath("//table/tbody/tr/th")]
    assert dashboard == grid
    assert "Leads only" in grid
    assert "Does nothing" not in grid


def test_ids_in_the_page_are_never_printed_with_thousands_separators(analyst_client, demo):
    f.metric(pk=12345, name="Big id", is_headline=True)
    page = analyst_client.get(HOME).content.decode()
    assert 'id="tile-12345"' in page
    assert "12,345" not in page


def test_no_template_comment_is_printed_on_the_page(analyst_client, demo):
    # Django's {# #} comment ends at the line's end: one that runs on is printed as text.
    text = lxml.html.fromstring(analyst_client.get(HOME).content).text_content()
    assert "{#" not in text and "#}" not in text


def test_every_template_comment_is_closed_on_its_own_line():
    from pathlib import Path

    from django.conf import settings

    unclosed = [
        f"{path.name}:{number}"
        for folder in settings.TEMPLATES[0]["DIRS"]
        for path in Path(folder).rglob("*.html")
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if line.count("{#") > line.count("#}")
    ]
    assert unclosed == []


def test_a_tile_names_a_part_year_figures_period_once(analyst_client, demo):
    from programmes.models import Period

    summer = Period.objects.create(
        kind=Period.Kind.RANGE,
        start_date="2018-07-01",
        end_date="2018-08-31",
        label_text="July - August 2018",
    )
    # Built directly: the result builder makes a spare metric for its default.
    metric = f.metric(name="Young people in Fit and Fed", is_headline=True)
    ret = Return.objects.create(partner=metric.partner, period=f.year_period(2018))
    Result.objects.create(metric=metric, period=summer, report_return=ret, value=500)
    f.approve(ret)
    tile = tiles(analyst_client.get(HOME))["Young people in Fit and Fed"]
    assert "500 July - August 2018 figure ○ No target" in tile
    assert tile.count("July - August 2018") == 1
