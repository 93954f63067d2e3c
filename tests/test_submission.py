"""The submission form (issue 12, items 1 and 5): its rows, writing it from the data,
reading it back from .xlsx and long CSV, and what a bad cell says."""

from __future__ import annotations

import math
from pathlib import Path

import openpyxl
import pytest

from htxlib.cli import main
from htxlib.config import SAMPLE_DIR
from htxlib.glossary import catalog
from htxlib.indicators import indicator_table
from htxlib.inputs.problems import Problems
from htxlib.inputs.registry import open_registry
from htxlib.inputs.submission import form_rows, read_forms, spec
from htxlib.render.submission import values_from_table, write_form


def test_the_form_has_every_additive_code_once_and_no_ratio():
    rows = form_rows()
    totals = [r.code for r in rows if not r.breakdown]
    additive = [e["code"] for e in catalog() if "measure" in e and e["code"] not in spec()["skip"]]
    assert totals == additive  # in catalogue (plan) order
    assert not {e["code"] for e in catalog() if "ratio" in e} & {r.code for r in rows}
    sectors = [r.category for r in rows if r.code == "htx_count" and r.breakdown]
    assert sectors[:2] == ["agriculture", "industry"] and "credit_fund" in sectors
    assert all(r.category != "unknown" for r in rows if r.code == "htx_managers")


@pytest.fixture(scope="module")
def ba_to(tmp_path_factory):
    out = tmp_path_factory.mktemp("form") / "ba-to.xlsx"
    assert main(["submission", "--area", "Ba Tơ", "--as-of", "10/6/2024", "--out",
                 str(out)]) == 0
    table = indicator_table(open_registry(SAMPLE_DIR), "10/6/2024", area="535", history=False)
    return out, values_from_table(table, "535", 2024)


def test_a_form_written_from_the_data_reads_back_the_same(ba_to):
    out, written = ba_to
    problems = Problems()
    read = read_forms([out], problems)
    assert problems.frame().empty
    back = {(c, k, p): v for c, k, p, v in zip(read["code"], read["category"], read["period"],
                                               read["value"], strict=True)}
    shown = {key: v for key, v in written.items() if not math.isnan(v)
             and any(r.code == key[0] and r.category == key[1] for r in form_rows())}
    assert back == shown
    assert back[("htx_count", "", "to_date")] == 15 and back[("htx_count", "", "previous")] == 14
    assert back[("org_count", "THT", "to_date")] == 22
    assert back[("htx_new", "", "plan")] == 1  # the 2025 plan: 01 - 02 HTX (its minimum)
    assert set(read["unit_code"]) == {"535"} and set(read["unit_name"]) == {"huyện Ba Tơ"}


def test_no_data_stays_an_empty_cell(ba_to):
    out, written = ba_to
    unknown = [c for (c, k, p), v in written.items() if p == "to_date" and not k
               and math.isnan(v)]
    assert unknown, "the sample leaves some figures out"
    sheet = openpyxl.load_workbook(out)[spec()["sheet"]]
    row = next(r for r in sheet.iter_rows(min_row=spec()["header_row"] + 1)
               if r[0].value == unknown[0])
    assert row[5].value is None and row[4].value is None


def test_a_unit_name_from_data_stays_text(tmp_path):
    out = write_form(tmp_path / "f.xlsx", 2025, {"unit_name": '=HYPERLINK("http://x","y")'})
    cell = openpyxl.load_workbook(out)[spec()["sheet"]].cell(3, 3)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_template_writes_an_empty_form_and_keeps_an_existing_file(tmp_path, capsys):
    out = tmp_path / "xa.xlsx"
    assert main(["template", "--submission", str(out), "--area", "xã Ba Vì", "--year",
                 "2025"]) == 0
    sheet = openpyxl.load_workbook(out)[spec()["sheet"]]
    assert sheet.cell(3, 3).value == "xã Ba Vì"
    assert sheet.cell(spec()["header_row"], 7).value == "Ước thực hiện năm 2025"
    problems = Problems()
    assert read_forms([out], problems).empty
    assert list(problems.frame()["code"]) == ["submission_no_as_of"]
    assert main(["template", "--submission", str(out)]) == 2
    assert "đã có" in capsys.readouterr().err


