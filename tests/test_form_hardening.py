"""A folder of forms as it arrives (issue 25): nothing in it is dropped without a word, one
bad form never hides the others, and no library's English reaches the user.

Before: a form that could not be opened stopped the run with calamine's English ("invalid
Zip archive: Could not find EOCD"); .xlsm, .xls, .ods and "21490.XLSX" forms, other files
and subfolders were skipped in silence; merged cells, formulas saved without their result,
a blank code and a row given twice lost or doubled figures in silence; an empty folder with
nothing else passed."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from htxlib.cli import main
from htxlib.inputs.registry import open_registry
from htxlib.inputs.submission import spec
from tests.damage import BookStyle, form_grid, write_book

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ENGLISH = re.compile(r"\b(?:[A-Z]\w*Error|invalid|Zip|EOCD|Cannot|detect|format|archive)\b")
HEAD_ROW = spec()["header_row"]  # 1-based; the form's rows follow it
PERIOD_COL = len(spec()["columns"]) + 1  # 0-based: "Thực hiện đến ngày"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out + err


@pytest.fixture
def forms(tmp_path: Path) -> Path:
    """The three communes' long-CSV forms, with a unit list."""
    return Path(shutil.copytree(FIXTURES / "forms", tmp_path / "forms"))


def as_book(data: Path, unit: str = "21490", style: BookStyle | None = None,
            edit=None) -> Path:  # noqa: ANN001
    """Replace a unit's long CSV by the same figures in a workbook form."""
    csv_form = data / "submissions" / f"{unit}.csv"
    grid = form_grid(csv_form)
    if edit:
        edit(grid)
    csv_form.unlink()
    return write_book(data / "submissions" / unit, {spec()["sheet"]: grid},
                      style or BookStyle())


def _row_of(grid: list[list[object]], code: str) -> int:
    """The 0-based grid row of a code's total row."""
    return next(i for i, r in enumerate(grid) if r[0] == code and not r[1])


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "tệp rỗng (0 byte)."),
    (b"not a workbook", "tệp không phải sổ tính (.xlsx, .xlsm, .xlsb, .xls, .ods) đọc được"),
    ("Mã,Tên\n1,Một\n".encode(), "tệp không phải sổ tính"),
    (b"PK\x03\x04" + bytes(300), "tệp không phải sổ tính"),
])
def test_an_unreadable_form_is_listed_and_the_others_read(capsys, forms, content, reason):
    (forms / "submissions" / "21499.xlsx").write_bytes(content)
    code, out = _run(capsys, "validate", str(forms))
    assert code == 1, out
    assert f"LỖI [21499.xlsx]: Không đọc được biểu 21499.xlsx: {reason}" in out
    assert not ENGLISH.search(out), out
    reg = open_registry(forms)
    assert set(reg.submissions["unit_code"].astype(str)) == {"21484c", "21487", "21490c"}


def test_a_form_without_its_sheet_names_the_sheets_it_has(capsys, forms):
    as_book(forms, style=BookStyle(sheet_title="Sheet1"))
    code, out = _run(capsys, "validate", str(forms))
    assert code == 1
    assert ("LỖI [21490.xlsx]: Không đọc được biểu 21490.xlsx: tệp không có sheet “Biểu” (các "
            "sheet của tệp: “Sheet1”)") in out, out


@pytest.mark.parametrize("extension", [".xlsx", ".xlsm", ".XLSX", ".xls", ".ods"])
@pytest.mark.parametrize("title", [None, " biểu ", "BIỂU"])
def test_every_workbook_extension_and_spelling_of_the_sheet(forms, extension, title):
    """The form's content decides how it is read, not its extension (an .xlsx saved under
    another name reads as well); the sheet's name may differ in case and spaces."""
    before = open_registry(forms).submissions
    as_book(forms, style=BookStyle(extension=extension, sheet_title=title))
    reg = open_registry(forms)
    assert not reg.problems.has_errors, reg.problems.frame()["message"].tolist()
    got = reg.submissions[reg.submissions["unit_code"] == "21490c"]
    want = before[before["unit_code"] == "21490c"]
    assert sorted(got["value"]) == sorted(want["value"]) and len(got) > 20


def test_other_files_and_folders_are_named(capsys, forms):
    sub = forms / "submissions"
    (sub / "ghi-chu.txt").write_text("x", encoding="utf-8")
    (sub / "cu").mkdir()
    (sub / ".DS_Store").write_bytes(b"\0")
    (sub / "~$21490.xlsx").write_bytes(b"\0")  # Excel's lock file: the form is open
    code, out = _run(capsys, "validate", str(forms))
    assert code == 0, out
    assert ("CẢNH BÁO [submissions], giá trị “ghi-chu.txt”: Tệp ghi-chu.txt trong thư mục "
            "submissions/ không phải biểu") in out, out
    assert "CẢNH BÁO [submissions], giá trị “cu”: Thư mục cu nằm trong thư mục submissions/" in out
    assert "DS_Store" not in out and "~$" not in out
    assert "0 lỗi, 2 cảnh báo." in out


def test_an_empty_folder_with_nothing_else_is_an_error(capsys, forms):
    for p in (forms / "submissions").iterdir():
        p.unlink()
    code, out = _run(capsys, "validate", str(forms))
    assert code == 1
    assert ("LỖI [submissions]: Thư mục submissions/ không có biểu nào (.xlsx, .xlsm, .xlsb, "
            ".xls, .ods hoặc CSV dài) và dữ liệu không có tổ chức nào") in out, out


