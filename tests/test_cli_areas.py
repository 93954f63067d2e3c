"""`htx areas` (issue 12, item 6): a province's units after 1/7/2025 and the crosswalk from
the old ones, written from the vietnam-provinces and vietnamadminunits packages in the
layout of the Địa bàn and Chuyển đổi địa bàn sheets, and read back as input."""

from __future__ import annotations

import shutil

import openpyxl
import pandas as pd
import pytest

from htxlib.cli import main
from htxlib.config import SAMPLE_DIR
from htxlib.inputs.registry import open_registry


@pytest.fixture(scope="module")
def ba_to(tmp_path_factory):
    """The Ba Tơ sample with the official unit list of Quảng Ngãi instead of its own."""
    data = tmp_path_factory.mktemp("areas") / "data"
    shutil.copytree(SAMPLE_DIR, data)
    assert main(["areas", "--province", "Quảng Ngãi", "--out", str(data), "--force"]) == 0
    return data


def test_the_sample_reads_with_the_official_list(ba_to):
    reg = open_registry(ba_to)
    assert reg.ok, reg.problems.frame()
    orgs = reg.organisations
    # xã Ba Trang's pre-reform code 21520 is the new xã Đặng Thùy Trâm's since 1/7/2025;
    # the organisation's names place it in the old commune, listed as 21520c
    trang = orgs.loc[orgs["commune"].astype(str).str.contains("Ba Trang"), "area_code"]
    assert set(trang) == {"21520c"}
    assert reg.areas.ancestors("21520c") == ["535", "51"]
    reform = pd.Timestamp("2025-07-01")  # every organisation has a commune after the reform
    assert reg.areas.moved_to(orgs["area_code"], reform).isin(reg.areas.leaves(reform)).all()


def test_a_workbook_of_the_two_sheets(tmp_path):
    out = tmp_path / "dia-ban.xlsx"
    assert main(["areas", "--province", "da nang", "--out", str(out)]) == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Địa bàn", "Chuyển đổi địa bàn"]
    units = {r[0]: r for r in book["Địa bàn"].iter_rows(min_row=2, values_only=True)}
    assert units["48"][1:4] == ("Đà Nẵng", "thành phố", "Tỉnh")
    assert units["49"][1] == "Quảng Nam" and units["49"][6].date().isoformat() == "2025-06-30"
    moves = {r[0]: r[1] for r in book["Chuyển đổi địa bàn"].iter_rows(min_row=2,
                                                                      values_only=True)}
    assert moves["49"] == "48"
    cell = book["Địa bàn"]["A2"]
    assert cell.data_type == "s"  # codes are text, never numbers or formulas


@pytest.mark.parametrize("name, words", [
    ("Quảng Nam", "Quảng Nam là tỉnh cũ, nay thuộc thành phố Đà Nẵng"),
    ("Xyzw", "Không có tỉnh, thành phố “Xyzw”"),
])
def test_a_name_that_is_no_province_now(name, words, tmp_path, capsys):
    assert main(["areas", "--province", name, "--out", str(tmp_path / "x.xlsx")]) == 2
    assert words in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()


def test_an_existing_list_is_kept_without_force(tmp_path, capsys):
    (tmp_path / "areas.csv").write_text("edited by hand\n", encoding="utf-8")
    assert main(["areas", "--province", "Huế", "--out", str(tmp_path)]) == 2
    assert (tmp_path / "areas.csv").read_text(encoding="utf-8") == "edited by hand\n"
    assert "areas.csv" in capsys.readouterr().err
