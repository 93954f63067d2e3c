"""Checks of the office's estimates against what the data already say at an as-of date.

They need the computed figures, so they run after ``open_registry`` (``htx validate
--as-of``, ``htx indicators``, ``htx report``) and add warnings on the rows of the Ước
thực hiện sheet. Rules in resources/indicators.yaml (``grows_in_year``, ``stock_flows``).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from htxlib import fmt
from htxlib.glossary import catalog, growing_codes, indicator, resource, sheets
from htxlib.indicators import measures as ms
from htxlib.indicators.estimates import office_estimates
from htxlib.indicators.rollup import add_submissions
from htxlib.indicators.table import additive, annualise
from htxlib.indicators.values import Values
from htxlib.inputs.clean import ROW
from htxlib.inputs.problems import Problems
from htxlib.inputs.registry import Registry
from htxlib.inputs.submission_checks import change_words, stock_codes


def flows_of(code: str) -> dict[str, int] | None:
    """{flow code: sign} that take ``code``'s count from the end of the year before to the
    end of the year; None unless every flow of ``stock_flows`` has a code of the same scope."""
    entry = indicator(code)
    if entry.get("measure") != "count":
        return None
    scope = (entry.get("types"), entry.get("sectors"), entry["source"])
    found = {e["measure"]: e["code"] for e in catalog() if isinstance(e.get("measure"), str)
             and (e.get("types"), e.get("sectors"), e["source"]) == scope}
    signs = resource("indicators.yaml")["stock_flows"]
    if not set(signs) <= set(found):
        return None
    return {found[m]: sign for m, sign in signs.items()}


def estimate_problems(registry: Registry, as_of: dt.date,
                      values: Values | None = None) -> Problems:
    """Warnings on stated estimates of the as-of date's year: below the figure to date, a
    count that the year's flows do not lead to, or a count at the year's end far from the
    year before's (the threshold of the forms' check, submission.yaml ``checks``).
    ``values``: the table's values at ``as_of`` when already computed
    (``indicator_values``), else computed here."""
    problems = Problems()
    est = registry.data.estimates
    year = pd.Timestamp(as_of).year
    est = est[est["area_code"].notna() & est["value"].notna()
              & (est["year"] == year) & est["breakdown"].isna()]
    counts = {c for c in est["indicator"] if indicator(c) and flows_of(c)}
    stocks = stock_codes()
    check = est[est["indicator"].isin(growing_codes() | counts | stocks)]
    if check.empty:
        return problems
    if values is None:
        periods = ms.periods(registry.records, as_of, False, registry.submissions)
        values = office_estimates(add_submissions(annualise(additive(registry, periods)),
                                                  registry), registry)
    periods = values.periods
    kind = periods["rule"].to_numpy()
    now = int(np.flatnonzero(np.isin(kind, ["to_date", "full_year"]) & (
        periods["year"] == year).to_numpy())[0])
    after = np.flatnonzero((periods["kind"] == "estimate").to_numpy())
    before = np.flatnonzero((periods["year"] == year - 1).to_numpy())
    title = sheets()["estimates"].title
    column = sheets()["estimates"].by_name["value"].header
    pos = values.layout.position(check["area_code"])
    for row, code, value, a in zip(check[ROW], check["indicator"], check["value"], pos,
                                   strict=True):
        c = values.codes.index(code)
        done = values.totals[now, a, c]
        if code in growing_codes() and value < done:
            problems.add("warning", "estimate_below_to_date", sheet=title, rows=[row],
                         column=column, values=[value], done=fmt.number(done),
                         date=fmt.date(periods["ref_date"].iloc[now].date()))
        if code in stocks and len(before):
            previous = values.totals[int(before[0]), a, c]
            if change := change_words(value, previous):
                problems.add("warning", "estimate_change", sheet=title, rows=[row],
                             column=column, values=[value], year=year, change=change,
                             previous=fmt.number(previous), value=fmt.number(value))
        if (flows := flows_of(code)) and len(after) and len(before):
            p, start = int(after[0]), values.totals[int(before[0]), a, c]
            moves = {f: values.totals[p, a, values.codes.index(f)] for f in flows}
            expected = start + sum(flows[f] * v for f, v in moves.items())
            if not np.isnan(expected) and value != expected:
                problems.add("warning", "estimate_flows", sheet=title, rows=[row],
                             column=column, values=[value], year=year,
                             sum=_flow_sum(start, moves, flows), expected=fmt.number(expected))
    return problems


def _flow_sum(start: float, moves: dict[str, float], signs: dict[str, int]) -> str:
    """"292 + 20 thành lập mới − 0 giải thể − 0 chuyển đổi": the count a year's flows give."""
    words = resource("indicators.yaml")["labels"]["flow_words"]
    measure = {e["code"]: e["measure"] for e in catalog() if "measure" in e}
    text = fmt.number(start)
    for code, v in moves.items():
        text += f" {'+' if signs[code] > 0 else '−'} {fmt.number(v)} {words[measure[code]]}"
    return text
