"""The return workflow: draft -> submitted -> approved, sent back, reopened, and who may."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from programmes import services
from programmes.locks import LockedError
from programmes.models import Return, ReturnEvent
from programmes.scoping import Role
from tests import factories as f

pytestmark = pytest.mark.django_db

Status = Return.Status


@pytest.fixture
def people():
    partner = f.partner(name="Family Safety Unit")
    return {
        "partner": partner,
        "editor": f.user(Role.PARTNER_EDITOR, partners=(partner,), username="e.editor"),
        "outsider": f.user(Role.PARTNER_EDITOR, partners=(f.partner(),)),
        "approver": f.user(Role.APPROVER, username="j.smith"),
        "analyst": f.user(Role.ANALYST),
    }


@pytest.fixture
def draft(people):
    return services.get_or_create_return(
        partner=people["partner"], period=f.quarter_period(2019, 1)
    )


def events(report_return):
    return list(
        ReturnEvent.objects.filter(report_return=report_return).values_list(
            "kind", "from_status", "to_status", "user__username", "note"
        )
    )


def test_get_or_create_return_creates_one_draft_and_then_finds_it(people):
    period = f.quarter_period(2019, 2)
    first = services.get_or_create_return(partner=people["partner"], period=period)
    again = services.get_or_create_return(partner=people["partner"], period=period)
    assert first.pk == again.pk
    assert first.status == Status.DRAFT
    assert Return.objects.filter(partner=people["partner"], period=period).count() == 1


def test_the_whole_way_to_approval_is_recorded_with_who_and_note(people, draft):
    services.submit_return(report_return=draft, user=people["editor"])
    assert draft.status == Status.SUBMITTED
    assert draft.submitted_by == people["editor"]
    services.approve_return(report_return=draft, user=people["approver"], note="All present.")
    draft.refresh_from_db()
    assert draft.status == Status.APPROVED
    assert draft.approved_by == people["approver"]
    assert draft.approved_at is not None
    assert events(draft) == [
        ("submitted", "draft", "submitted", "e.editor", ""),
        ("approved", "submitted", "approved", "j.smith", "All present."),
    ]


def test_sending_back_needs_a_note_and_returns_the_return_to_draft(people, draft):
    services.submit_return(report_return=draft, user=people["editor"])
    with pytest.raises(ValidationError):
        services.send_back_return(report_return=draft, user=people["approver"], note="  ")
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    services.send_back_return(
        report_return=draft, user=people["approver"], note="Q1 arrests are missing."
    )
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert draft.note == "Q1 arrests are missing."
    assert draft.submitted_by is None
    assert events(draft)[-1] == (
        "sent_back",
        "submitted",
        "draft",
        "j.smith",
        "Q1 arrests are missing.",
    )


def test_an_approver_may_not_approve_a_return_they_submitted(people, draft):
    both = f.user(Role.APPROVER, Role.PARTNER_EDITOR, partners=(people["partner"],))
    services.submit_return(report_return=draft, user=both)
    with pytest.raises(PermissionDenied, match="another approver"):
        services.approve_return(report_return=draft, user=both)
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    assert [e[0] for e in events(draft)] == ["submitted"]


@pytest.mark.parametrize("who", ["editor", "outsider", "analyst"])
def test_only_an_approver_approves_or_sends_back(people, draft, who):
    services.submit_return(report_return=draft, user=people["editor"])
    with pytest.raises(PermissionDenied):
        services.approve_return(report_return=draft, user=people[who])
    with pytest.raises(PermissionDenied):
        services.send_back_return(report_return=draft, user=people[who], note="No.")
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED


@pytest.mark.parametrize("who", ["outsider", "analyst", "approver"])
def test_only_the_partners_editor_submits(people, draft, who):
    with pytest.raises(PermissionDenied):
        services.submit_return(report_return=draft, user=people[who])
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_reopening_needs_the_approver_role_and_a_reason(people, draft):
    f.approve(draft, by=people["approver"])
    with pytest.raises(PermissionDenied):
        services.reopen_return(report_return=draft, user=people["editor"], reason="Typo")
    with pytest.raises(ValidationError):
        services.reopen_return(report_return=draft, user=people["approver"], reason="")
    draft.refresh_from_db()
    assert draft.status == Status.APPROVED
    services.reopen_return(
        report_return=draft, user=people["approver"], reason="Police revised Q1 arrests."
    )
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert draft.approved_by is None
    assert events(draft)[-1] == (
        "reopened",
        "approved",
        "draft",
        "j.smith",
        "Police revised Q1 arrests.",
    )


@pytest.mark.parametrize(
    "step",
    [
        lambda p, r: services.approve_return(report_return=r, user=p["approver"]),
        lambda p, r: services.send_back_return(report_return=r, user=p["approver"], note="x"),
        lambda p, r: services.reopen_return(report_return=r, user=p["approver"], reason="x"),
    ],
    ids=["approve", "send_back", "reopen"],
)
def test_a_draft_cannot_skip_a_step(people, draft, step):
    with pytest.raises(services.TransitionError):
        step(people, draft)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert events(draft) == []


def test_a_stale_copy_cannot_approve_twice(people, draft):
    services.submit_return(report_return=draft, user=people["editor"])
    stale = Return.objects.get(pk=draft.pk)
    services.approve_return(report_return=draft, user=people["approver"])
    other = f.user(Role.APPROVER)
    with pytest.raises(services.TransitionError, match="approved"):
        services.approve_return(report_return=stale, user=other)
    assert [e[0] for e in events(draft)] == ["submitted", "approved"]


def test_a_returns_status_changes_only_through_the_services(people, draft):
    draft.status = Status.APPROVED
    with pytest.raises(LockedError):
        draft.save()
    with pytest.raises(LockedError):
        Return.objects.filter(pk=draft.pk).update(status=Status.APPROVED)
    with pytest.raises(LockedError):
        Return.objects.create(
            partner=f.partner(), period=f.quarter_period(2019, 3), status=Status.APPROVED
        )
    assert Return.objects.get(pk=draft.pk).status == Status.DRAFT


def test_an_approved_return_itself_cannot_be_edited_or_deleted(people, draft):
    f.approve(draft)
    draft.note = "changed"
    with pytest.raises(LockedError, match="reopen"):
        draft.save()
    with pytest.raises(LockedError):
        Return.objects.filter(pk=draft.pk).update(note="changed")
    assert Return.objects.get(pk=draft.pk).note == ""


def test_a_published_return_is_approved_with_its_source_and_no_user(people, draft):
    services.approve_published_return(report_return=draft, note="Annual report 2018/19")
    draft.refresh_from_db()
    assert draft.status == Status.APPROVED
    assert events(draft) == [("approved", "draft", "approved", None, "Annual report 2018/19")]


# --- Starting a quarter's return ----------------------------------------------------------

TODAY = datetime.date(2026, 11, 25)


def test_start_return_creates_the_year_the_quarter_and_a_draft(people):
    from programmes.models import FinancialYear, Period

    ret = services.start_return(
        partner=people["partner"], start_year=2026, quarter=2, user=people["editor"], today=TODAY
    )
    assert ret.status == Status.DRAFT
    assert ret.partner == people["partner"]
    assert (ret.period.kind, ret.period.quarter) == (Period.Kind.QUARTER, 2)
    assert ret.period.start_date == datetime.date(2026, 7, 1)
    assert FinancialYear.objects.filter(start_year=2026).count() == 1


def test_starting_a_started_return_gives_the_same_return(people):
    first = services.start_return(
        partner=people["partner"], start_year=2026, quarter=1, user=people["editor"], today=TODAY
    )
    again = services.start_return(
        partner=people["partner"], start_year=2026, quarter=1, user=people["editor"], today=TODAY
    )
    assert again.pk == first.pk
    assert Return.objects.count() == 1


def test_a_quarter_that_has_not_begun_cannot_be_started(people):
    with pytest.raises(ValidationError, match="has not begun"):
        services.start_return(
            partner=people["partner"],
            start_year=2026,
            quarter=4,
            user=people["editor"],
            today=TODAY,
        )
    assert not Return.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "approver", "analyst"])
def test_only_the_partners_editors_start_its_return(people, who):
    with pytest.raises(PermissionDenied):
        services.start_return(
            partner=people["partner"], start_year=2026, quarter=1, user=people[who], today=TODAY
        )
    assert not Return.objects.exists()


def test_an_administrator_may_start_any_partners_return(people):
    ret = services.start_return(
        partner=people["partner"],
        start_year=2026,
        quarter=3,
        user=f.user(Role.ADMINISTRATOR),
        today=TODAY,
    )
    assert ret.period.quarter == 3
