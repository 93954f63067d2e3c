"""Checks of filled submission forms, as a careful reviewer reads a commune's Biểu.

Each check is a small function over the tidy frame of ``read_forms`` that adds errors or
warnings naming the file, sheet, row (indicator), column (period) and unit. Rules and
thresholds live in submission.yaml (``checks``); docs/validation.md lists every check
with its wording (``python -m htxlib.docs``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pandas as pd

from htxlib import fmt
from htxlib.glossary import BREAKDOWN_ENUM, catalog, enums, growing_codes, indicator, labels
from htxlib.inputs.areas import Areas
from htxlib.inputs.problems import Problems
from htxlib.inputs.submission import spec

Form = pd.DataFrame  # the rows of one file, unit and period


def _rules() -> dict:
    return spec()["checks"]


def _label(code: str) -> str:
    return indicator(code)["label"]


def _unit(code: str) -> str:
    return indicator(code)["unit"]


def _forms(frame: pd.DataFrame) -> Iterator[Form]:
    for _, form in frame.groupby(["file", "unit_code", "period"], sort=False):
        yield form


def _total(form: Form, code: str) -> pd.Series | None:
    rows = form[(form["code"] == code) & (form["breakdown"] == "")]
    return rows.iloc[0] if len(rows) else None


def _add(problems: Problems, severity: str, code: str, at: pd.Series, **fields) -> None:
    """A problem on the cell of ``at``, its message naming the form, unit and indicator."""
    problems.add(severity, code, sheet=at["sheet"], rows=[at["row"]], column=at["column"],
                 values=[at["value"]], file=at["file"], unit=at["unit_name"] or at["unit_code"],
                 label=_label(at["code"]), **fields)


def _over(a: float, b: float) -> bool:
    """``a`` above ``b`` by more than the rounding of a sum of decimals (2.006,2 + 0)."""
    return a - b > 1e-6 * max(1.0, abs(b))


def _differ(a: float, b: float) -> bool:
    return _over(a, b) or _over(b, a)


def _stocks() -> set[str]:
    """Codes counted at a date (not summed over the year): only these are compared with
    the year before, a part-year flow never is."""
    return {e["code"] for e in catalog() if "measure" in e and not e.get("annualise")
            and e["code"] not in growing_codes()}


def duplicates(frame: pd.DataFrame, problems: Problems) -> None:
    """One form per unit and as-of date: a second file for them is an error."""
    firsts = frame.drop_duplicates(["unit_code", "as_of", "file"])
    seen: dict[tuple, str] = {}
    for _, r in firsts.iterrows():
        key = (r["unit_code"], r["as_of"])
        if key in seen:
            _add(problems, "error", "submission_duplicate", r, as_of=fmt.date(r["as_of"]),
                 first=seen[key])
        else:
            seen[key] = r["file"]


def parts(frame: pd.DataFrame, problems: Problems) -> None:
    """"trong đó" rows by a breakdown: never above their total; equal to it once every
    category is given."""
    for form in _forms(frame):
        split = form[form["breakdown"] != ""]
        for (code, dim), rows in split.groupby(["code", "breakdown"], sort=False):
            total = _total(form, code)
            if total is None:
                continue
            got, word = rows["value"].sum(), labels()["breakdown"][dim].lower()
            every = len(rows) == len([c for c in enums()[BREAKDOWN_ENUM[dim]]
                                      if not (dim == "training" and c == "unknown")])
            if _over(got, total["value"]):
                _add(problems, "error", "submission_parts_above", total, dim=word,
                     parts=fmt.number(got), total=fmt.number(total["value"]))
            elif every and _differ(got, total["value"]) and dim != "training":
                _add(problems, "error", "submission_parts_short", total, dim=word,
                     parts=fmt.number(got), total=fmt.number(total["value"]))


def within(frame: pd.DataFrame, problems: Problems) -> None:
    """A part (operating HTX, key officers…) is never above the figure it is part of."""
    for form in _forms(frame):
        for part, whole in _rules()["within"]:
            p, w = _total(form, part), _total(form, whole)
            if p is not None and w is not None and _over(p["value"], w["value"]):
                _add(problems, "error", "submission_within", p, part=_label(part),
                     whole=_label(whole), total=fmt.number(w["value"]),
                     value=fmt.number(p["value"]))


def sums(frame: pd.DataFrame, problems: Problems) -> None:
    """THT + HTX + LHHTX = the number of organisations, when all are given."""
    for form in _forms(frame):
        for total_code, codes in _rules()["sums"].items():
            t, ps = _total(form, total_code), [_total(form, c) for c in codes]
            if t is None or any(p is None for p in ps):
                continue
            got = sum(p["value"] for p in ps)
            if _differ(got, t["value"]):
                text = " + ".join(f"{fmt.number(p['value'])} {_unit(c)}"
                                  for p, c in zip(ps, codes, strict=True))
                _add(problems, "error", "submission_sum", t, total=fmt.number(t["value"]),
                     parts_text=text, parts=fmt.number(got))


def values(frame: pd.DataFrame, problems: Problems) -> None:
    """Counts are whole and not negative; amounts are not negative but profit."""
    counted = set(_rules()["counted_units"])
    signed = {e["code"] for e in catalog() if "profit" in str(e.get("measure", ""))}
    for _, r in frame.iterrows():
        unit = _unit(r["code"])
        if r["value"] < 0 and r["code"] not in signed:
            _add(problems, "error", "submission_negative", r)
        elif unit in counted and not float(r["value"]).is_integer():
            _add(problems, "error", "submission_fraction", r, unit_word=unit)


def flows(frame: pd.DataFrame, problems: Problems) -> None:
    """The year before's count and the year's flows against the count to date (warning)."""
    for (_file, _unit_code), form in frame.groupby(["file", "unit_code"], sort=False):
        for code, moves in _rules()["flows"].items():
            prev = _total(form[form["period"] == "previous"], code)
            now = _total(form[form["period"] == "to_date"], code)
            got = {k: _total(form[form["period"] == "to_date"], c) for k, c in moves.items()}
            if prev is None or now is None or any(v is None for v in got.values()):
                continue
            expected = (prev["value"] + got["new"]["value"] - got["dissolved"]["value"]
                        - got["converted"]["value"])
            if _differ(expected, now["value"]):
                _add(problems, "warning", "submission_flows", now,
                     previous=fmt.number(prev["value"]), expected=fmt.number(expected),
                     value=fmt.number(now["value"]),
                     **{k: fmt.number(v["value"]) for k, v in got.items()})


def changes(frame: pd.DataFrame, problems: Problems) -> None:
    """A change on the year before beyond the threshold, so a transposed digit is seen."""
    limit, least = _rules()["change_pct"], _rules()["min_change"]
    for (_file, _unit_code), form in frame.groupby(["file", "unit_code"], sort=False):
        before = form[(form["period"] == "previous") & (form["breakdown"] == "")]
        now = form[(form["period"] == "to_date") & (form["breakdown"] == "")]
        prev = dict(zip(before["code"], before["value"], strict=True))
        for _, r in now[now["code"].isin(_stocks())].iterrows():
            p = prev.get(r["code"])
            if not p or abs(r["value"] - p) < least or abs(r["value"] - p) / p * 100 <= limit:
                continue
            word = "tăng" if r["value"] > p else "giảm"
            change = f"{word} {fmt.percent(abs(r['value'] - p) / p * 100, 0)}"
            _add(problems, "warning", "submission_change", r, change=change,
                 previous=fmt.number(p), value=fmt.number(r["value"]))


# Every check with the messages it may give, in the order of docs/validation.md.
CHECKS: list[tuple[Callable[[pd.DataFrame, Problems], None], list[str]]] = [
    (duplicates, ["submission_duplicate"]),
    (values, ["submission_negative", "submission_fraction"]),
    (parts, ["submission_parts_above", "submission_parts_short"]),
    (within, ["submission_within"]),
    (sums, ["submission_sum"]),
    (flows, ["submission_flows"]),
    (changes, ["submission_change"])]


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
    chains = [[*areas.ancestors(u)[::-1], u] for u in units]
    common = chains[0]
    for chain in chains[1:]:
        common = [a for a, b in zip(common, chain, strict=False) if a == b]
    inside = set(areas.descendants(common[-1])) if common else known
    for when, sent in dates.items():
        stamp = pd.Timestamp(when)
        held = areas.moved_to(org_units.astype(object), stamp)
        units = [u for u in dict.fromkeys([*sent, *held]) if u in known]
        covered = set(units) | {a for u in units for a in areas.ancestors(u)}
        lacking = [u for u in areas.leaves(stamp) if u in inside and u not in covered
                   and not (set(areas.ancestors(u)) & set(sent))]
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
    for _, f in firsts.iterrows():
        when = pd.Timestamp(f["as_of"])
        start, end = areas.by_code.at[f["unit_code"], "valid_from"], areas.by_code.at[
            f["unit_code"], "valid_to"]
        fields = {"sheet": f["sheet"], "values": [f["unit_code"]], "file": f["file"],
                  "unit": areas.display(f["unit_code"]), "as_of": fmt.date(when.date())}
        if pd.notna(start) and when < start:
            problems.add("error", "submission_not_yet", start=fmt.date(start.date()), **fields)
        elif pd.notna(end) and when > end:
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
