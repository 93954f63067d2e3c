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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from htxlib import fmt
from htxlib.glossary import norm_key
from htxlib.inputs.form_layout import (
    PLAN,
    all_periods,
    form_periods,
    form_rows,
    layouts,
    number,
    period_headers,
    position,
    spec,
    unknown_code,
    which_edition,
)
from htxlib.inputs.form_sheet import FormSheet, Unreadable, open_form
from htxlib.inputs.parse import MISSING, parse_date
from htxlib.inputs.problems import Problems
from htxlib.inputs.submission_csv import read_long_csv
from htxlib.inputs.xlsx_marks import cell_name, column_letter

SUBMISSION_COLUMNS = ["file", "unit_name", "unit_code", "as_of", "period", "code", "breakdown",
                      "category", "value", "sheet", "row", "column"]


@dataclass
class FormValues:
    """What one .xlsx form holds, as arrays (cheap to send between processes and to keep
    in the cache of ``form_files``): each value's form row (its position in
    ``form_rows()``), sheet row, period (position in the form's periods) and value, with
    the problems found reading it, as rows of the problem table. ``period`` is a position
    in the periods of the form's ``edition``."""

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
    edition: str = PLAN  # the form's layout of periods (its headers say which)


def read_forms(paths: list[Path], problems: Problems) -> pd.DataFrame:
    """Every value of the given forms (.xlsx) and long CSVs, as one tidy frame."""
    return forms_frame([read_xlsx(p) for p in paths if p.suffix.lower() != ".csv"],
                       [p for p in paths if p.suffix.lower() == ".csv"], problems)


