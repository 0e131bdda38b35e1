"""Which figures count (scoping.reportable_results): approved only, or with submitted ones."""

import pytest

from programmes.models import Return
from programmes.scoping import Role, reportable_results
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


def pending_marks(rows) -> set[tuple[int, bool]]:
    """Each counted row with whether it is pending (submitted, not yet approved)."""
    return {(r.pk, r.report_return.status == Return.Status.SUBMITTED) for r in rows}


def test_approved_only_keeps_approved_figures(three):
    assert list(reportable_results(f.user(Role.COMMISSIONER))) == [three["approved"]]


def test_an_analyst_may_include_submitted_figures_marked_pending(three):
    rows = reportable_results(f.user(Role.ANALYST), include_pending=True)
    assert pending_marks(rows) == {
        (three["submitted"].pk, True),
        (three["approved"].pk, False),
    }


def test_without_asking_an_analyst_gets_approved_figures_only(three):
    rows = reportable_results(f.user(Role.ANALYST))
    assert pending_marks(rows) == {(three["approved"].pk, False)}


@pytest.mark.parametrize("role", [Role.COMMISSIONER, Role.PARTNER_EDITOR])
def test_a_commissioner_or_editor_asking_for_pending_gets_approved_only(three, role):
    rows = reportable_results(f.user(role), include_pending=True)
    assert [r.pk for r in rows] == [three["approved"].pk]
