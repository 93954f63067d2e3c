"""The layout of the submission form ("Biểu"): its rows, in catalogue order, and its
period columns; which row a code and its "trong đó" text name, as typed in a form or in a
long CSV."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from functools import cache
from typing import Any

from htxlib import fmt
from htxlib.glossary import (
    BREAKDOWN_ENUM,
    catalog,
    enums,
    indicator,
    norm_key,
    repealed,
    resource,
)
from htxlib.inputs.parse import MISSING, parse_number


@dataclass(frozen=True)
class FormRow:
    code: str
    label: str
    unit: str
    breakdown: str = ""  # "", or the dimension of a "trong đó" row
    category: str = ""  # its category code


def spec() -> dict[str, Any]:
    return resource("submission.yaml")


def form_rows() -> list[FormRow]:
    """Every row of the form, in order: a code, then its "trong đó" rows."""
    words = spec()
    rows = []
    for e in catalog():
        if "measure" not in e or e["code"] in words["skip"]:
            continue
        rows.append(FormRow(e["code"], e["label"], e["unit"]))
        dim = words["sub_rows"].get(e["code"])
        for cat, c in enums()[BREAKDOWN_ENUM[dim]].items() if dim else ():
            if dim == "training" and cat == "unknown":
                continue  # the managers whose level is not known: the total minus the rest
            rows.append(FormRow(e["code"], words["in_that"].format(label=c["label"]),
                                e["unit"], dim, cat))
    return rows


PLAN = "plan"  # the edition of a form that does not say (the plan's: the default)


def form_periods(edition: str = PLAN) -> list[str]:
    """The period columns of ``edition``'s form, in order (``same``: the six-month form's
    "cùng kỳ năm trước")."""
    return list(spec()["editions"][edition]["periods"])


def all_periods() -> list[str]:
    """Every period a form or a long CSV can give."""
    return [p["name"] for p in spec()["periods"]]


def form_title(n: int, edition: str = PLAN) -> str:
    words = spec()
    return words["title"].format(period=words["editions"][edition]["title"].format(n=n))


def period_headers(n: int, as_of: dt.date | None, edition: str = PLAN) -> list[str]:
    """Column headers of the periods of ``edition``'s form for year N ("Thực hiện đến ngày
    30/6/2025", "Thực hiện cùng kỳ năm 2025 (đến ngày 14/6/2025)")."""
    when = fmt.date(as_of) if as_of else "…"
    same = fmt.date(same_date_before(as_of)) if as_of else "…"
    heads = {p["name"]: p["header"] for p in spec()["periods"]}
    return [heads[name].format(n=n, n_1=n - 1, n1=n + 1, as_of=when, same=same)
            for name in form_periods(edition)]


def layouts() -> dict[tuple[str, ...], str]:
    """The distinct period layouts of the forms → the first edition that has it."""
    out: dict[tuple[str, ...], str] = {}
    for edition in spec()["editions"]:
        out.setdefault(tuple(form_periods(edition)), edition)
    return out


def which_edition(heads: list[str], as_of: dt.date | None) -> str:
    """The edition whose form has the period headers ``heads`` as typed: the one with most
    headers equal (the plan's when none is, or without a date to compare them)."""
    typed = [norm_key(h) for h in heads]

    def score(edition: str) -> int:
        want = period_headers(as_of.year, as_of, edition) if as_of else []
        return sum(a == norm_key(b) for a, b in zip(typed, want, strict=False))

    best = PLAN
    for edition in layouts().values():
        if score(edition) > score(best):
            best = edition
    return best


def period_date(period: str, as_of: dt.date) -> dt.date:
    """The date a form's period column speaks of (the end of a year for a year)."""
    return {"previous": dt.date(as_of.year - 1, 12, 31), "same": same_date_before(as_of),
            "to_date": as_of, "estimate": dt.date(as_of.year, 12, 31),
            "plan": dt.date(as_of.year + 1, 12, 31)}[period]


def asked(code: str, period: str, as_of: dt.date | None) -> bool:
    """Whether the form asks for ``code`` in ``period``: not for a period on or after the
    reform that repealed it (the HTX rating from 18/9/2025)."""
    gone = repealed().get(code)
    return gone is None or as_of is None or period_date(period, as_of) < gone


def same_date_before(when: dt.date) -> dt.date:
    """The same day of the year before (28/2 for a 29/2)."""
    try:
        return when.replace(year=when.year - 1)
    except ValueError:
        return when.replace(year=when.year - 1, day=28)


@cache
def position(code: str, part: str) -> int | None:
    """The position in ``form_rows()`` of the row of a code and its "trong đó" text as
    typed (None: the form has no such row)."""
    row = row_of(code, part)
    return None if row is None else form_rows().index(row)


def unknown_code(code: str, otherwise: str) -> str:
    """The message for a row the form does not have: an average or share is derived, never
    typed; anything else is not a code of the form (or not a part of it)."""
    e = indicator(code.strip())
    return "submission_ratio_code" if e is not None and "ratio" in e else otherwise


@cache
def _rows() -> dict[tuple[str, str], FormRow]:
    """(code, normalised part) → row; a part is its category's label, with or without the
    form's "trong đó:"."""
    out = {}
    for r in form_rows():
        if not r.breakdown:
            out[(r.code, "")] = r
            continue
        label = enums()[BREAKDOWN_ENUM[r.breakdown]][r.category]["label"]
        for text in (label, r.label, r.category):
            out[(r.code, norm_key(text))] = r
    return out


@cache
def row_of(code: str, part: str) -> FormRow | None:
    """The form row of a code and its "trong đó" text as typed (cached: every form has the
    same few hundred)."""
    return _rows().get((code.strip(), norm_key(part) if part and part.strip() else ""))


def number(raw: Any) -> float | None:
    """A value of the form as a number (None: not one, or NaN)."""
    value = parse_number(raw)
    return None if value is MISSING or math.isnan(value) else value
