"""Writing the sheets as CSV files the way a user would type them, replacing atomically."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from htxlib.fileio import atomic_path
from htxlib.glossary import sheets

SHEETS = ("organisations", "records", "areas", "targets", "support")


def to_sheet(frame: pd.DataFrame, sheet: str) -> pd.DataFrame:
    """Columns in schema order under their Vietnamese headers."""
    cols = sheets()[sheet].columns
    return pd.DataFrame({c.header: frame.get(c.name) for c in cols})


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def _place(tmp: Path, out: Path, files: list[str]) -> None:
    """Move the finished files into ``out``: rename the folder if ``out`` is new or empty,
    else replace the files one by one (other files in ``out`` are left alone)."""
    if not out.exists() or (out.is_dir() and not any(out.iterdir())):
        if out.exists():
            out.rmdir()
        out.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, out)
        return
    for name in files:
        with atomic_path(out / name) as dest:
            shutil.move(str(tmp / name), dest)
    shutil.rmtree(tmp, ignore_errors=True)


def write_sheets(frames: dict[str, pd.DataFrame], out: Path) -> dict[str, int]:
    """Write one CSV file per sheet into ``out``; return the row count of each file."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    tmp.chmod(0o755)
    try:
        files = []
        for name in SHEETS:
            file = sheets()[name].file
            _write_csv(to_sheet(frames[name], name), tmp / file)
            files.append(file)
        _place(tmp, out, files)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {sheets()[name].file: len(frames[name]) for name in SHEETS}
