"""Inputs as people and programs really save them (issue 25): every line ending, semicolons
and tabs between cells, UTF-16 text, units listed twice, units and crosswalks that loop.
Each ended in an internal error or passed in silence before."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from htxlib.cli import main
from htxlib.inputs.areas import Areas, loops

FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINI_OK = "Dữ liệu hợp lệ: 4 tổ chức, 7 dòng số liệu."


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out + err


def _mini(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURES / "mini", tmp_path / "mini"))


def _rewrite(path: Path, newline: str = "\n", sep: str = ",", encoding: str = "utf-8") -> None:
    """The file's lines ending with ``newline``, its commas (outside quotes) as ``sep``."""
    import csv
    import io

    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep, lineterminator=newline).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r", "\n\r"])
@pytest.mark.parametrize("name", ["organisations.csv", "records.csv", "areas.csv"])
def test_every_line_ending(capsys, tmp_path, name, newline) -> None:
    """A carriage return alone (old Mac "CSV") ended in an internal error."""
    data = _mini(tmp_path)
    _rewrite(data / name, newline=newline)
    code, out = _run(capsys, "validate", str(data))
    assert (code, MINI_OK in out) == (0, True), out


@pytest.mark.parametrize("sep", [";", "\t"])
def test_semicolons_and_tabs(capsys, tmp_path, sep) -> None:
    """Excel set to Vietnamese saves "CSV" with semicolons (the comma is the decimal mark):
    read as the same table, decimal commas included."""
    data = _mini(tmp_path)
    for name in ("organisations.csv", "records.csv", "support.csv"):
        _rewrite(data / name, sep=sep)
    code, out = _run(capsys, "validate", str(data))
    assert (code, MINI_OK in out) == (0, True), out


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig"])
def test_unicode_text(capsys, tmp_path, encoding) -> None:
    """Excel's "Unicode text" is UTF-16 with a byte-order mark and tabs."""
    data = _mini(tmp_path)
    _rewrite(data / "records.csv", sep="\t", encoding=encoding)
    code, out = _run(capsys, "validate", str(data))
    assert (code, MINI_OK in out) == (0, True), out


def test_blank_first_line(capsys, tmp_path) -> None:
    data = _mini(tmp_path)
    text = (data / "targets.csv").read_text(encoding="utf-8")
    (data / "targets.csv").write_text("\n" + text, encoding="utf-8")
    code, out = _run(capsys, "validate", str(data))
    assert code == 1
    assert "LỖI [Chỉ tiêu]: Dòng 1 của tệp CSV không phải dòng tiêu đề" in out, out


def test_unit_listed_twice(capsys, tmp_path) -> None:
    """One row of the unit list copied below: an error naming both rows, not "Lỗi nội bộ"."""
    data = _mini(tmp_path)
    lines = (data / "areas.csv").read_text(encoding="utf-8").splitlines()
    (data / "areas.csv").write_text("\n".join([*lines, lines[2]]) + "\n", encoding="utf-8")
    code, out = _run(capsys, "validate", str(data))
    assert code == 1
    assert (f"LỖI [Địa bàn], dòng {len(lines) + 1}, cột “Mã địa bàn”, giá trị “535”: "
            "Trùng Mã địa bàn với dòng 3.") in out, out


def test_units_that_loop(capsys, tmp_path) -> None:
    data = _mini(tmp_path)
    text = (data / "areas.csv").read_text(encoding="utf-8")
    (data / "areas.csv").write_text(text.replace("535,Ba Tơ,huyện,Huyện,51,",
                                                 "535,Ba Tơ,huyện,Huyện,21484,"),
                                    encoding="utf-8")
    code, out = _run(capsys, "validate", str(data))
    assert code == 1
    assert ("LỖI [Địa bàn], dòng 3, cột “Mã địa bàn cấp trên”, giá trị “21484”: Mã địa bàn "
            "cấp trên tạo thành vòng: 535 (huyện Ba Tơ) → 21484 (thị trấn Ba Tơ) → 535 "
            "(huyện Ba Tơ).") in out, out
    assert "không thể trực thuộc" not in out  # the loop is said once


