"""The calculations every page and report uses, checked against the 2018/19 report's figures."""

from decimal import Decimal as D

import pytest

from metrics.calculations import (
    Assessment,
    Figure,
    Rag,
    change,
    comparator_gap,
    format_value,
    number_text,
    rag_status,
    rank_words,
    roll_up,
)
from metrics.models import Aggregation, Direction, Qualifier, Unit


def test_asb_incidents_fell_30_percent_which_is_better():
    c = change(D(8617), D(6029), Direction.LOWER_IS_BETTER)
    assert c.absolute == D(-2588)
    assert c.percent_rounded() == D("-30.0")
    assert c.assessment == Assessment.BETTER
    assert c.words() == "down 30%, better"


def test_hate_marac_referrals_rose_82_5_percent():
    c = change(D(103), D(188), Direction.HIGHER_IS_BETTER)
    assert c.percent_rounded() == D("82.5")
    assert c.assessment == Assessment.BETTER
    assert c.words() == "up 82.5%, better"


def test_hate_crime_through_cjs_rose_from_346_to_408():
    c = change(D(346), D(408), Direction.HIGHER_IS_BETTER)
    assert c.absolute == D(62)
    assert c.percent_rounded() == D("17.9")


def test_a_rise_is_worse_when_lower_is_better():
    assert change(D(10), D(12), Direction.LOWER_IS_BETTER).assessment == Assessment.WORSE


def test_a_metric_with_no_direction_is_not_assessed():
    c = change(D(10), D(12), Direction.NEITHER)
    assert c.assessment == Assessment.NOT_ASSESSED
    assert c.words() == "up 20%"


def test_change_from_zero_has_no_percentage():
    c = change(D(0), D(5), Direction.HIGHER_IS_BETTER)
    assert c.percent is None
    assert c.words() == "up, better"


def test_change_against_a_lower_bound_is_marked_approximate():
    c = change(Figure(D(400), Qualifier.OVER), D(500), Direction.HIGHER_IS_BETTER)
    assert c.approximate
    assert c.words().startswith("about up 25%")


@pytest.mark.parametrize(
    ("rule", "expected"),
    [(Aggregation.SUM, D(80)), (Aggregation.AVERAGE, D(20)), (Aggregation.LATEST, D(26))],
)
def test_roll_up_by_rule(rule, expected):
    quarters = [Figure(D(v)) for v in (18, 16, 20, 26)]
    assert roll_up(quarters, rule).value == expected


def test_monthly_caseload_averages_to_80():
    # "On average a monthly total of 80 prolific offenders" is an average, not a sum.
    quarters = [Figure(D(v)) for v in (78, 82, 79, 81)]
    assert roll_up(quarters, Aggregation.AVERAGE).value == D(80)


def test_a_missing_quarter_gives_no_year_total():
    assert roll_up([Figure(D(1)), None, Figure(D(2)), Figure(D(3))], Aggregation.SUM) is None


def test_latest_takes_the_last_quarter_held():
    assert roll_up([Figure(D(5)), Figure(D(7)), None, None], Aggregation.LATEST).value == D(7)


def test_a_lower_bound_quarter_makes_the_year_a_lower_bound():
    quarters = [Figure(D(100), Qualifier.OVER), Figure(D(1)), Figure(D(1)), Figure(D(1))]
    assert roll_up(quarters, Aggregation.SUM).qualifier == Qualifier.OVER


