"""The office's own year-end figures (sheet Ước thực hiện) laid over the computed ones."""

from __future__ import annotations

import numpy as np
import pandas as pd

from htxlib.glossary import breakdown_category, catalog, resource
from htxlib.indicators.values import Values, categories
from htxlib.inputs.registry import Registry


def office_estimates(values: Values, registry: Registry) -> Values:
    """The Ước thực hiện sheet: a figure the office states for an area's year-end replaces
    the one computed from the organisations (after any annualising, before the ratios, so
    shares and averages are recomputed from it). A stated total hides the computed
    breakdowns of its code, which no longer add up to it, except the parts the office
    states too. Listed in ``stated`` for the table's note."""
    est = registry.data.estimates
    est = est[est["area_code"].notna() & est["value"].notna() & est["indicator"].isin(
        [e["code"] for e in catalog() if "measure" in e])]
    periods = values.periods
    before = values.totals.copy()
    parts = est["breakdown"].astype(object).fillna("")
    for area, year, code, part, value in zip(est["area_code"], est["year"], est["indicator"],
                                             parts, est["value"], strict=True):
        ps = np.flatnonzero((periods["kind"] == "estimate").to_numpy()
                            & (periods["year"] == int(year)).to_numpy())
        a = int(values.layout.position(pd.Series([area]))[0])
        if not len(ps) or a < 0:
            continue  # no estimate of that year in this table
        p, c = int(ps[0]), values.codes.index(code)
        if not part:
            values.totals[p, a, c] = float(value)
            for (of, _dim), present in values.present.items():
                if of == code:
                    present[p, a] &= values.told[(of, _dim)][p, a]
            values.stated.append((p, a, c))
        elif named := breakdown_category(code, part):
            dim, cat = named
            k = categories(dim, values.layout).index(cat)
            values.parts[(code, dim)][p, a, k] = float(value)
            values.present[(code, dim)][p, a, k] = True
            values.told[(code, dim)][p, a, k] = True
    return _follow(values, before)


def _follow(values: Values, before: np.ndarray) -> Values:
    """A total the office did not state follows the parts it did (``sums`` in
    indicators.yaml): 3 HTX more than computed make 3 organisations more."""
    told = {(p, a, c) for p, a, c in values.stated}
    pos = {c: i for i, c in enumerate(values.codes)}
    for total, parts in resource("indicators.yaml")["sums"].items():
        t = pos[total]
        moved = {(p, a) for p, a, c in told if c in {pos[x] for x in parts}} - {
            (p, a) for p, a, c in told if c == t}
        for p, a in sorted(moved):
            delta = sum(values.totals[p, a, pos[x]] - before[p, a, pos[x]] for x in parts
                        if (p, a, pos[x]) in told and not np.isnan(before[p, a, pos[x]]))
            if not delta:  # only parts the data say nothing of: their sum is not known
                continue
            values.totals[p, a, t] = np.nan_to_num(before[p, a, t]) + delta
            for (of, dim), present in values.present.items():
                if of == total:
                    present[p, a] &= values.told[(of, dim)][p, a]
            values.followed.append((p, a, t))
    return values
