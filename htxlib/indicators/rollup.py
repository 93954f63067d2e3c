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
from htxlib.indicators.cube import Layout
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
    """The table period each form value belongs to (-1: none of this table's). A unit
    sends several forms a year (six-month, year-end): its figures of the year before and
    its estimate of the year are those of its latest form up to the table's as-of date,
    never the sum of them; a form dated after it is not yet in. A six-month form's "cùng
    kỳ" column is the same date of the year before."""
    as_of = pd.to_datetime(forms["as_of"])
    limit = periods["registry_date"].max()
    usable = as_of <= limit
    latest = as_of.where(usable).groupby([forms["unit_code"].astype(object).to_numpy(),
                                          as_of.dt.year.to_numpy()]).transform("max")
    current = usable & (as_of == latest)
    out = np.full(len(forms), -1, dtype=np.int64)
    for p, period in enumerate(periods.itertuples()):
        if period.kind == "estimate":
            hit = (forms["period"] == "estimate") & (as_of.dt.year == period.year) & current
        elif period.rule == "full_year" and period.ref_date.year < limit.year:
            hit = ((forms["period"] == "previous") & (as_of.dt.year == period.year + 1)
                   & current)
        else:
            hit = _at_date(forms, as_of, current, period.ref_date)
        out[hit.to_numpy()] = p
    return out


def _at_date(forms: pd.DataFrame, as_of: pd.Series, current: pd.Series,
             when: pd.Timestamp) -> pd.Series:
    """The form values of a date: forms of that date, and the "cùng kỳ" column of a unit's
    six-month form of a year later (which then speaks for the unit: a figure stated twice
    is counted once, as its latest form gives it)."""
    on_date = (forms["period"] == "to_date") & (as_of == when)
    same = (forms["period"] == "same") & current
    if not same.any():
        return on_date
    later = as_of[same]
    same[same] = (later.dt.year == when.year + 1) & (later.dt.month == when.month) & (
        (later.dt.day == when.day) | (later.dt.day == 29) & ((when.month, when.day) == (2, 28)))
    told = forms["unit_code"].isin(forms.loc[same, "unit_code"].unique())
    return same | (on_date & ~told)


def _above(layout, units: np.ndarray, itself: bool) -> np.ndarray:
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


class Grid:
    """Every form's values at once: one row per (period, unit) group of forms, a column
    per code (NaN where the group's forms do not give it) and, for each (code, dimension)
    the forms split, the "trong đó" vectors with the groups that gave them."""

    def __init__(self, forms: pd.DataFrame, group: np.ndarray, n: int, codes: list[str],
                 layout: Layout) -> None:
        self.n, self.pos = n, {c: i for i, c in enumerate(codes)}
        code = pd.Index(codes).get_indexer(forms["code"].astype(object))
        value = forms["value"].to_numpy(dtype="float64")
        dim = forms["breakdown"].astype(object).to_numpy()
        total = dim == ""
        sums = np.zeros((n, len(codes)))
        np.add.at(sums, (group[total], code[total]), value[total])
        given = np.zeros((n, len(codes)), dtype=bool)
        given[group[total], code[total]] = True
        self.tot = np.where(given, sums, np.nan)
        self.parts: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}
        split = pd.DataFrame({"g": group[~total], "c": code[~total], "dim": dim[~total],
                              "cat": forms["category"].astype(object).to_numpy()[~total],
                              "v": value[~total]})
        for (c, d), rows in split.groupby(["c", "dim"], sort=False):
            names = categories(d, layout)
            vec = np.zeros((n, len(names)))
            k = pd.Index(names).get_indexer(rows["cat"])
            np.add.at(vec, (rows["g"].to_numpy(), k), rows["v"].to_numpy())
            has = np.zeros(n, dtype=bool)
            has[rows["g"].to_numpy()] = True
            self.parts[(codes[c], d)] = (vec, has)

    def col(self, code: str | None) -> np.ndarray:
        """[group]: the value of ``code`` (NaN: not given, or no such code)."""
        return self.tot[:, self.pos[code]] if code in self.pos else np.full(self.n, np.nan)

    def split(self, code: str | None, dim: str) -> tuple[np.ndarray | None, np.ndarray]:
        """The "trong đó" vectors of ``code`` by ``dim`` and the groups that gave them."""
        vec, has = self.parts.get((code, dim), (None, np.zeros(self.n, dtype=bool)))
        return vec, has


