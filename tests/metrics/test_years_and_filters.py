"""Years in links, filters that cannot be applied, and which year a page shows and why."""

import lxml.html
import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from metrics.filtersets import MetricFilterSet
from metrics.selectors import STATUS_CHOICES, metrics_queryset
from programmes.filtersets import ProgrammeFilterSet
from programmes.listing import programmes_queryset
from programmes.scoping import Role
from tests import factories as f
from tests.screen import table_rows
from wirralsafe.forms import FigureOptionsForm, YearChoiceField

pytestmark = pytest.mark.django_db

LIST = reverse("metrics:metric_list")
PROGRAMMES = reverse("programmes:programme_list")
DASHBOARD = reverse("reports:dashboard")
RETURNS = reverse("returns:grid")


def row_count(client, url, **params) -> int:
    """The count the list prints above its table ("12 rows.")."""
    response = client.get(url, params)
    assert response.status_code == 200
    status = lxml.html.fromstring(response.content).xpath('//p[@role="status"]')[0]
    return int(text_of(status).split(" ")[0])


def dashboard_counts(client, **params) -> dict[str, int]:
    html = client.get(DASHBOARD, params).content
    # "✔ Green" -> "Green": the symbol is beside the words.
    return {row[0].split(" ", 1)[1]: int(row[1]) for row in table_rows(html, "rag-summary")}


def by_id(html: bytes, element_id: str):
    return lxml.html.fromstring(html).get_element_by_id(element_id, None)


def text_of(element) -> str:
    return " ".join(element.text_content().split())


def current_start_year() -> int:
    today = timezone.localdate()
    return today.year if today.month >= 4 else today.year - 1


def approve_a_quarter(metric, start_year: int, quarter: int = 1) -> None:
    period = f.quarter_period(start_year, quarter)
    result = f.result(metric=metric, period=period, value=7)
    f.approve(result.report_return)


# --- 1. "No figure" lists what the dashboard counts -------------------------------------------


@pytest.mark.parametrize("pending", [{}, {"include_pending": "on"}])
def test_the_dashboards_rag_counts_are_the_row_counts_of_the_metrics_list(
    analyst_client, demo, pending
):
    f.metric(name="Never reported", partner=demo["partners"][0])
    seen_no_figure = 0
    for fy in demo["years"]:
        counts = dashboard_counts(analyst_client, year=fy.label, **pending)
        listed = {
            label: row_count(analyst_client, LIST, year=fy.label, status=key, **pending)
            for key, label in STATUS_CHOICES
        }
        assert listed == counts, fy.label
        seen_no_figure += counts["No figure"]
    # 2017/18 and 2018/19: the metric never reported; 2019/20: every metric but those pending.
    assert seen_no_figure >= 5


def test_no_figure_lists_every_metric_without_a_figure_that_year(demo, analyst):
    y18, y19 = demo["years"][1], demo["years"][2]
    f.metric(name="Never reported", slug="never-reported", partner=demo["partners"][0])

    def filtered(**params):
        request = RequestFactory().get(LIST, params)
        request.user = analyst
        fs = MetricFilterSet(request.GET, queryset=metrics_queryset(analyst), request=request)
        return set(fs.qs.values_list("slug", flat=True))

    everything = {"homes-made-safer", "asb-reports", "crime-rate", "hate-crimes-solved"}
    assert filtered(year=y18.label, status="no_figure") == {"never-reported"}
    assert filtered(year=y19.label, status="no_figure") == everything | {"never-reported"}
    assert filtered(year=y19.label, status="no_figure", include_pending="on") == (
        everything - {"homes-made-safer"} | {"never-reported"}
    )
    # Without that status a year still keeps the metrics with a counted figure that year.
    assert filtered(year=y18.label) == everything


