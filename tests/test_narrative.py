"""Sentences, judgements, targets and tables written from the indicator table."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest

from htxlib.indicators import indicator_table
from htxlib.inputs.registry import open_registry
from htxlib.report import narrative as nv
from htxlib.report import tables
from htxlib.report import targets as tg
from htxlib.report.cells import Number
from htxlib.report.facts import gather
from tests.conftest import org, rec, value, write_input

AS_OF = dt.date(2024, 6, 10)


@pytest.fixture(scope="module")
def facts(sample):
    return gather(sample, "535", 2025, AS_OF)


@pytest.mark.parametrize(("name", "value", "start"), [
    ("no_revenue_share", 80.0, "Phần lớn hợp tác xã chưa phát sinh doanh thu"),
    ("no_revenue_share", 50.0, "Phần lớn"),
    ("no_revenue_share", 49.9, "Một số hợp tác xã"),
    ("no_revenue_share", 0.0, "Đa số hợp tác xã đã có doanh thu"),
    ("no_revenue_share", math.nan, "chưa có số liệu"),  # never the mildest by default
    ("untrained_share", math.nan, "chưa có số liệu"),
    ("untrained_share", 73.3, "phần lớn chưa qua đào tạo"),
    ("top_sector_share", 89.2, "Hầu hết"),
    ("top_sector_share", 60.0, "Phần lớn"),
    ("completion", 100.0, "đã hoàn thành"),
    ("completion", 99.9, "chưa hoàn thành"),
])
def test_judgements_follow_the_thresholds(name, value, start):
    assert nv.judge(name, value).startswith(start)


@pytest.mark.parametrize(("code", "period", "expected"), [
    ("htx_count", "a", "tăng 1 HTX (7,1%) so với năm 2023"),
    ("tht_count", "a", "tăng 1 THT (4,8%) so với năm 2023"),
    ("htx_regular_workers", "a", "không biến động so với năm 2023"),
    ("htx_revenue_avg", "e", "giảm 4,1 triệu đồng (4,4%) so với năm 2023"),
    ("htx_members", "e", "tăng 16 thành viên (5,9%) so với năm 2023"),
])
def test_change_phrases(facts, code, period, expected):
    marked = nv.change(facts, code, period)
    assert nv.plain(marked) == expected
    change, = nv.cite("{{ x }}", x=marked).changes()  # it knows its figure and periods
    assert (change.code, change.base, change.text) == (code, "2023", expected)


def test_a_change_names_its_figure_or_its_date(facts):
    named = nv.plain(nv.change(facts, "htx_count", named=True, against=False))
    assert named == "số HTX tăng 1 HTX (7,1%)"
    assert nv.plain(nv.change(facts, "htx_members", "e", "a")) == (
        "không biến động so với ngày 10/6/2024")


def test_sentences_carry_plan_151s_figures(facts):
    ctx = nv.context(facts)
    text = " ".join(nv.sentence(k, facts, ctx) for k in ("quantity", "members", "managers"))
    for fragment in ("37 tổ chức", "22 tổ hợp tác", "15 hợp tác xã", "288 thành viên",
                     "10 lao động thường xuyên", "45 cán bộ quản lý", "15 cán bộ chủ chốt",
                     "440 lao động", "Đồng Tâm, xã Ba Vì"):
        assert fragment in text, fragment
    assert nv.sentence("models", facts, ctx) == "Không có."
    assert all(line.endswith("Không có.") for line in nv.support(facts))


def test_plan_targets_gap_and_feasibility(facts):
    by_code = {t.code: t for t in tg.plan_targets(facts)}
    new = by_code["htx_new"]
    assert new.target_text == "01 - 02 HTX" and "thành lập mới 01 - 02 HTX" in new.gap
    assert "bình quân 1 HTX/năm" in new.feasibility and "phù hợp" in new.feasibility
    good = by_code["htx_good_fair_share"]  # 50% of 15 HTX = 8 (rounded up), 2 now
    assert good.target_text == "từ 50% trở lên" and good.gap.startswith("cần thêm 6 HTX")
    assert "khó đạt" in good.feasibility
    chain = by_code["htx_agri_value_chain_share"]  # 15% of 13 agricultural HTX = 2
    assert chain.target_text == "khoảng 15%" and chain.gap.startswith("cần thêm 2 HTX")


def test_period_targets_completion(facts):
    items = {t.code: t for t in tg.period_targets(facts)}
    count = items["htx_count"]
    assert (count.estimate, count.target, round(count.pct, 1)) == (15, 20, 75.0)
    assert count.completion == "chưa hoàn thành" and count.gap == "cần thêm 5 HTX"
    assert "khó đạt" in count.feasibility  # 1 HTX a year over 2021–2024, 5 missing in 2025
    text = tg.sentences(list(items.values()), facts, period=True)
    assert "75% chỉ tiêu" in text[0]


@pytest.mark.parametrize(("htx_new", "tht_new", "says"), [
    (1, 1, "thành lập mới 1 HTX và 1 THT."),
    (2, 0, "thành lập mới 2 HTX."),
    (0, 3, "thành lập mới 3 THT."),
    (0, 0, "chưa có tổ chức nào thành lập mới."),
])
def test_new_organisations_name_only_what_was_founded(facts, htx_new, tht_new, says):
    ctx = nv.context(facts)
    ctx["a"] = type(ctx["a"])({**ctx["a"], "htx_new": htx_new, "tht_new": tht_new},
                              ctx["a"].period)
    text = nv.sentence("status", facts, ctx)
    assert f"đến ngày 10/6/2024 {says}" in text and " 0 " not in text


def test_target_tables_show_values_with_their_units(facts):
    year = {t[0]: t for t in tables.targets(facts, tg.plan_targets(facts)).texts()}
    good = next(r for label, r in year.items() if "tốt, khá" in label)
    assert good[1:4] == ["13,3%", "13,3%", "từ 50% trở lên"]
    period = tables.period_targets(facts, tg.period_targets(facts)).texts()
    assert [r[1:3] for r in period] == [["15 HTX", "75%"], ["288 thành viên", "82,3%"]]


@pytest.mark.parametrize(("v", "unit", "text"), [
    (15.0, "HTX", "15 HTX"), (13.33, "%", "13,3%"), (1290.0, "triệu đồng", "1.290 triệu đồng"),
    (1234567.0, "", "1.234.567"), (math.nan, "HTX", "-"), (None, "%", "-"),
])
def test_table_value_formats(v, unit, text):
    assert Number(v, unit, unit_inline=True).text() == text


def test_indicator_table_layout(facts):
    t = tables.indicators(facts)
    rows = {r[0]: r for r in t.texts()}
    assert t.labels()[2:5] == ["Thực hiện năm 2023", "Thực hiện đến 10/6/2024",
                              "Ước thực hiện năm 2024"]
    assert rows["Tổng số hợp tác xã"][2:6] == ["14", "15", "15", "107,1"]
    assert rows["- Số hợp tác xã thành lập mới"][6:8] == ["1 - 2", "100 - 200"]
    assert rows["Tỷ lệ hợp tác xã đạt loại tốt, khá trên tổng số HTX"][6] == "50"
    assert rows["Tổng tài sản của hợp tác xã"][4] == "4.215"


def test_commune_and_sector_tables_add_up(facts):
    for t in (tables.communes(facts), tables.sectors(facts)):
        body, total = t.rows[:-1], t.rows[-1]
        assert total.kind == "total" and all(r.kind == "normal" for r in body)
        for col in range(1, len(t.labels())):
            assert sum(r.cells[col].value for r in body) == pytest.approx(total.cells[col].value)
            assert all(isinstance(r.cells[col], Number) for r in t.rows)


def _no_estimate_registry(tmp: Path):
    orgs = [org("A1"), org("A2", commune="B")]
    recs = [rec("A1", "31/12/2023", "Thực hiện cả năm", members=8, revenue=300),
            rec("A1", "30/6/2024", members=10, revenue=100, regular_workers=2),
            rec("A2", "30/6/2024", members=6, revenue=0)]
    return open_registry(write_input(tmp, organisations=orgs, records=recs))


def test_derived_estimate_rule(tmp_path):
    reg = _no_estimate_registry(tmp_path)
    t = indicator_table(reg, "2024-06-30")
    est = t[t["kind"] == "estimate"]
    assert est["derived"].all() and not t[t["kind"] != "estimate"]["derived"].any()
    factor = 366 / 182  # 2024 is a leap year; 01/01–30/6 is 182 days
    assert value(t, "htx_members", "2024", kind="estimate") == 16  # stocks carried
    assert value(t, "htx_revenue", "2024", kind="estimate") == pytest.approx(100 * factor)
    assert value(t, "htx_revenue_avg", "2024", kind="estimate") == pytest.approx(
        100 * factor / 2)  # ratios recomputed from the annualised sum
    assert value(t, "htx_revenue", "2024-06-30") == 100  # the as-of row untouched


@pytest.mark.parametrize(("code", "expected"), [
    ("htx_good_fair_share", "share"), ("htx_managers_trained_share", "share"),
    ("htx_new", "flow"), ("tht_new", "flow"), ("htx_new_members", "flow"),
    ("htx_revenue_avg", "level"), ("htx_income_avg", "level"), ("htx_revenue", "level"),
    ("htx_count", "stock"), ("htx_members", "stock"),
])
def test_target_kinds(code, expected):
    assert tg.kind(code) == expected


def test_targets_on_averages_and_money_are_gaps_in_their_unit(tmp_path):
    """An average revenue of 3.200 triệu đồng/HTX is not reached by 1.000 (not a share)."""
    orgs = [org("A1"), org("A2")]
    recs = [rec(o, f"31/12/{y}", "Thực hiện cả năm", members=10, revenue=r)
            for y, r in ((2022, 1200), (2023, 1100)) for o in ("A1", "A2")]
    recs += [rec(o, "30/6/2024", members=10, revenue=500) for o in ("A1", "A2")]
    recs += [rec(o, "31/12/2024", "Ước thực hiện cả năm", members=10, revenue=1000)
             for o in ("A1", "A2")]
    targets = [{"area": "Tỉnh Thử", "period": "2025", "indicator": "htx_revenue_avg",
                "target_min": "3.200", "unit": "triệu đồng/HTX", "text": "Doanh thu bình quân"},
               {"area": "Tỉnh Thử", "period": "2025", "indicator": "htx_revenue",
                "target_min": "1.500", "unit": "triệu đồng", "text": "Tổng doanh thu"}]
    reg = open_registry(write_input(tmp_path, organisations=orgs, records=recs, targets=targets))
    assert reg.ok, reg.problems.frame()
    province = reg.areas.resolve("Tỉnh Thử")[0]
    items = {t.code: t for t in tg.plan_targets(gather(reg, province, 2025, dt.date(2024, 6, 30)))}
    avg, total = items["htx_revenue_avg"], items["htx_revenue"]
    assert avg.estimate == 1000
    assert avg.gap == "cần tăng thêm 2.200 triệu đồng/HTX so với ước năm 2024"
    assert "bình quân mỗi năm giảm 100 triệu đồng/HTX" in avg.feasibility  # 1.200 → 1.000
    assert "khó đạt" in avg.feasibility
    assert total.estimate == 2000 and total.gap == "đã đạt"


@pytest.mark.parametrize(("year", "label"), [
    (2022, "2021-2025"), (2025, "2021-2025"), (2026, "2021-2025"), (2027, "2026-2030"),
    (2031, "2026-2030"), (2032, "2031-2035"),
])
def test_period_without_period_targets_is_the_five_year_cycle_of_year_n(facts, year, label):
    other = type(facts)(facts.table.iloc[0:0], facts.area, facts.area_name, facts.level, year,
                        facts.as_of)
    assert other.period_label == label


def test_period_targets_are_those_of_the_period_holding_year_n(facts):
    assert facts.period_label == "2021-2025" and facts.periods["period"] == "2021-2025"


def _with(facts, **values):
    """The sample's template context with some values of the as-of (a.) or estimate (e.)."""
    ctx = nv.context(facts)
    for key, v in values.items():
        period, code = key.split("__")
        ctx[period] = type(ctx[period])({**ctx[period], code: v}, ctx[period].period)
    if "a__htx_managers" in values:
        ctx["untrained_share"] = math.nan if not values["a__htx_managers"] else 10.0
    return ctx


