"""How the API's objects show themselves: a few lines of summary, never the data.

A session, a registry, the problems and a report's exhibits each have a ``repr`` (at the
prompt) and a ``_repr_html_`` (in Jupyter) made here from a list of (label, value) pairs;
the labels are Vietnamese, from ``resources/api.yaml``. Typing the name of a registry of a
whole country prints four lines, not its frames.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
import pandas as pd

from htxlib import fmt
from htxlib.config import SAMPLE_DIR
from htxlib.glossary import resource

if TYPE_CHECKING:
    from htxlib.inputs.areas import Areas
    from htxlib.inputs.problems import Problems
    from htxlib.inputs.registry import Registry
    from htxlib.report.tree import Chart
    from htxlib.session import Session

Rows = list[tuple[str, str]]
SHOWN = 10  # the problems a summary lists; .frame() has them all


def words() -> dict:
    return resource("api.yaml")["summary"]


def _count(n: int) -> str:
    return fmt.number(n, 0)


def data_name(path: object) -> str:
    """The data's folder or file name; the bundled sample says so."""
    name = Path(str(path)).name
    return words()["sample"].format(name=name) if Path(str(path)) == SAMPLE_DIR else name


def problem_count(problems: Problems) -> str:
    """"2 lỗi, 3 cảnh báo": the tally htx validate prints, without its full stop."""
    return problems.tally().rstrip(".")


def registry_rows(registry: Registry) -> Rows:
    w, forms = words()["rows"], registry.submissions
    rows = [(w["data"], data_name(registry.data.path)),
            (w["organisations"], _count(len(registry.organisations))),
            (w["records"], _count(len(registry.records)))]
    if len(forms):
        rows.append((w["forms"], words()["forms_of"].format(
            forms=_count(forms["file"].nunique()), units=_count(forms["unit_code"].nunique()))))
    rows += [(w["units"], _count(len(registry.units_with_data()))),
             (w["areas"], _count(len(registry.areas.frame))),
             (w["problems"], problem_count(registry.problems))]
    return rows


def areas_rows(areas: Areas) -> Rows:
    """How many units of each level, and the moves of a reorganisation."""
    from htxlib.glossary import enum_label

    w = words()
    levels = areas.frame["level"].value_counts()
    rows = [(enum_label("area_level", level), _count(int(levels[level])))
            for level in ("province", "district", "commune") if level in levels]
    return [*rows, (w["crosswalk"], _count(len(areas.crosswalk)))]


def periods_text(table: pd.DataFrame) -> str:
    """"2024, 30/9/2025, ước 2025, kế hoạch 2026": the periods of an indicator table."""
    seen = table[["period", "kind"]].astype(object).drop_duplicates()
    said = words()["period"]
    return ", ".join(said[kind].format(period=fmt.date(p) if len(p) == 10 else p)
                     for p, kind in seen.itertuples(index=False))


def session_rows(session: Session) -> Rows:
    w, p = words()["rows"], session.params
    own = registry_rows(session.registry)
    return [own[0], (w["document"], p.document.label.format(year=p.year)),
            (w["as_of"], fmt.date(session.as_of)),
            (w["periods"], periods_text(session.values.periods[session.values.periods["shown"]])),
            *own[1:-1], (w["problems"], problem_count(session.problems))]


def text(title: str, rows: Rows) -> str:
    """The summary at the prompt: a title line, then one line a pair."""
    width = max((len(k) for k, _ in rows), default=0)
    return "\n".join([title, *(f"  {k.ljust(width)}  {v}" for k, v in rows)])


def html(title: str, rows: Rows, frame: pd.DataFrame | None = None) -> str:
    """The summary in Jupyter: a small table of the pairs, then ``frame`` (already in
    words) when given; every text from data is escaped by Jinja2."""
    return _page().render(title=title, rows=rows,
                          table=frame.to_html(index=False) if frame is not None else "")


def _page() -> jinja2.Template:
    return jinja2.Environment(autoescape=True).from_string(
        "<p><b>{{ title }}</b></p><table>{% for k, v in rows %}<tr><th style=\"text-align:"
        "left\">{{ k }}</th><td style=\"text-align:left\">{{ v }}</td></tr>{% endfor %}"
        "</table>{{ table | safe }}")


def problems_frame(problems: Problems, shown: int = SHOWN) -> tuple[pd.DataFrame, str]:
    """The first ``shown`` problems in words, errors first, and a line saying how many
    more there are ("" when none)."""
    from htxlib.api.words import vi
    from htxlib.inputs.problems import COLUMNS

    frame = problems.frame()
    frame = frame.iloc[(frame["severity"] != "error").astype(int).argsort(kind="stable")]
    more = len(frame) - shown
    order = ["severity", "sheet", "row", "column", "value", "message", "code"]
    assert set(order) == set(COLUMNS)
    return vi(frame.head(shown)[order]), (
        words()["more"].format(n=_count(more)) if more > 0 else "")


def chart_html(chart: Chart) -> str:
    """A chart as Jupyter shows it: its image at the page's size, its alt text (which
    states the figures), and its caption under it."""
    import base64

    width, height = chart.screen_size()
    data = base64.b64encode(chart.image("png")).decode()
    return _figure().render(src=f"data:image/png;base64,{data}", alt=chart.alt,
                            width=width, height=height, caption=chart.title or chart.caption)


def _figure() -> jinja2.Template:
    return jinja2.Environment(autoescape=True).from_string(
        "<figure><img src=\"{{ src }}\" alt=\"{{ alt }}\" width=\"{{ width }}\" "
        "height=\"{{ height }}\"><figcaption><b>{{ caption }}</b></figcaption></figure>")


class Exhibits(list):
    """The tables and charts of a report, in its order: each shows itself in Jupyter
    (a table under its caption, a chart with its caption and alt text); the list shows
    them all, and at the prompt lists their captions."""

    def __repr__(self) -> str:
        return text(words()["exhibits"], [("", b.title or b.caption) for b in self])

    def _repr_html_(self) -> str:
        return "".join(chart_html(b) if hasattr(b, "figure") else b._repr_html_()
                       for b in self)
