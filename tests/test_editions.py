"""The documents of the reporting year: the year-end report beside the plan, from the
same data (issue 24). Each comparison is checked on figures worked out by hand."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from htxlib.cli import main
from htxlib.config import DATA_DIR, SAMPLE_DIR
from htxlib.report import params
from htxlib.report.edition import editions, find
from htxlib.report.params import ParamError
from htxlib.report.tree import Bullets, Text
from htxlib.report.writeup import NarrativeError, sections
from htxlib.run.notebook import default_out
from htxlib.session import Session
from tests.conftest import org, rec, write_input

POST = DATA_DIR / "sample" / "ba-to-2025"


def _text(plan) -> str:
    out = []
    for b in plan.blocks():
        if isinstance(b, Text):
            out.append(str(b.sentence))
        elif isinstance(b, Bullets):
            out += list(b.items)
    return "\n".join(out)


def _row(table, code: str) -> list[str]:
    return next(r for r, row in zip(table.texts(), table.rows, strict=True) if row.code == code)


@pytest.fixture(scope="module")
def ba_vi():
    """xã Ba Vì's report on 2026, to the state's annual date (14/12), from its form."""
    return Session.open(params.check(
        data=POST, area="21529", year=2026, edition="year-end")).report()


@pytest.fixture(scope="module")
def district_2023():
    """The district's report on 2023, to 31/12/2023: the year done."""
    return Session.open(params.check(data=SAMPLE_DIR, year=2023, edition="year-end")).report()


@pytest.mark.parametrize(("text", "key"), [
    ("plan", "plan"), ("", "plan"), ("year-end", "year-end"), ("nam", "year-end"),
    ("Year-End", "year-end"), ("mid-year", "mid-year"), ("6-thang", "mid-year"),
    ("quy", None), ("kế hoạch", None),
])
def test_an_edition_is_named_by_key_or_alias(text, key):
    found = find(text)
    assert (found.key if found else None) == key


@pytest.mark.parametrize(("edition", "year", "as_of", "ok"), [
    ("year-end", 2026, "14/12/2026", True), ("year-end", 2026, "31/12/2026", True),
    ("year-end", 2026, "30/9/2025", False), ("year-end", 2026, "2/1/2027", False),
    ("mid-year", 2026, "14/6/2026", True), ("mid-year", 2026, "30/6/2026", True),
    ("mid-year", 2026, "1/7/2026", False), ("mid-year", 2026, "14/12/2026", False),
    ("plan", 2027, "14/12/2026", True), ("plan", 2026, "14/12/2026", False),
])
def test_an_as_of_date_must_belong_to_the_edition(edition, year, as_of, ok):
    if ok:
        assert params.check(data=POST, year=year, edition=edition, as_of=as_of).n == (
            year - (edition == "plan"))
        return
    with pytest.raises(ParamError) as err:
        params.check(data=POST, year=year, edition=edition, as_of=as_of)
    assert as_of.split("/")[-1] in str(err.value) and ("năm" in str(err.value))


def test_an_unknown_edition_is_refused_with_the_known_ones(capsys):
    assert main(["report", str(POST), "--year", "2026", "--edition", "quy"]) == 2
    said = capsys.readouterr().err
    assert "“quy”" in said and "plan, mid-year, year-end" in said


def test_the_default_as_of_is_the_latest_of_the_editions_period(ba_vi):
    assert ba_vi.info.as_of == dt.date(2026, 12, 14) and ba_vi.info.edition == "year-end"
    plan = params.check(data=POST, area="21529", year=2026)  # the 2026 plan: 2025's latest
    from htxlib.session import choose_as_of, open_checked

    assert choose_as_of(open_checked(plan), plan) == dt.date(2025, 9, 30)


def test_outputs_are_named_by_edition():
    names = editions()["year-end"].names(2026)
    assert (names["html"], names["docx"], names["xlsx"]) == (
        "bao-cao-nam-2026.html", "bao-cao-nam-2026.docx", "phu-luc-bao-cao-nam-2026.xlsx")
    assert editions()["mid-year"].name("docx", 2026) == "bao-cao-6-thang-2026.docx"
    assert editions()["plan"].name("docx", 2026) == "ke-hoach-2026.docx"
    checked = params.check(data=POST, area="21529", year=2026, edition="year-end")
    assert default_out(checked).name == "21529-bao-cao-nam-2026"


