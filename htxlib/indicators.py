"""The indicator table: one row per area × period × indicator × breakdown.

Built in three steps, each a pure function of DataFrames:
  1. ``additive``: sums of measures for every unit of the hierarchy (communes rolled up
     to districts and provinces), dense for totals, sparse for breakdowns;
  2. ``complete``: ratios recomputed from their additive parts, labels, units, the value
     of the previous year and the plan targets. It reads additive rows only, so a table
     added up from already-aggregated submissions goes through the same code;
  3. ``indicator_table``: both, from an opened registry, for one area or all.
Columns are listed in TABLE_COLUMNS and documented in docs/indicators.md.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from htxlib import measures as ms
from htxlib.areas import Areas
from htxlib.glossary import catalog, enums
from htxlib.registry import Registry

TABLE_COLUMNS = ["area_code", "area_name", "area_level", "parent_code", "period", "kind",
                 "year", "ref_date", "code", "label", "unit", "breakdown", "category",
                 "category_label", "value", "denominator", "denominator_code",
                 "previous_value", "change", "change_pct", "target", "target_pct",
                 "value_max", "note"]
BREAKDOWN_ENUM = {"type": "org_type", "sector": "sector", "training": "training_level",
                  "policy_group": "policy_group"}
KEY = ["period", "area_code"]


def additive_entries() -> list[dict]:
    return [e for e in catalog() if "measure" in e]


def ratio_entries() -> list[dict]:
    return [e for e in catalog() if "ratio" in e]


def _measures(entry: dict) -> list[str]:
    m = entry["measure"]
    return [m] if isinstance(m, str) else list(m)


def rollup(frame: pd.DataFrame, parent: pd.Series) -> pd.DataFrame:
    """Add every row to each unit above its own (frame indexed with an area_code level)."""
    names = list(frame.index.names)
    parts, current = [frame], frame.reset_index()
    while True:
        up = current["area_code"].map(parent)
        current = current[up.notna().to_numpy()].assign(area_code=up[up.notna()])
        if current.empty:
            break
        current = current.groupby(names, observed=True, sort=False).sum(min_count=1)
        parts.append(current)
        current = current.reset_index()
    return pd.concat(parts).groupby(level=names, observed=True, sort=False).sum(min_count=1)


def grid(areas: Areas, periods: pd.DataFrame) -> pd.MultiIndex:
    """Every (period, unit) pair in which the unit existed at the period's date."""
    f = areas.frame
    pairs = []
    for pkey, ref in zip(periods["key"], periods["ref_date"], strict=True):
        alive = (f["valid_from"].isna() | (f["valid_from"] <= ref)) & (
            f["valid_to"].isna() | (f["valid_to"] >= ref))
        pairs.append(pd.DataFrame({"period": pkey, "area_code": f.loc[alive, "code"]}))
    both = pd.concat(pairs, ignore_index=True)
    return pd.MultiIndex.from_frame(both)


def additive(cube: pd.DataFrame, support: pd.DataFrame, index: pd.MultiIndex,
             ) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    """Dense totals (index × additive codes) and sparse breakdown rows, from rolled-up cubes."""
    def total(frame: pd.DataFrame, levels: list[str]) -> pd.DataFrame:
        return frame.groupby(level=levels, observed=True).sum(min_count=1)

    tot_all = total(cube, KEY)
    by_type = total(cube, [*KEY, "org_type"])
    by_sector = total(cube, [*KEY, "sector"])
    sup_tot = total(support, KEY)
    totals: dict[str, pd.Series] = {}
    parts: list[pd.DataFrame] = []
    for e in additive_entries():
        m, types, sectors = _measures(e), e.get("types"), e.get("sectors")
        if e["source"] == "support":
            base, splits = sup_tot, {"policy_group": support}
        else:
            src = cube
            if sectors:
                src = cube[cube.index.get_level_values("sector").isin(sectors)]
            if types is None:
                base = tot_all if not sectors else total(src, KEY)
                splits = {"type": by_type, "sector": by_sector}
            else:
                typed = src[src.index.get_level_values("org_type").isin(types)]
                base = total(typed, KEY)
                splits = {"sector": total(typed, [*KEY, "sector"])}
        totals[e["code"]] = base[m].sum(axis=1, min_count=1).reindex(index, fill_value=0.0)
        for dim in e.get("breakdowns", []):
            if dim == "training":
                known = base[base[m[0]].notna()]
                levels = known[[f"{m[0]}_{lvl}" for lvl in ms.TRAINING_LEVELS]]
                levels.columns = ms.TRAINING_LEVELS
                values = levels.stack()
            else:
                values = splits[dim][m].sum(axis=1, min_count=1)
            parts.append(_long(values, e["code"], dim))
    return pd.DataFrame(totals, index=index), parts


