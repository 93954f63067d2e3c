"""The empty input workbook that users fill in Excel (``htx template``).

Sheets, headers and enumerations come from schema.yaml and enums.yaml, indicator codes from
indicators.yaml; every other Vietnamese word (instructions, type names, messages) comes from
template.yaml.
"""

from __future__ import annotations

import os
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from htxlib.config import RESOURCES_DIR
from htxlib.fileio import atomic_path, refuse_existing
from htxlib.glossary import Column, Sheet, catalog, enum_label, enums, sheets
from htxlib.inputs.clean import NUMERIC, signed_columns

WRAP_TOP = Alignment(wrap_text=True, vertical="top")
BOLD = Font(bold=True)
INDICATORS = "indicator"  # the drop-down list of indicator codes (not an enumeration)


@cache
def texts() -> dict[str, Any]:
    """The contents of template.yaml."""
    with open(RESOURCES_DIR / "template.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def nfc(text: Any) -> str:
    """Text as NFC, the form Excel users type."""
    return unicodedata.normalize("NFC", str(text))


def column_enum(col: Column) -> str | None:
    """The enumeration whose labels a column accepts (bool columns: yes/no)."""
    if col.type == "bool":
        return texts()["bool_enum"]
    return col.enum if col.type == "enum" else None


def indicator_columns() -> set[tuple[str, str]]:
    """(sheet, column) pairs whose cells are indicator codes: a drop-down of the catalogue."""
    return {tuple(x.split(".")) for x in texts()["indicator_columns"]}


def column_list(sheet: Sheet, col: Column) -> str | None:
    """The drop-down list of a column: an enumeration, the indicator codes, or none."""
    if (sheet.name, col.name) in indicator_columns():
        return INDICATORS
    return column_enum(col)


def labels(enum: str) -> list[str]:
    """Vietnamese labels of an enumeration, in enums.yaml order."""
    return [nfc(enum_label(enum, code)) for code in enums()[enum]]


def lists() -> dict[str, tuple[str, list[str]]]:
    """The lists sheet: {list: (Vietnamese header, values)}, one column each, in the order
    the sheets first use them. An enumeration of one column is headed by that column's
    header; one of several columns (Có/Không) by the name of their type."""
    users: dict[str, list[Column]] = {}
    for sheet in sheets().values():
        for col in sheet.columns:
            name = column_list(sheet, col)
            if name:
                users.setdefault(name, []).append(col)
    out = {}
    for name, cols in users.items():
        headers = list(dict.fromkeys(c.header for c in cols))
        values = [e["code"] for e in catalog()] if name == INDICATORS else labels(name)
        header = headers[0] if len(headers) == 1 else (
            texts()["types"][cols[0].type] if all(c.type == cols[0].type for c in cols)
            else " / ".join(headers))
        out[name] = (nfc(header), values)
    return out


def list_ranges() -> dict[str, str]:
    """Absolute reference of each list's values on the hidden lists sheet."""
    sheet = quote_sheetname(nfc(texts()["lists_sheet"]))
    out = {}
    for i, (name, (_, values)) in enumerate(lists().items(), start=1):
        letter = get_column_letter(i)
        out[name] = f"{sheet}!${letter}$2:${letter}${len(values) + 1}"
    return out


def type_text(sheet: Sheet, col: Column) -> str:
    """The column's type in words; numbers say whether they may be negative."""
    t = texts()
    if col.type in NUMERIC and col.name in signed_columns(sheet):
        return t["signed_types"].get(col.type, t["types"][col.type])
    return t["types"][col.type]


def _write_row(ws: Worksheet, row: int, values: list[Any], bold: bool = False) -> None:
    for c, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=c, value=nfc(value) if value not in (None, "") else None)
        cell.alignment = WRAP_TOP
        if bold:
            cell.font = BOLD


def _instructions(ws: Worksheet) -> None:
    """Title, how-to paragraphs, one table row per column of every sheet, then the table
    of indicator codes a target may use."""
    t = texts()
    yes, no = labels(t["bool_enum"])[:2]
    ws.cell(row=1, column=1, value=nfc(t["title"])).font = Font(bold=True, size=14)
    titles = {name: sh.title for name, sh in sheets().items()}
    optional = ", ".join(sh.title for sh in sheets().values() if sh.optional)
    signed = ", ".join(f"“{c.header}”" for sh in sheets().values() for c in sh.columns
                       if c.type == "money" and c.name in signed_columns(sh))
    row = 3
    for paragraph in t["howto"]:
        text = paragraph.format(optional=optional, signed=signed, **titles)
        ws.cell(row=row, column=1, value=nfc("• " + text))
        row += 1
    row += 1
    for sh in sheets().values():
        _write_row(ws, row, [sh.title, sh.description])
        ws.cell(row=row, column=1).font = BOLD
        row += 1
    row += 1
    ws.cell(row=row, column=1, value=nfc(t["table_title"])).font = Font(bold=True, size=12)
    row += 1
    _write_row(ws, row, t["table_headers"], bold=True)
    first = row
    for sh in sheets().values():
        for col in sh.columns:
            name = column_list(sh, col)
            allowed = t["indicators"]["allowed"] if name == INDICATORS else (
                "; ".join(labels(name)) if name else "")
            row += 1
            _write_row(ws, row, [sh.title, col.header, yes if col.required else no,
                                 type_text(sh, col), col.description, col.example, allowed])
            if col.required:
                ws.cell(row=row, column=2).fill = _fill(t["style"]["required_fill"])
    ws.auto_filter.ref = f"A{first}:{get_column_letter(len(t['table_headers']))}{row}"
    row = _indicator_table(ws, row + 2)
    for letter, width in zip("ABCDEFG", (22, 30, 10, 22, 60, 22, 40), strict=True):
        ws.column_dimensions[letter].width = width


