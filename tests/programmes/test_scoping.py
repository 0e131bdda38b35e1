"""The scoping rule: who sees which figures and narratives."""

import pytest

from programmes.scoping import Role, visible_results, visible_statements
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_partners():
    police, fsu = f.partner(name="Police"), f.partner(name="FSU")
    own = f.result(metric=f.metric(partner=police))
    other_draft = f.result(metric=f.metric(partner=fsu))
    other_approved = f.result(
        metric=f.metric(partner=fsu),
        report_return=f.report_return(partner=fsu, period=f.quarter_period(2019, 2)),
        period=f.quarter_period(2019, 2),
    )
    f.approve(other_approved.report_return)
    return police, own, other_draft, other_approved


def test_a_partner_editor_sees_own_and_approved_results_only(two_partners):
    police, own, _other_draft, other_approved = two_partners
    editor = f.user(Role.PARTNER_EDITOR, partners=(police,))
    assert set(visible_results(editor)) == {own, other_approved}


def test_a_commissioner_sees_approved_results_only(two_partners):
    _, _, _, other_approved = two_partners
    assert list(visible_results(f.user(Role.COMMISSIONER))) == [other_approved]


def test_an_analyst_sees_every_result(two_partners):
    assert visible_results(f.user(Role.ANALYST)).count() == 3


def test_a_user_with_no_role_sees_nothing(two_partners):
    assert not visible_results(f.user()).exists()


def test_a_partner_editor_does_not_see_another_partners_draft_narrative():
    mine, theirs = f.partner(), f.partner()
    f.outcome_statement(activity=f.activity(programme=f.programme(lead_partner=theirs)))
    editor = f.user(Role.PARTNER_EDITOR, partners=(mine,))
    assert not visible_statements(editor).exists()


def test_users_with_the_same_figures_scope_count_the_same_results(two_partners):
    """Cached dashboard figures are shared by figures_scope: it must decide the counted rows."""
    from programmes.scoping import figures_scope, reportable_results

    police, _own, other_draft, _ = two_partners
    f.submit(other_draft.report_return)
    users = [
        f.user(Role.PARTNER_EDITOR, partners=(police,)),
        f.user(Role.PARTNER_EDITOR, partners=(other_draft.metric.partner,)),
        f.user(Role.COMMISSIONER),
        f.user(Role.ANALYST),
        f.user(Role.APPROVER),
        f.user(Role.ADMINISTRATOR),
        f.user(Role.COMMISSIONER, Role.PARTNER_EDITOR, partners=(police,)),
        f.user(),
    ]
    counted: dict[str, set] = {}
    for user in users:
        for include_pending in (False, True):
            key = figures_scope(user, include_pending=include_pending)
            rows = set(reportable_results(user, include_pending=include_pending))
            assert counted.setdefault(key, rows) == rows, (user.username, include_pending)
    # The keys do separate what differs: approved only, with submitted, and nothing.
    assert len({frozenset(rows) for rows in counted.values()}) == len(counted) == 3
