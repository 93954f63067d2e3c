"""Rules across rows and sheets. Errors block a run; warnings are reported and kept.

Cell-level problems (unreadable numbers, dates, enumerations, empty required cells)
are found by ``clean``; this module checks what needs several cells or sheets.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from htxlib.glossary import (
    BREAKDOWN_ENUM,
    breakdown_category,
    catalog,
    enum_label,
    enums,
    indicator,
    message,
    norm_key,
    repealed,
    sheets,
)
from htxlib.inputs.clean import ROW, Dataset
from htxlib.inputs.digits import transposed
from htxlib.inputs.problems import Problems

ENDED = ("dissolved_voluntary", "dissolved_forced", "converted")
NEEDS_DATE = ("stopped", *ENDED)
MIN_MEMBERS = {"HTX": 5, "LHHTX": 3}
RATING_REPEALED = pd.Timestamp("2025-09-18")
# (part, total, org types or None for all): a part larger than its total is suspicious.
PART_RULES = [("regular_workers_members", "members", None),
              ("regular_workers_members", "regular_workers", None),
              ("regular_workers", "members", ("HTX",)),
              ("key_officers", "managers", None),
              ("revenue_from_members", "revenue", None)]
TRAINING = [f"managers_{lvl}" for lvl in enums()["training_level"] if lvl != "unknown"]


def _header(sheet: str, col: str) -> str:
    return sheets()[sheet].by_name[col].header


def duplicates(frame: pd.DataFrame, keys: list[str], sheet: str, problems: Problems) -> None:
    """Every row whose key repeats an earlier row's is an error naming that first row."""
    if frame.empty:
        return
    sub = frame[keys + [ROW]].dropna(subset=keys)
    dup = sub.duplicated(keys, keep="first")
    if not dup.any():
        return
    first = sub.groupby(keys, sort=False)[ROW].transform("first")
    spec = sheets()[sheet]
    key_text = " + ".join(f"“{spec.by_name[k].header}”" for k in keys)
    problems.add_rows("error", "duplicate_key", spec.title, sub.loc[dup, ROW],
                      spec.by_name[keys[0]].header, sub.loc[dup, keys[0]],
                      [message("duplicate_key", key=key_text, first=int(f)) for f in first[dup]])


def identical(frame: pd.DataFrame, sheet: str, problems: Problems) -> None:
    """A row equal to an earlier one in every cell (a sheet without a key, as Hỗ trợ): typed
    twice, it would count twice. A warning naming both rows."""
    spec = sheets()[sheet]
    cols = [c.name for c in spec.columns if c.name in frame.columns]
    if frame.empty or not cols:
        return
    dup = frame.duplicated(cols, keep="first").to_numpy()
    if not dup.any():
        return
    first = frame.groupby(cols, dropna=False, sort=False, observed=True)[ROW].transform("first")
    problems.add_rows("warning", "same_row", spec.title, frame.loc[dup, ROW],
                      spec.by_name[cols[0]].header, frame.loc[dup, cols[0]],
                      [message("same_row", first=int(f)) for f in first[dup]])


def validate(ds: Dataset, problems: Problems) -> None:
    _organisations(ds.organisations, problems)
    _records(ds, problems)
    _support(ds.support, ds.organisations, problems)
    _targets(ds.targets, problems)
    _estimates(ds.estimates, problems)
    duplicates(ds.crosswalk, ["old_code"], "crosswalk", problems)


def _organisations(orgs: pd.DataFrame, problems: Problems) -> None:
    title = sheets()["organisations"].title
    duplicates(orgs, ["org_id"], "organisations", problems)
    missing = orgs["status"].isin(NEEDS_DATE) & orgs["status_date"].isna()
    for status, group in orgs[missing].groupby("status"):
        problems.add("error", "status_date_missing", sheet=title,
                     column=_header("organisations", "status_date"), rows=group[ROW],
                     status=enum_label("status", status))
    early = orgs["status_date"] < orgs["founded"]
    problems.add_rows("error", "status_before_founded", title, orgs.loc[early, ROW],
                      _header("organisations", "status_date"), orgs.loc[early, "status_date"],
                      [message("status_before_founded", status_date=_d(s), founded=_d(f))
                       for s, f in zip(orgs.loc[early, "status_date"], orgs.loc[early, "founded"],
                                       strict=True)])


def _d(value: pd.Timestamp) -> str:
    return f"{value.day}/{value.month}/{value.year}"


