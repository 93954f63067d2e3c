"""The .xlsx input: the template filled with the sample gives the same table as the CSVs."""

from __future__ import annotations

import csv
import datetime as dt

import openpyxl
import pandas as pd
import pytest

from htxlib.config import SAMPLE_DIR
from htxlib.glossary import sheets
from htxlib.indicators import indicator_table
from htxlib.inputs.parse import MISSING, parse_date, parse_number
from htxlib.inputs.registry import open_registry
from htxlib.inputs.template import write_template
from tests.conftest import AS_OF, org, rec, write_input


def _fill(book_path, typed: bool) -> None:
    """Copy the sample's CSV rows into the template; ``typed`` stores numbers and dates
    as Excel numbers and dates, as a user's workbook would."""
    book = openpyxl.load_workbook(book_path)
    for spec in sheets().values():
        path = SAMPLE_DIR / spec.file
        if not path.exists():
            continue
        ws = book[spec.title]
        with open(path, encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
        types = {c.header: c.type for c in spec.columns}
        for r, row in enumerate(rows[1:], start=2):
            for c, (header, cell) in enumerate(zip(rows[0], row, strict=True), start=1):
                value: object = cell or None
                if typed and cell and types[header] in ("count", "money", "number"):
                    value = parse_number(cell)
                elif typed and cell and types[header] == "date":
                    d = parse_date(cell)
                    value = dt.datetime(d.year, d.month, d.day) if d is not MISSING else cell
                ws.cell(row=r, column=c, value=value)
    book.save(book_path)


@pytest.mark.parametrize("typed", [False, True], ids=["text-cells", "typed-cells"])
def test_workbook_gives_the_same_table_as_the_csv_folder(tmp_path, typed):
    book = write_template(tmp_path / "input.xlsx")
    _fill(book, typed)
    from_book = open_registry(book)
    assert from_book.ok, from_book.problems.frame().to_string()
    a = indicator_table(from_book, AS_OF, area="535")
    b = indicator_table(open_registry(SAMPLE_DIR), AS_OF, area="535")
    pd.testing.assert_frame_equal(a, b)


def test_title_rows_above_the_header_and_excel_row_numbers(tmp_path):
    folder = write_input(tmp_path / "csv", organisations=[org("H1")], records=[
        rec("H1", members=-4)])
    book = openpyxl.Workbook()
    book.remove(book.active)
    for spec in (sheets()["organisations"], sheets()["records"]):
        ws = book.create_sheet(spec.title)
        ws.append(["BÁO CÁO TÌNH HÌNH HỢP TÁC XÃ"])  # a title row, then a blank one
        ws.append([])
        with open(folder / spec.file, encoding="utf-8") as fh:
            for row in csv.reader(fh):
                ws.append(row)
    book.save(tmp_path / "titled.xlsx")
    reg = open_registry(tmp_path / "titled.xlsx")
    problems = reg.problems.frame()
    bad = problems[problems["code"] == "negative"]
    assert list(bad["row"]) == [4] and list(bad["sheet"]) == ["Số liệu"]
    assert list(bad["value"]) == ["-4"]


def test_blank_rows_in_a_sheet_are_skipped_not_renumbered(tmp_path):
    folder = write_input(tmp_path, organisations=[org("H1"), org("H2")],
                         records=[rec("H1", members=5), rec("H2", members="x")])
    lines = (folder / "records.csv").read_text(encoding="utf-8").splitlines()
    (folder / "records.csv").write_text("\n".join([lines[0], lines[1], "", lines[2]]) + "\n",
                                        encoding="utf-8")
    problems = open_registry(folder).problems.frame()
    assert list(problems.loc[problems["code"] == "bad_count", "row"]) == [4]


def test_typed_cells_of_a_filled_template_get_the_same_checks(tmp_path):
    """Excel numbers and dates typed in the template: a negative revenue is an error on the
    revenue column (not a warning on the revenue with members), a bare year typed as a
    number in a date column is told apart from a date the calendar lacks."""
    book = write_template(tmp_path / "input.xlsx")
    wb = openpyxl.load_workbook(book)
    o, r = sheets()["organisations"], sheets()["records"]

    def put(spec, row, **values):
        ws = wb[spec.title]
        for c, col in enumerate(spec.columns, start=1):
            if col.name in values:
                ws.cell(row=row, column=c, value=values[col.name])

    common = {"name": "HTX", "org_type": "Hợp tác xã", "province": "Tỉnh Thử",
              "commune": "Một", "sector": "Nông nghiệp", "status": "Đang hoạt động"}
    put(o, 2, org_id="H1", founded=dt.datetime(2015, 3, 12), **common)
    put(o, 3, org_id="H2", founded=2016, **common)
    put(o, 4, org_id="H3", founded="29/02/2023", **common)
    put(r, 2, org_id="H1", ref_date=dt.datetime(2023, 12, 31), record_kind="Thực hiện cả năm",
        members=10, revenue=-1250, revenue_from_members=800, profit=-20)
    wb.save(book)
    p = open_registry(book).problems.frame()
    got = {(row.code, row.sheet, row.row, row.column) for row in p.itertuples()}
    assert got == {("negative", "Số liệu", 2, r.by_name["revenue"].header),
                   ("date_year_in_date_cell", "Tổ chức", 3, o.by_name["founded"].header),
                   ("date_not_in_calendar", "Tổ chức", 4, o.by_name["founded"].header)}