def _read(plan: Plan, open0: np.ndarray, grid: Grid, dims: list[str],
          layout: Layout) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """What every group's forms say of ``plan.code`` for the types they speak for
    (``open0`` [group, kind]: the data's organisations do not count the kind there):
    (not given [group], total [group], NaN where not known; breakdowns [group, k], NaN rows
    where not known). A code of several types is read from its one-type codes
    (``tht_count``…) where the form gives those, or from its total less the other types'."""
    mates = [plan.counterparts.get(t) for t in plan.kinds]
    whole = open0.all(axis=1)
    counts = np.column_stack([grid.col(type_counts().get(t)) for t in plan.kinds])
    # the types the form says the unit has none of add nothing (unless it speaks for all)
    is_open = open0 & (whole[:, None] | (counts != 0))
    m = np.column_stack([grid.col(x) for x in mates])
    m_given = ~np.isnan(m)
    code = grid.col(plan.code)
    has_code = ~np.isnan(code)
    all_open = (~is_open | m_given).all(axis=1)
    sum_open = np.where(is_open, np.nan_to_num(m), 0.0).sum(axis=1)
    closed = ~is_open & (counts != 0)
    rest = code - np.where(closed, np.nan_to_num(m), 0.0).sum(axis=1)
    told = np.where(all_open, sum_open,
                    np.where(has_code & (~closed | m_given).all(axis=1), rest, np.nan))
    any_open = is_open.any(axis=1)
    total = np.where(whole, np.where(has_code, code, told), np.where(any_open, told, 0.0))
    none = whole & ~has_code & ~all_open
    n_open = is_open.sum(axis=1)
    parts = {}
    for dim in dims:
        size = len(categories(dim, layout))
        out = np.full((grid.n, size), np.nan)
        own, has = grid.split(plan.code, dim)
        if own is not None:
            out[whole & has] = own[whole & has]
        rest_rows = ~(whole & has)
        if dim == "type" and plan.counterparts:
            vec = np.zeros((grid.n, size))
            for i, t in enumerate(plan.kinds):
                vec[:, layout.types.index(t)] = np.where(
                    is_open[:, i], np.where(n_open == 1, total, m[:, i]), 0.0)
            out[rest_rows] = vec[rest_rows]
        elif plan.counterparts:
            acc, bad = np.zeros((grid.n, size)), np.zeros(grid.n, dtype=bool)
            for i, x in enumerate(mates):
                vec, given = grid.split(x, dim)
                zero = m[:, i] == 0
                bad |= is_open[:, i] & ~zero & ~given
                if vec is not None:
                    acc += np.where((is_open[:, i] & ~zero & given)[:, None], vec, 0.0)
            out[rest_rows] = np.where(bad[:, None], np.nan, acc)[rest_rows]
        out[np.isnan(out).any(axis=1)] = np.nan  # a part not known: the vector is not
        out[total == 0] = 0.0
        parts[dim] = out
    return none, total, parts


class Tree:
    """The units the forms' groups count in (each group's unit and every unit above), and
    sums of per-group arrays up to each of them: [period, unit] arrays are added from the
    deepest units up, so each form counts once in every unit above it."""

    def __init__(self, layout: Layout, period: np.ndarray, unit: np.ndarray,
                 n_periods: int) -> None:
        _, ups = layout.lineage(unit)
        self.units = np.unique(ups)  # positions in the layout
        where = np.searchsorted(self.units, np.maximum(layout.parent[self.units], 0))
        self.parent = np.where(layout.parent[self.units] >= 0, where, -1)
        depth = np.zeros(len(self.units), dtype=np.int64)
        up = self.parent.copy()
        while (up >= 0).any():
            depth += up >= 0
            up = np.where(up >= 0, self.parent[np.maximum(up, 0)], -1)
        self.levels = [np.flatnonzero(depth == d) for d in range(depth.max(), 0, -1)]
        self.period, self.unit = period, np.searchsorted(self.units, unit)
        self.n_periods = n_periods

    def sum(self, per_group: np.ndarray) -> np.ndarray:
        """[period, unit, ...]: each group's values in its unit and added into every unit
        above (bool: any)."""
        out = np.zeros((len(self.units), self.n_periods, *per_group.shape[1:]),
                       dtype=per_group.dtype)
        out[self.unit, self.period] = per_group
        add = np.logical_or.at if per_group.dtype == bool else np.add.at
        for level in self.levels:
            add(out, self.parent[level], out[level])
        return out.swapaxes(0, 1)


