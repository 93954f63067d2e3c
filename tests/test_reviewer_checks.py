"""The checks a careful reviewer makes (issue 25): a year's estimate of a count against the
year before, as the figure to date already was; parts that do not add up to their total
name the figure whose two swapped digits would make them agree; every space of Unicode
between thousands, as the narrow no-break space of typeset tables."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import numpy as np
import pytest

from htxlib.cli import main
from htxlib.inputs.digits import swaps, transposed
from htxlib.inputs.parse import MISSING, _numbers_vector, parse_number

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SPACES = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Zs"]
FORM_HEAD = "Đơn vị,Mã đơn vị,Ngày số liệu,Kỳ,Mã chỉ tiêu,Phân tổ,Giá trị"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out + err


@pytest.fixture
def forms(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURES / "forms", tmp_path / "forms"))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_years_estimate_far_from_the_year_before(capsys, forms):
    """48 members estimated at the year's end, typed 84: only the figure to date was
    compared with the year before."""
    _edit(forms / "submissions" / "21487.csv", "estimate,htx_members,,48",
          "estimate,htx_members,,84")
    code, out = _run(capsys, "validate", str(forms))
    assert code == 0
    assert ("CẢNH BÁO [21487.csv], dòng 45, cột “Giá trị”, giá trị “84”: Biểu 21487.csv (xã Ba "
            "Điền), “Tổng số thành viên hợp tác xã”: tăng 110% so với năm trước (40 → 84); "
            "kiểm tra lại có gõ nhầm không.") in out, out


def test_an_estimate_near_the_year_before_is_fine(capsys, forms):
    code, out = _run(capsys, "validate", str(forms))
    assert (code, "0 lỗi, 0 cảnh báo." in out) == (0, True), out


def test_an_office_estimate_far_from_the_year_before(capsys, tmp_path):
    """The office's estimate of a count (sheet Ước thực hiện), against the year before's."""
    data = Path(shutil.copytree(FIXTURES / "mini", tmp_path / "mini"))
    (data / "estimates.csv").write_text(
        "Địa bàn,Năm,Mã chỉ tiêu,Phân tổ,Số ước thực hiện\nBa Tơ,2024,htx_members,,610\n",
        encoding="utf-8")
    code, out = _run(capsys, "validate", str(data), "--as-of", "30/6/2024")
    assert code == 0, out
    assert ("CẢNH BÁO [Ước thực hiện], dòng 2, cột “Số ước thực hiện”, giá trị “610”: Số ước "
            "cuối năm 2024 tăng 900% so với cuối năm trước (61 → 610); kiểm tra lại có gõ nhầm "
            "không.") in out, out


def _form(path: Path, rows: list[str]) -> None:
    path.write_text("\n".join([FORM_HEAD, *[f"xã Ba Vinh,21490c,10/6/2024,to_date,{r}"
                                            for r in rows]]) + "\n", encoding="utf-8")


def test_parts_above_their_total_name_the_transposed_part(capsys, forms):
    _form(forms / "submissions" / "21490.csv", [
        "htx_members,,1002", "htx_members,Nông nghiệp,500",
        "htx_members,Công nghiệp - tiểu thủ công nghiệp,321", "htx_members,Khác,271"])
    code, out = _run(capsys, "validate", str(forms))
    assert code == 1
    assert ("các dòng “trong đó” theo lĩnh vực cộng lại được 1.092, lớn hơn tổng 1.002. Có thể "
            "gõ đảo hai chữ số: Công nghiệp - tiểu thủ công nghiệp (dòng 4): 321 — nếu là 231 "
            "thì khớp tổng 1.002.") in out, out


def test_a_total_typed_with_swapped_digits(capsys, forms):
    _form(forms / "submissions" / "21490.csv", [
        "htx_members,,1029", "htx_members,Nông nghiệp,500",
        "htx_members,Công nghiệp - tiểu thủ công nghiệp,321", "htx_members,Khác,271"])
    code, out = _run(capsys, "validate", str(forms))
    assert code == 1
    assert ("cộng lại được 1.092, lớn hơn tổng 1.029. Có thể gõ đảo hai chữ số: tổng 1.029 — "
            "nếu là 1.092 thì khớp với các phần cộng lại.") in out, out


def test_the_sum_of_types_names_the_transposed_type(capsys, forms):
    _form(forms / "submissions" / "21490.csv", [
        "org_count,,54", "tht_count,,12", "htx_count,,24", "lhhtx_count,,0"])
    code, out = _run(capsys, "validate", str(forms))
    assert code == 1
    assert ("biểu ghi 54 nhưng 12 THT + 24 HTX + 0 LHHTX = 36. Có thể gõ đảo hai chữ số: Tổng "
            "số hợp tác xã (dòng 4): 24 — nếu là 42 thì khớp tổng 54.") in out, out


def test_no_hint_when_no_swap_fits(capsys, forms):
    _form(forms / "submissions" / "21490.csv", [
        "htx_members,,900", "htx_members,Nông nghiệp,500", "htx_members,Khác,471"])
    code, out = _run(capsys, "validate", str(forms))
    assert code == 1 and "lớn hơn tổng 900." in out and "gõ đảo" not in out, out


def test_members_of_a_record_name_the_transposed_column(capsys, tmp_path):
    data = Path(shutil.copytree(FIXTURES / "mini", tmp_path / "mini"))
    _edit(data / "records.csv", "M-HTX-01,31/12/2023,Thực hiện cả năm,40,35,5,",
          "M-HTX-01,31/12/2023,Thực hiện cả năm,40,53,5,")
    code, out = _run(capsys, "validate", str(data))
    assert ("Tổng các phần “Thành viên chính thức, Thành viên liên kết” là 58 khác “Tổng số "
            "thành viên” là 40. Có thể gõ đảo hai chữ số: Thành viên chính thức: 53 — nếu là 35 "
            "thì khớp tổng 40.") in out, out


@pytest.mark.parametrize(("value", "want"), [
    (321, [231, 312]), (1092, [1902, 1029]), (100, []), (101, [110]), (-45, [-54]),
    (12.5, []), (7, []), (10, []), (float("nan"), [])])
def test_swaps(value, want):
    assert swaps(value) == want


def test_transposed_says_nothing_when_parts_add_up():
    assert transposed([("a", 12), ("b", 30)], 42) == ""


@pytest.mark.parametrize("space", SPACES, ids=[f"U+{ord(s):04X}" for s in SPACES])
def test_every_unicode_space_between_thousands(space):
    text = f"1{space}234{space}567"
    assert parse_number(text) == 1234567.0
    values, bad = _numbers_vector(np.array([text, f"-12{space}345,5"], dtype=object))
    assert values == [1234567.0, -12345.5] and not bad.any()


@pytest.mark.parametrize("text", ["12\u200b", "1\x1f234", "1_234", "1'234"])
def test_other_characters_are_not_spaces(text):
    assert parse_number(text) is MISSING
    assert _numbers_vector(np.array([text], dtype=object))[1].all()


def test_a_narrow_space_in_a_record(capsys, tmp_path):
    data = Path(shutil.copytree(FIXTURES / "mini", tmp_path / "mini"))
    _edit(data / "records.csv", ",1.250,800,", ",1\u202f250,800,")
    code, out = _run(capsys, "validate", str(data))
    assert code == 0, out
