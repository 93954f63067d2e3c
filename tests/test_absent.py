"""Absent is not zero: what the data do not give is "no data" in the table and in every
sentence, never a 0, a dash or "nan" stated as fact (issue 10, item 3)."""

from __future__ import annotations

import csv
import math
import re
import shutil
from pathlib import Path

import pytest

from htxlib.config import SAMPLE_DIR
from htxlib.glossary import enums
from htxlib.indicators import indicator_table
from htxlib.inputs.registry import open_registry
from htxlib.report import narrative as nv
from htxlib.report import params
from htxlib.report.tree import Bullets, Text
from htxlib.session import Session
from tests.conftest import AS_OF, org, rec, value, write_input


def _sample_without(tmp_path: Path, support: bool = True, tht: bool = True,
                    blank: tuple[str, ...] = ()) -> Path:
    """The sample with its support sheet, its THT or some record columns taken out."""
    data = Path(shutil.copytree(SAMPLE_DIR, tmp_path / "data"))
    if not support:
        (data / "support.csv").unlink()
    if not tht:
        orgs = list(csv.reader((data / "organisations.csv").open(encoding="utf-8")))
        kept = [orgs[0]] + [r for r in orgs[1:] if r[2] != "Tổ hợp tác"]
        ids = {r[0] for r in kept[1:]}
        recs = list(csv.reader((data / "records.csv").open(encoding="utf-8")))
        _write(data / "organisations.csv", kept)
        _write(data / "records.csv", [recs[0]] + [r for r in recs[1:] if r[0] in ids])
    if blank:
        recs = list(csv.reader((data / "records.csv").open(encoding="utf-8")))
        cols = [recs[0].index(h) for h in blank]
        _write(data / "records.csv", [recs[0]] + [
            [("" if i in cols else v) for i, v in enumerate(r)] for r in recs[1:]])
    return data


def _write(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)


def test_no_tht_in_the_registry_is_no_data_not_zero(tmp_path):
    reg = open_registry(write_input(tmp_path, organisations=[org("H1"), org("H2")],
                                    records=[rec("H1", members=7), rec("H2", members=9)]))
    t = indicator_table(reg, AS_OF)
    assert math.isnan(value(t, "tht_count")) and math.isnan(value(t, "tht_workers"))
    assert value(t, "htx_count") == 2 and value(t, "lhhtx_count") == 0  # LHHTX: a true 0
    assert math.isnan(value(t, "support_funds"))  # no support rows: not provided
    below = t[(t["parent_code"].notna()) & (t["code"].astype(str) == "tht_count")]
    assert below.empty  # "no data" is said once, by the area


def test_one_tht_makes_every_tht_figure_count(tmp_path):
    reg = open_registry(write_input(
        tmp_path, organisations=[org("H1"), org("T1", org_type="THT")],
        records=[rec("H1", members=7), rec("T1", members=3)],
        support=[{"area": "A", "year": "2024", "policy_group": "Đất đai",
                  "beneficiaries": "0"}]))
    t = indicator_table(reg, AS_OF)
    assert value(t, "tht_count") == 1 and value(t, "tht_new") == 0
    assert value(t, "support_funds") == 0  # the sheet is there: nothing given is 0


CASES = {
    "sample": {},
    "no support sheet": {"support": False},
    "no THT": {"tht": False},
    "no THT, no support": {"support": False, "tht": False},
    "managers' columns empty": {"blank": ("Cán bộ quản lý", "Cán bộ chủ chốt",
                                          "CBQL chưa qua đào tạo")},
    "workers and revenue empty": {"blank": ("Lao động thường xuyên",
                                            "Doanh thu (triệu đồng)")},
}


@pytest.fixture(params=list(CASES), ids=list(CASES))
def built(request, tmp_path):
    data = _sample_without(tmp_path, **CASES[request.param])
    token = nv.STRICT.set(True)  # a figure printed without its guard raises MissingFigure
    try:
        yield request.param, Session.open(params.check(data=data, year=2025)).report()
    finally:
        nv.STRICT.reset(token)


def _sentences(plan) -> list[str]:
    out = []
    for b in plan.blocks():
        if isinstance(b, Text):
            out.append(b.sentence)
        elif isinstance(b, Bullets):
            out += list(b.items)
    return out


DASHED_LABELS = [v["label"] for e in enums().values() for v in e.values() if " - " in v["label"]]


def test_no_sentence_prints_a_missing_figure(built):
    name, plan = built
    for text in _sentences(plan):
        bare = text
        for label in DASHED_LABELS:  # "Thương mại - dịch vụ" is a name, not a missing figure
            bare = bare.replace(label, "").replace(label.lower(), "")
        assert not re.search(r"(?<!\d) - (?!\d)|(^|\s)-[.,;)]|\bnan\b|None|"
                             r"chưa có số liệu (cán|thành|lao|tổ|HTX|THT)", bare), (name, text)