def test_the_title_block_is_a_reports(ba_vi):
    lh = ba_vi.letterhead
    assert lh.kind == "BÁO CÁO" and lh.number.endswith("/BC-UBND")
    assert lh.subject.startswith("Tình hình kinh tế tập thể, hợp tác xã năm 2026")
    assert ba_vi.asof_line.startswith("Số liệu thực hiện đến ngày 14/12/2026; ước thực hiện")
    parts = [p.heading for p in ba_vi.parts]
    assert parts[0][1].startswith("TÌNH HÌNH PHÁT TRIỂN") and parts[0][1].endswith("NĂM 2026")
    assert parts[1][1] == "PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2027"


def test_table_1_of_the_year_end_report(ba_vi):
    """68 members in 2025, a 2026 plan of 100, 69 estimated for 2026, 75 planned for 2027:
    69/68 = 101,5%, 69/100 = 69%."""
    t = ba_vi.tables[0]
    assert t.labels()[2:] == ["Thực hiện năm 2025", "Kế hoạch", "Ước thực hiện",
                              "So với năm 2025 (%)", "So với kế hoạch (%)",
                              "Kế hoạch năm 2027"]
    assert _row(t, "htx_members")[2:] == ["68", "100", "69", "101,5", "69", "75"]
    assert _row(t, "htx_new")[2:6] == ["1", "1", "0", "0"]  # a flow that fell to none
    assert _row(t, "tht_count")[-1] == "5"  # next year's plan


def test_a_year_done_is_said_as_done(district_2023, ba_vi):
    done, estimated = _text(district_2023), _text(ba_vi)
    assert "Cả năm 2023, tổng doanh thu của HTX đạt 1.318 triệu đồng" in done  # 13 → 14 HTX
    assert "doanh thu bình quân một HTX đạt 94,1 triệu đồng" in done
    assert "Ước cả năm" not in done and "Ước đến ngày" not in done
    assert "Ước cả năm 2026, doanh thu bình quân một HTX đạt" in estimated
    assert district_2023.asof_line == "Số liệu thực hiện năm 2023 (đến ngày 31/12/2023)."
    t = district_2023.tables[0]
    assert t.labels()[4] == "Thực hiện" and _row(t, "org_count")[2:6] == [
        "33", "-", "35", "106,1"]
    support = next(t for t in district_2023.tables if t.id == "support")
    years = [r[1] for r in support.texts()]
    assert years == sorted(set(years))  # no "2023" and "2023 (đến 31/12/2023)" both


def test_the_change_since_the_period_began(tmp_path):
    """A report on 2022 sets its figures against the end of 2020, the year before the
    2021-2025 period: 2 HTX then, 3 now; 15 members then, 27 now."""
    orgs = [org("H1"), org("H2"), org("H3", founded="01/3/2022")]
    recs = [rec(h, f"31/12/{y}", "Thực hiện cả năm", members=m)
            for h, y, m in [("H1", 2020, 7), ("H2", 2020, 8), ("H1", 2021, 8), ("H2", 2021, 8),
                            ("H1", 2022, 9), ("H2", 2022, 9), ("H3", 2022, 9)]]
    data = write_input(tmp_path, organisations=orgs, records=recs)
    plan = Session.open(params.check(data=data, year=2022, edition="year-end")).report()
    text = _text(plan)
    assert "So với năm 2020, năm trước giai đoạn 2021-2025: số HTX tăng 1 HTX;" in text
    assert "số thành viên HTX tăng 12 thành viên" in text


