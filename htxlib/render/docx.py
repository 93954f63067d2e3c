"""The plan as a Word file (.docx) to edit and sign, from the report tree.

Laid out as Nghị định 30/2020/NĐ-CP asks: A4, Times New Roman, the two-column title
block, real heading styles for the plan's outline (the navigation pane works), real
tables with repeated header rows, charts at print resolution with alt text, the page
number at the top from page 2, and the recipients and signature block at the end. Page
and style settings come from ``resources/docx.yaml``; every word from the tree.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from docx.table import _Cell

from htxlib.render import docx_parts as dp
from htxlib.render.docx_layout import breakable, column_widths
from htxlib.report.cells import cell_text, is_figure
from htxlib.report.tree import (
    Block,
    Bullets,
    Chart,
    Heading,
    ListBlock,
    Para,
    People,
    Placeholder,
    Report,
    Section,
    Text,
)
from htxlib.report.tree import Table as TreeTable

TABLE_STYLE = "Table Text"  # compact paragraph style of table cells
CENTER = WD_ALIGN_PARAGRAPH.CENTER


def write_docx(report: Report, path: Path) -> None:
    """Write the plan of ``report`` to ``path`` (.docx)."""
    document = docx.Document()
    _setup(document)
    _properties(document, report)
    _title_block(document, report)
    _blocks(document, report.intro)
    for part in report.parts:
        _section(document, part)
    _closing(document, report)
    buffer = io.BytesIO()
    document.save(buffer)
    Path(path).write_bytes(_dated(buffer.getvalue(), report.provenance.run_date))


def _dated(package: bytes, day: dt.date) -> bytes:
    """The .docx package with every part dated ``day`` (midnight) rather than the second it
    was saved: the same report made twice on one day is the same file."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            part = zipfile.ZipInfo(info.filename, (day.year, day.month, day.day, 0, 0, 0))
            part.external_attr = info.external_attr
            dst.writestr(part, src.read(info.filename), zipfile.ZIP_DEFLATED)
    return out.getvalue()


# -- page, styles, properties ---------------------------------------------------------------

def _setup(document: Any) -> None:
    cfg = dp.settings()
    page, font, body = cfg["page"], cfg["font"], cfg["body"]
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(page["width"]), Mm(page["height"])
    section.top_margin, section.bottom_margin = Mm(page["top"]), Mm(page["bottom"])
    section.left_margin, section.right_margin = Mm(page["left"]), Mm(page["right"])
    section.header_distance, section.footer_distance = Mm(page["header"]), Mm(page["footer"])
    dp.doc_defaults_font(document, font["name"], font["language"])

    normal = document.styles["Normal"]
    dp.style_font(normal, font["name"], font["body"], lang=font["language"])
    fmt = normal.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.first_line_indent = Mm(body["first_line_indent"])
    fmt.space_before, fmt.space_after = Pt(body["space_before"]), Pt(body["space_after"])
    fmt.line_spacing = body["line_spacing"]

    for level, h in cfg["headings"].items():
        style = document.styles[f"Heading {level}"]
        dp.style_font(style, font["name"], h["size"], h["bold"], h["italic"])
        hf = style.paragraph_format
        hf.alignment = CENTER if h["center"] else WD_ALIGN_PARAGRAPH.JUSTIFY
        hf.first_line_indent = Mm(0 if h["center"] else body["first_line_indent"])
        hf.space_before, hf.space_after = Pt(h["before"]), Pt(h["after"])
        hf.line_spacing = body["line_spacing"]
        hf.keep_with_next = True

    cell = document.styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = normal
    cell.font.size = Pt(font["table"])
    cf = cell.paragraph_format
    cf.first_line_indent = Mm(0)
    cf.space_before, cf.space_after = Pt(1), Pt(1)
    cf.line_spacing = 1.0
    cf.alignment = WD_ALIGN_PARAGRAPH.LEFT

    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False  # an empty first-page header
    par = section.header.paragraphs[0]
    par.alignment = CENTER
    par.paragraph_format.first_line_indent = Mm(0)
    dp.page_field(par, font["page_number"])


def _properties(document: Any, report: Report) -> None:
    props, given = document.core_properties, report.properties
    props.title = dp.clean(given.title)
    props.subject = dp.clean(given.subject)
    props.author = props.last_modified_by = dp.clean(given.author)
    props.language = given.language
    props.keywords = dp.clean(given.keywords)
    props.comments = dp.clean(given.comments)
    props.category = dp.clean(given.category)
    props.revision = 1
    when = dt.datetime.combine(given.created, dt.time())
    props.created = props.modified = when
    props.last_printed = when


# -- paragraphs -------------------------------------------------------------------------------

