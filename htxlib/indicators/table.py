"""The indicator table: one row per area × period × indicator × breakdown.

Built in three steps:
  1. ``additive``: every additive code cut out of the period cubes (``htxlib.indicators.cube``) as
     dense arrays — totals [period, unit, code] and breakdowns [period, unit, category];
  2. ``derive``: ratios recomputed from their additive parts, never averaged. It reads
     additive values only, so values added up from already-aggregated submissions (the
     communes' tables of a province) go through the same code;
  3. ``to_table``: the long, tidy frame (TABLE_COLUMNS, documented in
     docs/indicators.md) with labels, the previous year's value and the plan targets.
``indicator_table`` runs all three for an opened registry.
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

from htxlib.glossary import BREAKDOWN_ENUM, catalog, enums, measures_of, resource
from htxlib.indicators import measures as ms
from htxlib.indicators.byorg import organisation_rows
from htxlib.indicators.cube import Cube, Layout, period_cube, period_support
from htxlib.indicators.estimates import office_estimates
from htxlib.indicators.rollup import add_submissions
from htxlib.indicators.values import Values, categories
from htxlib.inputs.areas import Areas
from htxlib.inputs.registry import Registry
from htxlib.inputs.scope import as_date, pick_area, require_ok

TABLE_COLUMNS = ["area_code", "area_name", "area_level", "parent_code", "period", "kind",
                 "year", "ref_date", "code", "label", "unit", "breakdown", "category",
                 "category_label", "value", "denominator", "denominator_code",
                 "previous_value", "change", "change_pct", "target", "target_pct",
                 "value_max", "note", "derived"]
DIMS = ("type", "sector", "training", "policy_group")
STATED, FOLLOWED = -2, -3  # notes of figures from the Ước thực hiện sheet, until listed


def _cut(e: dict, cube: Cube, sup: np.ndarray, layout: Layout):
    """One additive code for every unit of a period: totals [unit] and breakdowns."""
    names = measures_of(e)
    if e["source"] == "support":
        by_group = sup[:, :, [ms.SUPPORT.index(n) for n in names]].sum(axis=2)
        return by_group.sum(axis=1), {"policy_group": (by_group, by_group != 0)}
    rows = np.ones(len(cube.type), dtype=bool)
    if e.get("types"):
        rows &= np.isin(cube.type, [layout.types.index(t) for t in e["types"]])
    if e.get("sectors"):
        rows &= np.isin(cube.sector, [layout.sectors.index(s) for s in e["sectors"]])
    vals = cube.values[:, [layout.m(n) for n in names]].sum(axis=1) * rows
    count = cube.values[:, layout.m("count")] * rows
    known = None
    if all(n in ms.KNOWN_OF for n in names):
        given = list(dict.fromkeys(ms.KNOWN_OF[n] for n in names))
        known = cube.values[:, [layout.m(k) for k in given]].sum(axis=1) * rows

    scope = (tuple(e.get("types", ())), tuple(e.get("sectors", ())))

    def reduce(dim: str = "", key: np.ndarray | None = None, size: int = 1):
        """Sums by unit (and by ``dim``); shown where non-zero or "no data"."""
        counted = (scope, dim)  # the organisations in scope: the same for many codes
        if counted not in cube.memo:
            cube.memo[counted] = cube.by_unit(count, key, size)
        v, c = cube.by_unit(vals, key, size), cube.memo[counted]
        if known is not None:
            v = np.where((cube.by_unit(known, key, size) == 0) & (c > 0), np.nan, v)
        return v, np.nan_to_num(v, nan=1.0) != 0

    total, _ = reduce()
    splits = {}
    for dim in e.get("breakdowns", []):
        if dim == "type":
            splits[dim] = reduce(dim, cube.type, len(layout.types))
        elif dim == "sector":
            splits[dim] = reduce(dim, cube.sector, len(layout.sectors))
        elif dim == "training":
            levels = np.column_stack([
                cube.by_unit(cube.values[:, layout.m(f"{names[0]}_{lvl}")] * rows)
                for lvl in ms.TRAINING_LEVELS])
            splits[dim] = (levels, ~np.isnan(total)[:, None] & (levels != 0))
    return total, splits


def additive(registry: Registry, periods: pd.DataFrame) -> Values:
    """Every additive code for every unit and period (ratios still empty)."""
    layout = Layout.of(registry.areas)
    codes = [e["code"] for e in catalog()]
    orgs = registry.organisations
    org_pos = layout.position(orgs["area_code"])
    values = Values(periods, layout, codes,
                    np.full((len(periods), len(layout.codes), len(codes)), np.nan))

    def cut_period(p: int) -> None:
        period = periods.iloc[p]
        cube = period_cube(orgs, org_pos, registry.records, period, layout, registry.areas,
                           periods["ref_date"].max())
        sup = period_support(registry.data.support, period, layout)
        for c, e in enumerate(catalog()):
            if "measure" not in e:
                continue
            total, splits = _cut(e, cube, sup, layout)
            values.totals[p, :, c] = total
            for dim, (v, present) in splits.items():
                values.parts[(e["code"], dim)][p] = v
                values.present[(e["code"], dim)][p] = present

    for e in catalog():  # allocated up front: the periods fill them from threads
        for dim in set(e.get("breakdowns", [])) & set(DIMS) if "measure" in e else []:
            shape = (len(periods), len(layout.codes), len(categories(dim, layout)))
            values.parts[(e["code"], dim)] = np.zeros(shape)
            values.present[(e["code"], dim)] = np.zeros(shape, dtype=bool)
            values.told[(e["code"], dim)] = np.zeros(shape, dtype=bool)
    with ThreadPoolExecutor(max_workers=3) as pool:  # one per period of a default run
        list(pool.map(cut_period, range(len(periods))))
    values.not_provided = _not_provided(registry)
    for c in values.not_provided:
        values.totals[:, :, c] = np.nan
        for (code, _dim), arr in values.parts.items():
            if code == codes[c]:
                arr[:] = np.nan
    return values


def _not_provided(registry: Registry) -> list[int]:
    """Positions in the catalogue of codes the data say nothing about: those counting only
    organisation types the registry has none of (``unknown_when_absent``), and support
    codes when there are no support rows."""
    unknown = set(resource("indicators.yaml")["unknown_when_absent"])
    absent = unknown - set(registry.organisations["org_type"].dropna())
    no_support = registry.data.support.empty
    return [c for c, e in enumerate(catalog()) if "measure" in e and (
        (e.get("types") and set(e["types"]) <= absent)
        or (e["source"] == "support" and no_support))]


def derive(values: Values) -> Values:
    """Fill every ratio code from its numerator and denominator codes."""
    pos = {c: i for i, c in enumerate(values.codes)}
    for e in catalog():
        if "ratio" not in e:
            continue
        num, den = e["ratio"]
        scale = e.get("scale", 1)
        values.totals[..., pos[e["code"]]] = _ratio(values.totals[..., pos[num]],
                                                    values.totals[..., pos[den]], scale)
        for dim in DIMS:
            if (num, dim) in values.parts and (den, dim) in values.parts:
                key = (e["code"], dim)
                d = values.parts[(den, dim)]
                values.parts[key] = _ratio(values.parts[(num, dim)], d, scale)
                values.present[key] = values.present[(den, dim)] & (d > 0)
                values.denominators[key] = d
    return values


def annualise(values: Values) -> Values:
    """Scale money flows of a derived estimate to the full year (docs/indicators.md)."""
    codes = [i for i, e in enumerate(catalog()) if e.get("annualise")]
    for p, period in enumerate(values.periods.itertuples()):
        if period.rule != "derived":
            continue
        factor = ((period.ref_date - period.start).days + 1) / (
            (period.registry_date - period.start).days + 1)
        values.totals[p, :, codes] *= factor
        for (code, _dim), arr in values.parts.items():
            if catalog()[values.codes.index(code)].get("annualise"):
                arr[p] *= factor
    return values


def _ratio(num: np.ndarray, den: np.ndarray, scale: float) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, np.round(num / den * scale, 6), np.nan)


def _cat(idx: np.ndarray, labels: list | np.ndarray) -> pd.Categorical:
    """A categorical of ``labels[idx]`` (idx -1: missing); labels may repeat."""
    codes, uniques = pd.factorize(pd.Series(list(labels), dtype=object), use_na_sentinel=True)
    codes = np.append(codes, -1)
    return pd.Categorical.from_codes(codes[idx], categories=pd.Index(uniques, dtype=object))


def _previous_index(periods: pd.DataFrame) -> np.ndarray:
    keys = list(periods["key"])
    return np.array([keys.index(f"{y - 1}|actual") if f"{y - 1}|actual" in keys else -1
                     for y in periods["year"]], dtype=np.int64)


def to_table(values: Values, registry: Registry, keep: np.ndarray | None = None,
             dense: np.ndarray | None = None, all_breakdowns: bool = False) -> pd.DataFrame:
    """The long table from dense values; ``keep`` masks the units to show.

    Units in ``dense`` (the reporting area; default: the units without a parent) get a row
    for every code and their breakdowns. Below them a total row is left out when it says
    nothing (zero, or an average or share of an empty denominator, now and the year
    before: a missing row means zero), and breakdowns are given only with
    ``all_breakdowns``.
    """
    L, periods, codes = values.layout, values.periods, values.codes
    n_p, n_a, n_c = values.totals.shape
    existed = shown_on(registry.areas, periods["ref_date"])
    # Only the kept units' slice of the arrays is read: an area's table from the values of a
    # whole country costs what its own units do. ``unit`` maps positions in it back.
    sel = slice(None) if keep is None else np.flatnonzero(keep)
    unit = (lambda x: x) if keep is None else (lambda x: sel[x])
    alive = existed[:, sel] & periods["shown"].to_numpy(dtype=bool)[:, None]
    prev = _previous_index(periods)
    den_idx = np.array([codes.index(e["ratio"][1]) if "ratio" in e else -1 for e in catalog()])
    cat_names = [""] + [c for d in DIMS for c in categories(d, L)]
    cat_labels = [""] + [enums()[BREAKDOWN_ENUM[d]][c]["label"]
                         for d in DIMS for c in categories(d, L)]
    offset = {d: 1 + sum(len(categories(x, L)) for x in DIMS[:i]) for i, d in enumerate(DIMS)}

    dense = (L.parent < 0 if dense is None else dense)[sel]
    totals = values.totals[:, sel]
    says = _says_something(totals, den_idx, prev)
    says[..., values.not_provided] = False  # "no data" is said once, by the area itself
    says[..., values.quiet] = False
    shown = alive[:, :, None] & (dense[None, :, None] | says)
    a, p, c = np.nonzero(shown.transpose(1, 0, 2))  # already in output order
    rows = {"p": p, "a": unit(a), "c": c, "value": totals[p, a, c],
            "den": np.where(den_idx[c] >= 0, totals[p, a, np.maximum(den_idx[c], 0)], np.nan),
            "den_code": den_idx[c],
            "prev": np.where(prev[p] >= 0, totals[np.maximum(prev[p], 0), a, c], np.nan)}
    extra = {k: [] for k in (*rows, "dim", "cat", "value_max", "note")}
    with_parts = alive if all_breakdowns else alive & dense[None, :]
    for (code, dim), whole in values.parts.items():
        arr = whole[:, sel]
        p, a, k = np.nonzero(values.present[(code, dim)][:, sel] & with_parts[:, :, None])
        ci = codes.index(code)
        d = values.denominators.get((code, dim))
        told = values.told.get((code, dim))
        block = {"p": p, "a": unit(a), "c": np.full_like(p, ci),
                 "dim": np.full_like(p, 1 + DIMS.index(dim)), "cat": offset[dim] + k,
                 "value": arr[p, a, k],
                 "den": d[:, sel][p, a, k] if d is not None else np.full(len(p), np.nan),
                 "den_code": np.full_like(p, den_idx[ci]),
                 "prev": np.where(prev[p] >= 0, arr[np.maximum(prev[p], 0), a, k], np.nan),
                 "value_max": np.full(len(p), np.nan),
                 "note": np.where(told[:, sel][p, a, k], STATED, -1) if told is not None
                 else np.full_like(p, -1)}
        for key_, v in block.items():
            extra[key_].append(v)
    units = existed.any(axis=0) & (True if keep is None else keep)
    plan_keys, plan_rows, notes = _plans(registry.data.targets, L, codes, n_p, units)
    for key_ in extra:
        extra[key_] = np.concatenate([*extra[key_], plan_rows[key_]])
    n_cat, n_dim, n_all = len(cat_names), len(DIMS) + 1, n_p + len(plan_keys)

    def sort_key(r: dict, dim: np.ndarray | int, cat: np.ndarray | int) -> np.ndarray:
        return (((r["a"] * n_all + r["p"]) * n_c + r["c"]) * n_dim + dim) * n_cat + cat

    order = np.argsort(sort_key(extra, extra["dim"], extra["cat"]))
    extra = {k: v[order] for k, v in extra.items()}
    at = np.searchsorted(sort_key(rows, 0, 0), sort_key(extra, extra["dim"], extra["cat"]))
    n = len(rows["p"])
    rows["dim"], rows["cat"] = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    rows["value_max"], rows["note"] = np.full(n, np.nan), np.full(n, -1, dtype=np.int64)
    flat = (rows["p"] * n_a + rows["a"]) * n_c + rows["c"]
    for mark, cells in ((STATED, values.stated), (FOLLOWED, values.followed)):
        rows["note"][np.isin(flat, [(p * n_a + a) * n_c + c for p, a, c in cells])] = mark
    rows = {k: np.insert(v, at, extra[k]) for k, v in rows.items()}  # one pass per column
    for mark, label in ((STATED, "stated"), (FOLLOWED, "followed")):
        if (rows["note"] == mark).any():  # the office's own estimates say so in the note
            notes = [*notes, resource("indicators.yaml")["labels"][label]]
            rows["note"][rows["note"] == mark] = len(notes) - 1
    return _frame(rows, values, registry, plan_keys, notes, cat_names, cat_labels)


def shown_on(areas: Areas, dates: pd.Series) -> np.ndarray:
    """[date, unit]: the unit has figures on the date — it existed then, or it was formed
    by a reorganisation in force by the last date (a commune of 1/7/2025 in 2024, whose
    figures are then those of the old units that formed it, ``cube.period_cube``)."""
    alive = areas.alive_on(dates)
    cross = areas.crosswalk
    if cross.empty:
        return alive
    moved = cross[cross["effective"] <= dates.max()]
    formed = areas.frame["code"].isin(set(moved["new_code"])).to_numpy()
    start = areas.frame["valid_from"].to_numpy()[None, :]
    before = pd.notna(start) & (dates.to_numpy()[:, None] < start)
    return alive | (formed[None, :] & before)


def _says_something(totals: np.ndarray, den_idx: np.ndarray, prev: np.ndarray) -> np.ndarray:
    """[period, unit, code]: non-zero or no data, now or in the year before."""
    ratio = den_idx >= 0
    den = totals[..., np.maximum(den_idx, 0)]
    now = np.where(ratio[None, None, :], np.nan_to_num(den) > 0,
                   np.nan_to_num(totals, nan=1.0) != 0)
    before = np.zeros_like(now)
    has = prev >= 0
    before[has] = now[prev[has]]
    return now | before


def _plans(targets: pd.DataFrame, layout: Layout, codes: list[str], n_p: int,
           shown: np.ndarray) -> tuple[list[str], dict[str, np.ndarray], list[str]]:
    """Rows of kind "plan" from the targets sheet, as index arrays."""
    t = targets[targets["area_code"].notna() & targets["indicator"].isin(codes)]
    a = layout.position(t["area_code"]) if len(t) else np.array([], dtype=np.int64)
    t, a = t[(a >= 0)], a[a >= 0]
    t, a = t[shown[a]], a[shown[a]]
    keys = sorted(set(t["period"]))
    n = len(t)
    rows = {"p": n_p + np.array([keys.index(k) for k in t["period"]], dtype=np.int64),
            "a": a.astype(np.int64),
            "c": np.array([codes.index(x) for x in t["indicator"]], dtype=np.int64),
            "dim": np.zeros(n, dtype=np.int64), "cat": np.zeros(n, dtype=np.int64),
            "value": t["target_min"].fillna(t["target_max"]).to_numpy(dtype="float64"),
            "den": np.full(n, np.nan), "den_code": np.full(n, -1, dtype=np.int64),
            "prev": np.full(n, np.nan),
            "value_max": t["target_max"].where(t["target_min"].notna()).to_numpy(dtype="float64"),
            "note": np.arange(n, dtype=np.int64)}
    return keys, rows, list(t["text"])


def _frame(rows: dict[str, np.ndarray], values: Values, registry: Registry, plan_keys: list[str],
           notes: list[str], cat_names: list[str], cat_labels: list[str]) -> pd.DataFrame:
    L, periods = values.layout, values.periods
    frame = registry.areas.frame
    n_actual = len(periods)
    p, a, c = rows["p"], rows["a"], rows["c"]
    period_names = [*periods["period"], *plan_keys]
    kinds = [*periods["kind"], *(["plan"] * len(plan_keys))]
    years = np.array([*periods["year"], *(int(k[-4:]) for k in plan_keys)], dtype=np.int64)
    refs = [*periods["ref_date"].dt.date.astype(str), *(f"{k[-4:]}-12-31" for k in plan_keys)]
    cat = {e["code"]: e for e in catalog()}
    codes = values.codes
    value, prev = rows["value"], rows["prev"]
    target, target_pct = _targets(rows, years, n_actual, len(L.codes), len(codes))
    with np.errstate(divide="ignore", invalid="ignore"):
        change_pct = np.where(prev > 0, np.round((value - prev) / prev * 100, 2), np.nan)
    return pd.DataFrame({
        "area_code": _cat(a, L.codes),
        "area_name": _cat(a, registry.areas.display_names()),
        "area_level": _cat(a, list(frame["level"])),
        "parent_code": _cat(L.parent[a], L.codes),
        "period": _cat(p, period_names), "kind": _cat(p, kinds), "year": years[p],
        "ref_date": _cat(p, refs),
        "code": _cat(c, codes), "label": _cat(c, [cat[x]["label"] for x in codes]),
        "unit": _cat(c, [cat[x]["unit"] for x in codes]),
        "breakdown": _cat(rows["dim"], ["", *DIMS]),
        "category": _cat(rows["cat"], cat_names),
        "category_label": _cat(rows["cat"], cat_labels),
        "value": value, "denominator": rows["den"],
        "denominator_code": _cat(rows["den_code"], codes),
        "previous_value": prev, "change": value - prev, "change_pct": change_pct,
        "target": target, "target_pct": target_pct,
        "value_max": rows["value_max"], "note": _cat(rows["note"], notes),
        "derived": np.append(periods["rule"].to_numpy() == "derived",
                             np.zeros(len(plan_keys), dtype=bool))[p]}, copy=False)


def _targets(rows: dict[str, np.ndarray], years: np.ndarray, n_actual: int, n_a: int,
             n_c: int) -> tuple[np.ndarray, np.ndarray]:
    """The plan of the same unit, code and year, on total rows of actual or estimate kind."""
    p, a, c, value = rows["p"], rows["a"], rows["c"], rows["value"]
    target = np.full(len(p), np.nan)
    plan = np.flatnonzero(p >= n_actual)
    plan_years = np.unique(years[p[plan]])
    grid = np.full((len(plan_years), n_a, n_c), np.nan)
    grid[np.searchsorted(plan_years, years[p[plan]]), a[plan], c[plan]] = value[plan]
    cand = np.flatnonzero((p < n_actual) & (rows["dim"] == 0) & np.isin(years[p], plan_years))
    target[cand] = grid[np.searchsorted(plan_years, years[p[cand]]), a[cand], c[cand]]
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(target > 0, np.round(value / target * 100, 2), np.nan)
    return target, pct


def indicator_values(registry: Registry, as_of: dt.date, history: bool = True,
                     same_period: bool = False, since: int | None = None) -> Values:
    """The dense values of every unit at ``as_of`` (a checked date): the costly part of the
    table — every additive code from the organisations and the forms, annualised, the
    office's estimates, every ratio derived. One set serves the table of any area
    (``area_table``): a batch of reports computes it once. ``same_period`` adds the same
    date of the year before (a six-month report's "cùng kỳ"); ``since`` the history from
    that year (``measures.first_year``: the years earlier forms speak of)."""
    periods = ms.periods(registry.records, as_of, history, registry.submissions,
                         same_period, since)
    return derive(office_estimates(add_submissions(annualise(additive(registry, periods)),
                                                   registry), registry))


def area_table(values: Values, registry: Registry, area: str | None = None,
               all_breakdowns: bool = False, by_organisation: bool = False) -> pd.DataFrame:
    """The long table of ``values`` for ``area`` (a unit code) and every unit below it (all
    units when None); see ``indicator_table``."""
    keep = dense = None
    if area is not None:
        keep = np.isin(values.layout.codes, registry.areas.descendants(area))
        dense = values.layout.codes == area
    table = to_table(values, registry, keep, dense, all_breakdowns)
    if by_organisation and area is not None:
        rows = organisation_rows(registry, values, table, area)
        table = pd.concat([table.astype({c: object for c in ("breakdown", "category",
                                                            "category_label")}), rows],
                          ignore_index=True)
    return table


def indicator_table(registry: Registry, as_of: dt.date | str, area: str | None = None,
                    history: bool = True, all_breakdowns: bool = False,
                    by_organisation: bool = False, same_period: bool = False) -> pd.DataFrame:
    """The indicator table of ``registry`` at ``as_of``, for ``area`` and every unit below it
    (all units when None): the as-of date, the full-year estimate and the plans, with the
    year before in ``previous_value``; ``history`` adds every earlier full year as rows.

    ``as_of`` is a date, "10/6/2024" or "2024-06-10"; ``area`` a code or a name as on the
    command line ("Ba Tơ", "xã Ba Vì"). A name that matches no unit or several raises
    ``ScopeError`` with suggestions; a registry with errors raises ``DataError``.
    ``area`` (or, when None, each top unit) gets every code and every breakdown; the units
    below it are its breakdown by commune (see ``to_table`` for what they carry).
    ``by_organisation`` adds ``area``'s rows by organisation (``htxlib.indicators.byorg``);
    ``same_period`` the same date of the year before (a six-month report's "cùng kỳ")."""
    require_ok(registry)
    as_of = as_date(as_of)
    if area is not None:
        area = pick_area(registry.areas, area, when=as_of)
    return area_table(indicator_values(registry, as_of, history, same_period), registry, area,
                      all_breakdowns, by_organisation)