def test_missing_sheets_and_types_are_said_not_zeroed(built):
    name, plan = built
    text = " ".join(_sentences(plan))
    spec = CASES[name]
    if spec.get("tht") is False:
        assert "Chưa có số liệu về tổ hợp tác" in text and "0 tổ hợp tác" not in text
    else:
        assert "22 tổ hợp tác" in text
    if spec.get("support") is False:
        assert "Chưa có số liệu về kết quả thực hiện các chính sách hỗ trợ" in text
        assert "Đất đai: Không có." not in text
    else:
        assert "Đất đai: Không có." in text  # the sheet is there and lists nothing for 2024


def test_a_table_with_a_dash_says_what_it_means(built):
    _, plan = built
    for t in plan.tables:
        dashed = any(c == "-" for row in t.texts() for c in row)
        assert bool(t.note) == dashed, t.caption


def test_every_renderer_prints_the_dash_note(tmp_path):
    """Bảng 1 of the sample has dashes (no plan for most codes): its note is in the HTML,
    the Word plan and the Excel annex."""
    import docx
    from openpyxl import load_workbook

    from htxlib.render.docx import write_docx
    from htxlib.render.html import fragment
    from htxlib.render.xlsx import write_xlsx

    plan = Session.open(params.check(year=2025)).report()
    note = plan.tables[0].note
    assert note.startswith("Dấu “-”")
    assert f'<p class="note">{note}</p>' in fragment(plan, "phan-1")
    write_docx(plan, tmp_path / "k.docx")
    assert note in [p.text for p in docx.Document(tmp_path / "k.docx").paragraphs]
    write_xlsx(plan, tmp_path / "k.xlsx")
    ws = load_workbook(tmp_path / "k.xlsx")["Biểu 01"]
    assert note in [c.value for row in ws.iter_rows() for c in row]


@pytest.mark.parametrize(("column", "codes"), [
    ("Xếp loại", ["htx_good_fair", "htx_good_fair_share", "htx_rated_weak"]),
    ("Liên kết chuỗi giá trị với doanh nghiệp", ["org_value_chain", "htx_agri_value_chain_share"]),
    ("Ứng dụng công nghệ cao", ["org_high_tech", "htx_high_tech"]),
    ("Tham gia BHXH", ["htx_social_insurance"]),
    ("Số sản phẩm OCOP", ["htx_ocop", "htx_ocop_products"]),
])
def test_a_column_no_record_fills_counts_nothing(tmp_path, column, codes):
    """A count by a column nobody filled in is "no data": the plan must not say "0 HTX đạt
    loại tốt, khá" or "không có HTX ứng dụng công nghệ cao" from an empty column."""
    t = indicator_table(open_registry(_sample_without(tmp_path, blank=(column,))), AS_OF,
                        area="535")
    for code in codes:
        assert math.isnan(value(t, code, area="535")), code
    assert value(t, "htx_count", area="535") == 15


def test_managers_without_training_levels_are_not_called_untrained(tmp_path):
    levels = [f"CBQL {w}" for w in ("chưa qua đào tạo", "trình độ sơ cấp", "trình độ trung cấp",
                                    "trình độ cao đẳng", "trình độ đại học trở lên")]
    data = _sample_without(tmp_path, blank=tuple(levels))
    t = indicator_table(open_registry(data), AS_OF, area="535")
    assert value(t, "htx_managers", area="535") == 45
    assert math.isnan(value(t, "htx_managers_trained_share", area="535"))
    token = nv.STRICT.set(True)
    try:
        plan = Session.open(params.check(data=data, year=2025)).report()
    finally:
        nv.STRICT.reset(token)
    text = "\n".join(str(b.sentence) for b in plan.blocks() if isinstance(b, Text))
    assert "chưa qua đào tạo" not in text and "45 cán bộ quản lý" in text


def test_models_unknown_when_no_record_says(tmp_path):
    data = _sample_without(tmp_path, blank=("Liên kết chuỗi giá trị với doanh nghiệp",
                                            "Ứng dụng công nghệ cao", "Số sản phẩm OCOP"))
    plan = Session.open(params.check(data=data, year=2025)).report()
    text = "\n".join(str(b.sentence) for b in plan.blocks() if isinstance(b, Text))
    assert "Chưa có số liệu về liên kết chuỗi giá trị" in text
    plain = Session.open(params.check(data=SAMPLE_DIR, year=2025)).report()
    assert "Chưa có số liệu về liên kết chuỗi giá trị" not in "\n".join(
        str(b.sentence) for b in plain.blocks() if isinstance(b, Text))
