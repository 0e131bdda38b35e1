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
    client.post(reverse("returns:transition", args=[ret.pk, "submit"]))
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
    client.post(reverse("returns:transition", args=[ret.pk, "submit"]))
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
