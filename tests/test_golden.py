"""The bundled sample reproduces every figure that plan 151/KH-UBND (Ba Tơ, 2025) prints."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import AS_OF

BA_TO = "535"

# (code, breakdown, category, value at 10/6/2024) as printed in the plan.
PLAN_151 = [
    ("org_count", "", "", 37),            # 37 THT, HTX
    ("org_operating", "", "", 37),        # all of them operating
    ("tht_count", "", "", 22),            # THT là 22
    ("tht_workers", "", "", 440),         # tổng số lao động của các tổ hợp tác là 440
    ("htx_count", "", "", 15),            # HTX là 15
    ("htx_members", "", "", 288),         # 288 thành viên
    ("htx_regular_workers", "", "", 10),  # 10 lao động (HTX Đồng Tâm xã Ba Vì)
    ("htx_managers", "", "", 45),         # tổng số cán bộ quản lý: 45 người
    ("htx_key_officers", "", "", 15),     # 15 cán bộ chủ chốt
    ("lhhtx_count", "", "", 0),
    ("org_value_chain", "", "", 0),       # mô hình chuỗi giá trị: Không có
    ("org_high_tech", "", "", 0),         # ứng dụng công nghệ cao: Không có
    ("htx_profit", "", "", 0),            # không có lợi nhuận
]


def _row(table: pd.DataFrame, code: str, period: str, kind: str, breakdown: str = "",
         category: str = "", area: str = BA_TO) -> pd.Series:
    rows = table[(table["area_code"] == area) & (table["code"] == code)
                 & (table["period"] == period) & (table["kind"] == kind)
                 & (table["breakdown"] == breakdown) & (table["category"] == category)]
    assert len(rows) == 1, (code, period, kind, len(rows))
    return rows.iloc[0]


@pytest.mark.parametrize(("code", "breakdown", "category", "expected"), PLAN_151,
                         ids=[c[0] for c in PLAN_151])
def test_plan_151_figures_at_as_of_date(sample_table, code, breakdown, category, expected):
    assert _row(sample_table, code, AS_OF, "actual", breakdown, category)["value"] == expected


@pytest.mark.parametrize("code", ["org_count", "tht_count", "tht_workers", "htx_count",
                                  "htx_members", "htx_regular_workers", "htx_managers"])
def test_estimate_2024_unchanged(sample_table, code):
    """"Ước năm 2024 ... không có sự biến động": the estimate equals the as-of figures."""
    assert (_row(sample_table, code, "2024", "estimate")["value"]
            == _row(sample_table, code, AS_OF, "actual")["value"])


def test_all_regular_workers_in_dong_tam_ba_vi(sample, sample_table):
    ba_vi = sample.areas.resolve("xã Ba Vì", when=AS_OF)
    assert len(ba_vi) == 1
    assert _row(sample_table, "htx_regular_workers", AS_OF, "actual", area=ba_vi[0])["value"] == 10
    communes = sample_table[(sample_table["parent_code"] == BA_TO)
                            & (sample_table["code"] == "htx_regular_workers")
                            & (sample_table["period"] == AS_OF)
                            & (sample_table["breakdown"] == "")]
    assert (communes["value"] > 0).sum() == 1
    dong_tam = sample.organisations[sample.organisations["name"].str.contains("Đồng Tâm")]
    assert list(dong_tam["area_code"]) == ba_vi


def test_managers_mostly_untrained(sample_table):
    untrained = _row(sample_table, "htx_managers", AS_OF, "actual", "training", "untrained")
    assert untrained["value"] > 45 / 2
    share = _row(sample_table, "htx_managers_trained_share", AS_OF, "actual")
    assert share["value"] < 50 and share["denominator"] == 45


def test_mostly_agriculture_and_little_revenue(sample_table):
    agri = _row(sample_table, "org_count", AS_OF, "actual", "sector", "agriculture")["value"]
    assert agri > 37 / 2
    no_revenue = _row(sample_table, "htx_no_revenue_share", AS_OF, "actual")
    assert no_revenue["value"] > 50 and no_revenue["denominator"] == 15


def test_no_support_in_2024(sample_table):
    assert _row(sample_table, "support_beneficiaries", AS_OF, "actual")["value"] == 0
    assert _row(sample_table, "support_funds", AS_OF, "actual")["value"] == 0


@pytest.mark.parametrize(("code", "low", "high", "unit"), [
    ("htx_new", 1, 2, "HTX"),
    ("htx_good_fair_share", 50, None, "%"),
    ("htx_agri_value_chain_share", 15, 15, "%"),
])
def test_2025_targets(sample_table, code, low, high, unit):
    row = _row(sample_table, code, "2025", "plan")
    assert row["value"] == low and row["unit"] == unit
    assert (pd.isna(row["value_max"]) if high is None else row["value_max"] == high)
    assert isinstance(row["note"], str) and row["note"]