def test_a_text_in_a_number_cell_is_named_by_row_and_column(tmp_path, ba_to):
    book = openpyxl.load_workbook(ba_to[0])
    sheet = book[spec()["sheet"]]
    r = next(c.row for c in sheet["A"] if c.value == "htx_members")
    sheet.cell(r, 6).value = "hai trăm"
    sheet.cell(5, 3).value = "31/2/2024"
    book.save(tmp_path / "bad.xlsx")
    problems = Problems()
    read_forms([tmp_path / "bad.xlsx"], problems)
    found = problems.frame()
    assert list(found["code"]) == ["submission_as_of", "submission_not_number"]
    bad = found.iloc[1]
    assert bad["row"] == r and bad["column"] == "Thực hiện đến ngày 10/6/2024"
    assert bad["value"] == "hai trăm" and "bad.xlsx" in bad["message"]


HEAD = "Đơn vị,Mã đơn vị,Ngày số liệu,Kỳ,Mã chỉ tiêu,Phân tổ,Giá trị\n"


def test_the_long_csv_reads_like_the_form(tmp_path):
    path = tmp_path / "xa.csv"
    path.write_text(HEAD + "xã Ba Vì,21529,30/6/2025,to_date,htx_count,,3\n"
                    "xã Ba Vì,21529,30/6/2025,to_date,htx_count,Nông nghiệp,2\n"
                    "xã Ba Vì,21529,30/6/2025,estimate,htx_members,,\n", encoding="utf-8")
    problems = Problems()
    read = read_forms([path], problems)
    assert problems.frame().empty
    assert list(zip(read["code"], read["category"], read["value"], strict=True)) == [
        ("htx_count", "", 3.0), ("htx_count", "agriculture", 2.0)]  # empty value: no data


@pytest.mark.parametrize(("line", "code", "column"), [
    ("xã Ba Vì,21529,30/6/2025,to_date,htx_count_avg,,3", "submission_csv_code", "Mã chỉ tiêu"),
    ("xã Ba Vì,21529,30/6/2025,cả năm,htx_count,,3", "submission_csv_period", "Kỳ"),
    ("xã Ba Vì,21529,30/6/2025,to_date,htx_count,Thủy tinh,3", "submission_csv_code",
     "Mã chỉ tiêu"),
    ("xã Ba Vì,21529,30/6/2025,to_date,htx_count,,ba", "submission_csv_value", "Giá trị"),
    ("xã Ba Vì,21529,31/6/2025,to_date,htx_count,,3", "submission_csv_as_of", "Ngày số liệu"),
])
def test_a_bad_csv_line_is_named(tmp_path, line, code, column):
    path = tmp_path / "xa.csv"
    path.write_text(HEAD + line + "\n", encoding="utf-8")
    problems = Problems()
    assert read_forms([path], problems).empty
    found = problems.frame()
    assert list(found["code"]) == [code] and found.iloc[0]["row"] == 2
    assert found.iloc[0]["column"] == column


def test_a_csv_without_its_columns_is_an_error_naming_them(tmp_path):
    """One form missing its columns is listed beside the others, not the end of the run."""
    path = Path(tmp_path / "xa.csv")
    path.write_text("Đơn vị,Giá trị\nxã Ba Vì,3\n", encoding="utf-8")
    problems = Problems()
    assert read_forms([path], problems).empty
    found = problems.frame()
    assert list(found["code"]) == ["submission_csv_columns"]
    assert "thiếu cột: Mã đơn vị, Ngày số liệu" in found.iloc[0]["message"]
