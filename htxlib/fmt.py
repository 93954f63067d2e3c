"""Vietnamese number and date formats (1.234.567; 12,5; 10/6/2024), through Babel.

Babel carries the CLDR rules for the ``vi`` locale, so grouping and decimal marks are
not hand-written here.
"""

from __future__ import annotations

import datetime as dt
import math

from babel.numbers import format_decimal

LOCALE = "vi"


def number(value: float | None, decimals: int = 1) -> str:
    """1234567 -> "1.234.567"; 12.5 -> "12,5"; missing -> "-". Trailing zeros dropped."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    pattern = "#,##0" + ("." + "#" * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern, locale=LOCALE)


def percent(value: float | None, decimals: int = 1) -> str:
    """12.5 (already in %) -> "12,5%"."""
    text = number(value, decimals)
    return text if text == "-" else f"{text}%"


def with_unit(text: str, unit: str) -> str:
    """A formatted number with its unit: "13,3%" (no space before %), "15 HTX"."""
    if not unit:
        return text
    return f"{text}%" if unit == "%" else f"{text} {unit}"


def date(value: dt.date | str) -> str:
    """2024-06-10 -> "10/6/2024", the way official documents write dates."""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return f"{value.day}/{value.month}/{value.year}"