@pytest.mark.parametrize(("key", "values", "has", "lacks"), [
    ("business", {"e__htx_profit_avg": -12.5}, "lỗ bình quân 12,5 triệu đồng/HTX", "-12"),
    ("business", {"e__htx_profit_avg": 3.0}, "lãi bình quân 3 triệu đồng/HTX", "chưa có lãi"),
    ("business", {"a__htx_no_revenue": 0.0, "a__htx_no_revenue_share": 0.0},
     "Cả 15 HTX có số liệu báo cáo đều có doanh thu.", "0/15"),
    ("business", {"a__htx_no_revenue": 2.0, "a__htx_no_revenue_share": 13.3},
     "Đa số hợp tác xã đã có doanh thu, một số ít chưa phát sinh doanh thu: 2/15 HTX", "duy trì"),
    ("business", {"a__htx_reporting": 0.0, "e__htx_reporting": 0.0},
     "Các HTX chưa báo cáo doanh thu, thu nhập.", "Ước cả năm"),
    ("quantity", {"a__lhhtx_count": 2.0},
     "gồm 22 tổ hợp tác (THT), 15 hợp tác xã (HTX) và 2 liên hiệp hợp tác xã (LHHTX).", " và 15"),
    ("quantity", {}, "gồm 22 tổ hợp tác (THT) và 15 hợp tác xã (HTX). So với năm 2023, số THT "
     "tăng 1 THT (4,8%), số HTX tăng 1 HTX (7,1%).", "LHHTX"),
    ("quantity", {"a__htx_count": 0.0, "a__org_count": 22.0},
     "có 22 tổ hợp tác (THT), chưa có hợp tác xã (HTX).", "gồm"),
    ("managers", {"a__htx_managers": 0.0}, "Chưa có số liệu về cán bộ quản lý", "đa số"),
    ("managers", {"a__htx_managers": 30.0},
     "đa số đã qua đào tạo, bồi dưỡng (còn", "phần lớn"),
    ("sectors", {"a__org_count": 0.0}, "Không có tổ chức kinh tế tập thể nào", "0/0"),
    ("impact", {"a__htx_reporting": 0.0}, "Chưa có số liệu doanh thu", "cung ứng dịch vụ đầu vào"),
    ("members", {"a__htx_official_members": 0.0}, "288 thành viên", "0 thành viên chính thức"),
    ("members", {"e__htx_members": 300.0}, "Ước đến ngày 31/12/2024, HTX có 300 thành viên, ",
     "giữ nguyên"),
    ("members", {}, "Ước đến ngày 31/12/2024, số thành viên, lao động của HTX, THT giữ nguyên "
     "như tại ngày 10/6/2024.", "biến động so với ngày"),
    ("sectors", {}, "nông nghiệp 13 HTX; công nghiệp", "quỹ tín dụng"),
    ("status", {"a__htx_operating": 12.0, "a__htx_stopped": 3.0},
     "Trong 15 HTX, 12 HTX đang hoạt động", "Cả 15"),
])
def test_sentences_read_right_for_unusual_data(facts, key, values, has, lacks):
    text = nv.sentence(key, facts, _with(facts, **values))
    assert has in text and lacks not in text, text


