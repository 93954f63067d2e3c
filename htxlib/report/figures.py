"""The report's charts (matplotlib, one style file: resources/htx.mplstyle).

Each builder reads ``Facts`` and returns a ``tree.Chart``: the matplotlib figure (each
renderer draws it at its own resolution), its data, a caption, alt text that states the
figures (for screen readers and for a reader whose images are blocked) and a source line
drawn under the plot; or None when there is nothing to draw (no figure other than zero, a
breakdown into fewer than two categories, no units below the area), and the chart is left
out. A figure the data do not have stays absent (a gap), never a zero. Every number on an
axis is written the Vietnamese way (1.234; 0,5). Labels are in resources/exhibits.yaml.
The drawing is the house style's, ``htxlib.plot.draw``, which an analyst's own charts
(``htxlib.plot``) use too.
"""

from __future__ import annotations

import math

from htxlib import fmt
from htxlib.glossary import resource
from htxlib.plot import draw
from htxlib.report.facts import Facts
from htxlib.report.narrative import render
from htxlib.report.tables import MIN_PARTS, units
from htxlib.report.tree import Chart

STYLE = draw.STYLE


def spec() -> dict:
    return resource("exhibits.yaml")["figures"]


def _ctx(facts: Facts, first: int | None = None) -> dict:
    return {"n": facts.n, "year": facts.year, "as_of": fmt.date(facts.as_of),
            "first": first if first is not None else facts.n}


def _known(v: float) -> bool:
    return v is not None and not math.isnan(v)


def _shows(values) -> bool:
    """Whether any value is a figure other than zero (absent ones are not)."""
    return any(_known(v) and v != 0 for v in values)


def _varies(values) -> bool:
    """Whether the known values are not all one figure: bars all equal compare nothing
    (the figure is in the sentence and the table already)."""
    return len({v for v in values if _known(v)}) > 1


def _chart(figure, key: str, facts: Facts, source: str, points: list,
           first: int | None = None) -> Chart:
    """The figure with exhibits.yaml's caption and alt text for ``key``."""
    s, ctx = spec()[key], _ctx(facts, first)
    return draw.chart(key, figure, render(s["caption"], **ctx),
                      render(s["alt"], points=draw.points_text(points), **ctx), source,
                      points)


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


def _over_years(facts: Facts, key: str, source: str, draw_with, first_code: str
                ) -> Chart | None:
    """A chart over the years (bars or lines, ``draw_with``) of the series of ``key``."""
    if not (series := _year_series(facts, key)):
        return None
    labels = next(iter(series.values()))[0]
    points = [(f"{lbl} {y}", v) for lbl, (years, vals) in series.items()
              for y, v in zip(years, vals, strict=True)]
    figure = draw_with(labels, {lbl: vals for lbl, (_, vals) in series.items()},
                       spec()[key]["ylabel"], source)
    return _chart(figure, key, facts, source, points,
                  int(facts.series(first_code).index[0]))


def orgs_by_type(facts: Facts, source: str) -> Chart | None:
    return _over_years(facts, "orgs_by_type", source, draw.columns, "org_count")


def members_workers(facts: Facts, source: str) -> Chart | None:
    return _over_years(facts, "members_workers", source, draw.lines, "htx_members")


def _barh(facts: Facts, key: str, pairs: list[tuple[str, float]], source: str
          ) -> Chart | None:
    if len(pairs) < MIN_PARTS or not _varies([v for _, v in pairs]):  # one bar, none, or
        return None  # all equal: nothing to compare
    figure = draw.hbars([p[0] for p in pairs], {"": [p[1] for p in pairs]},
                        spec()[key]["xlabel"], source)
    return _chart(figure, key, facts, source, pairs)


def htx_by_sector(facts: Facts, source: str) -> Chart | None:
    return _barh(facts, "htx_by_sector", facts.parts("htx_count", "sector"), source)


def managers(facts: Facts, source: str) -> Chart | None:
    return _barh(facts, "managers", facts.parts("htx_managers", "training"), source)


def orgs_by_commune(facts: Facts, source: str) -> Chart | None:
    s = spec()["orgs_by_commune"]
    below = units(facts)
    if below is None:  # a commune: no units below it to compare
        return None
    below = below.assign(_total=sum(below.get(c, 0) for c in s["series"])).sort_values(
        "_total", ascending=True).iloc[::-1]  # largest first; ties last listed first
    if not _varies(list(below["_total"])):  # every unit the same count: said in Bảng 2
        return None
    top = len(below) > s["top"]
    below = below.iloc[:s["top"]] if top else below
    series = {lbl: list(below.get(code, [0.0] * len(below)))
              for code, lbl in s["series"].items()}
    figure = draw.hbars(list(below["area_name"]), series, s["xlabel"], source,
                        stacked=True)
    points = [(str(n), float(t)) for n, t in zip(below["area_name"], below["_total"],
                                                 strict=True)]
    chart = _chart(figure, "orgs_by_commune", facts, source, points)
    if top:
        chart.caption = render(s["caption_top"], top=s["top"], **_ctx(facts))
    return chart


BUILDERS = {"orgs_by_type": orgs_by_type, "htx_by_sector": htx_by_sector,
            "members_workers": members_workers, "managers": managers,
            "orgs_by_commune": orgs_by_commune}
