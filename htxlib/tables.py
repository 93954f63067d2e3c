"""The report's tables, formatted for reading: Vietnamese numbers, units, captions.

Each builder reads ``Facts`` (the indicator table) and returns a ``Table`` of strings;
the layout (rows, headers, captions) is in resources/exhibits.yaml. Numbering
("Bảng N.") is done by ``htxlib.report`` in outline order.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from htxlib import fmt
from htxlib.facts import Facts
from htxlib.glossary import catalog, enums, resource
from htxlib.narrative import render
from htxlib.targets import Target


@dataclass
class Table:
    id: str
    caption: str
    headers: list[str]
    rows: list[list[str]]
    indent: list[bool] = field(default_factory=list)  # "trong đó" rows
    total: bool = False  # the last row is a total

    def frame(self) -> pd.DataFrame:
        """The table as a DataFrame of display strings (analysts, notebooks)."""
        return pd.DataFrame(self.rows, columns=self.headers)

    def _repr_html_(self) -> str:  # shown as a table in Jupyter
        return self.frame().to_html(index=False)


def spec() -> dict:
    return resource("exhibits.yaml")


def _ctx(facts: Facts) -> dict:
    return {"n": facts.n, "year": facts.year, "prev": facts.n - 1, "area": facts.area_name,
            "as_of": fmt.date(facts.as_of), "period": facts.period_label}


def _headers(facts: Facts, headers: list[str]) -> list[str]:
    return [render(h, **_ctx(facts)) for h in headers]


def _caption(facts: Facts, key: str) -> str:
    return render(spec()["tables"][key]["caption"], **_ctx(facts))


def value(v: float, unit: str = "") -> str:
    """Counts without decimals, averages and shares with one; with its unit when given
    ("13,3%", "15 HTX"); a dash for no value."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return spec()["dash"]
    return fmt.with_unit(fmt.number(v, 0 if float(v).is_integer() else 1), unit)


def _pct(num: float, den: float) -> str:
    return value(num / den * 100) if den and not math.isnan(num) and not math.isnan(den) \
        else spec()["dash"]


def _has(v: float) -> bool:
    return not math.isnan(v) and v != 0


def indicators(facts: Facts) -> Table:
    """The plan's indicator table: N-1 | to date | estimate N | % | plan N+1 | %."""
    entries = {e["code"]: e for e in catalog()}
    optional = spec()["tables"]["indicators"].get("optional", {})
    rows, indent = [], []
    for item in spec()["tables"]["indicators"]["rows"]:
        code = item.lstrip("-")
        e = entries[code]
        prev, now, est = (facts.value(code, p) for p in ("p", "a", "e"))
        plan = facts.value(code, "plan") if "plan" in facts.periods else math.nan
        if code in optional and math.isnan(plan) and not any(
                _has(facts.value(c, p)) for c in optional[code] for p in ("p", "a", "e")):
            continue
        top = facts.row(code, "plan")["value_max"] if not math.isnan(plan) else math.nan
        ranged = not (math.isnan(top) or top == plan)
        plan_text = f"{value(plan)} - {value(top)}" if ranged else value(plan)
        share = e["unit"] == "%"
        plan_pct = _pct(plan, est)
        if ranged and plan_pct != spec()["dash"]:  # a range of targets: a range of %
            plan_pct = f"{plan_pct} - {_pct(top, est)}"
        rows.append([e["label"], e["unit"], value(prev), value(now), value(est),
                     spec()["dash"] if share else _pct(est, prev), plan_text,
                     spec()["dash"] if share else plan_pct])
        indent.append(item.startswith("-"))
    return Table("indicators", _caption(facts, "indicators"),
                 _headers(facts, spec()["tables"]["indicators"]["headers"]), rows, indent)


def _columns(facts: Facts, key: str) -> tuple[list[str], list[str]]:
    cols = spec()["tables"][key]["columns"]
    return _headers(facts, list(cols)), list(cols.values())


def communes(facts: Facts) -> Table:
    """The units below the area: organisations, members, workers; with a total row."""
    headers, codes = _columns(facts, "communes")
    units = facts.units()
    rows = [[str(u["area_name"])] + [value(u.get(c, 0.0)) for c in codes[1:]]
            for _, u in units.iterrows()]
    rows.append([spec()["total"]] + [value(facts.value(c)) for c in codes[1:]])
    return Table("communes", _caption(facts, "communes"), headers, rows, total=True)


def sectors(facts: Facts) -> Table:
    headers, codes = _columns(facts, "sectors")
    labels = [lbl for lbl, _ in facts.parts("org_count", "sector")]
    rows = []
    for lbl in labels:
        row = [lbl]
        for c in codes[1:]:
            code, _, period = c.partition("@")
            row.append(value(dict(facts.parts(code, "sector", period or "a")).get(lbl, 0.0)))
        rows.append(row)
    total = [spec()["total"]] + [value(facts.value(*c.split("@"))) for c in codes[1:]]
    return Table("sectors", _caption(facts, "sectors"), headers, rows + [total], total=True)


def managers(facts: Facts) -> Table:
    now = dict(facts.parts("htx_managers", "training"))
    before = dict(facts.parts("htx_managers", "training", "p"))
    total = facts.value("htx_managers")
    rows = [[lbl, value(before.get(lbl, 0.0)), value(now.get(lbl, 0.0)),
             _pct(now.get(lbl, 0.0), total)]
            for lbl in (v["label"] for v in enums()["training_level"].values())
            if lbl in now or lbl in before]
    rows.append([spec()["total"], value(facts.value("htx_managers", "p")), value(total),
                 _pct(total, total)])
    return Table("managers", _caption(facts, "managers"),
                 _headers(facts, spec()["tables"]["managers"]["headers"]), rows, total=True)


def support(facts: Facts) -> Table:
    """Support by policy group and year (full years, then year N to date)."""
    codes = ["support_beneficiaries", "support_funds_central", "support_funds_local",
             "support_funds_other", "support_funds"]
    years = [p for p in facts.periods if p.isdigit()] + ["a"]
    rows = []
    for group in (g["label"] for g in enums()["policy_group"].values()):
        for p in years:
            vals = [dict(facts.parts(c, "policy_group", p)).get(group, 0.0) for c in codes]
            if any(vals):
                year = facts.periods[p] if p != "a" else render(
                    spec()["tables"]["support"]["to_date"], n=facts.n, as_of=fmt.date(facts.as_of))
                rows.append([group, year[:4] if p != "a" else year] + [value(v) for v in vals])
    if not rows:
        rows = [[spec()["no_rows"]] + [""] * 6]
    return Table("support", _caption(facts, "support"),
                 _headers(facts, spec()["tables"]["support"]["headers"]), rows)


def targets(facts: Facts, items: list[Target]) -> Table:
    rows = [[t.note, value(t.asof, t.unit), value(t.estimate, t.unit), t.target_text, t.gap,
             t.feasibility]
            for t in items] or [[spec()["no_rows"]] + [""] * 5]
    return Table("targets", _caption(facts, "targets"),
                 _headers(facts, spec()["tables"]["targets"]["headers"]), rows)


def period_targets(facts: Facts, items: list[Target]) -> Table:
    rows = [[t.note, value(t.estimate, t.unit), value(t.pct, "%"), t.completion]
            for t in items] or [[spec()["no_rows"]] + [""] * 3]
    return Table("period_targets", _caption(facts, "period_targets"),
                 _headers(facts, spec()["tables"]["period_targets"]["headers"]), rows)
