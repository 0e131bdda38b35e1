"""The workbook pages once a return is submitted: no upload into it, no workbook inviting one."""

import io

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone

from metrics.models import Result
from programmes.models import Return
from programmes.scoping import Role
from reports.export_views import SESSION_KEY
from tests import factories as f
from tests.reports.test_return_import import good, snapshot
from tests.reports.workbooks import reload, template_workbook, to_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_upload_dir(settings, tmp_path):
    settings.RETURN_UPLOAD_DIR = tmp_path / "uploads"
    return settings.RETURN_UPLOAD_DIR


@pytest.fixture
def submitted(return_data):
    """The FSU's 2019/20 Q1 return, holding 40 champions, submitted by its editor."""
    ret = Return.objects.create(partner=return_data.partner, period=f.quarter_period(2019, 1))
    f.result(metric=return_data.count, period=ret.period, report_return=ret, value=40)
    f.submit(ret, by=return_data.editor)
    ret.refresh_from_db()
    return ret


def upload(client, payload: bytes):
    file = io.BytesIO(payload)
    file.name = "return.xlsx"
    return client.post(reverse("reports:return_upload"), {"file": file})


def problems_table(html: str) -> list[list[str]]:
    doc = lxml.html.fromstring(html)
    return [
        [" ".join(td.text_content().split()) for td in tr.xpath("td")]
        for tr in doc.xpath("//table[caption[starts-with(., 'Problems')]]/tbody/tr")
    ]


def test_an_upload_into_a_submitted_return_is_refused_as_the_whole_files_problem(
    client, return_data, submitted
):
    client.force_login(return_data.editor)
    before = snapshot()
    response = upload(client, to_bytes(good(return_data)))
    html = response.content.decode().replace("&#x27;", "'")
    when = f"{timezone.localtime(submitted.submitted_at):%-d %B %Y}"
    assert problems_table(html) == [
        [
            "(the file)",
            "",
            "",
            f"The 2019/20 Q1 return of Family Safety Unit was submitted on {when} by fsu-editor "
            "and is waiting for approval; ask the CSP manager to send it back if a figure must "
            "change. Until then nothing can be uploaded to it.",
        ]
    ]
    assert "This return cannot take an upload now" in html
    assert "in the workbook and upload it again" not in html
    assert 'name="confirm"' not in html
    assert SESSION_KEY not in client.session
    assert snapshot() == before
    assert Result.objects.get(report_return=submitted).value == 40


def test_a_problem_in_the_file_still_asks_for_it_to_be_fixed(client, return_data):
    client.force_login(return_data.editor)
    wb = good(return_data)
    wb["Figures"].cell(row=2, column=8, value="lots")
    html = upload(client, to_bytes(wb)).content.decode()
    assert "Fix it in the workbook and upload it again." in html
    assert "This return cannot take an upload now" not in html


def _save(client, payload: bytes):
    upload(client, payload)
    token = client.session[SESSION_KEY]["token"]
    done = client.post(reverse("reports:return_upload"), {"confirm": "1", "token": token})
    doc = lxml.html.fromstring(done.content)
    return " ".join(doc.get_element_by_id("after-upload").text_content().split())


def test_after_an_upload_into_a_draft_the_editor_is_sent_to_submit_it(client, return_data):
    client.force_login(return_data.editor)
    text = _save(client, to_bytes(good(return_data)))
    assert text == (
        "Back to the 2019/20 Q1 return to check the figures and submit it for approval."
    )


def test_after_an_administrators_correction_the_return_is_said_to_wait_still(
    client, return_data, submitted
):
    client.force_login(f.user(Role.ADMINISTRATOR, username="admin"))
    text = _save(client, to_bytes(good(return_data)))
    assert text == (
        "Back to the 2019/20 Q1 return to check the figures; it is still submitted and "
        "waiting for approval."
    )
    assert Return.objects.get(pk=submitted.pk).status == Return.Status.SUBMITTED
    assert Result.objects.get(report_return=submitted, metric=return_data.count).value == 62


def instructions(wb) -> dict:
    ws = reload(to_bytes(wb))["Instructions"]
    return {ws.cell(row=r, column=1).value: ws.cell(row=r, column=2).value for r in range(1, 30)}


def test_the_workbook_of_a_submitted_return_says_it_cannot_be_uploaded_to(return_data, submitted):
    status = instructions(template_workbook(return_data.partner, return_data.editor))[
        "Return status"
    ]
    when = f"{timezone.localtime(submitted.submitted_at):%-d %B %Y}"
    assert status == (
        f"submitted. The 2019/20 Q1 return of Family Safety Unit was submitted on {when} by "
        "fsu-editor and is waiting for approval; ask the CSP manager to send it back if a "
        "figure must change. This copy shows what the return holds; an upload to it is "
        "refused until then."
    )
    # The administrator may still correct it, so their copy is an ordinary one.
    admin = f.user(Role.ADMINISTRATOR)
    assert instructions(template_workbook(return_data.partner, admin))["Return status"] == (
        "submitted"
    )
