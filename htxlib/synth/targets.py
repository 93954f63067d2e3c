"""The targets sheet: province targets worded like a resolution."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from htxlib.glossary import catalog
from htxlib.synth.common import N_PROVINCES, fmt_number
from htxlib.synth.orgs import Orgs
from htxlib.synth.units import Areas
from htxlib.synth.vocab import vocab

TARGET_CODES = ("htx_new", "tht_new", "htx_count", "htx_good_fair_share",
                "htx_agri_value_chain_share", "htx_income_avg", "htx_revenue_avg")


def make_targets(rng: np.random.Generator, areas: Areas, orgs: Orgs,
                 as_of: dt.date) -> pd.DataFrame:
    """Province targets for the as-of year and the plan year (as-of year + 1)."""
    units = {row["code"]: row["unit"] for row in catalog()}
    htx_per_prov = np.bincount(areas.communes["province"].to_numpy()[orgs.commune[orgs.type == 1]],
                               minlength=N_PROVINCES)
    rows = []
    for year in (as_of.year, as_of.year + 1):
        for p, name in enumerate(areas.provinces["name"]):
            rows.extend(_province_targets(rng, name, str(year), int(htx_per_prov[p]), units))
    return pd.DataFrame(rows)


def _province_targets(rng: np.random.Generator, area: str, period: str, htx: int,
                      units: dict[str, str]) -> list[dict[str, object]]:
    new = max(1, round(htx * rng.uniform(0.05, 0.08)))
    values = {  # (target_min, target_max); the draws run in this order
        "htx_new": (new, new + max(1, new // 5)),
        "tht_new": (2 * new, None),
        "htx_count": (htx + new, None),
        "htx_good_fair_share": (rng.choice([50, 55, 60, 62.5]), None),
        "htx_agri_value_chain_share": (rng.choice([25, 30, 35]), None),
        "htx_income_avg": (round(rng.uniform(55, 70), 1), None),
        "htx_revenue_avg": (int(rng.integers(30, 45)) * 100, None),
    }
    texts = vocab()["target_texts"]
    rows = []
    for code in TARGET_CODES:
        (lo, hi), text = values[code], texts[code]
        lo_s, hi_s = fmt_number(np.array([lo, np.nan if hi is None else hi], dtype=float))
        rows.append({"area": area, "period": period, "indicator": code, "target_min": lo_s,
                     "target_max": hi_s, "unit": units.get(code, ""),
                     "text": text.format(lo=lo_s, hi=hi_s)})
    return rows
