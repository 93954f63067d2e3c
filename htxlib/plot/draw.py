"""House-style drawing: the report's charts and an analyst's own go through these.

Each function draws one kind of chart in the style of ``resources/htx.mplstyle`` and
returns its matplotlib ``Figure``: bars or lines over the years (``columns``, ``lines``),
horizontal bars for units or categories side by side, stacked or not (``hbars``). Every
number on an axis or a bar is written the Vietnamese way (1.234; 0,5); a figure the data
do not have is no bar and no point, and no figure (a gap), never 0; the source line is
drawn under the plot. Figures are ``matplotlib.figure.Figure``, not pyplot's, so
none is left in a global registry. Captions and alt text are the caller's (a report's
from exhibits.yaml, an analyst's from ``htxlib.plot``), put with the figure in a
``report.tree.Chart``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import matplotlib
import pandas as pd
from babel.numbers import format_decimal

matplotlib.use("Agg")  # drawn without a screen

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import Formatter, MaxNLocator, ScalarFormatter

from htxlib import fmt
from htxlib.config import RESOURCES_DIR
from htxlib.report.tree import Chart

__all__ = ["Ticks", "bar_label", "chart", "columns", "finish", "hbars", "known",
           "legend_above", "lines", "points_text"]

STYLE = RESOURCES_DIR / "htx.mplstyle"
ONE_COLOUR = "#1f4e79"  # bars of one series: the style's first colour
Series = dict[str, Sequence[float]]  # legend label → values, one per label on the axis


def known(v: float | None) -> bool:
    return v is not None and not math.isnan(v)


def bar_label(v: float) -> str:
    """A bar's label: its figure, none for a figure the data do not have."""
    return fmt.number(v) if known(v) else ""


class Ticks(Formatter):
    """Axis numbers the Vietnamese way, all with the decimals the ticks need (0; 1.500;
    0,5 1,0 1,5), never "-0"."""

    decimals = 0

    def set_locs(self, locs) -> None:
        super().set_locs(locs)
        self.decimals = next((d for d in range(4) if all(
            abs(round(v, d) - v) < 1e-9 * max(1.0, abs(v)) for v in locs)), 3)

    def __call__(self, x: float, pos=None) -> str:
        d = self.decimals
        x = round(x, d) or 0.0  # -0.0 is 0
        return format_decimal(x, format="#,##0" + ("." + "0" * d if d else ""),
                              locale=fmt.LOCALE)


def finish(ax: Axes, source: str) -> None:
    """Vietnamese numbers on every numeric axis, and the source line under the plot."""
    for axis in (ax.xaxis, ax.yaxis):
        if isinstance(axis.get_major_formatter(), ScalarFormatter):  # not category names
            axis.set_major_formatter(Ticks())
    if source:
        ax.annotate(source, xy=(0, 0), xycoords="axes fraction", xytext=(0, -40),
                    textcoords="offset points", fontsize=8, color="#595959", ha="left",
                    va="top")


def legend_above(ax: Axes) -> None:
    """The legend above the plot, never over the bars, however few there are."""
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.02), ncols=3)


def columns(labels: Sequence[str], series: Series, ylabel: str, source: str,
            whole: bool = True) -> Figure:
    """Bars by year (``labels`` on the x axis), one colour a series side by side, each
    bar labelled with its figure; ``whole``: the axis counts in whole numbers."""
    with plt.style.context(STYLE):
        fig = Figure()
        ax = fig.subplots()
        width = 0.8 / max(len(series), 1)
        for i, (lbl, vals) in enumerate(series.items()):
            xs = [x + (i - (len(series) - 1) / 2) * width for x in range(len(labels))]
            bars = ax.bar(xs, vals, width, label=lbl)
            ax.bar_label(bars, labels=[bar_label(v) for v in vals], fontsize=8, padding=2)
        ax.set_xticks(range(len(labels)), labels)
        ax.set_ylabel(ylabel)
        if whole:
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        legend_above(ax)
        finish(ax, source)
        return fig


def lines(labels: Sequence[str], series: Series, ylabel: str, source: str,
          whole: bool = True) -> Figure:
    """Lines by year with a mark at each figure, from zero up; a figure the data do not
    have breaks the line."""
    with plt.style.context(STYLE):
        fig = Figure()
        ax = fig.subplots()
        for lbl, vals in series.items():
            ax.plot(range(len(labels)), vals, marker="o", label=lbl)
        ax.set_xticks(range(len(labels)), labels)
        ax.set_ylabel(ylabel)
        ax.set_ylim(bottom=0)
        if whole:
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # people: whole numbers
        legend_above(ax)
        finish(ax, source)
        return fig


def hbars(names: Sequence[str], series: Series, xlabel: str, source: str,
          whole: bool = True, stacked: bool = False) -> Figure:
    """Horizontal bars, ``names`` from the top down: one series in one colour with each
    bar's figure; several side by side, or ``stacked`` (parts of a whole: a unit's THT and
    HTX; a part the data do not have adds nothing), with a legend above."""
    one = len(series) == 1
    with plt.style.context(STYLE):
        per = 0.45 if one else 0.32 if stacked else 0.3 * len(series)
        fig = Figure(figsize=(7.2, per * max(len(names), 2) + 1))
        ax = fig.subplots()
        shown = list(names)[::-1]
        if one:
            vals = list(next(iter(series.values())))[::-1]
            bars = ax.barh(shown, vals, color=ONE_COLOUR)
            ax.bar_label(bars, labels=[fmt.number(v) for v in vals], fontsize=8, padding=3)
        elif stacked:
            left = [0.0] * len(shown)
            for lbl, values in series.items():
                vals = [0.0 if v != v else v for v in list(values)[::-1]]
                ax.barh(shown, vals, left=left, label=lbl)
                left = [a + b for a, b in zip(left, vals, strict=True)]
        else:
            height = 0.8 / len(series)
            for i, (lbl, values) in enumerate(series.items()):
                ys = [y - (i - (len(series) - 1) / 2) * height for y in range(len(shown))]
                vals = list(values)[::-1]
                bars = ax.barh(ys, vals, height, label=lbl)
                ax.bar_label(bars, labels=[bar_label(v) for v in vals], fontsize=8,
                             padding=3)
            ax.set_yticks(range(len(shown)), shown)
        ax.set_xlabel(xlabel)
        ax.grid(axis="x")
        ax.grid(axis="y", visible=False)
        if whole:
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        if not one:
            legend_above(ax)
        finish(ax, source)
        return fig


def chart(key: str, figure: Figure, caption: str, alt: str, source: str,
          points: list[tuple[str, float]]) -> Chart:
    """The figure with its caption, alt text (which states ``points``) and source line,
    and its data as a frame (label, value)."""
    data = pd.DataFrame(points, columns=["label", "value"])
    return Chart(key, caption, alt, source, data, figure, str(STYLE))


def points_text(points: list[tuple[str, float]]) -> str:
    """"Hợp tác xã 2022: 13; …": the figures an alt text states (absent ones left out)."""
    return "; ".join(f"{k}: {fmt.number(v)}" for k, v in points if known(v)) + "."
