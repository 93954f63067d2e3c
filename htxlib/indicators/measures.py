"""Periods and per-organisation measures.

Every indicator is a sum of these measures or a ratio of two sums, so this module is the
only place raw records are read. Registry measures (counts, flows) come from the
organisations' dates; record measures from the periodic record chosen for the period;
support measures from the support received in the period's year. ``htxlib.indicators.cube`` adds
them up by unit, type and sector.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from htxlib.glossary import enums
from htxlib.inputs import form_layout
from htxlib.inputs.validate import ENDED

REGISTRY = ["count", "operating", "barely", "stopped", "new", "dissolved", "converted",
            "charter_not_amended", "no_office"]
TRAINING_LEVELS = list(enums()["training_level"])  # ends with "unknown" (not a column)
SUMMED = ["members", "official_members", "associate_members", "new_members", "regular_workers",
          "regular_workers_members", "seasonal_workers", "managers", "key_officers",
          *[f"managers_{lvl}" for lvl in TRAINING_LEVELS[:-1]], "revenue",
          "revenue_from_members", "profit", "charter_capital", "total_assets", "ocop_products"]
RECORD = [*SUMMED, "managers_unknown", "reporting", "no_revenue", "no_profit", "income_total",
          "income_workers", "rated_good", "rated_fair", "rated_average", "rated_weak",
          "value_chain", "high_tech", "ocop", "social_insurance"]
SUPPORT = ["beneficiaries", "funds_central", "funds_local", "funds_other"]
# known_<x>: records that gave the quantity (a sum with none of them is "no data", not 0)
FLAGS = ["value_chain", "high_tech", "social_insurance"]
KNOWN_OF = {**{m: f"known_{m}" for m in SUMMED}, "managers_unknown": "known_managers",
            "no_revenue": "known_revenue", "no_profit": "known_profit",
            **{f"rated_{r}": "known_rating" for r in ("good", "fair", "average", "weak")},
            **{f: f"known_{f}" for f in FLAGS}, "ocop": "known_ocop_products"}
KNOWN = list(dict.fromkeys(KNOWN_OF.values()))
MEASURES = [*REGISTRY, *RECORD, *KNOWN]


def periods(records: pd.DataFrame, as_of: dt.date, history: bool = True,
            forms: pd.DataFrame | None = None, same_period: bool = False,
            since: int | None = None) -> pd.DataFrame:
    """The periods of a table at ``as_of``: past full years, the as-of date, the estimate.

    The estimate is the data's own (rule "estimate") when records give one, or when no
    record of the year speaks and units' ``forms`` give one; otherwise htxlib derives it.

    Without ``history`` only the year before is computed, and only for comparison
    (``shown`` False): its values appear as ``previous_value`` on the rows of the others.
    Columns: period (id), kind (actual/estimate), key ("period|kind"), year, ref_date,
    shown, start (01/01 of the year),
    registry_date (the registry is read at min(ref_date, as_of)), rule (how records match).
    ``same_period`` adds the same date of the year before (stocks then, flows from its
    01/01): what a six-month report compares with, never a half year with a whole one.
    ``since``: history from that year, when earlier than the records' first (the years a
    unit's earlier forms speak of, ``first_year``).
    """
    as_of = pd.Timestamp(as_of)
    year = as_of.year
    ref_years = records.loc[records["ref_date"] <= as_of, "ref_date"].dt.year
    first = min(int(ref_years.min()) if len(ref_years) else year - 1, year - 1,
                since if since is not None else year)
    rows = [_period(str(y), "actual", pd.Timestamp(y, 12, 31), "full_year", history)
            for y in range(first if history else year - 1, year)]
    if same_period and (as_of.month, as_of.day) != (12, 31):
        before = same_date_before(as_of)
        rows.append(_period(before.date().isoformat(), "actual", before, "to_date"))
    if (as_of.month, as_of.day) == (12, 31):
        rows.append(_period(str(year), "actual", as_of, "full_year"))
    else:
        rows.append(_period(as_of.date().isoformat(), "actual", as_of, "to_date"))
    in_year = records["ref_date"].dt.year == year
    has_estimate = ((records["record_kind"] == "estimate") & in_year).any()
    if not in_year.any() and forms is not None and len(forms):
        has_estimate = ((forms["period"] == "estimate")
                        & (pd.to_datetime(forms["as_of"]).dt.year == year)).any()
    if has_estimate:
        rows.append(_period(str(year), "estimate", pd.Timestamp(year, 12, 31), "estimate"))
    elif rows[-1]["rule"] == "to_date":  # no estimate given: htxlib derives one (ESTIMATE_RULE)
        rows.append(_period(str(year), "estimate", pd.Timestamp(year, 12, 31), "derived"))
    frame = pd.DataFrame(rows)
    frame["key"] = frame["period"] + "|" + frame["kind"]
    frame["registry_date"] = frame["ref_date"].clip(upper=as_of)
    return frame


def first_year(records: pd.DataFrame, forms: pd.DataFrame, as_of: dt.date) -> int:
    """The first year the data speak of up to ``as_of``: the records' first, or the year
    before a unit's first form (its "Thực hiện năm N-1" column), whichever is earlier."""
    as_of = pd.Timestamp(as_of)
    years = [as_of.year - 1, *records.loc[records["ref_date"] <= as_of, "ref_date"].dt.year]
    dates = pd.to_datetime(forms["as_of"]) if len(forms) else pd.Series(dtype="datetime64[ns]")
    years += list(dates[dates <= as_of].dt.year - 1)
    return int(min(years))