def _long(values: pd.Series, code: str, dim: str) -> pd.DataFrame:
    frame = values.rename("value").reset_index()
    frame.columns = ["period", "area_code", "category", "value"]
    return frame.assign(code=code, breakdown=dim)


def ratios(wide: pd.DataFrame, parts: list[pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Ratio codes for totals (wide) and for breakdowns present in both parts."""
    by_code = {}
    for p in parts:
        by_code.setdefault(p["code"].iloc[0] if len(p) else None, []).append(p)
    dense, sparse = {}, []
    for e in ratio_entries():
        num, den = e["ratio"]
        scale = e.get("scale", 1)
        d = wide[den]
        dense[e["code"]] = (wide[num] / d.where(d != 0) * scale).round(6)
        for pn in by_code.get(num, []):
            for pd_ in by_code.get(den, []):
                if pn["breakdown"].iloc[0] != pd_["breakdown"].iloc[0]:
                    continue
                keys = ["period", "area_code", "category"]
                j = pn[keys + ["value"]].merge(pd_[keys + ["value"]], on=keys,
                                               suffixes=("", "_den"))
                j["value"] = (j["value"] / j["value_den"].where(j["value_den"] != 0)
                              * scale).round(6)
                sparse.append(j.rename(columns={"value_den": "denominator"}).assign(
                    code=e["code"], breakdown=pn["breakdown"].iloc[0], denominator_code=den))
    ratio_wide = pd.DataFrame(dense, index=wide.index)
    return ratio_wide, (pd.concat(sparse, ignore_index=True) if sparse else pd.DataFrame())


def _categorical(values: object, categories: list) -> pd.Categorical:
    return pd.Categorical(values, categories=categories)


def complete(wide: pd.DataFrame, parts: list[pd.DataFrame], periods: pd.DataFrame,
             areas: Areas, targets: pd.DataFrame | None = None) -> pd.DataFrame:
    """The finished table from additive totals (wide) and additive breakdown rows."""
    ratio_wide, ratio_parts = ratios(wide, parts)
    codes = [e["code"] for e in catalog()]
    den_of = {e["code"]: e["ratio"][1] for e in ratio_entries()}
    allw = pd.concat([wide, ratio_wide], axis=1)[codes]
    n = len(allw)
    period_cat = _categorical(allw.index.get_level_values(0), list(periods["key"]))
    area_cat = _categorical(allw.index.get_level_values(1), list(areas.frame["code"]))
    den = np.column_stack([wide[den_of[c]].to_numpy() if c in den_of else np.full(n, np.nan)
                           for c in codes])
    totals = pd.DataFrame({
        "period": pd.Categorical.from_codes(np.tile(period_cat.codes, len(codes)),
                                            period_cat.categories),
        "area_code": pd.Categorical.from_codes(np.tile(area_cat.codes, len(codes)),
                                               area_cat.categories),
        "code": pd.Categorical.from_codes(np.repeat(np.arange(len(codes)), n), codes),
        "breakdown": "", "category": "",
        "value": allw.to_numpy().ravel(order="F"),
        "denominator": den.ravel(order="F"),
        "denominator_code": pd.Categorical.from_codes(
            np.repeat([codes.index(den_of[c]) if c in den_of else -1 for c in codes], n),
            codes)})
    pieces = [totals, *parts]
    if len(ratio_parts):
        pieces.append(ratio_parts)
    table = pd.concat([_tidy(p, periods, areas, codes) for p in pieces], ignore_index=True)
    table = _previous(table, periods)
    table = pd.concat([table, _plans(targets, areas, codes)], ignore_index=True)
    return _label(_sorted(table, periods, areas, codes), periods, areas)


def _sorted(table: pd.DataFrame, periods: pd.DataFrame, areas: Areas,
            codes: list[str]) -> pd.DataFrame:
    """Rows by unit (hierarchy order), period, catalogue order, breakdown, category."""
    plan_keys = sorted(set(table["period"].astype(str)) - set(periods["key"]))
    orders = [
        (table["area_code"], list(areas.frame["code"])),
        (table["period"], [*periods["key"], *plan_keys]),
        (table["code"], codes),
        (table["breakdown"], ["", *BREAKDOWN_ENUM]),
        (table["category"], None),
    ]
    keys = []
    for col, order in reversed(orders):
        cat = col.astype(str) if order is None else pd.Categorical(col.astype(str), order)
        keys.append(pd.Categorical(cat).codes if order is None else cat.codes)
    return table.iloc[np.lexsort(keys)].reset_index(drop=True)


def _tidy(frame: pd.DataFrame, periods: pd.DataFrame, areas: Areas,
          codes: list[str]) -> pd.DataFrame:
    cats = sorted({c for e in BREAKDOWN_ENUM.values() for c in enums()[e]} | {""})
    out = pd.DataFrame({
        "period": _categorical(frame["period"], list(periods["key"])),
        "area_code": _categorical(frame["area_code"], list(areas.frame["code"])),
        "code": _categorical(frame["code"], codes),
        "breakdown": _categorical(frame["breakdown"], ["", *BREAKDOWN_ENUM]),
        "category": _categorical(frame["category"].astype(str) if len(frame) else [], cats),
        "value": frame["value"].to_numpy(dtype="float64"),
        "denominator": (frame["denominator"].to_numpy(dtype="float64")
                        if "denominator" in frame else np.nan),
        "denominator_code": _categorical(frame["denominator_code"] if "denominator_code" in frame
                                         else [None] * len(frame), codes)})
    return out


def _previous(table: pd.DataFrame, periods: pd.DataFrame) -> pd.DataFrame:
    """The same row in the full year before (value, change, change in %)."""
    keys = set(periods["key"])
    prev_of = {k: f"{y - 1}|actual" for k, y in zip(periods["key"], periods["year"], strict=True)
               if f"{y - 1}|actual" in keys}
    sizes = [len(table[c].cat.categories) for c in ("area_code", "code", "breakdown", "category")]
    key = np.zeros(len(table), dtype="int64")
    for col, size in zip(("area_code", "code", "breakdown", "category"), sizes, strict=True):
        key = key * size + table[col].cat.codes.to_numpy().astype("int64")
    previous = np.full(len(table), np.nan)
    period = table["period"].astype(str).to_numpy()
    for cur, prev in prev_of.items():
        rows = np.flatnonzero(period == cur)
        src = np.flatnonzero(period == prev)
        hit = pd.Index(key[src]).get_indexer(key[rows])
        found = hit >= 0
        previous[rows[found]] = table["value"].to_numpy()[src[hit[found]]]
    table["previous_value"] = previous
    table["change"] = table["value"] - previous
    with np.errstate(divide="ignore", invalid="ignore"):
        table["change_pct"] = np.where(previous > 0, (table["change"] / previous * 100).round(2),
                                       np.nan)
    return table


def _plans(targets: pd.DataFrame | None, areas: Areas, codes: list[str]) -> pd.DataFrame:
    """Plan rows (kind "plan") from the targets sheet."""
    if targets is None or targets.empty:
        return pd.DataFrame()
    t = targets[targets["area_code"].notna() & targets["indicator"].isin(codes)]
    return pd.DataFrame({
        "period": t["period"].astype(str) + "|plan", "area_code": t["area_code"],
        "code": t["indicator"], "breakdown": "", "category": "",
        "value": t["target_min"].fillna(t["target_max"]).to_numpy(),
        "value_max": t["target_max"].where(t["target_min"].notna()).to_numpy(),
        "note": t["text"].to_numpy()})


def _label(table: pd.DataFrame, periods: pd.DataFrame, areas: Areas) -> pd.DataFrame:
    """Add labels, units, names and period columns; attach targets to actual rows."""
    for col in ("period", "area_code", "code", "breakdown", "category", "denominator_code"):
        table[col] = table[col].astype("category")
    pkeys = list(table["period"].cat.categories)
    pkey = table["period"]
    names = {k: k.split("|")[0] for k in pkeys}
    years = {k: int(n[5:] if len(n) == 9 else n[:4]) for k, n in names.items()}  # 2021-2025
    refs = dict(zip(periods["key"], periods["ref_date"].dt.date.astype(str), strict=True))
    table["kind"] = pkey.map({k: k.split("|")[1] for k in pkeys})
    table["period"] = pkey.map(names)
    table["year"] = pkey.map(years).astype("int64")
    table["ref_date"] = pkey.map({k: refs.get(k, f"{years[k]}-12-31") for k in pkeys})
    cat = {e["code"]: e for e in catalog()}
    code = table["code"]
    table["label"] = code.map({c: cat[c]["label"] for c in code.cat.categories})
    table["unit"] = code.map({c: cat[c]["unit"] for c in code.cat.categories})
    area = areas.by_code
    ac = table["area_code"]
    table["area_name"] = ac.map({c: areas.display(c) for c in ac.cat.categories})
    table["area_level"] = ac.map(area["level"].to_dict())
    table["parent_code"] = ac.map(area["parent_code"].dropna().to_dict())
    table["category_label"] = _category_labels(table)
    table = _attach_targets(table)
    for col in ("value_max", "note"):
        if col not in table:
            table[col] = np.nan
    return table[TABLE_COLUMNS]


def _category_labels(table: pd.DataFrame) -> pd.Series:
    labels = {}
    for dim, enum in BREAKDOWN_ENUM.items():
        for c, spec in enums()[enum].items():
            labels[(dim, c)] = spec["label"]
    pairs = table[["breakdown", "category"]].drop_duplicates()
    mapping = {(b, c): labels.get((b, c), "") for b, c in pairs.itertuples(index=False)}
    idx = pd.MultiIndex.from_frame(table[["breakdown", "category"]].astype(str))
    return pd.Series(idx.map(lambda k: mapping.get(k, "")), index=table.index, dtype="category")


def _attach_targets(table: pd.DataFrame) -> pd.DataFrame:
    """target and target_pct: the plan of the same year, area and code, on total rows."""
    plan = table[table["kind"] == "plan"]
    table["target"] = np.nan
    table["target_pct"] = np.nan
    if plan.empty:
        return table
    keys = ["area_code", "code", "year"]
    goals = plan[plan["period"].astype(str).str.len() == 4].drop_duplicates(keys)
    goals = goals.set_index(keys)["value"]
    cand = (table["kind"] != "plan") & (table["breakdown"] == "") & table["code"].isin(
        goals.index.get_level_values("code"))
    idx = pd.MultiIndex.from_frame(table.loc[cand, keys].astype({"area_code": str,
                                                                  "code": str}))
    goals.index = goals.index.set_levels([lvl.astype(str) for lvl in goals.index.levels[:2]]
                                         + [goals.index.levels[2]])
    target = goals.reindex(idx).to_numpy()
    table.loc[cand, "target"] = target
    with np.errstate(divide="ignore", invalid="ignore"):
        table.loc[cand, "target_pct"] = np.where(
            target > 0, (table.loc[cand, "value"].to_numpy() / target * 100).round(2), np.nan)
    return table


def indicator_table(registry: Registry, as_of: dt.date | str, area: str | None = None,
                    history: bool = True) -> pd.DataFrame:
    """The indicator table of ``registry`` at ``as_of``, for ``area`` and every unit below it
    (all units when None). ``history`` adds every earlier full year with records."""
    as_of = pd.Timestamp(as_of)
    areas = registry.areas
    periods = ms.periods(registry.records, as_of.date(), history)
    orgs = registry.organisations[registry.organisations["area_code"].notna()]
    cube = rollup(ms.cube(orgs, registry.records, periods, areas), _parents(areas))
    support = registry.data.support
    sup = ms.support_cube(support[support["area_code"].notna()], periods)
    sup = rollup(sup, _parents(areas)) if len(sup) else sup
    index = grid(areas, periods)
    if area is not None:
        keep = areas.descendants(area)
        index = index[index.get_level_values("area_code").isin(keep)]
    wide, parts = additive(cube, sup, index)
    parts = [p[p["area_code"].isin(index.get_level_values(1))] for p in parts]
    return complete(wide, [p for p in parts if len(p)], periods, areas,
                    _targets_for(registry.data.targets, index))


def _parents(areas: Areas) -> pd.Series:
    return areas.frame.set_index("code")["parent_code"].dropna()


def _targets_for(targets: pd.DataFrame, index: pd.MultiIndex) -> pd.DataFrame:
    return targets[targets["area_code"].isin(index.get_level_values("area_code"))]
