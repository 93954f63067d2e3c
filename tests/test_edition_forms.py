"""Forms follow the edition (issue 24, item 4): a six-month form has a "cùng kỳ năm trước"
column and no next year's plan, is read by the columns it has, checked like with like and
added up, so a province writes its six-month report from its communes' forms; a form stops
asking for the HTX rating for periods after its repeal (issue 23, item 4)."""

from __future__ import annotations

import datetime as dt
import shutil

import openpyxl
import pandas as pd
import pytest

from htxlib.cli import main
from htxlib.config import DATA_DIR, SAMPLE_DIR
from htxlib.indicators import indicator_table
from htxlib.inputs.form_layout import form_periods, period_headers, which_edition
from htxlib.inputs.problems import Problems
from htxlib.inputs.registry import open_registry
from htxlib.inputs.submission import read_forms
from htxlib.inputs.submission_checks import check_forms
from htxlib.report import params
from htxlib.session import Session
from tests.conftest import write_input

POST = DATA_DIR / "sample" / "ba-to-2025"
HALF = dt.date(2026, 6, 14)


def _sheet(path):
    return openpyxl.load_workbook(path)["Biểu"]


def _codes(sheet) -> list[str]:
    return [r[0] for r in sheet.iter_rows(min_row=10, values_only=True) if r[0]]


@pytest.fixture(scope="module")
def half_form(tmp_path_factory):
    """The district's six-month form to 10/6/2024, from its organisations' records."""
    out = tmp_path_factory.mktemp("half") / "ba-to-6-thang.xlsx"
    assert main(["submission", str(SAMPLE_DIR), "--area", "Ba Tơ", "--as-of", "10/6/2024",
                 "--edition", "mid-year", "--out", str(out)]) == 0
    return out


def test_the_six_month_form_has_the_same_period_and_no_next_years_plan(half_form):
    sheet = _sheet(half_form)
    assert sheet["A1"].value.endswith("HỢP TÁC XÃ 6 THÁNG ĐẦU NĂM 2024")
    heads = [c.value for c in sheet[9]][4:]
    assert heads == ["Thực hiện năm 2023", "Thực hiện cùng kỳ năm 2023 (đến ngày 10/6/2023)",
                     "Thực hiện đến ngày 10/6/2024", "Ước thực hiện năm 2024"]
    org_count = next(r for r in sheet.iter_rows(min_row=10, values_only=True)
                     if r[0] == "org_count" and not r[1])
    assert org_count[4:8] == (35, 34, 37, 37)  # the registry knows every date


@pytest.mark.parametrize(("edition", "n", "first", "last"), [
    ("plan", 4, "Thực hiện năm 2025", "Kế hoạch năm 2027"),
    ("mid-year", 4, "Thực hiện năm 2025", "Ước thực hiện năm 2026"),
    ("year-end", 4, "Thực hiện năm 2025", "Kế hoạch năm 2027"),
])
def test_each_editions_headers(edition, n, first, last):
    heads = period_headers(2026, HALF, edition)
    assert (len(heads), heads[0], heads[-1]) == (n, first, last)
    assert which_edition(heads, HALF) == ("mid-year" if edition == "mid-year" else "plan")


def test_a_six_month_form_is_read_by_its_columns(half_form):
    problems = Problems()
    frame = read_forms([half_form], problems)
    assert problems.frame().empty
    assert set(frame["period"]) == set(form_periods("mid-year"))
    same = frame[(frame["code"] == "org_count") & (frame["breakdown"] == "")
                 & (frame["period"] == "same")]
    assert same["value"].tolist() == [34.0]
    assert same["column"].tolist() == ["Thực hiện cùng kỳ năm 2023 (đến ngày 10/6/2023)"]
    assert _found(frame).empty  # consistent data pass every check


def _found(frame: pd.DataFrame) -> pd.DataFrame:
    problems = Problems()
    check_forms(frame, problems)
    return problems.frame()


