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


def enters_figures_for(user, partner_id: int) -> bool:
    """Whether the user works on this partner's returns at all: a member, or an administrator.

    Says nothing about a given return's status; can_edit_return() below answers that.
    """
    return partner_id in editable_partner_ids(user)


# The one rule for writing into a return, which every write path asks (the admin's forms, their
# choices of return and list editing, the returns pages, the workbook upload):
#
# - nobody adds, changes or deletes a figure or narrative of an approved return (the approval
#   lock, which programmes/locks.py also enforces on every save, for every user);
# - a partner editor writes only into a DRAFT return of their own partner: once submitted, the
#   return is frozen for them until the approver sends it back (it is then a draft again), so the
#   approver approves exactly the figures they saw;
# - an administrator keeps the power to correct a draft or submitted return of any partner.
#
# can_edit_return() decides for one return, open_returns_for() for a queryset; they must agree
# (tests/programmes/test_scoping.py holds them together).


def can_edit_return(user, report_return: Return) -> bool:
    """May the user add, change or delete figures and narratives in this return now?"""
    if report_return.status == Return.Status.APPROVED:
        return False
    if has_role(user, Role.ADMINISTRATOR):
        return True
    return report_return.status == Return.Status.DRAFT and enters_figures_for(
        user, report_return.partner_id
    )


def returns_visible_in_grid(user, queryset: QuerySet | None = None) -> QuerySet:
    """Returns on the returns page: everyone's for those who see everything, else own partners'."""
    qs = Return.objects.all() if queryset is None else queryset
    if sees_everything(user):
        return qs
    return qs.filter(partner_id__in=partner_ids_of(user))


def grid_partners(user, queryset: QuerySet | None = None) -> QuerySet:
    """Partners whose rows the returns page shows the user."""
    qs = Partner.objects.all() if queryset is None else queryset
    if sees_everything(user):
        return qs
    return qs.filter(pk__in=partner_ids_of(user))


def may_submit(user, report_return: Return) -> bool:
    return report_return.status == Return.Status.DRAFT and can_edit_return(user, report_return)


def may_approve(user, report_return: Return) -> bool:
    return (
        report_return.status == Return.Status.SUBMITTED
        and has_role(user, Role.APPROVER)
        and report_return.submitted_by_id != user.pk
    )


def approves_own_submission(user, report_return: Return) -> bool:
    """An approver looking at a return they submitted: another approver must approve it."""
    return (
        report_return.status == Return.Status.SUBMITTED
        and has_role(user, Role.APPROVER)
        and report_return.submitted_by_id == user.pk
    )


def may_send_back(user, report_return: Return) -> bool:
    return report_return.status == Return.Status.SUBMITTED and has_role(user, Role.APPROVER)


def may_reopen(user, report_return: Return) -> bool:
    return report_return.status == Return.Status.APPROVED and has_role(user, Role.APPROVER)


def may_use_returns_page(user) -> bool:
    """Analysts, approvers and administrators see every return; editors their partners'."""
    return sees_everything(user) or has_role(user, Role.PARTNER_EDITOR)


# --- The admin ---------------------------------------------------------------------------
#
# In the admin a partner editor works on their own partners' programmes and metrics, so the
# lists there are narrower than the app's pages (where programme and metric definitions are
# public). Every admin class asks the functions below, through programmes/admin_base.py.


def works_on_own_partners_only(user) -> bool:
    """A partner editor with no wider role: the admin shows them their own partners' work."""
    return roles_of(user) == {Role.PARTNER_EDITOR}


def _own_programmes(user) -> QuerySet:
    ids = partner_ids_of(user)
    delivered = Programme.delivery_partners.through.objects.filter(partner_id__in=ids)
    return Programme.objects.filter(
        Q(lead_partner_id__in=ids) | Q(pk__in=delivered.values("programme_id"))
    )


def admin_programmes(user, queryset: QuerySet | None = None) -> QuerySet:
    qs = visible_programmes(user, queryset)
    if works_on_own_partners_only(user):
        qs = qs.filter(pk__in=_own_programmes(user).values("pk"))
    return qs


def admin_metrics(user, queryset: QuerySet | None = None) -> QuerySet:
    qs = visible_metrics(user, queryset)
    if works_on_own_partners_only(user):
        qs = qs.filter(partner_id__in=partner_ids_of(user))
    return qs


def _under(path: str, allowed: QuerySet):
    """Narrow a queryset to rows whose `path` points into `allowed` (a subquery, no joins)."""

    def narrow(user, qs: QuerySet) -> QuerySet:
        if not roles_of(user):
            return qs.none()
        if not works_on_own_partners_only(user):
            return qs
        return qs.filter(**{f"{path}__in": allowed(user).values("pk")})

    return narrow