def _records(ds: Dataset, problems: Problems) -> None:
    recs, orgs = ds.records, ds.organisations
    title, h = sheets()["records"].title, lambda c: _header("records", c)
    if recs.empty:
        return
    known = orgs.drop_duplicates("org_id").set_index("org_id")
    unknown = ~recs["org_id"].isin(known.index) & recs["org_id"].notna()
    problems.add_rows("error", "unknown_org", title, recs.loc[unknown, ROW], h("org_id"),
                      recs.loc[unknown, "org_id"],
                      [message("unknown_org", sheet=sheets()["organisations"].title)]
                      * int(unknown.sum()))
    duplicates(recs, ["org_id", "ref_date", "record_kind"], "records", problems)
    at = pd.Index(known.index.astype(object)).get_indexer(recs["org_id"].astype(object))
    r = recs.assign(**{col: _take(known[col], at)
                       for col in ("org_type", "founded", "status", "status_date")})
    early = r["ref_date"] < r["founded"]
    problems.add_rows("error", "record_before_founded", title, r.loc[early, ROW], h("ref_date"),
                      r.loc[early, "ref_date"],
                      [message("record_before_founded", founded=_d(f))
                       for f in r.loc[early, "founded"]])
    late = r["status"].isin(ENDED) & (r["ref_date"].dt.year > r["status_date"].dt.year)
    problems.add_rows("warning", "record_after_end", title, r.loc[late, ROW], h("ref_date"),
                      r.loc[late, "ref_date"],
                      [message("record_after_end", status=enum_label("status", s).lower(),
                               status_date=_d(d))
                       for s, d in zip(r.loc[late, "status"], r.loc[late, "status_date"],
                                       strict=True)])
    no_unit = r["avg_income"].notna() & r["income_unit"].isna()
    problems.add("error", "income_unit_missing", sheet=title, column=h("income_unit"),
                 rows=r.loc[no_unit, ROW], values=r.loc[no_unit, "avg_income"])
    stars = r["ocop_stars"].notna() & (r["ocop_stars"] > 0) & ~r["ocop_stars"].between(3, 5)
    problems.add("error", "ocop_stars", sheet=title, column=h("ocop_stars"),
                 rows=r.loc[stars, ROW], values=r.loc[stars, "ocop_stars"])
    _record_warnings(r, problems, lambda cols: ds.refused("records", cols))


def _take(column: pd.Series, at: np.ndarray) -> pd.Series:
    """column[at] by position, missing where ``at`` is -1 (a record of an unknown org)."""
    if not len(column):  # keeps the dtype (dates stay dates)
        return column.reset_index(drop=True).reindex(range(len(at)))
    taken = column.iloc[np.maximum(at, 0)].reset_index(drop=True)
    return taken.where(pd.Series(at >= 0))


def _record_warnings(r: pd.DataFrame, problems: Problems,
                     refused: Callable[[list[str]], np.ndarray]) -> None:
    """Warnings across the columns of a record; a row where one of the columns compared held
    a refused value (already an error on that cell) is not compared."""
    title, h = sheets()["records"].title, lambda c: _header("records", c)
    for part, total, types in PART_RULES:
        mask = (r[part] > r[total]) & ~refused([part, total])
        if types:
            mask &= r["org_type"].isin(types)
        problems.add_rows("warning", "part_above_total", title, r.loc[mask, ROW], h(part),
                          r.loc[mask, part],
                          [message("part_above_total", part_name=h(part), part=_n(p),
                                   total_name=h(total), total=_n(t))
                           for p, t in zip(r.loc[mask, part], r.loc[mask, total], strict=True)])
    for parts, total in ((TRAINING, "managers"), (["official_members", "associate_members"],
                                                  "members")):
        given = r[parts].notna().any(axis=1) & r[total].notna()
        sums = r[parts].sum(axis=1, min_count=1)
        mask = given & (sums != r[total]) & ~refused([*parts, total])
        names = ", ".join(h(p) for p in parts)
        problems.add_rows("warning", "parts_sum", title, r.loc[mask, ROW], h(total),
                          r.loc[mask, total],
                          [message("parts_sum", parts=names, part=_n(s), total_name=h(total),
                                   total=_n(t), hint=transposed(
                                       [(h(p), v) for p, v in zip(parts, row, strict=True)
                                        if v == v], t))
                           for s, t, row in zip(sums[mask], r.loc[mask, total],
                                                r.loc[mask, parts].to_numpy(), strict=True)])
    _new_members(r, problems, refused)
    dated = r[r["ref_date"].notna() & r["org_id"].notna()]
    latest = dated.loc[dated.groupby("org_id", observed=True)["ref_date"].idxmax(),
                       ["org_type", "members", "official_members", ROW]]
    for org_type, minimum in MIN_MEMBERS.items():
        members = latest["official_members"].fillna(latest["members"])
        few = (latest["org_type"] == org_type) & (members < minimum)
        code = "few_members" if org_type == "HTX" else "few_lhhtx_members"
        problems.add_rows("warning", code, title, latest.loc[few, ROW], h("members"),
                          members[few], [message(code, members=_n(m), minimum=minimum)
                                         for m in members[few]])
    rated = r["rating"].notna() & (r["rating"] != "not_rated")
    young = rated & ((r["ref_date"] - r["founded"]) < pd.Timedelta(days=365))
    problems.add_rows("warning", "rating_too_young", title, r.loc[young, ROW], h("rating"),
                      r.loc[young, "rating"].map(lambda v: enum_label("rating", v)),
                      [message("rating_too_young", founded=_d(f))
                       for f in r.loc[young, "founded"]])
    repealed = rated & (r["ref_date"] >= RATING_REPEALED)
    problems.add("warning", "rating_repealed", sheet=title, column=h("rating"),
                 rows=r.loc[repealed, ROW])


