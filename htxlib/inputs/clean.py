"""Turn raw sheets into typed frames, one column per schema column.

Headers are matched as typed (NFC, case and spaces folded; the English column name is
accepted too). Cells are parsed by the column's type; what cannot be parsed becomes a
problem naming the sheet, the Excel row, the header and the value. No row is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from htxlib.glossary import Column, Sheet, enums, message, norm_key, resource, sheets
from htxlib.inputs import parse
from htxlib.inputs.load import RawInput, RawSheet
from htxlib.inputs.problems import Problems
from htxlib.inputs.xlsx_marks import column_letter

ROW = "_row"  # the Excel row number of each record, kept through every frame


@dataclass
class Dataset:
    """The typed input: one frame per sheet (columns named as in schema.yaml, plus _row)."""

    path: Path
    frames: dict[str, pd.DataFrame]
    # sheet -> column -> mask of the cells whose value was refused (an error), by position
    rejected: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)

    def refused(self, sheet: str, columns: list[str]) -> np.ndarray:
        """Rows where any of ``columns`` held a value refused as an error: checks across
        columns skip them, so that a warning never blames a column for another's fault."""
        out = np.zeros(len(self.frames[sheet]), dtype=bool)
        for col in columns:
            mask = self.rejected.get(sheet, {}).get(col)
            if mask is not None:
                out |= mask
        return out

    def __getattr__(self, name: str) -> pd.DataFrame:
        try:
            return self.__dict__["frames"][name]
        except KeyError:
            raise AttributeError(name) from None


_PARSERS = {
    "count": (parse.parse_number, "float", "bad_count"),
    "money": (parse.parse_number, "float", "bad_number"),
    "number": (parse.parse_number, "float", "bad_number"),
    "date": (parse.parse_date, "date", "bad_date"),
    "year": (parse.parse_year, "float", "bad_year"),
    "period": (parse.parse_period, "object", "bad_period"),
    "text": (parse.clean_text, "object", None),
}


NUMERIC = ("count", "money", "number")


def signed_columns(sheet: Sheet) -> frozenset[str]:
    """The numeric columns of a sheet that may be negative (``signed`` in schema.yaml);
    every other count, money or number column must be zero or more."""
    return frozenset(resource("schema.yaml")[sheet.name].get("signed", []))


def empty_frame(sheet: Sheet) -> pd.DataFrame:
    cols = {c.name: pd.Series(dtype=_dtype(c)) for c in sheet.columns}
    return pd.DataFrame({**cols, ROW: pd.Series(dtype="int64")})


def _dtype(column: Column) -> str:
    kind = _PARSERS.get(column.type, (None, "object"))[1]
    return {"float": "float64", "date": "datetime64[s]"}.get(kind, "object")


FORMS_REPLACE = ("organisations", "records")  # sheets a folder of units' forms stands for


def clean(raw: RawInput, problems: Problems, with_forms: bool = False) -> Dataset:
    """Every sheet typed and checked cell by cell; a missing required sheet is an error,
    except the organisations and their records when units' forms come with the data."""
    frames, rejected = {}, {}
    for name, sheet in sheets().items():
        rejected[name] = {}
        if name in raw.sheets:
            frames[name] = clean_sheet(raw.sheets[name], problems, rejected[name])
        else:
            if not sheet.optional and not (with_forms and name in FORMS_REPLACE):
                problems.add("error", "missing_sheet", sheet=sheet.title, file=sheet.file)
            frames[name] = empty_frame(sheet)
    return Dataset(path=raw.path, frames=frames, rejected=rejected)


def _map_headers(raw: RawSheet, problems: Problems) -> dict[str, str]:
    """Map typed headers to column names; report unknown and duplicate headers."""
    sheet = raw.sheet
    lookup = {}
    for col in sheet.columns:
        lookup[norm_key(col.header)] = col.name
        lookup[norm_key(col.name)] = col.name
    mapping: dict[str, str] = {}
    for i, header in enumerate(raw.cells.columns):
        key = norm_key(header)
        if not key:
            _unnamed(raw, i, problems)
            continue
        if key not in lookup:
            problems.add("warning", "unknown_column", sheet=sheet.title, row=None,
                         column=header, rows=[raw.header_row])
            continue
        name = lookup[key]
        if name in mapping.values():
            problems.add("error", "duplicate_column", sheet=sheet.title, column=header,
                         rows=[raw.header_row])
            continue
        mapping[header] = name
    return mapping


def _unnamed(raw: RawSheet, i: int, problems: Problems) -> None:
    """A column with values but no header: its values are not read, so it is said."""
    cells = raw.cells.iloc[:, i].astype(object)
    filled = [k for k, v in enumerate(cells) if v is not None and v == v and str(v).strip()]
    if filled:
        problems.add("warning", "unnamed_column", sheet=raw.sheet.title,
                     column=column_letter(i), rows=[raw.rows.iloc[filled[0]]],
                     values=[cells.iloc[filled[0]]], n=len(filled))