def forms_frame(reads: list[FormValues], csvs: list[Path], problems: Problems) -> pd.DataFrame:
    """The tidy frame of forms already read (their problems recorded now) and long CSVs."""
    problems.add_records([x for read in reads for x in read.problems])
    frames = [f for f in (_frame(reads), *(read_long_csv(p, problems) for p in csvs)) if len(f)]
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
    names = all_periods()
    global_period = np.concatenate(
        [np.array([names.index(x) for x in form_periods(r.edition)], np.int64)[r.period]
         for r in reads]) if reads else np.array([], np.int64)
    starts = np.cumsum([0, *(len(r.heads) for r in reads)])[:-1]
    column = np.repeat(starts.astype(np.int64), sizes) + period
    return pd.DataFrame({
        "file": _coded([r.file for r in reads], form),
        "unit_name": _coded([r.unit_name for r in reads], form),
        "unit_code": _coded([r.unit_code for r in reads], form),
        "as_of": np.array([r.as_of for r in reads], dtype=object)[form],
        "period": _coded(names, global_period),
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
    """The values of one form (a workbook) and the problems found reading it (a pure
    function of the file, so its result can be cached and computed in another process). A
    form that cannot be read is one problem naming it, with no values."""
    words = spec()
    found = Problems()
    try:
        form = open_form(path, words["sheet"])
    except Unreadable as exc:
        found.add("error", "submission_unreadable", sheet=path.name, file=path.name,
                  reason=str(exc))
        return FormValues(path.name, "", "", None, [], *_empty(), problems=found.records())
    cells = form.cells

    def at(r: int, c: int) -> Any:
        """The cell of 1-based row ``r`` and 0-based column ``c``; "" beyond the sheet."""
        return cells[r - 1][c] if r - 1 < len(cells) and c < len(cells[r - 1]) else ""

    fields = {f["name"]: at(f["row"], 2) for f in words["fields"]}
    as_of = _as_of(fields["as_of"], path.name, words["sheet"], words["fields"], found)
    n_fixed = len(words["columns"])
    typed = [str(at(words["header_row"], n_fixed + k)) for k in range(_widest())]
    edition = which_edition(typed, as_of)
    n_periods = len(form_periods(edition))
    heads = typed[:n_periods]
    if as_of is not None:
        _check_heads(heads, as_of, edition, path.name, found)
    hidden(form, heads, path.name, found)
    got = _figures(cells, n_fixed, heads, path.name, found)
    return FormValues(path.name, str(fields["unit_name"]).strip(), _code(fields["unit_code"]),
                      as_of, heads, *got, found.records(), edition)


def _figures(cells: list[list], n_fixed: int, heads: list[str], file: str,
             found: Problems) -> tuple[np.ndarray, ...]:
    """The figures of the form's rows below its header: each one's form row, sheet row,
    period and value; a figure without a code, of no row of the form, of a row given twice
    or not a number is a problem naming its cell, never dropped in silence."""
    words = spec()
    column = words["columns"][0]["header"]
    out_row, out_sheet_row, out_period, out_value = [], [], [], []
    first: dict[int, int] = {}  # form row → the sheet row that gave it
    for r, line in enumerate(cells[words["header_row"]:], start=words["header_row"] + 1):
        code = str(line[0]).strip() if line else ""
        figures = line[n_fixed:n_fixed + len(heads)]
        if not code:
            if _given(figures):  # they would be lost
                found.add("error", "submission_no_code", sheet=words["sheet"], rows=[r],
                          column=column, values=[line[2] if len(line) > 2 else ""], file=file)
            continue
        k_row = position(code, str(line[1]) if len(line) > 1 else "")
        if k_row is None:
            found.add("error", unknown_code(code, "submission_unknown_code"),
                      sheet=words["sheet"], rows=[r], column=column, values=[code], file=file)
            continue
        if k_row in first:  # the same row twice: its figures would count twice
            if _given(figures):
                found.add("error", "submission_repeated", sheet=words["sheet"], rows=[r],
                          column=column, values=[code], file=file, first=first[k_row])
            continue
        first[k_row] = r
        for k, raw in enumerate(figures):
            if raw == "" or raw is None:
                continue
            value = float(raw) if type(raw) in (int, float) else number(raw)
            if value is None or value != value:
                found.add("error", "submission_not_number", sheet=words["sheet"], rows=[r],
                          column=heads[k], values=[raw], file=file)
                continue
            out_row.append(k_row)
            out_sheet_row.append(r)
            out_period.append(k)
            out_value.append(value)
    return (np.array(out_row, np.int32), np.array(out_sheet_row, np.int32),
            np.array(out_period, np.int8), np.array(out_value, np.float64))


def _given(figures: list) -> bool:
    return any(v != "" and v is not None for v in figures)


def _empty() -> tuple[np.ndarray, ...]:
    return (np.array([], np.int32), np.array([], np.int32), np.array([], np.int8),
            np.array([], np.float64))


def _read(r: int, c: int) -> bool:
    """The 0-based cell (r, c) is one the reader takes a value from: the unit and date at
    the top, a period's header, a row's code, part or figures."""
    words = spec()
    n_fixed = len(words["columns"])
    period = n_fixed <= c < n_fixed + _widest()
    if r >= words["header_row"]:
        return c in (0, 1) or period
    if r == words["header_row"] - 1:
        return period
    return c == 2 and any(r == f["row"] - 1 for f in words["fields"]
                          if f["name"] in ("unit_name", "unit_code", "as_of"))


def hidden(form: FormSheet, heads: list[str], file: str, found: Problems) -> None:
    """Cells whose value the reader cannot see: merged under another (only the first cell
    of a merged range has a value) or a formula saved without its result."""
    words = spec()
    n_fixed = len(words["columns"])

    def column(c: int) -> str:
        k = c - n_fixed
        return heads[k] if 0 <= k < len(heads) and heads[k] else column_letter(c)

    for r0, c0, r1, c1 in form.merges:
        covered = [(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)
                   if (r, c) != (r0, c0) and _read(r, c)]
        if covered:
            first = form.cells[r0][c0] if r0 < len(form.cells) and c0 < len(
                form.cells[r0]) else ""
            found.add("error", "submission_merged", sheet=words["sheet"], rows=[r0 + 1],
                      column=column(c0), values=[first], file=file,
                      cells=f"{cell_name(r0, c0)}:{cell_name(r1, c1)}",
                      first=cell_name(r0, c0))
    for r, c, formula in form.formulas:
        if _read(r, c):
            found.add("error", "submission_formula", sheet=words["sheet"], rows=[r + 1],
                      column=column(c), values=[f"={formula}"], file=file,
                      cell=cell_name(r, c))


def _widest() -> int:
    """The most period columns a form's layout has."""
    return max(len(x) for x in layouts())


def _check_heads(heads: list[str], as_of: dt.date, edition: str, file: str,
                 problems: Problems) -> None:
    """Each period column must be the one of the form's as-of date: a form copied from
    another year, or with its columns moved, would put its figures in the wrong period."""
    words = spec()
    n_fixed = len(words["columns"])
    for k, (head, want) in enumerate(zip(heads, period_headers(as_of.year, as_of, edition),
                                         strict=True)):
        if norm_key(head) != norm_key(want):
            problems.add("error", "submission_period", sheet=words["sheet"],
                         rows=[words["header_row"]], column=column_letter(n_fixed + k),
                         values=[head], file=file, head=head, expected=want,
                         as_of=fmt.date(as_of))


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