def test_an_empty_folder_beside_organisations_is_fine(capsys, tmp_path):
    data = Path(shutil.copytree(FIXTURES / "mini", tmp_path / "mini"))
    (data / "submissions").mkdir()
    code, out = _run(capsys, "validate", str(data))
    assert code == 0, out


def test_figures_without_a_code_are_named(capsys, forms):
    def blank(grid):
        grid[_row_of(grid, "htx_members")][0] = ""
        empty = _row_of(grid, "tht_count")  # a row without figures: nothing lost
        grid[empty] = ["", "", *grid[empty][2:4], "", "", "", ""]
    as_book(forms, edit=blank)
    code, out = _run(capsys, "validate", str(forms))
    assert code == 1
    lines = [x for x in out.splitlines() if "Mã chỉ tiêu để trống" in x]
    assert len(lines) == 1, out
    assert lines[0].startswith("LỖI [Biểu], dòng ")
    assert "“Tổng số thành viên hợp tác xã”" in lines[0]


def test_a_row_given_twice_is_named_with_the_first(capsys, forms):
    rows = {}

    def twice(grid):
        at = _row_of(grid, "htx_count")
        grid.append(list(grid[at]))
        rows.update(first=at + 1, again=len(grid))
    as_book(forms, edit=twice)
    code, out = _run(capsys, "validate", str(forms))
    assert code == 1
    assert (f"LỖI [Biểu], dòng {rows['again']}, cột “Mã chỉ tiêu”, giá trị “htx_count”: Biểu "
            f"21490.xlsx: chỉ tiêu này đã có ở dòng {rows['first']};") in out, out


def test_a_long_csv_line_given_twice_is_named_with_the_first(capsys, forms):
    path = forms / "submissions" / "21490.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, lines[5]]) + "\n", encoding="utf-8")
    code, out = _run(capsys, "validate", str(forms))
    assert code == 1
    assert (f"LỖI [21490.csv], dòng {len(lines) + 1}, cột “Mã chỉ tiêu”") in out, out
    assert "chỉ tiêu này đã có ở dòng 6;" in out


def test_blank_lines_keep_the_long_csv_line_numbers(capsys, forms):
    path = forms / "submissions" / "21490.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].rsplit(",", 1)[0] + ",ba"
    path.write_text("\n".join(lines[:2] + ["", ""] + lines[2:]) + "\n", encoding="utf-8")
    code, out = _run(capsys, "validate", str(forms))
    assert code == 1
    assert "LỖI [21490.csv], dòng 6, cột “Giá trị”, giá trị “ba”" in out, out


def test_a_merged_range_over_figures_is_an_error(capsys, forms):
    grid = form_grid(forms / "submissions" / "21490.csv")
    at = _row_of(grid, "htx_count")
    as_book(forms, style=BookStyle(merges=((at, PERIOD_COL, 2, 1),)))
    code, out = _run(capsys, "validate", str(forms))
    assert code == 1
    cells = f"F{at + 1}:F{at + 2}"
    assert (f"Biểu 21490.xlsx: các ô {cells} được gộp làm một nên chỉ ô đầu (F{at + 1}) có số"
            in out), out


def test_a_merged_label_is_not_an_error(capsys, forms):
    grid = form_grid(forms / "submissions" / "21490.csv")
    at = _row_of(grid, "htx_count")
    as_book(forms, style=BookStyle(merges=((at, 2, 3, 2),)))  # "Chỉ tiêu" and "Đơn vị"
    code, out = _run(capsys, "validate", str(forms))
    assert code == 0, out


@pytest.mark.parametrize("cached", [False, True])
def test_a_formula_without_its_result_is_an_error(capsys, forms, cached):
    grid = form_grid(forms / "submissions" / "21490.csv")
    at = _row_of(grid, "htx_count")
    as_book(forms, style=BookStyle(formulas=((at, PERIOD_COL, cached),)))
    code, out = _run(capsys, "validate", str(forms))
    if cached:  # the result Excel saved is read: 2
        reg = open_registry(forms)
        got = reg.submissions[(reg.submissions["code"] == "htx_count")
                              & (reg.submissions["period"] == "to_date")
                              & (reg.submissions["breakdown"] == "")
                              & (reg.submissions["unit_code"] == "21490c")]
        assert got["value"].tolist() == [2.0]
        return
    assert code == 1
    assert (f"LỖI [Biểu], dòng {at + 1}, cột “Thực hiện đến ngày 10/6/2024”, giá trị “=2+2”: "
            f"Biểu 21490.xlsx: ô F{at + 1} có công thức nhưng tệp không lưu kết quả") in out, out


def test_a_code_typed_with_spaces_counts(forms):
    """The long CSV's reader found the row of " htx_members " but kept the code as typed,
    so the figure matched no code and was dropped in silence."""
    _path = forms / "submissions" / "21487.csv"
    text = _path.read_text(encoding="utf-8")
    _path.write_text(text.replace(",to_date,htx_members,,", ",to_date, htx_members ,,"),
                     encoding="utf-8")
    reg = open_registry(forms)
    got = reg.submissions[(reg.submissions["unit_code"] == "21487")
                          & (reg.submissions["period"] == "to_date")
                          & (reg.submissions["breakdown"] == "")]
    assert got.loc[got["code"] == "htx_members", "value"].tolist() == [46.0]