def _new_members(r: pd.DataFrame, problems: Problems,
                 refused: Callable[[list[str]], np.ndarray]) -> None:
    """New members of the year fewer than the rise in members since the organisation's
    full year before: one of the two figures is wrong (members who left only widen it)."""
    title, h = sheets()["records"].title, lambda c: _header("records", c)
    ok = r["org_id"].notna() & r["ref_date"].notna() & ~refused(["members", "new_members"])
    base = r[ok & (r["record_kind"] == "full_year")]
    base = base.assign(year=base["ref_date"].dt.year + 1).drop_duplicates(["org_id", "year"])
    now = r[ok & r["new_members"].notna() & r["members"].notna()]
    both = now.assign(year=now["ref_date"].dt.year).merge(
        base[["org_id", "year", "members", "ref_date"]], on=["org_id", "year"],
        suffixes=("", "_before"))
    rise = both["members"] - both["members_before"]
    bad = both[rise > both["new_members"]]
    problems.add_rows("warning", "new_members_below_rise", title, bad[ROW], h("new_members"),
                      bad["new_members"],
                      [message("new_members_below_rise", new=_n(n), before=_n(b), now=_n(m),
                               rise=_n(m - b), date=_d(d))
                       for n, b, m, d in zip(bad["new_members"], bad["members_before"],
                                             bad["members"], bad["ref_date_before"],
                                             strict=True)])


def _n(value: float) -> str:
    return f"{value:,.0f}".replace(",", ".") if float(value).is_integer() else str(value)


def _support(sup: pd.DataFrame, orgs: pd.DataFrame, problems: Problems) -> None:
    if sup.empty:
        return
    title = sheets()["support"].title
    identical(sup, "support", problems)
    neither = sup["org_id"].isna() & sup["area"].isna()
    problems.add("error", "support_target_missing", sheet=title,
                 column=_header("support", "org_id"), rows=sup.loc[neither, ROW])
    unknown = sup["org_id"].notna() & ~sup["org_id"].isin(orgs["org_id"])
    problems.add_rows("error", "unknown_org", title, sup.loc[unknown, ROW],
                      _header("support", "org_id"), sup.loc[unknown, "org_id"],
                      [message("unknown_org", sheet=sheets()["organisations"].title)]
                      * int(unknown.sum()))


