"""Every change to a figure is kept, with who, when and the old and new values."""

from decimal import Decimal

import pytest
from django.urls import reverse

from metrics.models import Qualifier
from programmes.scoping import Role
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def edited():
    """A result changed through the admin by its partner's editor."""
    from django.test import Client

    mine = f.partner(name="Mine")
    res = f.result(metric=f.metric(partner=mine), value=10)
    editor = f.user(Role.PARTNER_EDITOR, partners=(mine,), is_staff=True)
    client = Client()
    client.force_login(editor)
    response = client.post(
        reverse("admin:metrics_result_change", args=[res.pk]),
        {
            "metric": res.metric_id,
            "period": res.period_id,
            "report_return": res.report_return_id,
            "value": "12",
            "qualifier": Qualifier.EXACT,
            "source": "Case records",
            "note": "",
        },
    )
    assert response.status_code == 302
    return res, editor


def test_a_change_to_a_result_is_recorded_with_user_time_and_old_and_new_values(edited):
    res, editor = edited
    latest, previous = res.history.order_by("-history_date")[:2]
    assert latest.history_user == editor
    assert latest.history_type == "~"
    assert latest.history_date >= previous.history_date
    changes = {c.field: (c.old, c.new) for c in latest.diff_against(previous).changes}
    assert changes["value"] == (Decimal(10), Decimal(12))
    assert changes["source"] == ("", "Case records")


def test_the_history_page_shows_the_change_to_those_who_may_see_the_result(edited, client):
    res, editor = edited
    url = reverse("admin:metrics_result_history", args=[res.pk])
    for viewer in (editor, f.user(Role.ANALYST, is_staff=True)):
        client.force_login(viewer)
        response = client.get(url)
        assert response.status_code == 200
        content = response.content.decode()
        assert editor.username in content
        assert "Case records" in content


def test_the_history_is_404_to_another_partners_editor_and_a_commissioner(edited, client):
    res, _ = edited
    outsider = f.user(Role.PARTNER_EDITOR, partners=(f.partner(),), is_staff=True)
    version = res.history.latest().history_id
    for user in (outsider, f.user(Role.COMMISSIONER, is_staff=True)):
        client.force_login(user)
        for url in (
            reverse("admin:metrics_result_history", args=[res.pk]),
            reverse("admin:metrics_result_simple_history", args=[res.pk, version]),
        ):
            assert client.get(url).status_code == 404, (user, url)


def test_an_old_version_cannot_be_written_back_from_the_history(edited, client):
    res, editor = edited
    first = res.history.earliest().history_id
    client.force_login(editor)
    url = reverse("admin:metrics_result_simple_history", args=[res.pk, first])
    assert client.get(url).status_code == 200
    response = client.post(url, {"value": "10", "qualifier": Qualifier.EXACT})
    assert response.status_code == 403
    res.refresh_from_db()
    assert res.value == Decimal(12)


@pytest.mark.parametrize(
    "build",
    [
        lambda: f.programme(),
        lambda: f.activity(),
        lambda: f.expected_outcome(),
        lambda: f.outcome_statement(),
        lambda: f.report_return(),
        lambda: f.metric(),
        lambda: f.target(),
        lambda: f.comparator(),
    ],
)
def test_programmes_metrics_targets_narratives_and_returns_keep_history(build):
    obj = build()
    assert obj.history.count() == 1
