"""Table columns sized for the Word page, so that no header word, date or figure breaks.

Word and LibreOffice break a word in two when it is wider than its column ("30/9/20|25").
Every column here is at least as wide as its widest unbreakable piece — a word of a header,
a figure, a word of a label — measured with the widths of Times New Roman's letters (the
Adobe metrics of Times Roman and Times Bold, which Liberation Serif shares), at the text
size of the table; the rest of the page width goes to the columns as ``docx.yaml``
weighs them. A table too wide for the normal size is set in the smaller one.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from htxlib.report.cells import Number, Range, cell_text
from htxlib.report.tree import Table

# Advance widths in thousandths of an em: Times Roman, then Times Bold (Adobe AFM).
_LOWER = ("444 500 444 500 444 333 500 500 278 278 500 278 778 500 500 500 500 333 389 278 "
          "500 500 722 500 500 444", "500 556 444 556 444 333 500 556 278 333 556 278 833 556 "
          "500 556 556 444 389 333 556 500 722 500 500 444")
_UPPER = ("722 667 667 722 611 556 722 722 333 389 722 611 889 722 722 556 722 667 556 611 "
          "722 722 944 722 722 611", "722 667 722 722 667 611 778 778 389 500 778 667 944 722 "
          "778 611 778 722 556 667 722 722 1000 722 722 667")
_OTHER = ({" ": 250, ".": 250, ",": 250, "/": 278, "(": 333, ")": 333, "%": 833, "-": 333,
           ":": 278, ";": 278, "–": 500, "…": 1000},
          {" ": 250, ".": 250, ",": 250, "/": 278, "(": 333, ")": 333, "%": 1000, "-": 333,
           ":": 333, ";": 333, "–": 500, "…": 1000})
BREAK = "\u200b"  # a break opportunity Word and LibreOffice honour, printed as nothing
SAFETY = 1.08  # the measure is an estimate: leave a little room


@cache
def _widths(bold: bool) -> dict[str, int]:
    b = int(bold)
    out = {chr(ord("a") + i): int(w) for i, w in enumerate(_LOWER[b].split())}
    out |= {chr(ord("A") + i): int(w) for i, w in enumerate(_UPPER[b].split())}
    out |= {str(d): 500 for d in range(10)} | _OTHER[b]
    return out


def width_mm(text: str, size_pt: float, bold: bool = False) -> float:
    """The printed width of ``text`` in Times New Roman at ``size_pt`` (an estimate)."""
    table = _widths(bold)
    units = 0
    for ch in text:
        base = {"Đ": "D", "đ": "d"}.get(ch) or unicodedata.normalize("NFD", ch)[0]
        units += table.get(base, 556)
    return units / 1000 * size_pt * 25.4 / 72 * SAFETY


def breakable(text: str) -> str:
    """A label that may break after a "/" before a letter ("triệu đồng/người/năm"), as in
    a narrow column; a date ("30/9/2025") never breaks."""
    return re.sub(r"/(?=[^\W\d_])", "/" + BREAK, text)


def pieces(text: str, slash: bool = True) -> list[str]:
    """The parts of a text no line break falls in: its words, cut after a "/" too when
    ``slash`` (a column of units, not of names from the data, which stay as typed)."""
    words = text.split()
    return [p for w in words for p in breakable(w).split(BREAK) if p] if slash else words


def needs(table: Table, size: float, margin: float) -> list[float]:
    """Each column's narrowest width (mm) that breaks none of its pieces: header words
    (bold), whole figures, words of labels."""
    out = [0.0] * table.width
    for _, c, head in table.positions():
        if head.colspan == 1:
            out[c] = max([out[c], *(width_mm(p, size, True) for p in pieces(head.text))])
    for row in table.rows:
        bold = row.kind == "total"
        for c, cell in enumerate(row.cells[:table.width]):
            if isinstance(cell, Number | Range):
                found = [width_mm(cell_text(cell), size, bold)]
            else:
                found = [width_mm(p, size, bold) for p in pieces(str(cell), c > 0)]
            out[c] = max([out[c], *found])
    return [w + 2 * margin for w in out]


def column_widths(table: Table, cfg: dict, size: float) -> tuple[list[float], float]:
    """(widths in mm, text size in pt): ``size`` when every column's pieces fit the page
    width and leave the label column ``wide.first`` mm, else the table's smaller size; each
    column at least its need, the rest shared by the weights of ``docx.yaml``."""
    widths = _share(table, cfg, size)
    if sum(needs(table, size, cfg["cell_margin"])) > cfg["width"] or (
            widths[0] < cfg["wide"]["first"]):
        size = cfg["wide"]["size"]
        widths = _share(table, cfg, size)
    return widths, size


def _share(table: Table, cfg: dict, size: float) -> list[float]:
    total, w, margin = cfg["width"], cfg["weights"], cfg["cell_margin"]
    need = needs(table, size, margin)
    weights = [w["first"] if c == 0 else w.get(table.align[c], 1.0) for c in range(table.width)]
    out = [total * x / sum(weights) for x in weights]
    short = [max(n - o, 0.0) for n, o in zip(need, out, strict=True)]
    spare = [max(o - n, 0.0) for n, o in zip(need, out, strict=True)]
    if sum(short) and sum(spare):
        take = min(sum(short), sum(spare))
        out = [max(o, n) - take * s / sum(spare) if s else max(o, n)
               for o, n, s in zip(out, need, spare, strict=True)]
    return out
