"""Parsing cell values as Vietnamese users type them."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from htxlib.inputs import parse
from htxlib.inputs.parse import MISSING

NUMBERS = [
    ("1.234.567", 1234567), ("1.234", 1234), ("1.234,5", 1234.5), ("12,5", 12.5), ("0", 0),
    ("12.5", 12.5), ("0.250", 0.25), ("-3", -3), ("−5", -5), (" 1 234 ", 1234),
    ("1\u00a0234", 1234), ("1250", 1250), (1250, 1250), (12.5, 12.5),
]
NOT_NUMBERS = ["abc", "1,234,567", "1.23.4", "12,", ",5", "1..2", "--3", "12%", "1e5"]


@pytest.mark.parametrize(("text", "expected"), NUMBERS)
def test_numbers(text, expected):
    assert parse.parse_number(text) == expected


@pytest.mark.parametrize("text", NOT_NUMBERS)
def test_not_numbers(text):
    assert parse.parse_number(text) is MISSING


def test_vectorised_numbers_agree_with_scalar():
    texts = [t for t, _ in NUMBERS if isinstance(t, str)] + NOT_NUMBERS
    values, bad, _ = parse.apply_unique(pd.Series(texts, dtype=object), parse.parse_number,
                                        "float")
    for text, value, is_bad in zip(texts, values, bad, strict=True):
        scalar = parse.parse_number(text)
        assert is_bad == (scalar is MISSING), text
        if not is_bad:
            assert value == scalar, text


@pytest.mark.parametrize(("text", "expected"), [
    ("10/6/2024", dt.date(2024, 6, 10)), ("10/06/2024", dt.date(2024, 6, 10)),
    ("10-06-2024", dt.date(2024, 6, 10)), ("10.6.2024", dt.date(2024, 6, 10)),
    ("2024-06-10", dt.date(2024, 6, 10)), ("2024-06-10 00:00:00", dt.date(2024, 6, 10)),
    ("45453", dt.date(2024, 6, 10)), (45453, dt.date(2024, 6, 10)),
    (dt.datetime(2024, 6, 10, 0, 0), dt.date(2024, 6, 10)),
])
def test_dates(text, expected):
    assert parse.parse_date(text) == expected


@pytest.mark.parametrize("text", ["31/02/2024", "2024", "6/2024", "10/6/24", "abc",
                                  "2024-13-01", "32/1/2024", 12.5])
def test_not_dates(text):
    assert parse.parse_date(text) is MISSING


@pytest.mark.parametrize(("text", "expected"), [
    ("2025", "2025"), ("2021-2025", "2021-2025"), ("2021 – 2025", "2021-2025"),
    ("2021—2025", "2021-2025"), (2025, "2025")])
def test_periods(text, expected):
    assert parse.parse_period(text) == expected


@pytest.mark.parametrize("text", ["2025-2021", "25", "2021-25", "năm 2025"])
def test_not_periods(text):
    assert parse.parse_period(text) is MISSING


@pytest.mark.parametrize(("enum", "text", "code"), [
    ("org_type", "HTX", "HTX"), ("org_type", "Hợp tác xã", "HTX"),
    ("org_type", " hợp  tác XÃ ", "HTX"), ("org_type", "tổ hợp tác", "THT"),
    ("org_type", "LH HTX", "LHHTX"), ("status", "cầm chừng", "barely_operating"),
    ("sector", "Nông - lâm - ngư nghiệp", "agriculture"), ("sector", "QTDND", "credit_fund"),
    ("record_kind", "Ước thực hiện", "estimate"), ("yes_no", "Có", "yes"),
    ("yes_no", "x", "yes"), ("rating", "khá", "fair"),
])
def test_enumerations(enum, text, code):
    assert parse.enum_parser(enum)(text) == code


@pytest.mark.parametrize(("enum", "text"), [
    ("org_type", "QTDND"), ("org_type", "Hop tac xa"), ("status", "Hoat dong"),
    ("sector", "nong nghiep"), ("yes_no", "maybe")])
def test_unknown_enumerations(enum, text):
    """Accent-stripped spellings are not guessed."""
    assert parse.enum_parser(enum)(text) is MISSING


def test_text_is_nfc_trimmed_and_folded():
    decomposed = "Ba To\u031b"  # "Ba Tơ" with a combining horn
    assert parse.clean_text(f"  {decomposed}\t ") == "Ba Tơ"
    assert parse.clean_text("a   b") == "a b"
    assert parse.clean_text("   ") is None
    values, _, blank = parse.apply_unique(pd.Series([f" {decomposed} ", " ", None]),
                                          parse.clean_text)
    assert list(values[:1]) == ["Ba Tơ"] and list(blank) == [False, True, True]


def test_blank_cells_are_missing_not_bad():
    values, bad, blank = parse.apply_unique(pd.Series(["1", " ", None, "x"], dtype=object),
                                            parse.parse_number, "float")
    assert np.isnan(values[1]) and list(bad) == [False, False, False, True]
    assert list(blank) == [False, True, True, False]
