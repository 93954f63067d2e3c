"""The support sheet: policy support per province and year, plus some per HTX."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from htxlib.glossary import enums
from htxlib.synth.common import N_PROVINCES, categorical, count, day, fmt_number, labels, lognormal
from htxlib.synth.orgs import Orgs
from htxlib.synth.units import Areas
from htxlib.synth.vocab import vocab


def make_support(rng: np.random.Generator, areas: Areas, orgs: Orgs, years: int,
                 as_of: dt.date) -> pd.DataFrame:
    """Support rows: a few policy groups per province and year, plus some per HTX."""
    groups = list(enums()["policy_group"])
    yrs = np.arange(as_of.year - years + 1, as_of.year + 1)
    prov, yr = np.meshgrid(np.arange(N_PROVINCES), yrs, indexing="ij")
    prov, yr = np.repeat(prov.ravel(), 5), np.repeat(yr.ravel(), 5)
    grp = rng.integers(0, len(groups), len(prov))
    keep = ~pd.DataFrame({"p": prov, "y": yr, "g": grp}).duplicated().to_numpy()
    prov, yr, grp = prov[keep], yr[keep], grp[keep]
    area = pd.DataFrame(_support_cols(rng, groups, grp, yr))
    area.insert(0, "area", areas.provinces["name"].to_numpy()[prov])
    area.insert(0, "org_id", None)
    coops = np.flatnonzero(orgs.type == 1)
    pick = rng.choice(coops, size=min(len(coops), N_PROVINCES * 10), replace=False)
    pick_year = rng.choice(yrs, len(pick))
    first = np.array([day(dt.date(int(y), 1, 1)) for y in yrs])[pick_year - yrs[0]]
    alive = (orgs.founded[pick] <= first + 364) & (orgs.end[pick] > first)
    pick, pick_year = pick[alive], pick_year[alive]
    per_org = pd.DataFrame(_support_cols(rng, groups, rng.integers(0, len(groups), len(pick)),
                                         pick_year, single=True))
    per_org.insert(0, "area", None)
    per_org.insert(0, "org_id", orgs.frame["org_id"].to_numpy()[pick])
    return pd.concat([area, per_org], ignore_index=True)


def _support_cols(rng: np.random.Generator, groups: list[str], grp: np.ndarray,
                  yr: np.ndarray, single: bool = False) -> dict[str, object]:
    n = len(grp)
    funds = lognormal(rng, 60 if single else 800, 1.0, n)
    central = funds * rng.uniform(0, 0.7, n)
    local = funds - central
    notes = pd.Series(np.array(labels("policy_group", groups), dtype=object)[grp])
    return {
        "year": yr.astype(str),
        "policy_group": categorical("policy_group", groups, grp),
        "beneficiaries": count(np.ones(n) if single else 1 + rng.poisson(12, n)),
        "funds_central": fmt_number(central),
        "funds_local": fmt_number(local),
        "funds_other": fmt_number(funds * rng.uniform(0, 0.2, n) * (rng.random(n) < 0.3)),
        "note": vocab()["support"] + " " + notes.str[0].str.lower() + notes.str[1:],
    }
