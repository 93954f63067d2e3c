"""Presentation decided once: what the report tree prints is what each renderer prints.

Headings, captions, the "- " of a "trong đó" row, list lines and recipients are made when
the tree is built (``htxlib.report.present``); the HTML page, the Word file and the Excel
annex each lay them out as they are. These tests read the three files back and find the
tree's own texts in them, so that a renderer deciding anything again shows up as a
difference; and no renderer holds a rule of its own (capitals, a list mark).
"""

from __future__ import annotations

import html as htmllib
import re
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook

from htxlib.config import DATA_DIR, RESOURCES_DIR, SAMPLE_DIR
from htxlib.render import html
from htxlib.render.docx import write_docx
from htxlib.render.xlsx import write_xlsx
from htxlib.report import params
from htxlib.report.tree import Bullets, Chart, Table
from htxlib.session import Session

CASES = {
    "district": {"data": SAMPLE_DIR, "year": 2025, "as_of": "10/6/2024",
                 "narrative": SAMPLE_DIR / "thuyet-minh-2025.md"},
    "merged commune": {"data": DATA_DIR / "sample" / "ba-to-2025", "area": "21529",
                       "year": 2026, "as_of": "30/9/2025"},
}


@pytest.fixture(scope="module", params=CASES, ids=list(CASES))
def made(request, tmp_path_factory):
    r = Session.open(params.check(**CASES[request.param])).report()
    folder = tmp_path_factory.mktemp("present")
    write_docx(r, folder / "k.docx")
    write_xlsx(r, folder / "p.xlsx")
    page = "".join(html.fragment(r, w) for w in ("head", "phan-1", "phan-2", "footer"))
    return r, docx.Document(folder / "k.docx"), load_workbook(folder / "p.xlsx"), page


def _page_lines(page: str) -> list[str]:
    """The page's text, one line per element boundary (tags removed, entities read)."""
    text = re.sub(r"<br>", "\n", page)
    text = re.sub(r'<span class="so-lieu"[^>]*>([^<]*)</span>', r"\1", text)
    return [htmllib.unescape(t).strip() for t in re.split(r"<[^>]+>", text) if t.strip()]


def test_headings_are_printed_as_the_tree_has_them(made):
    r, d, _, page = made
    heads = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    lines = _page_lines(page)
    for s in r.sections():
        assert "\n".join(s.heading) in heads
        assert all(line in lines for line in s.heading)
    assert r.parts[0].heading[1] == r.parts[0].heading[1].upper()  # a part's title: capitals


def test_captions_and_row_labels_are_the_trees(made):
    r, d, book, page = made
    body = [p.text for p in d.paragraphs]
    lines = _page_lines(page)
    word_rows = [[c.text for c in row.cells] for t in d.tables[1:-1] for row in t.rows]
    for i, t in enumerate(r.tables):
        assert t.title.startswith(f"Bảng {i + 1}. ") and t.title in body and t.title in lines
        sheet = book[r.annex.table_sheets[i]]
        assert sheet["A1"].value == r.annex.table_titles[i]
        excel_labels = [row[0].value for row in sheet.iter_rows(min_row=5)]
        for row in t.rows:
            label = row.cells[0]
            assert label.startswith("- ") == (row.kind == "sub"), label
            assert label in excel_labels and label in lines
            assert any(w[0] == label for w in word_rows)
    for c in r.charts:
        assert c.title in body and c.title in lines


def test_list_lines_and_recipients_carry_the_trees_mark(made):
    r, d, _, page = made
    body = [p.text for p in d.paragraphs]
    lines = _page_lines(page)
    for b in r.blocks():
        if isinstance(b, Bullets):
            assert all(b.mark + item in body and b.mark + item in lines for item in b.items)
    closing = [p.text for p in d.tables[-1].rows[0].cells[0].paragraphs]
    assert list(r.closing.recipients) == closing[1:]
    assert all(x in lines for x in r.closing.recipients)
    assert r.closing.heading in lines and r.closing.heading == closing[0]


def test_letterhead_in_capitals_once(made):
    r, d, _, page = made
    left = [p.text for p in d.tables[0].rows[0].cells[0].paragraphs]
    assert list(r.letterhead.committee) == left[:len(r.letterhead.committee)]
    assert all(line == line.upper() for line in r.letterhead.committee)
    assert r.letterhead.kind == r.letterhead.kind.upper()
    assert r.letterhead.kind in [p.text for p in d.paragraphs]
    assert f"<h1>{r.letterhead.kind}</h1>" in page


def test_every_exhibit_is_numbered_and_every_column_aligned(made):
    r = made[0]
    tables = [b for b in r.blocks() if isinstance(b, Table)]
    charts = [b for b in r.blocks() if isinstance(b, Chart)]
    assert [t.number for t in tables] == list(range(1, len(tables) + 1))
    assert [c.number for c in charts] == list(range(1, len(charts) + 1))
    for t in tables:
        assert len(t.align) == t.width and t.align[0] == "left"


RENDERERS = [Path(html.__file__).with_name(n) for n in ("html.py", "docx.py", "xlsx.py")]
TEMPLATE = RESOURCES_DIR / "report" / "fragments.html.j2"


@pytest.mark.parametrize("path", [*RENDERERS, TEMPLATE], ids=lambda p: p.name)
def test_no_renderer_decides_a_text_again(path):
    """No capitals, list marks or caption words made in a renderer: the tree's own."""
    source = path.read_text(encoding="utf-8")
    assert ".upper()" not in source and "| upper" not in source
    assert not re.search(r"""f?["']- ["'{]""", source), "a list mark written by a renderer"
    assert "Bảng" not in source and "Biểu đồ" not in source
