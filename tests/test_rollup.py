"""Rolling units' forms up (issue 12, items 2 and 4): a unit without organisations in the
data is counted from its form, and its parents add it up; a district where one commune
sends a form instead of its organisations gets the same figures."""

from __future__ import annotations

import csv
import math
import shutil
from pathlib import Path

import pandas as pd
import pytest

from htxlib.cli import main
from htxlib.config import SAMPLE_DIR
from htxlib.indicators import indicator_table
from htxlib.inputs.registry import open_registry
from htxlib.inputs.submission import form_rows

AS_OF = "10/6/2024"
BA_VI = "21529c"  # the old xã Ba Vì (to 30/6/2025); "21529" is the new one


def _without(data: Path, ids: set[str]) -> None:
    for name in ("organisations.csv", "records.csv", "support.csv"):
        rows = list(csv.reader((data / name).open(encoding="utf-8")))
        col = rows[0].index("Mã tổ chức")
        with (data / name).open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows([rows[0]] + [r for r in rows[1:] if r[col] not in ids])


@pytest.fixture(scope="module")
def split(tmp_path_factory):
    """The sample, and the sample with xã Ba Vì's organisations replaced by its form."""
    tmp = tmp_path_factory.mktemp("rollup")
    full = open_registry(SAMPLE_DIR)
    ids = set(full.organisations.loc[full.organisations["area_code"] == BA_VI, "org_id"])
    assert len(ids) >= 2
    data = Path(shutil.copytree(SAMPLE_DIR, tmp / "data"))
    _without(data, ids)
    (data / "submissions").mkdir()
    assert main(["submission", "--area", "xã Ba Vì", "--as-of", AS_OF, "--out",
                 str(data / "submissions" / "ba-vi.xlsx")]) == 0
    reg = open_registry(data)
    assert reg.ok, reg.problems.frame()
    return (indicator_table(full, AS_OF, area="535", history=False),
            indicator_table(reg, AS_OF, area="535", history=False))


def _totals(table: pd.DataFrame, area: str = "535") -> pd.DataFrame:
    t = table[(table["area_code"].astype(object) == area) & (table["breakdown"] == "")
              & (table["kind"].astype(object) != "plan")]
    return t.set_index([t["period"].astype(object), t["code"].astype(object)])[
        ["value", "previous_value"]]


def _same(a: pd.DataFrame, b: pd.DataFrame, unknown_as_zero: list | None = None) -> int:
    """Every form code and every ratio of ``a`` equals ``b``'s; the cells compared. Cells
    that ``a`` (the organisations) call "no data" and ``b`` (the forms) add up to 0 are
    collected in ``unknown_as_zero`` when given, else they fail."""
    form_codes = {r.code for r in form_rows()}
    compared = 0
    for key in a.index:
        if key[1] not in form_codes and not key[1].endswith(("_avg", "_share")):
            continue
        for col in ("value", "previous_value"):
            x, y = a.at[key, col], b.at[key, col]
            if unknown_as_zero is not None and math.isnan(x) and y == 0:
                unknown_as_zero.append((key, col))
                continue
            assert (math.isnan(x) and math.isnan(y)) or math.isclose(x, y), (key, col, x, y)
            compared += 1
    return compared


def test_a_commune_sending_its_form_gives_the_district_the_same_figures(split):
    full, rolled = split
    a, b = _totals(full), _totals(rolled)
    assert _same(a, b) > 100
    assert b.loc[("2024-06-10", "htx_count"), "value"] == 15


def test_a_district_from_its_communes_forms_alone_equals_the_district(tmp_path):
    """No organisation in the data, only the Địa bàn list and each commune's form: the
    district's figures are those computed from the organisations behind the forms."""
    full = open_registry(SAMPLE_DIR)
    data = tmp_path / "forms"
    (data / "submissions").mkdir(parents=True)
    shutil.copy(SAMPLE_DIR / "areas.csv", data / "areas.csv")
    communes = sorted(set(full.organisations["area_code"]))
    for code in communes:
        assert main(["submission", "--area", code, "--as-of", AS_OF, "--out",
                     str(data / "submissions" / f"{code}.xlsx")]) == 0
    reg = open_registry(data)
    assert reg.ok, reg.problems.frame()
    assert reg.organisations.empty and reg.submissions["unit_code"].nunique() == len(communes)
    a = _totals(indicator_table(full, AS_OF, area="535", history=False))
    b = _totals(indicator_table(reg, AS_OF, area="535", history=False))
    # A commune with no HTX in 2023 writes 0 HTX members where the district's organisations
    # reported nothing: with its 0 HTX, that 0 says nothing, so no cell differs.
    gaps: list = []
    # The sample's district-wide support rows are the district's own, in no commune's form.
    a, b = (x[~x.index.get_level_values(1).str.startswith("support")] for x in (a, b))
    assert _same(a, b, gaps) > 100
    assert not gaps, gaps


def test_the_commune_itself_is_read_from_its_form(split):
    full, rolled = split
    a, b = _totals(full, BA_VI), _totals(rolled, BA_VI)
    assert b.loc[("2024-06-10", "htx_members"), "value"] == a.loc[
        ("2024-06-10", "htx_members"), "value"]


