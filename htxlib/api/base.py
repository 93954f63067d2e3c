"""What a session's views read, computed once per session (``api.views``, ``api.inventory``).

The views read the indicator values with every year the data speak of
(``history_values``): the session's own, or, when earlier forms speak of earlier years
than the records do (a commune formed in 2025, whose 2025 forms give "Thực hiện năm
2024"), the same with those years. The report's own periods are unchanged.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pandas as pd

from htxlib.indicators import area_table, indicator_values
from htxlib.indicators.measures import first_year
from htxlib.report.assemble import source_line
from htxlib.report.facts import Facts, gather

if TYPE_CHECKING:
    from htxlib.indicators.values import Values
    from htxlib.inputs.problems import Problems
    from htxlib.inputs.registry import Registry
    from htxlib.report.params import Params


class Base:
    """The session's parts the views use, and the cuts they share, kept once computed."""

    registry: Registry  # these, and ``area`` and ``report``, are the Session's own
    params: Params
    as_of: dt.date
    values: Values
    problems: Problems

    def history_values(self) -> Values:
        """The session's values, or (when earlier forms speak of earlier years than its
        records do) the same with those years."""
        kept = self.__dict__.setdefault("_views", {})
        if "values" not in kept:
            since = first_year(self.registry.records, self.registry.submissions, self.as_of)
            first = int(self.values.periods["year"].min())
            kept["values"] = self.values if since >= first else indicator_values(
                self.registry, self.as_of, True, self.params.edition == "mid-year", since)
        return kept["values"]

    def area_table(self, code: str) -> pd.DataFrame:
        """The indicator table of unit ``code`` and every unit below it, every year."""
        kept = self.__dict__.setdefault("_views", {})
        if ("table", code) not in kept:
            kept[("table", code)] = area_table(self.history_values(), self.registry, code)
        return kept[("table", code)]

    def area_facts(self, code: str) -> Facts:
        """The facts of unit ``code`` over ``history_values``."""
        kept = self.__dict__.setdefault("_views", {})
        if ("facts", code) not in kept:
            kept[("facts", code)] = gather(self.registry, code, self.params.n + 1,
                                           self.as_of, self.history_values(),
                                           self.params.edition)
        return kept[("facts", code)]


def about(frame: pd.DataFrame, facts: Facts, codes: list[str] | None = None,
          periods: list[str] | None = None, by: str = "") -> pd.DataFrame:
    """``frame`` with what a chart of it says besides its figures (``frame.attrs``, kept by
    pandas through sorting and selecting): the area, the codes, the periods in words, the
    source line (``htxlib.plot`` reads them)."""
    frame.attrs["htx"] = {"area": facts.area_name, "codes": codes or [],
                          "periods": periods or [], "by": by, "source": source_line(facts)}
    return frame
