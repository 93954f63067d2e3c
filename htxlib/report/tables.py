"""The report's tables as data: numbers with their unit and indicator code, row kinds.

Each builder reads ``Facts`` (the indicator table) and returns a ``tree.Table``, or None
when the area has nothing to break down that way (a commune has no units below it; a
breakdown into one category only repeats the total): the table is then left out and the
numbering closes up. The layout (rows, headers, captions) is in resources/exhibits.yaml.
Formatting is left to the renderers; numbering ("Bảng N.") is done by
``htxlib.report.assemble`` in outline order.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

import pandas as pd

from htxlib import fmt
from htxlib.glossary import catalog, enums, labels, resource
from htxlib.report import coverage
from htxlib.report.cells import Number, Range, is_figure
from htxlib.report.facts import Facts, coverage_codes
from htxlib.report.narrative import render
from htxlib.report.present import agreeing, sub_rows
from htxlib.report.targets import Target
from htxlib.report.tree import Head, Row, Table


def spec() -> dict:
    return resource("exhibits.yaml")


def _ctx(facts: Facts) -> dict:
    return {"n": facts.n, "year": facts.year, "prev": facts.n - 1, "area": facts.area_name,
            "as_of": fmt.date(facts.as_of), "period": facts.period_label, "done": facts.done}


def _header(facts: Facts, key: str, variant: str = "header") -> list[list[Head]]:
    """Header rows from exhibits.yaml: ``headers`` (one row of texts), ``header`` (rows
    of texts or {text, cols, rows} for merged cells) or a layout's ``header``
    (``layouts``: ``variant`` names it)."""
    s = spec()["tables"][key]
    if variant in s.get("layouts", {}):
        rows = s["layouts"][variant]["header"]
    else:
        rows = s[variant] if variant in s else [s.get("headers") or list(s["columns"])]
    ctx = _ctx(facts)
    return [[Head(render(h, **ctx)) if isinstance(h, str) else
             Head(render(h["text"], **ctx), h.get("cols", 1), h.get("rows", 1)) for h in row]
            for row in rows]


def _table(facts: Facts, key: str, rows: list[Row], center: tuple[int, ...] = (),
           header: str = "header") -> Table:
    """A table with its caption and header; columns holding numbers are right-aligned, a
    "trong đó" row's label follows its mark."""
    header = _header(facts, key, header)
    width = sum(h.colspan for h in header[0])
    numeric = [any(is_figure(r.cells[c]) for r in rows) for c in range(width)]
    align = ["center" if c in center else "right" if numeric[c] else "left"
             for c in range(width)]
    caption = render(spec()["tables"][key]["caption"], **_ctx(facts))
    dashed = any(isinstance(c, Number | Range) and c.missing for r in rows for c in r.cells)
    return sub_rows(Table(key, caption, header, rows, align,
                          note=spec()["dash_note"] if dashed else ""))


def _none(width: int) -> list[Row]:
    """The one row of a table with nothing to list ("Không có.")."""
    return [Row([spec()["no_rows"]] + [""] * (width - 1))]


def pct(num: float, den: float) -> Number:
    """num as % of den (no value when either is missing or den is 0)."""
    ok = den and not math.isnan(num) and not math.isnan(den)
    return Number(num / den * 100 if ok else None, "%")


def _has(v: float) -> bool:
    return not math.isnan(v) and v != 0


PLAN_PERIODS = ("plan", "plan_n")  # the columns of targets


def layout(facts: Facts) -> str:
    """Which Bảng 1 the document prints (exhibits.yaml ``indicators.layouts``): the plan's,
    with year N's own plan when it has one; the year-end report's, with next year's plan
    when it has one."""
    if facts.edition == "year-end":
        return "year-end-next" if "plan" in facts.periods else "year-end"
    if facts.edition == "mid-year":
        return "mid-year"
    return "plan_n" if "plan_n" in facts.periods else "plan"


