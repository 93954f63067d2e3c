"""What the data hold, as a session shows it: the unit tree, the forms sent, the problems
found and the report's exhibits (``htxlib.Session`` has these methods)."""

from __future__ import annotations

import pandas as pd

from htxlib.api.base import Base
from htxlib.api.show import Exhibits
from htxlib.api.units import forms_sent, unit_tree
from htxlib.report.tree import Chart, Table


class Inventory(Base):
    """The units, forms, problems and exhibits of an area (mixed into ``htxlib.Session``)."""

    def units(self, area: str | None = None) -> pd.DataFrame:
        """The unit tree: the area and every unit below it, in the unit list's order.

        Parameters
        ----------
        area : str, optional
            A name or code; None: the session's area.

        Returns
        -------
        DataFrame
            ``area_code``, ``area_name``, ``area_level``, ``parent_code``, ``valid_from``,
            ``valid_to``, ``exists`` (at the as-of date), ``merged_into`` (the unit an old
            one became), ``organisations`` and ``forms`` (up to the as-of date) in the data.

        Examples
        --------
        >>> import htxlib
        >>> s = htxlib.open_data("data/sample/ba-to-2025", as_of="30/9/2025")
        >>> u = s.units("Quảng Ngãi")
        >>> int(u["exists"].sum()), int((u["forms"] > 0).sum())
        (97, 8)
        >>> u.loc[u["area_name"] == "xã Ba Ngạc", "merged_into"].item()
        '21529'
        """
        return unit_tree(self.registry, self.area(area), self.as_of)

    def forms(self, area: str | None = None) -> pd.DataFrame:
        """Who has sent a form for the as-of date.

        Parameters
        ----------
        area : str, optional
            A name or code; None: the session's area.

        Returns
        -------
        DataFrame
            One row per lowest unit of the area on the as-of date: ``area_code``,
            ``area_name``, ``organisations`` in the data, ``sent`` and ``file``. A unit
            with neither a form nor organisations is missing from every total.

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
        """The problems ``htx validate`` finds, errors first.

        Parameters
        ----------
        forms : bool
            Only those of the units' forms.

        Returns
        -------
        DataFrame
            ``severity``, ``code``, ``sheet``, ``row`` (as in Excel), ``column``,
            ``value``, ``message`` (Vietnamese); ``htxlib.vi`` shows it as the CSV of
            ``htx validate --problems``.

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
        """The tables and charts the report of the area has, in its order.

        Parameters
        ----------
        area : str, optional
            A name or code; None: the session's area.

        Returns
        -------
        Exhibits
            A list of tables and charts; each shows itself in Jupyter under its caption,
            and ``.frame()`` of a table, ``.image()`` of a chart give their contents.

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
