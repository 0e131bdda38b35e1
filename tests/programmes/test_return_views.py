"""The returns page, its detail page's buttons, and the admin's return actions."""

import datetime

import pytest
from django.urls import reverse

from programmes.models import Return, ReturnEvent
from programmes.scoping import Role
from programmes.selectors import return_grid
from tests import factories as f

pytestmark = pytest.mark.django_db

Status = Return.Status
# The Submit form's tick box, "I have checked these figures and narratives".
CHECKED = {"checked": "yes"}


@pytest.fixture
def world(settings):
    """Five partners of 2019/20 Q1 (ends 30 June 2019, due 30 days later) in each state."""
    settings.RETURN_DUE_DAYS = 30
    q1 = f.quarter_period(2019, 1)
    names = ["Approved", "Submitted", "Draft", "Missing", "Other"]
    partners = {name: f.partner(name=name) for name in names}
    for p in partners.values():
        f.metric(partner=p)
    f.approve(f.report_return(partner=partners["Approved"], period=q1))
    f.submit(f.report_return(partner=partners["Submitted"], period=q1))
    f.report_return(partner=partners["Draft"], period=q1)
    return {"q1": q1, **partners}


def states(user, today):
    _periods, rows = return_grid(user, today=today)
    return {partner.name: [cell.state for cell in cells] for partner, cells in rows}


def test_before_the_due_date_unsubmitted_returns_are_draft_or_missing(world):
    analyst = f.user(Role.ANALYST)
    # The grid shows all four quarters of 2019/20: Q2 has begun, Q3 and Q4 have not.
    later = ["missing", "not_yet_due", "not_yet_due"]
    assert states(analyst, datetime.date(2019, 7, 30)) == {
        "Approved": ["approved", *later],
        "Draft": ["draft", *later],
        "Missing": ["missing", *later],
        "Other": ["missing", *later],
        "Submitted": ["submitted", *later],
    }


def test_after_the_due_date_unsubmitted_returns_are_late(world):
    analyst = f.user(Role.ANALYST)
    later = ["missing", "not_yet_due", "not_yet_due"]
    assert states(analyst, datetime.date(2019, 7, 31)) == {
        "Approved": ["approved", *later],
        "Draft": ["late", *later],
        "Missing": ["late", *later],
        "Other": ["late", *later],
        "Submitted": ["submitted", *later],
    }


def test_the_due_date_follows_the_setting(world, settings):
    settings.RETURN_DUE_DAYS = 60
    assert states(f.user(Role.ANALYST), datetime.date(2019, 7, 31))["Draft"][0] == "draft"


def test_a_partner_editor_sees_only_their_partners_rows(world):
    editor = f.user(Role.PARTNER_EDITOR, partners=(world["Draft"],))
    assert list(states(editor, datetime.date(2019, 8, 1))) == ["Draft"]


def test_the_page_shows_each_state_and_the_late_label(world, client):
    client.force_login(f.user(Role.ANALYST))
    response = client.get(reverse("returns:grid"), {"year": "2019"})
    assert response.status_code == 200
    html = response.content.decode()
    # The quarter ended in 2019, so today every unsubmitted return is late.
    for state in ("approved", "submitted", "late"):
        assert f'data-state="{state}"' in html
    assert "Late (draft)" in html
    assert "Late (not started)" in html


def test_the_grid_takes_the_same_number_of_queries_as_it_grows(world, client):
    client.force_login(f.user(Role.ANALYST))
    client.get(reverse("returns:grid"))  # warm the session and the user's roles
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(reverse("returns:grid"), {"year": "2019"})
    for n in range(5):
        p = f.partner()
        f.metric(partner=p)
        f.report_return(partner=p, period=f.quarter_period(2019, 2))
        f.quarter_period(2019, 3 + n % 2)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("returns:grid"), {"year": "2019"})
    assert len(large) == len(small)


def test_a_commissioner_may_not_open_the_returns_page(client):
    client.force_login(f.user(Role.COMMISSIONER))
    assert client.get(reverse("returns:grid")).status_code == 403


def test_another_partners_return_answers_404_to_an_editor(world, client):
    editor = f.user(Role.PARTNER_EDITOR, partners=(world["Draft"],))
    theirs = Return.objects.get(partner=world["Submitted"])
    client.force_login(editor)
    assert client.get(reverse("returns:detail", args=[theirs.pk])).status_code == 404
    response = client.post(reverse("returns:transition", args=[theirs.pk, "approve"]))
    assert response.status_code == 404
    assert Return.objects.get(pk=theirs.pk).status == Status.SUBMITTED


