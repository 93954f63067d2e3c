"""The Excel annex ("phụ lục"): one sheet per table of the report, from the report tree.

Written with xlsxwriter, following gptables' good practice without its fixed layout: a
cover with where the figures come from, a contents sheet with links, a notes sheet, then
"Biểu 01", "Biểu 02", … with one plain header row (no merged cells anywhere), numbers
stored as numbers (the unit inside the number format when it is printed beside them),
text always written as text (never a formula), frozen header, autofilter, print setup.
Every word comes from ``resources/xlsx.yaml``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from htxlib import fmt
from htxlib.glossary import resource
from htxlib.provenance import htxlib_version
from htxlib.report.tree import Number, Range, Report, Table, cell_text, dash

RISKY = ("=", "+", "-", "@", "\t", "\r")  # text Excel would read as a formula when edited


def _words() -> dict[str, Any]:
    return resource("xlsx.yaml")


def sheet_name(index: int) -> str:
    """"Biểu 01" for the first table of the report (by position, as the contents list)."""
    return _words()["sheets"]["table"].format(index)


def _unit_format(base: str, unit: str) -> str:
    """``#,##0" HTX"``, ``0.0"%"``: the unit as a literal, a quote in it escaped."""
    if not unit:
        return base
    sep = "" if unit == _words()["formats"]["percent_unit"] else " "
    return base + '"' + (sep + unit).replace('"', '"\\""') + '"'


