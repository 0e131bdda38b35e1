"""The synthetic dataset: scaled, believable, deterministic, valid, and cleared without harm."""

from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import F

from metrics import synthetic
from metrics.models import Comparator, Metric, Qualifier, Result, Target, Unit
from programmes.models import (
    Activity,
    Allocation,
    ExpectedOutcome,
    FinancialYear,
    OutcomeStatement,
    Partner,
    Period,
    Programme,
    Return,
    Theme,
)
from tests import factories

pytestmark = pytest.mark.django_db

SMALL = 0.01


def synthetic_results():
    return Result.objects.filter(metric__slug__startswith=synthetic.PREFIX)


def test_counts_follow_the_scale():
    scale = 0.1
    summary = synthetic.generate(scale=scale)

    years = list(FinancialYear.objects.values_list("start_year", flat=True))
    assert years == list(range(2015, 2025))
    assert Period.objects.filter(kind=Period.Kind.YEAR).count() == 10
    assert Period.objects.filter(kind=Period.Kind.QUARTER).count() == 40
    assert Partner.objects.filter(slug__startswith="syn-").count() == round(40 * scale)
    assert Programme.objects.filter(slug__startswith="syn-").count() == round(400 * scale)
    assert Metric.objects.filter(slug__startswith="syn-").count() == round(4000 * scale)
    results = synthetic_results().count()
    # "About 150,000" at scale 1.
    assert 0.9 * 150_000 * scale <= results <= 1.1 * 150_000 * scale
    assert summary.counts["results"] == results
    assert summary.counts["metrics"] == round(4000 * scale)


def test_the_data_is_varied_as_real_data_is():
    synthetic.generate(scale=0.1)
    metrics = Metric.objects.filter(slug__startswith="syn-")
    assert len(set(metrics.values_list("unit", flat=True))) >= len(Unit) - 1
    assert {"sum", "average", "latest"} == set(metrics.values_list("aggregation", flat=True))
    assert {"higher", "lower", "neither"} == set(metrics.values_list("direction", flat=True))
    assert len(set(metrics.values_list("decimal_places", flat=True))) >= 3
    assert metrics.filter(is_headline=True).exists()
    assert metrics.filter(programme=None).exists()
    assert synthetic_results().filter(qualifier=Qualifier.OVER).exists()
    assert Target.objects.filter(metric__in=metrics).exists()
    areas = set(Comparator.objects.filter(metric__in=metrics).values_list("area__name", flat=True))
    assert areas == {"England", "Merseyside", "Most similar group"}
    assert Comparator.objects.filter(metric__in=metrics, rank__isnull=False).exists()
    assert Allocation.objects.filter(programme__slug__startswith="syn-", amount__gt=0).exists()
    assert Programme.objects.filter(slug__startswith="syn-", delivery_partners__isnull=False)


def test_values_are_believable_for_their_unit():
    synthetic.generate(scale=0.1)
    results = synthetic_results()
    assert not results.filter(value__lt=0).exists()
    assert not results.filter(unit=Unit.PERCENTAGE, value__gt=100).exists()
    assert not results.filter(unit=Unit.RATE_PER_REOFFENDER, value__gt=10).exists()
    assert not results.filter(unit=Unit.RATE_PER_1000, value__gt=200).exists()
    counts = results.filter(unit=Unit.COUNT).values_list("value", flat=True)
    assert all(value == value.to_integral_value() for value in counts)
    assert not results.exclude(unit=F("metric__unit")).exists()


def test_a_metric_rolled_up_from_quarters_stores_no_year_value():
    synthetic.generate(scale=SMALL)
    kinds = Counter(synthetic_results().values_list("metric_id", "period__kind").distinct())
    by_metric = Counter(metric_id for metric_id, _kind in kinds)
    assert by_metric and all(n == 1 for n in by_metric.values())
    # Most metrics are reported quarterly.
    quarterly = sum(1 for _m, kind in kinds if kind == Period.Kind.QUARTER)
    assert quarterly > 0.8 * len(by_metric)


