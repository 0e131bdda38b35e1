"""Each metric filter narrows the list as it should."""

import pytest
from django.test import RequestFactory

from metrics.filtersets import MetricFilterSet
from metrics.models import Direction, Unit
from metrics.selectors import metrics_queryset
from programmes.scoping import Role
from tests import factories as f

pytestmark = pytest.mark.django_db

ALL = {"homes-made-safer", "asb-reports", "crime-rate", "hate-crimes-solved"}


def filtered(user, **params):
    request = RequestFactory().get("/metrics/", params)
    request.user = user
    fs = MetricFilterSet(request.GET, queryset=metrics_queryset(user), request=request)
    return set(fs.qs.values_list("slug", flat=True))


def test_no_filter_lists_every_metric(demo, analyst):
    assert filtered(analyst) == ALL


def test_theme_matches_the_metrics_own_theme_or_its_programmes(demo, analyst):
    asb = demo["themes"][0]
    # ASB reports by its programme's theme; the crime rate, area-wide, by its own.
    assert filtered(analyst, theme=asb.pk) == {"asb-reports", "crime-rate"}


def test_partner_filter_keeps_the_metrics_that_partner_reports(demo, analyst):
    police = demo["partners"][0]
    assert filtered(analyst, partner=police.pk) == {"crime-rate", "hate-crimes-solved"}


def test_unit_filter(demo, analyst):
    assert filtered(analyst, unit=Unit.PERCENTAGE) == {"hate-crimes-solved"}
    assert filtered(analyst, unit=Unit.RATE_PER_1000) == {"crime-rate"}


def test_direction_filter(demo, analyst):
    assert filtered(analyst, direction=Direction.LOWER_IS_BETTER) == {"asb-reports", "crime-rate"}


def test_headline_only_keeps_headline_metrics_and_unticked_keeps_all(demo, analyst):
    assert filtered(analyst, headline="on") == {"homes-made-safer", "asb-reports", "crime-rate"}
    assert filtered(analyst, headline="") == ALL


def test_status_filter_uses_the_chosen_years_figures(demo, analyst):
    y18 = demo["years"][1]
    assert filtered(analyst, status="red", year=y18.pk) == {"crime-rate"}
    assert filtered(analyst, status="amber", year=y18.pk) == {"hate-crimes-solved"}
    assert filtered(analyst, status="green", year=y18.pk) == {"homes-made-safer", "asb-reports"}


def test_status_filter_without_a_year_uses_the_latest_year_with_approved_figures(demo, analyst):
    assert filtered(analyst, status="red") == {"crime-rate"}


def test_year_filter_keeps_metrics_with_counted_figures_that_year(demo, analyst):
    y19 = demo["years"][2]
    assert filtered(analyst, year=y19.pk) == set()
    assert filtered(analyst, year=y19.pk, include_pending="on") == {"homes-made-safer"}


def test_free_text_searches_name_programme_and_partner(demo, analyst):
    assert filtered(analyst, q="crime rate") == {"crime-rate"}
    assert filtered(analyst, q="hardening") == {"homes-made-safer"}
    assert filtered(analyst, q="family safety") == {"homes-made-safer"}


def test_the_include_pending_box_is_not_offered_to_a_commissioner(demo):
    request = RequestFactory().get("/metrics/")
    request.user = f.user(Role.COMMISSIONER)
    fs = MetricFilterSet(request.GET, queryset=metrics_queryset(request.user), request=request)
    assert "include_pending" not in fs.form.fields
    request.user = f.user(Role.ANALYST)
    fs = MetricFilterSet(request.GET, queryset=metrics_queryset(request.user), request=request)
    assert "include_pending" in fs.form.fields
