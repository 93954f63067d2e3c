"""The report tree: what every renderer reads, and nothing else.

Format-neutral on purpose. Numbers are ``Number`` (value, unit, the indicator code they
come from), not formatted strings; tables carry header rows with spans and body rows with
a kind (total, "trong đó" sub-row, normal); charts keep their matplotlib figure and draw
it once, at print resolution, for every renderer; people-written sections are a small parsed
tree (paragraphs, lists, sub-headings, bold and italic runs). The HTML, Word and Excel
renderers (``htxlib.render``) turn the same tree into their own format.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import math
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any

import pandas as pd

from htxlib import fmt
from htxlib.glossary import resource
from htxlib.timing import timed

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def dash() -> str:
    """What a table shows for a figure the data do not have (never used in sentences)."""
    return resource("exhibits.yaml")["dash"]


# -- numbers and table cells ---------------------------------------------------------------

@dataclass(frozen=True)
class Number:
    """A figure: ``value`` None or NaN when the data has none, its unit, the indicator
    code it comes from ("" for a ratio of two figures), and whether the unit is printed
    beside it ("15 HTX") or stands in the header or a unit column."""

    value: float | None
    unit: str = ""
    code: str = ""
    unit_inline: bool = False
    period: str = ""  # the period of the area's own ``code`` it is (HTML cites it); "" for
    # a part (a commune's or a sector's figure), whose row says what it is a part of

    @property
    def missing(self) -> bool:
        return self.value is None or (isinstance(self.value, float) and math.isnan(self.value))

    @property
    def decimals(self) -> int:
        """Counts without decimals, averages and shares with one."""
        return 0 if self.missing or float(self.value).is_integer() else 1

    def text(self) -> str:
        if self.missing:
            return dash()
        shown = fmt.number(self.value, self.decimals)
        return fmt.with_unit(shown, self.unit) if self.unit_inline else shown


@dataclass(frozen=True)
class Range:
    """A target given as a range ("01 - 02 HTX"): two numbers, never one."""

    low: Number
    high: Number

    @property
    def missing(self) -> bool:
        return self.low.missing

    def text(self) -> str:
        return f"{self.low.text()} - {self.high.text()}"


Cell = str | Number | Range


@dataclass(frozen=True)
class Cited:
    """A figure as a sentence prints it ("15 HTX", "7,1%"), with the value, the indicator
    code and the table period it comes from: every number of the prose is traceable."""

    text: str
    value: float
    code: str
    period: str


class Sentence(str):
    """A sentence written from data: its plain text (it is a ``str``) and ``spans``, each a
    piece of text or a ``Cited`` figure. Renderers that can show the source (HTML) read the
    spans; the others use the text."""

    spans: tuple[str | Cited, ...]

    def __new__(cls, spans: list[str | Cited]) -> Sentence:
        out = super().__new__(cls, "".join(s if isinstance(s, str) else s.text for s in spans))
        out.spans = tuple(spans)
        return out

    def cited(self) -> list[Cited]:
        return [s for s in self.spans if isinstance(s, Cited)]


def cell_text(cell: Cell) -> str:
    return cell if isinstance(cell, str) else cell.text()


@dataclass(frozen=True)
class Head:
    """A header cell; spans merge cells in HTML and Word (Excel flattens them)."""

    text: str
    colspan: int = 1
    rowspan: int = 1


@dataclass
class Row:
    cells: list[Cell]
    kind: str = "normal"  # normal, sub ("trong đó"), total
    code: str = ""  # the indicator of the row, when a row is one indicator


@dataclass
class Table:
    id: str
    caption: str
    header: list[list[Head]]  # one or more header rows
    rows: list[Row]
    align: list[str] = field(default_factory=list)  # per column: left, center, right
    number: int = 0  # "Bảng N.", set in outline order
    note: str = ""  # printed under the table (what a dash means, when it has one)

    def positions(self) -> list[tuple[int, int, Head]]:
        """(header row, column, cell) of every header cell, columns counted on the full
        grid (a cell spanning rows takes its column in the rows below)."""
        width = sum(h.colspan for h in self.header[0])
        taken = [[False] * width for _ in self.header]
        out = []
        for r, hrow in enumerate(self.header):
            c = 0
            for h in hrow:
                while taken[r][c]:
                    c += 1
                for dr in range(h.rowspan):
                    for dc in range(h.colspan):
                        taken[r + dr][c + dc] = True
                out.append((r, c, h))
                c += h.colspan
        return out

    def labels(self) -> list[str]:
        """One label per column, the lowest header cell above it: a single header row for
        Excel and DataFrames (the spanned group headers only group leaves that read alone)."""
        out = [""] * sum(h.colspan for h in self.header[0])
        for _, c, h in self.positions():
            if h.colspan == 1:
                out[c] = h.text
        return out

    def texts(self) -> list[list[str]]:
        """The body as display strings (tests, notebooks)."""
        return [[cell_text(c) for c in row.cells] for row in self.rows]

    def frame(self) -> pd.DataFrame:
        """The table as a DataFrame of display strings (analysts, notebooks)."""
        return pd.DataFrame(self.texts(), columns=self.labels())

    def _repr_html_(self) -> str:  # shown as a table in Jupyter, under its caption
        word = resource("outline.yaml")["words"]["table"]
        title = f"{word} {self.number}. {self.caption}" if self.number else self.caption
        return f"<p><b>{html.escape(title)}</b></p>" + self.frame().to_html(index=False)


# -- charts ---------------------------------------------------------------------------------

@dataclass
class Chart:
    """A chart: caption, alt text stating its figures, the source line (also drawn under
    the plot), its data as a frame, and the figure, drawn on demand by each renderer."""

    id: str
    caption: str
    alt: str
    source: str
    data: pd.DataFrame
    figure: Figure
    style: str  # the .mplstyle file the figure was drawn with (savefig settings)
    number: int = 0  # "Biểu đồ N."
    _images: dict = field(default_factory=dict, repr=False)

    def image(self, format: str = "png", dpi: float | None = None) -> bytes:
        """PNG or SVG bytes; ``dpi`` None is the style's (``savefig.dpi``, for print). The
        report draws each chart once, at that resolution, for the page and the Word file."""
        key = (format, dpi)
        if key not in self._images:
            import matplotlib.pyplot as plt

            from htxlib.report.chartpng import png

            with timed("charts"), plt.style.context(self.style):
                if format == "png":
                    self._images[key] = png(self.figure, dpi)
                else:
                    buf = io.BytesIO()
                    self.figure.savefig(buf, format=format, metadata=_metadata(format),
                                        **({"dpi": dpi} if dpi else {}))
                    self._images[key] = buf.getvalue()
        return self._images[key]

    def screen_size(self) -> tuple[int, int]:
        """Width and height in CSS pixels at which a page shows ``image()``: its pixels
        scaled from the style's resolution to ``screen_dpi`` (exhibits.yaml)."""
        from PIL import Image

        width, height = Image.open(io.BytesIO(self.image("png"))).size  # the header only
        scale = resource("exhibits.yaml")["screen_dpi"] / _style_dpi(self.style)
        return round(width * scale), round(height * scale)

    def size_inches(self) -> tuple[float, float]:
        w, h = self.figure.get_size_inches()
        return float(w), float(h)

    def _repr_png_(self) -> tuple[bytes, dict]:  # shown in Jupyter at the page's size
        width, height = self.screen_size()
        return self.image("png"), {"width": width, "height": height}


