"""Two adjacent digits typed the wrong way round (231 for 321) are the likeliest slip when
parts do not add up to their total: the part, or the total, whose swapped digits would make
them agree is named in the message, with the value that would fit."""

from __future__ import annotations

from collections.abc import Sequence

from htxlib import fmt
from htxlib.glossary import message


def swaps(value: float) -> list[float]:
    """Each number ``value`` becomes with two adjacent digits swapped: whole numbers of two
    digits or more, never one that would begin with 0."""
    if value != value or not float(value).is_integer() or abs(value) < 10:
        return []
    digits, sign = str(int(abs(value))), -1.0 if value < 0 else 1.0
    out = []
    for i in range(len(digits) - 1):
        if digits[i] != digits[i + 1] and (i or digits[1] != "0"):
            out.append(sign * float(digits[:i] + digits[i + 1] + digits[i] + digits[i + 2:]))
    return out


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(b))


def transposed(parts: Sequence[tuple[str, float]], total: float) -> str:
    """" Có thể gõ đảo hai chữ số: Công nghiệp: 321 — nếu là 231 thì khớp tổng 1.092." for
    the parts (name, value) that do not add up to ``total``; "" when no single swap of two
    adjacent digits, in one part or in the total, makes them agree."""
    got = sum(v for _, v in parts)
    found = [message("transposed_part", name=name, value=fmt.number(v), fit=fmt.number(w),
                     total=fmt.number(total))
             for name, v in parts for w in swaps(v) if _same(got - v + w, total)]
    found += [message("transposed_total", value=fmt.number(total), fit=fmt.number(w))
              for w in swaps(total) if _same(w, got)]
    return message("transposed", cells="; ".join(found)) if found else ""
