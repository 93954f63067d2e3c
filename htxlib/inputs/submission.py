"""The submission form ("Biểu") a unit sends up: its rows, and reading filled forms back.

Rows are the additive codes of the catalogue in catalogue order, with "trong đó" rows by
the breakdowns of ``submission.yaml``. A filled form, or its long CSV, reads into one tidy
frame (``SUBMISSION_COLUMNS``) with the file, sheet, row and column of every value, so
checks can point at the cell. Workbooks are read with python-calamine: a form is small,
but a province reads a few hundred of them, and calamine opens an .xlsx several times
faster than openpyxl.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from python_calamine import CalamineError, CalamineWorkbook

from htxlib import fmt
from htxlib.glossary import (
    BREAKDOWN_ENUM,
    catalog,
    enums,
    indicator,
    message,
    norm_key,
    resource,
)
from htxlib.inputs.parse import MISSING, parse_date, parse_number
from htxlib.inputs.problems import InputError, Problems

SUBMISSION_COLUMNS = ["file", "unit_name", "unit_code", "as_of", "period", "code", "breakdown",
                      "category", "value", "sheet", "row", "column"]


@dataclass(frozen=True)
class FormRow:
    code: str
    label: str
    unit: str
    breakdown: str = ""  # "", or the dimension of a "trong đó" row
    category: str = ""  # its category code


def spec() -> dict[str, Any]:
    return resource("submission.yaml")


def form_rows() -> list[FormRow]:
    """Every row of the form, in order: a code, then its "trong đó" rows."""
    words = spec()
    rows = []
    for e in catalog():
        if "measure" not in e or e["code"] in words["skip"]:
            continue
        rows.append(FormRow(e["code"], e["label"], e["unit"]))
        dim = words["sub_rows"].get(e["code"])
        for cat, c in enums()[BREAKDOWN_ENUM[dim]].items() if dim else ():
            if dim == "training" and cat == "unknown":
                continue  # the managers whose level is not known: the total minus the rest
            rows.append(FormRow(e["code"], words["in_that"].format(label=c["label"]),
                                e["unit"], dim, cat))
    return rows


def period_headers(n: int, as_of: dt.date | None) -> list[str]:
    """Column headers of the periods for year N ("Thực hiện đến ngày 30/6/2025")."""
    when = fmt.date(as_of) if as_of else "…"
    return [p["header"].format(n=n, n_1=n - 1, n1=n + 1, as_of=when) for p in spec()["periods"]]


@dataclass
class FormValues:
    """What one .xlsx form holds, as arrays (cheap to send between processes and to keep
    in the cache of ``form_files``): each value's form row (its position in
    ``form_rows()``), sheet row, period (position in the form's periods) and value, with
    the problems found reading it, as rows of the problem table."""

    file: str
    unit_name: str
    unit_code: str
    as_of: dt.date | None
    heads: list[str]  # the period columns' headers, as typed
    form_row: np.ndarray  # int32
    sheet_row: np.ndarray  # int32
    period: np.ndarray  # int8
    value: np.ndarray  # float64
    problems: list[tuple] = field(default_factory=list)  # (severity, code, sheet, row, ...)


def read_forms(paths: list[Path], problems: Problems) -> pd.DataFrame:
    """Every value of the given forms (.xlsx) and long CSVs, as one tidy frame."""
    return forms_frame([read_xlsx(p) for p in paths if p.suffix.lower() != ".csv"],
                       [p for p in paths if p.suffix.lower() == ".csv"], problems)


def forms_frame(reads: list[FormValues], csvs: list[Path], problems: Problems) -> pd.DataFrame:
    """The tidy frame of forms already read (their problems recorded now) and long CSVs."""
    problems.add_records([x for read in reads for x in read.problems])
    frames = [f for f in (_frame(reads), *(_read_csv(p, problems) for p in csvs)) if len(f)]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in SUBMISSION_COLUMNS})
    return pd.concat(frames, ignore_index=True)[SUBMISSION_COLUMNS]


def _frame(reads: list[FormValues]) -> pd.DataFrame:
    """The values of many forms as SUBMISSION_COLUMNS, built column by column: a form's
    own fields repeated over its values, each row's code and part from its form row. Text
    columns are categorical: a province's forms repeat a few thousand words a million
    times, and the checks compare and group by them."""
    sizes = np.array([len(r.value) for r in reads], dtype=np.int64)
    form = np.repeat(np.arange(len(reads)), sizes)
    rows = form_rows()
    at = np.concatenate([r.form_row for r in reads]) if reads else np.array([], np.int32)
    period = np.concatenate([r.period for r in reads]) if reads else np.array([], np.int8)
    names = [p["name"] for p in spec()["periods"]]
    column = np.repeat(np.arange(len(reads)) * len(names), sizes) + period
    return pd.DataFrame({
        "file": _coded([r.file for r in reads], form),
        "unit_name": _coded([r.unit_name for r in reads], form),
        "unit_code": _coded([r.unit_code for r in reads], form),
        "as_of": np.array([r.as_of for r in reads], dtype=object)[form],
        "period": _coded(names, period),
        "code": _coded([r.code for r in rows], at),
        "breakdown": _coded([r.breakdown for r in rows], at),
        "category": _coded([r.category for r in rows], at),
        "value": np.concatenate([r.value for r in reads]) if reads else np.array([], float),
        "sheet": _coded([spec()["sheet"]], np.zeros(len(form), dtype=np.int64)),
        "row": np.concatenate([r.sheet_row for r in reads]).astype(np.int64) if reads
        else np.array([], np.int64),
        "column": _coded([h for r in reads for h in r.heads], column)})


def _coded(labels: list[str], at: np.ndarray) -> pd.Categorical:
    """``labels[at]`` as a categorical column, without building the million strings."""
    codes, uniques = pd.factorize(pd.Index(labels, dtype=object))
    return pd.Categorical.from_codes(codes[at], categories=uniques)


def read_xlsx(path: Path) -> FormValues:
    """The values of one .xlsx form and the problems found reading it (a pure function of
    the file, so its result can be cached and computed in another process)."""
    words = spec()
    try:
        book = CalamineWorkbook.from_path(str(path))
        cells = book.get_sheet_by_name(words["sheet"]).to_python(skip_empty_area=False)
    except (CalamineError, OSError, ValueError) as exc:
        raise InputError(message("submission_unreadable", file=path.name,
                                 sheet=words["sheet"], reason=str(exc))) from None

    def at(r: int, c: int) -> Any:
        """The cell of 1-based row ``r`` and 0-based column ``c``; "" beyond the sheet."""
        return cells[r - 1][c] if r - 1 < len(cells) and c < len(cells[r - 1]) else ""

    found = Problems()
    fields = {f["name"]: at(f["row"], 2) for f in words["fields"]}
    as_of = _as_of(fields["as_of"], path.name, words["sheet"], words["fields"], found)
    n_fixed = len(words["columns"])
    n_periods = len(words["periods"])
    heads = [str(at(words["header_row"], n_fixed + k)) for k in range(n_periods)]
    if as_of is not None:
        _check_heads(heads, as_of, path.name, found)
    out_row, out_sheet_row, out_period, out_value = [], [], [], []
    for r, line in enumerate(cells[words["header_row"]:], start=words["header_row"] + 1):
        code = str(line[0]).strip() if line else ""
        if not code:
            continue
        k_row = _position(code, str(line[1]) if len(line) > 1 else "")
        if k_row is None:
            found.add("error", _unknown(code, "submission_unknown_code"),
                      sheet=words["sheet"], rows=[r], column=words["columns"][0]["header"],
                      values=[code], file=path.name)
            continue
        for k, raw in enumerate(line[n_fixed:n_fixed + n_periods]):
            if raw == "" or raw is None:
                continue
            value = float(raw) if type(raw) in (int, float) else _number(raw)
            if value is None or value != value:
                found.add("error", "submission_not_number", sheet=words["sheet"], rows=[r],
                          column=heads[k], values=[raw], file=path.name)
                continue
            out_row.append(k_row)
            out_sheet_row.append(r)
            out_period.append(k)
            out_value.append(value)
    problems = found.records()
    return FormValues(path.name, str(fields["unit_name"]).strip(), _code(fields["unit_code"]),
                      as_of, heads, np.array(out_row, np.int32),
                      np.array(out_sheet_row, np.int32), np.array(out_period, np.int8),
                      np.array(out_value, np.float64), problems)


@cache
def _position(code: str, part: str) -> int | None:
    """The position in ``form_rows()`` of the row of a code and its "trong đó" text as
    typed (None: the form has no such row)."""
    row = _row(code, part)
    return None if row is None else form_rows().index(row)


def _unknown(code: str, otherwise: str) -> str:
    """The message for a row the form does not have: an average or share is derived, never
    typed; anything else is not a code of the form (or not a part of it)."""
    e = indicator(code.strip())
    return "submission_ratio_code" if e is not None and "ratio" in e else otherwise


def _check_heads(heads: list[str], as_of: dt.date, file: str, problems: Problems) -> None:
    """Each period column must be the one of the form's as-of date: a form copied from
    another year, or with its columns moved, would put its figures in the wrong period."""
    words = spec()
    n_fixed = len(words["columns"])
    for k, (head, want) in enumerate(zip(heads, period_headers(as_of.year, as_of),
                                         strict=True)):
        if norm_key(head) != norm_key(want):
            problems.add("error", "submission_period", sheet=words["sheet"],
                         rows=[words["header_row"]], column=_letter(n_fixed + k),
                         values=[head], file=file, head=head, expected=want,
                         as_of=fmt.date(as_of))


def _letter(c: int) -> str:
    """The spreadsheet letter of 0-based column ``c`` (A, B, … Z, AA)."""
    out = ""
    c += 1
    while c:
        c, r = divmod(c - 1, 26)
        out = chr(65 + r) + out
    return out


@cache
def _rows() -> dict[tuple[str, str], FormRow]:
    """(code, normalised part) → row; a part is its category's label, with or without the
    form's "trong đó:"."""
    out = {}
    for r in form_rows():
        if not r.breakdown:
            out[(r.code, "")] = r
            continue
        label = enums()[BREAKDOWN_ENUM[r.breakdown]][r.category]["label"]
        for text in (label, r.label, r.category):
            out[(r.code, norm_key(text))] = r
    return out


@cache
def _row(code: str, part: str) -> FormRow | None:
    """The form row of a code and its "trong đó" text as typed (cached: every form has the
    same few hundred)."""
    return _rows().get((code.strip(), norm_key(part) if part and part.strip() else ""))


def _number(raw: Any) -> float | None:
    value = parse_number(raw)
    return None if value is MISSING or math.isnan(value) else value


def _code(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return str(raw).strip()


def _as_of(raw: Any, file: str, sheet: str, fields: list[dict],
           problems: Problems) -> dt.date | None:
    when = parse_date(raw) if raw not in ("", None) else MISSING
    if when is MISSING:
        field = next(f for f in fields if f["name"] == "as_of")
        problems.add("error", "submission_as_of" if raw not in ("", None) else
                     "submission_no_as_of", sheet=sheet, rows=[field["row"]],
                     column=field["label"], values=[raw], file=file)
        return None
    return when


def _read_csv(path: Path, problems: Problems) -> pd.DataFrame:
    cols = spec()["long_csv"]["columns"]
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    by_header = {norm_key(h): name for name, h in cols.items()}
    frame = frame.rename(columns=lambda h: by_header.get(norm_key(h), h))
    missing = [cols[c] for c in cols if c not in frame.columns]
    if missing:
        raise InputError(message("submission_csv_columns", file=path.name,
                                 columns=", ".join(missing)))
    periods = {p["name"] for p in spec()["periods"]}
    out = []
    for i, rec in enumerate(frame.to_dict("records"), start=2):
        if not rec["value"].strip():
            continue  # an empty value is no data, as an empty cell of the form
        row = _row(rec["code"], rec["breakdown"])
        value = _number(rec["value"])
        when = parse_date(rec["as_of"])
        when = None if when is MISSING else when
        bad = [("code", row is None), ("period", rec["period"] not in periods),
               ("value", value is None), ("as_of", when is None)]
        for col, wrong in bad:
            if wrong:
                what = _unknown(rec["code"], "submission_csv_code") if col == "code" else \
                    f"submission_csv_{col}"
                problems.add("error", what, sheet=path.name, rows=[i], column=cols[col],
                             values=[rec[col]], file=path.name)
        if any(w for _, w in bad):
            continue
        out.append({"file": path.name, "unit_name": rec["unit_name"].strip(),
                    "unit_code": rec["unit_code"].strip(), "as_of": when,
                    "period": rec["period"], "code": rec["code"], "breakdown": row.breakdown,
                    "category": row.category, "value": value, "sheet": path.name, "row": i,
                    "column": cols["value"]})
    return pd.DataFrame(out)
