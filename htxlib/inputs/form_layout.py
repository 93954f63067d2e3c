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
from htxlib.glossary import BREAKDOWN_ENUM, catalog, enums, indicator, norm_key, resource
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


def period_headers(n: int, as_of: dt.date | None) -> list[str]:
    """Column headers of the periods for year N ("Thực hiện đến ngày 30/6/2025")."""
    when = fmt.date(as_of) if as_of else "…"
    return [p["header"].format(n=n, n_1=n - 1, n1=n + 1, as_of=when) for p in spec()["periods"]]


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
