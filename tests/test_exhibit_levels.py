"""Every table and chart at every level: province, district, commune, and a commune of one
organisation. Nothing empty is numbered, numbers close up, axes speak Vietnamese, and the
three renderers take the same tree."""

from __future__ import annotations

import re
import shutil

import docx
import pytest
from openpyxl import load_workbook

from htxlib.config import SAMPLE_DIR
from htxlib.glossary import labels
from htxlib.indicators import indicator_table
from htxlib.plot.draw import Ticks
from htxlib.registry import open_registry
from htxlib.render.files import write
from htxlib.render.html import fragment
from htxlib.report import figures, params
from htxlib.report.tables import MIN_PARTS
from htxlib.session import Session
from tests.conftest import AS_OF, org, rec, write_input

LONE = "BT-THT-01"  # the tổ hợp tác of xã Ba Vì: without it, the commune has one HTX
CASES = {  # id: (area, level, data has a unit below the area that holds organisations)
    "province": ("Quảng Ngãi", "province", True),
    "district": ("535", "district", True),
    "commune": ("Ba Vì", "commune", False),
    "one-org": ("21529c", "commune", False),
    "tiny": ("", "commune", False),  # one HTX of 2 members, one record: small axes
}
VIETNAMESE = re.compile(r"-?\d{1,3}(\.\d{3})*(,\d+)?")  # 1.234.567; 12,5; -3


@pytest.fixture(scope="module")
def one_org(tmp_path_factory):
    """The sample without the THT of xã Ba Vì: a commune with exactly one organisation."""
    folder = tmp_path_factory.mktemp("one-org")
    for src in SAMPLE_DIR.glob("*.csv"):
        lines = src.read_text(encoding="utf-8").splitlines(keepends=True)
        (folder / src.name).write_text("".join(ln for ln in lines
                                               if not ln.startswith(LONE + ",")),
                                       encoding="utf-8")
    shutil.copy(SAMPLE_DIR / "thuyet-minh-2025.md", folder)
    return folder


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tiny")
    return write_input(folder, organisations=[org("E1")],
                       records=[rec("E1", members=2, regular_workers=1, managers=1)])


@pytest.fixture(scope="module", params=list(CASES))
def case(request, one_org, tiny):
    area, level, below = CASES[request.param]
    data = {"one-org": one_org, "tiny": tiny}.get(request.param, SAMPLE_DIR)
    r = Session.open(params.check(data=data, year=2025, area=area, as_of=AS_OF)).report()
    return request.param, r, level, below


def test_the_one_org_commune_has_one_organisation(case):
    name, r, level, _ = case
    assert r.info.level == level
    if name == "one-org":
        assert r.values["a"]["org_count"] == 1 and r.values["a"]["tht_count"] == 0


def test_no_table_is_only_its_total(case):
    _, r, _, _ = case
    for t in r.tables:
        body = [row for row in t.rows if row.kind != "total"]
        assert body, f"{t.id}: only a total row"
        if len(body) < len(t.rows):  # a breakdown with its total: at least two parts
            assert len([row for row in body if row.kind == "normal"]) >= MIN_PARTS, t.id


def test_no_chart_without_a_figure(case):
    _, r, _, _ = case
    for c in r.charts:
        values = c.data["value"].dropna()
        assert (values != 0).any(), c.id


def test_numbers_close_up(case):
    _, r, _, _ = case
    assert [t.number for t in r.tables] == list(range(1, len(r.tables) + 1))
    assert [c.number for c in r.charts] == list(range(1, len(r.charts) + 1))


def test_breakdown_by_unit_only_where_there_are_units(case):
    name, r, _, below = case
    ids = {t.id for t in r.tables} | {c.id for c in r.charts}
    assert ("communes" in ids) is below and ("orgs_by_commune" in ids) is below
    if name == "province":  # one district: its communes, not one row equal to the total
        t = next(t for t in r.tables if t.id == "communes")
        assert len(t.rows) > 3 and all("xã" in t.texts()[i][0] or "thị trấn" in
                                       t.texts()[i][0] for i in range(len(t.rows) - 1))
    if name == "one-org":  # one sector, nothing to compare
        assert "sectors" not in ids and "htx_by_sector" not in ids