def indicators(facts: Facts) -> Table:
    """Bảng 1, the indicator table, in the columns of the document's layout: periods of
    the facts (the year before, to date, the year's estimate or figure, plans) and ratios
    "x/y" (x in % of y; a range judged at both ends; a share is compared, not divided)."""
    entries = {e["code"]: e for e in catalog()}
    table_spec = spec()["tables"]["indicators"]
    key = layout(facts)
    columns = ["/".join(facts.year_figure if p == "y" else p for p in c.split("/"))
               for c in table_spec["layouts"][key]["columns"]]
    optional = table_spec.get("optional", {})
    ratios = {i: (columns.index(top), columns.index(bottom)) for i, c in enumerate(columns)
              if "/" in c for top, bottom in [c.split("/")]
              if top in columns and bottom in columns}
    rows = []
    for item in table_spec["rows"]:
        code = item.lstrip("-")
        e = entries[code]
        plans = {p: _plan_cell(facts, code, e["unit"], p) for p in PLAN_PERIODS}
        if code in optional and all(c.missing for c in plans.values()) and not any(
                _has(facts.value(c, p)) for c in optional[code] for p in ("p", "a", "e")):
            continue
        cells = agreeing([_column(facts, code, e["unit"], c, plans) for c in columns], ratios)
        label = e["label"]
        if when := facts.repealed(code):
            label = render(spec()["repealed_label"], label=label, date=fmt.date(when))
        rows.append(Row([label, e["unit"], *cells], "sub" if item.startswith("-") else "normal",
                        code))
    table = _table(facts, "indicators", rows, center=(1,), header=key)

    def noted(label: str) -> list[str]:
        return [e["label"] for e in (entries[r.code] for r in rows)
                if (x := facts.row(e["code"], "e")) is not None and x["note"] == labels()[label]]

    if told := noted("stated"):  # which year-end figures the office gave, and the rest
        words = render(spec()["stated_note"], n=facts.n, labels="; ".join(told),
                       followed="; ".join(noted("followed")), source=facts.source)
        table.note = f"{table.note} {words}".strip()
    table.note = " ".join(x for x in (table.note, coverage.under_table(facts, columns)) if x)
    return table


def _column(facts: Facts, code: str, unit: str, column: str,
            plans: dict[str, Number | Range]) -> Number | Range:
    """One cell of Bảng 1: a period's figure, a target, or "x/y", x in % of y."""
    if column in plans:
        return plans[column]
    if "/" not in column:
        return Number(facts.value(code, column), unit, code,
                      period=facts.periods.get(column, ""))
    if unit == "%":  # a share is compared, not divided
        return Number(None, "%")
    top, bottom = column.split("/")
    if top in plans:
        value = facts.value(code, bottom)
        return _in_pct(plans[top], lambda v: pct(v, value))
    value = facts.value(code, top)
    if bottom in plans:
        return _in_pct(plans[bottom], lambda v: pct(value, v))
    return pct(value, facts.value(code, bottom))


def _plan_cell(facts: Facts, code: str, unit: str, period: str) -> Number | Range:
    """A target: one number, or the two ends of a range ("01 - 02")."""
    row = facts.row(code, period)
    if row is None or facts.repealed(code):  # no target on what a reform repealed
        return Number(None, unit, code)
    lo, hi = float(row["value"]), float(row["value_max"])
    if math.isnan(hi) or hi == lo:
        return Number(lo, unit, code)
    return Range(Number(lo, unit, code), Number(hi, unit, code))


def _in_pct(cell: Number | Range, of: Callable[[float], Number]) -> Number | Range:
    """A % computed from a target cell: ``of`` each end of a range, smaller first."""
    if cell.missing:
        return Number(None, "%")
    if not isinstance(cell, Range):
        return of(cell.value)
    ends = sorted((of(cell.low.value), of(cell.high.value)),
                  key=lambda n: math.inf if n.missing else n.value)
    return Number(None, "%") if ends[0].missing else Range(*ends)


def _codes(key: str) -> list[str]:
    return list(spec()["tables"][key]["columns"].values())


def _total(facts: Facts, codes: list[str]) -> Row:
    cells = [Number(facts.value(code, period or "a"), code=code,
                    period=facts.periods.get(period or "a", ""))
             for code, _, period in (c.partition("@") for c in codes)]
    return Row([spec()["total"], *cells], "total")


MIN_PARTS = 2  # a breakdown into fewer categories only repeats its total


