"""Judgements the figures cannot make are not printed as facts (issue 23): the impact on
members is said as figures ("12/16 HTX … chưa có doanh thu", the revenue from members and
its share), the judgement offered to `htx narrative`; "Không có." only where every figure
says none, and of the units that reported; a target's feasibility follows its figures
(one new HTX planned when one was founded last year is not "khó đạt")."""

from __future__ import annotations

import datetime as dt

import pytest

from htxlib.config import DATA_DIR
from htxlib.report import narrative as nv
from htxlib.report import params
from htxlib.report import targets as tg
from htxlib.report.facts import gather
from htxlib.report.narrative import render, texts
from htxlib.session import Session

POST = DATA_DIR / "sample" / "ba-to-2025"
JUDGED = ("chưa đáng kể", "Do phần lớn", "hạn chế")


@pytest.fixture(scope="module")
def facts(sample):
    return gather(sample, "535", 2025, dt.date(2024, 6, 10))


def _ctx(facts, **values):
    ctx = nv.context(facts)
    ctx["a"] = type(ctx["a"])({**ctx["a"], **values}, ctx["a"].period)
    return ctx


@pytest.mark.parametrize(("reporting", "none", "opens", "drafted"), [
    (15, 12, "12/15 HTX có số liệu báo cáo chưa có doanh thu (đến ngày 10/6/2024); doanh thu",
     "Do 12/15 HTX chưa có doanh thu"),
    (3, 2, "2 trong 3 HTX có số liệu báo cáo chưa có doanh thu", "Do 2 trong 3 HTX"),
    (3, 3, "Cả 3 HTX có số liệu báo cáo đều chưa có doanh thu", "Do hợp tác xã chưa có"),
    (1, 1, "Hợp tác xã có số liệu báo cáo chưa có doanh thu", "Do hợp tác xã chưa có"),
    (10, 5, "Doanh thu của hợp tác xã từ cung ứng", ""),  # half is not a majority
    (15, 2, "Doanh thu của hợp tác xã từ cung ứng", ""),
])
def test_the_impact_is_said_as_figures_and_judged_in_the_drafts(facts, reporting, none,
                                                                 opens, drafted):
    ctx = _ctx(facts, htx_reporting=reporting, htx_no_revenue=none,
               htx_no_revenue_share=none / reporting * 100)
    said = str(nv.sentence("impact", facts, ctx))
    assert said.startswith(opens), said
    assert "chiếm 73% tổng doanh thu của HTX" in said
    assert not any(word in said for word in JUDGED), said
    draft = render(texts()["drafts"]["impact"][0], **ctx)
    assert draft.startswith(drafted) if drafted else draft == ""


def test_none_of_the_models_is_said_of_the_units_that_reported():
    report = Session.open(params.check(data=POST, area="51", year=2026)).report()
    section = next(s for p in report.parts for s in p.walk() if s.id == "p1-i-4")
    said = " ".join(str(b.sentence) for b in section.blocks)
    assert said.startswith("Theo số liệu của 8/96 xã, phường, đặc khu đã báo cáo, chưa có tổ "
                           "chức nào liên kết"), said


def test_a_target_reached_last_year_is_not_hard():
    facts = Session.open(params.check(data=POST, area="21529", year=2026)).facts()
    new = next(t for t in tg.plan_targets(facts) if t.code == "htx_new")
    assert "khó đạt" not in new.feasibility
    assert new.feasibility.endswith("ước năm 2025 đạt 1 HTX: chỉ tiêu phù hợp với kết quả "
                                    "năm 2025"), new.feasibility
