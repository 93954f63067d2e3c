"""Dense measure cubes: one array per period, indexed [unit, org type, sector, measure].

Units, types, sectors and measures are integer positions (see ``Layout``), so rolling
communes up to districts and provinces, and cutting indicators out of the cube, are
array operations rather than string-keyed group-bys: a national registry (100,000
organisations, 10,000 communes) takes a fraction of a second per period.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from htxlib import measures as ms
from htxlib.areas import Areas
from htxlib.glossary import enums


@dataclass(frozen=True)
class Layout:
    """Integer positions of everything a cube is indexed by."""

    codes: np.ndarray  # unit codes, in the order of the areas sheet
    parent: np.ndarray  # position of each unit's parent, -1 for none
    depth: np.ndarray  # 0 province, 1 district, 2 commune
    types: tuple[str, ...]
    sectors: tuple[str, ...]
    groups: tuple[str, ...]  # support policy groups
    measures: tuple[str, ...]

    @classmethod
    def of(cls, areas: Areas) -> Layout:
        f = areas.frame
        codes = f["code"].to_numpy(dtype=object)
        pos = pd.Index(codes)
        parent = pos.get_indexer(f["parent_code"].astype(object).where(f["parent_code"].notna(),
                                                                         None))
        return cls(codes=codes, parent=parent, depth=f["depth"].to_numpy(dtype=np.int8),
                   types=tuple(enums()["org_type"]), sectors=tuple(enums()["sector"]),
                   groups=tuple(enums()["policy_group"]), measures=tuple(ms.MEASURES))

    def position(self, codes: pd.Series) -> np.ndarray:
        """Unit positions of area codes (-1 where unknown)."""
        return pd.Index(self.codes).get_indexer(codes.astype(object))

    def m(self, name: str) -> int:
        return self.measures.index(name)


def rollup(arr: np.ndarray, layout: Layout) -> np.ndarray:
    """Add every unit's values into each unit above it (first axis = units), in place."""
    for depth in sorted(set(layout.depth.tolist()), reverse=True):
        child = np.flatnonzero((layout.depth == depth) & (layout.parent >= 0))
        if not len(child):
            continue
        order = np.argsort(layout.parent[child], kind="stable")
        child = child[order]
        parents, starts = np.unique(layout.parent[child], return_index=True)
        arr[parents] += np.add.reduceat(arr[child], starts, axis=0)
    return arr


def _group_into(shape: tuple[int, ...], flat_key: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Sum rows of ``values`` into a zeroed array of ``shape`` at flat positions ``flat_key``."""
    out = np.zeros((int(np.prod(shape[:-1])), shape[-1]))
    if len(flat_key):
        order = np.argsort(flat_key, kind="stable")
        keys, starts = np.unique(flat_key[order], return_index=True)
        out[keys] = np.add.reduceat(values[order], starts, axis=0)
    return out.reshape(shape)


def period_cube(orgs: pd.DataFrame, org_pos: np.ndarray, records: pd.DataFrame,
                period: pd.Series, layout: Layout, areas: Areas) -> np.ndarray:
    """The rolled-up cube [unit, type, sector, measure] of one period."""
    n_t, n_s = len(layout.types), len(layout.sectors)
    pos = org_pos
    if not areas.crosswalk.empty:
        moved = ms.area_at(orgs["area_code"], areas, period["ref_date"])
        pos = layout.position(moved)
    values = np.zeros((len(orgs), len(layout.measures)))
    reg = ms.registry_measures(orgs, period)
    values[:, [layout.m(c) for c in reg.columns]] = reg.to_numpy(dtype="float64")
    chosen = ms.select_records(records, period)
    rows = pd.Index(orgs["org_id"]).get_indexer(chosen["org_id"])
    rec = ms.record_measures(chosen)
    values[np.ix_(rows[rows >= 0], [layout.m(c) for c in rec.columns])] = rec.to_numpy(
        dtype="float64")[rows >= 0]
    t = pd.Index(layout.types).get_indexer(orgs["org_type"])
    s = pd.Index(layout.sectors).get_indexer(orgs["sector"])
    ok = (pos >= 0) & (t >= 0) & (s >= 0)
    key = (pos[ok] * n_t + t[ok]) * n_s + s[ok]
    cube = _group_into((len(layout.codes), n_t, n_s, len(layout.measures)), key, values[ok])
    return rollup(cube, layout)


def period_support(support: pd.DataFrame, period: pd.Series, layout: Layout) -> np.ndarray:
    """The rolled-up support array [unit, policy group, support measure] of one period."""
    rows = support[(support["year"] == period["year"]) & support["area_code"].notna()]
    pos = layout.position(rows["area_code"])
    g = pd.Index(layout.groups).get_indexer(rows["policy_group"])
    ok = (pos >= 0) & (g >= 0)
    vals = rows[ms.SUPPORT].fillna(0.0).to_numpy(dtype="float64")[ok]
    shape = (len(layout.codes), len(layout.groups), len(ms.SUPPORT))
    return rollup(_group_into(shape, pos[ok] * len(layout.groups) + g[ok], vals), layout)
