"""The programmes list and page: what they show, to whom, in how many queries, and downloads."""

import lxml.html
import pytest
from django.urls import reverse

from programmes.scoping import Role
from tests import factories as f
from tests.screen import (
    as_screen,
    csv_rows,
    response_bytes,
    table_header,
    table_rows,
    xlsx_rows,
)

pytestmark = pytest.mark.django_db

LIST = reverse("programmes:programme_list")


def test_the_list_needs_a_login(client, demo):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_list_shows_funding_in_pounds_or_says_not_published(analyst_client, demo):
    rows = table_rows(analyst_client.get(LIST).content)
    by_name = {row[0]: row for row in rows}
    assert by_name["Target Hardening"][4] == "£20,000"
    assert by_name["Challenging racism and hate crime"][4] == "£12,500.50"
    assert by_name["Anti Social Behaviour reduction"][4] == "not published"


def test_the_list_gives_each_programmes_rag_statuses_in_words(analyst_client, demo):
    rows = {row[0]: row for row in table_rows(analyst_client.get(LIST).content)}
    assert rows["Challenging racism and hate crime"][6] == "▲ 1 amber"
    assert rows["Target Hardening"][6] == "✔ 1 green"


def test_sorting_by_funding_puts_the_largest_first_when_descending(analyst_client, demo):
    rows = table_rows(analyst_client.get(LIST, {"sort": "-funding"}).content)
    assert [r[0] for r in rows] == [
        "Target Hardening",
        "Challenging racism and hate crime",
        "Anti Social Behaviour reduction",
    ]


def test_rows_per_page_is_the_users_choice(analyst_client):
    f.programmes_with_figures(12)
    assert len(table_rows(analyst_client.get(LIST, {"per_page": 10}).content)) == 10
    assert len(table_rows(analyst_client.get(LIST, {"per_page": 25}).content)) == 12
    second = analyst_client.get(LIST, {"per_page": 10, "page": 2})
    assert len(table_rows(second.content)) == 2


def _screen_and_export(client, params, kind):
    screen = client.get(LIST, {**params, "per_page": 100})
    export = client.get(LIST, {**params, "export": kind})
    data = response_bytes(export)
    rows = csv_rows(data) if kind == "csv" else xlsx_rows(data)
    return table_header(screen.content), table_rows(screen.content), rows


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_download_holds_the_filtered_sorted_rows_on_screen(analyst_client, demo, kind):
    params = {"funding_stream": demo["streams"][0].pk, "sort": "-funding"}
    header, screen, exported = _screen_and_export(analyst_client, params, kind)
    assert as_screen(exported) == (header, screen)
    assert len(screen) == 2


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_download_types_money_as_a_number(analyst_client, demo, kind):
    _, _, exported = _screen_and_export(analyst_client, {"sort": "-funding"}, kind)
    funding = exported[0].index("Allocated (£)")
    values = [row[funding] for row in exported[1:]]
    if kind == "xlsx":
        assert values == [20000, 12500.5, None]
    else:
        assert values == ["20000", "12500.5", ""]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_download_begins_before_its_rows_are_read(analyst_client, demo, monkeypatch, kind):
    from programmes.listing import programme_rows
    from programmes.views import ProgrammeListView

    read = []

    def recording_rows(*args, **kwargs):
        read.append(True)
        return programme_rows(*args, **kwargs)

    monkeypatch.setattr(ProgrammeListView, "row_selector", recording_rows)
    params = {"funding_stream": demo["streams"][0].pk, "sort": "-funding"}
    response = analyst_client.get(LIST, {**params, "export": kind})
    assert response.streaming
    assert f'filename="programmes-2018-19.{kind}"' in response["Content-Disposition"]
    chunks = iter(response.streaming_content)
    assert next(chunks) == b""
    assert read == []
    data = b"".join(chunks)
    assert read == [True]
    rows = csv_rows(data) if kind == "csv" else xlsx_rows(data)
    screen = analyst_client.get(LIST, {**params, "per_page": 100})
    assert as_screen(rows) == (table_header(screen.content), table_rows(screen.content))


def test_the_export_escapes_text_a_spreadsheet_would_run(analyst_client):
    f.programme(name="=HYPERLINK(evil)", slug="evil")
    rows = csv_rows(response_bytes(analyst_client.get(LIST, {"export": "csv"})))
    assert [r[0] for r in rows if "HYPERLINK" in r[0]] == ["'=HYPERLINK(evil)"]


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


