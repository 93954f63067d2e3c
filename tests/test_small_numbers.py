"""Small numbers read as a person writes them, in every "x trong y" sentence and draft:
one HTX is "hợp tác xã (trên địa bàn)", all of N "cả N … đều", none "chưa có … nào"; never
"1 trong 1", "3 trong 3" or "0 trong 3" (issue 23: "1 trong 1 HTX đạt loại tốt, khá")."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from htxlib.report import narrative as nv
from htxlib.report.facts import gather
from htxlib.report.narrative import render, texts

AS_OF = "2024-06-10"
SILLY = re.compile(r"\b(\d+) trong \1\b|\b0 trong \d")


@pytest.fixture(scope="module")
def facts(sample):
    return gather(sample, "535", 2025, dt.date.fromisoformat(AS_OF))


def _ctx(facts, **values):
    ctx = nv.context(facts)
    ctx["a"] = type(ctx["a"])({**ctx["a"], **values}, ctx["a"].period)
    return ctx


@pytest.mark.parametrize(("count", "good", "says"), [
    (1, 1, "Hợp tác xã trên địa bàn đạt loại tốt, khá."),
    (1, 0, "Hợp tác xã trên địa bàn chưa đạt loại tốt, khá."),
    (2, 2, "Cả 2 HTX đều đạt loại tốt, khá."),
    (3, 1, "1 trong 3 HTX đạt loại tốt, khá."),
    (3, 0, "Chưa có HTX nào đạt loại tốt, khá."),
    (12, 12, "Cả 12 HTX đều đạt loại tốt, khá."),
])
def test_the_rating_of_few_htx(facts, count, good, says):
    ctx = _ctx(facts, htx_count=count, htx_operating=count, htx_good_fair=good,
               htx_good_fair_share=good / count * 100)
    text = str(nv.sentence("status", facts, ctx))
    assert says in text and not SILLY.search(text), text


@pytest.mark.parametrize(("reporting", "none", "says"), [
    (1, 1, "Hợp tác xã chưa có doanh thu."),
    (3, 3, "Cả 3 HTX có số liệu báo cáo đều chưa có doanh thu."),
    (3, 1, "1 trong 3 HTX chưa có doanh thu."),
    (3, 0, ""),
])
def test_the_weakness_drafted_of_htx_without_revenue(facts, reporting, none, says):
    ctx = _ctx(facts, htx_reporting=reporting, htx_no_revenue=none,
               htx_no_revenue_share=none / reporting * 100)
    text = render(texts()["drafts"]["weaknesses"][0], **ctx)
    assert text == says and not SILLY.search(text)


@pytest.mark.parametrize(("managers", "untrained", "says"), [
    (1, 1, "Cán bộ quản lý hợp tác xã chưa qua đào tạo, bồi dưỡng."),
    (4, 4, "Cả 4 cán bộ quản lý hợp tác xã đều chưa qua đào tạo, bồi dưỡng."),
    (4, 3, "3 trong 4 cán bộ quản lý hợp tác xã chưa qua đào tạo, bồi dưỡng."),
])
def test_the_weakness_drafted_of_untrained_managers(facts, managers, untrained, says):
    ctx = {**_ctx(facts, htx_managers=managers), "untrained": untrained,
           "untrained_share": untrained / managers * 100}
    text = render(texts()["drafts"]["weaknesses"][1], **ctx)
    assert text == says and not SILLY.search(text)
