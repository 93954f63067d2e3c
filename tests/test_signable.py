"""Signable after the reform: what a reviewing official marked in the documents of merged
communes, communes with 0, 1, 2 or 3 HTX and a province built from forms (issue 23).

Small numbers read as a person writes them; the repealed HTX rating is neither a target
nor a figure without comment after 18/9/2025; recipients and offices follow the level and
the date; the text names no file, sheet or software; a merged commune says whose figures
its year before holds.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from htxlib.config import DATA_DIR, SAMPLE_DIR
from htxlib.report import assemble, params
from htxlib.report.facts import Facts
from htxlib.report.tree import Bullets, Chart, Table, Text
from htxlib.session import Session

POST = DATA_DIR / "sample" / "ba-to-2025"
# area → (data, plan year, as-of date, what it is)
AREAS = {
    "xã Ba Tiêu (0 HTX)": (SAMPLE_DIR, "21517", 2025, "10/6/2024"),
    "xã Ba Nam (1 HTX)": (SAMPLE_DIR, "21535", 2025, "10/6/2024"),
    "xã Ba Vì cũ (1 HTX, rated)": (SAMPLE_DIR, "21529c", 2025, "10/6/2024"),
    "xã Ba Xa (1 HTX, merged)": (POST, "21538", 2026, "30/9/2025"),
    "xã Ba Tơ (2 HTX, merged)": (POST, "21484", 2026, "30/9/2025"),
    "xã Ba Vì (3 HTX, merged)": (POST, "21529", 2026, "30/9/2025"),
    "tỉnh Quảng Ngãi (forms)": (POST, "51", 2026, "30/9/2025"),
    "huyện Ba Tơ (district)": (SAMPLE_DIR, "535", 2025, "10/6/2024"),
}


@pytest.fixture(scope="module", params=AREAS, ids=list(AREAS))
def built(request):
    data, area, year, as_of = AREAS[request.param]
    return Session.open(params.check(data=data, area=area, year=year, as_of=as_of)).report()


def _text(plan) -> list[str]:
    """Every sentence and list line of the report written from data."""
    out = []
    for b in plan.blocks():
        if isinstance(b, Text):
            out.append(str(b.sentence))
        elif isinstance(b, Bullets):
            out += list(b.items)
    return out


SILLY = [
    (r"\b[Cc]ả [01] ", "all of 0 or 1"),
    (r"\b(\d+)/\1 ", "all of them as a fraction (7/7)"),
    (r"\b[01]/\d+ ", "a fraction of 0 or 1"),
    (r"\b(\d+) trong \1\b", "all of them as 'x trong x' (1 trong 1)"),
    (r"\b0 trong \d", "none of them as '0 trong x'"),
    (r"chiếm 100%", "a share of 100%"),
    (r"\b0 (lao động|thành viên|HTX)", "a count of nothing"),
    (r"đạt 0 triệu", "an average of nothing"),
    (r"không có sự biến động", "a change of a clause of several figures"),
]


def test_small_numbers_read_like_a_person_wrote_them(built):
    for line in _text(built):
        for pattern, what in SILLY:
            assert not re.search(pattern, line), (what, line)
        if re.search(r"\bHầu hết\b", line):  # "most" only where it is not all
            share = re.search(r"\((\d+)/(\d+) tổ chức\)", line)
            assert share and share[1] != share[2], line


def test_no_percentage_of_a_small_base(built):
    for b in built.blocks():
        if isinstance(b, Text):
            for c in b.sentence.changes():
                facts_base = built.values.get("p", {}).get(c.code)
                if facts_base is not None and facts_base < 10:
                    assert "%" not in c.text, c


def test_no_chart_that_compares_nothing(built):
    """No chart of bars all equal, of one point a series, or of lines that never move."""
    for b in built.blocks():
        if isinstance(b, Chart):
            values = [v for v in b.data["value"] if v == v]
            assert len(set(values)) > 1, b.caption
            assert not re.search(r"\b(20\d\d)\s*[–-]\s*\1\b", b.caption), b.caption
            if b.id in ("orgs_by_type", "members_workers"):  # over the years: some change
                series = b.data.assign(s=b.data["label"].str.replace(
                    r" \d{4}( \(ước\))?$", "", regex=True))
                assert (series.groupby("s")["value"].nunique() > 1).any(), b.caption


def test_no_word_of_files_sheets_or_software(built):
    words = re.compile(r"(?i)\bsheet\b|\btệp\b|\bhtxlib\b|\bdữ liệu không\b|\bdòng nào\b")
    texts = _text(built) + [t.note for t in built.tables] + [c.source for c in built.charts]
    texts += [t.title for t in built.tables] + [c.title for c in built.charts]
    for text in texts:
        assert not words.search(text), text


def test_the_repealed_rating_is_neither_a_target_nor_a_bare_figure(built):
    after = built.info.as_of >= dt.date(2025, 9, 18)
    rating = [r for t in built.tables for r in t.rows
              if r.code.startswith("htx_good_fair") or "tốt, khá" in str(r.cells[0])]
    targets = [t for t in built.tables if t.id in ("targets", "period_targets")]
    if after:
        assert all("đã bãi bỏ" in r.cells[0] for r in rating if r.code)
        assert not any("tốt, khá" in str(r.cells[0]) for t in targets for r in t.rows)
        assert not any("tốt, khá" in line for line in _text(built))
        plan_cells = [r.cells[-2] for r in rating if r.code and built.tables[0].rows]
        assert all(c.missing for c in plan_cells)  # no 2026 target on it
    else:
        assert not any("đã bãi bỏ" in str(r.cells[0]) for r in rating)


def test_while_the_rating_applied_its_share_is_stated_on_the_tables_base():
    plan = Session.open(params.check(data=SAMPLE_DIR, year=2025, as_of="10/6/2024")).report()
    text = " ".join(_text(plan))
    assert "Có 2 HTX đạt loại tốt, khá, chiếm 13,3% tổng số HTX." in text
    rows = {r.code: r for r in plan.tables[0].rows}
    assert rows["htx_good_fair_share"].cells[3].text() == "13,3"  # the as-of column
    targets = next(t for t in plan.tables if t.id == "targets")
    assert any("tốt, khá" in r.cells[0] for r in targets.rows)  # a 2025 target of 2024


def test_a_merged_commune_says_whose_figures_its_year_before_holds():
    plan = Session.open(params.check(
        data=POST, area="21484", year=2026, as_of="30/9/2025")).report()
    note = plan.tables[0].note
    assert ("Số liệu năm 2024 của xã Ba Tơ là tổng số liệu của thị trấn Ba Tơ, xã Ba Cung, "
            "xã Ba Bích trước sắp xếp, hợp nhất thành xã Ba Tơ từ ngày 1/7/2025.") in note
    managers = next(t for t in plan.tables if t.id == "managers")
    year_before = [r.cells[1].value for r in managers.rows[:-1]]
    assert sum(year_before) == managers.rows[-1].cells[1].value > 0
    assert not any(re.search(r"\b2025\s*–\s*2025\b", c.caption) for c in plan.charts)


def _facts(level: str, when: str, parent: str) -> Facts:
    return Facts(pd.DataFrame(), "X", "xã Thử" if level == "commune" else "Thử", level,
                 2026, dt.date.fromisoformat(when), "Thử", parent)


@pytest.mark.parametrize(("level", "when", "parent", "has", "lacks"), [
    ("commune", "2024-06-10", "huyện Ba Tơ",
     ["UBND huyện Ba Tơ (báo cáo);", "Phòng Tài chính – Kế hoạch huyện Ba Tơ;"], ["Sở "]),
    ("commune", "2025-09-30", "tỉnh Quảng Ngãi",
     ["UBND tỉnh Quảng Ngãi (báo cáo);", "Sở Tài chính tỉnh Quảng Ngãi;"], ["huyện", "Phòng"]),
    ("district", "2024-06-10", "tỉnh Quảng Ngãi",
     ["UBND tỉnh Quảng Ngãi (báo cáo);", "Sở Kế hoạch và Đầu tư tỉnh Quảng Ngãi;"],
     ["Sở Tài chính"]),
    ("district", "2025-04-01", "tỉnh Quảng Ngãi", ["Sở Tài chính tỉnh Quảng Ngãi;"],
     ["Kế hoạch và Đầu tư"]),
    ("province", "2024-06-10", "", ["Bộ Kế hoạch và Đầu tư;", "Sở Kế hoạch và Đầu tư;",
                                    "UBND các huyện, thị xã, thành phố;"], ["Bộ Tài chính"]),
    ("province", "2025-04-01", "", ["Bộ Tài chính;", "Sở Tài chính;",
                                    "UBND các huyện, thị xã, thành phố;"], ["Đầu tư"]),
    ("province", "2025-09-30", "", ["Bộ Tài chính;", "UBND các xã, phường, đặc khu;"],
     ["huyện", "Đầu tư"]),
])
def test_recipients_follow_the_level_and_the_date(level, when, parent, has, lacks):
    lines = assemble.recipients(_facts(level, when, parent))
    assert all(line in lines for line in has), lines
    assert not any(bad in line for line in lines for bad in lacks), lines
    assert lines[-1] == "Lưu: VT."


def test_an_old_communes_plan_goes_through_its_district():
    plan = Session.open(params.check(data=SAMPLE_DIR, area="21535", year=2025,
                                     as_of="10/6/2024")).report()
    assert plan.closing.recipients[:2] == ("- UBND huyện Ba Tơ (báo cáo);",
                                           "- Phòng Tài chính – Kế hoạch huyện Ba Tơ;")


def test_every_table_total_row_is_a_total(built):
    for t in built.tables:
        assert isinstance(t, Table)
        totals = [r for r in t.rows if r.kind == "total"]
        assert len(totals) <= 1 and (not totals or t.rows[-1] is totals[0])