def test_programmes_with_a_metric_missing_its_figure_are_listed_like_the_metrics(demo, analyst):
    y19 = demo["years"][2]

    def filtered(**params):
        request = RequestFactory().get(PROGRAMMES, params)
        request.user = analyst
        fs = ProgrammeFilterSet(request.GET, queryset=programmes_queryset(analyst), request=request)
        return set(fs.qs.values_list("slug", flat=True))

    # No programme is funded, delivering or reporting in 2019/20 (approved figures only), yet
    # every one has a metric that /metrics/?year=2019/20&status=no_figure lists.
    assert filtered(year=y19.label) == set()
    assert filtered(year=y19.label, status="no_figure") == {
        "target-hardening",
        "hate-crime-challenge",
        "asb-reduction",
    }


# --- 2. A filter that is not valid is said so at the top ---------------------------------------


def test_a_filter_not_valid_is_named_at_the_top_of_the_list_with_why(analyst_client, demo):
    response = analyst_client.get(LIST, {"theme": "999", "status": "purple", "q": "crime rate"})
    assert response.status_code == 200
    alert = by_id(response.content, "filters-not-applied")
    assert alert.get("role") == "alert"
    assert [text_of(p) for p in alert.xpath("./p")] == [
        "Not applied: Theme — there is no such theme. The list below is not filtered by it.",
        "Not applied: RAG status — “purple” is not one of its choices (Green, Amber, Red, "
        "No target, No figure). The list below is not filtered by it.",
    ]
    # The filters that are valid still apply.
    assert [row[0] for row in table_rows(response.content)] == ["Crime rate"]
    assert analyst_client.get(LIST, {"theme": "999", "export": "csv"}).status_code == 400


def test_valid_filters_raise_no_alert(analyst_client, demo):
    response = analyst_client.get(LIST, {"theme": demo["themes"][0].pk, "status": "red"})
    assert by_id(response.content, "filters-not-applied") is None


def test_the_dashboard_says_when_the_year_asked_for_does_not_exist(analyst_client, demo):
    response = analyst_client.get(DASHBOARD, {"year": "2030/31"})
    notice = by_id(response.content, "year-notice")
    assert notice.get("role") == "alert"
    assert text_of(notice) == "There is no year 2030/31; showing 2018/19."
    assert by_id(analyst_client.get(DASHBOARD, {"year": "2018/19"}).content, "year-notice") is None


def test_the_returns_page_says_when_the_year_asked_for_is_not_offered(analyst_client, demo):
    shown = f"{current_start_year()}/{(current_start_year() + 1) % 100:02d}"
    notice = by_id(analyst_client.get(RETURNS, {"year": "1999/00"}).content, "year-notice")
    assert text_of(notice) == f"There is no year 1999/00; showing {shown}."
    html = analyst_client.get(RETURNS, {"year": "2018/19"}).content
    assert by_id(html, "year-notice") is None
    assert "Returns by partner and quarter in 2018/19" in html.decode()


# --- 3. Years in links are their labels ---------------------------------------------------------


def selected_year(html: bytes) -> str:
    (option,) = lxml.html.fromstring(html).xpath('//select[@name="year"]/option[@selected]')
    return option.get("value")


def test_a_year_label_in_a_link_filters_the_list_and_round_trips_through_the_form(
    analyst_client, demo
):
    y19 = demo["years"][2]
    params = {"year": "2019/20", "include_pending": "on"}
    response = analyst_client.get(LIST, params)
    assert [row[0] for row in table_rows(response.content)] == ["Homes made safer"]
    # The form sends back what it was given, and the list is the same again.
    assert selected_year(response.content) == "2019/20"
    again = analyst_client.get(LIST, {**params, "year": selected_year(response.content)})
    assert table_rows(again.content) == table_rows(response.content)
    # An old link with the year's id still works, and is shown with the label.
    old = analyst_client.get(LIST, {**params, "year": str(y19.pk)})
    assert table_rows(old.content) == table_rows(response.content)
    assert selected_year(old.content) == "2019/20"
    assert by_id(old.content, "filters-not-applied") is None


