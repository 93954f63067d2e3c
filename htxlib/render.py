"""HTML of a report: fragments for the notebook's cells, and the page nbconvert makes.

The report notebook displays each fragment as a ``text/html`` output; nbconvert, with the
project's own template (resources/nbconvert/htx), keeps only those outputs and wraps
them in one self-contained page: inline CSS, charts as data: URIs, no script, nothing
fetched. Jinja2 autoescaping makes every string from data or the narrative file text.
"""

from __future__ import annotations

import base64
import subprocess
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

import jinja2

from htxlib import fmt
from htxlib.config import PROJECT_DIR, RESOURCES_DIR
from htxlib.glossary import resource
from htxlib.report import Report

if TYPE_CHECKING:
    import nbformat

RECORD_MIME = "application/vnd.htx.facts+json"


def htxlib_version() -> str:
    try:
        return version("htxlib")
    except PackageNotFoundError:
        return "0+unknown"


@cache
def git_commit() -> str:
    """The commit of the htxlib checkout, when it is one ("" otherwise)."""
    try:
        out = subprocess.run(["git", "-C", str(PROJECT_DIR), "rev-parse", "HEAD"],
                             capture_output=True, text=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout.strip() if out.returncode == 0 else ""


@cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(RESOURCES_DIR / "report"),
                             autoescape=True, trim_blocks=False)
    env.filters["b64"] = lambda data: base64.b64encode(data).decode("ascii")
    return env


def fragment(report: Report, what: str) -> str:
    """"head" (title block and contents), a part id ("phan-1"), or "footer"."""
    part = next((p for p in report.parts if p.id == what), None)
    if what not in ("head", "footer") and part is None:
        raise KeyError(what)
    return _env().get_template("fragments.html.j2").render(
        r=report, what=what, part=part, words=resource("outline.yaml")["words"],
        version=htxlib_version(), commit=git_commit(), run_date=fmt.date(report.run_date))


def show(report: Report, what: str):
    """Display a fragment in the notebook (an IPython HTML object)."""
    from IPython.display import HTML

    return HTML(fragment(report, what))


def record(report: Report):
    """The figures of the report as a notebook output (``RECORD_MIME``), for tests and
    scheduled runs that check a report without parsing its HTML; not shown in the page."""
    from IPython.display import display

    f = report.facts
    values = {name: f.values(name) for name in ("a", "e", "p", "plan") if name in f.periods}
    display({RECORD_MIME: {
        "title": f"{report.title} – {f.area_name}", "area_code": f.area, "area_name": f.area_name,
        "level": f.level, "year": f.year, "as_of": f.as_of.isoformat(),
        "derived_estimate": f.derived, "periods": f.periods,
        "values": {k: {c: (None if v != v else v) for c, v in vs.items()}
                   for k, vs in values.items()}}}, raw=True)


def to_html(notebook: nbformat.NotebookNode, title: str) -> str:
    """The page of an executed report notebook."""
    # Imported here: the kernel imports this module too, and nbconvert (with nbformat's
    # jsonschema) would add about a second to every report for nothing.
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(extra_template_basedirs=[str(RESOURCES_DIR / "nbconvert")],
                            template_name="htx", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    css = (RESOURCES_DIR / "report" / "style.css").read_text(encoding="utf-8")
    body, _ = exporter.from_notebook_node(notebook, resources={
        "metadata": {"name": title}, "htx_css": css})
    return body
