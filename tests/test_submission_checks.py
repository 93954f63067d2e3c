"""Checks of filled forms (issue 12, item 3): the sample district's own form passes every
check; each kind of mistake a hand-added form has is named on its cell."""

from __future__ import annotations

import pandas as pd
import pytest

from htxlib.cli import main
from htxlib.inputs.problems import Problems
from htxlib.inputs.submission import read_forms
from htxlib.inputs.submission_checks import CHECKS, check_forms


@pytest.fixture(scope="module")
def form(tmp_path_factory) -> pd.DataFrame:
    out = tmp_path_factory.mktemp("checks") / "ba-to.xlsx"
    assert main(["submission", "--area", "Ba Tơ", "--as-of", "10/6/2024", "--out",
                 str(out)]) == 0
    problems = Problems()
    frame = read_forms([out], problems)
    assert problems.frame().empty
    return frame


def _found(frame: pd.DataFrame) -> pd.DataFrame:
    problems = Problems()
    check_forms(frame, problems)
    return problems.frame()


def test_a_form_written_from_consistent_data_passes_every_check(form):
    assert _found(form).empty


def _set(frame: pd.DataFrame, code: str, value: float, period: str = "to_date",
         category: str = "") -> pd.DataFrame:
    out = frame.copy()
    at = (out["code"] == code) & (out["period"] == period) & (out["category"] == category)
    assert at.sum() == 1, (code, period, category)
    out.loc[at, "value"] = value
    return out


def _every_type(frame: pd.DataFrame) -> pd.DataFrame:
    """The form with its LHHTX row filled in as 0 (the sample leaves it empty)."""
    tht = frame[(frame["code"] == "org_count") & (frame["category"] == "THT")]
    return pd.concat([frame, tht.assign(category="LHHTX", value=0.0)], ignore_index=True)


CASES = {  # the sample: 37 organisations = 22 THT + 15 HTX; 15 HTX, 13 in agriculture
    "a sector split above its total": (lambda f: _set(f, "htx_count", 30, category="agriculture"),
                                       "error", "submission_parts_above", "cộng lại được 32"),
    "a type split short of its total": (lambda f: _set(_every_type(f), "org_count", 40),
                                        "error", "submission_parts_short", "không bằng tổng 40"),
    "operating above the count": (lambda f: _set(f, "htx_operating", 51), "error",
                                  "submission_within", "(51) lớn hơn “Tổng số hợp tác xã” (15)"),
    "types not adding up": (lambda f: _set(_set(f, "tht_count", 20), "tht_count", 20,
                                           category="agriculture"), "error", "submission_sum",
                            "biểu ghi 37 nhưng 20 THT + 15 HTX + 0 LHHTX = 35"),
    "a negative count": (lambda f: _set(f, "htx_managers", -4), "error",
                         "submission_negative", "không được âm"),
    "half a member": (lambda f: _set(f, "htx_members", 288.5), "error",
                      "submission_fraction", "phải là số nguyên"),
    "a transposed digit": (lambda f: _set(f, "tht_workers", 1440), "warning",
                           "submission_change", "tăng"),
    "flows that do not lead to the count": (lambda f: _set(f, "htx_new", 3), "warning",
                                            "submission_flows", "14 (năm trước) + 3 thành lập"),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_each_mistake_is_named_on_its_cell(form, case):
    change, severity, code, words = CASES[case]
    found = _found(change(form))
    hit = found[found["code"] == code]
    assert len(hit) >= 1, found[["code", "message"]]
    first = hit.iloc[0]
    assert first["severity"] == severity and words in first["message"], first["message"]
    assert first["sheet"] == "Biểu" and first["row"] > 9
    assert first["column"].startswith(("Thực hiện", "Ước", "Kế hoạch"))
    assert "huyện Ba Tơ" in first["message"] and "ba-to.xlsx" in first["message"]


def test_a_second_form_of_the_same_unit_and_date_is_an_error(form):
    again = form.assign(file="ba-to (2).xlsx")
    found = _found(pd.concat([form, again], ignore_index=True))
    dup = found[found["code"] == "submission_duplicate"]
    assert len(dup) == 1 and "ba-to.xlsx" in dup.iloc[0]["message"]


def test_a_part_year_flow_is_not_compared_with_a_full_year(form):
    """Revenue to 10/6 is a fraction of 2023's: that is no transposed digit."""
    found = _found(_set(form, "htx_revenue", 1, period="to_date"))
    assert "submission_change" not in set(found["code"])


def test_every_check_is_listed_with_its_messages():
    from htxlib.glossary import messages

    codes = [c for _, cs in CHECKS for c in cs]
    assert len(codes) == len(set(codes)) and all(c in messages() for c in codes)


def test_validate_reads_and_checks_the_forms_of_a_data_folder(tmp_path, capsys):
    import shutil

    from htxlib.config import SAMPLE_DIR

    data = shutil.copytree(SAMPLE_DIR, tmp_path / "data")
    (data / "submissions").mkdir()
    (data / "submissions" / "ba-vi.csv").write_text(
        "Đơn vị,Mã đơn vị,Ngày số liệu,Kỳ,Mã chỉ tiêu,Phân tổ,Giá trị\n"
        "xã Ba Vì,21529c,10/6/2024,to_date,htx_count,,2\n"
        "xã Ba Vì,21529c,10/6/2024,to_date,htx_operating,,3\n", encoding="utf-8")
    assert main(["validate", str(data)]) == 1
    err = capsys.readouterr().err
    assert "[ba-vi.csv], dòng 3" in err and "(3) lớn hơn “Tổng số hợp tác xã” (2)" in err


def test_a_form_of_a_unit_not_in_the_list_names_the_nearest(tmp_path, capsys):
    import shutil

    from htxlib.config import SAMPLE_DIR

    data = shutil.copytree(SAMPLE_DIR, tmp_path / "data")
    (data / "submissions").mkdir()
    (data / "submissions" / "ba-vi.csv").write_text(
        "Đơn vị,Mã đơn vị,Ngày số liệu,Kỳ,Mã chỉ tiêu,Phân tổ,Giá trị\n"
        "xã Ba Vi,99999,10/6/2024,to_date,htx_count,,2\n", encoding="utf-8")
    assert main(["validate", str(data)]) == 1
    err = capsys.readouterr().err
    assert "mã đơn vị không có trong danh mục" in err and "có phải: xã Ba Vì" in err
