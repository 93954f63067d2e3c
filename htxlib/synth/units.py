"""The made-up area tree: 63 provinces, about 700 districts and 10,000 communes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from htxlib.synth.common import N_PROVINCES, labels
from htxlib.synth.vocab import vocab


@dataclass(frozen=True)
class Areas:
    """The area tree: one table per level, with positional parent indices."""

    provinces: pd.DataFrame  # code, name
    districts: pd.DataFrame  # code, name, parent (province row)
    communes: pd.DataFrame  # code, name, parent (district row), province (row)


def name_pool(rng: np.random.Generator) -> np.ndarray:
    """All two-syllable place names, shuffled."""
    v = vocab()
    names = np.array([f"{a} {b}" for a in v["first_syllables"] for b in v["second_syllables"]
                      if a != b])
    return names[rng.permutation(len(names))]


def _child_names(rng: np.random.Generator, pool: np.ndarray, parent: np.ndarray) -> np.ndarray:
    """Names unique within each parent: pool[(offset + rank * stride) % len(pool)]."""
    m = len(pool)
    stride = 7919 % m or 1
    while np.gcd(stride, m) != 1:
        stride += 1
    rank = pd.Series(parent).groupby(parent).cumcount().to_numpy()
    offset = rng.integers(0, m, parent.max() + 1)[parent]
    return pool[(offset + rank * stride) % m]


def make_areas(rng: np.random.Generator) -> Areas:
    """63 provinces, about 11 districts each and about 14 communes per district."""
    pool = name_pool(rng)
    provinces = pd.DataFrame({"code": [f"{i + 1:02d}" for i in range(N_PROVINCES)],
                              "name": pool[:N_PROVINCES]})
    pool = pool[N_PROVINCES:]  # province names stay unique across all levels
    per_province = 4 + rng.poisson(7.1, N_PROVINCES)
    d_parent = np.repeat(np.arange(N_PROVINCES), per_province)
    districts = pd.DataFrame({"code": [f"{100 + i}" for i in range(len(d_parent))],
                              "name": _child_names(rng, pool, d_parent), "parent": d_parent})
    per_district = 4 + rng.poisson(10.3, len(districts))
    c_parent = np.repeat(np.arange(len(districts)), per_district)
    communes = pd.DataFrame({"code": [f"{10000 + i}" for i in range(len(c_parent))],
                             "name": _child_names(rng, pool, c_parent), "parent": c_parent,
                             "province": d_parent[c_parent]})
    return Areas(provinces, districts, communes)


def areas_frame(areas: Areas) -> pd.DataFrame:
    """The areas sheet: provinces, then districts, then communes."""
    p, d, c = areas.provinces, areas.districts, areas.communes
    level = labels("area_level", ("province", "district", "commune"))
    kind = vocab()["unit_kind"]
    parts = [
        pd.DataFrame({"area_code": p["code"], "name": p["name"], "unit_kind": kind["province"],
                      "level": level[0], "parent_code": None}),
        pd.DataFrame({"area_code": d["code"], "name": d["name"], "unit_kind": kind["district"],
                      "level": level[1], "parent_code": p["code"].to_numpy()[d["parent"]]}),
        pd.DataFrame({"area_code": c["code"], "name": c["name"], "unit_kind": kind["commune"],
                      "level": level[2], "parent_code": d["code"].to_numpy()[c["parent"]]}),
    ]
    return pd.concat(parts, ignore_index=True)