def _reference(user, qs: QuerySet) -> QuerySet:
    """Reference data (partners, themes, years...) is read by every role."""
    return qs if roles_of(user) else qs.none()


def _admin_rules() -> dict:
    from metrics.models import Comparator, ComparatorArea, Metric, Result, Target
    from programmes.models import (
        Activity,
        Allocation,
        ExpectedOutcome,
        FinancialYear,
        FundingStream,
        Period,
        Theme,
    )

    return {
        Programme: admin_programmes,
        Activity: _under("programme", _own_programmes),
        ExpectedOutcome: _under("activity__programme", _own_programmes),
        Allocation: _under("programme", _own_programmes),
        OutcomeStatement: visible_statements,
        Return: visible_returns,
        Metric: admin_metrics,
        Result: visible_results,
        Target: _under("metric", lambda user: admin_metrics(user)),
        Comparator: _under("metric", lambda user: admin_metrics(user)),
        Partner: _reference,
        Theme: _reference,
        FundingStream: _reference,
        FinancialYear: _reference,
        Period: _reference,
        ComparatorArea: _reference,
    }


def admin_queryset(user, queryset: QuerySet) -> QuerySet:
    """The rows of a model the user may see in the admin; none for a model with no rule."""
    rule = _admin_rules().get(queryset.model)
    if rule is None:
        return queryset.none()
    return rule(user, queryset)


# What each role may change, beyond the model permissions its group holds. Partner editors
# change their own partners' results and narratives while the return is a draft
# (can_edit_return); approvers change returns (their transitions live in the returns services).
def _return_of(obj):
    return getattr(obj, "report_return", None)


def may_change(user, obj) -> bool:
    """May the user change this object (given their group allows changing its kind)?"""
    if has_role(user, Role.ADMINISTRATOR):
        return True
    if isinstance(obj, Return):
        return has_role(user, Role.APPROVER) or can_edit_return(user, obj)
    report_return = _return_of(obj)
    if report_return is not None:
        return can_edit_return(user, report_return)
    return False


def may_delete(user, obj) -> bool:
    return has_role(user, Role.ADMINISTRATOR)


def open_returns_for(user, queryset: QuerySet | None = None) -> QuerySet:
    """Returns the user may put figures and narratives in now: can_edit_return() as a query.

    Any return not approved for an administrator; a partner editor's own partners' drafts.
    """
    qs = Return.objects.all() if queryset is None else queryset
    qs = qs.exclude(status=Return.Status.APPROVED)
    if has_role(user, Role.ADMINISTRATOR):
        return qs
    return qs.filter(status=Return.Status.DRAFT, partner_id__in=editable_partner_ids(user))


def choices_for(user, model, field_name: str, queryset: QuerySet) -> QuerySet:
    """The choices a form field pointing at another model offers this user.

    A figure or narrative may only go into a return open to the user (open_returns_for: a
    partner editor's own draft), and only for a metric or activity they see; any other
    reference offers what the user may see.
    """
    if queryset.model is Return and model is not Return:
        return open_returns_for(user, queryset)
    if queryset.model not in _admin_rules():
        # People (who submitted, who approved) are chosen by administrators only.
        return queryset if has_role(user, Role.ADMINISTRATOR) else queryset.none()
    return admin_queryset(user, queryset)


# Statuses whose figures some user may count: approved for everyone, submitted for those who
# see pending figures. A draft's figures are counted by nobody.
COUNTABLE_STATUSES = frozenset({Return.Status.APPROVED, Return.Status.SUBMITTED})


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
    """Results that may be counted or reported: visible to the user, and approved (or, for an
    analyst who asks, submitted). reportable_results is this rule on every result."""
    statuses = reportable_statuses(user, include_pending=include_pending)
    return visible_results(user, queryset).filter(report_return__status__in=statuses)


def reportable_statements(
    user, queryset: QuerySet | None = None, *, include_pending: bool = False
) -> QuerySet:
    statuses = reportable_statuses(user, include_pending=include_pending)
    return visible_statements(user, queryset).filter(report_return__status__in=statuses)


def figures_scope(user, *, include_pending: bool = False) -> str:
    """Which results reportable_results() counts for this user, as a short key.

    Every user with a role counts the same results for the same statuses (a partner editor's
    own unapproved rows are visible to them but never reportable), so figures computed for one
    such user may be served to another with the same key. If reportable_results() ever depends
    on more than the statuses, this key must say so (tests/programmes/test_scoping.py holds
    the two together).
    """
    if not roles_of(user):
        return "none"
    return "+".join(sorted(reportable_statuses(user, include_pending=include_pending)))