def _indicator_table(ws: Worksheet, row: int) -> int:
    """Code, Vietnamese name and unit of every indicator; returns the last row written."""
    t = texts()["indicators"]
    ws.cell(row=row, column=1, value=nfc(t["title"])).font = Font(bold=True, size=12)
    row += 1
    _write_row(ws, row, t["headers"], bold=True)
    for entry in catalog():
        row += 1
        _write_row(ws, row, [entry["code"], entry["label"], entry["unit"]])
    return row


def _fill(rgb: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color=rgb, end_color=rgb)


def _validation(sheet: Sheet, col: Column, name: str, ranges: dict[str, str]) -> DataValidation:
    val = texts()["validation"]
    dv = DataValidation(type="list", formula1=ranges[name], allow_blank=True,
                        showDropDown=False, showErrorMessage=True, errorStyle="stop",
                        errorTitle=nfc(val["error_title"]),
                        error=nfc(val["error"].format(header=col.header)))
    if name == INDICATORS:  # what each code means is on the instructions sheet
        prompt = texts()["indicators"]["prompt"]
        dv.showInputMessage = True
        dv.promptTitle = nfc(col.header)
        dv.prompt = nfc(prompt.format(sheet=texts()["instructions_sheet"]))
    return dv


def _data_sheet(ws: Worksheet, sheet: Sheet, ranges: dict[str, str]) -> None:
    """Header row, formats, comments and drop-down lists of one input sheet."""
    t = texts()
    style, formats, val = t["style"], t["formats"], t["validation"]
    for c, col in enumerate(sheet.columns, start=1):
        letter = get_column_letter(c)
        cell = ws.cell(row=1, column=c, value=nfc(col.header))
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        if col.required:
            cell.fill = _fill(style["required_fill"])
        comment = Comment(nfc(col.description), style["comment_author"])
        comment.width, comment.height = 300, 120
        cell.comment = comment
        width = max(len(col.header) * 0.6, len(col.example) + 2, style["min_width"])
        ws.column_dimensions[letter].width = min(width, style["max_width"])
        number_format = formats["number_formats"].get(col.type)
        if number_format:
            ws.column_dimensions[letter].number_format = number_format
            for r in range(2, formats["rows"] + 1):
                ws.cell(row=r, column=c).number_format = number_format
        name = column_list(sheet, col)
        if name:
            dv = _validation(sheet, col, name, ranges)
            dv.add(f"{letter}2:{letter}{val['rows']}")
            ws.add_data_validation(dv)
    ws.row_dimensions[1].height = 45
    ws.freeze_panes = "A2"


def _lists(ws: Worksheet) -> None:
    """One column per drop-down list: the Vietnamese header, then its values."""
    for c, (header, values) in enumerate(lists().values(), start=1):
        ws.cell(row=1, column=c, value=header).font = BOLD
        for r, value in enumerate(values, start=2):
            ws.cell(row=r, column=c, value=value)
        ws.column_dimensions[get_column_letter(c)].width = 30
    ws.sheet_state = "hidden"


def build_template() -> Workbook:
    """The empty input workbook, in memory."""
    t = texts()
    wb = Workbook()
    _instructions(wb.active)
    wb.active.title = nfc(t["instructions_sheet"])
    ranges = list_ranges()
    for sheet in sheets().values():
        _data_sheet(wb.create_sheet(nfc(sheet.title)), sheet, ranges)
    _lists(wb.create_sheet(nfc(t["lists_sheet"])))
    wb.active = 0
    return wb


def write_template(path: str | os.PathLike[str], force: bool = False) -> Path:
    """Write the empty input workbook to ``path`` atomically; return the path.

    An existing file (perhaps a workbook already filled in) is left untouched and
    ``OutputExists`` (a ``FileExistsError``) raised, unless ``force``.
    """
    path = Path(path)
    refuse_existing([path], force)
    wb = build_template()
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path
