"""Read the input — an .xlsx workbook or a folder of CSV files — into raw sheets.

Raw sheets keep every cell as typed (Excel numbers and dates stay numbers and dates;
CSV cells are strings), the Excel row number of each row, and the headers as written.
Nothing is interpreted here; ``clean`` does that.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from htxlib.config import SAMPLE_DIR
from htxlib.glossary import Sheet, message, norm_key, sheets
from htxlib.inputs.problems import InputError, Problems

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
    files: dict[str, str] = field(default_factory=dict)  # file name -> sha256


def read_input(path: str | Path | None, problems: Problems) -> RawInput:
    """Read a workbook or a CSV folder; unreadable input raises InputError."""
    path = Path(path) if path is not None else SAMPLE_DIR
    if not path.exists():
        raise InputError(message("no_input", path=path))
    if path.is_dir():
        raw = _read_folder(path, problems)
    elif path.suffix.lower() in {".xlsx", ".xlsm"}:
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


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _read_folder(folder: Path, problems: Problems) -> RawInput:
    raw = RawInput(path=folder)
    for file in sorted(folder.glob("*.csv")):
        sheet = _sheet_for(file.name)
        if sheet is None:
            problems.add("warning", "unknown_sheet", sheet=file.name)
            continue
        raw.files[file.name] = _sha256(file)
        raw.sheets[sheet.name] = _read_csv(file, sheet)
    return raw


def _read_csv(file: Path, sheet: Sheet) -> RawSheet:
    try:
        data = file.read_bytes()
    except PermissionError as exc:
        raise InputError(message("locked", path=file)) from exc
    except OSError as exc:
        raise InputError(message("unreadable_file", path=file)) from exc
    if not data[:4096].strip() and not data.strip():  # the slice spares copying big files
        raise InputError(message("empty_file", path=file))
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\n\n" in data or b"\n\r\n" in data:
        return _read_csv_exact(file, data, sheet)
    try:
        end = data.find(b"\n")
        header_line = data[: end if end >= 0 else len(data)].decode("utf-8").rstrip("\r")
    except UnicodeDecodeError as exc:
        raise InputError(message("not_utf8", path=file)) from exc
    headers = next(csv.reader([header_line]), [])
    try:
        table = pacsv.read_csv(
            pa.BufferReader(data),
            read_options=pacsv.ReadOptions(column_names=[f"c{i}" for i in range(len(headers))],
                                           skip_rows=1, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={f"c{i}": pa.dictionary(pa.int32(), pa.string())
                              for i in range(len(headers))},
                strings_can_be_null=True, quoted_strings_can_be_null=True, null_values=[""]))
    except (pa.ArrowInvalid, pa.ArrowException) as exc:
        if "UTF8" in str(exc) or "utf8" in str(exc).lower():
            raise InputError(message("not_utf8", path=file)) from exc
        # A row of another number of fields (or a quote left open): the exact reader pads
        # short rows, and names the line of one too long.
        return _read_csv_exact(file, data, sheet)
    # Dictionary columns become pandas categoricals: every later step works on the
    # distinct values of a column, not on each of its cells.
    cells = table.to_pandas()
    cells.columns = headers
    keep = cells.notna().any(axis=1).to_numpy()
    rows = pd.Series(np.arange(2, len(cells) + 2))[keep].reset_index(drop=True)
    return RawSheet(sheet, cells[keep].reset_index(drop=True), rows, 1, csv=True)


def _read_csv_exact(file: Path, data: bytes, sheet: Sheet) -> RawSheet:
    """The slow path for files with blank lines, which pyarrow would skip and so shift the
    row numbers users see in Excel (Python's csv module keeps every line), and for rows of
    another number of fields than the header: short rows are padded with empty cells; a
    row with more filled cells than headers is an error naming its line (data would be
    lost)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(message("not_utf8", path=file)) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    headers: list[str] = []
    body, numbers, number = [], [], 1  # rows numbered as Excel shows the file
    try:
        headers = [str(h) for h in next(reader, [])]
        for number, row in enumerate(reader, start=2):
            if len(row) > len(headers) and any(cell.strip() for cell in row[len(headers):]):
                raise InputError(message("bad_csv", path=file, detail=message(
                    "csv_ragged", line=number, got=len(row), expected=len(headers))))
            if any(cell.strip() for cell in row):
                body.append((row + [None] * len(headers))[: len(headers)])
                numbers.append(number)
    except csv.Error as exc:
        raise InputError(message("bad_csv", path=file, detail=message(
            "csv_malformed", line=number + 1))) from exc
    cells = pd.DataFrame(body, columns=headers, dtype=object).replace("", None)
    return RawSheet(sheet, cells, pd.Series(numbers, dtype="int64"), 1, csv=True)


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
    raw = RawInput(path=path, files={path.name: _sha256(path)})
    try:
        for ws in book.worksheets:
            sheet = _sheet_for(ws.title)
            if sheet is None:
                if norm_key(ws.title) not in IGNORED_SHEETS:
                    problems.add("warning", "unknown_sheet", sheet=ws.title)
                continue
            raw.sheets[sheet.name] = _sheet_from_rows(sheet, ws.iter_rows(values_only=True))
    finally:
        book.close()
    return raw


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
        values = list(row[: len(headers)])
        if any(v is not None and (not isinstance(v, str) or v.strip()) for v in values):
            body.append(values + [None] * (len(headers) - len(values)))
            numbers.append(number)
    cells = pd.DataFrame(body, columns=headers, dtype=object) if headers else pd.DataFrame()
    return RawSheet(sheet, cells, pd.Series(numbers, dtype="int64"), header_row,
                    header_found=bool(header_row) or not seen_any)