def test_buttons_submit_then_send_back_then_approve(world, client):
    ret = Return.objects.get(partner=world["Draft"])
    editor = f.user(Role.PARTNER_EDITOR, partners=(world["Draft"],))
    approver = f.user(Role.APPROVER)
    detail = reverse("returns:detail", args=[ret.pk])

    client.force_login(editor)
    page = client.get(detail).content.decode()
    assert reverse("returns:transition", args=[ret.pk, "submit"]) in page
    assert reverse("returns:transition", args=[ret.pk, "approve"]) not in page
    client.post(reverse("returns:transition", args=[ret.pk, "submit"]), CHECKED)
    assert Return.objects.get(pk=ret.pk).status == Status.SUBMITTED

    client.force_login(approver)
    response = client.post(
        reverse("returns:transition", args=[ret.pk, "send_back"]), {"note": ""}, follow=True
    )
    assert "Say what the partner should change" in response.content.decode()
    assert Return.objects.get(pk=ret.pk).status == Status.SUBMITTED
    client.post(
        reverse("returns:transition", args=[ret.pk, "send_back"]), {"note": "Add Q1 arrests."}
    )
    assert Return.objects.get(pk=ret.pk).status == Status.DRAFT

    client.force_login(editor)
    client.post(reverse("returns:transition", args=[ret.pk, "submit"]), CHECKED)
    client.force_login(approver)
    response = client.post(reverse("returns:transition", args=[ret.pk, "approve"]), follow=True)
    assert Return.objects.get(pk=ret.pk).status == Status.APPROVED
    html = response.content.decode()
    assert "Add Q1 arrests." in html
    assert reverse("returns:transition", args=[ret.pk, "reopen"]) in html
    assert list(ReturnEvent.objects.filter(report_return=ret).values_list("kind", flat=True)) == [
        "submitted",
        "sent_back",
        "submitted",
        "approved",
    ]


def test_transitions_need_post(world, client):
    ret = Return.objects.get(partner=world["Submitted"])
    client.force_login(f.user(Role.APPROVER))
    assert client.get(reverse("returns:transition", args=[ret.pk, "approve"])).status_code == 405
    assert Return.objects.get(pk=ret.pk).status == Status.SUBMITTED


# Admin ---------------------------------------------------------------------------------------


