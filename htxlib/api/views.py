"""The figures an analyst asks a session for: ``htxlib.Session`` has these methods.

Tables come back with codes for columns, for programs (``htxlib.vi`` shows any of them in
Vietnamese), and with what a chart of them needs in ``frame.attrs`` (``htxlib.plot``).
What the data hold (units, forms, problems, the report's exhibits) is ``api.inventory``.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from htxlib.api import cuts
from htxlib.api.base import Base, about


class Views(Base):
    """The figures of an area (mixed into ``htxlib.Session``)."""

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
        unless the figures run to 31/12. A unit formed by a reorganisation has, before it
        existed, the sum of the old units that formed it.

        Parameters
        ----------
        codes : str or list of str
            Indicator codes (``docs/indicators.md``).
        area : str, optional
            A name or code; None: the session's area.

        Returns
        -------
        DataFrame
            Indexed by ``year``: a column per code, ``estimate`` (the year's figure is an
            estimate) and ``predecessors`` (the old units whose sum a year is, or "").

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
        return about(cuts.series(facts, cuts.codes_of(codes)), facts)

    def compare(self, codes: str | Iterable[str], area: str | None = None,
                periods: Iterable[cuts.Period] | None = None) -> pd.DataFrame:
        """The units below an area side by side, largest first.

        The units are those the area's organisations are spread over at the as-of date
        (a province's communes; for a province of one district, that district's).

        Parameters
        ----------
        codes : str or list of str
            Indicator codes; the units are ranked by the first.
        area : str, optional
            A name or code; None: the session's area.
        periods : list, optional
            Periods as ``indicators`` takes them (2024, "30/9/2025"); None: the as-of
            date. The units are ranked by the last.

        Returns
        -------
        DataFrame
            One row per unit: ``area_code``, ``area_name``, then a column per code (one
            period), or per period with ``growth`` and ``growth_pct`` from the first to
            the last (one code), or per (code, period). NaN where a unit has no figure,
            never 0.

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
        return about(cuts.compare(facts, asked, wanted), facts, asked,
                     [cuts.period_words(table, p) for p in wanted])

    def breakdown(self, code: str, by: str, area: str | None = None,
                  period: cuts.Period = None) -> pd.DataFrame:
        """One indicator by category, largest first.

        Parameters
        ----------
        code : str
            An indicator code with that breakdown (``docs/indicators.md``).
        by : str
            "type", "sector", "training" or "policy_group".
        area : str, optional
            A name or code; None: the session's area.
        period : int, str or date, optional
            As ``indicators`` takes it; None: the as-of date.

        Returns
        -------
        DataFrame
            One row per category the data have: ``category`` (its code),
            ``category_label``, ``value``.

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
        unit = self.area(area)
        table = self.area_table(unit)
        pid = cuts.period_id(table, period, self.as_of)
        facts, asked = self.area_facts(unit), cuts.codes_of(code)
        return about(cuts.breakdown(facts, asked[0], by, pid), facts, asked,
                     [cuts.period_words(table, pid)], by)
