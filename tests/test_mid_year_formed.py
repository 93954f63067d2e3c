"""The six-month report of a commune formed on 1/7/2025: its "cùng kỳ" column (14/6/2025)
holds the old communes' figures and says so under Bảng 1, as the years before do; and a
sentence never says a comparison is missing that the chart below it draws (issue 23)."""

from __future__ import annotations

import pytest

from htxlib.config import DATA_DIR
from htxlib.report import params
from htxlib.report.tree import Chart, Table, Text
from htxlib.session import Session

POST = DATA_DIR / "sample" / "ba-to-2025"
MERGED = {"xã Ba Vì": "21529", "xã Ba Tơ": "21484", "xã Ba Xa": "21538"}


@pytest.fixture(scope="module", params=MERGED.values(), ids=list(MERGED))
def report(request):
    return Session.open(params.check(data=POST, area=request.param, year=2026,
                                     edition="mid-year")).report()


def test_the_same_period_column_says_whose_figures_it_holds(report):
    table = next(b for b in report.blocks() if isinstance(b, Table) and b.id == "indicators")
    assert "Số liệu cùng kỳ năm 2025 (ngày 14/6/2025) của " in table.note, table.note
    assert "trước sắp xếp" in table.note


def test_no_sentence_says_missing_what_its_chart_draws(report):
    prev = str(report.info.n - 1)
    for part in report.parts:
        for section in part.walk():
            said = " ".join(str(b.sentence) for b in section.blocks if isinstance(b, Text))
            drawn = [str(label) for b in section.blocks if isinstance(b, Chart)
                     for label in b.data["label"]]
            if f"cùng kỳ năm {prev} để so sánh" in said:
                assert not any(label.endswith(prev) for label in drawn), (said, drawn)


def test_members_are_compared_with_the_end_of_the_year_before_when_no_same_period():
    built = Session.open(params.check(data=POST, area="21529", year=2026,
                                      edition="mid-year")).report()
    members = next(str(b.sentence) for b in built.blocks() if isinstance(b, Text)
                   and "thành viên" in str(b.sentence) and "Đến ngày" in str(b.sentence))
    assert "Chưa có số liệu thành viên, lao động cùng kỳ năm 2025; so với cuối năm 2025, " \
           "số thành viên HTX" in members
