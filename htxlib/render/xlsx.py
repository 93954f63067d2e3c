"""The Excel annex ("phụ lục"): one sheet per table of the report, from the report tree.

Written with xlsxwriter, following gptables' good practice without its fixed layout: a
cover with where the figures come from, a contents sheet with links, a notes sheet, then
"Biểu 01", "Biểu 02", … with one plain header row (no merged cells anywhere), numbers
stored as numbers (the unit inside the number format when it is printed beside them),
text always written as text (never a formula), frozen header, autofilter, print setup.
Every word is the report tree's (``Report.annex``); ``resources/xlsx.yaml`` gives the formats.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from htxlib.glossary import resource
from htxlib.report.cells import Number, Range, cell_text, dash
from htxlib.report.tree import Annex, Properties, Report, Table

RISKY = ("=", "+", "-", "@", "\t", "\r")  # text Excel would read as a formula when edited


def _formats() -> dict[str, Any]:
    """How the annex looks (resources/xlsx.yaml ``formats``); its words are the tree's."""
    return resource("xlsx.yaml")["formats"]


def _unit_format(base: str, unit: str) -> str:
    """``#,##0" HTX"``, ``0.0"%"``: the unit as a literal, a quote in it escaped."""
    if not unit:
        return base
    sep = "" if unit == _formats()["percent_unit"] else " "
    return base + '"' + (sep + unit).replace('"', '"\\""') + '"'


