"""The API reference, ``docs/api/``: HTML pages made by pdoc from the public modules'
docstrings, so that the reference is the code's own words and examples.

``python -m htxlib.docs`` writes it with the other generated documents and ``--check``
says when it is stale. pdoc (a test dependency, pinned: its version is in every page)
was chosen over Sphinx because it needs no configuration tree or build folder, reads
numpydoc, and renders the lazily loaded names of ``htxlib`` on one page.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from htxlib.config import PROJECT_DIR

API_DIR = PROJECT_DIR / "docs" / "api"
# The public names (htxlib's page) and the modules behind them: the session's views, the
# way in, the Vietnamese display and the house-style charts.
MODULES = ("htxlib", "htxlib.api.data", "htxlib.api.views", "htxlib.api.inventory",
           "htxlib.api.words", "htxlib.plot.frames", "htxlib.plot.draw")


def pages() -> dict[str, str]:
    """Every page of the reference by its path under ``docs/api/``, as pdoc renders it."""
    import pdoc
    import pdoc.render

    import htxlib

    for name in htxlib.__all__:  # loaded now, so that pdoc finds them in the module
        getattr(htxlib, name)
    pdoc.render.configure(docformat="numpy", search=False, show_source=False)
    with tempfile.TemporaryDirectory() as tmp:
        pdoc.pdoc(*MODULES, output_directory=Path(tmp))
        return {p.relative_to(tmp).as_posix(): p.read_text(encoding="utf-8")
                for p in sorted(Path(tmp).rglob("*.html"))}


def stale(folder: Path, check: bool) -> list[Path]:
    """The pages of ``folder`` that differ from what pdoc renders now (missing, changed or
    left over); without ``check``, write them instead (and remove the left-over ones)."""
    from htxlib.fileio import write_text_atomic

    wanted = pages()
    have = {p.relative_to(folder).as_posix() for p in folder.rglob("*.html")} \
        if folder.is_dir() else set()
    out = []
    for name in sorted(set(wanted) | have):
        path = folder / name
        if name in wanted and (not path.is_file()
                               or path.read_text(encoding="utf-8") != wanted[name]):
            out.append(path)
            if not check:
                path.parent.mkdir(parents=True, exist_ok=True)
                write_text_atomic(path, wanted[name])
        elif name not in wanted:
            out.append(path)
            if not check:
                path.unlink()
    return out


def refresh(folder: Path, check: bool, words: dict) -> list[str]:
    """What ``htxlib.docs`` says of the reference in ``folder``: a line per stale page
    when checking ([] once written), or that pdoc is missing."""
    try:
        pages = stale(folder, check)
    except ImportError:
        return [words["no_pdoc"]]
    return [words["stale_api"].format(path=p) for p in pages] if check else []
