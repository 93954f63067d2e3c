"""Read the input — an .xlsx workbook or a folder of CSV files — into raw sheets.

Raw sheets keep every cell as typed (Excel numbers and dates stay numbers and dates;
CSV cells are strings), the Excel row number of each row, and the headers as written.
Nothing is interpreted here; ``clean`` does that.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from htxlib.config import SAMPLE_DIR
from htxlib.glossary import Sheet, message, norm_key, sheets
from htxlib.inputs.csvread import read_csv_table
from htxlib.inputs.files import WORKBOOKS, sheet_files
from htxlib.inputs.problems import InputError, Problems
from htxlib.inputs.xlsx_marks import Marks, cell_name, column_letter, workbook_marks

HEADER_SEARCH_ROWS = 10
IGNORED_SHEETS = {norm_key("Hướng dẫn"), norm_key("Danh mục")}


@dataclass
class RawSheet:
    """One sheet as read: cells, their Excel row numbers, and the header row's number."""

    sheet: Sheet
    cells: pd.DataFrame  # columns = headers as typed
    rows: pd.Series  # Excel (or CSV line) number of each row
    header_row: int
    header_found: bool = True  # False: the sheet has content but no recognisable header
    csv: bool = False  # read from a CSV file, whose header is line 1


@dataclass
class RawInput:
    path: Path
    sheets: dict[str, RawSheet] = field(default_factory=dict)


def read_input(path: str | Path | None, problems: Problems) -> RawInput:
    """Read a workbook or a CSV folder; unreadable input raises InputError."""
    path = Path(path) if path is not None else SAMPLE_DIR
    if not path.exists():
        raise InputError(message("no_input", path=path))
    if path.is_dir():
        raw = _read_folder(path, problems)
    elif path.suffix.lower() in WORKBOOKS:
        raw = _read_workbook(path, problems)
    elif path.suffix.lower() == ".xls":
        raise InputError(message("not_workbook", path=path, reason=message("workbook_xls")))
    else:
        raise InputError(message("unsupported", path=path))
    if not raw.sheets:
        expected = ", ".join(s.title for s in sheets().values() if not s.optional)
        raise InputError(message("no_sheets", path=path, expected=expected))
    return raw


def _sheet_for(name: str) -> Sheet | None:
    key = norm_key(Path(name).stem if name.lower().endswith(".csv") else name)
    for sheet in sheets().values():
        if key in {norm_key(sheet.title), norm_key(sheet.name), norm_key(Path(sheet.file).stem)}:
            return sheet
    return None


def _read_folder(folder: Path, problems: Problems) -> RawInput:
    raw = RawInput(path=folder)
    for file in sheet_files(folder):
        sheet = _sheet_for(file.name)
        if sheet is None:
            problems.add("warning", "unknown_sheet", sheet=file.name)
            continue
        raw.sheets[sheet.name] = _read_csv(file, sheet)
    return raw


def _read_csv(file: Path, sheet: Sheet) -> RawSheet:
    known = {norm_key(c.header) for c in sheet.columns} | {norm_key(c.name) for c in sheet.columns}
    table = read_csv_table(file, known)
    return RawSheet(sheet, table.cells, table.rows, 1, header_found=table.header_found,
                    csv=True)


def _read_workbook(path: Path, problems: Problems) -> RawInput:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if path.stat().st_size == 0:
        raise InputError(message("empty_file", path=path))
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except PermissionError as exc:
        raise InputError(message("locked", path=path)) from exc
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise InputError(message("not_workbook", path=path,
                                 reason=message("workbook_corrupt"))) from exc
    raw = RawInput(path=path)
    marks = workbook_marks(path.read_bytes()) or {}
    try:
        for ws in book.worksheets:
            sheet = _sheet_for(ws.title)
            if sheet is None:
                if norm_key(ws.title) not in IGNORED_SHEETS:
                    problems.add("warning", "unknown_sheet", sheet=ws.title)
                continue
            ws.reset_dimensions()  # the size a file states may be short of its cells
            raw.sheets[sheet.name] = _sheet_from_rows(sheet, ws.iter_rows(values_only=True))
            if ws.title in marks:
                hidden_cells(raw.sheets[sheet.name], marks[ws.title], problems)
    finally:
        book.close()
    return raw


def hidden_cells(raw: RawSheet, marks: Marks, problems: Problems) -> None:
    """Cells of the table (its header row and below) whose value cannot be seen: merged
    under another cell (only the first of a merged range keeps a value) or a formula saved
    without its result. Each is an error naming the cells: the value is not guessed."""
    width, top = raw.cells.shape[1], raw.header_row - 1  # 0-based header row

    def header(c: int) -> str:
        name = raw.cells.columns[c] if c < width else ""
        return name or column_letter(c)

    for r0, c0, r1, c1 in marks.merges:
        if r1 >= top and c0 < width and (r1 > r0 or c1 > c0):
            problems.add("error", "merged_cells", sheet=raw.sheet.title, rows=[r0 + 1],
                         column=header(c0), cells=f"{cell_name(r0, c0)}:{cell_name(r1, c1)}",
                         first=cell_name(r0, c0))
    for r, c, formula in marks.formulas:
        if r >= top and c < width:
            problems.add("error", "formula_no_value", sheet=raw.sheet.title, rows=[r + 1],
                         column=header(c), values=[f"={formula}"], cell=cell_name(r, c))


def _sheet_from_rows(sheet: Sheet, rows: Any) -> RawSheet:
    """Find the header row among the first rows, then keep every non-empty row below it."""
    known = {norm_key(c.header) for c in sheet.columns} | {norm_key(c.name) for c in sheet.columns}
    header_row, headers, body, numbers, seen_any = 0, [], [], [], False
    for number, row in enumerate(rows, start=1):
        if not header_row:
            seen_any = seen_any or any(v is not None for v in row)
            texts = [norm_key(v) if isinstance(v, str) else "" for v in row]
            if any(t in known for t in texts):
                header_row = number
                headers = ["" if v is None else str(v) for v in row]
            elif number >= HEADER_SEARCH_ROWS:
                break
            continue
        filled = [i for i, v in enumerate(row)
                  if v is not None and (not isinstance(v, str) or v.strip())]
        if filled:  # cells right of the last header are kept: clean names them
            body.append(list(row[: filled[-1] + 1]))
            numbers.append(number)
    width = max([len(headers), *(len(r) for r in body)])
    headers += [""] * (width - len(headers))
    body = [r + [None] * (width - len(r)) for r in body]
    cells = pd.DataFrame(body, columns=headers, dtype=object) if headers else pd.DataFrame()
    return RawSheet(sheet, cells, pd.Series(numbers, dtype="int64"), header_row,
                    header_found=bool(header_row) or not seen_any)