def test_a_narrative_file_has_the_editions_sections(tmp_path):
    year_end = sections("year-end")
    assert year_end["general_goal"][0] == "Phương hướng chung" and "purpose" not in year_end
    assert "purpose" in sections("plan")
    story = tmp_path / "tm.md"
    story.write_text("## Mục đích {#purpose}\nNội dung.\n", encoding="utf-8")
    with pytest.raises(NarrativeError):
        params.check(data=POST, area="21529", year=2026, edition="year-end", narrative=story)
    out = tmp_path / "moi.md"
    assert main(["narrative", str(POST), "--area", "21529", "--year", "2026", "--edition",
                 "year-end", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "báo cáo năm 2026" in text and "{#general_goal}" in text and "{#purpose}" not in text


def test_htx_report_and_batch_write_the_year_end_report(tmp_path):
    assert main(["report", str(POST), "--area", "21529", "--year", "2026", "--edition",
                 "year-end", "--format", "docx,xlsx", "--out", str(tmp_path / "one")]) == 0
    assert {p.name for p in (tmp_path / "one").iterdir()} >= {
        "bao-cao-nam-2026.docx", "phu-luc-bao-cao-nam-2026.xlsx", "bao-cao-nam-2026.ipynb"}
    assert main(["batch", str(POST), "--year", "2026", "--edition", "year-end",
                 "--no-notebooks", "--format", "html", "--areas", "xã Ba Vì,xã Ba Xa",
                 "--out", str(tmp_path / "all")]) == 0
    page = (tmp_path / "all" / "index.html").read_text(encoding="utf-8")
    assert "<h1>Báo cáo năm 2026: các địa bàn</h1>" in page
    assert re.search(r'href="[^"]*bao-cao-nam-2026\.html"', page)
    assert Path(tmp_path / "all" / "xa-ba-vi-21529" / "bao-cao-nam-2026.html").is_file()


@pytest.fixture(scope="module")
def ba_vi_half():
    """xã Ba Vì's six-month report on 2026 (the default as-of: its form of 14/6/2026)."""
    return Session.open(params.check(
        data=POST, area="21529", year=2026, edition="mid-year")).report()


def test_several_forms_of_a_unit_in_a_year_are_not_added_up(ba_vi, ba_vi_half):
    """Ba Vì sent a six-month and a year-end form in 2026: each gives 68 members for 2025;
    the year-end report counts 68, not 136, and the six-month report does not use the
    year-end form, dated after it."""
    assert _row(ba_vi.tables[0], "htx_members")[2] == "68"
    assert ba_vi_half.info.as_of == dt.date(2026, 6, 14)
    assert _row(ba_vi_half.tables[0], "htx_members")[4] == "68"  # to 14/6/2026
    assert _row(ba_vi_half.tables[0], "htx_members")[-1] == "69"  # its form's estimate


def test_the_six_month_report_compares_with_the_same_period(tmp_path):
    """The district to 10/6/2024 against 10/6/2023: 34 organisations then (the registry
    knows them), 37 now, 108,8%; members then are no one's figure (no record that day)."""
    plan = Session.open(params.check(data=SAMPLE_DIR, year=2024, edition="mid-year",
                                     as_of="10/6/2024")).report()
    t = plan.tables[0]
    assert t.labels()[2:] == ["Cùng kỳ năm 2023", "Kế hoạch", "Thực hiện đến 10/6/2024",
                              "So với cùng kỳ (%)", "So với kế hoạch (%)",
                              "Ước thực hiện cả năm"]
    assert _row(t, "org_count")[2:6] == ["34", "-", "37", "108,8"]
    assert _row(t, "htx_members")[2] == "-" and _row(t, "htx_members")[4] == "288"
    text = _text(plan)
    assert "So với cùng kỳ năm 2023, số THT tăng 2 THT (10%), số HTX tăng 1 HTX (7,1%)." in text
    assert ("Chưa có số liệu thành viên, lao động cùng kỳ năm 2023; so với cuối năm 2023, số "
            "thành viên HTX tăng 16 thành viên (5,9%)") in text  # a stock: against 31/12/2023
    assert "so với năm 2023" not in text.split("Ước cả năm")[0]  # no half year against a year


def test_without_the_same_period_the_report_says_so(ba_vi_half):
    """Ba Vì's six-month form gives its HTX on 14/6/2025 (the "cùng kỳ" column), not its
    members: no one recorded them that day."""
    t = ba_vi_half.tables[0]
    assert _row(t, "htx_count")[2] == "3" and _row(t, "htx_members")[2] == "-"
    assert ("Chưa có số liệu thành viên, lao động cùng kỳ năm 2025; so với cuối năm 2025, số "
            "thành viên HTX không biến động" in _text(ba_vi_half))


def test_what_is_left_of_the_years_plan(ba_vi_half):
    text = _text(ba_vi_half)
    assert "Để hoàn thành kế hoạch năm 2026, từ ngày 14/6/2026 đến cuối năm cần:" in text
    assert "đạt 0 HTX, còn phải thành lập mới thêm 1 HTX." in text
    assert "đạt 68 thành viên, còn phải phát triển thêm 32 thành viên." in text
    assert ba_vi_half.parts[1].heading[1] == "NHIỆM VỤ, GIẢI PHÁP 6 THÁNG CUỐI NĂM 2026"