def test_a_six_month_flow_is_never_compared_with_a_full_year(half_form):
    """Revenue to 10/6 is far below the whole of 2023: no warning; a count to date far from
    the same date of the year before is one, naming the same period."""
    frame = read_forms([half_form], Problems())
    assert _found(frame).empty
    at = ((frame["code"] == "htx_count") & (frame["breakdown"] == "")
          & (frame["period"] == "same"))
    frame.loc[at, "value"] = 51.0  # 15 typed 51
    found = _found(frame)
    change = found[found["code"] == "submission_change"]
    assert len(change) == 1
    assert "so với cùng kỳ năm trước (51 → 15)" in change["message"].iloc[0]


def test_a_province_adds_up_its_communes_six_month_forms():
    """Each commune's form gives its HTX at 14/6/2025 ("cùng kỳ"); the province's same
    period is their sum; members are no one's figure that day: no data, not 0."""
    reg = open_registry(POST)
    t = indicator_table(reg, HALF, area="51", history=False, same_period=True)
    t = t[(t["breakdown"].astype(object) == "") & (t["period"].astype(object) == "2025-06-14")]
    by = t.set_index([t["area_code"].astype(object), t["code"].astype(object)])["value"]
    communes = ["21484", "21490", "21496", "21499", "21520", "21523", "21529", "21538"]
    assert by[("51", "htx_count")] == sum(by[(c, "htx_count")] for c in communes) == 16
    assert by[("21529", "htx_count")] == 3
    assert pd.isna(by[("51", "htx_members")]) and pd.isna(by[("21529", "htx_members")])


def test_the_provinces_six_month_report_compares_with_the_same_period():
    plan = Session.open(params.check(data=POST, area="51", year=2026, edition="mid-year")).report()
    rows = {r.code: t for r, t in zip(plan.tables[0].rows, plan.tables[0].texts(),
                                      strict=True)}
    assert rows["tht_count"][2:6] == ["22", "-", "23", "104,5"]
    assert rows["htx_members"][2] == "-"
    text = " ".join(str(b.sentence) for b in plan.blocks() if hasattr(b, "sentence"))
    assert "So với cùng kỳ năm 2025, số THT tăng 1 THT (4,5%), số HTX không biến động." in text
    assert ("Chưa có số liệu thành viên, lao động cùng kỳ năm 2025; so với cuối năm 2025, số "
            "thành viên HTX không biến động") in text


def test_a_commune_formed_later_has_no_figures_where_no_form_speaks(tmp_path):
    """The same forms with their "cùng kỳ" column left blank: xã Ba Vì, formed on
    1/7/2025, has nothing on 14/6/2025 — no data, never zeros."""
    data = tmp_path / "data"
    shutil.copytree(POST, data)
    for path in (data / "submissions").glob("*-6-thang-2026.xlsx"):
        book = openpyxl.load_workbook(path)
        for row in book["Biểu"].iter_rows(min_row=10, min_col=6, max_col=6):
            row[0].value = None
        book.save(path)
    t = indicator_table(open_registry(data), HALF, area="21529", history=False,
                        same_period=True)
    same = t[(t["area_code"].astype(object) == "21529")
             & (t["period"].astype(object) == "2025-06-14") & (t["breakdown"] == "")]
    assert len(same) and same.loc[same["code"] == "htx_count", "value"].isna().all()
    plan = Session.open(params.check(
        data=data, area="21529", year=2026, edition="mid-year")).report()
    htx = next(t for r, t in zip(plan.tables[0].rows, plan.tables[0].texts(), strict=True)
               if r.code == "htx_count")
    assert htx[2] == "-"


def test_a_form_out_of_its_editions_period_is_refused(tmp_path, capsys):
    out = tmp_path / "f.xlsx"
    assert main(["submission", str(SAMPLE_DIR), "--area", "Ba Tơ", "--as-of", "10/9/2024",
                 "--edition", "mid-year", "--out", str(out)]) == 2
    assert "không thuộc kỳ của báo cáo 6 tháng đầu năm 2024" in capsys.readouterr().err
    assert not out.exists()


def test_the_empty_six_month_form(tmp_path):
    out = tmp_path / "bieu.xlsx"
    assert main(["template", str(out), "--submission", "--area", "xã Ba Vì", "--year", "2026",
                 "--edition", "6-thang"]) == 0
    heads = [c.value for c in _sheet(out)[9]][4:]
    assert heads[1] == "Thực hiện cùng kỳ năm 2025 (đến ngày …)" and len(heads) == 4


