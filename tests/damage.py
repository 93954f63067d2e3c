"""Structural damage to inputs, as a spreadsheet, a hurried clerk or another program does it,
drawn by hypothesis for the fuzz tests (``test_fuzz.py``).

A sheet is a grid (a list of rows, the header row first, cells as text or as the typed
values of a workbook). Damage is a list of operations on the grid (rows and columns
duplicated, dropped, reordered, blanked; cells overwritten with hostile values), then a way
of writing it: a CSV file (line endings, encodings, separators, quoting, bytes cut or
inserted) or a workbook (cells typed or not, merged ranges, formulas with and without
their cached value, rows above the header, another extension, not a workbook at all).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from htxlib import fmt
from htxlib.inputs.form_layout import form_periods, form_title
from htxlib.inputs.problems import Problems
from htxlib.inputs.submission import form_rows, period_headers, read_forms, spec

Grid = list[list[Any]]

# Letters a Vietnamese value is made of, digits and signs, and what hides in pasted text:
# control characters, zero-width and other invisible characters, every kind of space.
# No ASCII letters but e and x: a message's placeholder never spells an English word.
ALPHABET = ("0123456789.,-+=@/:;'\"%()# \t\r\nex"
            "ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵĐ"
            "\x00\x01\x07\x1b\x7f\u00ad\u200b\u200c\u200d\u2060\ufeff\u202e\u202f\u2009"
            "\u00a0\u3000\u2212\u2028")
HOSTILE = ["", " ", "\u00a0", "=1+1", "=SUM(A1:A3)", "+84 912", "-5", "@x", "\t7", "\r7",
           "1 234", "1\u202f234", "1\u2009234", "1\u00a0234", "\u200b12", "12\u200b",
           "١٢", "１２", "NaN", "nan", "inf", "-inf", "1e309", "0x10", "00012", "1.2.3",
           "1,2,3", "31/2/2024", "29/2/2023", "0/0/0", "9999-99-99", "10/6/24", "2024",
           "\x00", "\x1b[31m", "\ufeff", "\u202e1", "Có", "Không", "TRUE", "#DIV/0!",
           "#N/A", "x" * 300, "'", '"', '"a""b"', "a,b", "a\nb", "Hợp tác xã", "Xã", "Tỉnh"]
TYPED = [0, -1, 1.5, 10**15, 1e-9, True, False, dt.datetime(2024, 6, 10),
         dt.datetime(1905, 7, 8), dt.date(2023, 12, 31), dt.time(12, 30)]


def values() -> st.SearchStrategy[Any]:
    """A value a cell may end up holding."""
    return st.one_of(st.sampled_from(HOSTILE), st.text(ALPHABET, max_size=12),
                     st.integers(-10**6, 10**6).map(str))


def typed_values() -> st.SearchStrategy[Any]:
    """A value a workbook cell may hold: text, or a number, boolean or date cell."""
    return st.one_of(values(), st.sampled_from(TYPED),
                     st.floats(allow_nan=False, allow_infinity=False, width=32))


GRID_OPS = ("dup_row", "drop_row", "swap_rows", "blank_row", "dup_col", "drop_col",
            "swap_cols", "blank_col", "set_cell", "short_row", "long_row", "clear_header")


@st.composite
def grid_damage(draw, typed: bool = False, max_ops: int = 4) -> list[tuple]:
    """Operations on a grid: (name, a, b, value); a and b are taken modulo its size."""
    ops = draw(st.lists(st.sampled_from(GRID_OPS), min_size=1, max_size=max_ops))
    pick = typed_values() if typed else values()
    return [(op, draw(st.integers(0, 10**4)), draw(st.integers(0, 10**4)), draw(pick))
            for op in ops]


def damage_grid(grid: Grid, ops: list[tuple]) -> Grid:
    """``grid`` with the operations applied (a copy; the header is row 0)."""
    g = [list(r) for r in grid]
    for op, a, b, value in ops:
        n_rows, n_cols = len(g), max((len(r) for r in g), default=0)
        if not n_rows or not n_cols:
            break
        i, j = a % n_rows, b % n_rows
        c, d = a % n_cols, b % n_cols
        body = 1 + a % max(n_rows - 1, 1) if n_rows > 1 else 0  # a data row
        if op == "dup_row":
            g.insert(body + 1, list(g[body]))
        elif op == "drop_row":
            del g[i]
        elif op == "swap_rows":
            g[i], g[j] = g[j], g[i]
        elif op == "blank_row":
            g.insert(i, [""] * n_cols)
        elif op == "dup_col":
            g = [r[: c + 1] + r[c: c + 1] + r[c + 1:] for r in g]
        elif op == "drop_col":
            g = [r[:c] + r[c + 1:] for r in g]
        elif op == "swap_cols":
            for r in g:
                r.extend([""] * (n_cols - len(r)))
                r[c], r[d] = r[d], r[c]
        elif op == "blank_col":
            g = [r[:c] + [""] + r[c:] for r in g]
        elif op == "set_cell":
            row = g[i] if i else g[body]
            row.extend([""] * (n_cols - len(row)))
            row[c] = value
        elif op == "short_row":
            g[i] = g[i][: c]
        elif op == "long_row":
            g[i] = g[i] + [value]
        elif op == "clear_header":
            g[0] = [("" if k == c else h) for k, h in enumerate(g[0])]
    return g


def read_grid(path: Path) -> Grid:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [list(r) for r in csv.reader(fh)]


# -- CSV ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class CsvStyle:
    """How a grid is written as a CSV file."""

    newline: str = "\n"
    encoding: str = "utf-8"
    delimiter: str = ","
    quoting: int = csv.QUOTE_MINIMAL
    cut: int | None = None  # keep only this many bytes
    insert: tuple[int, bytes] | None = None  # bytes inserted at a position


ENCODINGS = ("utf-8", "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1258", "latin-1")


@st.composite
def csv_styles(draw) -> CsvStyle:
    return CsvStyle(
        newline=draw(st.sampled_from(["\n", "\r\n", "\r", "\n\r"])),
        encoding=draw(st.sampled_from(ENCODINGS)),
        delimiter=draw(st.sampled_from([",", ",", ";", "\t", "|"])),
        quoting=draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC])),
        cut=draw(st.none() | st.integers(0, 4000)),
        insert=draw(st.none() | st.tuples(st.integers(0, 4000), st.sampled_from(
            [b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b'"', b"\r", b"\x1a", b"\xc3", b"\n\n"]))))


def write_csv_grid(path: Path, grid: Grid, style: CsvStyle) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=style.delimiter, quoting=style.quoting,
                        lineterminator=style.newline)
    for row in grid:
        writer.writerow(["" if v is None else _text(v) for v in row])
    data = buffer.getvalue().encode(style.encoding, errors="replace")
    if style.insert is not None:
        at = style.insert[0] % (len(data) + 1)
        data = data[:at] + style.insert[1] + data[at:]
    if style.cut is not None:
        data = data[: style.cut]
    path.write_bytes(data)


def _text(value: Any) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.day}/{value.month}/{value.year}"
    return str(value)


# -- workbooks ---------------------------------------------------------------------------

@dataclass(frozen=True)
class BookStyle:
    """How grids are written as a workbook, and what is done to the file."""

    typed: bool = True  # numbers and dates as Excel numbers and dates, not text
    above: int = 0  # empty or title rows above the header
    # of the first sheet: (row of the grid, col, rows, cols), (row, col, with its value)
    merges: tuple[tuple[int, int, int, int], ...] = ()
    formulas: tuple[tuple[int, int, bool], ...] = ()
    extension: str = ".xlsx"
    broken: str = ""  # "", "empty", "text", "cut", "junk"
    sheet_title: str | None = None  # another title for the first sheet


@st.composite
def book_styles(draw, extensions: tuple[str, ...] = (".xlsx",)) -> BookStyle:
    row, col = st.integers(0, 60), st.integers(0, 12)
    return BookStyle(
        typed=draw(st.booleans()),
        above=draw(st.sampled_from([0, 0, 1, 3])),
        merges=tuple(draw(st.lists(st.tuples(row, col, st.integers(1, 3), st.integers(1, 2)),
                                   max_size=2))),
        formulas=tuple(draw(st.lists(st.tuples(row, col, st.booleans()), max_size=2))),
        extension=draw(st.sampled_from(extensions)),
        broken=draw(st.sampled_from(["", "", "", "", "empty", "text", "cut", "junk"])),
        sheet_title=draw(st.none() | st.sampled_from(["Sheet1", " Biểu ", "BIỂU", "Bieu",
                                                      "Tổ chức ", "to chuc"])))


_NUMBER = re.compile(r"^-?\d+$")
_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def _typed(value: Any) -> Any:
    """A text cell as Excel would store what was typed: numbers and dates as such."""
    if isinstance(value, str) and _NUMBER.match(value) and len(value) < 12:
        return int(value)
    if isinstance(value, str) and (m := _DATE.match(value)):
        try:
            return dt.datetime(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            return value
    return value


def write_book(path: Path, sheets: dict[str, Grid], style: BookStyle) -> Path:
    """The grids as a workbook; returns the file written. xlsxwriter writes a formula's
    cached value; the formulas meant to have none lose it afterwards, as a file saved by a
    program that does not calculate has none."""
    import xlsxwriter

    target = path.with_suffix(style.extension)
    if style.broken and style.broken != "cut":
        target.write_bytes({"empty": b"", "text": "Mã,Tên\n1,Một\n".encode(),
                            "junk": bytes(range(256)) * 4}[style.broken])
        return target
    book = xlsxwriter.Workbook(str(target), {"strings_to_formulas": False,
                                             "strings_to_numbers": False,
                                             "strings_to_urls": False})
    date_format = book.add_format({"num_format": "d/m/yyyy"})
    for k, (title, grid) in enumerate(sheets.items()):
        name = style.sheet_title if k == 0 and style.sheet_title else title
        ws = book.add_worksheet((title if name in book.sheetnames else name)[:31])
        cells = {(r + style.above, c): _typed(v) if style.typed else v
                 for r, row in enumerate(grid) for c, v in enumerate(row)}
        if style.above:
            cells[(0, 0)] = "BIỂU SỐ LIỆU"
        merges, merged = [], set()
        for r, c, rows, cols in style.merges if grid and k == 0 else ():
            r = style.above + (r if r < 0 else r % len(grid))  # < 0: a row above the grid
            span = {(r + i, c + j) for i in range(rows) for j in range(cols)}
            if len(span) > 1 and not span & merged:  # Excel refuses overlapping merges
                merged |= span
                merges.append((r, c, r + rows - 1, c + cols - 1, cells.get((r, c))))
        for (r, c), value in cells.items():
            if (r, c) not in merged:  # Excel keeps only the first cell's value
                _write_cell(ws, r, c, value, date_format)
        for r, c, r2, c2, value in merges:
            ws.merge_range(r, c, r2, c2, "" if value is None else value)
        for r, c, cached in style.formulas if grid and k == 0 else ():
            ws.write_formula(style.above + r % len(grid), c, "=1+1" if cached else "=2+2",
                             None, 2)
    book.close()
    _drop_cached(target)
    if style.broken == "cut":
        data = target.read_bytes()
        target.write_bytes(data[: len(data) // 2])
    return target


def _drop_cached(path: Path) -> None:
    """Remove the cached value of the formulas ``2+2`` from the workbook's sheets."""
    with zipfile.ZipFile(path) as z:
        members = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in members:
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"(<f>2\+2</f>)<v>[^<]*</v>", rb"\1", data)
            z.writestr(info, data)