class _Formats:
    """Cell formats made once per distinct set of properties (xlsxwriter wants that)."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.book = book
        self.cache: dict[tuple, Any] = {}
        f = _words()["formats"]
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
    f = _words()["formats"]
    if num.missing:
        ws.write_string(row, col, dash(), fmts(align="right", **props))
        return
    base = f["integer"] if num.decimals == 0 else f["decimal"]
    shown = _unit_format(base, num.unit) if num.unit_inline else base
    ws.write_number(row, col, float(num.value), fmts(num_format=shown, **props))


def _width(texts: list[str], lo: int, hi: int) -> int:
    return max(lo, min(hi, max((len(t) for t in texts), default=0) + 2))


def _title(ws: Worksheet, fmts: _Formats, title: str, line: str) -> None:
    size = _words()["formats"]["title_size"]
    ws.write_string(0, 0, title, fmts(bold=True, font_size=size, valign="vcenter"))
    ws.write_string(1, 0, line, fmts(italic=True))


def _print_setup(ws: Worksheet, header_row: int | None = None) -> None:
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    if header_row is not None:
        ws.repeat_rows(header_row)


def write_table(book: xlsxwriter.Workbook, fmts: _Formats, report: Report, table: Table,
                index: int) -> None:
    """One table as a sheet: title, area line, blank row, one header row, the body."""
    w = _words()
    f = w["formats"]
    ws = book.add_worksheet(sheet_name(index))
    _title(ws, fmts, f"{sheet_name(index)}. {table.caption}", _area_line(report))
    labels = table.labels()
    with_code = any(r.code for r in table.rows)
    if with_code:
        labels = [*labels, w["code_column"]]
    head = 3
    for c, label in enumerate(labels):
        _text(ws, head, c, label, fmts, **_header(f))
    texts: list[list[str]] = [[] for _ in labels]
    for i, row in enumerate(table.rows, start=head + 1):
        props: dict[str, Any] = {"border": 1}
        if row.kind == "total":
            props["bold"] = True
        for c, cell in enumerate(row.cells):
            align = table.align[c] if c < len(table.align) else "left"
            if isinstance(cell, Number):
                _number(ws, i, c, cell, fmts, **props)
            elif isinstance(cell, Range):
                _text(ws, i, c, cell.text(), fmts, align="right", text_wrap=True, **props)
            else:
                text = str(cell)
                extra = {}
                if c == 0 and row.kind == "sub":
                    text = text if text.startswith(w["sub_prefix"]) else w["sub_prefix"] + text
                    extra["indent"] = 1
                _text(ws, i, c, text, fmts, align=align, text_wrap=True, **extra, **props)
                cell = text
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


def _area_line(report: Report) -> str:
    m = report.meta
    return _words()["area_line"].format(area=m["area_name"], code=m["area_code"],
                                        asof=report.asof_line)


def _cover(book: xlsxwriter.Workbook, fmts: _Formats, report: Report) -> None:
    w = _words()
    c, f, m = w["cover"], w["formats"], report.meta
    lab = c["labels"]
    ws = book.add_worksheet(w["sheets"]["cover"])
    title = w["title"].format(title=f"{report.title} - {m['area_name']}")
    _title(ws, fmts, title, _area_line(report))
    as_of = fmt.date(m["as_of"])
    narrative = report.narrative
    rows = [
        (lab["title"], title),
        (lab["area"], m["area_name"]),
        (lab["area_code"], str(m["area_code"])),
        (lab["level"], w["levels"].get(m["level"], str(m["level"]))),
        (lab["plan_year"], str(m["year"])),
        (lab["year_assessed"], str(m["n"])),
        (lab["as_of"], as_of),
        (lab["source"], report.data_name),
        (lab["checksum"], report.checksum),
        (lab["narrative"], narrative[0] if narrative else c["no_narrative"]),
    ]
    if narrative:
        rows.append((lab["narrative_checksum"], narrative[1]))
    rows += [
        (lab["version"], htxlib_version()),
        (lab["run_date"], fmt.date(report.run_date)),
        (lab["derived"].format(n=m["n"]),
         c["derived_yes"].format(as_of=as_of) if m.get("derived_estimate")
         else c["derived_no"]),
    ]
    _text(ws, 3, 0, c["heading"], fmts, bold=True)
    r = 4
    for label, value in rows:
        _text(ws, r, 0, label, fmts, bold=True, text_wrap=True, border=1)
        _text(ws, r, 1, value, fmts, text_wrap=True, border=1)
        r += 1
    ws.write_number(r, 1, len(report.tables), fmts(align="left", border=1))
    _text(ws, r, 0, lab["tables"], fmts, bold=True, text_wrap=True, border=1)
    r += 2
    _text(ws, r, 0, c["how_to_read_heading"], fmts, bold=True)
    for i, line in enumerate(c["how_to_read"], start=r + 1):
        _text(ws, i, 0, f"{i - r}.", fmts, align="right")
        _text(ws, i, 1, line, fmts, text_wrap=True)
    ws.set_column(0, 0, f["cover_label_width"])
    ws.set_column(1, 1, f["cover_value_width"])
    ws.set_row(0, 22)
    _print_setup(ws)


def _contents(book: xlsxwriter.Workbook, fmts: _Formats, report: Report) -> None:
    w = _words()
    ws = book.add_worksheet(w["sheets"]["contents"])
    _title(ws, fmts, w["sheets"]["contents"], _area_line(report))
    head = 3
    for c, label in enumerate(w["contents"]["header"]):
        _text(ws, head, c, label, fmts, **_header(w["formats"]))
    entries = [(w["sheets"]["cover"], w["cover"]["heading"]),
               (w["sheets"]["notes"], w["notes"]["heading"])]
    entries += [(sheet_name(i), t.caption) for i, t in enumerate(report.tables, start=1)]
    link = fmts(font_color="blue", underline=1, border=1)
    for r, (name, caption) in enumerate(entries, start=head + 1):
        ws.write_url(r, 0, f"internal:'{name}'!A1", link, string=name)
        _text(ws, r, 1, caption, fmts, text_wrap=True, border=1)
    ws.set_column(0, 0, 14)
    ws.set_column(1, 1, _width([e[1] for e in entries], 40, 100))
    ws.freeze_panes(head + 1, 0)
    _print_setup(ws, head)


def _notes(book: xlsxwriter.Workbook, fmts: _Formats, report: Report) -> None:
    w = _words()
    n, m = w["notes"], report.meta
    ws = book.add_worksheet(w["sheets"]["notes"])
    _title(ws, fmts, n["heading"], _area_line(report))
    items = list(n["items"])
    if m.get("derived_estimate"):
        items.append(n["derived"].format(n=m["n"], as_of=fmt.date(m["as_of"])))
    items.append(n["source"].format(source=m.get("source", ""), data=report.data_name))
    head = 3
    for c, label in enumerate(n["header"]):
        _text(ws, head, c, label, fmts, **_header(w["formats"]))
    for r, item in enumerate(items, start=head + 1):
        ws.write_number(r, 0, r - head, fmts(align="center", border=1))
        _text(ws, r, 1, item, fmts, text_wrap=True, border=1)
    ws.set_column(0, 0, 6)
    ws.set_column(1, 1, 100)
    _print_setup(ws, head)


def write_xlsx(report: Report, path: Path) -> None:
    """Write the annex workbook of ``report`` to ``path`` (same input, same content)."""
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False,
                                           "strings_to_urls": False,
                                           "strings_to_numbers": False})
    m = report.meta
    book.set_properties({
        "title": _words()["title"].format(title=f"{report.title} - {m['area_name']}"),
        "subject": report.letterhead.get("subject", report.title),
        "author": report.letterhead.get("committee", ""),
        "company": report.letterhead.get("committee", ""),
        "keywords": f"htx, {m['area_code']}, {m['year']}",
        "comments": f"SHA-256 {report.data_name}: {report.checksum}; htxlib "
                    f"{htxlib_version()}",
        "created": dt.datetime.combine(report.run_date, dt.time()),
    })
    fmts = _Formats(book)
    _cover(book, fmts, report)
    _contents(book, fmts, report)
    _notes(book, fmts, report)
    for i, table in enumerate(report.tables, start=1):
        write_table(book, fmts, report, table, i)
    book.close()