def test_a_form_never_adds_to_a_unit_its_organisations_already_count(tmp_path):
    data = Path(shutil.copytree(SAMPLE_DIR, tmp_path / "data"))
    (data / "submissions").mkdir()
    (data / "submissions" / "ba-vi.csv").write_text(
        "Đơn vị,Mã đơn vị,Ngày số liệu,Kỳ,Mã chỉ tiêu,Phân tổ,Giá trị\n"
        f"xã Ba Vì,{BA_VI},10/6/2024,to_date,htx_count,,99\n", encoding="utf-8")
    t = indicator_table(open_registry(data), AS_OF, area="535", history=False)
    assert _totals(t).loc[("2024-06-10", "htx_count"), "value"] == 15  # not 15 + 99


def test_forms_of_pre_reform_communes_count_for_the_commune_they_merged_into(tmp_path):
    """xã 21487 and 21490c merged into one commune on 1/7/2025; forms the old communes send
    for 30/9/2025 are summed for the new one."""
    data = Path(shutil.copytree(SAMPLE_DIR, tmp_path / "data"))
    full = open_registry(SAMPLE_DIR)
    olds = {"21487", "21490c"}
    _without(data, set(full.organisations.loc[full.organisations["area_code"].isin(olds),
                                              "org_id"]))
    (data / "submissions").mkdir()
    (data / "submissions" / "old.csv").write_text(
        "Đơn vị,Mã đơn vị,Ngày số liệu,Kỳ,Mã chỉ tiêu,Phân tổ,Giá trị\n"
        "xã cũ A,21487,30/9/2025,to_date,htx_count,,2\n"
        "xã cũ B,21490c,30/9/2025,to_date,htx_count,,3\n", encoding="utf-8")
    reg = open_registry(data)
    assert reg.ok, reg.problems.frame()
    t = indicator_table(reg, "30/9/2025", area="21490", history=False)
    assert _totals(t, "21490").loc[("2025-09-30", "htx_count"), "value"] == 5


def test_each_organisation_type_comes_from_one_source(tmp_path):
    """The office holds the HTX, the communes send forms for their THT: every code equals
    the sample's, HTX from the records, THT from the forms, and the codes of every type
    (org_count) the sum of the two, never the form's HTX added a second time."""
    full = open_registry(SAMPLE_DIR)
    orgs = full.organisations
    data = Path(shutil.copytree(SAMPLE_DIR, tmp_path / "data"))
    _without(data, set(orgs.loc[orgs["org_type"] == "THT", "org_id"]))
    (data / "submissions").mkdir()
    for code in sorted(set(orgs["area_code"])):
        assert main(["submission", "--area", code, "--as-of", AS_OF, "--out",
                     str(data / "submissions" / f"{code}.xlsx")]) == 0
    reg = open_registry(data)
    assert reg.ok, reg.problems.frame()
    assert set(reg.organisations["org_type"]) == {"HTX"}
    a = _totals(indicator_table(full, AS_OF, area="535", history=False))
    b = _totals(indicator_table(reg, AS_OF, area="535", history=False))
    a, b = (x[~x.index.get_level_values(1).str.startswith("support")] for x in (a, b))
    gaps: list = []
    assert _same(a, b, gaps) > 100
    assert not gaps, gaps
    assert b.loc[("2024-06-10", "org_count"), "value"] == 37  # 15 HTX + 22 THT


def test_a_blank_cell_is_no_data_for_its_unit_and_adds_nothing_above(tmp_path):
    """As for an organisation that did not report: the unit has no data, the district
    adds up what the others gave, and a code no form gave is no data everywhere."""
    data = tmp_path / "forms"
    (data / "submissions").mkdir(parents=True)
    shutil.copy(SAMPLE_DIR / "areas.csv", data / "areas.csv")
    head = "Đơn vị,Mã đơn vị,Ngày số liệu,Kỳ,Mã chỉ tiêu,Phân tổ,Giá trị\n"
    (data / "submissions" / "a.csv").write_text(
        head + f"xã Ba Vì,{BA_VI},{AS_OF},to_date,htx_reporting,,2\n"
        f"xã Ba Vì,{BA_VI},{AS_OF},to_date,htx_revenue,,500\n", encoding="utf-8")
    (data / "submissions" / "b.csv").write_text(
        head + f"xã Ba Cung,21511,{AS_OF},to_date,htx_count,,1\n", encoding="utf-8")
    t = indicator_table(open_registry(data), AS_OF, area="535", history=False)
    district, ba_cung = _totals(t), _totals(t, "21511")
    assert district.loc[("2024-06-10", "htx_revenue"), "value"] == 500
    assert district.loc[("2024-06-10", "htx_revenue_avg"), "value"] == 250
    assert math.isnan(ba_cung.loc[("2024-06-10", "htx_revenue"), "value"])
    assert math.isnan(district.loc[("2024-06-10", "htx_members"), "value"])  # nobody gave it