def add_submissions(values: Values, registry: Registry) -> Values:
    """Each form's figures for its unit, where the data's organisations do not speak for
    it, and into every unit above; then the coverage codes (``htxlib.indicators.coverage``)."""
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
    _open_up(values, set(forms["code"]), _above(layout, np.unique(unit), itself=True))
    n_u = len(layout.codes)
    keys, group = np.unique(p * n_u + unit, return_inverse=True)
    g_period, g_unit = np.divmod(keys, n_u)
    grid = Grid(forms, group, len(keys), values.codes, layout)
    tree = Tree(layout, g_period, g_unit, len(periods))
    n_c = len(values.codes)
    add = np.zeros((len(keys), n_c))  # what each group adds to each code...
    hit = np.zeros((len(keys), n_c), dtype=bool)  # ...where it adds (a 0 too)
    blank = np.zeros((len(keys), n_c), dtype=bool)  # its own cell is "no data"
    for plan in plans():
        c = values.codes.index(plan.code)
        open0 = ~np.column_stack([spoken[k][g_unit] for k in plan.kinds])
        rows = open0.any(axis=1)
        dims = [d for (code, d) in values.parts if code == plan.code]
        none, total, parts = _read(plan, open0, grid, dims, layout)
        blank[:, c] = rows & (none | np.isnan(total))
        hit[:, c] = rows & ~blank[:, c] & ((total != 0) | ~_none_of(plan, open0, grid))
        add[:, c] = np.where(hit[:, c], total, 0.0)
        for dim, vec in parts.items():
            _add_parts(values, (plan.code, dim), tree, rows & ~none, vec)
    sums, hits = tree.sum(add), tree.sum(hit)
    asked = tree.sum(blank | hit)
    sub = values.totals[:, tree.units]
    sub[hits] = np.nan_to_num(sub[hits]) + sums[hits]  # no data so far is 0 so far
    sub[g_period[:, None], tree.unit[:, None], np.arange(n_c)[None, :]] = np.where(
        blank, np.nan, sub[g_period, tree.unit])
    counted = np.zeros((len(tree.units), n_c), dtype=bool)
    for plan in plans():
        counted[:, values.codes.index(plan.code)] = np.logical_or.reduce(
            [spoken[k][tree.units] for k in plan.kinds])
    additive = np.isin(values.codes, [pl.code for pl in plans()])
    touched = tree.sum(np.ones(len(keys), dtype=bool))
    # Above the forms, a code the forms below count organisations of but none gave is "no
    # data" (unless the data's organisations count it); otherwise a total adds up what was
    # given, as for organisations that did not report.
    sub[touched[:, :, None] & ~counted[None] & asked & ~hits & additive] = np.nan
    values.totals[:, tree.units] = sub
    return add_coverage(values, registry, spoken, p, unit, moved)


def _add_parts(values: Values, key: tuple[str, str], tree: Tree, rows: np.ndarray,
               vec: np.ndarray) -> None:
    """Breakdown vectors of the groups in ``rows`` added into their units and above; a
    category is shown where it is not "no data" and was shown or a form gives it."""
    arr, present = values.parts[key], values.present[key]
    sums = tree.sum(np.where(rows[:, None], vec, 0.0))
    nonzero = tree.sum(rows[:, None] & (vec != 0))
    touched = tree.sum(rows)
    sub, shown = arr[:, tree.units], present[:, tree.units]
    sub = np.where(touched[:, :, None], sub + sums, sub)
    shown = np.where(touched[:, :, None], ~np.isnan(sub) & (shown | nonzero), shown)
    arr[:, tree.units], present[:, tree.units] = sub, shown


def _none_of(plan: Plan, open0: np.ndarray, grid: Grid) -> np.ndarray:
    """[group]: the form says the unit has no organisation the code counts, so its 0 for
    a code read from records says nothing (as a commune without HTX says nothing of their
    members; one without agricultural HTX, of their value chains)."""
    e = indicator(plan.code)
    if e["source"] != "records":
        return np.zeros(grid.n, dtype=bool)
    out = np.zeros(grid.n, dtype=bool)
    scope = scope_counts().get((tuple(e.get("types", ())), tuple(e.get("sectors", ()))))
    if scope is not None:
        out |= grid.col(scope) == 0
    if not e.get("sectors"):
        zero = np.column_stack([grid.col(type_counts().get(k)) == 0 for k in plan.kinds])
        out |= (~open0 | zero).all(axis=1)
    return out


@cache
def scope_counts() -> dict[tuple[tuple[str, ...], tuple[str, ...]], str]:
    """(types, sectors) → the code counting those organisations (``org_count``,
    ``htx_count``, ``htx_agri_count``)."""
    return {(tuple(e.get("types", ())), tuple(e.get("sectors", ()))): e["code"]
            for e in catalog() if e.get("measure") == "count"}


def _open_up(values: Values, given: set[str], touched: np.ndarray) -> None:
    """A code the organisations cannot tell (no THT in the data) but a form gives starts
    from 0 in the units the forms reach, instead of "no data"."""
    for c in [c for c in values.not_provided if values.codes[c] in given]:
        values.not_provided.remove(c)
        values.totals[:, touched, c] = np.nan_to_num(values.totals[:, touched, c])
        for (code, _dim), arr in values.parts.items():
            if code == values.codes[c]:
                arr[:, touched] = np.nan_to_num(arr[:, touched])
