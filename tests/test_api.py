"""The analyst's API (``htxlib.open_data`` and a session's views): the period asked for,
not the history; series that keep a merged commune's earlier years; units compared with
absent figures kept absent; tables in the CSV files' Vietnamese; errors in Vietnamese."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

import htxlib
from htxlib.config import DATA_DIR
from htxlib.inputs.scope import ScopeError
from htxlib.render.csvfile import for_people
from htxlib.report.params import ParamError

FORMS = DATA_DIR / "sample" / "ba-to-2025"


@pytest.fixture(scope="module")
def forms():
    return htxlib.open_data(FORMS, as_of="30/9/2025")


@pytest.fixture(scope="module")
def records():
    return htxlib.open_data(as_of="10/6/2024")


def test_open_data_works_out_the_year_and_the_latest_date():
    s = htxlib.open_data(FORMS)
    assert s.as_of == dt.date(2026, 12, 14) and s.params.year == 2027
    half = htxlib.open_data(FORMS, edition="mid-year")
    assert half.as_of == dt.date(2026, 6, 14) and half.params.year == 2026
    with pytest.raises(ParamError, match="“quý” không hợp lệ.*mid-year"):
        htxlib.open_data(FORMS, edition="quý")


def test_the_indicator_table_is_the_period_asked_for_of_the_area_asked_for(records):
    t = records.indicators("Ba Tơ")
    assert set(t["period"]) == {"2024-06-10"} and set(t["area_code"]) == {"535"}
    assert t["code"].is_unique  # totals only: one row a code
    assert records.indicators("Ba Tơ", 2023)["period"].unique().tolist() == ["2023"]
    whole = records.indicators("Ba Tơ", history=True, codes="htx_count")
    assert whole["period"].tolist() == ["2021", "2022", "2023", "2024-06-10", "2024",
                                        "2021-2025"]  # and the plan for the period
    assert whole["kind"].tolist()[-2:] == ["estimate", "plan"]
    assert whole["value"].tolist() == [12, 13, 14, 15, 15, 20]
    main = records.indicators("Ba Tơ", main=True)
    assert main["code"].tolist() == list(htxlib.main_indicators())
    asked = records.indicators("Ba Tơ", codes=["htx_members", "htx_count"])
    assert asked["code"].tolist() == ["htx_members", "htx_count"]
    assert asked["value"].tolist() == [288, 15]
    below = records.indicators("Ba Tơ", codes="htx_count", units=True)
    assert below["area_code"].nunique() > 10 and "535" in set(below["area_code"])


def test_a_period_or_a_code_the_table_does_not_have_is_said_in_vietnamese(records):
    with pytest.raises(ScopeError, match="không có kỳ “2019”.*2021, 2022, 2023, 10/6/2024"):
        records.indicators("Ba Tơ", 2019)
    with pytest.raises(ScopeError, match="htx_cuont.*htx_count"):
        records.indicators("Ba Tơ", codes="htx_cuont")
    with pytest.raises(ScopeError, match="phân tổ “colour”"):
        records.breakdown("htx_count", "colour", "Ba Tơ")


def test_a_merged_communes_series_keeps_its_old_communes_years():
    """From the 2026 forms alone the table starts in 2025, the year of the merger; the
    2025 forms' "Thực hiện năm 2024" column gives xã Ba Vì its old communes' 2024."""
    s = htxlib.open_data(FORMS, as_of="14/12/2026")
    assert str(s.values.periods["year"].min()) == "2025"  # the report's own table
    ba_vi = s.series(["htx_count", "htx_members"], "xã Ba Vì")
    assert ba_vi.index.tolist() == [2024, 2025, 2026]
    assert ba_vi["htx_count"].tolist() == [2, 3, 3]
    assert ba_vi["estimate"].tolist() == [False, False, True]
    assert ba_vi.loc[2024, "predecessors"] == "xã Ba Ngạc, xã Ba Tiêu, xã Ba Vì"
    assert ba_vi.loc[2025, "predecessors"] == ""
    province = s.indicators("Quảng Ngãi", history=True, codes="htx_count")
    assert province.loc[province["period"] == "2024", "value"].tolist() == [15]


def test_a_series_from_records_marks_the_estimate(records):
    s = records.series("htx_count", "Ba Tơ")
    assert s["htx_count"].tolist() == [12, 13, 14, 15]
    assert s["estimate"].tolist() == [False, False, False, True]


def test_comparing_units_keeps_absent_figures_absent(forms):
    c = forms.compare(["htx_count", "htx_revenue_avg"], "Quảng Ngãi")
    assert len(c) == 8  # the communes with figures; the 88 without are in .forms()
    assert c["area_name"].iloc[0] == "xã Ba Vì" and c["htx_count"].iloc[0] == 3
    assert c["htx_count"].is_monotonic_decreasing
    assert (c["htx_revenue_avg"] >= 0).all()
    s = htxlib.open_data(as_of="10/6/2024")  # a province of one district: its communes
    c = s.compare("htx_revenue_avg", "Quảng Ngãi")
    assert len(c) == 19 and c["area_code"].str.startswith("21").all()
    none = c[c["area_name"] == "xã Ba Bích"]["htx_revenue_avg"]
    assert none.isna().all()  # no HTX, so no average: absent, not 0
    assert htxlib.vi(c).set_index("Địa bàn").loc["xã Ba Bích"].iloc[-1] == "-"


def test_breakdown_units_and_forms(records, forms):
    b = records.breakdown("htx_managers", "training", "Ba Tơ")
    assert b["value"].sum() == records.indicators("Ba Tơ", codes="htx_managers")["value"][0]
    u = forms.units("Quảng Ngãi")
    old = u[u["area_code"] == "21505"].iloc[0]  # xã Ba Ngạc, merged into xã Ba Vì
    assert not old["exists"] and old["merged_into"] == "21529"
    assert u.loc[u["area_code"] == "21529", "forms"].item() == 1  # up to 30/9/2025
    sent = forms.forms("Quảng Ngãi")
    assert sorted(sent.loc[sent["sent"], "area_code"]) == [
        "21484", "21490", "21496", "21499", "21520", "21523", "21529", "21538"]
    assert sent.loc[sent["area_code"] == "21529", "file"].item() == "21529.xlsx"
    checks = forms.checks(forms=True)
    assert set(checks["code"]) == {"submission_missing"}


def test_vietnamese_headers_are_the_csv_files_own(records):
    t = records.indicators("Ba Tơ", codes=["htx_count", "htx_revenue_avg"])
    shown = htxlib.vi(t)
    csv = for_people(records.table("Ba Tơ"), "indicators")
    assert set(shown.columns) <= set(csv.columns)
    assert shown["Loại số liệu"].tolist() == ["Thực hiện", "Thực hiện"]
    assert shown["Kỳ"].tolist() == ["10/6/2024", "10/6/2024"]
    assert shown["Giá trị"].tolist()[0] == "15"  # not 15.000000
    assert "," in shown.loc[1, "Giá trị"] or shown.loc[1, "Giá trị"].isdigit()
    assert t["value"].dtype == float  # the codes' frame keeps numbers
    kept = htxlib.vi(t, numbers=False)
    assert kept["Giá trị"].tolist() == t["value"].tolist()
    nan = htxlib.vi(pd.DataFrame({"value": [math.nan, 0.0, 1234.5]}))
    assert nan["Giá trị"].tolist() == ["-", "0", "1.234,5"]
    problems = htxlib.vi(records.checks())
    assert "Mã vấn đề" in problems.columns or problems.empty


def test_the_input_sheets_read_as_the_workbook_heads_them(records):
    """The codes the issue saw (org_type, barely_operating) become the workbook's words."""
    shown = htxlib.vi(records.registry.organisations)
    assert {"Loại hình", "Tình trạng", "Ngày thành lập"} <= set(shown.columns)
    assert "org_type" not in shown.columns
    assert set(shown["Tình trạng"]) >= {"Hoạt động cầm chừng", "Đang hoạt động"}
    assert "barely_operating" not in set(shown["Tình trạng"])
    assert shown["Đã sửa đổi điều lệ theo Luật HTX 2023"].isin(["Có", "Không", ""]).all()


