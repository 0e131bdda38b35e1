"""Writes about people: the demo users that the quick start creates, one per role."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Count

from programmes.models import Partner
from programmes.scoping import ROLE_GROUPS, Role


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: Role
    partner: str = ""


def _password(username: str) -> str:
    # Fixed, so that running the quick start again leaves the printed credentials valid.
    return f"{username}-wirralsafe-demo"


def _demo_partners() -> list[Partner]:
    """The two partners that report the most metrics, creating stand-ins on an empty database."""
    partners = list(
        Partner.objects.annotate(metric_count=Count("metrics")).order_by("-metric_count", "name")[
            :2
        ]
    )
    for n in range(len(partners) + 1, 3):
        partner, _ = Partner.objects.get_or_create(
            slug=f"demo-partner-{n}", defaults={"name": f"Demo partner {n}"}
        )
        partners.append(partner)
    return partners


@transaction.atomic
def create_demo_users() -> list[DemoUser]:
    """One staff user per role, and editors of two different partners; safe to run again.

    Each run resets the demo users' passwords and roles to the printed ones.
    """
    wanted = [
        DemoUser("administrator", _password("administrator"), Role.ADMINISTRATOR),
        DemoUser("analyst", _password("analyst"), Role.ANALYST),
        DemoUser("approver", _password("approver"), Role.APPROVER),
        DemoUser("commissioner", _password("commissioner"), Role.COMMISSIONER),
    ]
    partners = _demo_partners()
    for partner in partners:
        username = f"editor-{partner.slug}"[:150]
        wanted.append(
            DemoUser(username, _password(username), Role.PARTNER_EDITOR, partner=partner.name)
        )

    by_name = {partner.name: partner for partner in partners}
    User = get_user_model()
    for demo in wanted:
        user, _ = User.objects.get_or_create(username=demo.username)
        user.email = f"{demo.username}@example.org"
        user.is_staff = True
        user.is_active = True
        user.set_password(demo.password)
        user.save()
        user.groups.set([Group.objects.get_or_create(name=ROLE_GROUPS[demo.role])[0]])
        if demo.partner:
            by_name[demo.partner].members.add(user)
    return wanted
