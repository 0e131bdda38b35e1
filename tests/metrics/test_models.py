"""Each rule of the metric models is refused by the database and explained by clean()."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from metrics.models import Comparator, Qualifier, Result, Target, Unit
from programmes.models import Return
from tests import factories as f

pytestmark = pytest.mark.django_db


def refused_by_database(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def unsaved_result(metric, value, period=None):
    period = period or f.quarter_period()
    ret = Return.objects.get_or_create(partner=metric.partner, period=period)[0]
    return Result(metric=metric, period=period, report_return=ret, value=Decimal(value))


def test_a_percentage_over_100_is_refused():
    result = unsaved_result(f.metric(unit=Unit.PERCENTAGE, name="Hate crimes solved"), "120")
    with pytest.raises(ValidationError, match="is a percentage and cannot be more than 100"):
        result.full_clean()
    refused_by_database(result.save)


def test_a_negative_count_is_refused():
    result = unsaved_result(f.metric(unit=Unit.COUNT, name="Addresses"), "-1")
    with pytest.raises(ValidationError, match="cannot be negative"):
        result.full_clean()
    refused_by_database(result.save)


def test_a_count_over_100_is_fine():
    result = unsaved_result(f.metric(unit=Unit.COUNT), "6029")
    result.full_clean()
    result.save()
    assert result.unit == Unit.COUNT


def test_a_second_result_for_the_same_metric_and_period_is_refused():
    first = f.result()
    second = unsaved_result(first.metric, "5", first.period)
    with pytest.raises(ValidationError, match="already has a result for this period"):
        second.full_clean()
    refused_by_database(second.save)


def test_a_result_must_be_in_its_metrics_partners_return():
    m = f.metric()
    other = f.report_return()
    result = Result(metric=m, period=other.period, report_return=other, value=Decimal(1))
    with pytest.raises(ValidationError, match=f"is reported by {m.partner}"):
        result.full_clean()


def test_a_return_cannot_report_a_period_that_begins_after_it():
    m = f.metric()
    ret = f.report_return(partner=m.partner, period=f.quarter_period(2019, 1))
    result = Result(metric=m, period=f.quarter_period(2019, 3), report_return=ret, value=Decimal(1))
    with pytest.raises(ValidationError, match="which has not begun"):
        result.full_clean()


def test_a_figure_for_an_earlier_period_says_so():
    m = f.metric()
    ret = f.report_return(partner=m.partner, period=f.year_period(2018))
    earlier = f.result(metric=m, period=f.year_period(2016), report_return=ret, value="5.22")
    same = f.result(metric=m, period=f.year_period(2018), report_return=ret, value="5")
    assert earlier.describes_earlier_period
    assert not same.describes_earlier_period


def test_a_result_keeps_its_value_exactly_as_entered():
    result = f.result(value="5.2200")
    result.refresh_from_db()
    assert result.value == Decimal("5.22")
    assert result.qualifier == Qualifier.EXACT


def test_a_metrics_unit_cannot_change_once_it_has_results():
    result = f.result(metric=f.metric(unit=Unit.COUNT))
    m = result.metric
    m.unit = Unit.PERCENTAGE
    with pytest.raises(ValidationError, match="would re-label them"):
        m.full_clean()


def test_a_singular_needs_the_label_it_stands_in_for():
    m = f.metric(unit=Unit.COUNT, unit_label="", unit_label_singular="young person")
    with pytest.raises(ValidationError, match="Give what is counted"):
        m.full_clean()
    m.unit_label = "young people"
    m.full_clean()


def test_a_target_percentage_over_100_is_refused():
    target = Target(
        metric=f.metric(unit=Unit.PERCENTAGE), period=f.quarter_period(), value=Decimal(101)
    )
    with pytest.raises(ValidationError, match="cannot be more than 100"):
        target.full_clean()
    refused_by_database(target.save)


def test_a_comparator_needs_a_value_or_a_rank():
    comparator = Comparator(metric=f.metric(), period=f.year_period(), area=f.comparator_area())
    with pytest.raises(ValidationError, match="needs a value, a rank, or both"):
        comparator.full_clean()
    refused_by_database(comparator.save)


def test_a_rank_beyond_the_group_is_refused():
    comparator = Comparator(
        metric=f.metric(),
        period=f.year_period(),
        area=f.comparator_area(),
        rank=16,
        rank_order=Comparator.RankOrder.LOWEST,
        group_size=15,
    )
    with pytest.raises(ValidationError, match="cannot be larger than the number of areas"):
        comparator.full_clean()
    refused_by_database(comparator.save)


def test_a_rank_must_say_lowest_or_highest():
    comparator = Comparator(
        metric=f.metric(), period=f.year_period(), area=f.comparator_area(), rank=4
    )
    with pytest.raises(ValidationError, match="lowest or highest"):
        comparator.full_clean()
    refused_by_database(comparator.save)


def test_a_comparator_percentage_over_100_is_refused():
    comparator = Comparator(
        metric=f.metric(unit=Unit.PERCENTAGE),
        period=f.year_period(),
        area=f.comparator_area(),
        value=Decimal("140.9"),
    )
    with pytest.raises(ValidationError, match="cannot be more than 100"):
        comparator.full_clean()
    refused_by_database(comparator.save)


def test_the_same_comparator_twice_is_refused():
    first = f.comparator(value="40.9")
    second = Comparator(metric=first.metric, period=first.period, area=first.area, value=Decimal(1))
    with pytest.raises(ValidationError, match="already has a comparator for this area"):
        second.full_clean()
    refused_by_database(second.save)
