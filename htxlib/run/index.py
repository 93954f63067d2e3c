"""A batch's index: ``index.html``, one offline page listing every area in hierarchy
order with its headline figures, its status and links to its files, and ``index.csv``,
the same table for analysts. Words in ``batch.yaml``; strings from the data are escaped
(Jinja2 autoescape) and arrive as text in the CSV."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from urllib.parse import quote

import jinja2
import pandas as pd

from htxlib import fmt
from htxlib.config import OUTPUT_NAMES, RESOURCES_DIR
from htxlib.fileio import write_text_atomic
from htxlib.glossary import enum_label, resource
from htxlib.provenance import htxlib_version
from htxlib.render.csvfile import write_csv
from htxlib.report.edition import editions
from htxlib.run.areas import Area
from htxlib.run.worker import AreaResult

HTML, CSV = OUTPUT_NAMES["index_html"], OUTPUT_NAMES["index_csv"]
STAGES = ("load", "facts", "charts", "render", "write")


def table(areas: list[Area], results: dict[str, AreaResult]) -> pd.DataFrame:
    """One row per area, in the batch's order (an area not run is "pending")."""
    rows = []
    for a in areas:
        r = results.get(a.code)
        head = r.headline if r else {}
        now = {c: _value(head.get(c, {}).get("a")) for c in resource("batch.yaml")["headline"]}
        before = _value(head.get("org_count", {}).get("p"))
        rows.append({
            "area_code": a.code, "area_name": a.name,
            "level": enum_label("area_level", a.level), "depth": a.depth, **now,
            "org_count_previous": before,
            "org_count_change": now.get("org_count", math.nan) - before,
            "status": r.status if r else "pending", "reason": r.reason if r else "",
            "folder": a.folder, "seconds": round(r.seconds, 2) if r else math.nan,
            **{f"{s}_s": (r.timings.get(s, math.nan) if r else math.nan) for s in STAGES},
            "worker": r.worker if r else ""})
    return pd.DataFrame(rows)


def _value(v: object) -> float:
    return math.nan if v is None else float(v)


def write(out: Path, frame: pd.DataFrame, files: dict[str, list[str]], info: dict) -> Path:
    """``index.html`` and ``index.csv`` in ``out`` (the batch's staging folder: they move
    into place with ``batch.json``); ``files``: each area's outputs (code → names in its
    folder); ``info``: year, data, as_of, run date, seconds. Returns the page."""
    words = resource("batch.yaml")
    status = words["status"]
    csv = frame.assign(status=frame["status"].map(status))
    write_csv(csv.rename(columns=words["index"]["csv"]), out / CSV)
    counts = frame["status"].value_counts()
    w = words["index"]
    summary = w["summary"].format(
        **{k: fmt.number(int(counts.get(k, 0)), 0) for k in (*status,)},
        total=fmt.number(len(frame), 0), seconds=fmt.number(info["seconds"], 1))
    rows = []
    for r in frame.to_dict("records"):
        names = files.get(r["area_code"], [])
        links = [(w["links"][kind], quote(f"{r['folder']}/{name}"))  # a URL: # % ? …
                 for kind, name in _documents(names, info["year"], info["edition"])]
        change = r["org_count_change"]
        figures = [fmt.number(r[c], 0) for c in words["headline"]]
        figures.append("-" if change != change else
                       ("+" if change > 0 else "") + fmt.number(change, 0))
        rows.append({"name": r["area_name"], "level": r["level"], "depth": min(r["depth"], 5),
                     "figures": figures, "status": r["status"],
                     "status_text": status[r["status"]], "reason": r["reason"],
                     "links": links})
    subtitle = w["subtitle"].format(data=info["data"], as_of=fmt.date(info["as_of"]),
                                    run_date=fmt.date(info["run_date"]),
                                    version=htxlib_version())
    label = editions()[info["edition"]].label.format(year=info["year"])
    title = w["title"].format(document=label[:1].upper() + label[1:])
    page = _template().render(w=w, title=title, subtitle=subtitle, summary=summary,
                              rows=rows, footer=w["footer"].format(csv=CSV))
    write_text_atomic(out / HTML, page)
    return out / HTML


def _documents(names: list[str], year: int, edition: str) -> list[tuple[str, str]]:
    """(kind, file name) of an area's page, Word document and Excel annex that exist."""
    wanted = {k: editions()[edition].name(k, year) for k in ("html", "docx", "xlsx")}
    return [(kind, name) for kind, name in wanted.items() if name in names]


def _template() -> jinja2.Template:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(RESOURCES_DIR / "batch"),
                             autoescape=True)
    return env.get_template("index.html.j2")


def run_info(year: int, data: Path, as_of: dt.date, seconds: float,
             edition: str = "plan") -> dict:
    return {"year": year, "data": data.name, "as_of": as_of, "run_date": dt.date.today(),
            "seconds": seconds, "edition": edition}
