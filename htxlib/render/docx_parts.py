"""Low-level python-docx helpers for ``htxlib.render.docx``: clean text, fonts, borders,
rules, merged header cells, repeated header rows, the PAGE field, alt text."""

from __future__ import annotations

import re
from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import BaseStyle
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from htxlib.glossary import resource

_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
         "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}


_AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
               "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
               "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
               "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
               "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
               "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def settings() -> dict[str, Any]:
    """``resources/docx.yaml``."""
    return resource("docx.yaml")


def clean(text: object) -> str:
    """Text safe for XML: control characters other than tab and newline removed."""
    return _INVALID.sub("", str(text)).replace("\r\n", "\n").replace("\r", "\n")


def add_run(par: Paragraph, text: str, size: float | None = None, bold: bool | None = None,
            italic: bool | None = None, highlight: bool = False) -> Any:
    """A plain text run (python-docx escapes it), with optional formatting."""
    run = par.add_run(clean(text))
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic
    if highlight:
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return run


def set_fonts(rpr_owner: Any, name: str, lang: str = "") -> None:
    """Explicit font on every script (ascii, hAnsi, East Asian, complex), no theme fonts."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    if lang:
        tag = rpr.find(qn("w:lang"))
        if tag is None:
            tag = OxmlElement("w:lang")
            rpr.append(tag)
        tag.set(qn("w:val"), lang)
        tag.set(qn("w:eastAsia"), lang)


def style_font(style: BaseStyle, name: str, size: float, bold: bool = False,
               italic: bool = False, lang: str = "") -> None:
    """A style in one font, black, of the given size."""
    style.font.name = name
    set_fonts(style.element, name, lang)
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = italic
    style.font.color.rgb = RGBColor(0, 0, 0)


def doc_defaults_font(document: Any, name: str, lang: str) -> None:
    """The document defaults (docDefaults) in the same font, so no theme font leaks in."""
    styles = document.styles.element
    rpr_default = styles.find(qn("w:docDefaults"))
    if rpr_default is None:
        return
    rpr = rpr_default.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if rpr is None:
        return

    class _Owner:  # set_fonts wants get_or_add_rPr
        def get_or_add_rPr(self) -> Any:
            return rpr

    set_fonts(_Owner(), name, lang)


def no_borders(table: DocxTable) -> None:
    """Remove every border of a table (the title block and the signature block)."""
    tpr = table._tbl.tblPr
    old = tpr.find(qn("w:tblBorders"))
    if old is not None:
        tpr.remove(old)
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tpr.insert_element_before(borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
                              "w:tblCaption", "w:tblDescription", "w:tblPrChange")


def fixed_widths(table: DocxTable, widths_mm: list[float]) -> None:
    """Column widths in mm, fixed layout (Word and LibreOffice both honour it)."""
    table.autofit = False  # w:tblLayout fixed
    for col, w in zip(table.columns, widths_mm, strict=False):
        col.width = Mm(w)
    for row in table.rows:
        for tc, w in zip(row._tr.tc_lst, widths_mm, strict=False):
            tc.get_or_add_tcPr()
            _Cell(tc, table).width = Mm(w)


def cell_margins(table: DocxTable, mm: float) -> None:
    """Left and right padding inside every cell of a table."""
    mar = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(round(mm * 1440 / 25.4)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    table._tbl.tblPr.insert_element_before(mar, "w:tblLook", "w:tblCaption",
                                           "w:tblDescription", "w:tblPrChange")


def rule(par: Paragraph, indent_mm: float) -> None:
    """Make an empty paragraph a short centred horizontal line (a bottom border)."""
    fmt = par.paragraph_format
    fmt.left_indent = fmt.right_indent = Mm(indent_mm)
    fmt.first_line_indent = Mm(0)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(2)
    ppr = par._p.get_or_add_pPr()
    pbdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        bottom.set(qn(f"w:{k}"), v)
    pbdr.append(bottom)
    ppr.insert_element_before(pbdr, *_AFTER_PBDR)


def shade(cell: _Cell, fill: str) -> None:
    """Cell background colour (hex RRGGBB)."""
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().insert_element_before(
        shd, "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark",
        "w:headers", "w:cellIns", "w:cellDel", "w:cellMerge", "w:tcPrChange")


def repeat_header(row: Any) -> None:
    """Mark a table row as a header row, repeated at the top of each page."""
    keep_row(row)
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


def keep_with_next(row: Any) -> None:
    """A table row kept on the page of the row below it (its paragraphs keep with next)."""
    for tc in row._tr.tc_lst:
        for p in tc.p_lst:
            p.get_or_add_pPr().keepNext_val = True


def keep_row(row: Any) -> None:
    """A row that does not break across pages."""
    row._tr.get_or_add_trPr().insert(0, OxmlElement("w:cantSplit"))


def page_field(par: Paragraph, size: float) -> None:
    """A PAGE field (begin, instrText, separate, a shown number, end) in a paragraph."""
    def run_with(child: Any) -> None:
        run = par.add_run()
        run.font.size = Pt(size)
        run._r.append(child)

    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"),
                       ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            run_with(el)
        elif text == " PAGE ":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
            run_with(el)
        else:
            add_run(par, text, size=size)


def alt_text(shape: Any, text: str) -> None:
    """The picture's description (``wp:docPr/@descr``), read by screen readers."""
    shape._inline.docPr.set("descr", clean(text))


def use_style(paragraph: Any, style_id: str) -> None:
    """Give ``paragraph`` the style ``style_id`` (not the default style): what
    ``paragraph.style = ...`` writes, without python-docx looking up the document's
    default style on every call (half a second for a plan's tables)."""
    paragraph._p.style = style_id  # python-docx's own setter of w:pStyle