def test_old_year_ids_and_labels_work_on_programmes_and_the_dashboard(analyst_client, demo):
    y17 = demo["years"][0]
    by_label = analyst_client.get(PROGRAMMES, {"year": "2017/18"})
    by_id_ = analyst_client.get(PROGRAMMES, {"year": y17.pk})
    assert table_rows(by_label.content) == table_rows(by_id_.content)
    assert selected_year(by_id_.content) == "2017/18"
    for year in ("2017/18", str(y17.pk)):
        html = analyst_client.get(DASHBOARD, {"year": year}).content
        assert text_of(lxml.html.fromstring(html).xpath("//h1")[0]) == "Dashboard 2017/18"
        assert selected_year(html) == "2017/18"


def test_every_year_choice_is_the_one_field_with_labels_as_values(demo, analyst):
    request = RequestFactory().get("/")
    request.user = analyst
    fields = [
        FigureOptionsForm(user=analyst).fields["year"],
        MetricFilterSet(None, queryset=metrics_queryset(analyst), request=request).form.fields[
            "year"
        ],
        ProgrammeFilterSet(
            None, queryset=programmes_queryset(analyst), request=request
        ).form.fields["year"],
    ]
    for field in fields:
        assert isinstance(field, YearChoiceField)
        assert [(str(v), label) for v, label in field.choices] == [
            ("", "Latest complete year with figures"),
            ("2019/20", "2019/20"),
            ("2018/19", "2018/19"),
            ("2017/18", "2017/18"),
        ]


@pytest.mark.parametrize(
    "value, error",
    [
        ("2030/31", "there is no year 2030/31"),
        ("2018/20", "there is no year 2018/20"),
        ("999", "there is no year numbered 999"),
        ("99999999999999999999", "there is no year numbered 99999999999999999999"),
        ("last year", "“last year” is not a year written like 2018/19"),
    ],
)
def test_a_year_that_is_not_held_is_refused_with_its_reason(demo, analyst, value, error):
    form = FigureOptionsForm({"year": value}, user=analyst)
    assert not form.is_valid()
    assert form.errors["year"] == [error]


# --- 4. The default year says what it is, and points to a later year under way ------------------


def test_the_default_year_is_named_and_a_later_year_under_way_is_linked(analyst_client, demo):
    current = current_start_year()
    approve_a_quarter(demo["metrics"][2], current)
    label = f"{current}/{(current + 1) % 100:02d}"
    for url, lead_id in ((LIST, None), (PROGRAMMES, None), (DASHBOARD, "year-shown")):
        html = analyst_client.get(url, {"q": "crime"} if url == LIST else {}).content
        link = by_id(html, "year-under-way")
        lead = link.getparent()
        assert lead_id is None or lead.get("id") == lead_id
        assert "2018/19, the latest complete year with figures" in text_of(lead)
        assert f"{label} is under way and has figures so far: show {label}." in text_of(lead)
        followed = analyst_client.get(url + link.get("href"))
        assert selected_year(followed.content) == label
        assert by_id(followed.content, "year-under-way") is None
    # The link keeps the other filters.
    href = by_id(analyst_client.get(LIST, {"q": "crime"}).content, "year-under-way").get("href")
    assert [row[0] for row in table_rows(analyst_client.get(LIST + href).content)] == ["Crime rate"]


def test_no_link_when_no_later_year_is_under_way(analyst_client, demo):
    for url in (LIST, DASHBOARD):
        assert by_id(analyst_client.get(url).content, "year-under-way") is None


def test_a_year_under_way_shown_by_default_is_not_called_complete(client):
    current = current_start_year()
    approve_a_quarter(f.metric(), current)
    client.force_login(f.user(Role.ANALYST))
    lead = text_of(by_id(client.get(DASHBOARD).content, "year-shown"))
    label = f"{current}/{(current + 1) % 100:02d}"
    assert lead == f"Showing {label}, still under way: no complete year has figures yet."