def _estimates(est: pd.DataFrame, problems: Problems) -> None:
    """Office estimates: an additive code of the catalogue, once per area, year and
    breakdown; a part names a breakdown of its code and comes with its total."""
    if est.empty:
        return
    title, h = sheets()["estimates"].title, lambda c: _header("estimates", c)
    part = est["breakdown"].astype(object).fillna("").map(norm_key)
    duplicates(est.assign(breakdown=part), ["area", "year", "indicator", "breakdown"],
               "estimates", problems)
    kinds = {e["code"]: "measure" in e for e in catalog()}
    unknown = est["indicator"].notna() & ~est["indicator"].isin(kinds)
    problems.add("error", "unknown_indicator", sheet=title, column=h("indicator"),
                 rows=est.loc[unknown, ROW], values=est.loc[unknown, "indicator"])
    ratio = est["indicator"].map(lambda c: kinds.get(c) is False)
    problems.add("error", "estimate_ratio", sheet=title, column=h("indicator"),
                 rows=est.loc[ratio, ROW], values=est.loc[ratio, "indicator"])
    additive = est["indicator"].astype(object).map(lambda c: kinds.get(c) is True)
    parts = est[(part != "").to_numpy(dtype=bool) & additive.to_numpy(dtype=bool)]
    named = parts.apply(lambda r: breakdown_category(r["indicator"], r["breakdown"]), axis=1)
    bad = parts[named.isna()] if len(parts) else parts
    problems.add_rows("error", "estimate_breakdown", title, bad[ROW], h("breakdown"),
                      bad["breakdown"], [_breakdown_words(c) for c in bad["indicator"]])
    parts = parts[named.notna()] if len(parts) else parts
    totals = set(zip(est.loc[part == "", "area"].map(norm_key), est.loc[part == "", "year"],
                     est.loc[part == "", "indicator"], strict=True))
    alone = parts[np.array([(norm_key(a), y, c) not in totals for a, y, c in zip(
        parts["area"], parts["year"], parts["indicator"], strict=True)], dtype=bool)]
    problems.add("warning", "estimate_part_only", sheet=title, column=h("breakdown"),
                 rows=alone[ROW], values=alone["breakdown"])


def _breakdown_words(code: str) -> str:
    """Why a part is refused: the categories ``code`` is broken down by, or that it is not."""
    entry = indicator(code)
    labels = [spec["label"] for dim in entry.get("breakdowns", []) if dim in BREAKDOWN_ENUM
              for spec in enums()[BREAKDOWN_ENUM[dim]].values()]
    if not labels:
        return message("estimate_no_breakdown", code=code)
    return message("estimate_breakdown", code=code, expected=", ".join(f"“{x}”" for x in labels))


def _targets(tgt: pd.DataFrame, problems: Problems) -> None:
    if tgt.empty:
        return
    title, h = sheets()["targets"].title, lambda c: _header("targets", c)
    duplicates(tgt, ["area", "period", "indicator"], "targets", problems)
    units = {e["code"]: e["unit"] for e in catalog()}
    unknown = tgt["indicator"].notna() & ~tgt["indicator"].isin(units)
    problems.add("error", "unknown_indicator", sheet=title, column=h("indicator"),
                 rows=tgt.loc[unknown, ROW], values=tgt.loc[unknown, "indicator"])
    expected = tgt["indicator"].astype(object).map(units)
    wrong = expected.notna() & tgt["unit"].notna() & (
        tgt["unit"].astype(object).map(lambda u: norm_key(u) if isinstance(u, str) else u)
        != expected.map(lambda u: norm_key(u) if isinstance(u, str) else u))
    problems.add_rows("error", "bad_unit", title, tgt.loc[wrong, ROW], h("unit"),
                      tgt.loc[wrong, "unit"],
                      [message("bad_unit", code=c, expected=e)
                       for c, e in zip(tgt.loc[wrong, "indicator"], expected[wrong], strict=True)])
    empty = tgt["target_min"].isna() & tgt["target_max"].isna()
    problems.add("error", "target_empty", sheet=title, column=h("target_min"),
                 rows=tgt.loc[empty, ROW])
    _repealed_targets(tgt, problems)
    flipped = tgt["target_min"] > tgt["target_max"]
    problems.add("error", "target_range", sheet=title, column=h("target_min"),
                 rows=tgt.loc[flipped, ROW], values=tgt.loc[flipped, "target_min"])


def _repealed_targets(tgt: pd.DataFrame, problems: Problems) -> None:
    """A target set on a figure a reform repealed, for a year that begins after it (a
    2025 target was set while the rating applied: plan 151 has one)."""
    gone = tgt["indicator"].astype(object).map(repealed())
    year = pd.to_numeric(tgt["period"].astype(object), errors="coerce")
    late = gone.notna() & (pd.to_datetime(year.astype("Int64").astype(str) + "-01-01",
                                           errors="coerce") > pd.to_datetime(gone))
    rows = tgt[late]
    problems.add_rows("warning", "target_repealed", sheets()["targets"].title, rows[ROW],
                      _header("targets", "indicator"), rows["indicator"],
                      [message("target_repealed", label=indicator(c)["label"], year=int(y),
                               date=_d(pd.Timestamp(d)))
                       for c, y, d in zip(rows["indicator"], year[late], gone[late],
                                          strict=True)])
