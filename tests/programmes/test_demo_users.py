"""create_demo_users: one user per role and editors of two partners, printed, idempotent."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from programmes.models import Partner
from programmes.scoping import Role, partner_ids_of, roles_of
from tests import factories as f

pytestmark = pytest.mark.django_db


def _run() -> str:
    out = StringIO()
    call_command("create_demo_users", stdout=out)
    return out.getvalue()


def _credentials(output: str) -> dict[str, str]:
    rows = [line.split() for line in output.splitlines() if " password " in line]
    return {row[0]: row[2] for row in rows}


def test_it_creates_one_user_per_role_and_prints_working_credentials(client):
    credentials = _credentials(_run())
    users = get_user_model().objects.filter(username__in=credentials)
    assert {role for user in users for role in roles_of(user)} == set(Role)
    for username, password in credentials.items():
        assert client.login(username=username, password=password), username
        assert get_user_model().objects.get(username=username).is_staff


def test_it_makes_editors_of_two_different_partners_on_an_empty_database():
    _run()
    editors = [
        user for user in get_user_model().objects.all() if roles_of(user) == {Role.PARTNER_EDITOR}
    ]
    assert len(editors) == 2
    partners = [partner_ids_of(user) for user in editors]
    assert all(len(ids) == 1 for ids in partners)
    assert partners[0] != partners[1]


def test_it_picks_the_partners_that_report_the_most_metrics():
    busy, busier, idle = f.partner(name="Busy"), f.partner(name="Busier"), f.partner(name="Idle")
    for partner, count in ((busy, 2), (busier, 3), (idle, 0)):
        for _ in range(count):
            f.metric(partner=partner)
    _run()
    with_editors = Partner.objects.filter(members__isnull=False).distinct()
    assert set(with_editors) == {busy, busier}


def test_running_it_again_changes_nothing(client):
    first = _credentials(_run())
    users_before = get_user_model().objects.count()
    partners_before = Partner.objects.count()
    second = _credentials(_run())
    assert first == second
    assert get_user_model().objects.count() == users_before
    assert Partner.objects.count() == partners_before
    for username, password in second.items():
        assert client.login(username=username, password=password)
