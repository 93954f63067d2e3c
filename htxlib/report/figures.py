"""The report's charts (matplotlib, one style file: resources/htx.mplstyle).

Each builder reads ``Facts`` and returns a ``tree.Chart``: the matplotlib figure (each
renderer draws it at its own resolution), its data, a caption, alt text that states the
figures (for screen readers and for a reader whose images are blocked) and a source line
drawn under the plot. Labels are in resources/exhibits.yaml. Figures are made with
``matplotlib.figure.Figure``, not pyplot, so none is left in a global registry.
"""

from __future__ import annotations

import matplotlib
import pandas as pd

matplotlib.use("Agg")  # a report is drawn without a screen

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from htxlib import fmt  # noqa: E402
from htxlib.config import RESOURCES_DIR  # noqa: E402
from htxlib.glossary import resource  # noqa: E402
from htxlib.report.facts import Facts  # noqa: E402
from htxlib.report.narrative import render  # noqa: E402
from htxlib.report.tree import Chart  # noqa: E402

STYLE = RESOURCES_DIR / "htx.mplstyle"


def spec() -> dict:
    return resource("exhibits.yaml")["figures"]


def _ctx(facts: Facts, first: int | None = None) -> dict:
    return {"n": facts.n, "year": facts.year, "as_of": fmt.date(facts.as_of),
            "first": first if first is not None else facts.n}


def _points(pairs: list[tuple[str, float]]) -> str:
    return "; ".join(f"{k}: {fmt.number(v)}" for k, v in pairs) + "."


def _finish(fig, ax, key: str, facts: Facts, source: str, points: list, first=None,
            horizontal: bool = False) -> Chart:
    """Vietnamese numbers on the value axis, the source line, PNG, caption and alt text."""
    axis = ax.xaxis if horizontal else ax.yaxis
    axis.set_major_formatter(FuncFormatter(lambda v, _: fmt.number(v)))
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
    est = render(spec()["estimate_label"], n=facts.n)
    return [est if y == facts.n else str(y) for y in s.index], list(s.fillna(0.0))


def orgs_by_type(facts: Facts, source: str) -> Chart:
    s = spec()["orgs_by_type"]
    with plt.style.context(STYLE):
        fig = Figure()
        ax = fig.subplots()
        series = {lbl: _years(facts, code) for code, lbl in s["series"].items()
                  if facts.series(code).fillna(0).any()}
        labels = next(iter(series.values()))[0] if series else []
        width = 0.8 / max(len(series), 1)
        points = []
        for i, (lbl, (_, vals)) in enumerate(series.items()):
            xs = [x + (i - (len(series) - 1) / 2) * width for x in range(len(labels))]
            bars = ax.bar(xs, vals, width, label=lbl)
            ax.bar_label(bars, labels=[fmt.number(v) for v in vals], fontsize=8, padding=2)
            points += [(f"{lbl} {y}", v) for y, v in zip(labels, vals, strict=True)]
        ax.set_xticks(range(len(labels)), labels)
        ax.set_ylabel(s["ylabel"])
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        _legend_above(ax)
        first = int(facts.series("org_count").index[0])
        return _finish(fig, ax, "orgs_by_type", facts, source, points, first)


def _barh(facts: Facts, key: str, pairs: list[tuple[str, float]], source: str) -> Chart:
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
        return _finish(fig, ax, key, facts, source, pairs, horizontal=True)


def htx_by_sector(facts: Facts, source: str) -> Chart:
    return _barh(facts, "htx_by_sector", facts.parts("htx_count", "sector"), source)


def managers(facts: Facts, source: str) -> Chart:
    return _barh(facts, "managers", facts.parts("htx_managers", "training"), source)


def members_workers(facts: Facts, source: str) -> Chart:
    s = spec()["members_workers"]
    with plt.style.context(STYLE):
        fig = Figure()
        ax = fig.subplots()
        points = []
        labels: list[str] = []
        for code, lbl in s["series"].items():
            labels, vals = _years(facts, code)
            ax.plot(range(len(labels)), vals, marker="o", label=lbl)
            points += [(f"{lbl} {y}", v) for y, v in zip(labels, vals, strict=True)]
        ax.set_xticks(range(len(labels)), labels)
        ax.set_ylabel(s["ylabel"])
        ax.set_ylim(bottom=0)
        _legend_above(ax)
        first = int(facts.series("htx_members").index[0])
        return _finish(fig, ax, "members_workers", facts, source, points, first)


def orgs_by_commune(facts: Facts, source: str) -> Chart:
    s = spec()["orgs_by_commune"]
    units = facts.units()
    units = units.assign(_total=sum(units.get(c, 0) for c in s["series"])).sort_values(
        "_total", ascending=True)
    with plt.style.context(STYLE):
        fig = Figure(figsize=(7.2, 0.32 * max(len(units), 2) + 1))
        ax = fig.subplots()
        left = [0.0] * len(units)
        for code, lbl in s["series"].items():
            vals = list(units.get(code, [0.0] * len(units)))
            vals = [0.0 if v != v else v for v in vals]
            ax.barh(list(units["area_name"]), vals, left=left, label=lbl)
            left = [a + b for a, b in zip(left, vals, strict=True)]
        points = [(str(n), float(t)) for n, t in zip(units["area_name"], units["_total"],
                                                       strict=True)]
        ax.set_xlabel(s["xlabel"])
        ax.grid(axis="x")
        ax.grid(axis="y", visible=False)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        _legend_above(ax)  # never over the bars, however few units there are
        return _finish(fig, ax, "orgs_by_commune", facts, source, points[::-1], horizontal=True)


BUILDERS = {"orgs_by_type": orgs_by_type, "htx_by_sector": htx_by_sector,
            "members_workers": members_workers, "managers": managers,
            "orgs_by_commune": orgs_by_commune}