def test_every_return_state_is_present_and_recent_quarters_are_incomplete():
    synthetic.generate(scale=SMALL)
    returns = Return.objects.filter(partner__slug__startswith="syn-").select_related("period")
    statuses = set(returns.values_list("status", flat=True))
    assert statuses == {Return.Status.DRAFT, Return.Status.SUBMITTED, Return.Status.APPROVED}
    assert returns.filter(status=Return.Status.DRAFT).exclude(note="").exists()
    for ret in returns.filter(status=Return.Status.APPROVED):
        assert ret.approved_by is not None
        assert ret.submitted_at < ret.approved_at
    assert not returns.filter(status=Return.Status.SUBMITTED, submitted_at=None).exists()
    latest = Period.objects.filter(kind=Period.Kind.QUARTER).order_by("-start_date").first()
    partners = Partner.objects.filter(slug__startswith="syn-").count()
    assert returns.filter(period=latest).count() < partners  # some are missing
    assert not returns.filter(period=latest, status=Return.Status.APPROVED).exists()
    late = [
        r
        for r in returns
        if r.submitted_at and (r.submitted_at.date() - r.period.end_date).days > 30
    ]
    assert late


def test_two_runs_with_the_same_seed_give_the_same_rows():
    synthetic.generate(scale=SMALL, seed=7)
    first = synthetic.checksum()
    synthetic.generate(scale=SMALL, seed=7, clear_first=True)
    assert synthetic.checksum() == first
    synthetic.generate(scale=SMALL, seed=8, clear_first=True)
    assert synthetic.checksum() != first


def test_every_synthetic_row_passes_model_validation():
    synthetic.generate(scale=SMALL)
    prefix = "syn-"
    querysets = [
        Partner.objects.filter(slug__startswith=prefix),
        Programme.objects.filter(slug__startswith=prefix),
        Allocation.objects.filter(programme__slug__startswith=prefix),
        Activity.objects.filter(programme__slug__startswith=prefix),
        ExpectedOutcome.objects.filter(activity__programme__slug__startswith=prefix),
        Metric.objects.filter(slug__startswith=prefix),
        Return.objects.filter(partner__slug__startswith=prefix).select_related("period"),
        synthetic_results().select_related("metric", "period", "report_return__period"),
        Target.objects.filter(metric__slug__startswith=prefix).select_related("metric"),
        Comparator.objects.filter(metric__slug__startswith=prefix).select_related("metric"),
        OutcomeStatement.objects.filter(
            activity__programme__slug__startswith=prefix
        ).select_related("report_return__period"),
    ]
    checked = 0
    for queryset in querysets:
        rows = list(queryset)
        assert rows, queryset.model.__name__
        for row in rows:
            row.full_clean()
            checked += 1
    assert checked > 1000


def test_clear_removes_only_synthetic_rows():
    real_theme = factories.theme(name="Hate crime", slug="hate-crime")
    real_metric = factories.metric(programme=factories.programme(theme=real_theme))
    real_result = factories.result(metric=real_metric)
    real_return = real_result.report_return
    factories.approve(real_return)
    before = {
        model: model.objects.count()
        for model in (Partner, Programme, Metric, Result, Return, Theme, get_user_model())
    }

    synthetic.generate(scale=SMALL)
    assert Theme.objects.get(name="Hate crime") == real_theme  # reused, not duplicated
    deleted = synthetic.clear()

    assert deleted["Result"] > 0
    after = {model: model.objects.count() for model in before}
    assert after == before
    real_result.refresh_from_db()
    real_return.refresh_from_db()
    assert real_return.status == Return.Status.APPROVED
    assert not Partner.objects.filter(slug__startswith="syn-").exists()
    assert not get_user_model().objects.filter(username__startswith="syn-").exists()


def test_the_command_refuses_to_add_a_second_dataset_unless_told_to_clear():
    out = StringIO()
    call_command("generate_synthetic", "--scale", str(SMALL), "-v0", stdout=out)
    assert "results" in out.getvalue()
    first = synthetic_results().count()
    with pytest.raises(CommandError, match="--clear"):
        call_command("generate_synthetic", "--scale", str(SMALL), "-v0", stdout=StringIO())
    out = StringIO()
    call_command(
        "generate_synthetic", "--scale", str(SMALL), "--clear", "--checksum", "-v0", stdout=out
    )
    assert synthetic_results().count() == first
    assert f"Checksum: {synthetic.checksum()}" in out.getvalue()


def test_the_command_refuses_a_scale_that_is_not_positive():
    with pytest.raises(CommandError, match="positive"):
        call_command("generate_synthetic", "--scale", "0", stdout=StringIO())
