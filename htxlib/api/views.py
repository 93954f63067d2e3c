"""The analyst's views of a session: ``htxlib.Session`` has these methods.

Every view reads the indicator values the session computed once, with every year the
data speak of (``history_values``: a commune formed in 2025 keeps the years its old
communes' figures give, from records or from earlier forms). Tables come back with codes
for columns, for programs; ``htxlib.vi`` shows any of them in Vietnamese.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

import pandas as pd

from htxlib.api import cuts
from htxlib.api.show import Exhibits
from htxlib.api.units import forms_sent, unit_tree
from htxlib.indicators import area_table, indicator_values
from htxlib.indicators.measures import first_year
from htxlib.report.facts import Facts, gather
from htxlib.report.report import source_line
from htxlib.report.tree import Chart, Table

if TYPE_CHECKING:
    from htxlib.indicators.values import Values
    from htxlib.inputs.problems import Problems
    from htxlib.inputs.registry import Registry
    from htxlib.report.params import Params


class Views:
    """What an analyst asks a session (mixed into ``htxlib.Session``)."""

    registry: Registry  # these, and ``area`` and ``report``, are the Session's own
    params: Params
    as_of: dt.date
    values: Values
    problems: Problems

    def indicators(self, area: str | None = None, period: cuts.Period = None, *,
                   history: bool = False, codes: str | Iterable[str] | None = None,
                   main: bool = False, units: bool = False,
                   breakdowns: bool = False) -> pd.DataFrame:
        """The indicator table of an area in one period (by default the as-of date's).

        Parameters
        ----------
        area : str, optional
            A name or code as on the command line ("Quảng Ngãi", "xã Ba Vì", "21529");
            None: the session's area.
        period : int, str or date, optional
            2024 (that year: done, estimated or planned), "30/9/2025" or "2025-09-30"
            (that date); None: the as-of date.
        history : bool
            Every period instead: the earlier years, the as-of date, the estimate of the
            year and the plans, in that order.
        codes : str or list of str, optional
            Only these indicator codes (``docs/indicators.md``), in this order.
        main : bool
            Only the main indicators, those of the report's Bảng 1, in its order.
        units : bool
            Add the rows of every unit below the area.
        breakdowns : bool
            Add the rows by category (type, sector, training, policy group).

        Returns
        -------
        DataFrame
            One row per area × period × indicator (× category): ``value``, the year
            before in ``previous_value``, ``change`` and ``change_pct`` (growth in %), the
            plan in ``target``; NaN where the data have no figure.

        Examples
        --------
        >>> import htxlib
        >>> s = htxlib.open_data("data/sample/ba-to-2025", as_of="30/9/2025")
        >>> t = s.indicators("Quảng Ngãi", codes=["htx_count", "htx_members"])
        >>> t[["period", "code", "value", "previous_value"]]
               period         code  value  previous_value
        0  2025-09-30    htx_count   16.0            15.0
        1  2025-09-30  htx_members  302.0           288.0
        >>> htxlib.vi(t)[["Chỉ tiêu", "Giá trị"]].iloc[0].tolist()
        ['Tổng số hợp tác xã', '16']
        """
        code = self.area(area)
        table = self.area_table(code)
        periods = None if history else [cuts.period_id(table, period, self.as_of)]
        return cuts.rows(table, code, periods, cuts.codes_of(codes, main), units, breakdowns)

    def series(self, codes: str | Iterable[str], area: str | None = None) -> pd.DataFrame:
        """A yearly series of one or more indicators.

        Every full year the data speak of, then the year of the as-of date: its estimate
        (``estimate`` True) unless the figures run to 31/12. A unit formed by a
        reorganisation has, before it existed, the sum of the old units that formed it
        (``predecessors`` names them).

        Examples
        --------
        >>> import htxlib
        >>> s = htxlib.open_data("data/sample/ba-to-2025", as_of="14/12/2026")
        >>> s.series(["htx_count", "htx_members"], "xã Ba Vì")
              htx_count  htx_members  estimate                  predecessors
        year
        2024        2.0         57.0     False  xã Ba Ngạc, xã Ba Tiêu, xã Ba Vì
        2025        3.0         68.0     False
        2026        3.0         69.0      True
        """
        facts = self.area_facts(self.area(area))
        return self._about(cuts.series(facts, cuts.codes_of(codes)), facts)

    def compare(self, codes: str | Iterable[str], area: str | None = None,
                periods: Iterable[cuts.Period] | None = None) -> pd.DataFrame:
        """The units below an area side by side, largest first.

        The units are those the area's organisations are spread over at the as-of date
        (a province's communes; for a province of one district, that district's). One
        period: a column per code; one code in several periods: a column per period with
        ``growth`` and ``growth_pct`` from the first to the last; NaN where a unit has
        no figure, never 0.

        Examples
        --------
        >>> import htxlib
        >>> s = htxlib.open_data("data/sample/ba-to-2025", as_of="30/9/2025")
        >>> c = s.compare("htx_count", "Quảng Ngãi", periods=[2024, "30/9/2025"])
        >>> c.head(2)
          area_code area_name  2024  2025-09-30  growth  growth_pct
        0     21529  xã Ba Vì   2.0         3.0     1.0        50.0
        1     21484  xã Ba Tơ   2.0         2.0     0.0         0.0
        """
        code = self.area(area)
        table = self.area_table(code)
        wanted = [cuts.period_id(table, p, self.as_of) for p in (periods or [None])]
        facts, asked = self.area_facts(code), cuts.codes_of(codes)
        return self._about(cuts.compare(facts, asked, wanted), facts, asked,
                           [cuts.period_words(table, p) for p in wanted])

    def breakdown(self, code: str, by: str, area: str | None = None,
                  period: cuts.Period = None) -> pd.DataFrame:
        """One indicator by the categories of ``by`` ("type", "sector", "training",
        "policy_group"), largest first.

        Examples
        --------
        >>> import htxlib
        >>> s = htxlib.open_data(as_of="10/6/2024")
        >>> s.breakdown("htx_managers", "training", "Ba Tơ")
               category    category_label  value
        0     untrained  Chưa qua đào tạo   33.0
        1    elementary            Sơ cấp    8.0
        2  intermediate         Trung cấp    3.0
        3    university   Đại học trở lên    1.0
        """
        unit, table = self.area(area), self.area_table(self.area(area))
        pid = cuts.period_id(table, period, self.as_of)
        facts, asked = self.area_facts(unit), cuts.codes_of(code)
        return self._about(cuts.breakdown(facts, asked[0], by, pid), facts, asked,
                           [cuts.period_words(table, pid)], by)

    def units(self, area: str | None = None) -> pd.DataFrame:
        """The unit tree: the area and every unit below it, with whether each exists at
        the as-of date, what an old unit merged into, and the organisations and forms
        the data hold for each.

        Examples
        --------
        >>> import htxlib
        >>> s = htxlib.open_data("data/sample/ba-to-2025", as_of="30/9/2025")
        >>> u = s.units("Quảng Ngãi")
        >>> int(u["exists"].sum()), int((u["forms"] > 0).sum())
        (97, 8)
        """
        return unit_tree(self.registry, self.area(area), self.as_of)

    def forms(self, area: str | None = None) -> pd.DataFrame:
        """Who has sent a form for the as-of date: one row per lowest unit of the area,
        ``sent`` and the ``file``; a unit with neither a form nor organisations in the
        data is missing from every total.

        Examples
        --------
        >>> import htxlib
        >>> s = htxlib.open_data("data/sample/ba-to-2025", as_of="30/9/2025")
        >>> f = s.forms("Quảng Ngãi")
        >>> int(f["sent"].sum()), int((~f["sent"] & (f["organisations"] == 0)).sum())
        (8, 88)
        """
        return forms_sent(self.registry, self.area(area), self.as_of)

    def checks(self, forms: bool = False) -> pd.DataFrame:
        """The problems ``htx validate`` finds (errors first), as a frame; ``forms``: only
        those of the units' forms.

        Examples
        --------
        >>> import htxlib
        >>> s = htxlib.open_data("data/sample/ba-to-2025", as_of="30/9/2025")
        >>> s.checks(forms=True)["code"].unique().tolist()
        ['submission_missing']
        """
        frame = self.problems.frame()
        if forms:
            frame = frame[frame["code"].astype(str).str.startswith("submission")]
        order = (frame["severity"] != "error").astype(int)
        return frame.iloc[order.argsort(kind="stable")].reset_index(drop=True)

    def exhibits(self, area: str | None = None) -> Exhibits:
        """The tables and charts the report of the area has, in its order; each shows
        itself in Jupyter.

        Examples
        --------
        >>> import htxlib
        >>> s = htxlib.open_data(as_of="10/6/2024")
        >>> e = s.exhibits("xã Ba Vì")
        >>> print(e[0].title)
        Bảng 1. Các chỉ tiêu chủ yếu về kinh tế tập thể, hợp tác xã trên địa bàn xã Ba Vì
        >>> sum(b.title.startswith("Biểu đồ") for b in e)
        2
        """
        return Exhibits(b for b in self.report(area).blocks() if isinstance(b, Table | Chart))

    # -- what the views read, computed once per session --------------------------------

    @staticmethod
    def _about(frame: pd.DataFrame, facts: Facts, codes: list[str] | None = None,
               periods: list[str] | None = None, by: str = "") -> pd.DataFrame:
        """``frame`` with what a chart of it says besides its figures (``frame.attrs``,
        kept by pandas through sorting and selecting): the area, the codes, the periods
        in words, the source line (``htxlib.plot`` reads them)."""
        frame.attrs["htx"] = {"area": facts.area_name, "codes": codes or [],
                              "periods": periods or [], "by": by,
                              "source": source_line(facts)}
        return frame

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