def same_date_before(when: pd.Timestamp | dt.date) -> pd.Timestamp:
    """The same day of the year before (28/2 for a 29/2), as the six-month form dates it."""
    return pd.Timestamp(form_layout.same_date_before(pd.Timestamp(when).date()))


def _period(pid: str, kind: str, ref: pd.Timestamp, rule: str, shown: bool = True) -> dict:
    return {"period": pid, "kind": kind, "year": ref.year, "ref_date": ref,
            "start": pd.Timestamp(ref.year, 1, 1), "rule": rule, "shown": shown}


def select_records(records: pd.DataFrame, period: pd.Series) -> pd.DataFrame:
    """The one record per organisation that speaks for ``period`` (latest wins)."""
    ref, kind = records["ref_date"], records["record_kind"]
    year_end = (ref.dt.month == 12) & (ref.dt.day == 31)
    if period["rule"] == "full_year":
        mask = (ref.dt.year == period["year"]) & (
            (kind == "full_year") | ((kind == "actual") & year_end))
    elif period["rule"] in ("to_date", "derived"):  # a derived estimate starts from the as-of
        mask = kind.isin(["actual", "full_year"]) & ref.between(period["start"],
                                                                period["registry_date"])
    else:
        mask = (kind == "estimate") & (ref.dt.year == period["year"])
    chosen = records[mask].sort_values(["ref_date", "record_kind"], kind="stable")
    return chosen.drop_duplicates("org_id", keep="last")


def registry_measures(orgs: pd.DataFrame, period: pd.Series) -> pd.DataFrame:
    """Counts at the registry date and flows since 01/01, one row per organisation."""
    ref, start = period["registry_date"], period["start"]
    founded, when = orgs["founded"], orgs["status_date"]
    status = orgs["status"].astype(object)
    ended = status.isin(ENDED) & (when <= ref)
    exists = (founded <= ref) & ~ended
    now = status.where(when.isna() | (when <= ref), "operating")
    in_period = when.between(start, ref)
    out = pd.DataFrame({
        "count": exists,
        "operating": exists & now.isin(["operating", "barely_operating"]),
        "barely": exists & (now == "barely_operating"),
        "stopped": exists & (now == "stopped"),
        "new": founded.between(start, ref),
        "dissolved": status.str.startswith("dissolved") & in_period,
        "converted": (status == "converted") & in_period,
        "charter_not_amended": exists & orgs["charter_amended"].eq(False),
        "no_office": exists & orgs["has_office"].eq(False),
    }).astype("int32")
    return out


def record_measures(recs: pd.DataFrame) -> pd.DataFrame:
    """Additive measures of each chosen record.

    An empty cell adds nothing; ``known_<m>`` counts the records that gave ``m``, so that
    a sum over organisations none of which reported it can be told apart from zero.
    """
    out = recs[SUMMED].copy()
    for m in SUMMED:
        out[f"known_{m}"] = recs[m].notna().astype("int32")
    for col in ("rating", *FLAGS):
        out[f"known_{col}"] = recs[col].notna().astype("int32")
    level_cols = [f"managers_{lvl}" for lvl in TRAINING_LEVELS[:-1]]
    has_managers = out["managers"].notna().to_numpy()[:, None]
    out[level_cols] = out[level_cols].where(~has_managers | out[level_cols].notna(), 0.0)
    levels = out[level_cols].sum(axis=1)
    out["managers_unknown"] = (out["managers"] - levels).clip(lower=0)
    # Revenue not given is not "no revenue": only records that give it are counted, and
    # they are the denominator of the averages and shares of revenue and profit.
    out["reporting"] = out["revenue"].notna().astype("int32")
    out["no_revenue"] = (out["revenue"] <= 0).astype("int32")
    out["no_profit"] = (out["profit"] <= 0).astype("int32")
    yearly = recs["avg_income"] * np.where(recs["income_unit"] == "per_month", 12, 1)
    out["income_workers"] = np.where(yearly.notna(), out["regular_workers"].fillna(0.0), 0.0)
    out["income_total"] = yearly.fillna(0.0) * out["income_workers"]
    for rating in ("good", "fair", "average", "weak"):
        out[f"rated_{rating}"] = (recs["rating"] == rating).astype("int32")
    for flag in FLAGS:
        out[flag] = recs[flag].eq(True).astype("int32")
    out["ocop"] = (out["ocop_products"] > 0).astype("int32")
    return out[RECORD + KNOWN].fillna(0.0)

