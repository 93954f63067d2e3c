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

from htxlib.glossary import Column, Sheet, enums, norm_key, sheets
from htxlib.inputs import parse
from htxlib.inputs.load import RawInput, RawSheet
from htxlib.inputs.problems import Problems

ROW = "_row"  # the Excel row number of each record, kept through every frame


@dataclass
class Dataset:
    """The typed input: one frame per sheet (columns named as in schema.yaml, plus _row)."""

    path: Path
    frames: dict[str, pd.DataFrame]
    files: dict[str, str] = field(default_factory=dict)

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


def empty_frame(sheet: Sheet) -> pd.DataFrame:
    cols = {c.name: pd.Series(dtype=_dtype(c)) for c in sheet.columns}
    return pd.DataFrame({**cols, ROW: pd.Series(dtype="int64")})


def _dtype(column: Column) -> str:
    kind = _PARSERS.get(column.type, (None, "object"))[1]
    return {"float": "float64", "date": "datetime64[s]"}.get(kind, "object")


def clean(raw: RawInput, problems: Problems) -> Dataset:
    frames = {}
    for name, sheet in sheets().items():
        if name in raw.sheets:
            frames[name] = clean_sheet(raw.sheets[name], problems)
        else:
            if not sheet.optional:
                problems.add("error", "missing_sheet", sheet=sheet.title, file=sheet.file)
            frames[name] = empty_frame(sheet)
    return Dataset(path=raw.path, frames=frames, files=raw.files)


def _map_headers(raw: RawSheet, problems: Problems) -> dict[str, str]:
    """Map typed headers to column names; report unknown and duplicate headers."""
    sheet = raw.sheet
    lookup = {}
    for col in sheet.columns:
        lookup[norm_key(col.header)] = col.name
        lookup[norm_key(col.name)] = col.name
    mapping: dict[str, str] = {}
    for header in raw.cells.columns:
        key = norm_key(header)
        if not key:
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


def clean_sheet(raw: RawSheet, problems: Problems) -> pd.DataFrame:
    sheet = raw.sheet
    if not raw.header_found:
        problems.add("error", "no_header", sheet=sheet.title, expected=sheet.columns[0].header)
        return empty_frame(sheet)
    if raw.cells.shape[1] == 0:
        if sheet.min_rows:
            problems.add("error", "empty_sheet", sheet=sheet.title)
        return empty_frame(sheet)
    mapping = _map_headers(raw, problems)
    if not mapping:
        first = sheet.columns[0].header
        problems.add("error", "no_header", sheet=sheet.title, expected=first)
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
        out[col.name] = _parse_column(cells, col, sheet, header, rows, problems)
    frame = pd.DataFrame(out)
    frame[ROW] = rows
    if len(frame) < sheet.min_rows:
        problems.add("error", "empty_sheet", sheet=sheet.title)
    return frame


def _parse_column(cells: pd.Series, col: Column, sheet: Sheet, header: str, rows: np.ndarray,
                  problems: Problems) -> np.ndarray:
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
        if bad.any():
            problems.add("error", code, sheet=sheet.title, column=header, rows=rows[bad],
                         values=cells[bad])
        if col.type == "count":
            with np.errstate(invalid="ignore"):
                negative = values < 0
                fraction = ~negative & (values != np.floor(values)) & ~np.isnan(values)
            for mask, why in ((negative, "negative"), (fraction, "bad_count")):
                if mask.any():
                    problems.add("error", why, sheet=sheet.title, column=header,
                                 rows=rows[mask], values=cells[mask])
            values = np.where(negative | fraction, np.nan, values)
    if col.required:
        missing = blank | (pd.isna(values) & ~bad)
        if missing.any():
            problems.add("error", "required", sheet=sheet.title, column=header,
                         rows=rows[missing])
    return values
