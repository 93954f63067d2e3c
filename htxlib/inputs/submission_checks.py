"""Checks of filled submission forms, as a careful reviewer reads a commune's Biểu.

Each check is a small function over the tidy frame of ``read_forms`` that adds errors or
warnings naming the file, sheet, row (indicator), column (period) and unit. Rules and
thresholds live in submission.yaml (``checks``); docs/validation.md lists every check
with its wording (``python -m htxlib.docs``).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from htxlib import fmt
from htxlib.glossary import (
    BREAKDOWN_ENUM,
    catalog,
    enums,
    growing_codes,
    indicator,
    labels,
    message,
    repealed,
)
from htxlib.inputs.areas import Areas
from htxlib.inputs.digits import transposed
from htxlib.inputs.form_layout import asked
from htxlib.inputs.problems import Problems
from htxlib.inputs.submission import spec


def _rules() -> dict:
    return spec()["checks"]


def _label(code: str) -> str:
    return indicator(code)["label"]


def _unit(code: str) -> str:
    return indicator(code)["unit"]


FORM = ["file", "unit_code", "period"]  # one form's column of values


def _totals(frame: pd.DataFrame) -> pd.DataFrame:
    """The total rows (not "trong đó"), indexed by form and code: checks join on them
    instead of filtering each form, so a province's 3,300 forms are checked at once."""
    t = frame[frame["breakdown"] == ""]
    return t.set_index([*FORM, "code"], drop=False)


def _of(totals: pd.DataFrame, code: str, period: str | None = None) -> pd.DataFrame:
    """The total rows of ``code`` (of one ``period``), indexed by form."""
    rows = totals[totals["code"] == code]
    if period is not None:
        rows = rows[rows["period"] == period]
    return rows.droplevel("code")


class _Found:
    """Problems of one kind, each on the cell of a form's row, collected and recorded in
    one frame (a province's forms may give thousands of warnings)."""

    def __init__(self, problems: Problems, severity: str, code: str) -> None:
        self.problems, self.severity, self.code = problems, severity, code
        self.cells: list[tuple] = []

    def __enter__(self) -> _Found:
        return self

    def add(self, at: pd.Series | dict, **fields) -> None:
        text = message(self.code, file=at["file"], unit=at["unit_name"] or at["unit_code"],
                       label=_label(at["code"]), sheet=at["sheet"], column=at["column"],
                       **fields)
        self.cells.append((at["sheet"], at["row"], at["column"], at["value"], text))

    def __exit__(self, *exc: object) -> None:
        if self.cells:
            sheet, rows, column, values, texts = (list(c) for c in zip(*self.cells, strict=True))
            self.problems.add_rows(self.severity, self.code, sheet, rows, column, values, texts)


def _add(problems: Problems, severity: str, code: str, at: pd.Series, **fields) -> None:
    """One problem on the cell of ``at``, its message naming the form, unit and indicator."""
    with _Found(problems, severity, code) as found:
        found.add(at, **fields)


def _over(a, b):  # floats or arrays
    """``a`` above ``b`` by more than the rounding of a sum of decimals (2.006,2 + 0)."""
    return a - b > 1e-6 * np.maximum(1.0, np.abs(b))


def _differ(a, b):
    return _over(a, b) | _over(b, a)


def stock_codes() -> set[str]:
    """Codes counted at a date (not summed over the year): only these are compared with
    the year before, a part-year flow never is."""
    return {e["code"] for e in catalog() if "measure" in e and not e.get("annualise")
            and e["code"] not in growing_codes()}


def duplicates(frame: pd.DataFrame, problems: Problems) -> None:
    """One form per unit and as-of date: a second file for them is an error."""
    firsts = frame.drop_duplicates(["unit_code", "as_of", "file"])
    again = firsts.duplicated(["unit_code", "as_of"])
    first = firsts[~again].set_index(["unit_code", "as_of"])["file"]
    for _, r in firsts[again].iterrows():
        _add(problems, "error", "submission_duplicate", r, as_of=fmt.date(r["as_of"]),
             first=first[(r["unit_code"], r["as_of"])])


