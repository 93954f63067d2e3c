"""Every total equals its rows: every table of every area of both samples, in the page,
the Word file and the Excel annex as a reader gets them.

A "Tổng cộng" row is the sum of the rows above it that are not "trong đó" ("- …") rows;
a column of shares adds up to 100 within rounding. Read back from the files, so that what
a renderer prints is what is checked; the areas are made by one batch of each sample.
"""

from __future__ import annotations

import html as htmllib
import math
import re
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook

from htxlib.config import DATA_DIR, SAMPLE_DIR
from htxlib.run.batch import BatchOptions, run_batch

SAMPLES = {
    "ba-to": {"data": SAMPLE_DIR, "year": 2025, "as_of": "10/6/2024", "within": "51"},
    "ba-to-2025": {"data": DATA_DIR / "sample" / "ba-to-2025", "year": 2026,
                   "as_of": "30/9/2025"},
}
TOTAL = "Tổng cộng"


@pytest.fixture(scope="module", params=SAMPLES, ids=list(SAMPLES))
def areas(request, tmp_path_factory) -> list[Path]:
    out = tmp_path_factory.mktemp(request.param)
    result = run_batch(BatchOptions(out=out, notebooks=False, jobs=2, bar=False,
                                    **SAMPLES[request.param]), say=lambda _: None)
    assert result.status == 0
    folders = [p for p in out.iterdir() if p.is_dir() and not p.name.startswith(".")]
    assert len(folders) == len(result.areas) >= 9
    return folders


def number(text: object) -> float | None:
    """A figure as printed ("1.234,5", "-": none); None for text that is not one."""
    if isinstance(text, int | float):
        return float(text)
    t = str(text or "").strip()
    if not re.fullmatch(r"-?[\d.]+(,\d+)?", t):
        return math.nan if t == "-" else None
    return float(t.replace(".", "").replace(",", "."))


def totals_add_up(grid: list[list[object]], header: list[str], where: str) -> int:
    """Check each total row of a table given as its body rows; returns how many."""
    checked = 0
    for i, row in enumerate(grid):
        if str(row[0]).strip() != TOTAL:
            continue
        parts = [r for r in grid[:i] if not str(r[0]).startswith("- ")]
        for c in range(1, len(row)):
            total, cells = number(row[c]), [number(r[c]) for r in parts]
            if total is None or math.isnan(total) or any(
                    x is None or math.isnan(x) for x in cells):
                continue
            if "%" in header[c]:
                assert abs(sum(cells) - total) <= 0.05 * len(cells) + 1e-9, (where, header[c])
            else:
                assert sum(cells) == pytest.approx(total), (where, header[c], cells, total)
            checked += 1
    return checked


def page_tables(path: Path) -> list[tuple[list[str], list[list[str]]]]:
    raw = path.read_text(encoding="utf-8")
    out = []
    for t in re.findall(r"<table>(.*?)</table>", raw, re.S):
        head = [htmllib.unescape(re.sub(r"<[^>]+>", "", h))
                for h in re.findall(r'<th scope="col"[^>]*>(.*?)</th>', t)]
        body = [[htmllib.unescape(re.sub(r"<[^>]+>", "", c))
                 for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr)]
                for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", t.split("<tbody>")[1], re.S)]
        out.append((head, body))
    return out


def test_every_total_equals_its_rows_in_every_format(areas):
    checked = 0
    for folder in areas:
        page = next(folder.glob("*.html"))
        for head, body in page_tables(page):
            labels = head[-len(body[0]):] if len(head) >= len(body[0]) else head
            checked += totals_add_up(body, ["", *labels[1:]] if labels else [], page.name)
        document = docx.Document(next(folder.glob("*.docx")))
        for t in document.tables[1:-1]:  # the title block and signature are tables too
            rows = [[c.text for c in r.cells] for r in t.rows]
            width = len(rows[-1])
            head = [" ".join(r[c] for r in rows[:2]) for c in range(width)]
            checked += totals_add_up(rows, head, f"{folder.name} Word")
        book = load_workbook(next(folder.glob("*.xlsx")))
        for ws in book.worksheets[3:]:
            rows = [[c.value for c in r] for r in ws.iter_rows(min_row=4)]
            checked += totals_add_up(rows[1:], [str(h or "") for h in rows[0]],
                                     f"{folder.name} {ws.title}")
    assert checked > 50  # the checks ran: tables by commune, sector and training level