@pytest.mark.parametrize(("rows", "chain"), [
    (["21487,21484c,01/7/2025", "21484c,21487,01/7/2025"],
     "21487 (xã Ba Điền) → 21484c (thị trấn Ba Tơ) → 21487 (xã Ba Điền)"),
    (["21484c,21484c,01/7/2025"], "21484c (thị trấn Ba Tơ) → 21484c (thị trấn Ba Tơ)"),
    (["21484c,21487,01/7/2025", "21487,21490c,01/7/2025", "21490c,21484c,01/1/2026"],
     "21484c (thị trấn Ba Tơ) → 21487 (xã Ba Điền) → 21490c (xã Ba Vinh) → 21484c "
     "(thị trấn Ba Tơ)")])
def test_crosswalk_that_loops(capsys, tmp_path, rows, chain) -> None:
    """A commune moved into another that moves back: its own form stopped counting, and
    validation passed."""
    data = Path(shutil.copytree(FIXTURES / "forms", tmp_path / "forms"))
    (data / "crosswalk.csv").write_text(
        "\n".join(["Mã địa bàn cũ,Mã địa bàn mới,Ngày hiệu lực", *rows]) + "\n",
        encoding="utf-8")
    code, out = _run(capsys, "validate", str(data))
    assert code == 1
    assert f"Các dòng chuyển đổi tạo thành vòng: {chain}." in out, out


def test_loops_found_once() -> None:
    assert loops({"a": "b", "b": "c", "c": "a", "d": "a", "e": None}) == [["a", "b", "c"]]
    assert loops({"a": "a", "b": "c"}) == [["a"]]
    assert loops({"a": "b", "b": None}) == []


def test_merged_twice_moves_twice() -> None:
    """A unit merged in 2025 into one merged again in 2026: its form counts for the last."""
    frame = pd.DataFrame({"code": ["p", "a", "b", "c"], "name": ["P", "A", "B", "C"],
                          "unit_kind": [None] * 4,
                          "level": ["province", "commune", "commune", "commune"],
                          "parent_code": [None, "p", "p", "p"],
                          "valid_from": pd.NaT, "valid_to": pd.NaT})
    cross = pd.DataFrame({"old_code": ["a", "b"], "new_code": ["b", "c"],
                          "effective": pd.to_datetime(["2025-07-01", "2026-01-01"])})
    areas = Areas(frame, cross)
    codes = pd.Series(["a", "b", "p"], dtype=object)
    assert areas.moved_to(codes, pd.Timestamp("2025-09-30")).tolist() == ["b", "b", "p"]
    assert areas.moved_to(codes, pd.Timestamp("2026-03-31")).tolist() == ["c", "c", "p"]


def _drop_column(path: Path, index: int) -> None:
    import csv

    with open(path, encoding="utf-8", newline="") as fh:
        rows = [r[:index] + r[index + 1:] for r in csv.reader(fh)]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)


@pytest.mark.parametrize(("index", "header"), [(0, "Mã địa bàn"), (1, "Tên địa bàn")])
def test_unit_list_without_its_code_or_name(capsys, tmp_path, index, header):
    """Without codes the list was empty and its checks ended in "Lỗi nội bộ"; without names,
    messages named "xã None"."""
    data = _mini(tmp_path)
    _drop_column(data / "areas.csv", index)
    code, out = _run(capsys, "validate", str(data))
    assert code == 1
    assert f"Thiếu cột bắt buộc “{header}”." in out, out
    assert "None" not in out and "Lỗi nội bộ" not in out, out


def test_forms_with_an_unreadable_unit_list(capsys, tmp_path):
    """No unit list could be read, and a form's unit was looked up in an empty one."""
    data = Path(shutil.copytree(FIXTURES / "forms", tmp_path / "forms"))
    text = (data / "areas.csv").read_text(encoding="utf-8")
    (data / "areas.csv").write_text(text.replace(",", "|"), encoding="utf-8")
    code, out = _run(capsys, "validate", str(data))
    assert code == 1
    assert "LỖI [Địa bàn]: Dòng 1 của tệp CSV không phải dòng tiêu đề" in out, out
    assert "Lỗi nội bộ" not in out
