"""Parsing of cell values as Vietnamese users type them.

Every parser works on the distinct values of a column (``pd.factorize``), so a column of
500,000 cells with a few hundred distinct values costs a few hundred Python calls.
Each returns the parsed values and a boolean mask of cells that could not be parsed.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from htxlib.glossary import enum_lookup, norm_key

_VN_GROUPED = re.compile(r"^-?[1-9]\d{0,2}(\.\d{3})+(,\d+)?$")  # 1.234.567 or 1.234,5
_VN_DECIMAL = re.compile(r"^-?\d+(,\d+)?$")  # 1234 or 12,5
_POINT_DECIMAL = re.compile(r"^-?\d+\.\d+$")  # 12.5 (a machine's decimal point)
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?$")
_PERIOD = re.compile(r"^(\d{4})(?:\s*[-–—]\s*(\d{4}))?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
MISSING = object()


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
    text = str(value).replace(" ", "").replace("\u00a0", "").replace("\u2212", "-")
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
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial(value)
    text = str(value).strip()
    if text.isdigit():
        return _serial(int(text))
    m = _DMY.match(text)
    parts = (m.group(3), m.group(2), m.group(1)) if m else None
    if not m and (m := _ISO.match(text)):
        parts = m.groups()
    if not parts:
        return MISSING
    try:
        return dt.date(*(int(p) for p in parts))
    except ValueError:
        return MISSING


def _serial(n: float) -> dt.date | object:
    if not (10_000 <= n <= 80_000) or int(n) != n:  # 1927..2119: a year is not a date
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
    s = pc.replace_substring_regex(pa.array(uniques, type=pa.string()), r"[\s\x{00a0}]", "")
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