def clean_sheet(raw: RawSheet, problems: Problems,
                rejected: dict[str, np.ndarray] | None = None) -> pd.DataFrame:
    """The typed frame of one sheet; ``rejected`` receives, per column, the cells refused."""
    sheet = raw.sheet
    rejected = {} if rejected is None else rejected
    if not raw.header_found:
        problems.add("error", "no_header_csv" if raw.csv else "no_header", sheet=sheet.title,
                     expected=sheet.columns[0].header)
        return empty_frame(sheet)
    if raw.cells.shape[1] == 0:
        if sheet.min_rows:
            problems.add("error", "empty_sheet", sheet=sheet.title)
        return empty_frame(sheet)
    mapping = _map_headers(raw, problems)
    if not mapping:
        problems.add("error", "no_header_csv" if raw.csv else "no_header", sheet=sheet.title,
                     expected=sheet.columns[0].header)
        return empty_frame(sheet)
    present = {name: header for header, name in mapping.items()}
    rows = raw.rows.to_numpy()
    out: dict[str, object] = {}
    for col in sheet.columns:
        if col.name not in present:
            if col.required:
                problems.add("error", "missing_column", sheet=sheet.title, column=col.header,
                             rows=[raw.header_row])
            out[col.name] = pd.Series(np.nan if _dtype(col) == "float64" else None,
                                      index=range(len(rows)), dtype=_dtype(col))
            continue
        header = present[col.name]
        cells = raw.cells[header]
        if isinstance(cells, pd.DataFrame):  # duplicate header text: use the first
            cells = cells.iloc[:, 0]
        out[col.name], rejected[col.name] = _parse_column(cells, col, sheet, header, rows,
                                                          problems)
    frame = pd.DataFrame(out)
    frame[ROW] = rows
    if len(frame) < sheet.min_rows:
        problems.add("error", "empty_sheet", sheet=sheet.title)
    return frame


def _parse_column(cells: pd.Series, col: Column, sheet: Sheet, header: str, rows: np.ndarray,
                  problems: Problems) -> tuple[np.ndarray, np.ndarray]:
    """The parsed values of a column and the mask of the cells refused (each an error)."""
    if col.type in ("enum", "bool"):
        enum = col.enum if col.type == "enum" else "yes_no"
        values, bad, blank = parse.apply_unique(cells, parse.enum_parser(enum))
        if bad.any():
            allowed = "; ".join(v["label"] for v in enums()[enum].values())
            problems.add("error", "bad_enum", sheet=sheet.title, column=header,
                         rows=rows[bad], values=cells[bad], allowed=allowed)
        if col.type == "bool":
            values = np.where(pd.isna(values), None, np.asarray(values == "yes", dtype=object))
    else:
        parser, dtype, code = _PARSERS[col.type]
        values, bad, blank = parse.apply_unique(cells, parser, dtype)
        if bad.any() and col.type == "date":
            _date_problems(cells, bad, rows, sheet, header, problems)
        elif bad.any():
            problems.add("error", code, sheet=sheet.title, column=header, rows=rows[bad],
                         values=cells[bad])
        if col.type in NUMERIC:
            refused = _check_sign(values, col, sheet, header, rows, cells, problems)
            values = np.where(refused, np.nan, values)
            bad = bad | refused
    if col.required:
        missing = blank | (pd.isna(values) & ~bad)
        if missing.any():
            problems.add("error", "required", sheet=sheet.title, column=header,
                         rows=rows[missing])
    return values, np.asarray(bad, dtype=bool)


def _check_sign(values: np.ndarray, col: Column, sheet: Sheet, header: str, rows: np.ndarray,
                cells: pd.Series, problems: Problems) -> np.ndarray:
    """Negative values where the column may not have them, and fractions of a count: errors
    on the column itself. Returns the mask of the values refused."""
    with np.errstate(invalid="ignore"):
        negative = (values < 0) & (col.name not in signed_columns(sheet))
        fraction = np.zeros(len(values), dtype=bool)
        if col.type == "count":
            fraction = ~negative & (values != np.floor(values)) & ~np.isnan(values)
    if negative.any():
        problems.add_rows("error", "negative", sheet.title, rows[negative], header,
                          cells[negative], [_negative_text(col, sheet)] * int(negative.sum()))
    if fraction.any():
        problems.add("error", "bad_count", sheet=sheet.title, column=header,
                     rows=rows[fraction], values=cells[fraction])
    return negative | fraction


def _negative_text(col: Column, sheet: Sheet) -> str:
    if col.type == "count":
        return message("negative")
    signed = [f"“{c.header}”" for c in sheet.columns
              if c.name in signed_columns(sheet) and c.type == col.type]
    hint = message("negative_hint", columns=", ".join(signed)) if signed else ""
    return message(f"negative_{col.type}", hint=hint)


def _date_problems(cells: pd.Series, bad: np.ndarray, rows: np.ndarray, sheet: Sheet,
                   header: str, problems: Problems) -> None:
    """One error per refused date, saying whether the calendar lacks the day (31/2/2015)
    or the value is not written as a date."""
    sub = cells[bad]
    at, uniques = pd.factorize(np.asarray(sub, dtype=object))
    found = [parse.date_problem(u) for u in uniques]
    kinds = np.array([code for code, _ in found], dtype=object)[at]
    texts = np.array([message(code, **fields) for code, fields in found], dtype=object)[at]
    for kind in dict.fromkeys(kinds):
        mask = kinds == kind
        problems.add_rows("error", kind, sheet.title, rows[bad][mask], header, sub[mask],
                          texts[mask])
