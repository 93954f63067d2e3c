"""Vietnamese number and date formats (1.234.567; 12,5; 10/6/2024), through Babel.

Babel carries the CLDR rules for the ``vi`` locale, so grouping and decimal marks are
not hand-written here.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_decimal

LOCALE = "vi"


def number(value: float | None, decimals: int = 1) -> str:
    """1234567 -> "1.234.567"; 12.5 -> "12,5"; missing -> "-". Trailing zeros dropped."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    pattern = "#,##0" + ("." + "#" * decimals if decimals > 0 else "")
    # Half up, as people and Excel round (106,25 → 106,3), not Babel's half to even; from
    # the shortest repr, so 2.675 is 2,68 and not the binary 2,67499….
    rounded = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    if rounded.is_zero():  # -0,04 rounds to 0, never "-0"
        rounded = Decimal(0)
    return format_decimal(rounded, format=pattern, locale=LOCALE)


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
