"""Vietnamese number and date formats."""

from __future__ import annotations

import datetime as dt
import math

import pytest

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
