"""The unit list and the crosswalk of a province, as the Địa bàn and Chuyển đổi địa bàn
sheets of the input (``htx areas``): a workbook of the two sheets, or a folder of
``areas.csv`` and ``crosswalk.csv``, headers and files as in resources/schema.yaml, so the
office copies them into its data instead of typing unit lists by hand."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING

from htxlib import fmt
from htxlib.fileio import atomic_path
from htxlib.glossary import sheets
from htxlib.staging import staged

SHEETS = ("areas", "crosswalk")
DATE_FORMAT = "dd/mm/yyyy"


def _cells(frame: pd.DataFrame, sheet: str) -> tuple[list[str], list[list[object]]]:
    """Headers and rows of ``frame`` in the layout of ``sheet``: codes, names and levels
    ("Xã") as text, dates as dates (None when empty)."""
    spec = sheets()[sheet]
    heads = [c.header for c in spec.columns]
    rows = []
    for rec in frame.to_dict("records"):
        row = []
        for c in spec.columns:
            v = rec.get(c.name)
            if c.type == "date":
                v = None if pd.isna(v) else pd.Timestamp(v).date()
            else:
                v = None if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)
            row.append(v)
        rows.append(row)
    return heads, rows


def _is_book(out: Path) -> bool:
    """Whether ``out`` names a workbook (else a folder of CSV files)."""
    return out.suffix.lower() == ".xlsx"


def area_files(out: Path) -> list[Path]:
    """The files ``write_areas`` writes to ``out``: the workbook, or the folder's two CSV."""
    return [out] if _is_book(out) else [out / sheets()[sheet].file for sheet in SHEETS]


def write_areas(areas: pd.DataFrame, crosswalk: pd.DataFrame, out: Path) -> list[Path]:
    """Write both frames to ``out``: an .xlsx workbook, else a folder of CSV files."""
    frames = dict(zip(SHEETS, (areas, crosswalk), strict=True))
    if _is_book(out):
        book = Workbook()
        book.remove(book.active)
        for sheet, frame in frames.items():
            heads, rows = _cells(frame, sheet)
            ws = book.create_sheet(sheets()[sheet].title)
            ws.append(heads)
            for row in rows:
                ws.append(row)
            for col in ws.iter_cols(min_row=2):
                for cell in col:
                    if isinstance(cell.value, str):
                        cell.data_type = TYPE_STRING  # a code or name, never a formula
                    elif cell.value is not None:
                        cell.number_format = DATE_FORMAT
            for k, head in enumerate(heads):
                ws.column_dimensions[chr(65 + k)].width = max(14, len(head) + 2)
            ws.freeze_panes = "A2"
        with atomic_path(out) as tmp:
            book.save(tmp)
        return area_files(out)
    with staged(out) as stage:  # both files or neither
        for sheet, frame in frames.items():
            heads, rows = _cells(frame, sheet)
            buf = io.StringIO()
            writer = csv.writer(buf, lineterminator="\n")
            writer.writerow(heads)
            writer.writerows([[fmt.date(v) if hasattr(v, "year") else ("" if v is None else v)
                               for v in row] for row in rows])
            (stage / sheets()[sheet].file).write_text(buf.getvalue(), encoding="utf-8")
    return area_files(out)
