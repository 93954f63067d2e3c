"""Figures as the report tree holds them: numbers with their unit and indicator code, and
sentences that remember where each printed figure came from.

Format-neutral: a renderer asks a ``Number`` for its text, or writes its value (Excel
keeps numbers as numbers); a ``Sentence`` is plain text for Word and Excel and spans of
text and cited figures for the HTML page, which shows each figure's source.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from htxlib import fmt
from htxlib.glossary import resource


def dash() -> str:
    """What a table shows for a figure the data do not have (never used in sentences)."""
    return resource("exhibits.yaml")["dash"]


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
    places: int = 1  # the decimals of a value that is not whole (``present.agreeing``)

    @property
    def missing(self) -> bool:
        return self.value is None or (isinstance(self.value, float) and math.isnan(self.value))

    @property
    def decimals(self) -> int:
        """Counts without decimals, averages and shares with ``places`` (one, unless the
        row needs more to tell two small figures apart)."""
        return 0 if self.missing or float(self.value).is_integer() else self.places

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


def cell_text(cell: Cell) -> str:
    return cell if isinstance(cell, str) else cell.text()


def is_figure(cell: Cell) -> bool:
    """A number or a range of numbers (right-aligned, written as numbers where it can)."""
    return isinstance(cell, Number | Range)


@dataclass(frozen=True)
class Cited:
    """A figure as a sentence prints it ("15 HTX", "7,1%"), with the value, the indicator
    code and the table period it comes from: every number of the prose is traceable."""

    text: str
    value: float
    code: str
    period: str


@dataclass(frozen=True)
class Change:
    """A change word as a sentence prints it ("tăng 2 thành viên (2%) so với năm 2024"),
    with the figure it is the change of: its code, the two periods compared and the
    direction (up, down, same). ``named``: the phrase names its figure ("số THT không biến
    động"); otherwise it follows the figure it qualifies."""

    text: str
    code: str
    period: str
    base: str
    direction: str
    named: bool = False


class Sentence(str):
    """A sentence written from data: its plain text (it is a ``str``) and ``spans``, each a
    piece of text, a ``Cited`` figure or a ``Change``. Renderers that can show the source
    (HTML) read the spans; the others use the text."""

    spans: tuple[str | Cited | Change, ...]

    def __new__(cls, spans: list[str | Cited | Change]) -> Sentence:
        out = super().__new__(cls, "".join(s if isinstance(s, str) else s.text for s in spans))
        out.spans = tuple(spans)
        return out

    def cited(self) -> list[Cited]:
        return [s for s in self.spans if isinstance(s, Cited)]

    def changes(self) -> list[Change]:
        return [s for s in self.spans if isinstance(s, Change)]