def test_axis_numbers_are_vietnamese(case):
    _, r, _, _ = case
    for c in r.charts:
        c.figure.canvas.draw()
        numeric = 0
        for ax in c.figure.axes:
            for axis, ticks in ((ax.xaxis, ax.get_xticklabels()),
                                (ax.yaxis, ax.get_yticklabels())):
                texts = [t.get_text() for t in ticks if t.get_text()]
                assert not [t for t in texts if "−" in t or re.search(r"\d\.\d{1,2}$", t)]
                if isinstance(axis.get_major_formatter(), Ticks):
                    numeric += 1
                    bad = [t for t in texts if not VIETNAMESE.fullmatch(t)
                           or re.fullmatch(r"-0(,0+)?", t)
                           or "," in t]  # every chart counts: whole numbers
                    assert not bad, (c.id, bad)
        assert numeric >= 1, c.id  # the value axis has the Vietnamese formatter


def test_the_renderers_take_the_tree(case, tmp_path):
    _, r, _, _ = case
    html = "".join(fragment(r, w) for w in ["head", *(p.id for p in r.parts), "footer"])
    assert [int(n) for n in re.findall(r"Bảng (\d+)\.", html)] == [
        t.number for t in r.tables]
    assert [int(n) for n in re.findall(r"Biểu đồ (\d+)\.", html)] == [
        c.number for c in r.charts]
    paths = write(r, "docx,xlsx", tmp_path)
    d = docx.Document(str(paths[0]))
    assert len(d.inline_shapes) == len(r.charts)
    captions = [p.text for p in d.paragraphs]
    assert all(f"Bảng {t.number}. {t.caption}" in captions for t in r.tables)
    sheets = load_workbook(paths[1]).sheetnames
    assert [s for s in sheets if s.startswith("Biểu")] == [
        f"Biểu {i:02d}" for i in range(1, len(r.tables) + 1)]


@pytest.mark.parametrize(("locs", "want"), [
    ([-0.1, -0.05, 0.0, 0.05, 0.1], ["-0,10", "-0,05", "0,00", "0,05", "0,10"]),
    ([0.0, 0.5, 1.0, 1.5], ["0,0", "0,5", "1,0", "1,5"]),
    ([0.0, 2000.0, 4000.0], ["0", "2.000", "4.000"]),
    ([-1e-17, 1.0, 2.0], ["0", "1", "2"]),  # never "-0"
])
def test_ticks(locs, want):
    assert Ticks().format_ticks(locs) == want


def test_empty_chart_is_left_out():
    """Figures return None rather than an empty plot (the old commune "Biểu đồ 2")."""
    class NoUnits:  # the one thing orgs_by_commune asks of a commune's facts
        def units(self, period="a"):
            import pandas as pd
            return pd.DataFrame(columns=["area_code", "area_name"])

    assert figures.orgs_by_commune(NoUnits(), "") is None


# -- one word, one meaning ----------------------------------------------------------------

def test_growth_and_ratio_are_labelled_apart():
    """`htx indicators` change_pct is growth (7,1 for 14 → 15 HTX); Bảng 1's comparison
    columns are the plan's ratio "so sánh (%)" (107,1). Their labels never coincide."""
    r = Session.open(params.check(data=SAMPLE_DIR, year=2025, as_of=AS_OF)).report()
    t = next(t for t in r.tables if t.id == "indicators")
    heads = t.labels()
    ratio = heads[5]
    growth = labels()["table"]["change_pct"]
    assert growth == "Tăng, giảm so với năm trước (%)"
    assert ratio == "Ước thực hiện 2024 so với năm 2023 (%)"
    assert heads[7] == "Kế hoạch 2025 so với ước thực hiện 2024 (%)"
    assert labels()["table"]["target_pct"] == "Tỷ lệ đạt kế hoạch (%)"
    assert growth not in heads and not any(h.startswith("Tăng") for h in heads)
    row = next(row for row in t.rows if row.code == "htx_count")
    table = indicator_table(open_registry(SAMPLE_DIR), AS_OF, area="535")
    own = table[(table["area_code"] == "535") & (table["code"] == "htx_count")
                & (table["breakdown"] == "") & (table["kind"] == "estimate")]
    assert float(own["change_pct"].iloc[0]) == pytest.approx(7.14, abs=0.01)  # growth
    assert row.cells[5].value == pytest.approx(107.14, abs=0.01)  # ratio


def test_a_report_as_of_the_last_day_of_year_n_lists_each_commune_once():
    """As of 31/12/2024 the year to date is the whole year, and its estimate has the same
    period id ("2024"): the communes' table and the breakdowns read each figure once."""
    r = Session.open(params.check(data=SAMPLE_DIR, year=2025, as_of="31/12/2024")).report()
    communes = next(t for t in r.tables if t.id == "communes")
    names = [row.cells[0] for row in communes.rows if row.kind == "normal"]
    assert len(names) == len(set(names)) == 19 and "xã Ba Vì" in names
    assert r.info.periods["a"] == r.info.periods["e"] == "2024"
