"""Where a unit's figures come from: how many of its lowest units (communes) the data's
organisations speak for, how many sent a form, and how many have neither.

These are the ``coverage`` codes of the catalogue (``units_total``, ``units_records``,
``units_forms``, ``units_missing``), counted for the lowest units that existed on each
period's date and added up to every unit above, so the plan can say "số liệu của 19 xã,
trong đó 7 xã từ biểu tổng hợp", name the communes it has nothing of, and say which
figures include forms of units from before a reorganisation (``units_merged``). Without any
form in the data, ``units_missing`` is "no data": the organisation records are then the
office's whole registry, and a commune without organisations simply has none. With forms,
a commune with neither organisations nor a form has no data at all: its figures are NaN.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from htxlib.glossary import catalog
from htxlib.indicators.values import Values
from htxlib.inputs.registry import Registry


def add_coverage(values: Values, registry: Registry, spoken: dict[str, np.ndarray],
                 form_period: np.ndarray, form_unit: np.ndarray,
                 form_moved: np.ndarray) -> Values:
    """Fill the coverage codes. ``spoken``: [unit] by organisation type, the data's
    organisations count it; the forms used are at periods ``form_period`` and units
    ``form_unit``, ``form_moved`` where the form is of a unit before a reorganisation."""
    layout, periods = values.layout, values.periods
    codes = {e["coverage"]: values.codes.index(e["code"]) for e in catalog() if "coverage" in e}
    existed = registry.areas.alive_on(periods["ref_date"])
    n_p, n_u = existed.shape
    has_child = np.zeros_like(existed)
    child = np.flatnonzero(layout.parent >= 0)
    for p in range(n_p):
        np.logical_or.at(has_child[p], layout.parent[child[existed[p, child]]], True)
    leaf = existed & ~has_child
    records = np.logical_or.reduce([spoken[t] for t in layout.types])
    by_form = np.zeros_like(existed)
    by_form[form_period, form_unit] = True
    merged = np.zeros_like(existed)
    merged[form_period[form_moved], form_unit[form_moved]] = True
    flags = {"total": leaf, "records": leaf & records[None, :], "forms": np.zeros_like(leaf)}
    for p in range(n_p):
        units = np.flatnonzero(leaf[p])
        rows, ups = layout.lineage(units)
        covered = np.zeros(len(units), dtype=bool)
        np.logical_or.at(covered, rows, by_form[p, ups])
        flags["forms"][p, units] = covered
    flags["missing"] = leaf & ~flags["records"] & ~flags["forms"]
    flags["merged"] = leaf & merged
    for kind, flag in flags.items():
        c = codes[kind]
        values.totals[:, :, c] = 0.0
        for p in range(n_p):
            rows, ups = layout.lineage(np.flatnonzero(flag[p]))
            np.add.at(values.totals[p, :, c], ups, 1.0)
    values.quiet += [codes["total"], codes["records"]]  # every commune has them: not news
    if registry.submissions.empty:
        values.totals[:, :, codes["missing"]] = np.nan
        values.not_provided.append(codes["missing"])
    else:
        _unknown(values, flags["missing"] | _formed_unknown(values, registry, flags["missing"],
                                                            by_form, existed))
    return values


def _formed_unknown(values: Values, registry: Registry, missing: np.ndarray,
                    by_form: np.ndarray, existed: np.ndarray) -> np.ndarray:
    """[period, unit]: a unit formed by a reorganisation, on a date before it existed, of
    which neither its own form nor any old unit that formed it says anything (a commune of
    1/7/2025 on 14/6/2025 when no form speaks of that date): no data, not zeros."""
    out = np.zeros_like(missing)
    areas, layout = registry.areas, values.layout
    if areas.crosswalk.empty:
        return out
    latest = values.periods["ref_date"].max()
    succ = layout.position(areas.moved_to(pd.Series(layout.codes, dtype=object), latest))
    old = np.flatnonzero((succ >= 0) & (succ != np.arange(len(succ))))
    formed = np.unique(succ[old])
    for p in range(missing.shape[0]):
        told = np.zeros(missing.shape[1], dtype=bool)
        np.logical_or.at(told, succ[old], existed[p, old] & ~missing[p, old])
        out[p, formed] = ~existed[p, formed] & ~told[formed] & ~by_form[p, formed]
    return out


def _unknown(values: Values, missing: np.ndarray) -> None:
    """A lowest unit the data say nothing of (no organisations, no form, while the data
    hold units' forms) has no data, not zeros: every additive figure of it is NaN. The
    units above it add up the others, as for a form left blank."""
    figures = [i for i, e in enumerate(catalog()) if "measure" in e]
    for p in range(missing.shape[0]):
        units = np.flatnonzero(missing[p])
        if not len(units):
            continue
        values.totals[p, units[:, None], np.array(figures)[None, :]] = np.nan
        for key, arr in values.parts.items():
            arr[p, units] = np.nan
            values.present[key][p, units] = True
