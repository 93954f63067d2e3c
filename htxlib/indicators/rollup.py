"""Units' submitted forms laid into the dense values, and added up to every unit above.

The rule (docs/indicators.md): a unit whose organisations are in the data is counted from
them; a unit with none is counted from its form; never both. A form of a unit from before
the 2025 reorganisation counts for the unit it merged into (the crosswalk), summed with
the others that merged into it. Only additive codes are typed in a form; ``derive``
recomputes every ratio afterwards, so a province added up from its communes' forms
equals the province computed from the organisations behind them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from htxlib.glossary import catalog
from htxlib.indicators import measures as ms
from htxlib.indicators.values import Values, categories
from htxlib.inputs.registry import Registry


def _period_of(forms: pd.DataFrame, periods: pd.DataFrame) -> np.ndarray:
    """The table period each form value belongs to (-1: none of this table's)."""
    as_of = pd.to_datetime(forms["as_of"])
    out = np.full(len(forms), -1, dtype=np.int64)
    for p, period in enumerate(periods.itertuples()):
        if period.kind == "estimate":
            hit = (forms["period"] == "estimate") & (as_of.dt.year == period.year)
        elif period.rule == "full_year" and period.ref_date.year < as_of.max().year:
            hit = (forms["period"] == "previous") & (as_of.dt.year == period.year + 1)
        else:
            hit = (forms["period"] == "to_date") & (as_of == period.ref_date)
        out[hit.to_numpy()] = p
    return out


def _above(layout, units: np.ndarray, itself: bool) -> np.ndarray:  # noqa: ANN001
    """[unit]: the unit is one of ``units`` (when ``itself``) or above one of them."""
    out = np.zeros(len(layout.codes), dtype=bool)
    if len(units):
        _, ups = layout.lineage(units)
        out[ups[len(units):] if not itself else ups] = True
    return out


def add_submissions(values: Values, registry: Registry) -> Values:
    """Each form's figures for its unit (one without organisations), and into its parents."""
    forms = registry.submissions
    if forms.empty:
        return values
    layout, periods = values.layout, values.periods
    p = _period_of(forms, periods)
    when = periods["ref_date"].max()
    unit = layout.position(ms.area_at(forms["unit_code"].astype(object), registry.areas, when))
    orgs = layout.position(ms.area_at(registry.organisations["area_code"].dropna(),
                                      registry.areas, when))
    counted = _above(layout, orgs[orgs >= 0], itself=True)  # the organisations speak for
    below = _above(layout, np.unique(unit[(p >= 0) & (unit >= 0)]), itself=False)
    use = (p >= 0) & (unit >= 0) & ~counted[np.maximum(unit, 0)] & ~below[np.maximum(unit, 0)]
    forms, p, unit = forms[use], p[use], unit[use]
    pos = {c: i for i, c in enumerate(values.codes)}
    given = np.zeros(values.totals.shape, dtype=bool)  # a form gave it, for the unit or below
    touched = np.zeros(values.totals.shape[:2], dtype=bool)
    for (pp, u), group in forms.groupby([p, unit], sort=False):
        chain = [int(u)]
        while layout.parent[chain[-1]] >= 0:
            chain.append(int(layout.parent[chain[-1]]))
        touched[pp, chain] = True
        for code, dim, cat, v in zip(group["code"], group["breakdown"], group["category"],
                                     group["value"], strict=True):
            if not dim:
                c = pos[code]
                values.totals[pp, chain, c] = np.nan_to_num(values.totals[pp, chain, c]) + v
                given[pp, chain, c] = True
                continue
            if (code, dim) not in values.parts:
                continue
            k = categories(dim, layout).index(cat)
            values.parts[(code, dim)][pp, chain, k] += v
            values.present[(code, dim)][pp, chain, k] = True
    # A unit the organisations do not speak for knows only what its forms gave: a code no
    # form gave is "no data", not the 0 an empty registry sums to.
    additive = np.array(["measure" in e for e in catalog()])
    alone = touched & ~counted[None, :]
    blank = alone[:, :, None] & ~given & additive[None, None, :]
    values.totals[blank] = np.nan
    return values
