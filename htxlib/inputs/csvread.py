"""Read a CSV file as people save it: every line ending, a comma, semicolon or tab between
cells, UTF-8 with or without a byte-order mark (or UTF-16 with one, as Excel's "Unicode
text"), blank lines kept in the row numbers.

The common file (UTF-8, commas, one line ending, no blank line) is read by pyarrow, fast;
anything else by Python's csv module, which keeps every line so the row numbers users see
in Excel stay right. What cannot be read raises ``InputError`` with a Vietnamese sentence
naming the file and the line.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from htxlib.glossary import message, norm_key
from htxlib.inputs.problems import InputError

DELIMITERS = (",", ";", "\t")
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass
class CsvTable:
    """The cells of a CSV file (columns: its headers as typed, repeats kept) and the line
    number of each non-empty row; ``header_found`` is False when line 1 is blank."""

    cells: pd.DataFrame
    rows: pd.Series
    header_found: bool = True


def read_csv_table(file: Path, known: Collection[str]) -> CsvTable:
    """The table of ``file``; ``known`` are the headers expected (as norm_key), which tell
    the delimiter when the file is not separated by commas."""
    data = _bytes(file)
    if data.startswith(UTF16_BOMS):
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(message("not_utf8", path=file)) from exc
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    ends = [i for i in (data.find(b"\n"), data.find(b"\r")) if i >= 0]
    try:
        header_line = data[: min(ends, default=len(data))].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(message("not_utf8", path=file)) from exc
    delimiter = _delimiter(header_line, known)
    # Blank lines (pyarrow skips them and so shifts the row numbers), a carriage return
    # alone ending a line (old Mac files) and other delimiters take the exact path.
    if (delimiter != "," or b"\n\n" in data or b"\n\r\n" in data
            or data.count(b"\r") != data.count(b"\r\n")):
        return _read_exact(file, data, delimiter)
    headers = next(csv.reader([header_line]), [])
    if not any(h.strip() for h in headers):
        return _read_exact(file, data, delimiter)
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
        if "utf8" in str(exc).lower():
            raise InputError(message("not_utf8", path=file)) from exc
        # A row of another number of fields (or a quote left open): the exact reader pads
        # short rows, and names the line of one too long.
        return _read_exact(file, data, delimiter)
    # Dictionary columns become pandas categoricals: every later step works on the
    # distinct values of a column, not on each of its cells.
    cells = table.to_pandas()
    cells.columns = headers
    keep = cells.notna().any(axis=1).to_numpy()
    rows = pd.Series(np.arange(2, len(cells) + 2))[keep].reset_index(drop=True)
    return CsvTable(cells[keep].reset_index(drop=True), rows)


def _bytes(file: Path) -> bytes:
    try:
        data = file.read_bytes()
    except PermissionError as exc:
        raise InputError(message("locked", path=file)) from exc
    except OSError as exc:
        raise InputError(message("unreadable_file", path=file)) from exc
    if not data[:4096].strip() and not data.strip():  # the slice spares copying big files
        raise InputError(message("empty_file", path=file))
    return data


def _delimiter(header_line: str, known: Collection[str]) -> str:
    """The delimiter that splits the header line into the most headers of the template
    (a comma when none does better): Excel set to Vietnamese saves with semicolons."""
    def hits(sep: str) -> int:
        cells = next(csv.reader([header_line], delimiter=sep), [])
        return sum(norm_key(c) in known for c in cells)

    counts = {sep: hits(sep) for sep in DELIMITERS if sep in header_line}
    best = max(counts, key=lambda sep: counts[sep], default=",")
    return best if counts.get(best, 0) > counts.get(",", 0) else ","


def _read_exact(file: Path, data: bytes, delimiter: str) -> CsvTable:
    """The slow path: Python's csv module, every line kept and numbered as Excel shows the
    file; short rows are padded with empty cells; a row with more filled cells than
    headers is an error naming its line (data would be lost)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(message("not_utf8", path=file)) from exc
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    headers: list[str] = []
    body, numbers, number = [], [], 1
    try:
        headers = [str(h) for h in next(reader, [])]
        found = any(h.strip() for h in headers)
        for number, row in enumerate(reader, start=2):
            if found and len(row) > len(headers) and any(c.strip() for c in row[len(headers):]):
                raise InputError(message("bad_csv", path=file, detail=message(
                    "csv_ragged", line=number, got=len(row), expected=len(headers))))
            if any(cell.strip() for cell in row):
                body.append((row + [None] * len(headers))[: len(headers)])
                numbers.append(number)
    except csv.Error as exc:
        raise InputError(message("bad_csv", path=file, detail=message(
            "csv_malformed", line=number + 1))) from exc
    if not found:
        return CsvTable(pd.DataFrame(), pd.Series([], dtype="int64"), header_found=False)
    cells = pd.DataFrame(body, columns=headers, dtype=object).replace("", None)
    return CsvTable(cells, pd.Series(numbers, dtype="int64"))
