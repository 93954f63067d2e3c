"""The documents the report notebook writes beside its own HTML: the Word plan and the
Excel annex, each from the report tree, each written whole or not at all."""

from __future__ import annotations

from pathlib import Path

from htxlib.fileio import atomic_path
from htxlib.report.edition import editions
from htxlib.report.tree import Report

WRITERS = ("docx", "xlsx")  # the files a report writes itself; the page is nbconvert's


def write(report: Report, formats: str | tuple[str, ...], out_dir: str | Path) -> list[Path]:
    """Write the Word and/or Excel files of ``formats`` into ``out_dir`` ("" writes
    nothing: an analyst running the notebook by hand). Returns the paths written."""
    if not str(out_dir).strip():
        return []
    wanted = formats.split(",") if isinstance(formats, str) else formats
    out = []
    for fmt_ in (f.strip() for f in wanted):
        if fmt_ not in WRITERS:
            continue  # html is made from the executed notebook by nbconvert
        path = Path(out_dir) / editions()[report.info.edition].name(fmt_, report.info.year)
        if fmt_ == "docx":
            from htxlib.render.docx import write_docx as writer
        else:  # "xlsx"
            from htxlib.render.xlsx import write_xlsx as writer
        with report.timer.timed("render"), atomic_path(path) as tmp:
            writer(report, tmp)
        out.append(path)
    return out
