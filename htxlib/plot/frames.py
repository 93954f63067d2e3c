"""An analyst's own charts, in the report's house style, from the API's frames.

``plot_series`` draws a session's ``series``, ``plot_compare`` its ``compare`` (the units
of an area ranked), ``plot_breakdown`` its ``breakdown``. Each returns a
``report.tree.Chart``, which Jupyter shows with its caption; its ``figure`` is
matplotlib's, its ``alt`` the text that states its figures, its ``data`` the points, and
``image()`` its PNG. Drawing is ``htxlib.plot.draw``'s, as the report's charts; captions
and alt text are in ``resources/api.yaml`` (``charts``); the area, periods and source
line come with the frame (``frame.attrs["htx"]``, set by the session's views).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from htxlib.glossary import indicator, labels, resource
from htxlib.plot import draw
from htxlib.render.csvfile import header_of
from htxlib.report.narrative import render
from htxlib.report.tree import Chart

TOP = 20  # the most units a comparison shows (the frame has them all)
NOT_FIGURES = ("area_code", "area_name", "estimate", "predecessors")


def _words() -> dict:
    return resource("api.yaml")["charts"]


def _about(frame: pd.DataFrame) -> dict:
    return {"area": "", "codes": [], "periods": [], "by": "", "source": "",
            **frame.attrs.get("htx", {})}


def _label(column: object) -> str:
    """An indicator's label, or a column's header as ``htxlib.vi`` shows it."""
    entry = indicator(column) if isinstance(column, str) else None
    return entry["label"] if entry else str(header_of(column))


def _unit(codes: Iterable[str]) -> tuple[str, bool]:
    """The unit the codes share ("" when they differ) and whether they count in whole
    numbers (sums of organisations or people, not money or averages)."""
    entries = [e for e in (indicator(c) for c in codes) if e]
    units = {e["unit"] for e in entries}
    whole = bool(entries) and all("measure" in e and "đồng" not in e["unit"] for e in entries)
    return (units.pop() if len(units) == 1 else ""), whole


def _joined(texts: list[str]) -> str:
    """"a, b và c": labels after the first start lower case, as inside a sentence (an
    acronym, "HTX", stays as it is)."""
    w = _words()
    inner = [t if i == 0 or t[1:2].isupper() else t[:1].lower() + t[1:]
             for i, t in enumerate(texts)]
    return w["join"].join(inner[:-1]) + w["and"] + inner[-1] if len(inner) > 1 else "".join(
        inner)


def plot_series(frame: pd.DataFrame, codes: str | Iterable[str] | None = None, *,
                bars: bool = False, caption: str | None = None) -> Chart:
    """A yearly series as lines (or ``bars``), the estimate's year marked "(ước)".

    Parameters
    ----------
    frame : DataFrame
        A session's ``series`` (or a frame like it: indexed by year, a column per code).
    codes : str or list of str, optional
        The columns to draw; None: every indicator column.
    bars : bool
        Bars side by side instead of lines.
    caption : str, optional
        Instead of the caption made from the frame.

    Returns
    -------
    Chart
        Its ``figure`` (matplotlib), ``caption``, ``alt`` (the figures in words),
        ``source``, ``data`` and ``image()`` (PNG at print resolution).

    Examples
    --------
    >>> import htxlib
    >>> s = htxlib.open_data("data/sample/ba-to-2025", as_of="14/12/2026")
    >>> chart = htxlib.plot_series(s.series("htx_count", "xã Ba Vì"))
    >>> chart.caption
    'Tổng số hợp tác xã, xã Ba Vì, 2024–2026'
    >>> chart.data["label"].tolist()
    ['Tổng số hợp tác xã 2024', 'Tổng số hợp tác xã 2025', 'Tổng số hợp tác xã 2026 (ước)']
    """
    about = _about(frame)
    wanted = [codes] if isinstance(codes, str) else list(codes or [
        c for c in frame.columns if c not in NOT_FIGURES])
    est = resource("exhibits.yaml")["figures"]["estimate_label"]
    flags = frame["estimate"] if "estimate" in frame else pd.Series(False, frame.index)
    years = [render(est, n=y) if e else str(y) for y, e in zip(frame.index, flags,
                                                               strict=True)]
    series = {_label(c): [float(v) for v in frame[c]] for c in wanted}
    points = [(f"{lbl} {y}", v) for lbl, vals in series.items()
              for y, v in zip(years, vals, strict=True)]
    source = about["source"]
    if "predecessors" in frame and (old := frame[frame["predecessors"] != ""]).size:
        source += "\n" + render(_words()["series"]["predecessors"],
                                years=", ".join(str(y) for y in old.index),
                                names=old["predecessors"].iloc[0])
    unit, whole = _unit(wanted)
    figure = (draw.columns if bars else draw.lines)(years, series, unit, source, whole)
    label = _joined(list(series))
    w = _words()["series"]
    ctx = {"label": label, "area": about["area"], "first": frame.index[0],
           "last": frame.index[-1], "bars": bars}
    return draw.chart("series", figure, caption or render(w["caption"], **ctx),
                      render(w["alt"], points=draw.points_text(points), **ctx), source,
                      points)


def plot_compare(frame: pd.DataFrame, columns: object | Iterable[object] | None = None,
                 *, top: int = TOP, caption: str | None = None) -> Chart:
    """The units of a comparison as horizontal bars, ranked by the last column drawn,
    largest at the top; at most ``top`` of them (the caption says so).

    Parameters
    ----------
    frame : DataFrame
        A session's ``compare`` (one row per unit, ``area_name`` and figures).
    columns : column or list of columns, optional
        What to draw, side by side ("htx_members"; "2024" and "2025-09-30"); None: every
        figure column (of the first code, when the columns are (code, period)).
    top : int
        The most units drawn.
    caption : str, optional
        Instead of the caption made from the frame.

    Returns
    -------
    Chart
        As ``plot_series``; ``data`` holds each unit's figures, top first.

    Examples
    --------
    >>> import htxlib
    >>> s = htxlib.open_data("data/sample/ba-to-2025", as_of="30/9/2025")
    >>> c = s.compare("htx_count", "Quảng Ngãi", periods=[2024, "30/9/2025"])
    >>> chart = htxlib.plot_compare(c)
    >>> chart.caption
    'Tổng số hợp tác xã của các đơn vị thuộc tỉnh Quảng Ngãi, năm 2024 và đến 30/9/2025'
    >>> chart.data.head(2).values.tolist()
    [['xã Ba Vì 2024', 2.0], ['xã Ba Vì 30/9/2025', 3.0]]
    """
    about = _about(frame)
    if columns is None:
        columns = [c for c in frame.columns if c not in (*NOT_FIGURES, "growth",
                                                         "growth_pct")]
        if isinstance(frame.columns, pd.MultiIndex):
            columns = [c for c in columns if c[0] == columns[0][0]]
    drawn = [columns] if isinstance(columns, str | tuple) else list(columns)
    ranked = frame.sort_values(drawn[-1], ascending=False, kind="stable",
                               na_position="last")
    shown = ranked.head(top)
    names = [str(n) for n in shown["area_name"]]
    series = {str(_label(c[-1] if isinstance(c, tuple) else c)): list(shown[c])
              for c in drawn}
    codes = [c for c in drawn if isinstance(c, str) and indicator(c)] or about["codes"]
    unit, whole = _unit(codes[:1])
    points = [(f"{n} {lbl}" if len(series) > 1 else n, float(vals[i]))
              for i, n in enumerate(names) for lbl, vals in series.items()]
    figure = draw.hbars(names, series, unit, about["source"], whole)
    w = _words()["compare"]
    label = _joined([_label(c) for c in codes]) if codes else _joined(list(series))
    ctx = {"label": label, "area": about["area"], "top": top,
           "periods": _joined(about["periods"]) if len(drawn) > 1 or codes else ""}
    text = w["caption_top"] if len(frame) > top else w["caption"]
    return draw.chart("compare", figure, caption or render(text, **ctx),
                      render(w["alt"], points=draw.points_text(points), **ctx),
                      about["source"], points)


def plot_breakdown(frame: pd.DataFrame, *, caption: str | None = None) -> Chart:
    """One indicator by category as horizontal bars, largest at the top.

    Parameters
    ----------
    frame : DataFrame
        A session's ``breakdown`` (``category_label`` and ``value``).
    caption : str, optional
        Instead of the caption made from the frame.

    Returns
    -------
    Chart
        As ``plot_series``.

    Examples
    --------
    >>> import htxlib
    >>> s = htxlib.open_data(as_of="10/6/2024")
    >>> chart = htxlib.plot_breakdown(s.breakdown("htx_managers", "training", "Ba Tơ"))
    >>> chart.caption
    'Cán bộ quản lý hợp tác xã theo trình độ cán bộ quản lý, huyện Ba Tơ, đến 10/6/2024'
    """
    about = _about(frame)
    pairs = [(str(k), float(v)) for k, v in zip(frame["category_label"], frame["value"],
                                                strict=True)]
    codes = about["codes"]
    unit, whole = _unit(codes)
    figure = draw.hbars([p[0] for p in pairs], {"": [p[1] for p in pairs]}, unit,
                        about["source"], whole)
    w = _words()["breakdown"]
    ctx = {"label": _joined([_label(c) for c in codes]), "area": about["area"],
           "by": labels()["breakdown"].get(about["by"], about["by"]),
           "period": _joined(about["periods"])}
    return draw.chart("breakdown", figure, caption or render(w["caption"], **ctx),
                      render(w["alt"], points=draw.points_text(pairs), **ctx),
                      about["source"], pairs)