def test_reprs_are_summaries(forms):
    assert len(repr(forms).splitlines()) < 15
    assert len(repr(forms.registry).splitlines()) < 10
    assert "24 biểu của 8 đơn vị" in repr(forms.registry)
    html = forms.problems._repr_html_()
    assert "Mức độ" in html and html.count("<tr>") < 20
    assert repr(forms.problems).splitlines()[1].startswith("CẢNH BÁO [Biểu]: Chưa có số liệu")
    areas = repr(forms.registry.areas).splitlines()
    assert len(areas) == 5 and areas[3].split()[-1] == "115"  # communes, old and new
    exhibits = forms.exhibits("Quảng Ngãi")
    assert repr(exhibits).splitlines()[1].strip().startswith("Bảng 1.")
    table = next(b for b in exhibits if hasattr(b, "rows"))
    assert repr(table).splitlines()[0] == table.title and "102,7" in repr(table)
    chart = next(b for b in exhibits if hasattr(b, "figure"))
    assert repr(chart) == f"{chart.title}\n{chart.alt}"


PUBLIC = ["htxlib.api.data", "htxlib.api.views", "htxlib.api.inventory", "htxlib.api.words",
          "htxlib.plot.frames"]


@pytest.mark.parametrize("name", PUBLIC)
def test_the_examples_in_the_docstrings_run(name, monkeypatch, capsys):
    """The reference (docs/api/) shows these examples: each must give what it says."""
    import doctest
    import importlib

    from htxlib.config import PROJECT_DIR

    monkeypatch.chdir(PROJECT_DIR)  # the examples name the samples from the project folder
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    result = doctest.testmod(importlib.import_module(name), optionflags=flags)
    assert result.attempted > 0
    assert result.failed == 0, capsys.readouterr().out
