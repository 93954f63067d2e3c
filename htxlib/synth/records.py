"""The records sheet: yearly figures of every organisation existing at each reference day."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from htxlib.glossary import enums
from htxlib.synth.base import TRAINING, Base, make_base
from htxlib.synth.common import categorical, count, day, fmt_dates, fmt_number, yes_no
from htxlib.synth.orgs import Orgs
from htxlib.synth.vocab import vocab


def periods(years: int, as_of: dt.date) -> list[tuple[int, str, int, float]]:
    """(ref day, record kind, year, share of the year) of each reporting period."""
    out = [(day(dt.date(y, 12, 31)), "full_year", y, 1.0)
           for y in range(as_of.year - years + 1, as_of.year)]
    share = as_of.timetuple().tm_yday / (366 if as_of.year % 4 == 0 else 365)
    out.append((day(as_of), "actual", as_of.year, share))
    out.append((day(dt.date(as_of.year, 12, 31)), "estimate", as_of.year, 1.0))
    return out


def _record_index(rng: np.random.Generator, orgs: Orgs,
                  plist: list[tuple[int, str, int, float]]) -> tuple[np.ndarray, np.ndarray]:
    """(org, period) of every record: organisations existing at the reference day."""
    org_parts, period_parts = [], []
    end = orgs.end
    for k, (ref, *_rest) in enumerate(plist):
        exists = (orgs.founded <= ref) & (end > ref) & (rng.random(len(end)) > 0.02)
        idx = np.flatnonzero(exists)
        org_parts.append(idx)
        period_parts.append(np.full(len(idx), k))
    return np.concatenate(org_parts), np.concatenate(period_parts)


def _size_class(revenue: np.ndarray, members: np.ndarray) -> np.ndarray:
    """Illustrative size classes (thresholds of Decree 113/2024 are data, not checked)."""
    return np.select([(revenue < 1000) | (members < 10), revenue < 10_000, revenue < 50_000],
                     [0, 1, 2], 3)


def _rating(rng: np.random.Generator, base_z: np.ndarray, age_days: np.ndarray) -> np.ndarray:
    """Rating index: good 20%, fair 35%, average 30%, weak 15%; not rated under 12 months."""
    score = 0.85 * base_z + 0.527 * rng.standard_normal(len(base_z))  # standard normal
    idx = np.searchsorted(np.array([-1.036, -0.126, 0.842]), score)  # weak, average, fair, good
    idx = np.array([3, 2, 1, 0])[idx]
    return np.where(age_days < 365, 4, idx)


def _partners(rng: np.random.Generator, n: int) -> np.ndarray:
    v = vocab()
    kind_words, trade_words, place_words = (v["company_kinds"], v["company_trades"],
                                            v["first_syllables"])
    kinds = np.array(kind_words, dtype=object)[rng.integers(0, len(kind_words), n)]
    trades = np.array(trade_words, dtype=object)[rng.integers(0, len(trade_words), n)]
    places = np.array(place_words, dtype=object)[rng.integers(0, len(place_words), n)]
    return (pd.Series(kinds) + " " + pd.Series(trades) + " " + pd.Series(places)).to_numpy()


def make_records(rng: np.random.Generator, orgs: Orgs, years: int,
                 as_of: dt.date) -> pd.DataFrame:
    """The records sheet: full years, the as-of record and the year's estimate."""
    plist = periods(years, as_of)
    o, k = _record_index(rng, orgs, plist)
    ref = np.array([p[0] for p in plist])[k]
    year = np.array([p[2] for p in plist])[k]
    share = np.array([p[3] for p in plist])[k]
    base = make_base(rng, orgs)
    cols = _people(rng, base, orgs, o, ref, year, share)
    business, revenue = _business(rng, base, orgs, o, ref, year, share)
    cols.update(business)
    cols.update(_traits(rng, base, orgs, o, ref, year, revenue / share))
    ids = orgs.frame["org_id"].to_numpy()[o]
    kinds = np.array([p[1] for p in plist])[k]
    kind_codes = list(enums()["record_kind"])
    head = {"org_id": ids, "ref_date": fmt_dates(ref),
            "record_kind": categorical("record_kind", kind_codes,
                                        pd.Categorical(kinds, categories=kind_codes).codes)}
    frame = pd.DataFrame({**head, **cols})
    order = np.lexsort((k, o))
    return frame.iloc[order].reset_index(drop=True)


def _active_after(orgs: Orgs, o: np.ndarray, ref: np.ndarray, status: str) -> np.ndarray:
    sd = orgs.status_date[o]
    return (orgs.status[o] == status) & (sd >= 0) & (sd <= ref)


