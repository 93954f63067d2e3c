"""Parsing cell values as Vietnamese users type them."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from htxlib.glossary import message, sheets
from htxlib.inputs import parse
from htxlib.inputs.clean import signed_columns
from htxlib.inputs.parse import MISSING
from htxlib.inputs.problems import Problems, format_problems
from htxlib.inputs.registry import open_registry
from tests.conftest import org, rec, write_input

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
                                  "2024-13-01", "32/1/2024", 12.5, 2015, 5.5])
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


@pytest.mark.parametrize(("value", "code", "fields"), [
    ("31/02/2024", "date_not_in_calendar", {"day": 31, "month": 2, "year": 2024, "days": 29}),
    ("31/2/2015", "date_not_in_calendar", {"day": 31, "month": 2, "year": 2015, "days": 28}),
    ("2015-02-31", "date_not_in_calendar", {"day": 31, "month": 2, "year": 2015, "days": 28}),
    ("31.4.2023", "date_not_in_calendar", {"day": 31, "month": 4, "year": 2023, "days": 30}),
    ("32/1/2024", "date_not_in_calendar", {"day": 32, "month": 1, "year": 2024, "days": 31}),
    ("0/5/2019", "date_not_in_calendar", {"day": 0, "month": 5, "year": 2019, "days": 31}),
    ("6/13/2024", "date_bad_month", {"month": 13}),
    ("13/13/2024", "date_bad_month", {"month": 13, "hint": ""}),
    ("2024-13-01", "date_bad_month", {"month": 13, "hint": ""}),
    ("2015", "date_year_only", {"year": 2015}), (2015, "date_year_only", {"year": 2015}),
    (2015.0, "date_year_only", {"year": 2015}),
    ("6/2024", "date_no_day", {"month": 6, "year": 2024, "days": 30}),
    ("10/6/24", "date_short_year", {}),
    ("abc", "bad_date", {}), (12.5, "bad_date", {}), ("13/2024", "bad_date", {}),
    ("31/12/0000", "bad_date", {}), (True, "bad_date", {}),
    (dt.datetime(1905, 7, 8), "date_year_in_date_cell", {"year": 2016}),  # 2016 in a date cell
])
def test_why_a_date_is_refused(value, code, fields):
    """A date the calendar lacks is told apart from a value not written as a date."""
    assert parse.parse_date(value) is MISSING
    got_code, got = parse.date_problem(value)
    assert got_code == code
    assert {k: got[k] for k in fields} == fields
    assert message(got_code, **got)  # every code has a Vietnamese message, every field fills it


def test_month_and_day_swapped_names_the_date_meant():
    code, fields = parse.date_problem("12/31/2016")
    text = message(code, **fields)
    assert code == "date_bad_month" and "31/12/2016" in text and "ngày/tháng/năm" in text
    code, fields = parse.date_problem("31/2/2015")
    assert message(code, **fields).startswith("Ngày 31/2/2015 không có trong lịch")


def test_excel_serial_with_a_time_of_day_is_its_date():
    assert parse.parse_date(45453.75) == dt.date(2024, 6, 10)
    assert parse.parse_date(9999) is MISSING and parse.parse_date(80_001) is MISSING


RECORD = sheets()["records"]
NUMERIC_RECORD = [c.name for c in RECORD.columns if c.type in ("count", "money", "number")]


def test_the_sign_rule_is_data():
    """Only the columns a sheet lists as ``signed`` may be negative; they are numeric."""
    for spec in sheets().values():
        for name in signed_columns(spec):
            assert spec.by_name[name].type in ("count", "money", "number"), (spec.name, name)
    assert signed_columns(RECORD) == {"profit"}
    assert not signed_columns(sheets()["support"]) and not signed_columns(sheets()["organisations"])


def test_every_unsigned_number_refuses_negatives_on_its_own_column(tmp_path):
    values = {name: -3 for name in NUMERIC_RECORD}
    reg = open_registry(write_input(tmp_path, organisations=[org("H1")], records=[
        rec("H1", income_unit="triệu đồng/người/năm", **values)]))
    p = reg.problems.frame()
    negative = p[p["code"] == "negative"]
    typed = set(NUMERIC_RECORD) - {"profit"}  # write_input types the English names
    assert set(negative["column"]) == typed and len(negative) == len(typed)
    assert set(p["code"]) == {"negative"}  # no warning blaming a neighbour, no "required"
    assert reg.records["profit"].tolist() == [-3]
    assert reg.records[sorted(set(NUMERIC_RECORD) - {"profit"})].isna().all(axis=None)
    money = negative[negative["column"] == "revenue"]["message"].iloc[0]
    assert RECORD.by_name["profit"].header in money


def test_a_refused_part_is_not_summed_against_its_total(tmp_path):
    reg = open_registry(write_input(tmp_path, organisations=[org("H1")], records=[
        rec("H1", members=40, official_members=-35, associate_members=5, revenue=-100,
            revenue_from_members=80)]))
    p = reg.problems.frame()
    assert sorted(p["code"]) == ["negative", "negative"]
    assert set(p["column"]) == {"official_members", "revenue"}


def test_summary_of_more_problems_names_no_code():
    problems = Problems()
    problems.add("error", "bad_date", sheet="Số liệu", column="Ngày số liệu", rows=range(2, 70),
                 values=["x"] * 68)
    lines = format_problems(problems, 50)
    assert len(lines) == 51 and "18" in lines[-1] and "bad_date" not in lines[-1]
