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
import pyarrow as pa

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


# A cell a spreadsheet runs as a formula begins with one of these (OWASP, "CSV Injection");
# such a text gets a single quote in front, unless it is a number written as text ("-5").
LIVE = r"^[=+\-@\t\r]"
NUMBER = r"^[+\-]?[0-9][0-9.,]*([eE][+\-]?[0-9]+)?$"


def inert(table: pa.Table) -> pa.Table:
    """``table`` with every text cell that would start a formula made plain text; numbers,
    and numbers written as text, stay as they are. Categorical columns are done on their
    distinct values."""
    columns = []
    for column in table.columns:
        if pa.types.is_dictionary(column.type) and _is_text(column.type.value_type):
            column = pa.chunked_array(
                [pa.DictionaryArray.from_arrays(c.indices, _inert(c.dictionary))
                 for c in column.chunks], column.type)
        elif _is_text(column.type):
            column = pa.chunked_array([_inert(c) for c in column.chunks], column.type)
        columns.append(column)
    return pa.Table.from_arrays(columns, schema=table.schema)


def _is_text(kind: pa.DataType) -> bool:
    return pa.types.is_string(kind) or pa.types.is_large_string(kind)


def _inert(texts: pa.Array) -> pa.Array:
    import pyarrow.compute as pc

    live = pc.and_(pc.match_substring_regex(texts, LIVE),
                   pc.invert(pc.match_substring_regex(texts, NUMBER)))
    quoted = pc.binary_join_element_wise(pa.scalar("'", texts.type), texts,
                                         pa.scalar("", texts.type))
    return pc.if_else(pc.fill_null(live, False), quoted, texts)


def write_csv(frame: pd.DataFrame, out: Path | None, chunks: int = 16) -> None:
    """``frame`` as CSV into ``out`` (atomically, with the BOM) or onto standard output."""
    import pyarrow.csv as pacsv

    arrow = inert(pa.Table.from_pandas(frame.astype({c: object for c in frame.columns
                                                     if frame[c].dtype == object}),
                                       preserve_index=False))
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
