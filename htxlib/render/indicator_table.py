"""The indicator table written for people (``htx indicators``): CSV with Vietnamese
headers for a spreadsheet, or a readable table in Vietnamese formats for a terminal."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from htxlib import fmt
from htxlib.fileio import write_text_atomic
from htxlib.glossary import labels
from htxlib.render.csvfile import for_people, write_csv


def as_text(table: pd.DataFrame) -> str:
    """A readable table in Vietnamese formats, for a terminal."""
    heads = labels()["table"]
    show = table[list(heads)].copy()
    show["period"] = [fmt.date(p) if len(p) == 10 else p for p in show["period"].astype(str)]
    show["kind"] = show["kind"].map(labels()["kind"])
    show["value"] = [fmt.number(v, 2) for v in show["value"]]
    for col in ("change_pct", "target_pct"):
        show[col] = [fmt.number(v, 1) for v in show[col]]
    return show.rename(columns=heads).to_string(index=False) + "\n"


def write_indicators(table: pd.DataFrame, layout: str, out: Path | None) -> None:
    """``table`` as ``layout`` ("csv" or "table") into ``out`` (atomically) or onto
    standard output when ``out`` is None."""
    if layout == "csv":
        write_csv(for_people(table, "indicators"), out)
        return
    text = as_text(table)
    if out is None:
        sys.stdout.write(text)
    else:
        write_text_atomic(out, text)
