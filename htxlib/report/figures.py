"""The report's charts (matplotlib, one style file: resources/htx.mplstyle).

Each builder reads ``Facts`` and returns a ``tree.Chart``: the matplotlib figure (each
renderer draws it at its own resolution), its data, a caption, alt text that states the
figures (for screen readers and for a reader whose images are blocked) and a source line
drawn under the plot; or None when there is nothing to draw (no figure other than zero, a
breakdown into fewer than two categories, no units below the area), and the chart is left
out. A figure the data do not have stays absent (a gap), never a zero. Every number on an
axis is written the Vietnamese way (1.234; 0,5). Labels are in resources/exhibits.yaml.
Figures are made with ``matplotlib.figure.Figure``, not pyplot, so none is left in a
global registry.
"""

from __future__ import annotations

import math

import matplotlib
import pandas as pd
from babel.numbers import format_decimal

matplotlib.use("Agg")  # a report is drawn without a screen

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.ticker import Formatter, MaxNLocator, ScalarFormatter

from htxlib import fmt
from htxlib.config import RESOURCES_DIR
from htxlib.glossary import resource
from htxlib.report.facts import Facts
from htxlib.report.narrative import render
from htxlib.report.tables import MIN_PARTS, units
from htxlib.report.tree import Chart

STYLE = RESOURCES_DIR / "htx.mplstyle"


def spec() -> dict:
    return resource("exhibits.yaml")["figures"]


def _ctx(facts: Facts, first: int | None = None) -> dict:
    return {"n": facts.n, "year": facts.year, "as_of": fmt.date(facts.as_of),
            "first": first if first is not None else facts.n}


def _points(pairs: list[tuple[str, float]]) -> str:
    return "; ".join(f"{k}: {fmt.number(v)}" for k, v in pairs if _known(v)) + "."


def _known(v: float) -> bool:
    return v is not None and not math.isnan(v)


def _shows(values) -> bool:
    """Whether any value is a figure other than zero (absent ones are not)."""
    return any(_known(v) and v != 0 for v in values)


def _varies(values) -> bool:
    """Whether the known values are not all one figure: bars all equal compare nothing
    (the figure is in the sentence and the table already)."""
    return len({v for v in values if _known(v)}) > 1


def _label(v: float) -> str:
    """A bar's label: its figure, none for a figure the data do not have."""
    return fmt.number(v) if _known(v) else ""


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


def _finish(fig, ax, key: str, facts: Facts, source: str, points: list, first=None) -> Chart:
    """Vietnamese numbers on every numeric axis, the source line, caption and alt text."""
    for axis in (ax.xaxis, ax.yaxis):
        if isinstance(axis.get_major_formatter(), ScalarFormatter):  # not category names
            axis.set_major_formatter(Ticks())
    ax.annotate(source, xy=(0, 0), xycoords="axes fraction", xytext=(0, -40),
                textcoords="offset points", fontsize=8, color="#595959", ha="left", va="top")
    s = spec()[key]
    ctx = _ctx(facts, first)
    data = pd.DataFrame(points, columns=["label", "value"])
    return Chart(key, render(s["caption"], **ctx), render(s["alt"], points=_points(points),
                                                          **ctx), source, data, fig, str(STYLE))


def _legend_above(ax) -> None:
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.02), ncols=3)


def _years(facts: Facts, code: str) -> tuple[list[str], list[float]]:
    s = facts.series(code)
    est = str(facts.n) if facts.done else render(spec()["estimate_label"], n=facts.n)
    return [est if y == facts.n else str(y) for y in s.index], list(s)


def _year_series(facts: Facts, key: str) -> dict[str, tuple[list[str], list[float]]]:
    """The chart's series (exhibits.yaml ``key``) that have something to show, by label;
    none when no series has two years to show or none changes over the years (a chart of
    one point a series, of bars all equal or of flat lines says nothing a sentence, "không
    biến động", does not)."""
    series = {lbl: _years(facts, code) for code, lbl in spec()[key]["series"].items()
              if _shows(facts.series(code))}
    years = max((sum(_known(v) for v in vals) for _, vals in series.values()), default=0)
    changes = any(_varies(vals) for _, vals in series.values())
    return series if years >= MIN_PARTS and changes else {}


