"""HTML of a report: fragments for the notebook's cells, and the page nbconvert makes.

Reads only the report tree. The report notebook displays each fragment as a ``text/html``
output; nbconvert, with the project's own template (resources/nbconvert/htx), keeps only
those outputs and wraps them in one self-contained page: inline CSS, charts as data: URIs,
no script, nothing fetched. Jinja2 autoescaping makes every string from data or the
narrative file text; the narrative file's markup arrives already parsed (``tree.Prose``).
"""

from __future__ import annotations

import base64
from functools import cache
from typing import TYPE_CHECKING

import jinja2

from htxlib import fmt
from htxlib.config import RESOURCES_DIR
from htxlib.glossary import catalog, resource
from htxlib.report.cells import Cell, Cited, Number, Sentence, cell_text
from htxlib.report.tree import (
    Bullets,
    Chart,
    Heading,
    ListBlock,
    Para,
    People,
    Placeholder,
    Report,
    Table,
    Text,
)

if TYPE_CHECKING:
    import nbformat

RECORD_MIME = "application/vnd.htx.facts+json"


@cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(RESOURCES_DIR / "report"),
                             autoescape=True, trim_blocks=False)
    env.filters["b64"] = lambda data: base64.b64encode(data).decode("ascii")
    env.globals.update(png=lambda c: Chart.image(c, "png"), pieces=pieces,
                       cited_title=cited_title, cell_text=cell_text)
    kinds = {"text": Text, "bullets": Bullets, "people": People, "placeholder": Placeholder,
             "table": Table, "chart": Chart, "para": Para, "heading": Heading,
             "list": ListBlock, "cited": Cited}
    env.tests.update({name: (lambda b, kind=kind: isinstance(b, kind))
                      for name, kind in kinds.items()})
    env.tests["cites"] = cites
    return env


def pieces(text: str) -> tuple:
    """The pieces of a sentence: text, ``Cited`` figures and changes (a plain string is
    one piece). The page's ``sentence`` macro writes them, escaped by Jinja2."""
    return text.spans if isinstance(text, Sentence) else (text,)


def cites(c: Cell) -> bool:
    """A table cell read from the indicator table: cited by its code and period, as the
    sentences' figures are (the ``cell`` macro)."""
    return isinstance(c, Number) and bool(c.code and c.period) and not c.missing


def cited_title(code: str, period: str) -> str:
    """The tooltip of a cited figure: its indicator, code and period (plain text)."""
    words = _words()
    when = (words["cited_year"].format(year=period) if period.isdigit() else
            words["cited_date"].format(date=fmt.date(period)))
    return words["cited"].format(label=_labels().get(code, code), code=code, period=when)


@cache
def _labels() -> dict[str, str]:
    return {e["code"]: e["label"] for e in catalog()}


@cache
def _words() -> dict[str, str]:
    return resource("outline.yaml")["words"]


def fragment(report: Report, what: str) -> str:
    """"head" (title block and contents), a part id ("phan-1"), or "footer" (with the
    recipients and signature block before it)."""
    part = next((p for p in report.parts if p.id == what), None)
    if what not in ("head", "footer") and part is None:
        raise KeyError(what)
    with report.timer.timed("render"):
        return _env().get_template("fragments.html.j2").render(r=report, what=what, part=part)


def prose_html(prose: list) -> str:
    """The narrative file's parsed text as HTML (the page's own macro, for notebooks and
    tests)."""
    return str(_env().get_template("fragments.html.j2").module.prose(prose))


def show(report: Report, what: str):
    """Display a fragment in the notebook (an IPython HTML object)."""
    from IPython.display import HTML

    return HTML(fragment(report, what))


def show_exhibits(report: Report) -> None:
    """Display the report's tables (under their captions) and charts in outline order: the
    exploration notebook's view of what the report of an area holds."""
    from IPython.display import display

    display(*[b for b in report.blocks() if isinstance(b, Table | Chart)])


def facts(report: Report) -> dict:
    """The figures of the report, for tests, scheduled runs and a batch's index that check
    a report without parsing its HTML: its area, dates and values by period, its headline
    figures (``batch.yaml``), the data's warnings, and the seconds it took by stage."""
    m = report.info
    values = report.values
    headline = {code: {p: values.get(p, {}).get(code) for p in ("a", "p")}
                for code in resource("batch.yaml")["headline"]}
    return {"title": f"{report.title} – {m.area_name}", "area_code": m.area_code,
            "area_name": m.area_name, "level": m.level, "year": m.year,
            "as_of": m.as_of.isoformat(), "derived_estimate": m.derived_estimate,
            "periods": m.periods, "values": values, "headline": headline,
            "warnings": list(m.warnings), "n_warnings": m.n_warnings,
            "timings": report.timer.take()}


def record(report: Report):
    """The report's ``facts`` as a notebook output (``RECORD_MIME``), not shown in the page."""
    from IPython.display import display

    display({RECORD_MIME: facts(report)}, raw=True)


@cache
def _exporter():  # nbconvert's HTMLExporter, kept for a batch's next page
    # Imported here: the kernel imports this module too, and nbconvert (with nbformat's
    # jsonschema) would add about a second to every report for nothing.
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter

    class PageExporter(HTMLExporter):
        """HTMLExporter without its last pass, which parses the whole page again with
        BeautifulSoup to give Jupyter's cell wrappers a tabindex and images without alt
        text a default one: the htx template writes neither (every chart has its alt
        text), and the pass cost a page of a batch a twentieth of a second."""

        def from_notebook_node(self, nb, resources=None, **kw):
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return PageExporter(extra_template_basedirs=[str(RESOURCES_DIR / "nbconvert")],
                        template_name="htx", exclude_input=True, exclude_input_prompt=True,
                        exclude_output_prompt=True)


def to_html(notebook: nbformat.NotebookNode, title: str) -> str:
    """The page of an executed report notebook."""
    exporter = _exporter()
    css = (RESOURCES_DIR / "report" / "style.css").read_text(encoding="utf-8")
    body, _ = exporter.from_notebook_node(notebook, resources={
        "metadata": {"name": title}, "htx_css": css})
    return body
