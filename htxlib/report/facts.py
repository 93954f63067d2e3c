"""The figures of one report, read from the indicator table of its area.

``Facts`` is what narrative, tables, figures and targets see: the indicator table of the
reporting area (with history and rows by organisation) and names for its periods — the
as-of date (``a``), the full-year estimate of year N (``e``), the full year N-1 (``p``),
the plan of year N+1 (``plan``) and the multi-year plan period. Nothing here reads raw
records.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

import pandas as pd

from htxlib.glossary import catalog, repealed
from htxlib.indicators import Values, area_table, indicator_table
from htxlib.indicators.measures import same_date_before
from htxlib.inputs.areas import Areas
from htxlib.inputs.registry import Registry

PLANS = ("plan", "plan_n", "period")  # names of the periods of kind "plan"


@dataclass
class Facts:
    table: pd.DataFrame
    area: str  # code of the reporting area
    area_name: str  # "huyện Ba Tơ"
    level: str  # province, district, commune
    year: int  # plan year N+1
    as_of: dt.date
    place: str = ""  # the area's bare name, for "Ba Tơ, ngày … tháng … năm 2024"
    parent_name: str = ""  # the unit above the area ("tỉnh Quảng Ngãi"), "" at the top
    formed_on: dt.date | None = None  # the area was formed by a reorganisation that day,
    formed_from: tuple[tuple[str, str], ...] = ()  # of these old units (unit word, name)
    unit_words: str = "đơn vị"  # what its lowest units are: "xã, phường, đặc khu"
    edition: str = "plan"  # the document the facts are for (htxlib.report.edition)

    @property
    def n(self) -> int:
        """The year assessed (N)."""
        return self.year - 1

    @property
    def base(self) -> str:
        """What the sentences compare a figure with: the same period of the year before in
        a six-month report (never a half year with a whole one), else the year before."""
        return "s" if self.edition == "mid-year" else "p"

    @property
    def year_figure(self) -> str:
        """The period name of year N's figure: done to 31/12, else its estimate."""
        return "a" if self.done else "e"

    @property
    def period_start(self) -> str:
        """The year before the five-year period year N belongs to (2025 for 2026-2030)."""
        return str(int(self.period_label[:4]) - 1)

    @property
    def done(self) -> bool:
        """The figures run to the end of year N: its figures are done, not estimated."""
        return self.as_of == dt.date(self.n, 12, 31)

    @cached_property
    def own(self) -> pd.DataFrame:
        return self.table[self.table["area_code"].astype(object) == self.area]

    @property
    def period_label(self) -> str:
        """The multi-year period assessed: the data's, else the five-year cycle holding
        year N (2021-2025, 2026-2030, …)."""
        if "period" in self.periods:
            return self.periods["period"]
        start = 2021 + 5 * ((self.n - 2021) // 5)
        return f"{start}-{start + 4}"

    @cached_property
    def periods(self) -> dict[str, str]:
        """Names ("a", "e", "p", "s", "plan", "period", "YYYY") → period ids of the table;
        "s" is the same date of the year before (a six-month report's "cùng kỳ")."""
        seen = self.own[["period", "kind"]].astype(object).drop_duplicates()
        same = same_date_before(self.as_of).date().isoformat()
        ids = {}
        for period, kind in seen.itertuples(index=False):
            if kind == "actual" and period == same:
                ids["s"] = period
            if kind == "actual" and period in (self.as_of.isoformat(), str(self.n)):
                ids["a"] = period
            elif kind == "estimate" and period == str(self.n):
                ids["e"] = period
            elif kind == "plan" and period == str(self.year):
                ids["plan"] = period
            elif kind == "plan" and period == str(self.n):  # year N's own plan
                ids["plan_n"] = period
            elif kind == "plan" and "-" in period and int(period[:4]) <= self.n <= int(
                    period[-4:]):  # the period year N belongs to (2021-2025 for N = 2025)
                ids["period"] = period
            if kind == "actual" and period.isdigit():
                ids[period] = period
        ids.setdefault("e", ids.get("a", ""))
        ids["p"] = str(self.n - 1)
        if "s" in ids and not self._fed(ids["s"]):
            del ids["s"]  # nothing spoke for it: no figures, not zeros
        return ids

    def _fed(self, period: str) -> bool:
        """Whether organisations or forms gave any figure of the area for ``period``: a
        figure nobody gave is "no data" (NaN), and a commune formed later has figures
        before it existed only from its own forms (its "cùng kỳ" column)."""
        rows = self.own[(self.own["period"].astype(object) == period)
                        & self.own["code"].astype(object).isin(_counted())
                        & (self.own["breakdown"].astype(object) == "")]
        return bool(rows["value"].notna().any())

    @cached_property
    def _totals(self) -> dict[tuple[str, str], dict[str, Any]]:
        """(period key, code) → the first total row of the area, as a dict of its columns
        (a dict, not a Series: a report reads some five hundred of them)."""
        rows = self.own[self.own["breakdown"].astype(object) == ""]
        out: dict[tuple[str, str], dict[str, Any]] = {}
        for key, code, rec in zip(_period_keys(rows), rows["code"].astype(object),
                                  rows.to_dict("records"), strict=True):
            out.setdefault((key, code), rec)
        return dict(sorted(out.items()))

    @cached_property
    def _parts(self) -> dict[tuple[str, str, str], list[tuple[str, float]]]:
        """(``_totals`` key, code, breakdown) → the non-zero categories, in table order;
        a period id shared by an actual and its estimate gives the actual's, as
        ``_totals`` does (tables ask for parts some three hundred times)."""
        rows = self.own[self.own["breakdown"].astype(object) != ""]
        out: dict[tuple[str, str, str], list[tuple[str, float]]] = {}
        seen = set()
        for period, code, dim, cat, label, v in zip(
                _period_keys(rows), rows["code"].astype(object),
                rows["breakdown"].astype(object), rows["category"].astype(object),
                rows["category_label"].astype(object), rows["value"], strict=True):
            key = (period, code, dim)
            if (key, cat) in seen:  # the estimate's row of a period id the actual has
                continue
            seen.add((key, cat))
            if v == v and v != 0:
                out.setdefault(key, []).append((str(label), float(v)))
        return out

    def row(self, code: str, period: str = "a") -> dict[str, Any] | None:
        """The total row of ``code`` in a period (its columns by name), None if absent."""
        return self._totals.get((self._key(period), code))

    def _key(self, period: str) -> str:
        """The ``_totals`` key of a period name: plan periods apart from actual ones."""
        pid = self.periods.get(period, period)
        return f"plan:{pid}" if period in PLANS else pid

    def value(self, code: str, period: str = "a") -> float:
        """The total of ``code`` (NaN when absent or no data)."""
        r = self.row(code, period)
        if r is None and period == "p":  # N-1 as a row only with history; else previous_value
            r = self.row(code, "a")
            return math.nan if r is None else float(r["previous_value"])
        return math.nan if r is None else float(r["value"])

    def _at(self, frame: pd.DataFrame, period: str) -> pd.DataFrame:
        """The rows of ``frame`` of a period name, once each: at a year-end as-of date the
        actual year and its estimate share the id ("2024"), and the actual comes first, as
        in ``_totals``; a plan period's rows only for a plan name."""
        pid = self.periods.get(period, period)
        plan = frame["kind"].astype(object) == "plan"
        rows = frame[(frame["period"].astype(object) == pid)
                     & (plan if period in PLANS else ~plan)]
        return rows.drop_duplicates(["area_code", "code", "breakdown", "category"])

    def values(self, period: str = "a") -> dict[str, float]:
        pid = self._key(period)
        return {code: float(r["value"]) for (p, code), r in self._totals.items() if p == pid}

    def parts(self, code: str, breakdown: str, period: str = "a") -> list[tuple[str, float]]:
        """[(category label, value)] of the non-zero categories, in table order."""
        return self._parts.get((self._key(period), code, breakdown), [])

    def part(self, code: str, breakdown: str, label: str, period: str = "a") -> float:
        """One category's value: a category without a row is 0 where the code's breakdown
        is shown at all, "no data" (NaN) where the total is, or where its parts are not
        shown (an office estimate of the total hides the computed ones)."""
        found = dict(self.parts(code, breakdown, period))
        if label in found:
            return found[label]
        total = self.value(code, period)
        return 0.0 if found or total == 0 else math.nan

    def series(self, code: str) -> pd.Series:
        """Full years before N, then the estimate of N: value by year (charts, trends)."""
        out = {int(p): self.value(code, p) for p in self.periods if p.isdigit()}
        out[self.n] = self.value(code, "e")
        return pd.Series(out, dtype=float).sort_index()

    @property
    def source(self) -> str:
        """Where the figures come from: "records" (the organisations' own), "forms" (the
        units' summary reports) or "both" (coverage codes, ``indicators.coverage``)."""
        forms, records = self.value("units_forms"), self.value("units_records")
        if math.isnan(forms) or not forms:
            return "records"
        return "both" if records else "forms"

    def partial(self, period: str = "a") -> tuple[float, float] | None:
        """(units with figures, units) of the area's lowest units in ``period``, when the
        data hold units' forms and not every unit has figures (a province of 8/96
        communes): its sums are not the area's whole; None when they are."""
        total, missing = self.value("units_total", period), self.value("units_missing", period)
        if math.isnan(missing) or not missing or not total > 1:
            return None
        return total - missing, total

    def reported(self, period: str) -> list[str]:
        """Names of the lowest units of the area with any figure in ``period``."""
        rows = self._at(self.table, period)
        rows = rows[rows["code"].astype(object).isin(_counted())
                    & (rows["breakdown"].astype(object) == "") & rows["value"].notna()]
        above = set(self.table["parent_code"].dropna().astype(object))
        names = dict(zip(rows["area_code"].astype(object), rows["area_name"], strict=True))
        return [str(n) for c, n in names.items() if c not in above and c != self.area]

    @property
    def derived(self) -> bool:
        r = self.row("org_count", "e")
        return bool(r is not None and r["derived"])

    def units(self, period: str = "a") -> pd.DataFrame:
        """The units directly below the area, in ``period`` (a period name, default the
        as-of date), as a wide frame by code.

        A unit without a row for an additive code has 0 of it (rows that say nothing are
        left out; a ratio without one has no denominator, so no value),
        unless no unit has a row and the area's own figure is "no data": then none has
        data. A unit's own "no data" (a blank on its form) stays "no data", and so does a
        unit the data say nothing of (no organisations, no form: its only rows are the
        coverage codes), never 0."""
        t = self._at(self.table, period)
        rows = t[(t["parent_code"].astype(object) == self.area)
                 & (t["breakdown"].astype(object) == "")]
        rows = rows.astype({"area_code": object, "area_name": object, "code": object})
        index = ["area_code", "area_name"]
        wide = rows.pivot(index=index, columns="code", values="value")
        shown = rows.assign(one=1.0).pivot(index=index, columns="code", values="one").notna()
        for code in wide.columns:  # a ratio without a row has no denominator: no value
            if code in additive_codes() and (shown[code].any()
                                             or not math.isnan(self.value(str(code),
                                                                          period))):
                wide[code] = wide[code].where(shown[code], 0.0)
        figures = [c for c in wide.columns if c not in coverage_codes()]
        silent = ~shown[figures].any(axis=1) if figures else shown.any(axis=1)
        wide.loc[silent, figures] = math.nan
        return wide.reset_index()

    def lowest(self, code: str, period: str = "a") -> list[str]:
        """Names of the lowest units of the area (none below them in the table) where
        ``code`` is non-zero: the communes a coverage code counts."""
        t = self.table
        rows = self._at(t, period)
        rows = rows[(rows["code"].astype(object) == code)
                    & (rows["breakdown"].astype(object) == "") & (rows["value"] > 0)]
        above = set(t["parent_code"].dropna().astype(object))
        return [str(n) for c, n in zip(rows["area_code"].astype(object), rows["area_name"],
                                       strict=True) if c not in above]

    def before_formed(self) -> list[int]:
        """The full years shown whose figures are the old units' (the area did not exist
        yet): none unless the area was formed by a reorganisation."""
        if self.formed_on is None:
            return []
        return sorted(int(p) for p in self.periods if p.isdigit()
                      and dt.date(int(p), 12, 31) < self.formed_on)

    def before_formed_same(self) -> dt.date | None:
        """The date of the same period of the year before ("cùng kỳ"), when its figures
        are the old units' (the area was formed after it); else None."""
        same = self.periods.get("s")
        if self.formed_on is None or same is None:
            return None
        when = dt.date.fromisoformat(same)
        return when if when < self.formed_on else None

    def repealed(self, code: str) -> dt.date | None:
        """The date a reform repealed ``code`` (the HTX rating), when the figures of this
        report run to it or later; None when the code still applied to them."""
        when = repealed().get(code)
        return when if when is not None and self.as_of >= when else None

    def plans(self, period: str) -> pd.DataFrame:
        """Plan rows (targets) of the area for ``period`` ("plan", "plan_n" or "period"),
        but those on an indicator a reform repealed before the figures' date: the plan of
        a later year sets no target on it."""
        pid = self.periods.get(period)
        own = self.own
        rows = own[(own["kind"].astype(object) == "plan") & (own["period"].astype(object) == pid)
                   & (own["breakdown"].astype(object) == "")]
        return rows[[self.repealed(str(c)) is None for c in rows["code"]]]


@cache
def additive_codes() -> frozenset[str]:
    """The codes that are sums (a unit without a row of one has 0 of it), not ratios."""
    return frozenset(e["code"] for e in catalog() if "measure" in e)


@cache
def coverage_codes() -> frozenset[str]:
    """The codes that count units (``units_total``, ``units_missing``, …), not figures."""
    return frozenset(e["code"] for e in catalog() if "coverage" in e)


def _period_keys(rows: pd.DataFrame) -> list[str]:
    """Each row's period as ``Facts`` keys it: a plan's id with "plan:" in front, as year
    N's plan shares its id ("2024") with year N's estimate and is kept apart from it."""
    plan = rows["kind"].astype(object) == "plan"
    return [f"plan:{p}" if is_plan else p
            for p, is_plan in zip(rows["period"].astype(object), plan, strict=True)]


def gather(registry: Registry, area: str, year: int, as_of: dt.date,
           values: Values | None = None, edition: str = "plan") -> Facts:
    """The facts of ``area`` (a unit code) for plan year ``year`` at ``as_of``; ``values``:
    the indicator values of every unit at ``as_of`` with history, when already computed
    (``htxlib.session``)."""
    if values is None:
        table = indicator_table(registry, as_of, area=area, history=True, by_organisation=True)
    else:
        table = area_table(values, registry, area, by_organisation=True)
    areas = registry.areas
    frame = areas.frame
    i = frame.index[frame["code"] == area][0]
    parent = frame.at[i, "parent_code"]
    cross = areas.crosswalk
    old = cross[(cross["new_code"] == area) & (cross["effective"] <= pd.Timestamp(as_of))]
    start = frame.at[i, "valid_from"]
    formed = start.date() if len(old) and pd.notna(start) else None
    rows = frame.set_index("code").loc[list(old["old_code"])] if formed else frame.iloc[:0]
    return Facts(table, area, areas.display_names().iloc[i], str(frame.at[i, "level"]),
                 year, as_of, str(frame.at[i, "name"]),
                 areas.display(parent) if isinstance(parent, str) else "", formed,
                 tuple(zip(rows["unit_kind"].fillna(""), rows["name"], strict=True)),
                 _unit_words(areas, area, as_of), edition)


UNIT_WORDS = ("xã", "phường", "thị trấn", "đặc khu")  # the order a document lists them


def _unit_words(areas: Areas, area: str, as_of: dt.date) -> str:
    """"xã, phường, đặc khu": the kinds of the lowest units of ``area`` on ``as_of``, as a
    document names them; "đơn vị" when the list does not say."""
    leaves = set(areas.leaves(pd.Timestamp(as_of))) & set(areas.descendants(area))
    kinds = set(areas.frame.loc[areas.frame["code"].isin(leaves), "unit_kind"].dropna())
    found = [k for k in UNIT_WORDS if k in kinds]
    return ", ".join(found) or "đơn vị"


@cache
def _counted() -> list[str]:
    """The codes counted from organisations or forms (not coverage, not ratios)."""
    return [e["code"] for e in catalog() if "measure" in e]
