"""Units' submitted forms laid into the dense values, and added up to every unit above.

The rule (docs/indicators.md): for each unit, period and organisation type, the unit is
counted from its organisations when the data hold organisations of that type in it (or
below it), otherwise from its form; never both. A code of every type (``org_count``) in a
unit with, say, HTX in the data and THT on its form is the organisations' figure plus the
form's THT figure (``tht_count``). Support codes follow the support rows the same way. A
form of a unit from before the 2025 reorganisation counts for the unit it merged into
(the crosswalk), summed with the others that merged into it. Only additive codes are typed
in a form; ``derive`` recomputes every ratio afterwards, so a province added up from its
communes' forms equals the province computed from the organisations behind them. A value
a form leaves blank is "no data" for its unit; above it, as for organisations that did not
report, a total adds up the values given (and is "no data" when none was); a breakdown a
form cannot give is "no data" for its unit and every unit above it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from htxlib.glossary import catalog, enums, indicator, measures_of
from htxlib.indicators.coverage import add_coverage
from htxlib.indicators.values import Values, categories
from htxlib.inputs.registry import Registry

SUPPORT = "support"  # the "type" of support codes: the support rows speak for them


@dataclass(frozen=True)
class Plan:
    """How one additive code is read from a form."""

    code: str
    kinds: tuple[str, ...]  # the organisation types it counts (or SUPPORT)
    counterparts: dict[str, str]  # type → the code counting only that type (same measure)


@cache
def type_counts() -> dict[str, str]:
    """type → the code counting its organisations (``tht_count``): a form giving 0 there
    says the unit has none of the type, so it adds 0 to every code of that type."""
    return {types[0]: code for (types, sectors), code in scope_counts().items()
            if len(types) == 1 and not sectors}


@cache
def plans() -> tuple[Plan, ...]:
    types = tuple(enums()["org_type"])
    entries = [e for e in catalog() if "measure" in e]

    def key(e: dict) -> tuple:
        return tuple(measures_of(e)), e["source"], tuple(e.get("sectors", ()))

    out = []
    for e in entries:
        if e["source"] == SUPPORT:
            out.append(Plan(e["code"], (SUPPORT,), {}))
            continue
        kinds = tuple(e.get("types") or types)
        mates = {x["types"][0]: x["code"] for x in entries if len(x.get("types", ())) == 1
                 and key(x) == key(e)} if len(kinds) > 1 else {}
        out.append(Plan(e["code"], kinds, mates))
    return tuple(out)


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


def speaks(values: Values, registry: Registry) -> dict[str, np.ndarray]:
    """[unit] by organisation type (and SUPPORT): the data's own rows count that type in
    the unit, because they hold some in it or below it."""
    layout, when = values.layout, values.periods["ref_date"].max()
    orgs, sup = registry.organisations, registry.data.support

    def at(codes: pd.Series) -> np.ndarray:
        pos = layout.position(registry.areas.moved_to(codes.astype(object), when))
        return pos[pos >= 0]

    out = {t: _above(layout, at(orgs.loc[orgs["org_type"] == t, "area_code"].dropna()), True)
           for t in layout.types}
    out[SUPPORT] = _above(layout, at(sup["area_code"].dropna()), True) if len(sup) else \
        np.zeros(len(layout.codes), dtype=bool)
    return out


def _open_total(plan: Plan, open_kinds: list[str], tot: dict) -> float:
    """A code of several types, for the types the form speaks for (the others are the
    records'): the sum of their own codes (``tht_count``), or else the form's total less
    the other types' own codes; NaN when the form does not tell."""
    mates = plan.counterparts
    if all(mates.get(t) in tot for t in open_kinds):
        return sum(tot[mates[t]] for t in open_kinds)
    closed = [t for t in plan.kinds if t not in open_kinds
              and tot.get(type_counts().get(t)) != 0]
    if plan.code in tot and all(mates.get(t) in tot for t in closed):
        return tot[plan.code] - sum(tot[mates[t]] for t in closed)
    return np.nan


def _read(plan: Plan, open_kinds: list[str], tot: dict, prt: dict, dims: list[str],
          layout) -> tuple[float | None, dict[str, np.ndarray | None]]:  # noqa: ANN001
    """What one form says of ``plan.code`` for the types it speaks for (``open_kinds``):
    the total (None: not given; NaN: not known) and each breakdown (None: not known)."""
    whole = len(open_kinds) == len(plan.kinds)
    if not whole:  # the types the form says the unit has none of add nothing
        open_kinds = [t for t in open_kinds if tot.get(type_counts().get(t)) != 0]
    if whole and plan.code in tot:
        total = tot[plan.code]
    elif whole and not (plan.counterparts and all(plan.counterparts.get(t) in tot
                                                  for t in open_kinds)):
        return None, {}
    else:
        total = _open_total(plan, open_kinds, tot) if open_kinds else 0.0
    parts: dict[str, np.ndarray | None] = {}
    for dim in dims:
        size = len(categories(dim, layout))
        mates = [plan.counterparts.get(t) for t in open_kinds]
        if total == 0:
            parts[dim] = np.zeros(size)
        elif whole and (plan.code, dim) in prt:
            parts[dim] = prt[(plan.code, dim)]
        elif dim == "type" and plan.counterparts:
            vec = np.zeros(size)
            for t, m in zip(open_kinds, mates, strict=True):
                vec[layout.types.index(t)] = total if len(open_kinds) == 1 else tot.get(m, np.nan)
            parts[dim] = None if np.isnan(vec).any() else vec
        elif plan.counterparts:
            known = [prt.get((m, dim)) if tot.get(m) != 0 else np.zeros(size) for m in mates]
            parts[dim] = None if any(k is None for k in known) else np.sum(known, axis=0)
        else:
            parts[dim] = None
    return total, parts


def add_submissions(values: Values, registry: Registry) -> Values:
    """Each form's figures for its unit, where the data's organisations do not speak for
    it, and into every unit above; then the coverage codes (``htxlib.coverage``)."""
    forms = registry.submissions
    spoken = speaks(values, registry)
    if forms.empty:
        none = np.array([], dtype=np.int64)
        return add_coverage(values, registry, spoken, none, none, none.astype(bool))
    layout, periods = values.layout, values.periods
    p = _period_of(forms, periods)
    when = periods["ref_date"].max()
    mapped = registry.areas.moved_to(forms["unit_code"].astype(object), when)
    moved = (mapped != forms["unit_code"].astype(object)).to_numpy()
    unit = layout.position(mapped)
    below = _above(layout, np.unique(unit[(p >= 0) & (unit >= 0)]), itself=False)
    use = (p >= 0) & (unit >= 0) & ~below[np.maximum(unit, 0)]  # the lowest forms win
    forms, p, unit, moved = forms[use], p[use], unit[use], moved[use]
    pos = {c: i for i, c in enumerate(values.codes)}
    _open_up(values, set(forms["code"]), _above(layout, np.unique(unit), itself=True))
    todo = [(pl, pos[pl.code], [d for (c, d) in values.parts if c == pl.code])
            for pl in plans()]
    given = np.zeros(values.totals.shape, dtype=bool)  # a form gave it, for the unit or below
    asked = np.zeros(values.totals.shape, dtype=bool)  # a unit below has organisations of it
    touched = np.zeros(values.totals.shape[:2], dtype=bool)
    totals, blanks = values.totals, []
    for (pp, u), group in forms.groupby([p, unit], sort=False):
        chain = [int(u)]
        while layout.parent[chain[-1]] >= 0:
            chain.append(int(layout.parent[chain[-1]]))
        touched[pp, chain] = True
        tot, prt = _tables(group, layout)
        closed = {k for k, said in spoken.items() if said[u]}
        for plan, c, dims in todo:
            open_kinds = [k for k in plan.kinds if k not in closed] if closed else plan.kinds
            if not open_kinds:
                continue
            if dims or closed or plan.code not in tot:
                total, parts = _read(plan, list(open_kinds), tot, prt, dims, layout)
            else:  # the common case: the form gives the code, nothing to derive
                total, parts = tot[plan.code], {}
            if total is None or total != total:
                blanks.append((pp, u, c))
                asked[pp, chain, c] = True
            elif total != 0 or not _none_of(plan, list(open_kinds), tot):
                for a in chain:  # no data so far is 0 so far, once a form gives it
                    x = totals[pp, a, c]
                    totals[pp, a, c] = (0.0 if x != x else x) + total
                given[pp, chain, c] = asked[pp, chain, c] = True
            for dim, vec in parts.items():
                arr, present = values.parts[(plan.code, dim)], values.present[(plan.code, dim)]
                if vec is None:
                    vec = np.full(arr.shape[2], np.nan)
                arr[pp, chain] += vec
                present[pp, chain] = ~np.isnan(arr[pp, chain]) & (
                    present[pp, chain] | (vec != 0)[None, :])
    _blank(values, spoken, touched, given | ~asked, blanks)
    return add_coverage(values, registry, spoken, p, unit, moved)


def _none_of(plan: Plan, kinds: list[str], tot: dict) -> bool:
    """The form says the unit has no organisation the code counts, so its 0 for a code
    read from records says nothing (as a commune without HTX says nothing of their members;
    one without agricultural HTX, of their value chains)."""
    e = indicator(plan.code)
    if e["source"] != "records":
        return False
    scope = scope_counts().get((tuple(e.get("types", ())), tuple(e.get("sectors", ()))))
    if scope is not None and tot.get(scope) == 0:
        return True
    return not e.get("sectors") and all(tot.get(type_counts().get(k)) == 0 for k in kinds)


@cache
def scope_counts() -> dict[tuple[tuple[str, ...], tuple[str, ...]], str]:
    """(types, sectors) → the code counting those organisations (``org_count``,
    ``htx_count``, ``htx_agri_count``)."""
    return {(tuple(e.get("types", ())), tuple(e.get("sectors", ()))): e["code"]
            for e in catalog() if e.get("measure") == "count"}


def _blank(values: Values, spoken: dict[str, np.ndarray], touched: np.ndarray,
           given: np.ndarray, blanks: list[tuple[int, int, int]]) -> None:
    """What the forms leave blank is "no data": a unit's own blank cell, and a unit above
    where forms below have organisations the code counts but none gave it (and the data's
    organisations do not count it). Otherwise, as for organisations that did not report, a
    total adds up what was given. ``given``: given, or nothing to give."""
    for pp, u, c in blanks:
        values.totals[pp, u, c] = np.nan
    counted = np.zeros(values.totals.shape[1:], dtype=bool)  # [unit, code]
    for plan in plans():
        counted[:, values.codes.index(plan.code)] = np.logical_or.reduce(
            [spoken[k] for k in plan.kinds])
    additive = np.isin(values.codes, [pl.code for pl in plans()])
    values.totals[touched[:, :, None] & ~counted[None] & ~given & additive] = np.nan


def _open_up(values: Values, given: set[str], touched: np.ndarray) -> None:
    """A code the organisations cannot tell (no THT in the data) but a form gives starts
    from 0 in the units the forms reach, instead of "no data"."""
    for c in [c for c in values.not_provided if values.codes[c] in given]:
        values.not_provided.remove(c)
        values.totals[:, touched, c] = np.nan_to_num(values.totals[:, touched, c])
        for (code, _dim), arr in values.parts.items():
            if code == values.codes[c]:
                arr[:, touched] = np.nan_to_num(arr[:, touched])


def _tables(group: pd.DataFrame, layout) -> tuple[dict, dict]:  # noqa: ANN001
    """One form's values: totals by code, and breakdown vectors by (code, dimension)."""
    tot: dict[str, float] = {}
    prt: dict[tuple[str, str], np.ndarray] = {}
    for code, dim, cat, v in zip(group["code"], group["breakdown"], group["category"],
                                 group["value"], strict=True):
        if not dim:
            tot[code] = tot.get(code, 0.0) + v
            continue
        names = categories(dim, layout)
        vec = prt.setdefault((code, dim), np.zeros(len(names)))
        vec[names.index(cat)] += v
    return tot, prt