class _Formats:
    """Cell formats made once per distinct set of properties (xlsxwriter wants that)."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.book = book
        self.cache: dict[tuple, Any] = {}
        f = _formats()
        self.base = {"font_name": f["font"], "font_size": f["font_size"], "valign": "top"}

    def __call__(self, **props: Any) -> Any:
        key = tuple(sorted(props.items()))
        if key not in self.cache:
            self.cache[key] = self.book.add_format({**self.base, **props})
        return self.cache[key]


def _text(ws: Worksheet, row: int, col: int, text: str, fmts: _Formats, **props: Any) -> None:
    """Text, always as a string; text that looks like a formula gets a quote prefix."""
    if text.startswith(RISKY) and text != dash():
        props["quote_prefix"] = True
    ws.write_string(row, col, text, fmts(**props))


def _number(ws: Worksheet, row: int, col: int, num: Number, fmts: _Formats,
            **props: Any) -> None:
    f = _formats()
    if num.missing:
        ws.write_string(row, col, dash(), fmts(align="right", **props))
        return
    base = f["integer"] if num.decimals == 0 else f["decimal"] + "0" * (num.decimals - 1)
    shown = _unit_format(base, num.unit) if num.unit_inline else base
    ws.write_number(row, col, float(num.value), fmts(num_format=shown, **props))


def _width(texts: list[str], lo: int, hi: int) -> int:
    return max(lo, min(hi, max((len(t) for t in texts), default=0) + 2))


def _title(ws: Worksheet, fmts: _Formats, title: str, line: str) -> None:
    size = _formats()["title_size"]
    ws.write_string(0, 0, title, fmts(bold=True, font_size=size, valign="vcenter"))
    ws.write_string(1, 0, line, fmts(italic=True))


def _print_setup(ws: Worksheet, header_row: int | None = None) -> None:
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    if header_row is not None:
        ws.repeat_rows(header_row)


def write_table(book: xlsxwriter.Workbook, fmts: _Formats, annex: Annex, table: Table,
                index: int) -> None:
    """One table as a sheet: title, area line, blank row, one header row, the body."""
    f = _formats()
    ws = book.add_worksheet(annex.table_sheets[index])
    _title(ws, fmts, annex.table_titles[index], annex.area_line)
    labels = table.labels()
    with_code = any(r.code for r in table.rows)
    if with_code:
        labels = [*labels, annex.code_column]
    head = 3
    for c, label in enumerate(labels):
        _text(ws, head, c, label, fmts, **_header(f))
    texts: list[list[str]] = [[] for _ in labels]
    for i, row in enumerate(table.rows, start=head + 1):
        props: dict[str, Any] = {"border": 1}
        if row.kind == "total":
            props["bold"] = True
        for c, cell in enumerate(row.cells):
            if isinstance(cell, Number):
                _number(ws, i, c, cell, fmts, **props)
            elif isinstance(cell, Range):
                _text(ws, i, c, cell.text(), fmts, align="right", text_wrap=True, **props)
            else:
                extra = {"indent": 1} if c == 0 and row.kind == "sub" else {}
                _text(ws, i, c, cell, fmts, align=table.align[c], text_wrap=True, **extra,
                      **props)
            texts[c].append(cell_text(cell))
        if with_code:
            _text(ws, i, len(labels) - 1, row.code, fmts, **props)
            texts[-1].append(row.code)
    last = head + len(table.rows)
    for c, label in enumerate(labels):
        col_texts = texts[c] + [max(label.split(), key=len, default="")]
        col_texts.append(label[: max(len(label) // 2, 1)])  # a header wraps on two lines
        if c == 0:
            width = _width(col_texts, f["first_width_min"], f["first_width_max"])
        else:
            width = _width(col_texts, f["width_min"], f["width_max"])
        ws.set_column(c, c, width)
    if table.note:
        _text(ws, last + 2, 0, table.note, fmts, italic=True)
    ws.set_row(0, 22)
    ws.freeze_panes(head + 1, 1)
    ws.autofilter(head, 0, max(last, head), len(labels) - 1)
    _print_setup(ws, head)


def _header(f: dict[str, Any]) -> dict[str, Any]:
    """The header row: bold, wrapped, shaded."""
    return {"bold": True, "text_wrap": True, "bg_color": f["header_color"], "border": 1,
            "align": "center", "valign": "vcenter"}


def _cover(book: xlsxwriter.Workbook, fmts: _Formats, annex: Annex) -> None:
    f = _formats()
    ws = book.add_worksheet(annex.sheets["cover"])
    _title(ws, fmts, annex.title, annex.area_line)
    _text(ws, 3, 0, annex.cover_heading, fmts, bold=True)
    r = 4
    for label, value in annex.cover:
        _text(ws, r, 0, label, fmts, bold=True, text_wrap=True, border=1)
        if isinstance(value, int):
            ws.write_number(r, 1, value, fmts(align="left", border=1))
        else:
            _text(ws, r, 1, value, fmts, text_wrap=True, border=1)
        r += 1
    r += 1
    _text(ws, r, 0, annex.how_to_read_heading, fmts, bold=True)
    for i, line in enumerate(annex.how_to_read, start=r + 1):
        _text(ws, i, 0, f"{i - r}.", fmts, align="right")
        _text(ws, i, 1, line, fmts, text_wrap=True)
    ws.set_column(0, 0, f["cover_label_width"])
    ws.set_column(1, 1, f["cover_value_width"])
    ws.set_row(0, 22)
    _print_setup(ws)


def _contents(book: xlsxwriter.Workbook, fmts: _Formats, annex: Annex) -> None:
    name = annex.sheets["contents"]
    ws = book.add_worksheet(name)
    _title(ws, fmts, name, annex.area_line)
    head = 3
    for c, label in enumerate(annex.contents_header):
        _text(ws, head, c, label, fmts, **_header(_formats()))
    link = fmts(font_color="blue", underline=1, border=1)
    for r, (sheet, caption) in enumerate(annex.contents, start=head + 1):
        ws.write_url(r, 0, f"internal:'{sheet}'!A1", link, string=sheet)
        _text(ws, r, 1, caption, fmts, text_wrap=True, border=1)
    ws.set_column(0, 0, 14)
    ws.set_column(1, 1, _width([e[1] for e in annex.contents], 40, 100))
    ws.freeze_panes(head + 1, 0)
    _print_setup(ws, head)


def _notes(book: xlsxwriter.Workbook, fmts: _Formats, annex: Annex) -> None:
    ws = book.add_worksheet(annex.sheets["notes"])
    _title(ws, fmts, annex.notes_heading, annex.area_line)
    head = 3
    for c, label in enumerate(annex.notes_header):
        _text(ws, head, c, label, fmts, **_header(_formats()))
    for r, item in enumerate(annex.notes, start=head + 1):
        ws.write_number(r, 0, r - head, fmts(align="center", border=1))
        _text(ws, r, 1, item, fmts, text_wrap=True, border=1)
    ws.set_column(0, 0, 6)
    ws.set_column(1, 1, 100)
    _print_setup(ws, head)


def _properties(given: Properties) -> dict[str, Any]:
    """The workbook's properties, those the tree gives."""
    out = {"title": given.title, "subject": given.subject, "author": given.author,
           "company": given.author, "keywords": given.keywords, "comments": given.comments,
           "category": given.category}
    return {**{k: v for k, v in out.items() if v},
            "created": dt.datetime.combine(given.created, dt.time())}


def write_xlsx(report: Report, path: Path) -> None:
    """Write the annex workbook of ``report`` to ``path`` (same input, same content)."""
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False,
                                           "strings_to_urls": False,
                                           "strings_to_numbers": False})
    annex = report.annex
    book.set_properties(_properties(annex.properties))
    fmts = _Formats(book)
    _cover(book, fmts, annex)
    _contents(book, fmts, annex)
    _notes(book, fmts, annex)
    for i, table in enumerate(report.tables):
        write_table(book, fmts, annex, table, i)
    book.close()
