"""Targets the data do not hold are the office's to decide (a plan's targets for next
year, the period's, what is left of this year's): the document leaves a placeholder that
says what to add, never a sentence an official would sign ("Chưa có chỉ tiêu kế hoạch năm
2026 của xã Ba Xa."), in every edition (issue 23)."""

from __future__ import annotations

import pytest

from htxlib.config import DATA_DIR, SAMPLE_DIR
from htxlib.report import params
from htxlib.report.tree import Bullets, Placeholder, Text
from htxlib.session import Session

POST = DATA_DIR / "sample" / "ba-to-2025"
CASES = {  # name → (data, area, year, as-of, edition, what the placeholders must name)
    "xã Ba Xa, plan 2026": (POST, "21538", 2026, None, "plan",
                            ["chỉ tiêu kế hoạch năm 2026 của xã Ba Xa",
                             "mục tiêu giai đoạn 2021-2025 của xã Ba Xa"]),
    "province, plan 2026": (POST, "51", 2026, None, "plan",
                            ["chỉ tiêu kế hoạch năm 2026 của tỉnh Quảng Ngãi",
                             "mục tiêu giai đoạn 2021-2025 của tỉnh Quảng Ngãi"]),
    "province, year-end 2026": (POST, "51", 2026, "14/12/2026", "year-end",
                                ["chỉ tiêu kế hoạch năm 2027 của tỉnh Quảng Ngãi",
                                 "mục tiêu giai đoạn 2026-2030 của tỉnh Quảng Ngãi"]),
    "province, six months 2026": (POST, "51", 2026, None, "mid-year",
                                  ["chỉ tiêu kế hoạch năm 2026 của tỉnh Quảng Ngãi, để tính"]),
    "xã Ba Tiêu, plan 2025": (SAMPLE_DIR, "21517", 2025, "10/6/2024", "plan", []),
}


@pytest.mark.parametrize("name", CASES)
def test_missing_targets_are_placeholders_not_sentences(name):
    data, area, year, as_of, edition, named = CASES[name]
    report = Session.open(params.check(data=data, area=area, year=year, as_of=as_of,
                                       edition=edition)).report()
    said = [str(b.sentence) for b in report.blocks() if isinstance(b, Text)]
    said += [i for b in report.blocks() if isinstance(b, Bullets) for i in b.items]
    assert not [s for s in said if "Chưa có chỉ tiêu" in s]
    holders = [b.text for b in report.blocks() if isinstance(b, Placeholder)]
    for what in named:
        assert any(what in h and h.startswith("[Chưa có nội dung: bổ sung") for h in holders), \
            (what, holders)


def test_a_target_table_without_targets_says_none(sample):
    """Two helpers once shared a name: the empty target tables raised instead of saying
    "Không có."."""
    import datetime as dt

    from htxlib.report import tables
    from htxlib.report.facts import gather
    facts = gather(sample, "535", 2025, dt.date(2024, 6, 10))
    assert tables.targets(facts, []).texts() == [["Không có.", "", "", "", "", ""]]
    assert tables.period_targets(facts, []).texts() == [["Không có.", "", "", ""]]
