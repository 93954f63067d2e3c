"""Vietnamese number and date formats."""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal

import pytest
from babel.numbers import format_decimal
from hypothesis import given, settings
from hypothesis import strategies as st

from htxlib import fmt


@pytest.mark.parametrize(("value", "decimals", "text"), [
    (1234567, 1, "1.234.567"), (12.5, 1, "12,5"), (12.0, 1, "12"), (0.25, 2, "0,25"),
    (-3090.5, 1, "-3.090,5"), (2 / 3, 2, "0,67"), (math.nan, 1, "-"), (None, 1, "-"),
    (1234.56, 0, "1.235"),
])
def test_number(value, decimals, text):
    assert fmt.number(value, decimals) == text


@pytest.mark.parametrize(("value", "text"), [(12.5, "12,5%"), (50, "50%"), (None, "-")])
def test_percent(value, text):
    assert fmt.percent(value) == text


@pytest.mark.parametrize("value", [dt.date(2024, 6, 10), "2024-06-10", "2024-06-10T00:00"])
def test_date(value):
    assert fmt.date(value) == "10/6/2024"


@pytest.mark.parametrize(("value", "decimals", "text"), [
    (106.25, 1, "106,3"), (2.675, 2, "2,68"), (0.5, 0, "1"), (2.5, 0, "3"), (-2.5, 0, "-3"),
    (-0.04, 1, "0"), (-0.0, 0, "0"), (7.05, 1, "7,1"), (1234567.25, 1, "1.234.567,3"),
])
def test_numbers_round_half_up_as_people_and_excel_do(value, decimals, text):
    assert fmt.number(value, decimals) == text


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False),
                 st.integers(min_value=-10**12, max_value=10**12)),
       st.integers(min_value=0, max_value=3))
def test_number_is_babels_format(value, decimals):
    """The marks come from Babel once; the text is what Babel's format_decimal writes for
    the same half-up rounded number, for any size, sign and number of decimals."""
    rounded = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    if rounded.is_zero():
        rounded = Decimal(0)
    pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
    assert fmt.number(value, decimals) == format_decimal(rounded, format=pattern, locale="vi")

