"""Year N against its own plan: Bảng 1's plan and % columns and the sentences under it
(issue 10, item 1)."""

from __future__ import annotations

import math
import shutil

import pytest

from htxlib.config import SAMPLE_DIR
from htxlib.report import narrative as nv
from htxlib.report import params
from htxlib.report.targets import achievement
from htxlib.report.tree import Bullets, Table, Text
from htxlib.session import Session

YEAR_N = [  # Địa bàn, Năm kế hoạch, Mã chỉ tiêu, Mức tối thiểu, Mức tối đa, Đơn vị, Diễn giải
    "Ba Tơ,2024,htx_new,1,2,HTX,Thành lập mới 01 - 02 HTX",
    "Ba Tơ,2024,htx_count,16,,HTX,Có 16 HTX",
    "Ba Tơ,2024,htx_good_fair_share,20,,%,HTX tốt khá 20%",
    "Ba Tơ,2024,htx_members,280,,thành viên,280 thành viên",
]


@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    data = shutil.copytree(SAMPLE_DIR, tmp_path_factory.mktemp("yn") / "data")
    with (data / "targets.csv").open("a", encoding="utf-8") as fh:
        fh.write("\n".join(YEAR_N) + "\n")
    token = nv.STRICT.set(True)
    try:
        yield Session.open(params.check(data=data, year=2025)).report()
    finally:
        nv.STRICT.reset(token)


def _row(table, label):
    return next(r for r in table.texts() if r[0] == label)


def test_table_1_gains_year_ns_plan_and_the_estimate_in_percent_of_it(plan):
    t = plan.tables[0]
    labels = t.labels()
    assert labels[3:8] == ["Kế hoạch năm 2024", "Thực hiện đến 10/6/2024",
                           "Ước thực hiện năm 2024", "Ước thực hiện 2024 so với năm 2023 (%)",
                           "Ước thực hiện 2024 so với kế hoạch (%)"]
    assert _row(t, "Tổng số hợp tác xã")[3:8] == ["16", "15", "15", "107,1", "93,8"]
    assert _row(t, "- Số hợp tác xã thành lập mới")[3:8] == ["1 - 2", "1", "1", "100", "50 - 100"]
    share = _row(t, "Tỷ lệ hợp tác xã đạt loại tốt, khá trên tổng số HTX")
    assert share[3] == "20" and share[7] == "-"  # a share is compared, not divided
    assert _row(t, "Tổng số tổ hợp tác")[3] == "-" and t.note  # no plan: a dash, explained


def test_the_sample_without_year_n_targets_keeps_the_plain_table():
    t = Session.open(params.check(year=2025)).report().tables[0]
    assert "Kế hoạch năm 2024" not in t.labels() and len(t.labels()) == 8


def test_each_year_n_target_has_its_sentence(plan):
    blocks = list(plan.blocks())
    i = next(i for i, b in enumerate(blocks) if isinstance(b, Text)
             and b.sentence == "Kết quả thực hiện các chỉ tiêu kế hoạch năm 2024:")
    assert isinstance(blocks[i - 1], Table) and isinstance(blocks[i + 1], Bullets)
    lines = blocks[i + 1].items
    assert len(lines) == len(YEAR_N)
    text = "\n".join(lines)
    assert ("Tổng số hợp tác xã: kế hoạch năm 2024 từ 16 HTX trở lên; đến ngày 10/6/2024 đạt "
            "15 HTX (93,8% kế hoạch năm); ước cả năm đạt 15 HTX (93,8% kế hoạch năm), chưa "
            "hoàn thành kế hoạch.") in text
    assert "đạt 1 HTX (50% - 100% kế hoạch năm), đạt kế hoạch." in text
    assert "288 thành viên (102,9% kế hoạch năm), vượt kế hoạch." in text
    assert "ước cả năm đạt 13,3%, chưa hoàn thành kế hoạch." in text


@pytest.mark.parametrize(("value", "lo", "hi", "unit", "pct", "verdict"), [
    (15, 16, math.nan, "HTX", "(93,8% kế hoạch năm)", "chưa hoàn thành kế hoạch"),
    (16, 16, math.nan, "HTX", "(100% kế hoạch năm)", "hoàn thành kế hoạch"),
    (17, 16, 16, "HTX", "(106,3% kế hoạch năm)", "vượt kế hoạch"),
    (0, 1, 2, "HTX", "(0% - 0% kế hoạch năm)", "chưa đạt mức tối thiểu của kế hoạch"),
    (1, 1, 2, "HTX", "(50% - 100% kế hoạch năm)", "đạt kế hoạch"),
    (2, 1, 2, "HTX", "(100% - 200% kế hoạch năm)", "đạt kế hoạch"),
    (3, 1, 2, "HTX", "(150% - 300% kế hoạch năm)", "vượt mức tối đa của kế hoạch"),
    (13.3, 20, math.nan, "%", "", "chưa hoàn thành kế hoạch"),
    (55, 50, math.nan, "%", "", "vượt kế hoạch"),
    (math.nan, 16, math.nan, "HTX", "", ""),
])
def test_achievement_against_one_target_or_both_ends_of_a_range(value, lo, hi, unit, pct,
                                                                 verdict):
    assert achievement(value, lo, hi, unit) == (pct, verdict)


def test_a_part_year_flow_is_not_averaged_with_full_years(tmp_path):
    """Two HTX founded in each of 2022 and 2023, one by 10/6/2024 and no year-end estimate:
    a target of 2 new HTX in 2025 matches the full years (2/year), though counting half of
    2024 as a year would say 1,7/year and 'khó đạt'."""
    from tests.conftest import org, rec, write_input

    founded = ["01/3/2022", "01/9/2022", "01/3/2023", "01/9/2023", "01/3/2024"]
    orgs = [org(f"H{i}", founded=d) for i, d in enumerate(founded)]
    recs = [rec(f"H{i}", members=7) for i in range(len(founded))]
    recs += [rec(f"H{i}", f"31/12/{y}", "Thực hiện cả năm", members=7)
             for y in (2022, 2023) for i, d in enumerate(founded) if int(d[-4:]) <= y]
    data = write_input(tmp_path, organisations=orgs, records=recs, targets=[
        {"area": "A", "period": "2025", "indicator": "htx_new", "target_min": "2",
         "unit": "HTX", "text": "Thành lập mới 2 HTX"}])
    plan = Session.open(params.check(data=data, year=2025)).report()
    assert plan.info.derived_estimate
    table = next(t for t in plan.tables if t.id == "targets")
    text = " ".join(c for row in table.texts() for c in row)
    assert "Giai đoạn 2022–2023 bình quân 2 HTX/năm: chỉ tiêu phù hợp với xu hướng" in text, text
    assert "2024 bình quân" not in text
