"""Hostile names through every command that writes files (issue 25, item 3): a commune and
an organisation named with markup, quotes, a spreadsheet formula, "../..", every character
Windows refuses, a reserved device name, a trailing dot, right-to-left and zero-width
characters. Every output is opened as a browser, Excel, Word and Windows would: no script
in a page, the names as text in titles and attributes, string cells and no formula, inert
CSV cells, and every file and folder name valid on Windows and inside the output folder."""

from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import openpyxl
import pytest
from docx import Document

from htxlib.cli import main
from tests.conftest import org, rec, write_input

UNIT = ("<script>alert(1)</script> \"q\" & 'a' =cmd|' /C calc'!A0 ../.. a/b\\c:d*e?f|g "
        "#%20 \u202eRTL\u200b.")
ORG = "=cmd|' /C calc'!A0 <img src=x onerror=alert(2)> & \"HTX\" CON."
WINDOWS_BAD = set('<>:"/\\|?*')
RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"{d}{i}" for d in ("COM", "LPT") for i in "123456789")}
pytestmark = pytest.mark.slow


class _Page(HTMLParser):
    """Every start tag with its attributes, and the text of <title>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.title, self._in_title = "", False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def _page(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def _windows_valid(name: str) -> bool:
    return bool(name) and not any(c in WINDOWS_BAD or ord(c) < 32 for c in name) and (
        not name.endswith((".", " ")) and name.split(".")[0].rstrip().upper() not in RESERVED)


def _check_names(root: Path) -> None:
    """Every file and folder under ``root``: a Windows-valid name, inside ``root``, and no
    staging folder left behind."""
    paths = list(root.rglob("*"))
    assert paths
    for p in paths:
        assert p.resolve().is_relative_to(root.resolve()), p
        assert all(_windows_valid(part) for part in p.relative_to(root).parts), p
        assert not p.name.startswith(".htx-run-"), p


def _check_page(path: Path, title: bool = True) -> _Page:
    page = _page(path)
    tags = [t for t, _ in page.tags]
    assert "script" not in tags and "iframe" not in tags and "object" not in tags
    for tag, attrs in page.tags:
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        assert not any(v.strip().lower().startswith("javascript:") for v in attrs.values())
        if tag == "img":
            assert attrs["src"].startswith("data:image/png;base64,")
    raw = path.read_text(encoding="utf-8")
    assert "<script" not in raw and "<img src=x" not in raw
    if title:
        assert UNIT in page.title  # the name as text, escaped in the source
        assert "&lt;script&gt;" in raw.split("</title>")[0]
    return page


def _check_workbook(path: Path, name: str) -> None:
    book = openpyxl.load_workbook(path)
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    named = [c for c in cells if isinstance(c.value, str) and name in c.value]
    assert named and all(c.data_type == "s" for c in named)


def _check_csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    cells = [c for r in rows for c in r]
    assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")]
    assert not [c for c in cells if c.startswith("-") and not c[1:2].isdigit()]
    return rows


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    orgs = [org("E1", commune=UNIT), org("E2", commune="CON", org_type="Tổ hợp tác")]
    orgs[0]["name"] = ORG
    recs = [rec("E1", "31/12/2023", "Thực hiện cả năm", members=9, regular_workers=3,
                managers=3, revenue=100),
            rec("E1", members=10, regular_workers=4, managers=3, revenue=50),
            rec("E2", members=5, regular_workers=5)]
    return write_input(tmp_path_factory.mktemp("hostile") / "data", organisations=orgs,
                       records=recs)


def test_report_into_the_default_folder(data, tmp_path, monkeypatch, capsys):
    """The folder made from the area's name, the page, the Word plan and the annex; the
    message names the folder the files are in."""
    monkeypatch.chdir(tmp_path)
    assert main(["report", str(data), "--year", "2025", "--area", UNIT]) == 0
    said = capsys.readouterr().out
    _check_names(tmp_path / "outputs")
    (out,) = (tmp_path / "outputs").iterdir()
    first = said.splitlines()[0]
    assert first.endswith(f"{out}:") and str(out.resolve()) in first
    listed = re.findall(r"^  (\S+): ", said, flags=re.M)
    assert sorted(listed) == sorted(p.name for p in out.iterdir())
    _check_page(out / "ke-hoach-2025.html")
    _check_workbook(out / "phu-luc-2025.xlsx", "alert(1)")
    with zipfile.ZipFile(out / "ke-hoach-2025.docx") as z:  # well-formed, as Word reads it
        ET.fromstring(z.read("word/document.xml"))
    text = "\n".join(p.text for p in Document(str(out / "ke-hoach-2025.docx")).paragraphs)
    assert "<script>alert(1)</script>" in text


def test_batch(data, tmp_path):
    out = tmp_path / "b"
    assert main(["batch", str(data), "--year", "2025", "--no-notebooks", "--out", str(out),
                 "--jobs", "1"]) == 0
    _check_names(out)
    folders = [p for p in out.iterdir() if p.is_dir()]
    assert len(folders) == 3  # the district and its two communes
    for folder in folders:
        _check_page(folder / "ke-hoach-2025.html", title=False)
    page = _check_page(out / "index.html", title=False)
    raw = (out / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw
    links = [a["href"] for t, a in page.tags if t == "a"]
    assert len(links) == 9 and all((out / unquote(h)).is_file() for h in links)
    assert not [h for h in links if re.search(r"[\s#?\"'<>]", h)]  # a URL, quoted
    rows = _check_csv(out / "index.csv")
    assert UNIT in {c for r in rows for c in r}


def test_the_commands_writing_one_file(data, tmp_path):
    """indicators, validate --problems, submission, narrative, template."""
    table, problems = tmp_path / "t.csv", tmp_path / "p.csv"
    assert main(["indicators", str(data), "--out", str(table)]) == 0
    assert UNIT in {c for r in _check_csv(table) for c in r}
    bad = write_input(tmp_path / "bad", organisations=[org("E1", commune=UNIT)],
                      records=[rec(ORG, members=5)])  # an organisation not in the list
    assert main(["validate", str(bad), "--problems", str(problems)]) == 1
    assert f"'{ORG}" in {c for r in _check_csv(problems) for c in r}
    form = tmp_path / "f.xlsx"
    assert main(["submission", str(data), "--area", UNIT, "--as-of", "10/6/2024",
                 "--out", str(form)]) == 0
    _check_workbook(form, "alert(1)")
    story = tmp_path / "n.md"
    assert main(["narrative", str(data), "--year", "2025", "--area", UNIT,
                 "--out", str(story)]) == 0
    assert story.read_text(encoding="utf-8").startswith("<!--")
    for args in (["template", str(tmp_path / "m.xlsx")],
                 ["template", "--submission", str(tmp_path / "s.xlsx"), "--area", UNIT,
                  "--year", "2025"]):
        assert main(args) == 0
    _check_workbook(tmp_path / "s.xlsx", "alert(1)")
    _check_names(tmp_path)