def parts(frame: pd.DataFrame, problems: Problems) -> None:
    """"trong đó" rows by a breakdown: never above their total; equal to it once every
    category is given."""
    split = frame[frame["breakdown"] != ""]
    if split.empty:
        return
    got = split.groupby([*FORM, "code", "breakdown"], sort=False)["value"].agg(["sum", "size"])
    got = got.reset_index("breakdown").join(_totals(frame)[["value"]], how="inner")
    sizes = {d: len([c for c in enums()[BREAKDOWN_ENUM[d]] if not (d == "training"
                                                                    and c == "unknown")])
             for d in set(got["breakdown"])}
    every = got["size"].to_numpy() == got["breakdown"].map(sizes).to_numpy()
    above = _over(got["sum"].to_numpy(), got["value"].to_numpy())
    short = ~above & every & _differ(got["sum"].to_numpy(), got["value"].to_numpy()) & (
        got["breakdown"] != "training").to_numpy()
    totals = _totals(frame)
    groups = split.groupby([*FORM, "code", "breakdown"], sort=False, observed=True).indices
    for flag, code in ((above, "submission_parts_above"), (short, "submission_parts_short")):
        with _Found(problems, "error", code) as found:
            for key, r in got[flag].iterrows():
                rows = split.iloc[groups[(*key, r["breakdown"])]]
                names = [f"{_category(r['breakdown'], c)} (dòng {n})"
                         for c, n in zip(rows["category"], rows["row"], strict=True)]
                found.add(totals.loc[key], parts=fmt.number(r["sum"]),
                          dim=labels()["breakdown"][r["breakdown"]].lower(),
                          total=fmt.number(r["value"]),
                          hint=transposed(list(zip(names, rows["value"], strict=True)),
                                          r["value"]))


def _category(dim: str, category: str) -> str:
    return enums()[BREAKDOWN_ENUM[dim]][category]["label"]


def within(frame: pd.DataFrame, problems: Problems) -> None:
    """A part (operating HTX, key officers…) is never above the figure it is part of."""
    totals = _totals(frame)
    for part, whole in _rules()["within"]:
        whole_value = _of(totals, whole)["value"].rename("value_w")
        both = _of(totals, part).join(whole_value, how="inner")
        with _Found(problems, "error", "submission_within") as found:
            for _, p in both[_over(both["value"], both["value_w"])].iterrows():
                found.add(p, part=_label(part), whole=_label(whole),
                          total=fmt.number(p["value_w"]), value=fmt.number(p["value"]))


def sums(frame: pd.DataFrame, problems: Problems) -> None:
    """THT + HTX + LHHTX = the number of organisations, when all are given."""
    totals = _totals(frame)
    for total_code, codes in _rules()["sums"].items():
        t = _of(totals, total_code)
        given = pd.concat([_of(totals, c)["value"].rename(c) for c in codes], axis=1,
                          join="inner")
        both = t.join(given, how="inner")
        rows = pd.concat([_of(totals, c)["row"].rename(c) for c in codes], axis=1,
                         join="inner")
        got = both[codes].sum(axis=1)
        for key, r in both[_differ(got, both["value"])].iterrows():
            text = " + ".join(f"{fmt.number(r[c])} {_unit(c)}" for c in codes)
            named = [(f"{_label(c)} (dòng {rows.at[key, c]})", r[c]) for c in codes]
            _add(problems, "error", "submission_sum", r, total=fmt.number(r["value"]),
                 parts_text=text, parts=fmt.number(got[key]),
                 hint=transposed(named, r["value"]))


