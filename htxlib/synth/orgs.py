"""The organisations: type, place, sector, founding, status and the organisations sheet.

Shares follow the national figures of the domain guide (§10).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from htxlib.glossary import enums
from htxlib.inputs.validate import ENDED
from htxlib.synth.common import TYPES, categorical, day, fmt_dates, lognormal, pick, yes_no
from htxlib.synth.units import Areas
from htxlib.synth.vocab import vocab

FIRST_FOUNDED = dt.date(1995, 1, 1)
TYPE_SHARES = (63_650, 33_335, 152)  # national 2024 counts (domain guide §10)
STATUS_SHARES = {"operating": 0.785, "barely_operating": 0.10, "stopped": 0.05,
                 "dissolved_voluntary": 0.03, "dissolved_forced": 0.01, "converted": 0.025}
SECTOR_SHARES = {  # sector shares by organisation type
    "THT": {"agriculture": 0.75, "industry": 0.08, "construction": 0.01, "transport": 0.02,
            "trade_services": 0.10, "environment": 0.01, "other": 0.03},
    "HTX": {"agriculture": 0.60, "industry": 0.10, "construction": 0.04, "transport": 0.05,
            "trade_services": 0.10, "credit_fund": 0.035, "environment": 0.03,
            "housing": 0.01, "other": 0.035},
    "LHHTX": {"agriculture": 0.5, "industry": 0.1, "transport": 0.1, "trade_services": 0.2,
              "other": 0.1},
}


@dataclass
class Orgs:
    """Organisation attributes as positional arrays (codes, day numbers)."""

    type: np.ndarray  # index into TYPES
    sector: np.ndarray  # sector code strings
    commune: np.ndarray  # row of areas.communes
    founded: np.ndarray  # day number
    status: np.ndarray  # status code strings
    status_date: np.ndarray  # day number, -1 if none
    frame: pd.DataFrame  # the organisations sheet (column names)

    @property
    def end(self) -> np.ndarray:
        """Day the organisation ceased to exist (dissolved, converted), else a far future."""
        return np.where(np.isin(self.status, ENDED), self.status_date, 10**7)


def _sectors(rng: np.random.Generator, org_type: np.ndarray) -> np.ndarray:
    out = np.empty(len(org_type), dtype=object)
    for t, name in enumerate(TYPES):
        mask = org_type == t
        keys = np.array(list(SECTOR_SHARES[name]))
        out[mask] = keys[pick(rng, SECTOR_SHARES[name], int(mask.sum()))]
    return out


def _founded(rng: np.random.Generator, n: int, as_of: dt.date) -> np.ndarray:
    """Founding days: 75% uniform since 1995, 25% recent (exponential, 6 years)."""
    start, end = day(FIRST_FOUNDED), day(as_of)
    uniform = rng.integers(start, end + 1, n)
    recent = end - np.minimum(rng.exponential(6 * 365.25, n), end - start).astype(np.int64)
    return np.where(rng.random(n) < 0.75, uniform, recent)


def _status(rng: np.random.Generator, founded: np.ndarray,
            as_of: dt.date) -> tuple[np.ndarray, np.ndarray]:
    """Status codes and status days (after founding, not after the as-of date)."""
    n, end = len(founded), day(as_of)
    codes = np.array(list(STATUS_SHARES))[pick(rng, STATUS_SHARES, n)]
    codes[founded > end - 90] = "operating"
    lo = founded + 30
    date = lo + (rng.random(n) * (end - lo + 1)).astype(np.int64)
    date = np.minimum(date, end)
    return codes, np.where(codes == "operating", -1, date)


def _org_names(rng: np.random.Generator, type_idx: np.ndarray, sector: np.ndarray,
               commune_name: np.ndarray) -> np.ndarray:
    v = vocab()
    prefix = np.array([v["type_prefix"][t] for t in TYPES], dtype=object)[type_idx]
    words = pd.Series(sector).map(v["sector_words"]).to_numpy(dtype=object)
    base = pd.Series(prefix) + " " + pd.Series(words) + " " + pd.Series(commune_name)
    base = base.str.replace("  ", " ", regex=False)
    credit = sector == "credit_fund"
    base[credit] = v["credit_fund"] + " " + commune_name[credit].astype(object)
    number = rng.integers(1, 6, len(type_idx))
    suffix = np.where(rng.random(len(type_idx)) < 0.3, " " + number.astype(str), "")
    return (base + suffix).to_numpy(dtype=object)


def make_orgs(rng: np.random.Generator, n: int, areas: Areas, as_of: dt.date) -> Orgs:
    """The organisations: type, place, sector, founding, status."""
    type_idx = rng.choice(3, size=n, p=np.array(TYPE_SHARES) / sum(TYPE_SHARES))
    sector = _sectors(rng, type_idx)
    weight = lognormal(rng, 1.0, 0.6, len(areas.communes))
    commune = rng.choice(len(areas.communes), size=n, p=weight / weight.sum())
    founded = np.sort(_founded(rng, n, as_of))  # org ids follow founding order
    status, status_date = _status(rng, founded, as_of)
    c = areas.communes
    district = c["parent"].to_numpy()[commune]
    province = c["province"].to_numpy()[commune]
    pcode = areas.provinces["code"].to_numpy()[province]
    ids = pd.Series(pcode, dtype=object) + "-" + pd.Series(np.array(TYPES)[type_idx]) + "-"
    ids = ids + pd.Series(np.arange(1, n + 1)).astype(str).str.zfill(6)
    is_coop = type_idx > 0
    frame = pd.DataFrame({
        "org_id": ids,
        "name": _org_names(rng, type_idx, sector, c["name"].to_numpy()[commune]),
        "org_type": categorical("org_type", TYPES, type_idx),
        "province": areas.provinces["name"].to_numpy()[province],
        "district": areas.districts["name"].to_numpy()[district],
        "commune": c["name"].to_numpy()[commune],
        "commune_code": c["code"].to_numpy()[commune],
        "sector": categorical("sector", list(enums()["sector"]),
                              pd.Categorical(sector, categories=list(enums()["sector"])).codes),
        "founded": fmt_dates(founded),
        "status": categorical("status", list(STATUS_SHARES),
                              pd.Categorical(status, categories=list(STATUS_SHARES)).codes),
        "status_date": fmt_dates(status_date),
        "charter_amended": yes_no(rng.random(n) < 0.45, is_coop),
        "has_office": yes_no(rng.random(n) < 0.6, is_coop),
    })
    return Orgs(type_idx, sector, commune, founded, status, status_date, frame)
