"""Who may see and change what: the one place every page, admin class, export and import asks.

Roles are Django groups (see ROLE_GROUPS). A user may hold several; the widest applies. A partner
editor belongs to one or more partners (Partner.members) and sees:

- everything approved, of any partner;
- their own partners' unapproved results and narratives, and nobody else's.

Analysts, approvers and administrators see everything; commissioners see approved figures only.
Every function here takes the user first and returns a queryset or a yes/no, so that callers
never repeat the rule.
"""

from __future__ import annotations

from enum import StrEnum

from django.db.models import Q, QuerySet

from programmes.models import OutcomeStatement, Partner, Programme, Return


class Role(StrEnum):
    ADMINISTRATOR = "administrator"
    APPROVER = "approver"
    ANALYST = "analyst"
    COMMISSIONER = "commissioner"
    PARTNER_EDITOR = "partner_editor"


# Group names as the admin shows them; a data migration creates the groups and their permissions.
ROLE_GROUPS = {
    Role.ADMINISTRATOR: "Administrators",
    Role.APPROVER: "Approvers",
    Role.ANALYST: "Analysts",
    Role.COMMISSIONER: "Commissioners",
    Role.PARTNER_EDITOR: "Partner editors",
}

# Roles that see every partner's figures, approved or not.
SEES_EVERYTHING = {Role.ADMINISTRATOR, Role.APPROVER, Role.ANALYST}


def roles_of(user) -> set[Role]:
    if not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return set(Role)
    # Cached on the user object: many checks run per request, and group membership is fixed
    # for its length.
    cached = getattr(user, "_wirralsafe_roles", None)
    if cached is None:
        by_name = {name: role for role, name in ROLE_GROUPS.items()}
        names = user.groups.values_list("name", flat=True)
        cached = {by_name[name] for name in names if name in by_name}
        user._wirralsafe_roles = cached
    return cached


def has_role(user, *roles: Role) -> bool:
    return bool(roles_of(user) & set(roles))


def sees_everything(user) -> bool:
    return bool(roles_of(user) & SEES_EVERYTHING)


def sees_pending(user) -> bool:
    """Whether the user may choose to include submitted (not yet approved) figures."""
    return sees_everything(user)


def partner_ids_of(user) -> set[int]:
    """The partners a user enters figures for."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_wirralsafe_partner_ids", None)
    if cached is None:
        cached = set(Partner.objects.filter(members=user).values_list("pk", flat=True))
        user._wirralsafe_partner_ids = cached
    return cached


def _approved_or_own(user, partner_path: str, status_path: str) -> Q:
    """Rows that are approved, or (for a partner editor) belong to the user's own partners."""
    condition = Q(**{status_path: Return.Status.APPROVED})
    if has_role(user, Role.PARTNER_EDITOR):
        condition |= Q(**{f"{partner_path}__in": partner_ids_of(user)})
    return condition


def visible_returns(user, queryset: QuerySet | None = None) -> QuerySet:
    qs = Return.objects.all() if queryset is None else queryset
    if sees_everything(user):
        return qs
    if not roles_of(user):
        return qs.none()
    return qs.filter(_approved_or_own(user, "partner", "status"))


def visible_results(user, queryset: QuerySet | None = None) -> QuerySet:
    from metrics.models import Result

    qs = Result.objects.all() if queryset is None else queryset
    if sees_everything(user):
        return qs
    if not roles_of(user):
        return qs.none()
    return qs.filter(_approved_or_own(user, "report_return__partner", "report_return__status"))


def visible_statements(user, queryset: QuerySet | None = None) -> QuerySet:
    qs = OutcomeStatement.objects.all() if queryset is None else queryset
    if sees_everything(user):
        return qs
    if not roles_of(user):
        return qs.none()
    return qs.filter(_approved_or_own(user, "report_return__partner", "report_return__status"))


def visible_programmes(user, queryset: QuerySet | None = None) -> QuerySet:
    """Programme definitions are not confidential: anyone with a role sees them all.

    What is confidential is the unapproved figures and narratives beneath them, which the
    functions above filter.
    """
    qs = Programme.objects.all() if queryset is None else queryset
    return qs if roles_of(user) else qs.none()


def visible_metrics(user, queryset: QuerySet | None = None) -> QuerySet:
    from metrics.models import Metric

    qs = Metric.objects.all() if queryset is None else queryset
    return qs if roles_of(user) else qs.none()


def editable_partner_ids(user) -> set[int]:
    """Partners whose figures and narratives the user may enter."""
    if has_role(user, Role.ADMINISTRATOR):
        return set(Partner.objects.values_list("pk", flat=True))
    if has_role(user, Role.PARTNER_EDITOR):
        return partner_ids_of(user)
    return set()


def can_edit_return(user, report_return: Return) -> bool:
    """May the user add or change figures and narratives in this return (if it is not locked)."""
    return report_return.partner_id in editable_partner_ids(user)


def reportable_statuses(user, *, include_pending: bool = False) -> set[str]:
    """Return statuses whose figures may go into a report: approved only, unless the user may
    see pending figures and asks for them (then submitted ones too, to be marked as pending)."""
    statuses = {Return.Status.APPROVED}
    if include_pending and sees_pending(user):
        statuses.add(Return.Status.SUBMITTED)
    return statuses


def reportable_results(
    user, queryset: QuerySet | None = None, *, include_pending: bool = False
) -> QuerySet:
    """Results that may go into a funding report: visible to the user, and approved (or, for an
    analyst who asks, submitted)."""
    statuses = reportable_statuses(user, include_pending=include_pending)
    return visible_results(user, queryset).filter(report_return__status__in=statuses)


def reportable_statements(
    user, queryset: QuerySet | None = None, *, include_pending: bool = False
) -> QuerySet:
    statuses = reportable_statuses(user, include_pending=include_pending)
    return visible_statements(user, queryset).filter(report_return__status__in=statuses)