def values(frame: pd.DataFrame, problems: Problems) -> None:
    """Counts are whole and not negative; amounts are not negative but profit."""
    counted = set(_rules()["counted_units"])
    signed = {e["code"] for e in catalog() if "profit" in str(e.get("measure", ""))}
    negative = (frame["value"] < 0) & ~frame["code"].isin(signed)
    units = frame["code"].map({e["code"]: e["unit"] for e in catalog()})
    fraction = ~negative & units.isin(counted) & (frame["value"] % 1 != 0)
    with _Found(problems, "error", "submission_negative") as found:
        for r in frame[negative].to_dict("records"):
            found.add(r)
    with _Found(problems, "error", "submission_fraction") as found:
        for r in frame[fraction].to_dict("records"):
            found.add(r, unit_word=_unit(r["code"]))


def flows(frame: pd.DataFrame, problems: Problems) -> None:
    """The year before's count and the year's flows against the count to date (warning)."""
    totals = _totals(frame).droplevel("period")
    for code, moves in _rules()["flows"].items():
        now = _of(totals, code, "to_date")
        prev = _of(totals, code, "previous")["value"].rename("previous")
        got = [_of(totals, c, "to_date")["value"].rename(k) for k, c in moves.items()]
        both = now.join(pd.concat([prev, *got], axis=1, join="inner"), how="inner")
        expected = both["previous"] + both["new"] - both["dissolved"] - both["converted"]
        off = _differ(expected, both["value"])
        with _Found(problems, "warning", "submission_flows") as found:
            for r, want in zip(both[off].to_dict("records"), expected[off], strict=True):
                found.add(r, previous=fmt.number(r["previous"]),
                          expected=fmt.number(want), value=fmt.number(r["value"]),
                          **{k: fmt.number(r[k]) for k in moves})


def changes(frame: pd.DataFrame, problems: Problems) -> None:
    """A count to date, or the year's estimate of it, that changed on the year before beyond
    the threshold, so a transposed digit is seen; in a six-month form, the count to date
    against the same date of the year before too (like with like)."""
    limit, least = _rules()["change_pct"], _rules()["min_change"]
    totals = _totals(frame)
    totals = totals[totals["code"].isin(stock_codes())].droplevel("period")
    with _Found(problems, "warning", "submission_change") as found:
        for now_periods, base in ((["to_date", "estimate"], "previous"), (["to_date"], "same")):
            now = totals[totals["period"].isin(now_periods)]
            prev = totals.loc[totals["period"] == base, "value"].rename("p")
            both = now.join(prev, how="inner")
            step = (both["value"] - both["p"]).abs()
            pct = step / both["p"].where(both["p"] > 0) * 100
            signed = (both["value"] >= 0) & (both["p"] >= 0)  # a negative count: an error
            for r in both[(step >= least) & (pct > limit) & signed].to_dict("records"):
                found.add(r, change=change_words(r["value"], r["p"]),
                          previous=fmt.number(r["p"]), value=fmt.number(r["value"]),
                          against=message(f"change_against_{base}"))


def change_words(value: float, previous: float) -> str | None:
    """"tăng 60%": a change on the year before beyond the threshold of ``checks`` (as much
    in % and at least as many units), None within it or without a year before."""
    limit, least = _rules()["change_pct"], _rules()["min_change"]
    step = abs(value - previous)
    if not (previous > 0 and value >= 0) or step < least:  # a negative count is an error
        return None
    pct = step / previous * 100
    if pct <= limit:
        return None
    return message("change_up" if value > previous else "change_down",
                   pct=fmt.percent(pct, 0))


def repealed_rows(frame: pd.DataFrame, problems: Problems) -> None:
    """A figure a reform repealed (the HTX rating) given for a period on or after its date:
    the form no longer asks for it, and the report labels it as repealed (warning)."""
    gone = frame["code"].astype(object).map(repealed())
    rows = frame[gone.notna() & frame["as_of"].notna()]
    with _Found(problems, "warning", "submission_repealed") as found:
        for r, when in zip(rows.to_dict("records"), gone[rows.index], strict=True):
            if not asked(r["code"], r["period"], r["as_of"]):
                found.add(r, date=fmt.date(when))