def units(facts: Facts, period: str = "a") -> pd.DataFrame | None:
    """The units the area's organisations are spread over in ``period`` (default the as-of
    date; ``Facts.units`` rows): those directly below the area or, while one unit holds
    them all (a province of one district), the units below that one; None when they are in
    fewer than two units (a commune, or a district whose organisations are all in one
    commune). Units with no figure at all are left out: the coverage sentence names them."""
    seen = facts
    while True:
        below = seen.units(period)
        figures = [c for c in below.columns if c not in ("area_code", "area_name")
                   and c not in coverage_codes()]
        below = below[below[figures].notna().any(axis=1)]
        holding = below[below["org_count"] > 0] if "org_count" in below else below.iloc[:0]
        if len(holding) >= MIN_PARTS:
            return below
        if len(holding) == 0:
            return None
        seen = replace(seen, area=str(holding["area_code"].iloc[0]))


def communes(facts: Facts) -> Table | None:
    """The units below the area: organisations, members, workers; with a total row."""
    below = units(facts)
    if below is None:
        return None
    codes = _codes("communes")[1:]
    rows = [Row([str(u["area_name"])] + [Number(u.get(c, _unit_default(facts, c)), code=c)
                                          for c in codes])
            for _, u in below.iterrows()]
    return _table(facts, "communes", rows + [_total(facts, codes)])


def _unit_default(facts: Facts, code: str) -> float:
    """A unit's value of a code no unit has a row of: 0, or no data like the area's."""
    return math.nan if math.isnan(facts.value(code)) else 0.0


def sectors(facts: Facts) -> Table | None:
    if len(facts.parts("org_count", "sector")) < MIN_PARTS:
        return None
    codes = _codes("sectors")[1:]
    rows = []
    for lbl, _ in facts.parts("org_count", "sector"):
        cells = []
        for c in codes:
            code, _, period = c.partition("@")
            cells.append(Number(facts.part(code, "sector", lbl, period or "a"), code=code))
        rows.append(Row([lbl, *cells]))
    return _table(facts, "sectors", rows + [_total(facts, codes)])


def managers(facts: Facts) -> Table | None:
    now = dict(facts.parts("htx_managers", "training"))
    before = dict(facts.parts("htx_managers", "training", "p"))
    total = facts.value("htx_managers")

    def count(v: float) -> Number:
        return Number(v, "người", "htx_managers")

    rows = [Row([lbl, count(before.get(lbl, 0.0)), count(now.get(lbl, 0.0)),
                 pct(now.get(lbl, 0.0), total)])
            for lbl in (v["label"] for v in enums()["training_level"].values())
            if lbl in now or lbl in before]
    if len(rows) < MIN_PARTS:
        return None
    rows.append(Row([spec()["total"], count(facts.value("htx_managers", "p")), count(total),
                     pct(total, total)], "total"))
    return _table(facts, "managers", rows)


SUPPORT_CODES = ["support_beneficiaries", "support_funds_central", "support_funds_local",
                 "support_funds_other", "support_funds"]


def support(facts: Facts) -> Table | None:
    """Support by policy group and year (full years, then year N to date); None when the
    data has none (the sentences above say "Không có." for every group)."""
    years = [p for p in facts.periods if p.isdigit()]
    years += [] if facts.periods["a"] in years else ["a"]  # to date, unless the year is done
    rows = []
    for group in (g["label"] for g in enums()["policy_group"].values()):
        for p in years:
            vals = [dict(facts.parts(c, "policy_group", p)).get(group, 0.0)
                    for c in SUPPORT_CODES]
            if any(vals):
                year = facts.periods[p][:4] if p != "a" else render(
                    spec()["tables"]["support"]["to_date"], n=facts.n,
                    as_of=fmt.date(facts.as_of))
                rows.append(Row([group, year] + [Number(v, code=c) for v, c in
                                                 zip(vals, SUPPORT_CODES, strict=True)]))
    return _table(facts, "support", rows) if rows else None


def _inline(v: float, unit: str, code: str = "") -> Number:
    return Number(v, unit, code, unit_inline=True)


def targets(facts: Facts, items: list[Target]) -> Table:
    rows = [Row([t.note, _inline(t.asof, t.unit, t.code), _inline(t.estimate, t.unit, t.code),
                 t.target_text, t.gap, t.feasibility], code=t.code)
            for t in items]
    return _table(facts, "targets", rows or _none(6))


def period_targets(facts: Facts, items: list[Target]) -> Table:
    rows = [Row([t.note, _inline(t.estimate, t.unit, t.code), _inline(t.pct, "%"),
                 t.completion], code=t.code)
            for t in items]
    return _table(facts, "period_targets", rows or _none(4))
