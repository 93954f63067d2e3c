"""Cuts of the indicator table an analyst asks for: pure functions over frames.

``rows`` picks an area's rows of some periods and codes; ``series`` a yearly series from
an area's facts; ``compare`` the units below an area side by side; ``breakdown`` one
code's categories. Each returns a frame with codes for columns (programs compute on it;
``htxlib.vi`` shows it in words). A period is named as people name it (2024,
"30/9/2025", "2025-09-30") and resolved here once; a figure the data do not have stays
NaN.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable
from dataclasses import replace
from functools import cache

import numpy as np
import pandas as pd

from htxlib import fmt
from htxlib.glossary import catalog, indicator, labels, message, resource
from htxlib.inputs.scope import ScopeError, as_date
from htxlib.report.facts import Facts, coverage_codes
from htxlib.report.narrative import render
from htxlib.report.tables import units as spread_units

COLUMNS = ["area_code", "area_name", "period", "kind", "code", "label", "unit", "value",
           "previous_value", "change", "change_pct", "target", "target_pct", "note",
           "derived"]
PARTS = ["breakdown", "category", "category_label"]  # the columns of a breakdown's rows
Period = str | int | dt.date | None


@cache
def main_indicators() -> tuple[str, ...]:
    """The codes of the report's Bảng 1 (the main indicators), in its order."""
    rows = resource("exhibits.yaml")["tables"]["indicators"]["rows"]
    return tuple(r.lstrip("-") for r in rows)


def codes_of(codes: str | Iterable[str] | None, main: bool = False) -> list[str] | None:
    """The indicator codes asked for (None: every one); an unknown code is a ScopeError
    naming the nearest ones."""
    if codes is None:
        return list(main_indicators()) if main else None
    wanted = [codes] if isinstance(codes, str) else list(codes)
    known = [e["code"] for e in catalog()]
    for code in wanted:
        if indicator(code) is None:
            near = difflib.get_close_matches(str(code), known, n=3)
            hint = message("scope_code_hint", codes=", ".join(near)) if near else ""
            raise ScopeError(message("scope_code_unknown", value=code, hint=hint))
    return wanted


def period_id(table: pd.DataFrame, period: Period, as_of: dt.date) -> str:
    """The table's id of a period named as people name it: None is the as-of date; a
    year (2024, "2024") its full year, estimate or plan; a date ("30/9/2025",
    "2025-09-30", a ``date``) its day, 31/12 the year. A ScopeError lists the table's
    periods when it has none of that name."""
    if period is None:
        period = as_of
    text = str(period).strip()
    if isinstance(period, int) or (text.isdigit() and len(text) == 4) or (
            len(text) == 9 and text[4] == "-" and text.replace("-", "").isdigit()):
        pid = text  # a year, or a plan period "2021-2025"
    else:
        day = period if isinstance(period, dt.date) else as_date(text)
        pid = str(day.year) if (day.month, day.day) == (12, 31) else day.isoformat()
    known = list(dict.fromkeys(table["period"].astype(object)))
    if pid not in known:
        raise ScopeError(message("scope_period_unknown", value=text, known=", ".join(
            fmt.date(p) if len(p) == 10 else p for p in known)))
    return pid


def period_words(table: pd.DataFrame, pid: str) -> str:
    """"năm 2024", "đến 30/9/2025", "ước năm 2025": a period of the table as a caption
    names it (its actual figures before its estimate, as the table lists them)."""
    kinds = table.loc[table["period"].astype(object) == pid, "kind"].astype(object)
    kind = next(iter(dict.fromkeys(kinds)), "actual")
    words = resource("api.yaml")["period_words"]
    if kind == "actual" and len(pid) == 10:
        return render(words["to_date"], date=fmt.date(pid))
    return render(words[kind], year=pid)


def rows(table: pd.DataFrame, area: str, periods: list[str] | None,
         codes: list[str] | None = None, units: bool = False,
         breakdowns: bool = False) -> pd.DataFrame:
    """The rows of ``area`` (and with ``units`` those of the units below it) in
    ``periods`` (None: all), of ``codes`` (None: all), totals only unless ``breakdowns``;
    in the table's order (area, period, code), renumbered from 0."""
    keep = np.ones(len(table), dtype=bool)
    if not units:
        keep &= (table["area_code"].astype(object) == area).to_numpy()
    if periods is not None:
        keep &= table["period"].astype(object).isin(periods).to_numpy()
    if codes is not None:
        keep &= table["code"].astype(object).isin(codes).to_numpy()
    if not breakdowns:
        keep &= (table["breakdown"].astype(object) == "").to_numpy()
    out = table.loc[keep, COLUMNS[:7] + (PARTS if breakdowns else []) + COLUMNS[7:]]
    if codes is not None and len(codes) > 1:  # each block's codes in the order asked
        order = out["code"].astype(object).map({c: i for i, c in enumerate(codes)})
        out = out.iloc[np.lexsort((order.to_numpy(), _blocks(out)))]
    return _plain(out.reset_index(drop=True))