def test_the_page_shows_allocations_activities_outcomes_and_metrics(analyst_client, demo):
    response = analyst_client.get(reverse("programmes:programme_detail", args=["target-hardening"]))
    text = response.content.decode()
    assert "£20,000" in text
    assert "Fit locks, alarms and door chains" in text
    assert "Victims feel and are safer at home." in text
    assert "Over 400 homes were made safer." in text
    history = table_rows(response.content, "history-homes-made-safer")
    assert history[0][:6] == ["2017/18", "380 homes", "no target", "", "", "○ No target"]
    assert history[1][:6] == [
        "2018/19",
        "over 412 homes",
        "400 homes",
        "↑ about up 8.4%, better (against 2017/18)",
        "",
        "✔ Green",
    ]


def test_a_commissioner_never_sees_submitted_figures_on_the_page(client, demo):
    client.force_login(f.user(Role.COMMISSIONER))
    url = reverse("programmes:programme_detail", args=["target-hardening"])
    history = table_rows(
        client.get(url, {"include_pending": "on"}).content, "history-homes-made-safer"
    )
    assert [row[0] for row in history] == ["2017/18", "2018/19"]


def test_an_analyst_may_include_submitted_figures_marked_pending(analyst_client, demo):
    url = reverse("programmes:programme_detail", args=["target-hardening"])
    history = table_rows(
        analyst_client.get(url, {"include_pending": "on"}).content, "history-homes-made-safer"
    )
    assert history[2][:2] == ["2019/20 Q1", "110 homes (pending)"]
    plain = table_rows(analyst_client.get(url).content, "history-homes-made-safer")
    assert len(plain) == 2


def test_the_page_runs_the_same_queries_at_twenty_times_the_data(
    analyst_client, django_assert_max_num_queries
):
    prog = f.programmes_with_figures(1)[0]
    url = reverse("programmes:programme_detail", args=[prog.slug])
    with django_assert_max_num_queries(30) as small:
        analyst_client.get(url)
    more = f.programmes_with_figures(19, start=1)
    # Twenty times the programme's own rows: move the other programmes' metrics onto it.
    for other in more:
        other.metrics.update(programme=prog)
        other.activities.update(programme=prog)
        other.allocations.all().delete()
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = analyst_client.get(url)
    assert (
        response.content.decode().count(
            'class="table table-sm table-striped align-middle history-table"'
        )
        == 20
    )


def test_an_unknown_programme_is_not_found(analyst_client):
    assert (
        analyst_client.get(reverse("programmes:programme_detail", args=["nope"])).status_code == 404
    )


def test_a_status_resting_on_pending_figures_says_so(analyst_client, demo):
    y19 = demo["years"][2]
    rows = table_rows(analyst_client.get(LIST, {"year": y19.pk, "include_pending": "on"}).content)
    assert rows[0][0] == "Target Hardening"
    assert rows[0][6] == "○ 1 no target (includes pending figures)"


def test_a_partner_editor_sees_approved_figures_only_even_their_own(client, demo):
    fsu = demo["partners"][2]
    client.force_login(f.user(Role.PARTNER_EDITOR, partners=(fsu,)))
    url = reverse("programmes:programme_detail", args=["target-hardening"])
    history = table_rows(
        client.get(url, {"include_pending": "on"}).content, "history-homes-made-safer"
    )
    assert [row[0] for row in history] == ["2017/18", "2018/19"]
    assert not any("(pending)" in cell for row in history for cell in row)


def test_a_bad_filter_value_is_named_and_the_rest_still_applies(analyst_client, demo):
    response = analyst_client.get(LIST, {"year": "nonsense", "q": "hardening"})
    assert response.status_code == 200
    alert = lxml.html.fromstring(response.content).get_element_by_id("filters-not-applied")
    assert alert.get("role") == "alert"
    assert " ".join(alert.text_content().split()) == (
        "Not applied: Year — “nonsense” is not a year written like 2018/19. "
        "The list below is not filtered by it."
    )
    assert [r[0] for r in table_rows(response.content)] == ["Target Hardening"]


def test_the_workbook_says_what_it_holds_and_reads_like_the_page(analyst_client, demo):
    import io

    from openpyxl import load_workbook

    stream = demo["streams"][0]
    response = analyst_client.get(LIST, {"funding_stream": stream.pk, "export": "xlsx"})
    assert 'filename="programmes-2018-19.xlsx"' in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response_bytes(response)))
    sheet = wb["Programmes"]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
    funding = [c.value for c in sheet[1]].index("Allocated (£)")
    money = [row[funding] for row in sheet.iter_rows(min_row=2) if row[funding].value]
    assert money and all(c.number_format.startswith("#,##0") for c in money)
    about = {row[0]: row[1] for row in wb["About"].iter_rows(values_only=True)}
    assert about["Filter: Funding stream"] == stream.name
    assert about["Figures for"] == "2018/19"
    assert about["Figures counted"] == "approved only"