# Every check with the messages it may give, in the order of docs/validation.md.
CHECKS: list[tuple[Callable[[pd.DataFrame, Problems], None], list[str]]] = [
    (duplicates, ["submission_duplicate"]),
    (values, ["submission_negative", "submission_fraction"]),
    (parts, ["submission_parts_above", "submission_parts_short"]),
    (within, ["submission_within"]),
    (sums, ["submission_sum"]),
    (flows, ["submission_flows"]),
    (changes, ["submission_change"]),
    (repealed_rows, ["submission_repealed"])]


def missing_units(frame: pd.DataFrame, areas: Areas, org_units: pd.Series,
                  problems: Problems) -> None:
    """For each as-of date of the forms, the lowest units of the area the data speak of
    (the smallest unit holding every form and organisation) that have no organisation in
    the data and no form: one warning naming them ("Chưa có số liệu của 3 xã: …")."""
    known = set(areas.by_code.index)
    to_date = frame[frame["period"] == "to_date"]
    dates = {when: areas.moved_to(forms["unit_code"].astype(object), pd.Timestamp(when))
             for when, forms in to_date.groupby("as_of")}
    units = [u for u in dict.fromkeys([*(u for s in dates.values() for u in s), *org_units])
             if u in known]
    if not units:
        return
    smallest = areas.smallest_holding(units)
    inside = set(areas.descendants(smallest)) if smallest else known
    for when, sent in dates.items():
        stamp = pd.Timestamp(when)
        held = areas.moved_to(org_units.astype(object), stamp)
        units = [u for u in dict.fromkeys([*sent, *held]) if u in known]
        covered = set(units) | {a for u in units for a in areas.ancestors(u)}
        sending = set(sent)
        lacking = [u for u in areas.leaves(stamp) if u in inside and u not in covered
                   and not sending.intersection(areas.ancestors(u))]
        if lacking:
            problems.add("warning", "submission_missing", sheet=spec()["sheet"],
                         as_of=fmt.date(stamp.date()), n=len(lacking),
                         names=", ".join(areas.display(u) for u in lacking))


def unit_dates(frame: pd.DataFrame, areas: Areas, problems: Problems) -> None:
    """A form dated when its unit did not exist: before the unit was created is an error;
    after it ended, an error too unless the reorganisation gave it a successor, whose
    figures the form then counts for (a warning saying so)."""
    firsts = frame.drop_duplicates(["file", "unit_code", "as_of"])
    firsts = firsts[firsts["unit_code"].isin(areas.by_code.index)]
    if firsts.empty:
        return
    dates = pd.to_datetime(firsts["as_of"])
    starts = pd.to_datetime(firsts["unit_code"].map(areas.by_code["valid_from"]))
    ends = pd.to_datetime(firsts["unit_code"].map(areas.by_code["valid_to"]))
    odd = (dates < starts) | (dates > ends)  # a missing date is no limit
    for f, when, start, end in zip(firsts[odd].to_dict("records"), dates[odd], starts[odd],
                                   ends[odd], strict=True):
        fields = {"sheet": f["sheet"], "values": [f["unit_code"]], "file": f["file"],
                  "unit": areas.display(f["unit_code"]), "as_of": fmt.date(when.date())}
        if pd.notna(start) and when < start:
            problems.add("error", "submission_not_yet", start=fmt.date(start.date()), **fields)
        else:
            new = areas.moved_to(pd.Series([f["unit_code"]], dtype=object), when).iloc[0]
            if new == f["unit_code"]:
                problems.add("error", "submission_gone", end=fmt.date(end.date()), **fields)
            else:
                problems.add("warning", "submission_old_unit", end=fmt.date(end.date()),
                             new=areas.display(new), **fields)


def check_forms(frame: pd.DataFrame, problems: Problems) -> None:
    """Every check, in the order of docs/validation.md."""
    if frame.empty:
        return
    for check, _ in CHECKS:
        check(frame, problems)
