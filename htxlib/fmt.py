"""Vietnamese number and date formats (1.234.567; 12,5; 10/6/2024), through Babel.

Babel carries the CLDR rules for the ``vi`` locale, so grouping and decimal marks are
not hand-written here: ``number`` takes the locale's marks from Babel once and groups
digits as its pattern says (tests/test_fmt.py holds it equal to Babel's
``format_decimal``, which costs some 30 µs a call: a province's thousands of form
warnings each print several numbers).
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from babel.numbers import get_decimal_symbol, get_group_symbol, get_minus_sign_symbol

LOCALE = "vi"


def number(value: float | None, decimals: int = 1) -> str:
    """1234567 -> "1.234.567"; 12.5 -> "12,5"; missing -> "-". Trailing zeros dropped."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    # Half up, as people and Excel round (106,25 → 106,3), not Babel's half to even; from
    # the shortest repr, so 2.675 is 2,68 and not the binary 2,67499….
    rounded = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    if rounded.is_zero():  # -0,04 rounds to 0, never "-0"
        rounded = Decimal(0)
    group, mark, minus = _marks()
    whole, _, fraction = f"{abs(rounded):,f}".partition(".")
    fraction = fraction.rstrip("0")
    text = whole.replace(",", group) + (mark + fraction if fraction else "")
    return minus + text if rounded < 0 else text


@cache
def _marks() -> tuple[str, str, str]:
    """The group, decimal and minus marks of the locale (".", ",", "-" in Vietnamese)."""
    return get_group_symbol(LOCALE), get_decimal_symbol(LOCALE), get_minus_sign_symbol(LOCALE)


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
