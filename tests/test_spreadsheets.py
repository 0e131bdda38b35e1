from decimal import Decimal

import pytest

from wirralsafe.spreadsheets import escape_formula


@pytest.mark.parametrize("text", ["=1+1", "+44", "-cmd", "@SUM(A1)", "\tx", "\rx", "\nx"])
def test_text_that_could_be_a_formula_is_escaped(text):
    assert escape_formula(text) == "'" + text


@pytest.mark.parametrize("value", ["Target hardening", "over 400", 5, Decimal("-2.5"), None])
def test_other_values_pass_through(value):
    assert escape_formula(value) == value
