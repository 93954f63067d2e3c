"""Properties of the indicator table on random registries (hypothesis)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from htxlib.glossary import catalog, enum_label, enums
from htxlib.indicators import indicator_table
from htxlib.inputs.registry import open_registry
from tests.conftest import org, rec, write_input

AS_OF = dt.date(2024, 6, 10)
COMMUNES = ["Một", "Hai", "Ba", "Bốn"]
DISTRICTS = {"Một": "Đông", "Hai": "Đông", "Ba": "Tây", "Bốn": "Tây"}
STATUSES = list(enums()["status"])
SECTORS = list(enums()["sector"])


def _date(draw, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=draw(st.integers(0, (end - start).days)))


@st.composite
def registries(draw):
    n = draw(st.integers(1, 14))
    orgs, recs = [], []
    for i in range(n):
        kind = draw(st.sampled_from(["THT", "HTX", "HTX", "LHHTX"]))
        founded = _date(draw, dt.date(2018, 1, 1), dt.date(2024, 6, 1))
        status = draw(st.sampled_from(STATUSES))
        when = _date(draw, founded, dt.date(2024, 12, 31)) if status != "operating" else None
        commune = draw(st.sampled_from(COMMUNES))
        o = org(f"O{i}", kind, commune=commune, founded=founded.strftime("%d/%m/%Y"),
                sector=enum_label("sector", draw(st.sampled_from(SECTORS))),
                status=enum_label("status", status),
                status_date=when.strftime("%d/%m/%Y") if when else "")
        o["district"] = DISTRICTS[commune]
        orgs.append(o)
        for ref, rkind in (("31/12/2023", "Thực hiện cả năm"), ("10/6/2024", "Thực hiện")):
            ref_date = dt.datetime.strptime(ref, "%d/%m/%Y").date()
            if ref_date < founded or not draw(st.booleans()):
                continue
            managers = draw(st.integers(0, 6))
            untrained = draw(st.integers(0, managers))
            members = draw(st.integers(0, 300))
            recs.append(rec(
                f"O{i}", ref, rkind, members=members, regular_workers=draw(st.integers(0, 50)),
                managers=managers, managers_untrained=untrained,
                managers_university=draw(st.integers(0, managers - untrained)),
                revenue=draw(st.integers(0, 5000)), profit=draw(st.integers(-50, 500)),
                value_chain=draw(st.sampled_from(["Có", "Không", ""])),
                rating=draw(st.sampled_from(["Tốt", "Khá", "Trung bình", "Yếu", ""]))))
    return orgs, recs


def _table(orgs, recs) -> pd.DataFrame:
    with tempfile.TemporaryDirectory() as tmp:
        reg = open_registry(write_input(Path(tmp), organisations=orgs, records=recs))
        assert not reg.problems.has_errors, reg.problems.frame()["message"].tolist()
        return indicator_table(reg, AS_OF, all_breakdowns=True)


ADDITIVE = {e["code"]: e for e in catalog() if "measure" in e and e["source"] != "support"}
RATIOS = {e["code"]: e for e in catalog() if "ratio" in e}
SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _close(a: float, b: float) -> bool:
    """Equal, reading "no data" (NaN) as nothing to add: a unit where organisations exist
    but none reported a quantity has no data, a unit without organisations has 0."""
    return bool(np.isclose(np.nan_to_num(a), np.nan_to_num(b)))


@SETTINGS
@given(registries())
def test_totals_equal_their_breakdowns(data):
    t = _table(*data)
    keys = ["area_code", "period", "kind", "code"]
    totals = t[(t["breakdown"] == "") & t["code"].isin(list(ADDITIVE))].set_index(keys)["value"]
    parts = t[(t["breakdown"] != "") & t["code"].isin(list(ADDITIVE))]
    for (*key, breakdown), group in parts.groupby([*keys, "breakdown"], observed=True):
        total = totals.get(tuple(key), 0.0)  # an omitted total below the top means 0
        summed = group["value"].sum(min_count=1)
        assert _close(total, summed), (key, breakdown, total, summed)
    for code, e in ADDITIVE.items():  # every declared breakdown is present where orgs exist
        for dim in set(e.get("breakdowns", [])) - {"organisation"}:  # that one: below
            has = t[(t["code"] == code) & (t["breakdown"] == "") & (t["value"] > 0)]
            got = t[(t["code"] == code) & (t["breakdown"] == dim)]
            assert set(has["area_code"]) <= set(got["area_code"]), (code, dim)


@SETTINGS
@given(registries())
def test_organisation_rows_add_up_to_the_area_total(data):
    orgs, recs = data
    with tempfile.TemporaryDirectory() as tmp:
        reg = open_registry(write_input(Path(tmp), organisations=orgs, records=recs))
        top = reg.areas.frame.loc[reg.areas.frame["parent_code"].isna(), "code"].iloc[0]
        t = indicator_table(reg, AS_OF, area=top, by_organisation=True)
    keys = ["period", "kind", "code"]
    own = t[t["area_code"] == top]
    by_org = own[own["breakdown"] == "organisation"].groupby(keys)["value"].sum()
    totals = own[own["breakdown"] == ""].set_index(keys)["value"]
    for key, summed in by_org.items():
        assert _close(totals[key], summed), (key, totals[key], summed)
    codes = [c for c, e in ADDITIVE.items() if "organisation" in e.get("breakdowns", [])]
    actual = own[own["kind"] != "plan"]
    shown = actual[(actual["breakdown"] == "") & actual["code"].isin(codes)
                   & (actual["value"] > 0) & (actual["year"] == actual["year"].max())]
    for key in shown.set_index(keys).index:  # a non-zero total names its organisations
        assert key in by_org.index, key


@SETTINGS
@given(registries())
def test_units_equal_the_sum_of_the_units_below(data):
    t = _table(*data)
    total = t[(t["breakdown"] == "") & t["code"].isin(list(ADDITIVE))]
    children = total[total["parent_code"].notna()].groupby(
        ["parent_code", "period", "kind", "code"], observed=True)["value"].sum(min_count=1)
    parents = total.set_index(["area_code", "period", "kind", "code"])["value"]
    for key, summed in children.items():
        assert _close(parents.get(key, 0.0), summed), (key, parents.get(key), summed)


@SETTINGS
@given(registries())
def test_ratios_are_numerator_over_denominator(data):
    t = _table(*data)
    by_key = t[t["breakdown"] == ""].set_index(["area_code", "period", "kind", "code"])["value"]
    for code, e in RATIOS.items():
        num, den = e["ratio"]
        for row in t[(t["code"] == code) & (t["breakdown"] == "")].itertuples():
            # below the top units a row that is zero may be left out: it means 0
            n = by_key.get((row.area_code, row.period, row.kind, num), 0.0)
            d = by_key.get((row.area_code, row.period, row.kind, den), 0.0)
            assert _close(row.denominator, d)
            expected = np.nan if d == 0 or np.isnan(d) else round(n / d * e.get("scale", 1), 6)
            assert _close(row.value, expected), (code, row.value, expected)


@SETTINGS
@given(registries())
def test_counts_agree_with_a_direct_count(data):
    orgs, recs = data
    t = _table(orgs, recs)
    when = pd.Timestamp(AS_OF)
    ended = {"Giải thể tự nguyện", "Giải thể bắt buộc", "Chuyển đổi"}
    expected = sum(
        1 for o in orgs
        if pd.Timestamp(dt.datetime.strptime(o["founded"], "%d/%m/%Y")) <= when
        and not (o["status"] in ended
                 and pd.Timestamp(dt.datetime.strptime(o["status_date"], "%d/%m/%Y")) <= when))
    top = t[(t["parent_code"].isna()) & (t["code"] == "org_count") & (t["breakdown"] == "")
            & (t["period"] == AS_OF.isoformat())]
    assert top["value"].tolist() == [expected]