def _par(where: Any, align: Any = None, indent: bool = True, style: str | None = None) -> Any:
    """A new paragraph in a document or a cell (a cell's first empty one is reused)."""
    if not hasattr(where, "add_heading") and len(where.paragraphs) == 1 \
            and not where.paragraphs[0].text and style is None:
        par = where.paragraphs[0]
    else:
        par = where.add_paragraph(style=style)
    if align is not None:
        par.alignment = align
    if not indent:
        par.paragraph_format.first_line_indent = Mm(0)
    return par


def _line(where: Any, text: str, size: float, bold: bool = False, italic: bool = False,
          align: Any = CENTER, after: float = 0) -> Any:
    par = _par(where, align, indent=False)
    par.paragraph_format.space_after = Pt(after)
    par.paragraph_format.space_before = Pt(0)
    par.paragraph_format.line_spacing = 1.0
    dp.add_run(par, text, size=size, bold=bold, italic=italic)
    return par


def _title_block(document: Any, report: Report) -> None:
    cfg = dp.settings()["title_block"]
    lh = report.letterhead
    table = document.add_table(rows=1, cols=2)
    dp.no_borders(table)
    dp.fixed_widths(table, cfg["widths"])
    left, right = table.rows[0].cells
    for line in lh.committee:
        _line(left, line, cfg["committee"], bold=True)
    dp.rule(_par(left), cfg["committee_rule"])
    _line(left, lh.number, cfg["number"]).paragraph_format.space_before = Pt(6)
    _line(right, lh.nation, cfg["nation"], bold=True)
    _line(right, lh.motto, cfg["motto"], bold=True)
    dp.rule(_par(right), cfg["motto_rule"])
    _line(right, lh.place_date, cfg["place_date"], italic=True).paragraph_format \
        .space_before = Pt(6)

    _line(document, lh.kind, cfg["kind"], bold=True).paragraph_format.space_before = Pt(18)
    _line(document, lh.subject, cfg["subject"], bold=True, after=2)
    dp.rule(document.add_paragraph(), cfg["subject_rule"])
    if report.asof_line:
        _line(document, report.asof_line, dp.settings()["font"]["body"], italic=True,
              after=12).paragraph_format.space_before = Pt(6)


def _section(document: Any, section: Section) -> None:
    level = min(max(section.level, 1), 4)
    par = document.add_paragraph()
    dp.use_style(par, document.styles[f"Heading {level}"].style_id)
    for i, line in enumerate(section.heading):
        if i:
            par.add_run().add_break()
        dp.add_run(par, line)
    _blocks(document, section.blocks)
    for child in section.children:
        _section(document, child)


def _blocks(document: Any, blocks: list[Block]) -> None:
    for block in blocks:
        match block:
            case Text():
                dp.add_run(document.add_paragraph(), block.sentence)
            case Bullets():
                for item in block.items:
                    dp.add_run(document.add_paragraph(), block.mark + item)
            case People():
                _prose(document, block.prose)
            case Placeholder():
                dp.add_run(document.add_paragraph(), block.text, italic=True, highlight=True)
            case TreeTable():
                _table(document, block)
            case Chart():
                _figure(document, block)
            case _:
                raise TypeError(f"not a block of the report tree: {block!r}")


def _prose(document: Any, prose: list, depth: int = 0, mark: str = "") -> None:
    """People-written text: paragraphs, sub-headings (bold body text) and lists, each
    nested list indented one step more than the item it belongs to. ``depth``: how many
    lists these blocks are inside; ``mark``: the list mark of the item they are, printed
    before its first paragraph."""
    indent = dp.settings()["body"]["list_indent"]
    for item in prose:
        if isinstance(item, Para):
            par = document.add_paragraph()
            if depth > 1:
                par.paragraph_format.left_indent = Mm(indent * (depth - 1))
            if mark:
                dp.add_run(par, mark)
                mark = ""
            for span in item.spans:
                dp.add_run(par, span.text, bold=span.bold or None, italic=span.italic or None)
        elif isinstance(item, Heading):
            par = document.add_paragraph()
            par.paragraph_format.keep_with_next = True
            for span in item.spans:
                dp.add_run(par, span.text, bold=True, italic=item.level >= 4 or span.italic)
        elif isinstance(item, ListBlock):
            if mark:  # an item that starts with a list: its mark on a line of its own
                _prose(document, [Para([])], depth, mark)
                mark = ""
            for entry, item_mark in zip(item.items, item.marks, strict=True):
                _prose(document, entry, depth + 1, item_mark)


# -- tables and figures -------------------------------------------------------------------

