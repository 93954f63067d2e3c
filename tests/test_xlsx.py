"""The Excel annex: sheets, numbers as numbers, totals that add up, no formulas, no merges."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from openpyxl import load_workbook

from htxlib.config import SAMPLE_DIR
from htxlib.glossary import resource
from htxlib.render import html
from htxlib.render.xlsx import write_xlsx
from htxlib.report import params
from htxlib.session import Session
from tests.conftest import org, rec, write_input

EVIL = ['=HYPERLINK("http://e.org","x")', "<script>alert(1)</script>", "+1"]


@pytest.fixture(scope="module")
def sample_report():
    return Session.open(params.check(data=SAMPLE_DIR, year=2025, as_of="10/6/2024",
                                     narrative=SAMPLE_DIR / "thuyet-minh-2025.md")).report()


@pytest.fixture(scope="module")
def book(sample_report, tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "phu-luc-2025.xlsx"
    write_xlsx(sample_report, path)
    return load_workbook(path)


def _header(ws) -> tuple[int, list]:
    """The header row (row 4) and its labels."""
    return 4, [c.value for c in ws[4]]


def _body(ws) -> list[list]:
    return [[c for c in row] for row in ws.iter_rows(min_row=5) if row[0].value is not None]


def test_sheet_names(book, sample_report):
    tables = sample_report.tables
    assert len(tables) == 7
    assert book.sheetnames == ["Bìa", "Mục lục", "Ghi chú",
                               *[f"Biểu {i:02d}" for i in range(1, len(tables) + 1)]]


def test_cover_has_full_checksum_matching_the_html_footer(book, sample_report):
    values = [c.value for row in book["Bìa"].iter_rows() for c in row if c.value is not None]
    made = sample_report.provenance
    assert made.checksum in values
    assert made.narrative[1] in values
    footer = html.fragment(sample_report, "footer")
    shown = re.search(r"SHA-256 ([0-9a-f]{16})", footer).group(1)
    assert shown == made.checksum[:16]
    assert any(isinstance(v, str) and "Cách đọc" in v for v in values)
    assert "10/6/2024" in values


def test_indicator_numbers_are_numeric(book):
    ws = book["Biểu 01"]
    assert ws["A1"].value.startswith("Biểu 01. ")
    _, labels = _header(ws)
    row = next(r for r in _body(ws) if r[0].value == "Tổng số hợp tác xã")
    col = {label: i for i, label in enumerate(labels)}
    got = [row[col[k]] for k in ("Thực hiện năm 2023", "Thực hiện đến 10/6/2024",
                                 "Ước thực hiện năm 2024",
                                 "Ước thực hiện 2024 so với năm 2023 (%)")]
    assert all(c.data_type == "n" for c in got)
    assert [c.value for c in got[:3]] == [14, 15, 15]
    assert got[3].value == pytest.approx(107.14, abs=0.01)
    assert got[3].number_format == "#,##0.0"
    subs = [r[0].value for r in _body(ws) if r[0].value.startswith("- ")]
    assert "- Số hợp tác xã đang hoạt động" in subs
    assert labels[-1] == "Mã chỉ tiêu"


def test_missing_is_a_dash_and_units_inline_stay_numeric(book):
    ws = book["Biểu 01"]
    row = next(r for r in _body(ws) if r[0].value == "Tổng số hợp tác xã")
    assert row[6].value == "-" and row[6].data_type == "s"  # no plan target in the sample
    ws = book["Biểu 06"]
    cell = _body(ws)[0][1]
    assert cell.data_type == "n" and cell.value == 15 and cell.number_format == '#,##0" HTX"'


def test_totals_add_up(book):
    checked = 0
    for ws in book.worksheets[3:]:
        rows = _body(ws)
        totals = [r for r in rows if r[0].value == "Tổng cộng"]
        if not totals:
            continue
        parts = [r for r in rows if r[0].value != "Tổng cộng" and not r[0].value.startswith("- ")]
        for c, cell in enumerate(totals[0]):
            if cell.data_type == "n" and isinstance(cell.value, int | float):
                assert cell.value == pytest.approx(sum(r[c].value for r in parts)), ws.title
                checked += 1
    assert checked >= 10


def test_layout_frozen_unmerged_and_linked(book):
    for ws in book.worksheets:
        assert not ws.merged_cells.ranges, ws.title
    for ws in book.worksheets[3:]:
        assert ws.freeze_panes == "B5", ws.title
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A4:")
        assert ws.print_title_rows.replace("$", "") == "4:4"
    links = [c.hyperlink.location for row in book["Mục lục"].iter_rows() for c in row
             if c.hyperlink is not None]
    assert [f"'Biểu {i:02d}'!A1" for i in range(1, 8)] == [x for x in links if "Biểu" in x]


def test_notes_name_the_source_of_the_figures(book, sample_report):
    """The notes sheet says where the figures come from (the sentence under the charts);
    no item starts with a blank, as one did when a renderer read a key the tree had lost."""
    notes = [r[1].value for r in book["Ghi chú"].iter_rows(min_row=5) if r[1].value]
    source = sample_report.charts[0].source
    assert source.startswith("Nguồn:") and notes[-1].startswith(source)
    assert "huyện Ba Tơ" in notes[-1] and "10/6/2024" in notes[-1]
    assert all(item == item.strip() for item in notes)


def test_properties(book, sample_report):
    props = book.properties
    assert props.creator == "Ủy ban nhân dân huyện Ba Tơ"
    assert sample_report.provenance.checksum in (props.description or "")


def test_same_input_same_content(sample_report, tmp_path):
    import zipfile

    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_xlsx(sample_report, a)
    write_xlsx(sample_report, b)
    za, zb = zipfile.ZipFile(a), zipfile.ZipFile(b)
    assert {n: za.read(n) for n in za.namelist()} == {n: zb.read(n) for n in zb.namelist()}


def test_no_formula_from_data(tmp_path):
    orgs = [org(f"E{i}", commune=name) for i, name in enumerate(EVIL)]
    recs = [rec(f"E{i}", members=5 + i) for i in range(len(EVIL))]
    data = write_input(tmp_path / "data", organisations=orgs, records=recs)
    r = Session.open(params.check(data=data, year=2025)).report()
    path = tmp_path / "evil.xlsx"
    write_xlsx(r, path)
    wb = load_workbook(path)
    n = next(t.number for t in r.tables if t.id == "communes")
    ws = wb[f"Biểu {n:02d}"]
    cells = {c.value: c for c in ws["A"] if c.value in EVIL}
    assert set(cells) == set(EVIL)
    assert all(c.data_type == "s" for c in cells.values())
    assert all(c.quotePrefix for v, c in cells.items() if v[0] in "=+")
    assert not [c.coordinate for s in wb.worksheets for row in s.iter_rows() for c in row
                if c.data_type == "f"]


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)


def test_resource_is_nfc():
    texts = list(_strings(resource("xlsx.yaml")))
    assert texts and all(unicodedata.normalize("NFC", t) == t for t in texts)
    raw = (Path(__file__).parents[1] / "htxlib/resources/xlsx.yaml").read_text("utf-8")
    assert unicodedata.normalize("NFC", raw) == raw
