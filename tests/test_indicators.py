"""Each indicator on small hand-made registries whose answers are worked out by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from htxlib.glossary import catalog
from htxlib.indicators import TABLE_COLUMNS, area_table, indicator_table, indicator_values
from htxlib.inputs.registry import open_registry
from tests.conftest import AS_OF, org, rec, value, write_input

AREAS = [
    {"area_code": "P", "name": "Thử", "unit_kind": "tỉnh", "level": "Tỉnh"},
    {"area_code": "D", "name": "Thử", "unit_kind": "huyện", "level": "Huyện",
     "parent_code": "P", "valid_to": "30/6/2025"},
    {"area_code": "A", "name": "A", "unit_kind": "xã", "level": "Xã", "parent_code": "D",
     "valid_to": "30/6/2025"},
    {"area_code": "B", "name": "B", "unit_kind": "xã", "level": "Xã", "parent_code": "D",
     "valid_to": "30/6/2025"},
    {"area_code": "C", "name": "C", "unit_kind": "xã", "level": "Xã", "parent_code": "D",
     "valid_to": "30/6/2025"},
    {"area_code": "AB", "name": "AB", "unit_kind": "xã", "level": "Xã", "parent_code": "P",
     "valid_from": "01/7/2025"},
]
ORGS = [
    org("H1", commune="A", founded="01/01/2015"),
    org("H2", commune="A", founded="15/03/2024", sector="Thương mại - dịch vụ"),
    org("H3", commune="B", founded="01/01/2010", status="Hoạt động cầm chừng",
        status_date="01/7/2023"),
    org("H4", commune="B", founded="01/01/2012", status="Giải thể tự nguyện",
        status_date="20/5/2024"),
    org("H5", commune="B", founded="01/01/2016", status="Ngừng hoạt động",
        status_date="01/02/2024", charter_amended="Có"),
    org("T1", "THT", commune="A", founded="01/01/2020"),
    org("T2", "THT", commune="B", founded="01/01/2021", status="Chuyển đổi",
        status_date="01/3/2024"),
    org("L1", "LHHTX", commune="A", founded="01/01/2022", sector="Công nghiệp"),
]
RECORDS = [
    rec("H1", "31/12/2023", "Thực hiện cả năm", members=20, regular_workers=4, managers=3,
        managers_untrained=2, managers_university=1, revenue=100, profit=10, rating="Khá",
        avg_income=5, income_unit="triệu đồng/người/tháng", value_chain="Có"),
    rec("H1", members=22, regular_workers=4, managers=3, managers_untrained=1,
        managers_elementary=1, revenue="1.000", profit="12,5", rating="Tốt", avg_income=60,
        income_unit="triệu đồng/người/năm", value_chain="Có", official_members=20),
    rec("H2", members=7, regular_workers=2, managers=2, revenue=0, profit=0,
        rating="Chưa xếp loại", avg_income=30, income_unit="triệu đồng/người/năm"),
    rec("H3", "31/12/2023", "Thực hiện cả năm", members=10, managers=3),
    rec("H3", members=9, managers=3, revenue=0, rating="Yếu"),
    rec("H5", members=8, managers=2),
    rec("T1", members=12, regular_workers=12, revenue=50),
    rec("L1", members=4),
    rec("H1", "31/12/2024", "Ước thực hiện cả năm", members=25, regular_workers=5),
]
TARGETS = [
    {"area": "Thử", "period": "2024", "indicator": "htx_members", "target_min": 50,
     "unit": "thành viên"},
    {"area": "Thử", "period": "2025", "indicator": "htx_new", "target_min": 1, "target_max": 2,
     "unit": "HTX", "text": "01 - 02 HTX"},
]
SUPPORT = [
    {"org_id": "H1", "year": 2024, "policy_group": "đào tạo", "beneficiaries": 2,
     "funds_central": 10, "funds_local": "2,5"},
    {"area": "Thử", "year": 2024, "policy_group": "Đất đai", "beneficiaries": 1,
     "funds_local": 100},
    {"area": "Thử", "year": 2023, "policy_group": "Đất đai", "beneficiaries": 9},
]


@pytest.fixture(scope="module")
def table(tmp_path_factory) -> pd.DataFrame:
    folder = write_input(tmp_path_factory.mktemp("hand"), organisations=ORGS, records=RECORDS,
                         areas=AREAS, targets=TARGETS, support=SUPPORT)
    reg = open_registry(folder)
    assert reg.ok, reg.problems.frame().to_string()
    return indicator_table(reg, AS_OF)


def test_columns_and_one_row_per_key(table):
    assert list(table.columns) == TABLE_COLUMNS
    keys = ["area_code", "period", "kind", "code", "breakdown", "category"]
    assert not table.duplicated(keys).any()


@pytest.mark.parametrize(("code", "period", "expected"), [
    # H1, H2, H3 (barely), H5 (stopped) exist at 10/6/2024; H4 dissolved 20/5/2024
    ("htx_count", AS_OF, 4), ("htx_operating", AS_OF, 3), ("htx_barely_operating", AS_OF, 1),
    ("htx_stopped", AS_OF, 1), ("htx_new", AS_OF, 1), ("htx_dissolved", AS_OF, 1),
    ("htx_charter_not_amended", AS_OF, 0),
    # at 31/12/2023: H1, H3 (barely from 01/7/2023), H4, H5 (not yet stopped)
    ("htx_count", "2023", 4), ("htx_barely_operating", "2023", 1), ("htx_stopped", "2023", 0),
    ("htx_operating", "2023", 4), ("htx_new", "2023", 0),
    ("tht_count", AS_OF, 1), ("tht_converted", AS_OF, 1), ("tht_count", "2023", 2),
    ("lhhtx_count", AS_OF, 1), ("org_count", AS_OF, 6), ("org_dissolved", AS_OF, 1),
    ("htx_agri_count", AS_OF, 3), ("qtdnd_count", AS_OF, 0),
])
def test_registry_counts(table, code, period, expected):
    assert value(table, code, period) == expected


@pytest.mark.parametrize(("code", "expected"), [
    ("htx_members", 22 + 7 + 9 + 8), ("htx_official_members", 20),
    # H5 gives no revenue, H3 no profit: neither is counted as "no revenue"/"no profit"
    ("htx_regular_workers", 6), ("htx_managers", 10), ("htx_reporting", 3),
    ("htx_revenue", 1000), ("htx_profit", 12.5), ("htx_no_revenue", 2), ("htx_no_profit", 1),
    ("htx_revenue_avg", pytest.approx(1000 / 3)), ("htx_profit_avg", pytest.approx(12.5 / 3)),
    ("htx_no_revenue_share", pytest.approx(200 / 3)),
    ("htx_income_total", 60 * 4 + 30 * 2), ("htx_income_workers", 6), ("htx_income_avg", 50),
    ("htx_managers_trained", 1), ("htx_managers_trained_share", 10),
    ("htx_rated_good", 1), ("htx_rated_weak", 1), ("htx_good_fair", 1),
    ("htx_good_fair_share", 25), ("htx_value_chain", 1), ("htx_agri_value_chain", 1),
    ("htx_agri_value_chain_share", pytest.approx(100 / 3, abs=1e-4)),
    ("tht_workers", 12), ("tht_members", 12), ("tht_revenue_avg", 50),
    ("lhhtx_member_htx", 4), ("org_value_chain", 1),
])
def test_record_measures(table, code, expected):
    assert value(table, code) == expected


def test_monthly_income_counts_twelve_times(table):
    assert value(table, "htx_income_avg", "2023") == 60  # 5 a month


def test_unreported_quantity_is_missing_not_zero(table):
    assert value(table, "htx_official_members", AS_OF) == 20
    assert math.isnan(value(table, "htx_official_members", "2023"))
    assert math.isnan(value(table, "tht_income_avg"))  # no income given: no average


def test_training_breakdown_adds_up_with_unknown(table):
    levels = table[(table["code"] == "htx_managers") & (table["breakdown"] == "training")
                   & (table["period"] == AS_OF) & (table["area_code"] == "P")]
    got = dict(zip(levels["category"], levels["value"], strict=True))
    assert got["untrained"] == 1 and got["elementary"] == 1
    assert got["unknown"] == 10 - 2
    assert sum(got.values()) == value(table, "htx_managers")


def test_ratio_denominator_is_carried(table):
    row = table[(table["code"] == "htx_revenue_avg") & (table["period"] == AS_OF)
                & (table["area_code"] == "P") & (table["breakdown"] == "")].iloc[0]
    assert row["denominator"] == 3 and row["denominator_code"] == "htx_reporting"


def test_breakdown_by_commune_is_the_child_units(table):
    for code in ("htx_count", "htx_members", "org_count"):
        children = table[(table["parent_code"] == "D") & (table["code"] == code)
                         & (table["period"] == AS_OF) & (table["breakdown"] == "")]
        assert set(children["area_code"]) == {"A", "B"}
        assert children["value"].sum() == value(table, code, area="D")
    # below the reporting area a row that says nothing is left out: C has no organisation
    assert not (table["area_code"] == "C").any()


def test_reporting_area_has_every_code_zeros_included(table):
    top = table[(table["area_code"] == "P") & (table["period"] == AS_OF)
                & (table["breakdown"] == "")]
    assert len(top) == len(catalog())
    assert value(table, "qtdnd_count") == 0


def test_previous_year_and_change(table):
    row = table[(table["code"] == "htx_members") & (table["period"] == AS_OF)
                & (table["area_code"] == "P") & (table["breakdown"] == "")].iloc[0]
    assert row["previous_value"] == 30 and row["change"] == 16
    assert row["change_pct"] == pytest.approx(53.33)


def test_estimate_period(table):
    assert value(table, "htx_members", "2024", kind="estimate") == 25
    assert value(table, "htx_count", "2024", kind="estimate") == 4  # registry at the as-of date


def test_targets_and_target_pct(table):
    assert value(table, "htx_new", "2025", kind="plan") == 1
    row = table[(table["code"] == "htx_members") & (table["period"] == AS_OF)
                & (table["area_code"] == "P") & (table["breakdown"] == "")].iloc[0]
    # "Thử" names both the province and the district: the higher level wins
    assert row["target"] == 50 and row["target_pct"] == pytest.approx(92.0)


def test_support_by_year_and_group(table):
    assert value(table, "support_beneficiaries") == 3
    assert value(table, "support_funds") == 112.5
    assert value(table, "support_funds", "2023") == 0
    assert value(table, "support_beneficiaries", "2023") == 9
    assert value(table, "support_funds_local", breakdown="policy_group", category="land") == 100
    assert value(table, "support_beneficiaries", area="A") == 2  # H1 is in commune A


def test_area_filter_keeps_unit_and_below(tmp_path):
    folder = write_input(tmp_path, organisations=ORGS, records=RECORDS, areas=AREAS)
    t = indicator_table(open_registry(folder), AS_OF, area="D")
    assert set(t["area_code"]) == {"D", "A", "B"}  # C: no organisation, nothing to say
    assert len(t[(t["area_code"] == "D") & (t["period"] == AS_OF)
                 & (t["breakdown"] == "")]) == len(catalog())


def test_crosswalk_moves_old_communes_after_the_reform(tmp_path):
    cross = [{"old_code": c, "new_code": "AB", "effective": "01/7/2025"} for c in "ABC"]
    folder = write_input(tmp_path, organisations=ORGS, records=RECORDS, areas=AREAS,
                         crosswalk=cross)
    t = indicator_table(open_registry(folder), "2025-08-01")
    after = t[t["period"] == "2025-08-01"]
    assert set(after["area_code"]) == {"P", "AB"}  # the district and old communes are gone
    assert value(t, "htx_count", "2025-08-01", area="AB") == 4  # H1, H2, H3 and H5 (stopped)
    assert value(t, "htx_stopped", "2025-08-01", area="AB") == 1
    assert value(t, "htx_count", "2024", area="A") == 2  # before it: the old units
    # ... and the new unit its old units' figures, its year before; never twice above
    new = t[(t["area_code"] == "AB") & (t["code"] == "htx_count") & (t["breakdown"] == "")
            & (t["period"] == "2025-08-01")]
    assert new["previous_value"].iloc[0] == value(t, "htx_count", "2024", area="P")
    assert value(t, "htx_count", "2024", area="P") == value(t, "htx_count", "2024", area="D")
    # the new unit has rows of its own for the years before it: its series, its breakdowns
    assert value(t, "htx_count", "2024", area="AB") == value(t, "htx_count", "2024", area="D")
    assert set(t.loc[t["area_code"] == "AB", "period"]) >= {"2024", "2025-08-01"}


def test_as_of_year_end_is_the_full_year(tmp_path):
    folder = write_input(tmp_path, organisations=ORGS, records=RECORDS, areas=AREAS)
    t = indicator_table(open_registry(folder), "2023-12-31")
    assert set(t["period"]) == {"2022", "2023"}  # the year before is always there
    assert value(t, "htx_members", "2023") == 30


def test_hierarchy_derived_without_areas_sheet(tmp_path):
    folder = write_input(tmp_path, organisations=ORGS, records=RECORDS)
    reg = open_registry(folder)
    assert reg.ok
    t = indicator_table(reg, AS_OF)
    assert value(t, "htx_count") == 4
    levels = t.drop_duplicates("area_code")["area_level"].value_counts().to_dict()
    assert levels == {"commune": 2, "district": 1, "province": 1}


def test_a_district_rebuilt_from_its_communes_additive_figures(sample):
    """The seam for aggregated submissions: give a unit only the sums of its communes'
    additive values, and derive() yields the same averages and shares."""
    import datetime as dt

    import numpy as np

    from htxlib.indicators import Values, additive, derive
    from htxlib.indicators import measures as ms

    periods = ms.periods(sample.records, dt.date(2024, 6, 10), history=True)
    full = derive(additive(sample, periods))
    L = full.layout
    district = list(L.codes).index("535")
    communes = L.parent == district
    cols = [i for i, e in enumerate(catalog())
            if "measure" in e and e["source"] != "support"]  # district-wide support is not
    parts = full.totals[:, communes][..., cols]               # in any commune's figures
    summed = np.where(np.isnan(parts).all(axis=1), np.nan, np.nansum(parts, axis=1))
    rebuilt = Values(periods, L, full.codes, np.full_like(full.totals, np.nan))
    rebuilt.totals[:, district, cols] = summed
    derive(rebuilt)
    ratio_cols = [i for i, e in enumerate(catalog()) if "ratio" in e]
    assert ratio_cols
    np.testing.assert_allclose(rebuilt.totals[:, district, ratio_cols],
                               full.totals[:, district, ratio_cols], equal_nan=True)
    # sums agree, reading "no data" as nothing to add (0 in a commune without organisations)
    np.testing.assert_allclose(np.nan_to_num(summed),
                               np.nan_to_num(full.totals[:, district, cols]))


def test_one_set_of_values_serves_many_areas_alike(sample):
    """A batch computes the values once and reads every area's table from them, with the
    organisation rows' measures remembered between areas: each table equals the one made
    from values of its own."""
    codes = list(sample.areas.frame["code"])
    shared = indicator_values(sample, pd.Timestamp(AS_OF).date())
    tables = [area_table(shared, sample, c, by_organisation=True) for c in codes]
    assert shared.memo, "the organisations' measures are kept for the next area"
    for code, table in zip(codes, tables, strict=True):
        own = indicator_values(sample, pd.Timestamp(AS_OF).date())
        pd.testing.assert_frame_equal(table, area_table(own, sample, code,
                                                        by_organisation=True))
    assert any((t["breakdown"] == "organisation").any() for t in tables)
