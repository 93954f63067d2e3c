"""Rows of the indicator table by organisation, for the reporting area only.

A plan names the organisations behind a few figures ("10 lao động (HTX Đồng Tâm xã Ba
Vì)", the effective models). Codes whose ``breakdowns`` list ``organisation`` get one row
per organisation with a non-zero value, for the as-of period and the estimate, so that
the report reads names from the indicator table too, never from the raw records.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from htxlib.glossary import catalog, labels
from htxlib.indicators import measures as ms
from htxlib.indicators.values import Values
from htxlib.inputs.registry import Registry

BREAKDOWN = "organisation"


def _entries() -> list[dict]:
    return [e for e in catalog() if BREAKDOWN in e.get("breakdowns", ())]


def _measures(entry: dict) -> list[str]:
    """The measures an entry sums (``measure``: one name or a list)."""
    return [entry["measure"]] if isinstance(entry["measure"], str) else entry["measure"]


def _record_measures(values: Values, registry: Registry, period: pd.Series) -> pd.DataFrame:
    """The record measures the entries name, of every organisation of the registry for
    ``period``, indexed by organisation: computed once per ``values`` (the same for every
    area of a batch) and kept small (a few columns, not all of ``record_measures``)."""
    key = ("byorg", period["key"])
    if key not in values.memo:
        chosen = ms.select_records(registry.records, period)  # one record per organisation
        wanted = [n for n in dict.fromkeys(m for e in _entries() for m in _measures(e))
                  if n in ms.RECORD + ms.KNOWN]
        values.memo[key] = ms.record_measures(chosen)[wanted].set_index(
            chosen["org_id"].astype(object).to_numpy())
    return values.memo[key]


def organisation_rows(registry: Registry, values: Values, table: pd.DataFrame,
                      area: str) -> pd.DataFrame:
    """Rows like ``table``'s total rows of ``area``, broken down by organisation."""
    entries = _entries()
    periods = values.periods
    units = set(registry.areas.descendants(area))
    template = table[(table["area_code"] == area) & (table["breakdown"] == "")
                     & table["code"].isin([e["code"] for e in entries])]
    wanted = periods[periods["shown"] & (periods["year"] == periods["year"].max())]
    label = labels()["organisation"]
    names = pd.Series(registry.areas.display_names().to_numpy(),
                      index=registry.areas.frame["code"].to_numpy())
    out = []
    for period in wanted.itertuples(index=False):
        p = pd.Series(period._asdict())
        # the area's organisations only: every measure is one organisation's own
        place = registry.areas.moved_to(registry.organisations["area_code"], p["ref_date"])
        inside = place.isin(units).to_numpy()
        orgs = registry.organisations[inside]
        if orgs.empty:
            continue
        where = names.reindex(place[inside].astype(object)).fillna("").to_numpy()
        reg = ms.registry_measures(orgs, p)
        rec = _record_measures(values, registry, p)
        rec = rec.reindex(orgs["org_id"].astype(object)).fillna(0.0)
        columns = {**{n: reg[n].to_numpy() for n in reg.columns},
                   **{n: rec[n].to_numpy() for n in rec.columns}}
        for e in entries:
            value = sum(columns[n] for n in _measures(e)).astype(float)
            keep = value != 0
            if e.get("types"):
                keep &= orgs["org_type"].astype(object).isin(e["types"]).to_numpy()
            if e.get("sectors"):
                keep &= orgs["sector"].astype(object).isin(e["sectors"]).to_numpy()
            base = template[(template["code"] == e["code"]) & (template["period"] == p["period"])
                            & (template["kind"] == p["kind"])]
            if base.empty or not keep.any():
                continue
            idx = np.flatnonzero(keep)
            rows = base.iloc[np.zeros(len(idx), dtype=int)].reset_index(drop=True)
            rows = rows.astype({c: object for c in rows.columns
                                if isinstance(rows[c].dtype, pd.CategoricalDtype)})
            rows["breakdown"] = BREAKDOWN
            rows["category"] = orgs["org_id"].astype(object).to_numpy()[idx]
            rows["category_label"] = [label.format(name=n, area=a) for n, a in zip(
                orgs["name"].astype(object).to_numpy()[idx], where[idx], strict=True)]
            rows["value"] = value[idx]
            for col in ("denominator", "previous_value", "change", "change_pct", "target",
                        "target_pct"):
                rows[col] = np.nan
            out.append(rows)
    return pd.concat(out, ignore_index=True) if out else table.iloc[:0]
