"""Measure cubes, kept sparse: one row per (commune, org type, sector) that has
organisations, with every measure summed, and each row linked to its commune and every
unit above it.

Units, types, sectors and measures are integer positions (see ``Layout``), so an
indicator for every unit of a national registry (100,000 organisations, 10,000
communes) is one ``np.bincount`` over the rows linked to each unit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from htxlib.glossary import enums
from htxlib.indicators import measures as ms
from htxlib.inputs.areas import Areas


@dataclass(frozen=True)
class Layout:
    """Integer positions of everything a cube is indexed by."""

    codes: np.ndarray  # unit codes, in the order of the areas sheet
    parent: np.ndarray  # position of each unit's parent, -1 for none
    types: tuple[str, ...]
    sectors: tuple[str, ...]
    groups: tuple[str, ...]  # support policy groups
    measures: tuple[str, ...]

    @classmethod
    def of(cls, areas: Areas) -> Layout:
        f = areas.frame
        codes = f["code"].to_numpy(dtype=object)
        parent = pd.Index(codes).get_indexer(f["parent_code"].to_numpy(dtype=object))
        return cls(codes=codes, parent=parent, types=tuple(enums()["org_type"]),
                   sectors=tuple(enums()["sector"]), groups=tuple(enums()["policy_group"]),
                   measures=tuple(ms.MEASURES))

    def position(self, codes: pd.Series) -> np.ndarray:
        """Unit positions of area codes (-1 where unknown)."""
        return pd.Index(self.codes).get_indexer(np.asarray(codes, dtype=object))

    def m(self, name: str) -> int:
        return self.measures.index(name)

    def lineage(self, units: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(row, unit) pairs linking each of ``units`` to itself and every unit above it."""
        rows, ups = [np.arange(len(units))], [units]
        current = units
        while True:
            current = np.where(current >= 0, self.parent[np.maximum(current, 0)], -1)
            has = current >= 0
            if not has.any():
                break
            rows.append(np.flatnonzero(has))
            ups.append(current[has])
        return np.concatenate(rows), np.concatenate(ups)


@dataclass
class Cube:
    """Rows of summed measures and their links to units: [row] → unit, type, sector."""

    values: np.ndarray  # [row, measure]
    type: np.ndarray
    sector: np.ndarray
    link_row: np.ndarray  # each (row, unit) link: the row...
    link_unit: np.ndarray  # ...and a unit it counts in
    n_units: int
    memo: dict = field(default_factory=dict, repr=False)  # sums shared by several codes

    def by_unit(self, weights: np.ndarray, key: np.ndarray | None = None,
                size: int = 1) -> np.ndarray:
        """Sum ``weights`` (one per row) into [unit] or, with ``key`` (one per row), into
        [unit, key]."""
        idx = self.link_unit if key is None else self.link_unit * size + key[self.link_row]
        out = np.bincount(idx, weights=weights[self.link_row], minlength=self.n_units * size)
        return out if key is None else out.reshape(self.n_units, size)


def period_cube(orgs: pd.DataFrame, org_pos: np.ndarray, records: pd.DataFrame,
                period: pd.Series, layout: Layout, areas: Areas,
                latest: pd.Timestamp | None = None) -> Cube:
    """The measures of one period, summed by (commune, type, sector). Each row counts in
    its unit of the period's date and the units above; and, when a reorganisation before
    ``latest`` (the table's last date) moved that unit, in the unit it went into too (a
    commune formed on 1/7/2025 has, in 2024, its communes' figures), never twice above."""
    n_t, n_s = len(layout.types), len(layout.sectors)
    pos = org_pos
    if not areas.crosswalk.empty:
        pos = layout.position(areas.moved_to(orgs["area_code"], period["ref_date"]))
    t = pd.Index(layout.types).get_indexer(orgs["org_type"].astype(object))
    s = pd.Index(layout.sectors).get_indexer(orgs["sector"].astype(object))
    ok = (pos >= 0) & (t >= 0) & (s >= 0)
    keys, group = np.unique(np.where(ok, (pos * n_t + t) * n_s + s, -1), return_inverse=True)
    if len(keys) and keys[0] == -1:  # organisations without a place (already an error)
        keys, group = keys[1:], group - 1
    n = len(keys)
    sums = np.zeros((n, len(layout.measures)))
    reg = ms.registry_measures(orgs, period)
    placed = group >= 0
    for name in reg.columns:
        sums[:, layout.m(name)] = np.bincount(group[placed], reg[name].to_numpy()[placed],
                                              minlength=n)
    chosen = ms.select_records(records, period)
    rows = pd.Index(orgs["org_id"].astype(object)).get_indexer(chosen["org_id"].astype(object))
    rec = ms.record_measures(chosen)
    rec_group = np.where(rows >= 0, group[np.maximum(rows, 0)], -1)
    kept = rec_group >= 0
    for name in rec.columns:
        sums[:, layout.m(name)] = np.bincount(rec_group[kept], rec[name].to_numpy()[kept],
                                              minlength=n)
    unit, rest = np.divmod(keys, n_t * n_s)
    link_row, link_unit = layout.lineage(unit)
    if latest is not None and not areas.crosswalk.empty and len(unit):
        link_row, link_unit = _successors(layout, areas, unit, latest, link_row, link_unit)
    return Cube(sums, rest // n_s, rest % n_s, link_row, link_unit, len(layout.codes))


def _successors(layout: Layout, areas: Areas, unit: np.ndarray, latest: pd.Timestamp,
                link_row: np.ndarray, link_unit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The links of rows to the units their unit went into by ``latest``, and above, that
    the rows do not already count in."""
    succ = layout.position(areas.moved_to(pd.Series(layout.codes[unit], dtype=object), latest))
    moved = np.flatnonzero((succ >= 0) & (succ != unit))
    if not len(moved):
        return link_row, link_unit
    rows, ups = layout.lineage(succ[moved])
    rows = moved[rows]
    n = len(layout.codes)
    new = ~np.isin(rows * n + ups, link_row * n + link_unit)
    return np.concatenate([link_row, rows[new]]), np.concatenate([link_unit, ups[new]])


def period_support(support: pd.DataFrame, period: pd.Series, layout: Layout) -> np.ndarray:
    """Support [unit, policy group, support measure] of the period's year, rolled up."""
    rows = support[(support["year"] == period["year"]) & support["area_code"].notna()]
    pos = layout.position(rows["area_code"])
    g = pd.Index(layout.groups).get_indexer(rows["policy_group"].astype(object))
    ok = (pos >= 0) & (g >= 0)
    vals = rows[ms.SUPPORT].fillna(0.0).to_numpy(dtype="float64")[ok]
    link_row, link_unit = layout.lineage(pos[ok])
    n_g, n_m = len(layout.groups), len(ms.SUPPORT)
    out = np.zeros((len(layout.codes) * n_g, n_m))
    np.add.at(out, link_unit * n_g + g[ok][link_row], vals[link_row])
    return out.reshape(len(layout.codes), n_g, n_m)