@pytest.mark.parametrize(("beneficiaries", "funds", "text"), [
    (10, 1259.0, "Đất đai: hỗ trợ 10 lượt, tổng kinh phí 1.259 triệu đồng."),
    (0, 50.0, "Đất đai: tổng kinh phí 50 triệu đồng."),
    (3, 0.0, "Đất đai: hỗ trợ 3 lượt."),
    (0, 0.0, "Đất đai: Không có."),
])
def test_support_lines(beneficiaries, funds, text):
    template = nv.texts()["sentences"]["support_group"]
    assert nv.render(template, label="Đất đai", beneficiaries=beneficiaries, funds=funds) == text


def test_rating_rows_only_when_the_data_has_ratings(facts, tmp_path):
    labels = [r[0] for r in tables.indicators(facts).texts()]
    assert "- Số hợp tác xã đạt loại tốt, khá" in labels  # the sample has ratings
    reg = open_registry(write_input(tmp_path, organisations=[org("A1")],
                                    records=[rec("A1", "30/6/2024", members=9)]))
    bare = gather(reg, reg.areas.resolve("Tỉnh Thử")[0], 2025, dt.date(2024, 6, 30))
    labels = [r[0] for r in tables.indicators(bare).texts()]
    assert "- Số hợp tác xã đạt loại tốt, khá" not in labels and "Tổng số hợp tác xã" in labels
    # rated, none of them good or fair: 0 is a figure, the rows stay
    weak = tmp_path / "weak"
    reg = open_registry(write_input(weak, organisations=[org("A1")],
                                    records=[rec("A1", "30/6/2024", members=9, rating="Yếu")]))
    assert reg.ok, reg.problems.frame()
    rated = gather(reg, reg.areas.resolve("Tỉnh Thử")[0], 2025, dt.date(2024, 6, 30))
    rows = {r[0]: r for r in tables.indicators(rated).texts()}
    assert rows["- Số hợp tác xã đạt loại tốt, khá"][3] == "0"


@pytest.mark.parametrize(("label", "value", "text"), [
    ("Quỹ tín dụng nhân dân", 5.0, "5 quỹ tín dụng nhân dân (QTDND)"),
    ("Nông nghiệp", 13.0, "nông nghiệp 13 HTX"),
    ("Thương mại - dịch vụ", 1.0, "thương mại - dịch vụ 1 HTX"),
])
def test_a_sector_is_counted_by_the_name_its_cooperatives_go_by(label, value, text):
    assert nv.sector_count(label, value) == text


def test_the_business_sentence_does_not_repeat_the_status_claim(facts):
    """"cầm chừng" is a status (Bảng 1 counts it); the revenue sentence says only revenue."""
    status, business = nv.sentence("status", facts), nv.sentence("business", facts)
    assert "cầm chừng" in status and "cầm chừng" not in business
    assert "12/15 HTX có số liệu báo cáo chưa có doanh thu" in business
