"""Where the figures come from (issue 12, items 3 and 4): the coverage codes count the
communes counted from organisations, from forms, from forms of pre-reform communes, and
those with neither; the plan says so and names the communes it has nothing of."""

from __future__ import annotations

import math
import re
import shutil
from pathlib import Path

import pytest

from htxlib.cli import main
from htxlib.config import SAMPLE_DIR
from htxlib.indicators import indicator_table
from htxlib.inputs.registry import open_registry
from htxlib.session import Session

AS_OF = "10/6/2024"
HEAD = "Đơn vị,Mã đơn vị,Ngày số liệu,Kỳ,Mã chỉ tiêu,Phân tổ,Giá trị\n"


def _own(table, code: str, area: str = "535") -> float:
    rows = table[(table["area_code"].astype(object) == area) & (table["code"] == code)
                 & (table["breakdown"] == "") & (table["period"] == "2024-06-10")]
    return float(rows["value"].iloc[0])


@pytest.fixture(scope="module")
def forms(tmp_path_factory):
    """The Ba Tơ district from 16 of its 19 communes' forms: Ba Lế, Ba Nam, Ba Xa sent none."""
    data = tmp_path_factory.mktemp("coverage") / "forms"
    (data / "submissions").mkdir(parents=True)
    shutil.copy(SAMPLE_DIR / "areas.csv", data / "areas.csv")
    shutil.copy(SAMPLE_DIR / "targets.csv", data / "targets.csv")
    full = open_registry(SAMPLE_DIR)
    for code in sorted(set(full.organisations["area_code"]))[:-3]:
        assert main(["submission", "--area", code, "--as-of", AS_OF, "--out",
                     str(data / "submissions" / f"{code}.xlsx")]) == 0
    return data


def test_records_alone_say_every_commune_is_counted_and_nothing_is_missing():
    t = indicator_table(open_registry(SAMPLE_DIR), AS_OF, area="535", history=False)
    assert _own(t, "units_total") == 19 and _own(t, "units_records") == 19
    assert _own(t, "units_forms") == 0
    assert math.isnan(_own(t, "units_missing"))  # the registry is the office's whole record
    below = t[t["area_code"].astype(object) != "535"]
    assert not below["code"].astype(object).str.startswith("units_").any()


def test_forms_count_the_communes_that_sent_one_and_name_the_rest(forms):
    t = indicator_table(open_registry(forms), AS_OF, area="535", history=False)
    assert (_own(t, "units_total"), _own(t, "units_forms"), _own(t, "units_missing")) == (
        19, 16, 3)
    missing = t[(t["code"] == "units_missing") & (t["value"] > 0)
                & (t["area_code"].astype(object) != "535")]
    assert set(missing["area_name"].astype(object)) == {"xã Ba Lế", "xã Ba Nam", "xã Ba Xa"}


def test_the_plan_from_forms_says_where_its_figures_come_from(forms, tmp_path):
    out = tmp_path / "out"
    assert main(["report", str(forms), "--year", "2025", "--as-of", "2024-06-10",
                 "--format", "html", "--out", str(out)]) == 0
    page = (out / "ke-hoach-2025.html").read_text(encoding="utf-8")
    text = re.sub(r'<span class="so-lieu"[^>]*>([^<]*)</span>', r"\1", page)
    assert "được tổng hợp từ báo cáo tổng hợp của 16/19 xã, thị trấn trên địa bàn" in text
    assert "xã Ba Lế, xã Ba Nam, xã Ba Xa" in page
    assert "Hợp tác xã Nông nghiệp Đồng Tâm" not in page  # no organisation names to give


def test_the_plan_from_records_alone_says_nothing_of_forms(tmp_path):
    out = tmp_path / "out"
    assert main(["report", "--year", "2025", "--as-of", "2024-06-10", "--format", "html",
                 "--out", str(out)]) == 0
    page = (out / "ke-hoach-2025.html").read_text(encoding="utf-8")
    assert "biểu tổng hợp" not in page and "Chưa có số liệu của" not in page


