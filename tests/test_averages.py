"""Averages read with their totals (issue 23): an average per HTX that falls while the
total rises, because more HTX share it, says both and why; otherwise the sentence gives
the average alone, as before. Two figures a ratio says differ never print alike (a small
average gets the decimals it needs: 0,75 | 0,81 | 108,3, not 0,8 | 0,8 | 108,3)."""

from __future__ import annotations

import pytest

from htxlib.config import DATA_DIR
from htxlib.report import narrative as nv
from htxlib.report import params, tables
from htxlib.report.cells import Number
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


DOCUMENTS = {  # name → (data, area, year, as-of, edition)
    "province, year-end": (POST, "51", 2026, None, "year-end"),
    "province, plan": (POST, "51", 2026, None, "plan"),
    "province, six months": (POST, "51", 2026, None, "mid-year"),
    "xã Ba Vì, plan": (POST, "21529", 2026, None, "plan"),
}


@pytest.mark.parametrize("name", DOCUMENTS)
def test_figures_a_ratio_says_differ_print_differently(name):
    data, area, year, as_of, edition = DOCUMENTS[name]
    facts = Session.open(params.check(data=data, area=area, year=year, as_of=as_of,
                                      edition=edition)).facts()
    spec = tables.spec()["tables"]["indicators"]["layouts"][tables.layout(facts)]["columns"]
    columns = ["/".join(facts.year_figure if p == "y" else p for p in c.split("/")) for c in spec]
    checked = 0
    for row in tables.indicators(facts).rows:
        cells = row.cells[2:]
        for i, column in enumerate(columns):
            top, _, bottom = column.partition("/")
            if not bottom or top not in columns or bottom not in columns:
                continue
            x, y, ratio = cells[columns.index(top)], cells[columns.index(bottom)], cells[i]
            if all(isinstance(c, Number) and not c.missing for c in (x, y, ratio)):
                checked += 1
                assert x.text() != y.text() or ratio.text() == "100", (row.code, x, y, ratio)
    assert checked


def test_a_small_average_gets_the_decimals_it_needs():
    facts = Session.open(params.check(data=POST, area="51", year=2026,
                                      edition="year-end")).facts()
    row = next(r for r in tables.indicators(facts).rows if r.code == "htx_profit_avg")
    assert [c.text() for c in row.cells[2:]][:4] == ["0,75", "-", "0,81", "108,3"]


def test_the_annex_shows_the_same_decimals(tmp_path):
    import openpyxl

    from htxlib.render.xlsx import write_xlsx
    report = Session.open(params.check(data=POST, area="51", year=2026,
                                       edition="year-end")).report()
    write_xlsx(report, tmp_path / "annex.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "annex.xlsx")[report.annex.table_sheets[0]]
    row = next(r for r in sheet.iter_rows() if r[0].value == "Lãi bình quân một hợp tác xã")
    assert [(c.value, c.number_format) for c in row[2:5:2]] == [(0.75, "#,##0.00"),
                                                                 (0.8125, "#,##0.00")]