def _caption(document: Any, text: str, bold: bool = True, italic: bool = False,
             before: float = 0, keep: bool = False) -> None:
    par = _line(document, text, dp.settings()["font"]["body"], bold=bold, italic=italic,
                after=6)
    par.paragraph_format.space_before = Pt(before)
    par.paragraph_format.keep_with_next = keep


def _table(document: Any, table: TreeTable) -> None:
    cfg = dp.settings()["table"]
    _caption(document, table.title, before=cfg["caption_space_before"], keep=True)
    ncols = table.width
    nhead = len(table.header)
    widths, size = column_widths(table, cfg, dp.settings()["font"]["table"])
    out = document.add_table(rows=nhead + len(table.rows), cols=ncols)
    # as ``Table.style`` sets it, without python-docx's search for the default style each time
    out._tbl.tblStyle_val = document.styles["Table Grid"].style_id
    out.alignment = WD_TABLE_ALIGNMENT.CENTER
    dp.fixed_widths(out, widths)
    dp.cell_margins(out, cfg["cell_margin"])
    text_style = document.styles[TABLE_STYLE].style_id  # looked up once, not per cell
    # the cells as made, one per grid position, taken once: ``out.cell`` walks the whole
    # table each time; merging keeps the elements of the cells not merged away
    grid = [[_Cell(tc, out) for tc in tr.tc_lst] for tr in out._tbl.tr_lst[:nhead]]
    for r, c, head in table.positions():
        cell = grid[r][c]
        if head.colspan > 1 or head.rowspan > 1:
            cell = cell.merge(grid[r + head.rowspan - 1][c + head.colspan - 1])
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        dp.shade(cell, cfg["header_fill"])
        par = cell.paragraphs[0]
        dp.use_style(par, text_style)
        par.alignment = CENTER
        dp.add_run(par, head.text, size=size, bold=True)
    keep = cfg["keep"]
    kept = nhead + (len(table.rows) - 1 if len(table.rows) <= keep["whole"] else keep["first"])
    for r in range(nhead):
        dp.repeat_header(out.rows[r])
    for row, made in zip(table.rows, out.rows[nhead:], strict=True):
        dp.keep_row(made)
        cells = made.cells
        for c, value in enumerate(row.cells[:ncols]):
            par = cells[c].paragraphs[0]
            dp.use_style(par, text_style)
            par.alignment = dp.ALIGN[table.align[c]]
            if c == 0 and row.kind == "sub":
                par.paragraph_format.left_indent = Mm(cfg["sub_indent"])
            text = cell_text(value) if is_figure(value) or c == 0 else breakable(value)
            dp.add_run(par, text, size=size, bold=row.kind == "total" or None)
    for made in out.rows[:kept]:  # with the row below it, as the caption with the header
        dp.keep_with_next(made)
    if table.note:
        _caption(document, table.note, bold=False, italic=True, before=3)
    spacer = document.add_paragraph()
    spacer.paragraph_format.space_after = Pt(0)
    spacer.paragraph_format.line_spacing = 1.0


def _figure(document: Any, chart: Chart) -> None:
    cfg = dp.settings()["figure"]
    width_in, _ = chart.size_inches()
    pixels_wide, pixels_high = chart.screen_size()
    width = min(cfg["max_width"], width_in * 25.4,  # and no taller than max_height
                cfg["max_height"] * pixels_wide / pixels_high)
    par = _par(document, CENTER, indent=False)
    par.paragraph_format.keep_with_next = True
    par.paragraph_format.space_before = Pt(6)
    par.paragraph_format.line_spacing = 1.0
    shape = par.add_run().add_picture(io.BytesIO(chart.image("png")),
                                      width=Mm(width))
    dp.alt_text(shape, chart.alt)
    _caption(document, chart.title, italic=True)


# -- the end ---------------------------------------------------------------------------------

def _closing(document: Any, report: Report) -> None:
    cfg = dp.settings()["closing"]
    closing = report.closing
    gap = document.add_paragraph()
    gap.paragraph_format.keep_with_next = True
    table = document.add_table(rows=1, cols=2)
    dp.no_borders(table)
    dp.fixed_widths(table, cfg["widths"])
    left, right = table.rows[0].cells
    left_align = WD_ALIGN_PARAGRAPH.LEFT
    _line(left, closing.heading, cfg["recipients_title"], bold=True, italic=True,
          align=left_align)
    for who in closing.recipients:
        _line(left, who, cfg["recipients"], align=left_align)
    for text in closing.signature:
        _line(right, text, cfg["signature"], bold=True)
    for _ in range(cfg["sign_space_lines"]):
        _line(right, "", cfg["signature"])
    if closing.signer:
        _line(right, closing.signer, cfg["signature"], bold=True)