def test_a_long_csv_gives_the_same_period(tmp_path):
    path = tmp_path / "21529.csv"
    path.write_text("Đơn vị,Mã đơn vị,Ngày số liệu,Kỳ,Mã chỉ tiêu,Phân tổ,Giá trị\n"
                    "xã Ba Vì,21529,14/6/2026,same,htx_count,,2\n"
                    "xã Ba Vì,21529,14/6/2026,to_date,htx_count,,3\n", encoding="utf-8")
    problems = Problems()
    frame = read_forms([path], problems)
    assert problems.frame().empty
    assert frame.set_index("period")["value"].to_dict() == {"same": 2.0, "to_date": 3.0}


# -- The repealed rating (issue 23, item 4) ------------------------------------------------


def test_a_2026_form_asks_for_the_rating_only_before_the_repeal():
    """The year-end form of 2026 has no rating row; the six-month form asks for it on
    14/6/2025 only (its "cùng kỳ" column, when the rating still applied)."""
    sheet = _sheet(POST / "submissions" / "21529-nam-2026.xlsx")
    assert "htx_good_fair" not in _codes(sheet) and "htx_count" in _codes(sheet)
    sheet = _sheet(POST / "submissions" / "21529-6-thang-2026.xlsx")
    row = next(r for r in sheet.iter_rows(min_row=10) if r[0].value == "htx_good_fair"
               and not r[1].value)
    asked = [c.fill.fgColor.rgb[-6:] != "D9D9D9" for c in row[4:8]]
    assert asked == [False, True, False, False]


def test_a_2025_form_asks_for_the_rating_of_2024_only(tmp_path):
    out = tmp_path / "f.xlsx"
    assert main(["submission", str(POST), "--area", "21529", "--as-of", "30/9/2025",
                 "--out", str(out)]) == 0
    sheet = _sheet(out)
    row = next(r for r in sheet.iter_rows(min_row=10) if r[0].value == "htx_good_fair"
               and not r[1].value)
    assert [c.fill.fgColor.rgb[-6:] for c in row[5:8]] == ["D9D9D9"] * 3  # shaded
    assert [c.value for c in row[5:8]] == [None, None, None]  # not asked after 18/9/2025


def test_validate_warns_of_a_rating_in_a_form_or_a_target_after_the_repeal(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(POST, data, ignore=shutil.ignore_patterns("*-2026.xlsx"))
    (data / "submissions" / "21538.csv").unlink(missing_ok=True)
    with (data / "targets.csv").open("a", encoding="utf-8") as fh:
        fh.write("21529,2026,htx_good_fair,2,,HTX,Có 02 hợp tác xã đạt loại tốt khá\n")
    (data / "submissions" / "21529-extra.csv").write_text(
        "Đơn vị,Mã đơn vị,Ngày số liệu,Kỳ,Mã chỉ tiêu,Phân tổ,Giá trị\n"
        "xã Ba Vì,21529,31/10/2025,to_date,htx_good_fair,,2\n"
        "xã Ba Vì,21529,31/10/2025,previous,htx_good_fair,,1\n", encoding="utf-8")
    assert main(["validate", str(data)]) in (0, 1)
    err = capsys.readouterr()
    said = err.out + err.err
    assert ("Chỉ tiêu “Số hợp tác xã đạt loại tốt, khá” cho năm 2026: việc xếp loại hợp tác xã "
            "đã bãi bỏ từ 18/9/2025") in said
    assert said.count("biểu không hỏi số này cho kỳ từ ngày đó") == 1  # 2024's is fine


def test_records_after_the_repeal_still_warn(tmp_path, capsys):
    from tests.conftest import org, rec

    data = write_input(tmp_path / "d", organisations=[org("H1", founded="1/1/2015")],
                       records=[rec("H1", "30/9/2025", members="10", rating="Tốt")])
    assert main(["validate", str(data)]) in (0, 1)
    assert "Việc xếp loại hợp tác xã đã bãi bỏ từ 18/9/2025." in capsys.readouterr().err
