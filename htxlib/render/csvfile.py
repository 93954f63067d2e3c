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
from functools import cache
from pathlib import Path

import pandas as pd
import pyarrow as pa

from htxlib import fmt
from htxlib.fileio import atomic_path
from htxlib.glossary import enum_label, enums, indicator, labels, resource, sheets

BOM = "\ufeff".encode()
LAYOUTS = ("indicators", "problems")  # the layouts of the CSV files htx writes


def _words(kind: str) -> dict | None:
    table = resource("csv.yaml")["values"]
    if kind in table:
        return table[kind]
    if kind in enums():  # a column of the input sheets (org_type, status…)
        return {code: spec["label"] for code, spec in enums()[kind].items()}
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


@cache
def column_words(first: str = "indicators") -> dict[str, dict]:
    """Every column csv.yaml names, in a file's layout or under ``frames`` (the library's
    other frames), then those of the input sheets (schema.yaml, enumerations): its header
    and how its values read; layout ``first`` first, as a name (``code``) may read
    differently in two layouts."""
    spec = resource("csv.yaml")
    out: dict[str, dict] = {}
    for part in (first, *LAYOUTS, "frames"):
        for col in spec[part]["columns"]:
            out.setdefault(col["column"], col)
    for sheet in sheets().values():  # the input sheets' columns, as the workbook heads them
        for col in sheet.columns:
            kind = {"enum": col.enum, "date": "date", "bool": "given"}.get(col.type)
            out.setdefault(col.name, {"header": col.header, "column": col.name,
                                      **({"values": kind} if kind else {})})
    return out


def layout_of(frame: pd.DataFrame) -> str:
    """The file layout most of ``frame``'s columns belong to (the problems' or else the
    indicator table's)."""
    spec = resource("csv.yaml")
    names = set(frame.columns)
    return max(LAYOUTS, key=lambda k: (len(names & {c["column"] for c in spec[k]["columns"]}),
                                       k == "indicators"))


def header_of(name: object, first: str = "indicators") -> object:
    """The Vietnamese header of a column named ``name``: csv.yaml's, an indicator's label
    and unit ("Tổng số hợp tác xã (HTX)"), a period as the CSV writes it ("30/9/2025");
    other names (and each part of a tuple, the columns of a wide frame) as they are."""
    if isinstance(name, tuple):
        return tuple(header_of(n, first) for n in name)
    if not isinstance(name, str):
        return name
    if name in column_words(first):
        return column_words(first)[name]["header"]
    if entry := indicator(name):
        return f"{entry['label']} ({entry['unit']})"
    return _show(pd.Series([name]), "period").iloc[0]


def in_words(frame: pd.DataFrame) -> pd.DataFrame:
    """Any frame of htxlib (the indicator table or a cut of it, the problems, the units,
    a series, a comparison) with the CSV files' Vietnamese: csv.yaml's headers and words for
    the columns it names, an indicator's label for a column named by its code, a period
    as a date. The codes stay in the frame the words were made from."""
    first = layout_of(frame)
    words = column_words(first)
    out = pd.DataFrame({i: (_blank(_show(frame.iloc[:, i], words[c]["values"]))
                            if c in words and "values" in words[c] else frame.iloc[:, i])
                        for i, c in enumerate(frame.columns)}, index=frame.index)
    out.columns = pd.Index([header_of(c, first) for c in frame.columns], tupleize_cols=True)
    out.index = out.index.set_names([header_of(n, first) for n in frame.index.names])
    return out


def _blank(words: pd.Series) -> pd.Series:
    """Words with "" where there is no value (a unit valid from no known date)."""
    if not words.isna().any():
        return words
    if isinstance(words.dtype, pd.CategoricalDtype) and "" not in words.cat.categories:
        words = words.cat.add_categories("")
    return words.fillna("")


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