@cache
def _style_dpi(style: str) -> float:
    """The resolution a style file draws at (``savefig.dpi``)."""
    import matplotlib as mpl

    return float(mpl.rc_params_from_file(style, use_default_template=False)["savefig.dpi"])


def _metadata(format: str) -> dict:
    # No software name or date inside the image: the same data give the same bytes.
    return {"Date": None, "Creator": None} if format in ("svg", "pdf") else {}


# -- people-written text --------------------------------------------------------------------

@dataclass(frozen=True)
class Span:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class Para:
    spans: list[Span]


@dataclass
class Heading:
    level: int  # 3 for "###" (sub-heading of a section), 4, …
    spans: list[Span]


@dataclass
class ListBlock:
    ordered: bool
    items: list[list[Any]]  # each item: a list of Para / ListBlock
    start: int = 1


Prose = list  # of Para | Heading | ListBlock


# -- blocks, sections, the report -----------------------------------------------------------

@dataclass
class Block:
    """One piece of a section. ``kind`` and ``content``:
    text → str (a sentence from data); list → list[str]; people → Prose (the narrative
    file); placeholder → str (a section still to write); table → Table; figure → Chart."""

    kind: str
    content: Any

    @property
    def number(self) -> int:
        return getattr(self.content, "number", 0)


@dataclass
class Section:
    id: str
    number: str  # "Phần thứ nhất", "I.", "1.", "a)"
    title: str
    level: int  # 1 part, 2 roman, 3 arabic, 4 letter
    blocks: list[Block] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()


@dataclass
class Closing:
    """The end of the plan: who receives it, and the signature block."""

    recipients: list[str]
    signature: list[str]  # "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"
    signer: str  # the signer's name, "" to be written by hand


@dataclass
class Report:
    title: str
    letterhead: dict[str, str]  # committee, number, nation, motto, place_date, kind, subject
    asof_line: str
    intro: list[Block]
    parts: list[Section]
    closing: Closing
    meta: dict[str, Any]  # area_code, area_name, level, year, n, as_of, derived_estimate, periods
    data_name: str
    checksum: str  # of the input files together (params.data_checksum), as in the manifest
    narrative: tuple[str, str] | None  # file name and SHA-256 of the narrative file
    run_date: dt.date
    words: dict[str, str] = field(default_factory=dict)  # "Bảng", "Biểu đồ", footer words
    values: dict[str, dict[str, float | None]] = field(default_factory=dict)

    def sections(self):
        for p in self.parts:
            yield from p.walk()

    def blocks(self):
        yield from self.intro
        for s in self.sections():
            yield from s.blocks

    @cached_property
    def tables(self) -> list[Table]:
        return [b.content for b in self.blocks() if b.kind == "table"]

    @cached_property
    def charts(self) -> list[Chart]:
        return [b.content for b in self.blocks() if b.kind == "figure"]
