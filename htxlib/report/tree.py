"""The report tree: what every renderer reads, and nothing else.

Format-neutral on purpose, and final: every text a reader sees is decided when the tree
is built (``htxlib.report.present``) — headings as printed, "Bảng N." captions, the "- "
before a "trong đó" row, a recipient or a list item, the alignment of each column, the
title block in capitals, the document properties and the annex's sheets — so the HTML,
Word and Excel renderers (``htxlib.render``) only lay it out. Numbers are ``Number``
(value, unit, indicator code; ``htxlib.report.cells``), never formatted strings; charts
keep their matplotlib figure and draw it once, at print resolution, for every renderer;
people-written sections are a small parsed tree (paragraphs, lists, sub-headings, bold and
italic runs). A block is one of the types of ``Block``; a renderer dispatches on its type.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import TYPE_CHECKING, Literal

import jinja2
import pandas as pd

from htxlib.glossary import resource
from htxlib.report.cells import Cell, Sentence, cell_text
from htxlib.timing import Timer

if TYPE_CHECKING:
    from matplotlib.figure import Figure

Align = Literal["left", "center", "right"]
RowKind = Literal["normal", "sub", "total"]


# -- tables -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Head:
    """A header cell; spans merge cells in HTML and Word (Excel flattens them)."""

    text: str
    colspan: int = 1
    rowspan: int = 1


@dataclass
class Row:
    """A body row; its first cell is the label as printed ("- " before a "trong đó" row's)."""

    cells: list[Cell]
    kind: RowKind = "normal"  # sub: a "trong đó" part of the row above; total
    code: str = ""  # the indicator of the row, when a row is one indicator


@dataclass
class Table:
    id: str
    caption: str
    header: list[list[Head]]  # one or more header rows
    rows: list[Row]
    align: list[Align]  # one per column
    number: int = 0  # set in outline order, with ``title``
    title: str = ""  # the caption as printed: "Bảng 1. …"
    note: str = ""  # printed under the table (what a dash means, when it has one)

    def __post_init__(self) -> None:
        if len(self.align) != self.width:
            raise ValueError(f"table {self.id}: {len(self.align)} alignments, "
                             f"{self.width} columns")

    @property
    def width(self) -> int:
        return sum(h.colspan for h in self.header[0])

    def positions(self) -> list[tuple[int, int, Head]]:
        """(header row, column, cell) of every header cell, columns counted on the full
        grid (a cell spanning rows takes its column in the rows below)."""
        taken = [[False] * self.width for _ in self.header]
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
        out = [""] * self.width
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
        return _notebook_table().render(caption=self.title or self.caption,
                                        table=self.frame().to_html(index=False))

    def __repr__(self) -> str:  # at the prompt: its caption and its cells, as printed
        return f"{self.title or self.caption}\n{self.frame().to_string(index=False)}"


@cache
def _notebook_table() -> jinja2.Template:
    """A table as Jupyter shows it: the caption escaped by Jinja2, then pandas' own table
    (which escapes its cells)."""
    return jinja2.Environment(autoescape=True).from_string(
        "<p><b>{{ caption }}</b></p>{{ table | safe }}")


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
    number: int = 0  # set in outline order, with ``title``
    title: str = ""  # the caption as printed: "Biểu đồ 1. …"
    _images: dict = field(default_factory=dict, repr=False)
    timer: Timer = field(default_factory=Timer, repr=False, compare=False)  # the report's

    def image(self, format: str = "png", dpi: float | None = None) -> bytes:
        """PNG or SVG bytes; ``dpi`` None is the style's (``savefig.dpi``, for print). The
        report draws each chart once, at that resolution, for the page and the Word file."""
        key = (format, dpi)
        if key not in self._images:
            import matplotlib.pyplot as plt

            from htxlib.report.chartpng import png

            with self.timer.timed("charts"), plt.style.context(self.style):
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

    def _repr_html_(self) -> str:  # ... with its caption and alt text
        from htxlib.api.show import chart_html

        return chart_html(self)

    def __repr__(self) -> str:  # at the prompt: what it shows, not its figure and data
        return f"{self.title or self.caption}\n{self.alt}"


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
    items: list[list[Para | Heading | ListBlock]]  # each item: a list of blocks
    marks: list[str]  # as printed before each item: "- ", "1. ", "2. "


Prose = list  # of Para | Heading | ListBlock


# -- blocks ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Text:
    """A sentence written from data (its figures cited; plain text is a sentence of one
    span)."""

    sentence: Sentence

    def __post_init__(self) -> None:
        if not isinstance(self.sentence, Sentence):
            object.__setattr__(self, "sentence", Sentence([str(self.sentence)]))


@dataclass(frozen=True)
class Bullets:
    """Lines from data, each printed after ``mark`` ("- ")."""

    items: tuple[str, ...]
    mark: str


@dataclass(frozen=True)
class People:
    """A section of the narrative file, parsed."""

    prose: Prose


@dataclass(frozen=True)
class Placeholder:
    """A section still to be written, said so in the document."""

    text: str


Block = Text | Bullets | People | Placeholder | Table | Chart


@dataclass
class Section:
    id: str
    number: str  # "Phần thứ nhất", "I.", "1.", "a)"
    title: str
    level: int  # 1 part, 2 roman, 3 arabic, 4 letter
    heading: tuple[str, ...]  # the heading as printed, line by line
    blocks: list[Block] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()


# -- around the content ---------------------------------------------------------------------

@dataclass(frozen=True)
class Letterhead:
    """The title block of Nghị định 30/2020, as printed."""

    committee: tuple[str, ...]  # the issuing committee, line by line, in capitals
    number: str  # "Số:        /KH-UBND"
    nation: str  # in capitals
    motto: str
    place_date: str  # blanks for the day, filled in when signed
    kind: str  # "KẾ HOẠCH"
    subject: str


@dataclass(frozen=True)
class Closing:
    """The end of the document: who receives it, and the signature block."""

    heading: str  # "Nơi nhận:"
    recipients: tuple[str, ...]  # as printed: "- Bộ Tài chính;"
    signature: tuple[str, ...]  # "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"
    signer: str  # the signer's name, "" to be written by hand


@dataclass(frozen=True)
class Provenance:
    """What a document was made from, and by what."""

    data_name: str
    checksum: str  # of the input files together (inputs.files.data_checksum), as in the manifest
    narrative: tuple[str, str] | None  # file name and SHA-256 of the narrative file
    version: str  # of htxlib
    commit: str  # the git commit htxlib was run from, "" outside a checkout
    run_date: dt.date


@dataclass(frozen=True)
class Properties:
    """A file's document properties (Word's and Excel's "Properties")."""

    title: str
    subject: str
    author: str
    keywords: str
    comments: str
    category: str
    language: str
    created: dt.date


@dataclass(frozen=True)
class ReportInfo:
    """Who and when a report is about (the area, its level, the years and dates)."""

    area_code: str
    area_name: str  # "huyện Ba Tơ"
    level: str  # province, district, commune
    year: int  # the year in the document's title
    n: int  # the year assessed
    as_of: dt.date
    derived_estimate: bool  # year N's estimate computed from the figures to the as-of date
    periods: dict[str, str]  # period names of the facts → period ids of the table
    warnings: tuple[str, ...] = ()  # the data's first warnings, as lines
    n_warnings: int = 0
    edition: str = "plan"  # plan, mid-year, year-end (htxlib.report.edition)


@dataclass(frozen=True)
class Annex:
    """The Excel annex: a cover, contents and notes, then one sheet per table."""

    title: str
    area_line: str  # under every sheet's title
    sheets: dict[str, str]  # cover, contents, notes → sheet name
    table_sheets: tuple[str, ...]  # one per table of the report: "Biểu 01", …
    table_titles: tuple[str, ...]  # their titles: "Biểu 01. Các chỉ tiêu …"
    cover_heading: str
    cover: tuple[tuple[str, str | int], ...]  # (label, value): what, where, when, from what
    how_to_read_heading: str
    how_to_read: tuple[str, ...]
    contents_header: tuple[str, ...]
    contents: tuple[tuple[str, str], ...]  # (sheet, what it holds)
    notes_heading: str
    notes_header: tuple[str, ...]
    notes: tuple[str, ...]
    code_column: str  # the header of a table's indicator codes
    properties: Properties


@dataclass
class Report:
    title: str  # the page's title
    info: ReportInfo
    letterhead: Letterhead
    asof_line: str
    intro: list[Block]
    parts: list[Section]
    closing: Closing
    provenance: Provenance
    properties: Properties  # of the Word document
    toc: str  # the heading of the page's contents
    footer: tuple[str, ...]  # the page's last lines: data, checksums, version, date
    annex: Annex
    values: dict[str, dict[str, float | None]] = field(default_factory=dict)
    timer: Timer = field(default_factory=Timer, repr=False, compare=False)  # its session's

    def sections(self):
        for p in self.parts:
            yield from p.walk()

    def blocks(self):
        yield from self.intro
        for s in self.sections():
            yield from s.blocks

    @cached_property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks() if isinstance(b, Table)]

    @cached_property
    def charts(self) -> list[Chart]:
        return [b for b in self.blocks() if isinstance(b, Chart)]
