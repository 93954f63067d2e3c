"""The post-reform sample (issue 12, item 7): the 8 new communes old Ba Tơ district went
into on 1/7/2025, each with its 2025 form, and a 2026 plan for one of them, from forms
alone; the committed folder is what its builder writes."""

from __future__ import annotations

import pandas as pd
import pytest

from htxlib.cli import main
from htxlib.config import DATA_DIR
from htxlib.indicators import indicator_table
from htxlib.inputs.problems import Problems
from htxlib.inputs.registry import open_registry
from htxlib.inputs.submission import read_forms
from htxlib.synth import post_reform

SAMPLE = DATA_DIR / "sample" / "ba-to-2025"
AS_OF = "30/9/2025"


def _values(folder) -> pd.DataFrame:
    forms = read_forms(sorted((folder / "submissions").glob("*.xlsx")), Problems())
    return forms.drop(columns=["file"]).reset_index(drop=True)


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    out = tmp_path_factory.mktemp("post-reform")
    post_reform.build(out)
    return out


def test_the_committed_sample_is_what_the_builder_writes(rebuilt):
    for name in ("areas.csv", "crosswalk.csv", "targets.csv"):
        assert (rebuilt / name).read_bytes() == (SAMPLE / name).read_bytes(), name
    pd.testing.assert_frame_equal(_values(rebuilt), _values(SAMPLE))


def test_eight_new_communes_each_with_a_clean_form(capsys):
    reg = open_registry(SAMPLE)
    problems = reg.problems.frame()
    assert reg.ok and set(problems["code"]) == {"submission_missing"}, problems  # the
    # 88 other communes, wards and special zone: the unit list is the official one
    assert reg.organisations.empty
    assert sorted(reg.submissions["unit_code"].unique()) == sorted(
        set(reg.areas.crosswalk["new_code"]))
    assert reg.submissions["unit_code"].nunique() == 8


def test_the_new_commune_has_its_old_communes_year_before():
    reg = open_registry(SAMPLE)
    t = indicator_table(reg, AS_OF, area="51", history=False)
    rows = t[(t["code"] == "org_count") & (t["breakdown"] == "")
             & (t["period"] == "2025-09-30")]
    rows = rows.set_index(rows["area_code"].astype(object))
    assert rows.at["21529", "value"] == 7 and rows.at["21529", "previous_value"] == 6
    communes = rows.drop("51")
    assert rows.at["51", "value"] == communes["value"].sum() == 38  # 37 + the new HTX


def test_a_2026_plan_for_the_new_xa_ba_vi(tmp_path):
    out = tmp_path / "ba-vi"
    assert main(["report", str(SAMPLE), "--area", "21529", "--year", "2026", "--as-of",
                 AS_OF, "--format", "html,xlsx", "--out", str(out)]) == 0
    page = (out / "ke-hoach-2026.html").read_text(encoding="utf-8")
    assert "Kế hoạch năm 2026" in page and "xã Ba Vì" in page
    assert "Năm 2026 thành lập mới 01 hợp tác xã" in page
    assert (out / "phu-luc-2026.xlsx").exists()
