"""The input workbook as people and programs save it (issue 25): a value the reader cannot
see is an error naming its cells, a value without a header a warning, a row typed twice a
warning naming both rows; a time of day in a date cell no longer ends in "Lỗi nội bộ"."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest

from htxlib.cli import main
from htxlib.glossary import sheets
from tests.damage import BookStyle, read_grid, write_book

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHEETS = ("organisations", "records", "support", "targets", "areas")
MINI_OK = "Dữ liệu hợp lệ: 4 tổ chức, 7 dòng số liệu."


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out + err


def grids() -> dict[str, list[list[object]]]:
    return {sheets()[s].title: read_grid(FIXTURES / "mini" / sheets()[s].file) for s in SHEETS}


def book(tmp_path: Path, style: BookStyle | None = None, edit=None) -> Path:
    """The mini input as one workbook; ``style`` marks the first sheet (Tổ chức)."""
    g = grids()
    if edit:
        edit(g)
    return write_book(tmp_path / "du-lieu", g, style or BookStyle())


def test_the_workbook_reads_as_the_folder(capsys, tmp_path):
    code, out = _run(capsys, "validate", str(book(tmp_path)))
    assert (code, MINI_OK in out) == (0, True), out


def test_merged_data_cells_are_an_error(capsys, tmp_path):
    """Rows 2 and 3 of “Loại hình” merged: only the first keeps its value."""
    path = book(tmp_path, BookStyle(merges=((1, 2, 2, 1),)))
    code, out = _run(capsys, "validate", str(path))
    assert code == 1
    assert ("LỖI [Tổ chức], dòng 2, cột “Loại hình”: Các ô C2:C3 được gộp làm một nên chỉ ô đầu "
            "(C2) có giá trị, các ô còn lại được đọc là trống.") in out, out


def test_a_merged_title_above_the_header_is_fine(capsys, tmp_path):
    path = book(tmp_path, BookStyle(above=2, merges=((-2, 0, 1, 3),)))
    code, out = _run(capsys, "validate", str(path))
    assert (code, MINI_OK in out) == (0, True), out


@pytest.mark.parametrize("cached", [False, True])
def test_a_formula_without_its_result_is_an_error(capsys, tmp_path, cached):
    path = book(tmp_path, BookStyle(formulas=((4, 1, cached),)))  # a name, row 5
    code, out = _run(capsys, "validate", str(path))
    if cached:
        assert code == 0, out
        return
    assert code == 1
    assert ("LỖI [Tổ chức], dòng 5, cột “Tên tổ chức”, giá trị “=2+2”: Ô B5 có công thức nhưng "
            "tệp không lưu kết quả của công thức") in out, out


def test_values_without_a_header_are_named(capsys, tmp_path):
    def edit(g):
        recs = g["Số liệu"]
        recs[3] += ["", "", "ghi thêm"]  # beyond the last header
        g["Tổ chức"][0][-1] = ""  # a header cleared: “Có trụ sở”
    code, out = _run(capsys, "validate", str(book(tmp_path, edit=edit)))
    assert code == 0, out
    width = len(grids()["Số liệu"][0])
    letter = chr(ord("A") + width + 2 - 26) if width + 2 >= 26 else chr(ord("A") + width + 2)
    assert (f"CẢNH BÁO [Số liệu], dòng 4, cột “A{letter}”, giá trị “ghi thêm”: Cột này có 1 ô "
            "có giá trị") in out, out
    assert "CẢNH BÁO [Tổ chức], dòng 2, cột “M”, giá trị “Có”: Cột này có 4 ô có giá trị" in out


def test_a_time_of_day_in_a_date_cell(capsys, tmp_path):
    def edit(g):
        g["Tổ chức"][1][8] = dt.time(12, 30)  # Ngày thành lập
    code, out = _run(capsys, "validate", str(book(tmp_path, edit=edit)))
    assert code == 1
    assert "LỖI [Tổ chức], dòng 2, cột “Ngày thành lập”, giá trị “12:30:00”" in out, out


def test_a_stated_size_short_of_the_cells(capsys, tmp_path):
    """Some programs write a sheet's size wrong (A1:A1); openpyxl's read-only mode trusted
    it and read one column of each sheet."""
    path = book(tmp_path)
    with zipfile.ZipFile(path) as z:
        parts = {i: z.read(i.filename) for i in z.infolist()}
    with zipfile.ZipFile(path, "w") as z:
        for info, data in parts.items():
            z.writestr(info, re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1"/>',
                                    data))
    code, out = _run(capsys, "validate", str(path))
    assert (code, MINI_OK in out) == (0, True), out


def test_a_support_row_typed_twice_is_named(capsys, tmp_path):
    import shutil

    data = Path(shutil.copytree(FIXTURES / "mini", tmp_path / "mini"))
    lines = (data / "support.csv").read_text(encoding="utf-8").splitlines()
    (data / "support.csv").write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")
    code, out = _run(capsys, "validate", str(data))
    assert code == 0, out
    assert (f"CẢNH BÁO [Hỗ trợ], dòng {len(lines) + 1}, cột “Mã tổ chức”, giá trị “M-HTX-01”: "
            "Dòng này giống hệt dòng 2 ở mọi cột") in out, out
