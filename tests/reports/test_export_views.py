"""The Excel pages: who may use them, the downloads, and upload → preview → confirm."""

import io
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from metrics.models import Result
from programmes.scoping import Role
from reports.export_views import SESSION_KEY
from tests import factories as f
from tests.reports.test_return_import import good, snapshot
from tests.reports.workbooks import row_of, to_bytes

pytestmark = pytest.mark.django_db

URLS = ["reports:report_index", "reports:return_template_download", "reports:return_upload"]


@pytest.fixture(autouse=True)
def private_upload_dir(settings, tmp_path):
    settings.RETURN_UPLOAD_DIR = tmp_path / "uploads"
    return settings.RETURN_UPLOAD_DIR


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("name", URLS)
def test_anonymous_users_are_sent_to_log_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", URLS)
def test_users_without_a_role_are_refused(client, name):
    client.force_login(f.user())
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", ["reports:return_template_download", "reports:return_upload"])
def test_commissioners_may_not_download_or_upload_returns(client, commissioner, name):
    client.force_login(commissioner)
    assert client.get(reverse(name)).status_code == 403


def test_commissioners_see_no_pending_choice_and_download_approved_figures(
    client, report_data, commissioner
):
    client.force_login(commissioner)
    page = client.get(reverse("reports:report_index"))
    assert page.status_code == 200
    assert b"include_pending" not in page.content
    assert b"2018/19" in page.content
    response = client.get(
        reverse("reports:report_index"),
        {"download": "1", "year": "2018/19", "include_pending": "on"},
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == ('attachment; filename="funding-report-2018-19.xlsx"')
    wb = load_workbook(io.BytesIO(body(response)))
    values = {r[0]: r[11] for r in wb["Metrics"].iter_rows(values_only=True)}
    assert values["Anti-social behaviour incidents"] == 6029
    # Its only figure is awaiting approval: like the metrics list for the year, not a row.
    assert "Referrals awaiting approval" not in values


def test_analysts_may_include_pending_figures(client, report_data, analyst):
    client.force_login(analyst)
    assert b'name="include_pending"' in client.get(reverse("reports:report_index")).content
    response = client.get(
        reverse("reports:report_index"),
        {"download": "1", "year": "2018/19", "include_pending": "on"},
    )
    assert "funding-report-2018-19-with-pending.xlsx" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(body(response)))
    values = {r[0]: r[11] for r in wb["Metrics"].iter_rows(values_only=True)}
    assert values["Referrals awaiting approval"] == 77


def test_an_unknown_year_is_a_form_error_not_a_crash(client, report_data, commissioner):
    client.force_login(commissioner)
    response = client.get(reverse("reports:report_index"), {"download": "1", "year": "2031/32"})
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content


def test_a_partner_editor_downloads_their_own_workbook(client, return_data):
    client.force_login(return_data.editor)
    page = client.get(reverse("reports:return_template_download"))
    assert b"Family Safety Unit" in page.content
    assert b"Fire and Rescue" not in page.content
    response = client.get(
        reverse("reports:return_template_download"),
        {"partner": return_data.partner.pk, "quarter": "2019/20 Q1", "download": "1"},
    )
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(body(response)))
    assert row_of(wb["Figures"], "champions") >= 2


