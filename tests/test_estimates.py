"""The office's own year-end estimates (sheet Ước thực hiện, issue 10 item 2)."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from htxlib.config import SAMPLE_DIR
from htxlib.indicators import indicator_table
from htxlib.indicators.checks import estimate_problems
from htxlib.inputs.registry import open_registry
from htxlib.report import params
from htxlib.session import Session

HEADER = "Địa bàn,Năm,Mã chỉ tiêu,Số ước thực hiện,Ghi chú\n"


def _with(tmp_path, *lines: str):
    data = shutil.copytree(SAMPLE_DIR, tmp_path / "data")
    (data / "estimates.csv").write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    return data


def _estimate(table, code: str):
    rows = table[(table["area_code"] == "535") & (table["code"] == code)
                 & (table["kind"] == "estimate") & (table["breakdown"] == "")]
    assert len(rows) == 1
    return rows.iloc[0]


def test_a_stated_estimate_replaces_the_computed_one_and_shares_follow(tmp_path):
    data = _with(tmp_path, "Ba Tơ,2024,htx_count,16,Dự kiến thêm 1 HTX",
                 "Ba Tơ,2024,htx_good_fair,4,")
    reg = open_registry(data)
    assert reg.ok, reg.problems.frame()
    t = indicator_table(reg, "10/6/2024", area="535")
    assert _estimate(t, "htx_count")["value"] == 16
    assert _estimate(t, "htx_good_fair_share")["value"] == 25  # 4 / 16, recomputed
    assert "cơ quan ghi" in _estimate(t, "htx_count")["note"]
    assert _estimate(t, "htx_members")["note"] != _estimate(t, "htx_count")["note"]
    plain = indicator_table(open_registry(SAMPLE_DIR), "10/6/2024", area="535")
    assert _estimate(plain, "htx_count")["value"] == 15  # the sample's own records


def test_table_1_says_which_estimates_the_office_gave(tmp_path):
    plan = Session.open(params.check(data=_with(tmp_path, "Ba Tơ,2024,htx_count,16,"),
                                     year=2025)).report()
    t = plan.tables[0]
    row = next(r for r in t.texts() if r[0] == "Tổng số hợp tác xã")
    assert row[4] == "16"
    assert ("Số ước thực hiện năm 2024 do cơ quan tổng hợp ghi: Tổng số hợp "
            "tác xã; cộng lại từ các số đó: Tổng số tổ chức kinh tế tập thể (THT, HTX, LHHTX); "
            "các số ước khác được tính từ số liệu của các tổ chức.") in t.note
    orgs = next(r for r in t.texts() if r[0].startswith("Tổng số tổ chức"))
    assert orgs[3:5] == ["37", "38"]  # 22 THT + 15 HTX to date; one HTX more at the end


def test_an_estimate_of_a_year_the_table_does_not_estimate_changes_nothing(tmp_path):
    reg = open_registry(_with(tmp_path, "Ba Tơ,2023,htx_count,99,"))
    t = indicator_table(reg, "10/6/2024", area="535")
    assert (t["value"] != 99).all()


@pytest.mark.parametrize(("line", "code"), [
    ("Ba Tơ,2024,htx_good_fair_share,40,", "estimate_ratio"),
    ("Ba Tơ,2024,htx_revenue_avg,100,", "estimate_ratio"),
    ("Ba Tơ,2024,khong_co,1,", "unknown_indicator"),
    ("Ba Tô Tô,2024,htx_count,1,", "unknown_area"),
    ("Ba Tơ,2024,htx_count,mười,", "bad_number"),
])
def test_bad_estimates_are_errors_on_their_cell(tmp_path, line, code):
    reg = open_registry(_with(tmp_path, line))
    errors = reg.problems.frame().query("severity == 'error'")
    assert code in set(errors["code"]), errors
    assert set(errors["sheet"]) == {"Ước thực hiện"}


def test_the_same_estimate_twice_is_an_error(tmp_path):
    reg = open_registry(_with(tmp_path, "Ba Tơ,2024,htx_count,16,", "Ba Tơ,2024,htx_count,17,"))
    assert not reg.ok
    assert "Ước thực hiện" in set(reg.problems.frame()["sheet"])


def _warnings(data):
    reg = open_registry(data)
    assert reg.ok, reg.problems.frame()
    return estimate_problems(reg, dt.date(2024, 6, 10)).frame()


@pytest.mark.parametrize(("lines", "code", "words"), [
    # 15 HTX at 31/12/2023 and no new one: 16 at the year's end needs a new one stated
    (["Ba Tơ,2024,htx_count,16,"], "estimate_flows",
     "14 + 1 thành lập mới − 0 giải thể − 0 chuyển đổi = 15"),
    # one HTX founded by 10/6/2024 (BT-HTX-15): the year cannot end with none
    (["Ba Tơ,2024,htx_new,0,"], "estimate_below_to_date", "đến ngày 10/6/2024 (1)"),
])
def test_estimates_that_the_figures_to_date_contradict_are_warned(tmp_path, lines, code, words):
    found = _warnings(_with(tmp_path, *lines))
    assert list(found["code"]) == [code], found
    assert words in found.iloc[0]["message"]
    assert found.iloc[0]["sheet"] == "Ước thực hiện" and found.iloc[0]["row"] == 2


@pytest.mark.parametrize("lines", [
    ["Ba Tơ,2024,htx_count,16,", "Ba Tơ,2024,htx_new,2,"],  # 14 + 2 = 16
    ["Ba Tơ,2024,htx_new,3,"],  # more new HTX than so far: fine on its own
    ["Ba Tơ,2024,htx_members,200,"],  # members may fall
])
def test_estimates_that_agree_with_the_year_are_not_warned(tmp_path, lines):
    assert _warnings(_with(tmp_path, *lines)).empty


PARTS = "Địa bàn,Năm,Mã chỉ tiêu,Phân tổ,Số ước thực hiện,Ghi chú\n"


def _with_parts(tmp_path, *lines: str):
    data = _with(tmp_path)
    (data / "estimates.csv").write_text(PARTS + "\n".join(lines) + "\n", encoding="utf-8")
    return data


def test_a_stated_part_is_shown_beside_its_stated_total(tmp_path):
    reg = open_registry(_with_parts(tmp_path, "Ba Tơ,2024,htx_count,,16,",
                                    "Ba Tơ,2024,htx_count,Nông nghiệp,13,"))
    assert reg.ok, reg.problems.frame()
    t = indicator_table(reg, "10/6/2024", area="535")
    parts = t[(t["area_code"] == "535") & (t["code"] == "htx_count")
              & (t["kind"] == "estimate") & (t["breakdown"] == "sector")]
    assert list(parts["category"]) == ["agriculture"]  # the computed others no longer add up
    assert parts.iloc[0]["value"] == 13 and "cơ quan ghi" in parts.iloc[0]["note"]


@pytest.mark.parametrize(("lines", "severity", "code"), [
    (["Ba Tơ,2024,htx_count,Nông nghiệp,13,"], "warning", "estimate_part_only"),
    (["Ba Tơ,2024,htx_count,,16,", "Ba Tơ,2024,htx_count,Thủy hải sản xa bờ,1,"], "error",
     "estimate_breakdown"),
    (["Ba Tơ,2024,htx_converted,,0,", "Ba Tơ,2024,htx_converted,Nông nghiệp,1,"], "error",
     "estimate_breakdown"),
    (["Ba Tơ,2024,htx_count,Nông nghiệp,13,", "Ba Tơ,2024,htx_count,nông nghiệp,12,"], "error",
     "duplicate_key"),
])
def test_bad_parts_are_named_on_their_cell(tmp_path, lines, severity, code):
    found = open_registry(_with_parts(tmp_path, *lines)).problems.frame()
    hit = found[found["code"] == code]
    assert list(hit["severity"]) == [severity], found
    assert set(hit["sheet"]) == {"Ước thực hiện"}


@pytest.mark.parametrize("command", [["validate"], ["indicators", "--out", "t.csv"]])
def test_the_commands_print_the_estimate_warnings(tmp_path, capsys, monkeypatch, command):
    from htxlib.cli import main

    monkeypatch.chdir(tmp_path)
    data = _with(tmp_path, "Ba Tơ,2024,htx_new,0,")
    assert main([command[0], str(data), "--as-of", "10/6/2024", *command[1:]]) == 0
    err = capsys.readouterr().err
    assert "[Ước thực hiện], dòng 2" in err and "đến ngày 10/6/2024 (1)" in err
