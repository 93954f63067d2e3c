"""Parsing of cell values as Vietnamese users type them.

Every parser works on the distinct values of a column (``pd.factorize``), so a column of
500,000 cells with a few hundred distinct values costs a few hundred Python calls.
Each returns the parsed values and a boolean mask of cells that could not be parsed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from htxlib.glossary import enum_lookup, message, norm_key

_VN_GROUPED = re.compile(r"^-?[1-9]\d{0,2}(\.\d{3})+(,\d+)?$")  # 1.234.567 or 1.234,5
_VN_DECIMAL = re.compile(r"^-?\d+(,\d+)?$")  # 1234 or 12,5
_POINT_DECIMAL = re.compile(r"^-?\d+\.\d+$")  # 12.5 (a machine's decimal point)
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?$")
_DMY_SHORT_YEAR = re.compile(r"^\d{1,2}[/.\-]\d{1,2}[/.\-](\d{2})$")  # 10/6/24
_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.\-](\d{4})$")  # 6/2024
_PERIOD = re.compile(r"^(\d{4})(?:\s*[-–—]\s*(\d{4}))?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
MISSING = object()
# What a number may carry between its digits: ASCII white space and every space of Unicode
# (category Zs: the no-break space Excel and Word put between thousands, the narrow one of
# typesetting, the thin one…). Both parsers below drop exactly these.
_BLANKS_RE = r"[\t\n\v\f\r\p{Zs}]"


def _blank_char(ch: str) -> bool:
    return ch in "\t\n\v\f\r" or unicodedata.category(ch) == "Zs"


def clean_text(value: Any) -> Any:
    """NFC, trimmed, inner runs of white space folded; empty becomes missing."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if not isinstance(value, str):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        value = str(value)
    text = " ".join(unicodedata.normalize("NFC", value).split())
    return text or None


def parse_number(value: Any) -> float | None | object:
    """A number typed the Vietnamese way ("1.234.567", "12,5") or stored by Excel."""
    if isinstance(value, bool):
        return MISSING
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value)
    text = "".join(ch for ch in str(value) if not _blank_char(ch))
    text = text.replace("\u2212", "-")
    if _VN_GROUPED.match(text):
        return float(text.replace(".", "").replace(",", "."))
    if _VN_DECIMAL.match(text):
        return float(text.replace(",", "."))
    if _POINT_DECIMAL.match(text):
        return float(text)
    return MISSING


def parse_date(value: Any) -> dt.date | object:
    """A date: an Excel date cell, an Excel serial number, dd/mm/yyyy or yyyy-mm-dd."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return MISSING if _typed_year(value) else value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial(value)
    text = str(value).strip()
    if text.isdigit():
        return _serial(int(text))
    parts = _date_parts(text)
    if not parts:
        return MISSING
    try:
        return dt.date(*parts)
    except ValueError:
        return MISSING


def _date_parts(text: str) -> tuple[int, int, int] | None:
    """(year, month, day) of a text written as a date (d/m/yyyy or yyyy-mm-dd), or None."""
    if m := _DMY.match(text):
        return int(m.group(3)), int(m.group(2)), int(m.group(1))
    if m := _ISO.match(text):
        return int(m.group(1)), int(m.group(2)), int(m.group(3))
    return None


def date_problem(value: Any) -> tuple[str, dict[str, Any]]:
    """Why a value that ``parse_date`` refused is not a date: a message code and its fields.

    A value written as a date that the calendar does not have (31/2/2015, 2015-02-31,
    month 13) is told apart from one that is not written as a date at all.
    """
    if isinstance(value, bool):
        return "bad_date", {}
    if isinstance(value, dt.date) and (year := _typed_year(value)):
        return "date_year_in_date_cell", {"year": year}
    if isinstance(value, int | float):
        text = str(int(value)) if float(value).is_integer() else str(value)
    else:
        text = str(value).strip()
    if text.isdigit() and 1900 <= int(text) <= 2100:
        return "date_year_only", {"year": int(text)}
    if (m := _MONTH_YEAR.match(text)) and 1 <= int(m.group(1)) <= 12:
        month, year = int(m.group(1)), int(m.group(2))
        return "date_no_day", {"month": month, "year": year,
                               "days": calendar.monthrange(year, month)[1]}
    if _DMY_SHORT_YEAR.match(text):
        return "date_short_year", {}
    parts = _date_parts(text)
    if not parts or parts[0] < 1:
        return "bad_date", {}
    year, month, day = parts
    if not 1 <= month <= 12:
        hint = ""
        if _DMY.match(text) and 1 <= day <= 12 and _real(year, day, month):  # month/day/year
            hint = message("date_swapped", date=f"{month}/{day}/{year}")
        return "date_bad_month", {"month": month, "hint": hint}
    days = calendar.monthrange(year, month)[1]
    return "date_not_in_calendar", {"day": day, "month": month, "year": year, "days": days}


def why_not_date(value: Any) -> str:
    """``date_problem`` as the sentence a user reads."""
    code, fields = date_problem(value)
    return message(code, **fields)


def _real(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _typed_year(day: dt.date) -> int | None:
    """The year typed in a cell formatted as a date: Excel shows 2016 as 8/7/1905."""
    if isinstance(day, dt.datetime):
        day = day.date()
    serial = (day - _EXCEL_EPOCH).days
    return serial if 1900 <= serial <= 2100 else None


def _serial(n: float) -> dt.date | object:
    """An Excel serial day number (a fraction is the time of day, dropped)."""
    if not 10_000 <= n < 80_001:  # 1927..2119: a year is not a date
        return MISSING
    return _EXCEL_EPOCH + dt.timedelta(days=int(n))


def parse_year(value: Any) -> int | object:
    number = parse_number(value)
    if number is MISSING or not float(number).is_integer() or not 1900 <= number <= 2100:
        return MISSING
    return int(number)


def parse_period(value: Any) -> str | object:
    """"2025" or "2021-2025" (any dash, spaces allowed), normalised to "2021-2025"."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        year = parse_year(value)
        return MISSING if year is MISSING else str(year)
    m = _PERIOD.match(str(value).strip())
    if not m:
        return MISSING
    start, end = m.group(1), m.group(2)
    if end is None:
        return start
    return f"{start}-{end}" if start < end else MISSING


