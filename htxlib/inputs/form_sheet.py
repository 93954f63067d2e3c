"""Open the sheet “Biểu” of one form, whatever the workbook (.xlsx, .xlsm, .xlsb, .xls or
.ods, told by its content, not its extension): its cells as calamine reads them, and what
the values hide (ranges merged over cells, formulas saved without their result). A file
that cannot be opened raises ``Unreadable`` with the reason in Vietnamese, never a
library's English.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook, PasswordError

from htxlib.glossary import message, norm_key
from htxlib.inputs.files import BOOKS
from htxlib.inputs.xlsx_marks import Marks, workbook_marks


class Unreadable(Exception):
    """A form that cannot be opened; the text is the reason, in Vietnamese."""


@dataclass
class FormSheet:
    cells: list[list[Any]]
    merges: list[tuple[int, int, int, int]]  # 0-based first row, column, last row, column
    formulas: list[tuple[int, int, str]]  # 0-based row, column, formula without a value


def _book(path: Path, raw: bytes) -> CalamineWorkbook:
    """calamine's workbook: by the file's name when its extension is one calamine knows
    (the faster way), else, or if that fails, by its content (an .xlsx named .XLSX or .xls)."""
    if path.suffix in BOOKS:
        try:
            return CalamineWorkbook.from_path(str(path))
        except CalamineError:
            pass
    return CalamineWorkbook.from_filelike(io.BytesIO(raw))


def open_form(path: Path, title: str) -> FormSheet:
    """The sheet ``title`` of the form ``path`` (a sheet whose name differs only in case
    or spaces will do)."""
    try:
        raw = path.read_bytes()
    except PermissionError:
        raise Unreadable(message("form_locked")) from None
    except OSError:
        raise Unreadable(message("form_not_book")) from None
    if not raw:
        raise Unreadable(message("form_empty"))
    try:
        book = _book(path, raw)
        names = book.sheet_names
        name = title if title in names else next(
            (n for n in names if norm_key(n) == norm_key(title)), None)
        if name is None:
            raise Unreadable(message("form_no_sheet", sheet=title,
                                     sheets=", ".join(f"“{n}”" for n in names)))
        sheet = book.get_sheet_by_name(name)
        cells = sheet.to_python(skip_empty_area=False)
        marks = workbook_marks(raw)
        if marks is None:  # .xls, .xlsb, .ods: calamine knows the merged ranges
            return FormSheet(cells, [(r0, c0, r1, c1) for (r0, c0), (r1, c1)
                                     in sheet.merged_cell_ranges or ()], [])
    except PasswordError:
        raise Unreadable(message("form_password")) from None
    except (CalamineError, ValueError, TypeError, OverflowError):
        raise Unreadable(message("form_not_book")) from None
    mine = marks.get(name, Marks())
    return FormSheet(cells, mine.merges, mine.formulas)