def test_a_partner_editor_cannot_download_another_partners_workbook(client, return_data):
    client.force_login(return_data.editor)
    response = client.get(
        reverse("reports:return_template_download"),
        {"partner": return_data.other_partner.pk, "quarter": "2019/20 Q1", "download": "1"},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert b"Select a valid choice" in response.content


def upload(client, payload: bytes, name="return.xlsx"):
    file = io.BytesIO(payload)
    file.name = name
    return client.post(reverse("reports:return_upload"), {"file": file})


def test_upload_previews_changes_then_confirm_applies_them_all(
    client, return_data, private_upload_dir
):
    client.force_login(return_data.editor)
    before = snapshot()
    preview = upload(client, to_bytes(good(return_data)))
    assert preview.status_code == 200
    content = preview.content.decode()
    assert "Champions trained" in content and "over 62 champions" in content
    assert "Save all 3 changes" in content
    assert snapshot() == before
    stashed = client.session[SESSION_KEY]
    assert (Path(private_upload_dir) / f"{stashed['token']}.xlsx").is_file()

    done = client.post(
        reverse("reports:return_upload"), {"confirm": "1", "token": stashed["token"]}
    )
    assert done.status_code == 200
    assert "Quarterly workbook saved" in done.content.decode()
    assert Result.objects.get(metric=return_data.count, period__financial_year__start_year=2019)
    assert not list(Path(private_upload_dir).iterdir())
    assert SESSION_KEY not in client.session


def test_upload_with_problems_lists_them_by_sheet_row_and_column(client, return_data):
    client.force_login(return_data.editor)
    wb = good(return_data)
    row = row_of(wb["Figures"], "champions")
    wb["Figures"].cell(row=row, column=8, value="lots")
    before = snapshot()
    response = upload(client, to_bytes(wb))
    content = response.content.decode()
    assert "1 problem: nothing has been saved" in content
    assert f"<td>Figures</td><td>{row}</td><td>H</td>" in content
    assert "&#x27;lots&#x27; is not a number" in content
    assert 'name="confirm"' not in content
    assert snapshot() == before


def test_confirm_refuses_a_file_changed_after_the_preview(client, return_data, private_upload_dir):
    client.force_login(return_data.editor)
    upload(client, to_bytes(good(return_data)))
    token = client.session[SESSION_KEY]["token"]
    (Path(private_upload_dir) / f"{token}.xlsx").write_bytes(b"tampered")
    before = snapshot()
    response = client.post(reverse("reports:return_upload"), {"confirm": "1", "token": token})
    assert response.status_code == 400
    assert "no longer available or has changed" in response.content.decode()
    assert snapshot() == before


def test_confirm_refuses_a_token_from_another_session(client, return_data):
    client.force_login(return_data.editor)
    before = snapshot()
    response = client.post(reverse("reports:return_upload"), {"confirm": "1", "token": "0" * 32})
    assert response.status_code == 400
    assert snapshot() == before


def test_upload_over_the_limit_is_refused_before_reading(client, return_data, settings):
    settings.RETURN_UPLOAD_MAX_BYTES = 100
    client.force_login(return_data.editor)
    response = upload(client, to_bytes(good(return_data)))
    assert "the limit is 100 bytes" in response.content.decode()


def test_an_administrator_may_upload_for_any_partner(client, return_data):
    admin = f.user(Role.ADMINISTRATOR)
    client.force_login(admin)
    response = upload(client, to_bytes(good(return_data)))
    assert "Save all 3 changes" in response.content.decode()


def test_abandoned_uploads_are_swept_when_another_is_stashed(
    client, return_data, private_upload_dir, settings
):
    import os

    client.force_login(return_data.editor)
    upload(client, to_bytes(good(return_data)))
    first = next(Path(private_upload_dir).iterdir())
    old = first.stat().st_mtime - settings.SESSION_COOKIE_AGE - 60
    os.utime(first, (old, old))
    other = f.user(Role.PARTNER_EDITOR, partners=(return_data.partner,))
    client.force_login(other)
    upload(client, to_bytes(good(return_data)))
    remaining = list(Path(private_upload_dir).iterdir())
    assert first not in remaining
    assert len(remaining) == 1


def test_the_report_download_reads_the_same_number_of_queries_as_data_grows(
    client, report_data, analyst
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(analyst)
    params = {"download": "1", "year": "2018/19", "include_pending": "on"}

    def count():
        with CaptureQueriesContext(connection) as ctx:
            body(client.get(reverse("reports:report_index"), params))
        return len(ctx.captured_queries)

    small = count()
    for n in range(4):
        # Another partner's figures: the police return is approved and locked.
        m = f.metric(programme=report_data.programme, partner=f.partner(), is_headline=True)
        f.result(metric=m, period=f.year_period(2018), value=n)
        f.activity(programme=report_data.programme, funding_stream=report_data.stream)
    assert count() == small


# --- Begun quarters only, preselection, and the ways back to the return --------------------


@pytest.fixture
def on_25_november_2026(monkeypatch):
    import datetime

    monkeypatch.setattr(
        "django.utils.timezone.localdate", lambda *args, **kwargs: datetime.date(2026, 11, 25)
    )


def options(html: str, name: str) -> list[tuple[str, bool]]:
    import lxml.html

    doc = lxml.html.fromstring(html)
    return [
        (o.get("value"), o.get("selected") is not None)
        for o in doc.xpath(f'//select[@name="{name}"]/option')
    ]


def test_the_workbook_page_offers_begun_quarters_latest_first_and_the_editors_partner(
    client, return_data, on_25_november_2026
):
    client.force_login(return_data.editor)
    html = client.get(reverse("reports:return_template_download")).content.decode()
    quarters = [value for value, _ in options(html, "quarter")]
    assert quarters[:3] == ["2026/27 Q3", "2026/27 Q2", "2026/27 Q1"]
    assert "2026/27 Q4" not in quarters
    assert options(html, "quarter")[0][1] is True
    assert options(html, "partner") == [(str(return_data.partner.pk), True)]


def test_a_link_preselects_the_partner_and_quarter_without_downloading(
    client, return_data, on_25_november_2026
):
    client.force_login(f.user(Role.ADMINISTRATOR))
    response = client.get(
        reverse("reports:return_template_download"),
        {"partner": return_data.other_partner.pk, "quarter": "2019/20 Q2"},
    )
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert (str(return_data.other_partner.pk), True) in options(html, "partner")
    assert ("2019/20 Q2", True) in options(html, "quarter")


def test_a_quarter_not_begun_cannot_be_downloaded(client, return_data, on_25_november_2026):
    client.force_login(return_data.editor)
    response = client.get(
        reverse("reports:return_template_download"),
        {"partner": return_data.partner.pk, "quarter": "2026/27 Q4", "download": "1"},
    )
    assert response["Content-Type"].startswith("text/html")
    assert b"Select a valid choice" in response.content


def test_after_saving_an_upload_the_page_links_back_to_the_return(client, return_data):
    from programmes.models import Return

    client.force_login(return_data.editor)
    upload(client, to_bytes(good(return_data)))
    token = client.session[SESSION_KEY]["token"]
    done = client.post(reverse("reports:return_upload"), {"confirm": "1", "token": token})
    ret = Return.objects.get(
        partner=return_data.partner, period__financial_year__start_year=2019, period__quarter=1
    )
    assert reverse("returns:detail", args=[ret.pk]) in done.content.decode()


def test_only_editors_see_the_quarterly_returns_box_on_the_reports_page(client, return_data):
    client.force_login(return_data.editor)
    html = client.get(reverse("reports:report_index")).content.decode()
    assert "Quarterly returns" in html
    assert reverse("reports:return_upload") in html
    assert reverse("reports:return_template_download") in html
    client.force_login(f.user(Role.ANALYST))
    html = client.get(reverse("reports:report_index")).content.decode()
    assert reverse("reports:return_upload") not in html
    assert reverse("reports:return_template_download") not in html


# --- Downloads start at once: refused in the view, read and built once under way ------------


def sheets_but_when(data: bytes) -> dict[str, list[tuple]]:
    """Every sheet's values, without the minute the workbook was generated."""
    wb = load_workbook(io.BytesIO(data))
    return {
        ws.title: [row for row in ws.iter_rows(values_only=True) if row[:1] != ("Generated",)]
        for ws in wb.worksheets
    }


@pytest.fixture
def recorded(monkeypatch):
    """The Excel pages' selectors and writers, each noting in `calls` when it runs."""
    from reports import export_views

    calls = []

    def record(module, name):
        real = getattr(module, name)

        def wrapper(*args, **kwargs):
            calls.append(name)
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, wrapper)

    record(export_views.selectors, "funding_report")
    record(export_views.selectors, "return_template")
    record(export_views, "write_funding_report")
    record(export_views, "write_return_workbook")
    return calls


def test_the_report_download_begins_before_anything_is_read_or_written(
    client, report_data, analyst, recorded
):
    from reports import selectors
    from reports.excel.funding_report import write_funding_report

    client.force_login(analyst)
    response = client.get(
        reverse("reports:report_index"),
        {"download": "1", "year": "2018/19", "stream": "pcc", "include_pending": "on"},
    )
    assert response.streaming
    assert response["Content-Disposition"] == (
        'attachment; filename="funding-report-2018-19-pcc-with-pending.xlsx"'
    )
    chunks = iter(response.streaming_content)
    assert next(chunks) == b""
    assert recorded == []
    data = b"".join(chunks)
    assert recorded == ["funding_report", "write_funding_report"]
    # The same workbook as the report written straight to a file.
    expected = io.BytesIO()
    report = selectors.funding_report(
        user=analyst, year_label="2018/19", stream_slug="pcc", include_pending=True
    )
    write_funding_report(report, expected, generated_by=analyst.get_username())
    assert sheets_but_when(data) == sheets_but_when(expected.getvalue())
    assert "Target Hardening" in str(sheets_but_when(data)["PCC Funded Programmes"])


def test_the_return_workbook_download_begins_before_anything_is_read_or_written(
    client, return_data, recorded
):
    from reports import selectors
    from reports.excel.return_template import write_return_workbook

    client.force_login(return_data.editor)
    response = client.get(
        reverse("reports:return_template_download"),
        {"partner": return_data.partner.pk, "quarter": "2019/20 Q1", "download": "1"},
    )
    assert response.streaming
    assert response["Content-Disposition"] == (
        f'attachment; filename="return-{return_data.partner.slug}-2019-20-Q1.xlsx"'
    )
    chunks = iter(response.streaming_content)
    assert next(chunks) == b""
    assert recorded == []
    data = b"".join(chunks)
    assert recorded == ["return_template", "write_return_workbook"]
    expected = io.BytesIO()
    template = selectors.return_template(
        user=return_data.editor, partner=return_data.partner, start_year=2019, quarter=1
    )
    write_return_workbook(template, expected, generated_by=return_data.editor.get_username())
    assert sheets_but_when(data) == sheets_but_when(expected.getvalue())
    assert row_of(load_workbook(io.BytesIO(data))["Figures"], "champions") >= 2


@pytest.mark.parametrize(
    ("who", "name", "params"),
    [
        ("no role", "reports:report_index", {"download": "1", "year": "2018/19"}),
        ("commissioner", "reports:return_template_download", {"quarter": "2019/20 Q1"}),
        ("editor", "reports:return_template_download", {"quarter": "2019/20 Q1"}),
    ],
)
def test_a_refused_download_is_a_page_decided_before_anything_streams(
    client, report_data, return_data, commissioner, recorded, who, name, params
):
    user = {"no role": f.user(), "commissioner": commissioner, "editor": return_data.editor}[who]
    client.force_login(user)
    # The editor asks for another partner's workbook: a form error, not a 403.
    partner = return_data.other_partner if who == "editor" else return_data.partner
    response = client.get(reverse(name), {**params, "partner": partner.pk, "download": "1"})
    assert not response.streaming
    assert response.status_code == (200 if who == "editor" else 403)
    assert response["Content-Type"].startswith("text/html")
    assert recorded == []