def orgs_by_type(facts: Facts, source: str) -> Chart | None:
    s = spec()["orgs_by_type"]
    if not (series := _year_series(facts, "orgs_by_type")):
        return None
    with plt.style.context(STYLE):
        fig = Figure()
        ax = fig.subplots()
        labels = next(iter(series.values()))[0]
        width = 0.8 / max(len(series), 1)
        points = []
        for i, (lbl, (_, vals)) in enumerate(series.items()):
            xs = [x + (i - (len(series) - 1) / 2) * width for x in range(len(labels))]
            bars = ax.bar(xs, vals, width, label=lbl)
            ax.bar_label(bars, labels=[_label(v) for v in vals], fontsize=8, padding=2)
            points += [(f"{lbl} {y}", v) for y, v in zip(labels, vals, strict=True)]
        ax.set_xticks(range(len(labels)), labels)
        ax.set_ylabel(s["ylabel"])
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        _legend_above(ax)
        first = int(facts.series("org_count").index[0])
        return _finish(fig, ax, "orgs_by_type", facts, source, points, first)


def _barh(facts: Facts, key: str, pairs: list[tuple[str, float]], source: str
          ) -> Chart | None:
    if len(pairs) < MIN_PARTS or not _varies([v for _, v in pairs]):  # one bar, none, or
        return None  # all equal: nothing to compare
    with plt.style.context(STYLE):
        fig = Figure(figsize=(7.2, 0.45 * max(len(pairs), 2) + 1))
        ax = fig.subplots()
        labels = [p[0] for p in pairs][::-1]
        vals = [p[1] for p in pairs][::-1]
        bars = ax.barh(labels, vals, color="#1f4e79")
        ax.bar_label(bars, labels=[fmt.number(v) for v in vals], fontsize=8, padding=3)
        ax.set_xlabel(spec()[key]["xlabel"])
        ax.grid(axis="x")
        ax.grid(axis="y", visible=False)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        return _finish(fig, ax, key, facts, source, pairs)


def htx_by_sector(facts: Facts, source: str) -> Chart | None:
    return _barh(facts, "htx_by_sector", facts.parts("htx_count", "sector"), source)


def managers(facts: Facts, source: str) -> Chart | None:
    return _barh(facts, "managers", facts.parts("htx_managers", "training"), source)


def members_workers(facts: Facts, source: str) -> Chart | None:
    s = spec()["members_workers"]
    if not (series := _year_series(facts, "members_workers")):
        return None
    with plt.style.context(STYLE):
        fig = Figure()
        ax = fig.subplots()
        points = []
        labels: list[str] = []
        for lbl, (labels, vals) in series.items():
            ax.plot(range(len(labels)), vals, marker="o", label=lbl)
            points += [(f"{lbl} {y}", v) for y, v in zip(labels, vals, strict=True)]
        ax.set_xticks(range(len(labels)), labels)
        ax.set_ylabel(s["ylabel"])
        ax.set_ylim(bottom=0)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # people: whole numbers
        _legend_above(ax)
        first = int(facts.series("htx_members").index[0])
        return _finish(fig, ax, "members_workers", facts, source, points, first)


def orgs_by_commune(facts: Facts, source: str) -> Chart | None:
    s = spec()["orgs_by_commune"]
    below = units(facts)
    if below is None:  # a commune: no units below it to compare
        return None
    below = below.assign(_total=sum(below.get(c, 0) for c in s["series"])).sort_values(
        "_total", ascending=True)
    if not _varies(list(below["_total"])):  # every unit the same count: said in Bảng 2
        return None
    top = len(below) > s["top"]
    below = below.iloc[-s["top"]:] if top else below
    with plt.style.context(STYLE):
        fig = Figure(figsize=(7.2, 0.32 * max(len(below), 2) + 1))
        ax = fig.subplots()
        left = [0.0] * len(below)
        for code, lbl in s["series"].items():
            vals = list(below.get(code, [0.0] * len(below)))
            vals = [0.0 if v != v else v for v in vals]
            ax.barh(list(below["area_name"]), vals, left=left, label=lbl)
            left = [a + b for a, b in zip(left, vals, strict=True)]
        points = [(str(n), float(t)) for n, t in zip(below["area_name"], below["_total"],
                                                     strict=True)]
        ax.set_xlabel(s["xlabel"])
        ax.grid(axis="x")
        ax.grid(axis="y", visible=False)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        _legend_above(ax)  # never over the bars, however few units there are
        chart = _finish(fig, ax, "orgs_by_commune", facts, source, points[::-1])
        if top:
            chart.caption = render(s["caption_top"], top=s["top"], **_ctx(facts))
        return chart


BUILDERS = {"orgs_by_type": orgs_by_type, "htx_by_sector": htx_by_sector,
            "members_workers": members_workers, "managers": managers,
            "orgs_by_commune": orgs_by_commune}