def _blocks(frame: pd.DataFrame) -> np.ndarray:
    """Each row's (area, period, kind) block, numbered in the frame's order."""
    key = (frame["area_code"].astype(str) + "|" + frame["period"].astype(str) + "|"
           + frame["kind"].astype(str))
    return pd.factorize(key)[0]


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as plain text (the table's are categorical, with every category of the
    whole table): what ``groupby`` and ``pivot`` expect."""
    return frame.astype({c: object for c in frame.columns
                         if isinstance(frame[c].dtype, pd.CategoricalDtype)})


def series(facts: Facts, codes: list[str]) -> pd.DataFrame:
    """Every full year the data speak of, then year N (its estimate unless the figures run
    to 31/12): one column per code; ``estimate`` marks an estimate, ``predecessors`` names
    the old units whose figures a year is, before a reorganisation formed the area."""
    frame = pd.DataFrame({code: facts.series(code) for code in codes})
    frame.index = frame.index.astype(int).rename("year")
    frame["estimate"] = [y == facts.n and not facts.done for y in frame.index]
    before = set(facts.before_formed())
    names = ", ".join(f"{kind} {name}".strip() for kind, name in facts.formed_from)
    frame["predecessors"] = [names if y in before else "" for y in frame.index]
    return frame


def compare(facts: Facts, codes: list[str], periods: list[str]) -> pd.DataFrame:
    """The units below the area side by side: one row per unit (the units the area's
    organisations are spread over at the as-of date, ``report.tables.units``), sorted by
    the first code in the last period, largest first. One period: a column per code; one
    code in several: a column per period, and ``growth``, ``growth_pct`` from the first
    to the last; else columns (code, period). A unit without figures in a period has NaN
    there, never 0."""
    level = _level(facts)
    now = level.units("a")
    figures = [c for c in now.columns if c not in ("area_code", "area_name")
               and c not in coverage_codes()]
    names = now.loc[now[figures].notna().any(axis=1), ["area_code", "area_name"]]
    parts = {}
    for p in periods:
        wide = level.units(p).set_index("area_code")
        parts[p] = wide.reindex(columns=codes).reindex(names["area_code"])
    out = pd.concat(parts, axis=1).swaplevel(axis=1)  # (code, period)
    out = out[[(c, p) for c in codes for p in periods]]
    key: object = (codes[0], periods[-1])  # what the units are ranked by
    if len(periods) == 1:
        key = codes[0]
        out.columns = out.columns.get_level_values(0)
    elif len(codes) == 1:
        out.columns = out.columns.get_level_values(1)
        key = periods[-1]
        first, last = out[periods[0]], out[periods[-1]]
        out["growth"] = last - first
        with np.errstate(divide="ignore", invalid="ignore"):
            out["growth_pct"] = np.where(first > 0, np.round((last - first) / first * 100, 2),
                                         np.nan)
    out.insert(0, "area_name", list(names["area_name"]))
    out = out.sort_values(key, ascending=False, kind="stable", na_position="last")
    return out.reset_index().rename(columns={"index": "area_code"})


def _level(facts: Facts) -> Facts:
    """The facts of the unit whose units below hold the area's organisations: the area, or
    the one unit below it holding them all (a province of one district)."""
    below = spread_units(facts)
    if below is None or below.empty:
        return facts
    first = str(below["area_code"].iloc[0])
    t = facts.table
    parent = t.loc[t["area_code"].astype(object) == first, "parent_code"].astype(object)
    return replace(facts, area=str(parent.iloc[0])) if len(parent) else facts


def breakdown(facts: Facts, code: str, dim: str, period: str) -> pd.DataFrame:
    """``code`` by the categories of ``dim`` in ``period``: one row per category the data
    have (``category``, ``category_label``, ``value``), largest first."""
    entry = indicator(code) or {}
    if dim not in entry.get("breakdowns", []):
        shown = labels()["breakdown"]
        raise ScopeError(message("scope_breakdown_unknown", code=code, value=dim,
                                 known=", ".join(f"{d} ({shown.get(d, d)})" for d in
                                                 entry.get("breakdowns", []))))
    t = facts.own
    t = t[(t["period"].astype(object) == period) & (t["kind"].astype(object) != "plan")
          & (t["code"].astype(object) == code) & (t["breakdown"].astype(object) == dim)]
    t = t.drop_duplicates("category")  # a year's actual before its estimate of one id
    out = _plain(t[["category", "category_label", "value"]])
    return out.sort_values("value", ascending=False, kind="stable").reset_index(drop=True)
