"""CSV for people and programs: Vietnamese headers and values, codes in extra columns.

The layout is data (resources/csv.yaml). Files are UTF-8 with a byte-order mark, which is
how Excel knows to read the diacritics right; a program reads the same file with
``encoding="utf-8-sig"``. Mapping is done on the distinct values only (the indicator table
has a million rows for a country), and the text is encoded by pyarrow on two threads.
"""

from __future__ import annotations

import io
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd

from htxlib import fmt
from htxlib.fileio import atomic_path
from htxlib.glossary import enum_label, labels, resource

BOM = "\ufeff".encode()


def _words(kind: str) -> dict | None:
    table = resource("csv.yaml")["values"]
    if kind in table:
        return table[kind]
    return {"kind": labels()["kind"], "breakdown": labels()["breakdown"]}.get(kind)


def _show(series: pd.Series, kind: str) -> pd.Series:
    """The column in words: codes mapped through the glossary, dates as 10/6/2024."""
    if kind == "date":
        def word(v: object) -> str:
            return "" if pd.isna(v) else fmt.date(pd.Timestamp(v).date())
    elif kind == "period":
        def word(v: object) -> str:
            return fmt.date(str(v)) if isinstance(v, str) and len(v) == 10 else v
    elif kind == "area_level":
        def word(v: object) -> str:
            return enum_label("area_level", v) if isinstance(v, str) else ""
    else:
        words = _words(kind)

        def word(v: object) -> str:
            return words.get(v, v) if isinstance(v, str | bool) else v
    if isinstance(series.dtype, pd.CategoricalDtype):  # the indicator table's text columns
        shown = [word(c) for c in series.cat.categories]
        if len(set(shown)) == len(shown) and not any(_na(w) for w in shown):
            return series.cat.rename_categories(shown)
    uniques = pd.unique(series.astype(object))
    return series.astype(object).map({u: word(u) for u in uniques if not _na(u)})


def _na(value: object) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def for_people(frame: pd.DataFrame, layout: str) -> pd.DataFrame:
    """``frame`` in the layout ``layout`` of csv.yaml (``indicators``, ``problems``)."""
    spec = resource("csv.yaml")[layout]
    out = {}
    for col in spec["columns"]:
        source = frame[col["column"]]
        out[col["header"]] = _show(source, col["values"]) if "values" in col else source
    for code in spec["codes"]:
        source = frame[code]
        out[code] = (source.dt.strftime("%Y-%m-%d") if pd.api.types.is_datetime64_any_dtype(
            source) else source)
    return pd.DataFrame(out, index=frame.index)


def write_csv(frame: pd.DataFrame, out: Path | None, chunks: int = 16) -> None:
    """``frame`` as CSV into ``out`` (atomically, with the BOM) or onto standard output."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    arrow = pa.Table.from_pandas(frame.astype({c: object for c in frame.columns
                                               if frame[c].dtype == object}),
                                 preserve_index=False)
    step = max(1, -(-len(frame) // chunks))

    def encode(start: int) -> memoryview:
        buffer = io.BytesIO()
        if start == 0 and out is not None:  # a file for Excel; not a pipe to a program
            buffer.write(BOM)
        options = pacsv.WriteOptions(quoting_style="needed", include_header=start == 0)
        pacsv.write_csv(arrow.slice(start, step), buffer, write_options=options)
        return buffer.getbuffer()  # a view: no copy of the chunk

    with ThreadPoolExecutor(max_workers=2) as pool:
        parts = pool.map(encode, range(0, max(len(frame), 1), step))
        if out is None:
            for part in parts:
                sys.stdout.buffer.write(part)
            sys.stdout.flush()
            return
        with atomic_path(out) as tmp, open(tmp, "wb") as fh:
            for part in parts:
                fh.write(part)
