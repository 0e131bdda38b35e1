"""Which figures count: approved only, or approved plus submitted ones marked as pending."""

import pytest

from metrics.models import Result
from programmes.scoping import Role, approved_only, with_pending
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def three():
    p = f.partner()
    rows = {}
    for quarter, state in [(1, "draft"), (2, "submitted"), (3, "approved")]:
        period = f.quarter_period(2019, quarter)
        ret = f.report_return(partner=p, period=period)
        rows[state] = f.result(metric=f.metric(partner=p), period=period, report_return=ret)
        if state == "submitted":
            f.submit(ret)
        if state == "approved":
            f.approve(ret)
    return rows


def test_approved_only_keeps_approved_figures(three):
    assert list(approved_only(Result.objects.all())) == [three["approved"]]


def test_an_analyst_may_include_submitted_figures_marked_pending(three):
    rows = with_pending(f.user(Role.ANALYST), Result.objects.all(), include_submitted=True)
    assert {(r.pk, r.is_pending) for r in rows} == {
        (three["submitted"].pk, True),
        (three["approved"].pk, False),
    }


def test_without_asking_an_analyst_gets_approved_figures_only(three):
    rows = with_pending(f.user(Role.ANALYST), Result.objects.all())
    assert [(r.pk, r.is_pending) for r in rows] == [(three["approved"].pk, False)]


@pytest.mark.parametrize("role", [Role.COMMISSIONER, Role.PARTNER_EDITOR])
def test_a_commissioner_or_editor_asking_for_pending_gets_approved_only(three, role):
    rows = with_pending(f.user(role), Result.objects.all(), include_submitted=True)
    assert [r.pk for r in rows] == [three["approved"].pk]
