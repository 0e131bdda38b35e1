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