@pytest.mark.parametrize(
    ("actual", "target", "last_year", "direction", "expected"),
    [
        (D(100), D(100), None, Direction.HIGHER_IS_BETTER, Rag.GREEN),
        (D(91), D(100), None, Direction.HIGHER_IS_BETTER, Rag.GREEN),  # within 10%
        (D(90), D(100), None, Direction.HIGHER_IS_BETTER, Rag.GREEN),  # exactly 10% off
        (D(89), D(100), D(80), Direction.HIGHER_IS_BETTER, Rag.AMBER),  # off, but better
        (D(89), D(100), D(95), Direction.HIGHER_IS_BETTER, Rag.RED),  # off and worse
        (D(89), D(100), None, Direction.HIGHER_IS_BETTER, Rag.RED),  # off, nothing to compare
        (D(6029), D(7000), None, Direction.LOWER_IS_BETTER, Rag.GREEN),  # under a ceiling
        (D(8000), D(7000), D(8617), Direction.LOWER_IS_BETTER, Rag.AMBER),
        (D(8000), D(7000), D(7500), Direction.LOWER_IS_BETTER, Rag.RED),
    ],
)
def test_rag_status_follows_the_domain_rule(actual, target, last_year, direction, expected):
    status = rag_status(
        actual=actual, target=target, direction=direction, same_period_last_year=last_year
    )
    assert status == expected


def test_no_target_means_no_rag_status():
    assert rag_status(actual=D(1), target=None, direction=Direction.HIGHER_IS_BETTER) is None


def test_binary_reoffending_39_percent_is_better_than_england_and_merseyside():
    england = comparator_gap(D(39), D("40.9"), Direction.LOWER_IS_BETTER)
    merseyside = comparator_gap(D(39), D("46.1"), Direction.LOWER_IS_BETTER)
    assert england.gap == D("-1.9")
    assert england.assessment == Assessment.BETTER
    assert merseyside.gap == D("-7.1")


def test_rank_words():
    assert rank_words(4, "lowest", 15) == "4th lowest of 15"
    assert rank_words(1, "lowest", shared=True) == "shared lowest"
    assert rank_words(1, "highest") == "highest"
    assert rank_words(12, "lowest", 15) == "12th lowest of 15"
    assert rank_words(22, "highest") == "22nd highest"


def test_format_value_keeps_the_qualifier_and_unit():
    assert format_value(
        D(400), Unit.COUNT, qualifier=Qualifier.OVER, unit_label="young people"
    ) == ("over 400 young people")
    assert format_value(D("23.5"), Unit.PERCENTAGE, places=1) == "23.5%"
    assert format_value(D(79), Unit.RATE_PER_1000) == "79 per 1,000 population"
    assert format_value(D("5.22"), Unit.RATE_PER_REOFFENDER, places=2) == "5.22 per re-offender"
    assert format_value(D(1200), Unit.GBP) == "£1,200"
    assert format_value(None, Unit.COUNT) == "—"


def test_exactly_one_takes_the_metrics_own_singular():
    young = {"unit_label": "young people", "unit_label_singular": "young person"}
    assert format_value(D(1), Unit.COUNT, **young) == "1 young person"
    # As stored (four places) it is still 1; the numeral decides, not the qualifier.
    assert format_value(D("1.0000"), Unit.COUNT, **young) == "1 young person"
    assert format_value(D(1), Unit.COUNT, qualifier=Qualifier.AT_LEAST, **young) == (
        "at least 1 young person"
    )
    assert format_value(D(0), Unit.COUNT, **young) == "0 young people"
    assert format_value(D(2), Unit.COUNT, **young) == "2 young people"
    assert format_value(D("1.5"), Unit.COUNT, places=1, **young) == "1.5 young people"
    # Printed as "1.0" it reads as a measured quantity, which English puts in the plural.
    assert format_value(D(1), Unit.COUNT, places=1, **young) == "1.0 young people"
    assert format_value(D(1), Unit.HOURS) == "1 hour"
    assert format_value(D(1), Unit.TONNES) == "1 tonne"
    assert format_value(D("1.5"), Unit.TONNES, places=1) == "1.5 tonnes"
    assert format_value(D(1), Unit.PERCENTAGE) == "1%"


def test_without_a_singular_the_label_is_printed_as_the_partner_entered_it():
    # No rule guesses a singular: 'agencies and trainers' has none a rule could find.
    assert format_value(D(1), Unit.COUNT, unit_label="agencies and trainers") == (
        "1 agencies and trainers"
    )


def test_number_text_never_drops_digits_that_were_stored():
    assert number_text(D("6029.0000")) == "6,029"
    assert number_text(D("5.2200"), 0) == "5.22"
    assert number_text(D("39"), 1) == "39.0"
