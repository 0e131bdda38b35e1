"""Each programme filter narrows the list as it should."""

from decimal import Decimal

import pytest
from django.test import RequestFactory

from programmes.filtersets import ProgrammeFilterSet
from programmes.listing import programmes_queryset
from programmes.models import Allocation, Return
from programmes.scoping import Role
from programmes.services import reopen_return
from tests import factories as f

pytestmark = pytest.mark.django_db


def filtered(user, **params):
    request = RequestFactory().get("/programmes/", params)
    request.user = user
    fs = ProgrammeFilterSet(request.GET, queryset=programmes_queryset(user), request=request)
    return set(fs.qs.values_list("slug", flat=True))


def test_no_filter_lists_every_programme(demo, analyst):
    assert filtered(analyst) == {"target-hardening", "hate-crime-challenge", "asb-reduction"}


def test_theme_filter_keeps_the_programmes_of_that_theme(demo, analyst):
    hate = demo["themes"][1]
    assert filtered(analyst, theme=hate.pk) == {"hate-crime-challenge"}


def test_lead_partner_filter_keeps_the_partners_programmes(demo, analyst):
    fsu = demo["partners"][2]
    assert filtered(analyst, lead_partner=fsu.pk) == {"target-hardening"}


def test_funding_stream_filter_keeps_programmes_funded_by_it(demo, analyst):
    pcc, csp = demo["streams"]
    assert filtered(analyst, funding_stream=pcc.pk) == {"target-hardening", "hate-crime-challenge"}
    assert filtered(analyst, funding_stream=csp.pk) == {"asb-reduction"}


def test_funding_stream_with_a_year_needs_funding_in_that_year(demo, analyst):
    pcc = demo["streams"][0]
    y17 = demo["years"][0]
    assert filtered(analyst, funding_stream=pcc.pk, year=y17.pk) == set()


def test_year_filter_keeps_programmes_active_that_year(demo, analyst):
    _, y18, _ = demo["years"]
    newcomer = f.programme(name="Started in 2019", slug="newcomer")
    Allocation.objects.create(
        programme=newcomer,
        funding_stream=demo["streams"][0],
        financial_year=f.year(2020),
        amount=Decimal(5),
    )
    assert "newcomer" not in filtered(analyst, year=y18.pk)
    assert filtered(analyst, year=y18.pk) >= {"target-hardening", "asb-reduction"}
    assert filtered(analyst, year=f.year(2020).pk) == {"newcomer"}


def test_rag_status_filter_keeps_programmes_with_a_metric_in_that_status(demo, analyst):
    y18 = demo["years"][1]
    # 2018/19: homes made safer green, ASB reports green, hate crimes solved amber.
    assert filtered(analyst, status="green", year=y18.pk) == {"target-hardening", "asb-reduction"}
    assert filtered(analyst, status="amber", year=y18.pk) == {"hate-crime-challenge"}
    assert filtered(analyst, status="red", year=y18.pk) == set()


def test_rag_status_counts_pending_figures_only_when_asked(demo, analyst):
    homes = demo["metrics"][0]
    # Only Q1 and Q2 are in, so the year shows the latest quarter, measured on its target.
    f.target(metric=homes, period=f.quarter_period(2019, 2), value=500)
    # The only 2019/20 figures are submitted, not approved: without them the programme has
    # nothing in that year at all.
    y19 = demo["years"][2]
    assert filtered(analyst, year=y19.pk) == set()
    assert "target-hardening" in filtered(analyst, status="red", year=y19.pk, include_pending="on")


def test_a_commissioner_cannot_include_pending_figures(demo):
    commissioner = f.user(Role.COMMISSIONER)
    homes = demo["metrics"][0]
    f.target(metric=homes, period=f.quarter_period(2019, 2), value=500)
    y19 = demo["years"][2]
    assert filtered(commissioner, status="red", year=y19.pk, include_pending="on") == set()


def test_free_text_matches_name_theme_or_partner(demo, analyst):
    assert filtered(analyst, q="hardening") == {"target-hardening"}
    assert filtered(analyst, q="racism") == {"hate-crime-challenge"}
    assert filtered(analyst, q="wirral council") == {"asb-reduction"}
    assert filtered(analyst, q="domestic") == {"target-hardening"}


def test_a_user_with_no_role_sees_no_programmes(demo):
    assert filtered(f.user()) == set()


def test_draft_return_figures_never_count_for_an_editor(demo):
    fsu = demo["partners"][2]
    editor = f.user(Role.PARTNER_EDITOR, partners=(fsu,))
    approver = f.user(Role.APPROVER)
    for ret in Return.objects.filter(partner=fsu, status=Return.Status.APPROVED):
        reopen_return(report_return=ret, user=approver, reason="Recheck")
    y18 = demo["years"][1]
    assert "target-hardening" in filtered(editor, status="no_figure", year=y18.pk)
