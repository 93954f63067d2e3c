"""The documents of the reporting year: the plan for N+1, the six-month and the year-end
report on N, as data (``resources/editions.yaml``, ``outline.yaml`` ``editions``).

An edition says which year a document assesses (``--year`` is the year in its title),
which dates its figures may run to, and what its files are called; its outline, title
block and comparisons are data the report reads by its key.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from htxlib.glossary import norm_key, resource

DEFAULT = "plan"
FORMAT_SUFFIX = {"html": ".html", "docx": ".docx", "xlsx": ".xlsx", "ipynb": ".ipynb"}


@dataclass(frozen=True)
class Edition:
    key: str  # plan, mid-year, year-end
    assessed: int  # the year assessed, as an offset from the year in the title
    months: tuple[int, int]  # the months of year N an as-of date may fall in
    files: dict[str, str]  # page, annex: names with {year}
    label: str  # "báo cáo năm {year}"

    def n(self, year: int) -> int:
        """The year the document assesses when ``year`` is in its title."""
        return year + self.assessed

    def allows(self, as_of: dt.date, year: int) -> bool:
        """Whether figures to ``as_of`` can be this edition's for ``year``."""
        first, last = self.months
        return as_of.year == self.n(year) and first <= as_of.month <= last

    def last_day(self, year: int) -> dt.date:
        """The last date this edition's figures may run to."""
        n = self.n(year)
        return dt.date(n, 12, 31) if self.months[1] == 12 else (
            dt.date(n, self.months[1] + 1, 1) - dt.timedelta(days=1))

    def name(self, fmt: str, year: int) -> str:
        """The file name of one output: the page, Word document and notebook share the
        document's stem (``ke-hoach-2026.docx``), the workbook is the annex."""
        stem = self.files["annex" if fmt == "xlsx" else "page"]
        return stem.format(year=year) + FORMAT_SUFFIX[fmt]

    def names(self, year: int) -> dict[str, str]:
        return {fmt: self.name(fmt, year) for fmt in FORMAT_SUFFIX}


@cache
def editions() -> dict[str, Edition]:
    return {key: Edition(key, int(e["assessed"]), tuple(e["months"]), dict(e["files"]),
                         e["label"])
            for key, e in resource("editions.yaml").items()}


def find(text: str) -> Edition | None:
    """The edition ``text`` names ("year-end", "nam", "Year-End"), None for none."""
    wanted = norm_key(text or DEFAULT)
    for key, e in resource("editions.yaml").items():
        if wanted in {norm_key(n) for n in e["names"]}:
            return editions()[key]
    return None


def known() -> list[str]:
    """The names --edition accepts, each edition's own first."""
    return [e["names"][0] for e in resource("editions.yaml").values()]
