"""Write the submission form (``htx template --submission``, ``htx submission``).

openpyxl, as for the input template: the form is one small sheet with a guide sheet, and
it must keep every text from data as text (a unit name starting with "=" is not a formula).
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from htxlib import fmt
from htxlib.fileio import atomic_path
from htxlib.inputs.form_layout import (
    PLAN,
    asked,
    form_periods,
    form_title,
    same_date_before,
)
from htxlib.inputs.submission import form_rows, period_headers, spec

if TYPE_CHECKING:
    from htxlib.inputs.registry import Registry

HEAD = PatternFill("solid", fgColor="DDE7F0")
GONE = PatternFill("solid", fgColor="D9D9D9")  # a cell the form no longer asks for
BOLD = Font(bold=True)
Values = dict[tuple[str, str, str], float]  # (code, category, period) → value


def _text(cell, value: str) -> None:
    """A text cell that stays text (no formula injection)."""
    cell.value = value
    cell.data_type = "s"


def write_form(path: Path, n: int, fields: dict[str, str | dt.date | None],
               values: Values | None = None, edition: str = PLAN) -> Path:
    """The form of year ``n`` for one unit, with the period columns of ``edition``'s form;
    ``values`` filled in where given (an absent or NaN value stays an empty cell: no
    data). A row a reform repealed is asked only for the periods before it (the HTX rating:
    a 30/9/2025 form asks for 2024's; a 2026 form has no rating row)."""
    words = spec()
    as_of = fields.get("as_of")
    book = Workbook()
    guide = book.active
    guide.title = words["guide_sheet"]
    for i, line in enumerate(words["guide"].splitlines(), start=1):
        _text(guide.cell(i, 1), line)
    guide.column_dimensions["A"].width = 100
    sheet = book.create_sheet(words["sheet"])
    _text(sheet.cell(1, 1), form_title(n, edition))
    sheet.cell(1, 1).font = Font(bold=True, size=13)
    for f in words["fields"]:
        _text(sheet.cell(f["row"], 1), f["label"])
        value = fields.get(f["name"])
        if isinstance(value, dt.date):
            _text(sheet.cell(f["row"], 3), fmt.date(value))
        elif value not in (None, ""):
            _text(sheet.cell(f["row"], 3), str(value))
    heads = [c["header"] for c in words["columns"]] + period_headers(n, as_of, edition)
    for k, h in enumerate(heads, start=1):
        cell = sheet.cell(words["header_row"], k)
        _text(cell, h)
        cell.font, cell.fill = BOLD, HEAD
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for k, c in enumerate(words["columns"], start=1):
        sheet.column_dimensions[get_column_letter(k)].width = c["width"]
    for k in range(len(words["columns"]) + 1, len(heads) + 1):
        sheet.column_dimensions[get_column_letter(k)].width = 16
    periods = form_periods(edition)
    n_fixed = len(words["columns"])
    rows = [row for row in form_rows()
            if any(asked(row.code, period, as_of) for period in periods)]
    for r, row in enumerate(rows, start=words["header_row"] + 1):
        for k, text in enumerate((row.code, row.label if row.breakdown else "", row.label,
                                  row.unit), start=1):
            _text(sheet.cell(r, k), text)
        if not row.breakdown:
            sheet.cell(r, 3).font = BOLD
        for k, period in enumerate(periods, start=n_fixed + 1):
            if not asked(row.code, period, as_of):  # repealed by then: not asked, shaded
                sheet.cell(r, k).fill = GONE
                continue
            v = (values or {}).get((row.code, row.category, period))
            if v is not None and not math.isnan(v):
                sheet.cell(r, k).value = float(v)
                sheet.cell(r, k).number_format = "#,##0.##"
    sheet.freeze_panes = sheet.cell(words["header_row"] + 1, n_fixed + 1)
    book.active = 1
    with atomic_path(path) as tmp:
        book.save(tmp)
    return path


def values_from_table(table, area: str, n: int, as_of: dt.date | None = None) -> Values:
    """The form's values of ``area`` from its indicator table (``history=False``): year
    N-1 (the previous value of the to-date rows), the to-date period, the estimate, the
    plan of N+1 and, when the table has it (``same_period``), the same date of N-1. A row
    the table leaves out for the area is left empty, never 0."""
    own = table[table["area_code"].astype(object) == area]
    own = own[own["breakdown"].astype(object).isin(["", *{r.breakdown for r in form_rows()}])]
    kind, year, period = own["kind"].astype(object), own["year"], own["period"].astype(object)
    same = same_date_before(as_of).isoformat() if as_of else ""
    pick = {"to_date": own[(kind == "actual") & (year == n)],
            "same": own[(kind == "actual") & (period == same)],
            "estimate": own[kind == "estimate"],
            "plan": own[(kind == "plan") & (period == str(n + 1))]}
    out: Values = {}
    for period, rows in pick.items():
        for code, cat, v, prev in zip(rows["code"].astype(object),
                                      rows["category"].astype(object), rows["value"],
                                      rows["previous_value"], strict=True):
            out[(code, cat, period)] = float(v)
            if period == "to_date":
                out[(code, cat, "previous")] = float(prev)
    return out


def unit_form(registry: Registry, area: str, as_of: dt.date, edition: str = PLAN,
              today: dt.date | None = None) -> tuple[dict, Values]:
    """The fields and values of ``area``'s own form to ``as_of`` for ``edition``, filled
    from the data on ``today`` (None: the day of the run): its name, code and dates, and
    the figures of its indicator table (a six-month form with the same date of N-1)."""
    from htxlib.indicators import indicator_table

    table = indicator_table(registry, as_of, area=area, history=False,
                            same_period=edition == "mid-year")
    names = dict(zip(registry.areas.frame["code"], registry.areas.display_names(), strict=True))
    fields = {"unit_name": names[area], "unit_code": area, "as_of": as_of,
              "filled_on": today or dt.date.today()}
    return fields, values_from_table(table, area, as_of.year, as_of)