def test_forms_of_merged_communes_are_said_to_be_summed(tmp_path):
    data = tmp_path / "forms"
    (data / "submissions").mkdir(parents=True)
    for name in ("areas.csv", "crosswalk.csv"):
        shutil.copy(SAMPLE_DIR / name, data / name)
    (data / "submissions" / "old.csv").write_text(
        HEAD + "xã cũ A,21487,30/9/2025,to_date,htx_count,,2\n"
        "xã cũ B,21490c,30/9/2025,to_date,htx_count,,3\n", encoding="utf-8")
    reg = open_registry(data)
    assert reg.ok, reg.problems.frame()
    t = indicator_table(reg, "30/9/2025", area="21490", history=False)
    rows = t[(t["code"] == "units_merged") & (t["period"] == "2025-09-30")]
    assert rows.set_index(rows["area_code"].astype(object))["value"].get("21490") == 1


def test_validate_names_the_communes_with_no_data(forms, capsys):
    assert main(["validate", str(forms)]) == 0
    captured = capsys.readouterr()
    out = captured.out + captured.err
    assert ("Chưa có số liệu của 3 đơn vị cho ngày số liệu 10/6/2024 (không có tổ chức trong "
            "dữ liệu, không có biểu): xã Ba Lế, xã Ba Nam, xã Ba Xa") in out
    assert "Có 16 biểu tổng hợp" in out


def test_a_district_form_covers_its_communes(tmp_path):
    """A form of the district itself stands for every commune below it: none is missing."""
    data = tmp_path / "forms"
    (data / "submissions").mkdir(parents=True)
    shutil.copy(SAMPLE_DIR / "areas.csv", data / "areas.csv")
    (data / "submissions" / "d.csv").write_text(
        HEAD + f"huyện Ba Tơ,535,{AS_OF},to_date,htx_count,,15\n", encoding="utf-8")
    reg = open_registry(data)
    assert reg.problems.count("warning") == 0, reg.problems.frame()
    t = indicator_table(reg, AS_OF, area="535", history=False)
    assert (_own(t, "units_forms"), _own(t, "units_missing")) == (19, 0)


def test_models_from_forms_are_counted_not_named(forms, tmp_path):
    """A form gives how many organisations are in a value chain, not which: the plan says
    the number rather than "Không có." for want of names."""
    data = Path(shutil.copytree(forms, tmp_path / "data"))
    (data / "submissions" / "ba-le.csv").write_text(
        HEAD + "".join(f"xã Ba Lế,21532,{AS_OF},to_date,{code},,{v}\n" for code, v in (
            ("org_count", 2), ("htx_count", 2), ("org_value_chain", 2),
            ("htx_value_chain", 2), ("htx_ocop_products", 3))), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["report", str(data), "--year", "2025", "--as-of", "2024-06-10",
                 "--format", "html", "--out", str(out)]) == 0
    page = (out / "ke-hoach-2025.html").read_text(encoding="utf-8")
    text = " ".join(re.sub(r"<[^>]+>", "", page).split())
    assert ("Trên địa bàn có 2 tổ chức liên kết với doanh nghiệp theo chuỗi giá trị; 3 sản "
            "phẩm OCOP của hợp tác xã (theo báo cáo tổng hợp của các đơn vị") in text


def test_a_commune_that_sent_nothing_has_no_figures_not_zeros(forms):
    """Ba Nam has no organisation in the data and sent no form: it has no figures (not 0
    HTX), so the table by commune leaves it out and the coverage sentence names it."""
    from htxlib.report import params

    t = indicator_table(open_registry(forms), AS_OF, area="535", history=False)
    rows = t[(t["area_name"].astype(object) == "xã Ba Nam")
             & (t["code"].astype(object) == "htx_count") & (t["breakdown"].astype(object) == "")]
    assert len(rows) == 2 and rows["value"].isna().all()  # to date, and the year's estimate
    plan = Session.open(params.check(data=forms, year=2025, as_of=AS_OF)).report()
    communes = next(t for t in plan.tables if t.id == "communes")
    names = [r.cells[0] for r in communes.rows]
    assert "xã Ba Nam" not in names and "xã Ba Vì" in names