def _write_cell(ws: Any, r: int, c: int, value: Any, date_format: Any) -> None:
    if value is None or value == "":
        return
    if isinstance(value, bool):
        ws.write_boolean(r, c, value)
    elif isinstance(value, int | float):
        ws.write_number(r, c, value)
    elif isinstance(value, dt.datetime | dt.date | dt.time):
        ws.write_datetime(r, c, value, date_format)
    else:
        ws.write_string(r, c, str(value))


def form_grid(csv_form: Path) -> list[list[object]]:
    """The cells of the .xlsx form holding the values of a long-CSV form."""
    words = spec()
    frame = read_forms([csv_form], Problems())
    first = frame.iloc[0]
    periods = form_periods()
    width = len(words["columns"]) + len(periods)
    grid: list[list[object]] = [[""] * width for _ in range(words["header_row"] - 1)]
    grid[0][0] = form_title(first["as_of"].year)
    for f in words["fields"]:
        value = {"unit_name": first["unit_name"], "unit_code": first["unit_code"],
                 "as_of": fmt.date(first["as_of"])}.get(f["name"], "")
        grid[f["row"] - 1][0], grid[f["row"] - 1][2] = f["label"], value
    grid.append([c["header"] for c in words["columns"]]
                + period_headers(first["as_of"].year, first["as_of"]))
    got = {(r.code, r.breakdown, r.category, r.period): r.value for r in frame.itertuples()}
    for row in form_rows():
        cells = [got.get((row.code, row.breakdown, row.category, p), "") for p in periods]
        grid.append([row.code, row.label if row.breakdown else "", row.label, row.unit,
                     *cells])
    return grid
