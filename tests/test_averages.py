"""Averages read with their totals (issue 23): an average per HTX that falls while the
total rises, because more HTX share it, says both and why; otherwise the sentence gives
the average alone, as before."""

from __future__ import annotations

import pytest

from htxlib.config import DATA_DIR
from htxlib.report import narrative as nv
from htxlib.report import params
from htxlib.session import Session

POST = DATA_DIR / "sample" / "ba-to-2025"


@pytest.fixture(scope="module")
def facts():
    return Session.open(params.check(data=POST, area="21529", year=2026)).facts()


def _ctx(facts, period, **values):
    ctx = nv.context(facts)
    ctx[period] = type(ctx[period])({**ctx[period], **values}, ctx[period].period)
    return ctx


def test_an_average_that_falls_as_the_total_rises_says_why(facts):
    said = str(nv.sentence("business", facts))
    assert ("tổng doanh thu của HTX đạt 1.503 triệu đồng, tăng 243 triệu đồng (19,3%) so với "
            "năm 2024; do số HTX có số liệu doanh thu tăng từ 2 lên 3 HTX, doanh thu bình quân "
            "một HTX đạt 501 triệu đồng, giảm 129 triệu đồng (20,5%)") in said, said


@pytest.mark.parametrize(("values", "why"), [
    ({"htx_revenue": 1000.0}, "the total fell too"),
    ({"htx_reporting": 2.0, "htx_revenue_avg": 751.5}, "as many HTX, the average rose"),
])
def test_otherwise_the_average_is_said_alone(facts, values, why):
    said = str(nv.sentence("business", facts, _ctx(facts, "e", **values)))
    assert "tổng doanh thu" not in said and "doanh thu bình quân một HTX đạt" in said, why
