"""The Word plan (htxlib.render.docx): layout of Nghị định 30/2020, figures in the right
cells, outline in heading styles, escaping of hostile text."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml.ns import qn
from docx.shared import Mm

from htxlib.config import SAMPLE_DIR
from htxlib.render.docx import write_docx
from htxlib.render.docx_parts import clean
from htxlib.report import params
from htxlib.report.tree import Report
from htxlib.session import Session
from tests.conftest import org, rec, write_input

EVIL_COMMUNES = ("<script>x</script>", '=HYPERLINK("http://e")')


@pytest.fixture(scope="module")
def plan(tmp_path_factory) -> tuple[Report, Path, docx.document.Document]:
    r = Session.open(params.check(data=SAMPLE_DIR, year=2025, as_of="10/6/2024",
                                  narrative=SAMPLE_DIR / "thuyet-minh-2025.md")).report()
    path = tmp_path_factory.mktemp("docx") / "plan.docx"
    write_docx(r, path)
    return r, path, docx.Document(str(path))


def _texts(document) -> list[str]:
    """Every paragraph's text, body and table cells (nested included), in order."""
    out = [p.text for p in document.paragraphs]
    for t in document.tables:
        for row in t.rows:
            for cell in row.cells:
                out.extend(p.text for p in cell.paragraphs)
    return out


def _table_of(document, caption_start: str):
    """The table right after the caption paragraph starting with ``caption_start``."""
    body = document.element.body
    found = False
    for el in body.iterchildren():
        if el.tag == qn("w:p") and "".join(el.itertext()).startswith(caption_start):
            found = True
        elif found and el.tag == qn("w:tbl"):
            return next(t for t in document.tables if t._tbl is el)
    raise AssertionError(caption_start)


def _row(table, first: str) -> list[str]:
    return next([c.text for c in r.cells] for r in table.rows if r.cells[0].text == first)


def test_page_a4_and_margins(plan):
    _, _, d = plan
    s = d.sections[0]
    assert abs(s.page_width.mm - 210) <= 1 and abs(s.page_height.mm - 297) <= 1
    assert s.page_width < s.page_height
    assert 20 <= s.top_margin.mm <= 25 and 20 <= s.bottom_margin.mm <= 25
    assert 30 <= s.left_margin.mm <= 35 and 15 <= s.right_margin.mm <= 20


def test_normal_style_times_new_roman(plan):
    _, _, d = plan
    normal = d.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "Times New Roman"
    assert 13 <= normal.font.size.pt <= 14
    fmt = normal.paragraph_format
    assert fmt.space_after.pt >= 6 and 1.0 <= fmt.line_spacing <= 1.5
    assert 8 <= fmt.first_line_indent.mm <= 13
    for level in (1, 2, 3, 4):
        h = d.styles[f"Heading {level}"]
        assert h.font.name == "Times New Roman" and h.font.bold
        assert str(h.font.color.rgb) == "000000"
        assert h.element.rPr.find(qn("w:rFonts")).get(qn("w:asciiTheme")) is None
    assert d.styles["Heading 4"].font.italic