def enum_parser(enum: str) -> Callable[[Any], str | object]:
    lookup = enum_lookup(enum)

    def parse(value: Any) -> str | object:
        if isinstance(value, bool):
            value = "yes" if value else "no"
        return lookup.get(norm_key(clean_text(value) or ""), MISSING)

    return parse


def apply_unique(series: pd.Series, parser: Callable[[Any], Any],
                 dtype: str = "object") -> tuple[Any, np.ndarray, np.ndarray]:
    """Apply ``parser`` to each distinct value; return (values, bad mask, blank mask).

    ``dtype`` is "object" (values as a pandas Categorical: fast to compare and group),
    "float" (missing = NaN) or "date" (datetime64, missing = NaT). Blank cells (empty or
    white space) come back missing and are not bad.
    """
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    uniques = np.asarray(uniques, dtype=object)
    fast = _VECTOR.get(parser)
    if fast is not None and all(isinstance(u, str) for u in uniques):
        good, bad = fast(uniques)
    else:
        parsed = [parser(u) for u in uniques]
        bad = np.array([p is MISSING for p in parsed], dtype=bool)
        good = [None if p is MISSING else p for p in parsed]
    blank_u = np.append(np.array([g is None for g in good], dtype=bool) & ~bad, True)
    if bad.any():  # white space only: blank, not bad (only values that failed can be)
        blank_u[np.flatnonzero(bad)] = _blank(uniques[bad])
    bad_u = np.append(bad & ~blank_u[:-1], False)
    good = list(good) + [None]
    if dtype == "float":
        values_u = np.array([np.nan if v is None else v for v in good], dtype="float64")
    elif dtype == "date":
        values_u = np.array([np.datetime64("NaT") if v is None else np.datetime64(v, "D")
                             for v in good], dtype="datetime64[s]")
    else:
        values_u = np.empty(len(good), dtype=object)
        values_u[:] = good
        cat_codes, cats = pd.factorize(values_u, use_na_sentinel=True)
        values = pd.Categorical.from_codes(cat_codes[codes],
                                           categories=pd.Index(cats, dtype=object))
        return values, bad_u[codes], blank_u[codes]
    return values_u[codes], bad_u[codes], blank_u[codes]


def _blank(uniques: np.ndarray) -> np.ndarray:
    """Distinct values that are empty or only white space."""
    if all(isinstance(u, str) for u in uniques):
        trimmed = pc.utf8_trim_whitespace(pa.array(uniques, type=pa.string()))
        return pc.equal(trimmed, "").to_numpy(zero_copy_only=False)
    return np.array([isinstance(u, str) and not u.strip() for u in uniques], dtype=bool)


def _texts_vector(uniques: np.ndarray) -> tuple[list, np.ndarray]:
    """clean_text for many strings at once (pyarrow kernels)."""
    arr = pc.utf8_normalize(pa.array(uniques, type=pa.string()), "NFC")
    arr = pc.replace_substring_regex(pc.utf8_trim_whitespace(arr), r"\s+", " ")
    out = [v or None for v in arr.to_pylist()]
    return out, np.zeros(len(out), dtype=bool)


def _numbers_vector(uniques: np.ndarray) -> tuple[list, np.ndarray]:
    """parse_number for many strings at once (pyarrow regex kernels)."""
    s = pc.replace_substring_regex(pa.array(uniques, type=pa.string()), _BLANKS_RE, "")
    s = pc.replace_substring(s, "\u2212", "-")
    grouped = pc.match_substring_regex(s, _VN_GROUPED.pattern)
    comma = pc.match_substring_regex(s, _VN_DECIMAL.pattern)
    ok = pc.or_(pc.or_(grouped, comma), pc.match_substring_regex(s, _POINT_DECIMAL.pattern))
    text = pc.if_else(grouped, pc.replace_substring(s, ".", ""), s)
    text = pc.if_else(pc.or_(grouped, comma), pc.replace_substring(text, ",", "."), text)
    numbers = pc.cast(pc.if_else(ok, text, pa.scalar(None, pa.string())), pa.float64())
    good = ok.to_numpy(zero_copy_only=False)
    return numbers.to_pylist(), ~good


_VECTOR: dict[Callable[[Any], Any], Callable[[np.ndarray], tuple[list, np.ndarray]]] = {
    clean_text: _texts_vector, parse_number: _numbers_vector}
