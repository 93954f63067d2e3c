"""A province built from the forms of some of its communes (8 of 96) says so wherever it
sums them: the assessment opens with its base, every table and chart that adds units up
names it in its caption, and the earlier columns of Bảng 1 name the units they hold. An
area with all its units' figures reads as before (issue 23, review of the 2026 documents)."""

from __future__ import annotations

import pytest

from htxlib.config import DATA_DIR, SAMPLE_DIR
from htxlib.report import params
from htxlib.report.tree import Chart, Table, Text
from htxlib.session import Session

POST = DATA_DIR / "sample" / "ba-to-2025"
BASE = "8/96 xã, phường, đặc khu"


def _report(data, area, year, as_of=None, edition="plan"):
    return Session.open(params.check(data=data, area=area, year=year, as_of=as_of,
                                     edition=edition)).report()


def _quantity(report) -> str:
    return next(str(b.sentence) for b in report.blocks() if isinstance(b, Text)
                and "trên địa bàn" in str(b.sentence) and "đến ngày" in str(b.sentence))


@pytest.fixture(scope="module", params=["plan", "year-end", "mid-year"])
def province(request):
    return _report(POST, "51", 2026, edition=request.param)


def test_the_assessment_opens_with_its_base(province):
    assert _quantity(province).startswith(f"Theo số liệu của {BASE} đã báo cáo, tính đến ngày")


def test_every_exhibit_that_sums_units_names_its_base(province):
    exhibits = [b for b in province.blocks() if isinstance(b, Table | Chart)]
    assert exhibits
    for b in exhibits:
        summed = b.id not in ("targets", "period_targets")
        assert (f"(tổng hợp từ {BASE} có số liệu)" in b.title) == summed, b.title
    annex = province.annex.table_titles
    assert all("tổng hợp từ 8/96" in t for t in annex if "chỉ tiêu" in t.lower())


def test_the_earlier_column_names_the_units_it_holds(province):
    table = next(b for b in province.blocks() if isinstance(b, Table) and b.id == "indicators")
    assert "chỉ là tổng số liệu của 8 xã, phường, đặc khu có số liệu: xã Ba Tơ" in table.note
    assert "chưa phải số liệu của toàn tỉnh Quảng Ngãi" in table.note


@pytest.mark.parametrize(("data", "area", "year", "as_of"), [
    (SAMPLE_DIR, "535", 2025, "10/6/2024"),     # a district from records
    (POST, "21529", 2026, None),                # a merged commune from its form
    (SAMPLE_DIR, "21529c", 2025, "10/6/2024"),  # an old commune
])
def test_an_area_with_all_its_units_reads_as_before(data, area, year, as_of):
    report = _report(data, area, year, as_of)
    assert _quantity(report).startswith("Tính đến ngày")
    for b in report.blocks():
        if isinstance(b, Table | Chart):
            assert "tổng hợp từ" not in b.title
        if isinstance(b, Table):
            assert "chỉ là tổng số liệu" not in b.note