@pytest.fixture
def superuser_client(client):
    admin_user = f.user(is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    return client


def test_the_admin_lists_and_filters_returns(world, superuser_client):
    url = reverse("admin:programmes_return_changelist")
    response = superuser_client.get(url, {"status__exact": "submitted"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Submitted" in html
    assert ">Draft - " not in html


def test_the_admin_change_page_offers_the_allowed_transitions(world, superuser_client):
    ret = Return.objects.get(partner=world["Submitted"])
    html = superuser_client.get(
        reverse("admin:programmes_return_change", args=[ret.pk])
    ).content.decode()
    assert reverse("admin:programmes_return_transition", args=[ret.pk, "approve"]) in html
    assert reverse("admin:programmes_return_transition", args=[ret.pk, "reopen"]) not in html


def test_the_admin_send_back_button_asks_for_a_note(world, superuser_client):
    ret = Return.objects.get(partner=world["Submitted"])
    url = reverse("admin:programmes_return_transition", args=[ret.pk, "send_back"])
    assert superuser_client.get(url).status_code == 200
    response = superuser_client.post(url, {"note": ""})
    assert response.status_code == 200
    assert Return.objects.get(pk=ret.pk).status == Status.SUBMITTED
    superuser_client.post(url, {"note": "Narratives missing."})
    ret.refresh_from_db()
    assert (ret.status, ret.note) == (Status.DRAFT, "Narratives missing.")


def test_the_admin_reopen_action_asks_for_a_reason_then_reopens(world, superuser_client):
    ret = Return.objects.get(partner=world["Approved"])
    url = reverse("admin:programmes_return_changelist")
    data = {"action": "reopen_selected", "_selected_action": [ret.pk]}
    response = superuser_client.post(url, data)
    assert response.status_code == 200
    assert "A note is required" in response.content.decode()
    assert Return.objects.get(pk=ret.pk).status == Status.APPROVED
    superuser_client.post(url, {**data, "apply": "Reopen", "note": "Revised figures."})
    assert Return.objects.get(pk=ret.pk).status == Status.DRAFT


def test_the_admin_approve_action_refuses_self_approval(world, client):
    partner = world["Draft"]
    both = f.user(Role.APPROVER, Role.PARTNER_EDITOR, partners=(partner,), is_staff=True)
    both.is_superuser = True
    both.save()
    ret = Return.objects.get(partner=partner)
    f.submit(ret, by=both)
    client.force_login(both)
    response = client.post(
        reverse("admin:programmes_return_changelist"),
        {"action": "approve_selected", "_selected_action": [ret.pk], "apply": "Approve"},
        follow=True,
    )
    assert "another approver" in response.content.decode()
    assert Return.objects.get(pk=ret.pk).status == Status.SUBMITTED


def test_an_approved_return_is_read_only_in_the_admin_but_offers_reopen(world, superuser_client):
    ret = Return.objects.get(partner=world["Approved"])
    url = reverse("admin:programmes_return_change", args=[ret.pk])
    html = superuser_client.get(url).content.decode()
    assert reverse("admin:programmes_return_transition", args=[ret.pk, "reopen"]) in html
    assert superuser_client.post(url, {}).status_code == 403
    assert Return.objects.get(pk=ret.pk).status == Status.APPROVED


# --- A year's four quarters, starting a return, the detail page's ways in ------------------

TODAY = datetime.date(2026, 11, 25)  # 2026/27 Q1 and Q2 have ended; Q3 is current.


@pytest.fixture
def fresh(monkeypatch, settings):
    """A fresh install on 25 November 2026: partners and metrics, no years, no returns."""
    settings.RETURN_DUE_DAYS = 30
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)
    # A key over 999 catches a template that prints it as "12,345".
    fsu = f.partner(name="Family Safety Unit", pk=12345)
    f.metric(partner=fsu)
    fire = f.partner(name="Fire and Rescue")
    f.programme(lead_partner=fire)
    f.partner(name="Reports nothing")
    return {
        "fsu": fsu,
        "fire": fire,
        "editor": f.user(Role.PARTNER_EDITOR, partners=(fsu,)),
    }


def cells_of(html: str) -> dict[str, list[str]]:
    import lxml.html

    doc = lxml.html.fromstring(html)
    return {
        row.xpath("./th")[0].text_content().strip(): [
            td.get("data-state") for td in row.xpath("./td")
        ]
        for row in doc.xpath("//table/tbody/tr")
    }


def test_a_fresh_install_shows_the_current_years_four_quarters_for_every_reporting_partner(
    fresh, client
):
    client.force_login(f.user(Role.ANALYST))
    response = client.get(reverse("returns:grid"))
    html = response.content.decode()
    assert cells_of(html) == {
        "Family Safety Unit": ["late", "late", "missing", "not_yet_due"],
        "Fire and Rescue": ["late", "late", "missing", "not_yet_due"],
    }
    for q in (1, 2, 3, 4):
        assert f"2026/27 Q{q}" in html
    assert "Not yet due" in html
    assert '<option value="2026/27" selected>2026/27</option>' in html
    # Quarters come from dates: showing them creates no Period rows.
    from programmes.models import Period

    assert not Period.objects.exists()


def test_the_chosen_year_stays_selected(fresh, client):
    f.year(2019)
    client.force_login(f.user(Role.ANALYST))
    html = client.get(reverse("returns:grid"), {"year": "2019"}).content.decode()
    assert '<option value="2019/20" selected>2019/20</option>' in html
    assert '<option value="2026/27">2026/27</option>' in html
    assert "2019/20 Q4" in html
    assert cells_of(html)["Family Safety Unit"] == ["late"] * 4


def test_an_editor_gets_start_buttons_only_in_their_own_begun_not_started_cells(fresh, client):
    client.force_login(fresh["editor"])
    html = client.get(reverse("returns:grid")).content.decode()
    assert list(cells_of(html)) == ["Family Safety Unit"]
    # Q1, Q2 and Q3 have begun; Q4 has not.
    assert html.count("Start return</button>") == 3
    assert 'name="quarter" value="4"' not in html
    assert html.count('name="year" value="2026"') == 3
    assert html.count('name="partner" value="12345"') == 3
    assert reverse("reports:return_template_download") in html
    client.force_login(f.user(Role.ANALYST))
    assert "Start return</button>" not in client.get(reverse("returns:grid")).content.decode()


def test_start_return_opens_the_new_draft_with_every_way_to_fill_it(fresh, client):
    client.force_login(fresh["editor"])
    response = client.post(
        reverse("returns:start"), {"partner": fresh["fsu"].pk, "year": "2026", "quarter": "3"}
    )
    ret = Return.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("returns:detail", args=[ret.pk])
    assert (ret.status, str(ret.period)) == (Status.DRAFT, "2026/27 Q3")
    html = client.get(response["Location"]).content.decode().replace("&amp;", "&")
    add = reverse("admin:metrics_result_add")
    assert f"{add}?report_return={ret.pk}&period={ret.period.pk}" in html
    download = reverse("reports:return_template_download")
    assert f"{download}?partner={fresh['fsu'].pk}&quarter=2026/27%20Q3" in html
    assert "Upload a filled workbook" in html
    assert reverse("returns:transition", args=[ret.pk, "submit"]) in html
    grid = client.get(reverse("returns:grid")).content.decode()
    assert cells_of(grid)["Family Safety Unit"] == ["late", "late", "draft", "not_yet_due"]


def test_an_analyst_sees_no_ways_to_fill_a_return(fresh, client):
    from programmes.services import start_return

    ret = start_return(partner=fresh["fsu"], start_year=2026, quarter=1, user=fresh["editor"])
    client.force_login(f.user(Role.ANALYST))
    html = client.get(reverse("returns:detail", args=[ret.pk])).content.decode()
    assert reverse("admin:metrics_result_add") not in html
    assert "Upload a filled workbook" not in html


def test_a_quarter_that_has_not_begun_is_refused_with_a_message(fresh, client):
    client.force_login(fresh["editor"])
    response = client.post(
        reverse("returns:start"),
        {"partner": fresh["fsu"].pk, "year": "2026", "quarter": "4"},
        follow=True,
    )
    assert "2026/27 Q4 has not begun yet" in response.content.decode()
    assert not Return.objects.exists()


def test_others_cannot_start_a_partners_return(fresh, client):
    outsider = f.user(Role.PARTNER_EDITOR, partners=(fresh["fire"],))
    data = {"partner": fresh["fsu"].pk, "year": "2026", "quarter": "1"}
    client.force_login(outsider)
    assert client.post(reverse("returns:start"), data).status_code == 404
    client.force_login(f.user(Role.ANALYST))
    assert client.post(reverse("returns:start"), data).status_code == 403
    assert client.get(reverse("returns:start")).status_code == 405
    assert not Return.objects.exists()


def test_the_grid_for_an_editor_takes_the_same_number_of_queries_as_it_grows(fresh, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(fresh["editor"])
    client.get(reverse("returns:grid"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("returns:grid"))
    for quarter in (1, 2, 3):
        f.report_return(partner=fresh["fsu"], period=f.quarter_period(2026, quarter))
    for _ in range(4):
        p = f.partner()
        f.metric(partner=p)
        p.members.add(fresh["editor"])
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("returns:grid"))
    assert len(large) == len(small)


def test_a_message_shows_once(world, client):
    ret = Return.objects.get(partner=world["Draft"])
    client.force_login(f.user(Role.PARTNER_EDITOR, partners=(world["Draft"],)))
    response = client.post(
        reverse("returns:transition", args=[ret.pk, "submit"]), CHECKED, follow=True
    )
    assert response.content.decode().count("is now submitted") == 1


def test_an_old_send_back_note_is_labelled_with_its_event_and_date(world, client):
    ret = Return.objects.get(partner=world["Draft"])
    editor = f.user(Role.PARTNER_EDITOR, partners=(world["Draft"],))
    f.submit(ret, by=editor)
    from programmes.services import send_back_return

    send_back_return(report_return=ret, user=f.user(Role.APPROVER), note="Add Q1 arrests.")
    f.submit(ret, by=editor)
    client.force_login(editor)
    import lxml.html

    doc = lxml.html.fromstring(client.get(reverse("returns:detail", args=[ret.pk])).content)
    note = " ".join(doc.get_element_by_id("last-note").text_content().split())
    assert note.startswith("Sent back ")
    assert note.endswith(": Add Q1 arrests.")
    labels = [dt.text_content() for dt in doc.xpath("//dl/dt")]
    assert "Last note from the approver" in labels
    assert "Note" not in labels


def admin_actions(client) -> set[str]:
    import lxml.html

    doc = lxml.html.fromstring(client.get(reverse("admin:programmes_return_changelist")).content)
    return {value for value in doc.xpath('//select[@name="action"]/option/@value') if value}


def test_the_admin_offers_editors_submit_only_and_approvers_the_approvers_steps(world, client):
    client.force_login(f.user(Role.PARTNER_EDITOR, partners=(world["Draft"],), is_staff=True))
    assert admin_actions(client) & set(TRANSITION_ACTIONS) == {"submit_selected"}
    client.force_login(f.user(Role.APPROVER, is_staff=True))
    assert admin_actions(client) & set(TRANSITION_ACTIONS) == {
        "approve_selected",
        "send_back_selected",
        "reopen_selected",
    }


TRANSITION_ACTIONS = [
    "submit_selected",
    "approve_selected",
    "send_back_selected",
    "reopen_selected",
]


def test_the_add_figures_link_fills_in_the_return_and_quarter_in_the_admin(fresh, client):
    from programmes.services import start_return

    editor = fresh["editor"]
    editor.is_staff = True
    editor.save()
    ret = start_return(partner=fresh["fsu"], start_year=2026, quarter=2, user=editor)
    client.force_login(editor)
    import lxml.html

    response = client.get(
        reverse("admin:metrics_result_add"),
        {"report_return": ret.pk, "period": ret.period.pk},
    )
    assert response.status_code == 200
    doc = lxml.html.fromstring(response.content)
    chosen = doc.xpath('//select[@name="report_return"]/option[@selected]/@value')
    assert chosen == [str(ret.pk)]
    assert doc.xpath('//select[@name="period"]/option[@selected]/@value') == [str(ret.period.pk)]
