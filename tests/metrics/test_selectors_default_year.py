"""Which year the pages and the funding report open on."""

import datetime

import pytest

from metrics.selectors import default_year
from programmes.scoping import Role
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 25)


def approved_result(start_year, quarter=None):
    period = f.quarter_period(start_year, quarter) if quarter else f.year_period(start_year)
    ret = f.report_return(partner=f.partner(), period=period)
    f.result(metric=f.metric(partner=ret.partner), period=period, report_return=ret)
    f.approve(ret)


def test_one_quarter_of_the_current_year_does_not_move_the_default_from_the_last_full_year():
    approved_result(2018)
    approved_result(2026, quarter=1)
    assert default_year(f.user(Role.ANALYST), today=TODAY).label == "2018/19"


def test_the_current_year_is_the_default_when_it_is_the_only_one_with_figures():
    approved_result(2026, quarter=1)
    assert default_year(f.user(Role.ANALYST), today=TODAY).label == "2026/27"


def test_the_funding_report_page_opens_on_the_same_year(client):
    approved_result(2018)
    approved_result(2026, quarter=1)
    client.force_login(f.user(Role.COMMISSIONER))
    from django.urls import reverse

    form = client.get(reverse("reports:report_index")).context["form"]
    assert form.fields["year"].initial == default_year(f.user(Role.COMMISSIONER)).label
