"""Each rule of the programme models is refused by the database and explained by clean()."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from programmes.models import Allocation, FinancialYear, Period, quarter_dates
from tests import factories as f

pytestmark = pytest.mark.django_db


def refused_by_database(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_a_financial_year_is_written_2018_19_and_runs_april_to_march():
    fy = f.year(2018)
    assert str(fy) == "2018/19"
    assert fy.start_date == datetime.date(2018, 4, 1)
    assert fy.end_date == datetime.date(2019, 3, 31)
    assert str(f.year(1999)) == "1999/00"


@pytest.mark.parametrize(
    ("quarter", "first", "last"),
    [
        (1, datetime.date(2019, 4, 1), datetime.date(2019, 6, 30)),
        (2, datetime.date(2019, 7, 1), datetime.date(2019, 9, 30)),
        (3, datetime.date(2019, 10, 1), datetime.date(2019, 12, 31)),
        (4, datetime.date(2020, 1, 1), datetime.date(2020, 3, 31)),
    ],
)
def test_quarters_follow_the_financial_year(quarter, first, last):
    assert quarter_dates(2019, quarter) == (first, last)
    period = f.quarter_period(2019, quarter)
    assert (period.start_date, period.end_date) == (first, last)
    assert str(period) == f"2019/20 Q{quarter}"


def test_a_quarter_outside_1_to_4_is_refused():
    fy = f.year(2019)
    period = Period(kind=Period.Kind.QUARTER, financial_year=fy, quarter=5)
    with pytest.raises(ValidationError, match="A quarter must be 1, 2, 3 or 4"):
        period.full_clean()
    refused_by_database(period.save)


def test_the_same_quarter_twice_is_refused():
    f.quarter_period(2019, 1)
    duplicate = Period(kind=Period.Kind.QUARTER, financial_year=f.year(2019), quarter=1)
    with pytest.raises(ValidationError, match="This quarter already exists"):
        duplicate.full_clean()
    refused_by_database(duplicate.save)


def test_a_year_period_with_a_quarter_is_refused():
    period = Period(kind=Period.Kind.YEAR, financial_year=f.year(2019), quarter=2)
    with pytest.raises(ValidationError, match="a quarter needs both"):
        period.full_clean()
    refused_by_database(period.save)


def test_a_date_range_that_ends_before_it_starts_is_refused():
    period = Period(
        kind=Period.Kind.RANGE,
        start_date=datetime.date(2017, 3, 31),
        end_date=datetime.date(2016, 4, 1),
    )
    with pytest.raises(ValidationError, match="last day must not be before the first"):
        period.full_clean()
    refused_by_database(period.save)


def test_a_date_range_keeps_its_label():
    period = Period.objects.create(
        kind=Period.Kind.RANGE,
        start_date=datetime.date(2016, 4, 1),
        end_date=datetime.date(2017, 3, 31),
        label_text="April 2016 - March 2017",
    )
    assert str(period) == "April 2016 - March 2017"


def test_an_implausible_financial_year_is_refused():
    with pytest.raises(ValidationError, match="between 1990 and 2100"):
        FinancialYear(start_year=1066).full_clean()
    refused_by_database(lambda: FinancialYear.objects.create(start_year=1066))


def test_a_negative_allocation_is_refused():
    allocation = Allocation(
        programme=f.programme(), funding_stream=f.stream(), financial_year=f.year(), amount=-1
    )
    with pytest.raises(ValidationError, match="cannot be a negative amount"):
        allocation.full_clean()
    refused_by_database(allocation.save)


def test_an_allocation_without_a_published_amount_is_allowed():
    allocation = Allocation.objects.create(
        programme=f.programme(), funding_stream=f.stream(), financial_year=f.year(), amount=None
    )
    allocation.full_clean()


def test_a_second_allocation_from_the_same_stream_and_year_is_refused():
    first = Allocation.objects.create(
        programme=f.programme(), funding_stream=f.stream(), financial_year=f.year(), amount=100
    )
    second = Allocation(
        programme=first.programme,
        funding_stream=first.funding_stream,
        financial_year=first.financial_year,
        amount=200,
    )
    with pytest.raises(ValidationError, match="already has an allocation"):
        second.full_clean()
    refused_by_database(second.save)


def test_a_second_outcome_for_the_same_activity_and_return_is_refused():
    first = f.outcome_statement()
    second = type(first)(activity=first.activity, report_return=first.report_return, text="Again.")
    with pytest.raises(ValidationError, match="already has an outcome in this return"):
        second.full_clean()
    refused_by_database(second.save)


def test_a_second_return_for_the_same_partner_and_period_is_refused():
    first = f.report_return()
    second = type(first)(partner=first.partner, period=first.period)
    with pytest.raises(ValidationError, match="already has a return for this period"):
        second.full_clean()
    refused_by_database(second.save)
