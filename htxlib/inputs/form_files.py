"""A folder of filled forms read fast: forms read before come from a cache, the others
are read by a pool of processes when there are many; the checks of a folder's forms are
kept too, until one of its files changes.

A province's office reads thousands of forms (one per commune) several times a day:
``htx validate``, a form fixed, ``htx validate`` again, ``htx indicators``, ``htx report``.
Reading one form is a pure function of its file and of htxlib's code, so what was read is
kept in a cache, one file per folder under ``HTX_CACHE_DIR`` (default
``$XDG_CACHE_HOME/htx`` or ``~/.cache/htx``), keyed by each file's name, size and
modification time and by a fingerprint of htxlib's sources: a changed form is read again,
the others are not. ``HTX_CACHE_DIR=off`` turns the cache off. The cache holds numbers
and text only (``.npz`` arrays and JSON, never pickles); a cache that cannot be read or
written is ignored. calamine holds the GIL while it parses, so the pool is of processes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import multiprocessing
import os
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

from htxlib.config import setting
from htxlib.fileio import atomic_path
from htxlib.inputs.submission import FormValues, read_xlsx
from htxlib.provenance import source_fingerprint

PARALLEL_FROM = 200  # forms to read before a pool of processes pays for itself
ARRAYS = ("form_row", "sheet_row", "period", "value")


def read_folder_forms(paths: list[Path], jobs: int | None = None) -> list[FormValues]:
    """Every .xlsx form of ``paths`` (all in one folder), in order, from the cache where
    the file has not changed since it was read; the cache is then brought up to date."""
    if not paths:
        return []
    cache = cache_file(paths[0].parent)
    stats = {p.name: _stat(p) for p in paths}
    kept = _load(cache, stats) if cache else {}
    todo = [p for p in paths if p.name not in kept]
    fresh = dict(zip((p.name for p in todo), _read_all(todo, jobs), strict=True))
    if cache and fresh:
        _save(cache, {**kept, **fresh}, stats)
    return [kept.get(p.name) or fresh[p.name] for p in paths]


def remembered_checks(paths: list[Path], check: Callable[[], list[tuple]]) -> list[tuple]:
    """The problems ``check`` finds in the forms ``paths`` (rows of the problem table):
    kept from the last run when the same files, unchanged, were checked by the same
    htxlib, else found now and kept."""
    cache = cache_file(paths[0].parent, "checks") if paths else None
    stats = {p.name: _stat(p) for p in paths}
    if cache:
        try:
            kept = json.loads(cache.read_text(encoding="utf-8"))
            if kept["fingerprint"] == source_fingerprint() and kept["stats"] == stats:
                return [tuple(x) for x in kept["problems"]]
        except (OSError, ValueError, KeyError, TypeError):
            pass
    found = check()
    if cache:
        text = json.dumps({"fingerprint": source_fingerprint(), "stats": stats,
                           "problems": found}, ensure_ascii=False, default=_plain)
        try:
            with atomic_path(cache) as tmp:
                tmp.write_text(text, encoding="utf-8")
        except OSError:
            pass
    return found


def cache_file(folder: Path, kind: str = "forms") -> Path | None:
    """The cache of a folder's forms, or of their checks (None: the cache is off)."""
    root = setting("HTX_CACHE_DIR")
    if root.lower() in ("off", "0", "no"):
        return None
    if not root:
        root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "htx"
    key = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:20]
    return Path(root) / f"{kind}-{key}.{'npz' if kind == 'forms' else 'json'}"


def _stat(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns]


def _read_all(paths: list[Path], jobs: int | None) -> list[FormValues]:
    """Read the forms, in a pool of processes when there are many and the process may fork
    safely (no other thread running, as in a Jupyter kernel)."""
    jobs = jobs or len(os.sched_getaffinity(0))
    if jobs < 2 or len(paths) < PARALLEL_FROM or threading.active_count() > 1:
        return [read_xlsx(p) for p in paths]
    chunks = [paths[i::jobs * 4] for i in range(jobs * 4)]
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        done = pool.map(_read_chunk, chunks)
    order = {p: i for i, p in enumerate(paths)}
    out: list[FormValues | None] = [None] * len(paths)
    for chunk, reads in zip(chunks, done, strict=True):
        for p, r in zip(chunk, reads, strict=True):
            out[order[p]] = r
    return out  # type: ignore[return-value]


def _read_chunk(paths: list[Path]) -> list[FormValues]:
    return [read_xlsx(p) for p in paths]


def _load(cache: Path, stats: dict[str, list[int]]) -> dict[str, FormValues]:
    """The forms of the cache whose file is unchanged (none if the cache is unusable)."""
    try:
        with np.load(cache, allow_pickle=False) as z:
            meta = json.loads(str(z["meta"]))
            if meta["fingerprint"] != source_fingerprint():
                return {}
            arrays = {a: z[a] for a in ARRAYS}
        return {f["file"]: _form(f, arrays, start, end)
                for f, start, end in zip(meta["forms"], meta["starts"], meta["ends"],
                                         strict=True)
                if stats.get(f["file"]) == f["stat"]}
    except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile):
        return {}


def _form(f: dict, arrays: dict[str, np.ndarray], start: int, end: int) -> FormValues:
    as_of = dt.date.fromisoformat(f["as_of"]) if f["as_of"] else None
    return FormValues(f["file"], f["unit_name"], f["unit_code"], as_of, f["heads"],
                      *(arrays[a][start:end] for a in ARRAYS),
                      problems=[tuple(x) for x in f["problems"]], edition=f["edition"])


def _save(cache: Path, reads: dict[str, FormValues], stats: dict[str, list[int]]) -> None:
    """Write the cache of the folder's current forms (an unwritable cache is skipped)."""
    names = [n for n in reads if n in stats]
    ends = np.cumsum([len(reads[n].value) for n in names]).tolist()
    forms = [{"file": n, "stat": stats[n], "unit_name": reads[n].unit_name,
              "unit_code": reads[n].unit_code,
              "as_of": reads[n].as_of.isoformat() if reads[n].as_of else "",
              "heads": reads[n].heads, "edition": reads[n].edition,
              "problems": [list(x) for x in reads[n].problems]}
             for n in names]
    meta = {"fingerprint": source_fingerprint(), "forms": forms,
            "starts": [0, *ends[:-1]], "ends": ends}
    arrays = {a: np.concatenate([getattr(reads[n], a) for n in names]) for a in ARRAYS}
    try:
        with atomic_path(cache) as tmp, tmp.open("wb") as fh:
            np.savez(fh, meta=np.array(json.dumps(meta, default=_plain)), **arrays)
    except OSError:
        pass


def _plain(value: object) -> object:
    """JSON for a problem's row number (pandas' Int64 gives numpy integers or NA)."""
    if isinstance(value, np.integer):
        return int(value)
    return None
