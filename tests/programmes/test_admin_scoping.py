"""The admin's part of the scoping rule: editors work on their own partners' programmes."""

import pytest

from programmes.scoping import (
    Role,
    admin_metrics,
    admin_programmes,
    admin_queryset,
    may_change,
    may_delete,
    open_returns_for,
    works_on_own_partners_only,
)
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_an_editor_works_on_programmes_their_partner_leads_or_delivers():
    mine, theirs = f.partner(), f.partner()
    led = f.programme(lead_partner=mine)
    delivered = f.programme(lead_partner=theirs)
    delivered.delivery_partners.add(mine)
    f.programme(lead_partner=theirs)
    editor = f.user(Role.PARTNER_EDITOR, partners=(mine,))
    assert set(admin_programmes(editor)) == {led, delivered}


def test_an_editor_who_is_also_a_commissioner_sees_every_programme():
    mine = f.partner()
    f.programme()
    user = f.user(Role.PARTNER_EDITOR, Role.COMMISSIONER, partners=(mine,))
    assert not works_on_own_partners_only(user)
    assert admin_programmes(user).count() == 1


def test_an_editor_sees_only_the_metrics_their_partner_reports():
    mine = f.partner()
    own = f.metric(partner=mine)
    f.metric()
    assert list(admin_metrics(f.user(Role.PARTNER_EDITOR, partners=(mine,)))) == [own]


def test_targets_follow_the_metrics_an_editor_sees():
    mine = f.partner()
    own = f.target(metric=f.metric(partner=mine))
    other = f.target()
    editor = f.user(Role.PARTNER_EDITOR, partners=(mine,))
    assert list(admin_queryset(editor, type(own).objects.all())) == [own]
    assert admin_queryset(f.user(Role.COMMISSIONER), type(own).objects.all()).count() == 2
    assert other in admin_queryset(f.user(Role.ANALYST), type(own).objects.all())


def test_a_user_without_a_role_sees_no_reference_data():
    f.partner()
    from programmes.models import Partner

    assert not admin_queryset(f.user(), Partner.objects.all()).exists()


def test_figures_go_only_into_open_returns_of_the_editors_partners():
    mine, theirs = f.partner(), f.partner()
    open_one = f.report_return(partner=mine, period=f.quarter_period(2019, 1))
    f.approve(f.report_return(partner=mine, period=f.quarter_period(2019, 2)))
    f.report_return(partner=theirs, period=f.quarter_period(2019, 1))
    assert list(open_returns_for(f.user(Role.PARTNER_EDITOR, partners=(mine,)))) == [open_one]
    assert not open_returns_for(f.user(Role.ANALYST)).exists()
    assert open_returns_for(f.user(Role.ADMINISTRATOR)).count() == 2


def test_an_editor_may_change_their_own_open_figures_only():
    mine = f.partner()
    editor = f.user(Role.PARTNER_EDITOR, partners=(mine,))
    own = f.result(metric=f.metric(partner=mine))
    approved = f.result(
        metric=own.metric,
        period=f.quarter_period(2019, 2),
        report_return=f.report_return(partner=mine, period=f.quarter_period(2019, 2)),
    )
    f.approve(approved.report_return)
    assert may_change(editor, own)
    assert not may_change(editor, approved)
    assert not may_change(editor, f.result())
    assert not may_change(editor, own.metric)
    assert not may_delete(editor, own)
    assert may_delete(f.user(Role.ADMINISTRATOR), own)
    assert may_change(f.user(Role.APPROVER), own.report_return)
    assert not may_change(f.user(Role.ANALYST), own)