def _people(rng: np.random.Generator, b: Base, orgs: Orgs, o: np.ndarray, ref: np.ndarray,
            year: np.ndarray, share: np.ndarray) -> dict[str, object]:
    n, t = len(o), orgs.type[o]
    dy = year - year.max()
    grow = np.exp(b.growth[o] * dy)
    members = np.maximum(np.rint(b.members[o] * grow * rng.lognormal(0, 0.03, n)),
                         np.select([t == 0, t == 1], [2, 7], 3))
    split = (year >= 2024) & (t > 0) & (b.u[o, 0] < 0.85)
    minimum = np.where(t == 2, 3, 5)  # official members required by the 2023 law
    official = np.maximum(np.rint(members * (0.7 + 0.3 * b.u[o, 1])), np.minimum(members, minimum))
    stopped = _active_after(orgs, o, ref, "stopped")
    workers = np.rint(b.workers[o] * grow * rng.lognormal(0, 0.08, n)) * ~stopped
    workers = np.minimum(workers, members)  # the validator flags workers above members
    workers_members = np.minimum(np.rint(workers * (0.5 + 0.5 * b.u[o, 2])), members)
    mgr = b.managers[o]
    out: dict[str, object] = {
        "members": count(members),
        "official_members": count(official, split),
        "associate_members": count(members - official, split),
        "new_members": count(rng.poisson(members * 0.05 * share)),
        "regular_workers": count(workers),
        "regular_workers_members": count(workers_members),
        "seasonal_workers": count(b.seasonal[o] * grow * share * ~stopped),
        "managers": count(mgr),
        "key_officers": count(b.key[o]),
    }
    for j, level in enumerate(TRAINING):
        out[f"managers_{level}"] = count(b.training[o, j])
    return out


def _business(rng: np.random.Generator, b: Base, orgs: Orgs, o: np.ndarray, ref: np.ndarray,
              year: np.ndarray, share: np.ndarray) -> tuple[dict[str, object], np.ndarray]:
    n, t = len(o), orgs.type[o]
    dy = year - year.max()
    revenue = b.revenue[o] * np.exp(1.5 * b.growth[o] * dy) * rng.lognormal(0, 0.2, n) * share
    barely = _active_after(orgs, o, ref, "barely_operating")
    stopped = _active_after(orgs, o, ref, "stopped")
    revenue = np.where(barely, revenue * 0.1 * (b.u[o, 3] < 0.6), revenue)
    revenue = np.where(stopped | (b.u[o, 3] > 0.985), 0.0, revenue)
    margin = b.margin[o] + rng.normal(0, 0.04, n)
    profit = np.where(revenue > 0, revenue * margin, -rng.exponential(5, n) * stopped)
    income = b.income[o] * np.exp(0.05 * dy) * rng.lognormal(0, 0.05, n)
    monthly = b.u[o, 4] < 0.1
    income = np.where(monthly, income / 12, income)
    has_income = (rng.random(n) < 0.95) & ~stopped & (b.workers[o] >= 1)
    capital = b.capital[o] * np.exp(0.5 * b.growth[o] * dy)
    has_capital = t > 0
    return {
        "revenue": fmt_number(revenue),
        "revenue_from_members": fmt_number(revenue * (0.2 + 0.6 * b.u[o, 5])),
        "profit": fmt_number(profit),
        "avg_income": fmt_number(income, has_income),
        "income_unit": categorical("income_unit", ("per_year", "per_month"),
                                    np.where(has_income, monthly.astype(np.int64), -1)),
        "charter_capital": fmt_number(capital, has_capital),
        "total_assets": fmt_number(capital * (1.5 + 3 * b.u[o, 6]), has_capital),
    }, revenue


def _traits(rng: np.random.Generator, b: Base, orgs: Orgs, o: np.ndarray, ref: np.ndarray,
            year: np.ndarray, revenue: np.ndarray) -> dict[str, object]:
    n, t = len(o), orgs.type[o]
    dy = year - year.max()
    agri = orgs.sector[o] == "agriculture"
    coop = t > 0
    vc_p = np.select([coop & agri, coop], [0.25, 0.08], 0.04) * np.exp(0.1 * dy)
    chain = b.u[o, 7] < vc_p
    ocop_p = np.select([coop & agri, coop], [0.07, 0.04], 0.005) * np.exp(0.15 * dy)
    ocop = (b.u[o, 8] < ocop_p) * (1 + (b.u[o, 11] ** 2 * 3).astype(int))
    stars = 3 + (b.u[o, 5] ** 2 * 3).astype(int)
    age = ref - orgs.founded[o]
    rated = coop & (year <= 2025)
    rating = np.where(rated, _rating(rng, b.z[o], age), -1)
    rating_codes = ("good", "fair", "average", "weak", "not_rated")
    size = np.where(coop & (year >= 2024), _size_class(revenue, b.members[o]), -1)
    partner = np.full(n, None, dtype=object)
    partner[chain] = _partners(rng, int(chain.sum()))
    return {
        "rating": categorical("rating", rating_codes, rating),
        "size_class": categorical("size_class", ("micro", "small", "medium", "large"), size),
        "value_chain": yes_no(chain),
        "value_chain_partner": partner,
        "ocop_products": count(ocop),
        "ocop_stars": count(stars, ocop > 0),
        "high_tech": yes_no(b.u[o, 9] < np.where(agri, 0.05, 0.02) * np.exp(0.1 * dy)),
        "social_insurance": yes_no(b.u[o, 10] < np.where(coop, 0.3, 0.02)),
    }