def test_title_block(plan):
    r, _, d = plan
    left, right = d.tables[0].rows[0].cells
    body, area = left.paragraphs[:2]  # the body, its area on a line of its own (NĐ 30)
    assert (body.text, area.text) == ("ỦY BAN NHÂN DÂN", "HUYỆN BA TƠ")
    assert all(run.bold and 12 <= run.font.size.pt <= 13 for run in body.runs + area.runs)
    assert any(p.text == r.letterhead.number for p in left.paragraphs)
    texts = {p.text: p for p in right.paragraphs}
    nation = texts["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    assert nation.runs[0].bold and 12 <= nation.runs[0].font.size.pt <= 13
    assert texts["Độc lập - Tự do - Hạnh phúc"].runs[0].bold
    assert texts[r.letterhead.place_date].runs[0].italic
    borders = d.tables[0]._tbl.tblPr.find(qn("w:tblBorders"))
    assert all(b.get(qn("w:val")) in ("nil", "none") for b in borders)
    body = [p.text for p in d.paragraphs]
    assert body.index("KẾ HOẠCH") < body.index(r.letterhead.subject) < body.index(r.asof_line)


def test_headings_in_outline_order(plan):
    _, _, d = plan
    heads = [(p.style.name, p.text) for p in d.paragraphs if p.style.name.startswith("Heading")]
    texts = [t for _, t in heads]
    order = ["Phần thứ nhất", "I. TÌNH HÌNH", "a) Về số lượng", "Phần thứ hai",
             "IV. TỔ CHỨC THỰC HIỆN"]
    at = [next(i for i, t in enumerate(texts) if t.startswith(o)) for o in order]
    assert at == sorted(at)
    assert heads[at[0]][0] == "Heading 1" and "\n" in texts[at[0]]
    assert texts[at[0]].split("\n")[1].isupper()
    assert heads[at[1]][0] == "Heading 2" and heads[at[2]][0] == "Heading 4"
    assert any(s == "Heading 3" and t.startswith("1. ") for s, t in heads)


def test_tables_and_images_count(plan):
    r, _, d = plan
    assert len(r.tables) == 7 and len(r.charts) == 5
    assert len(d.tables) == len(r.tables) + 2
    assert len(d.inline_shapes) == len(r.charts)
    descr = [s._inline.docPr.get("descr") for s in d.inline_shapes]
    assert descr == [c.alt for c in r.charts]
    assert all(s.width.mm <= 160.5 for s in d.inline_shapes)
    captions = [p.text for p in d.paragraphs]
    assert all(f"Bảng {t.number}. {t.caption}" in captions for t in r.tables)
    assert all(f"Biểu đồ {c.number}. {c.caption}" in captions for c in r.charts)


def test_plan_figures_in_the_right_cells(plan):
    _, _, d = plan
    t = _table_of(d, "Bảng 1.")
    assert t.style.name == "Table Grid"
    assert _row(t, "Tổng số hợp tác xã")[2:6] == ["14", "15", "15", "107,1"]
    header = [c.text for c in t.rows[1].cells]
    col = next(i for i, h in enumerate(header) if h.startswith("Thực hiện đến"))
    assert _row(t, "Tổng số tổ hợp tác")[col] == "22"
    assert "1 - 2" in _row(t, "- Số hợp tác xã thành lập mới")
    cell = t.rows[3].cells[3].paragraphs[0]
    assert cell.alignment == 2  # right
    for row in t.rows[:2]:
        assert row._tr.trPr.find(qn("w:tblHeader")) is not None
    assert t.rows[2]._tr.trPr.find(qn("w:tblHeader")) is None
    assert [c.text for c in t.rows[0].cells][3:6] == ["Năm 2024"] * 3  # merged


def test_page_number_field_not_on_first_page(plan):
    _, _, d = plan
    s = d.sections[0]
    assert s.different_first_page_header_footer
    xml = s.header._element.xml
    assert 'w:fldCharType="begin"' in xml and "PAGE" in xml and 'w:fldCharType="end"' in xml
    assert "PAGE" not in s.first_page_header._element.xml


def test_no_leaked_values_and_no_links(plan):
    _, path, d = plan
    text = "\n".join(_texts(d))
    assert not re.search(r"\b(nan|NaN|None)\b", text)
    assert "{{" not in text and "<" not in text
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        rels = "".join(z.read(n).decode() for n in names if n.endswith(".rels"))
        xml = z.read("word/document.xml").decode()
    assert not any(n.endswith(".bin") or "vba" in n.lower() for n in names)
    assert 'TargetMode="External"' not in rels and "<w:hyperlink" not in xml


def test_closing_block(plan):
    r, _, d = plan
    closing = d.tables[-1]
    left, right = closing.rows[0].cells
    assert left.paragraphs[0].text == "Nơi nhận:"
    assert left.paragraphs[0].runs[0].bold and left.paragraphs[0].runs[0].italic
    assert [p.text for p in left.paragraphs[1:]] == list(r.closing.recipients)
    assert all(x.startswith("- ") for x in r.closing.recipients)
    signs = [p.text for p in right.paragraphs]
    assert signs[0] == "TM. ỦY BAN NHÂN DÂN"
    if r.closing.signer:
        assert signs[-1] == r.closing.signer and signs[-5:-1] == [""] * 4


def test_core_properties(plan):
    r, _, d = plan
    props = d.core_properties
    assert props.title == r.title and props.subject == r.letterhead.subject
    assert props.author == "Ủy ban nhân dân huyện Ba Tơ"
    made = r.provenance
    assert props.comments == f"{made.data_name} SHA-256 {made.checksum}"


def test_placeholders_are_highlighted(tmp_path):
    r = Session.open(params.check(data=SAMPLE_DIR, year=2025, as_of="10/6/2024",
                                  narrative="")).report()
    write_docx(r, tmp_path / "p.docx")
    d = docx.Document(str(tmp_path / "p.docx"))
    runs = [run for p in d.paragraphs for run in p.runs if "[Chưa có nội dung" in run.text]
    assert len(runs) >= 10
    assert all(run.font.highlight_color == WD_COLOR_INDEX.YELLOW for run in runs)


def test_nested_lists_stay_nested(tmp_path):
    story = tmp_path / "thuyet-minh.md"
    story.write_text("## Ưu điểm {#strengths}\n- một\n  - hai\n    - ba\n- bốn\n\n"
                     "## Đề xuất, kiến nghị {#proposals}\n1. Đầu\n2. Sau\n", encoding="utf-8")
    r = Session.open(params.check(data=SAMPLE_DIR, year=2025, as_of="10/6/2024",
                                  narrative=story)).report()
    write_docx(r, tmp_path / "p.docx")
    d = docx.Document(str(tmp_path / "p.docx"))
    indent = {p.text: p.paragraph_format.left_indent for p in d.paragraphs}
    steps = [round((indent[t] or 0) / Mm(10)) for t in ("- một", "- hai", "- ba", "- bốn")]
    assert steps == [0, 1, 2, 0]  # docx.yaml body.list_indent, a step a level
    assert indent["1. Đầu"] is None and "2. Sau" in indent


def test_hostile_text_is_escaped(tmp_path):
    orgs = [org("E1", commune=EVIL_COMMUNES[0]), org("E2", commune=EVIL_COMMUNES[1],
                                                     org_type="Tổ hợp tác")]
    orgs[0]["name"] = "<script>alert(1)</script>"
    recs = [rec("E1", members=10, regular_workers=4, managers=3, revenue=50),
            rec("E2", members=5, regular_workers=5)]
    data = write_input(tmp_path / "data", organisations=orgs, records=recs)
    r = Session.open(params.check(data=data, year=2025)).report()
    write_docx(r, tmp_path / "evil.docx")
    d = docx.Document(str(tmp_path / "evil.docx"))
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    for name in EVIL_COMMUNES:
        assert any(name in c for c in cells), name
    with zipfile.ZipFile(tmp_path / "evil.docx") as z:
        xml = z.read("word/document.xml").decode()
    assert "<script" not in xml and "&lt;script" in xml


def test_clean_strips_xml_invalid_characters():
    assert clean("a\x00b\x0bc\x1f\td\ne") == "abc\td\ne"
    assert Mm(10).mm == pytest.approx(10)


def _keeps(row) -> bool:
    """Every paragraph of the row keeps with the next (the row stays with the one below)."""
    return all(p.pPr is not None and p.pPr.keepNext_val for tc in row._tr.tc_lst
               for p in tc.p_lst)


@pytest.mark.parametrize("caption", ["Bảng 1.", "Bảng 2.", "Bảng 3.", "Bảng 4."])
def test_a_table_does_not_leave_its_header_at_the_foot_of_a_page(plan, caption):
    """No row splits; the caption keeps with the header, the header with the first rows;
    a table that fits on a page keeps every row with the next, so it moves on whole
    (Bảng 2 of the district once began with its header and one row at a page's foot)."""
    _, _, d = plan
    t = _table_of(d, caption)
    body = list(d.element.body.iterchildren())
    before = body[body.index(t._tbl) - 1]
    assert docx.text.paragraph.Paragraph(before, None).paragraph_format.keep_with_next
    nhead = sum(r._tr.trPr.find(qn("w:tblHeader")) is not None for r in t.rows)
    rows = t.rows
    assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in rows)
    whole = len(rows) - nhead <= 25
    kept = rows[:-1] if whole else rows[:nhead + 2]
    assert all(_keeps(r) for r in kept), caption
    assert not _keeps(rows[-1])
