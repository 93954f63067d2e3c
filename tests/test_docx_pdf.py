"""The Word plan as it prints: LibreOffice turns it into PDF pages (``make test`` installs
it with .ci/office.sh), poppler reads them back as text and pictures."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from htxlib.config import DATA_DIR, SAMPLE_DIR
from htxlib.render.docx import write_docx
from htxlib.report import params
from htxlib.session import Session

pytestmark = pytest.mark.office


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: run `bash .ci/office.sh` (make test does)")
    return path


@pytest.fixture(scope="module")
def pdf(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pdf")
    plan = Session.open(params.check(data=SAMPLE_DIR, year=2025, as_of="10/6/2024",
                                     narrative=SAMPLE_DIR / "thuyet-minh-2025.md")).report()
    docx = tmp / "ke-hoach-2025.docx"
    write_docx(plan, docx)
    done = subprocess.run([_tool("soffice"), "--headless", "--norestore",
                           f"-env:UserInstallation=file://{tmp}/lo-profile", "--convert-to",
                           "pdf", "--outdir", str(tmp), str(docx)],
                          capture_output=True, text=True, timeout=240)
    out = tmp / "ke-hoach-2025.pdf"
    assert done.returncode == 0 and out.is_file(), done.stderr
    return out


def _text(pdf, first: int, last: int) -> str:
    return subprocess.run([_tool("pdftotext"), "-layout", "-f", str(first), "-l", str(last),
                           str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_page_count_is_that_of_a_plan(pdf):
    info = subprocess.run([_tool("pdfinfo"), str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    pages = int(next(ln for ln in info.splitlines() if ln.startswith("Pages:")).split()[1])
    assert 10 <= pages <= 40, pages  # plan 151 is 13 pages; ours adds tables and charts
    size = next(ln for ln in info.splitlines() if ln.startswith("Page size:"))
    assert "595" in size and ("841" in size or "842" in size)  # A4 in points


def test_first_page_has_the_title_block(pdf):
    page1 = " ".join(_text(pdf, 1, 1).split())
    # the two columns of the title block interleave in the text, line by line, and where the
    # left column wraps depends on the fonts ("ỦY BAN NHÂN DÂN" / "HUYỆN BA TƠ", or not)
    head = page1[:page1.index("KẾ HOẠCH")]
    for text in ("ỦY BAN NHÂN DÂN", "HUYỆN", "BA TƠ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                 "Độc lập - Tự do - Hạnh phúc", "Số: /KH-UBND", "Ba Tơ, ngày"):
        assert text in head, text
    assert "Phát triển kinh tế tập thể, hợp tác xã năm 2025" in page1
    assert "1" not in _text(pdf, 1, 1).splitlines()[0]  # no page number on page 1


def test_pages_render_as_pictures(pdf, tmp_path):
    subprocess.run([_tool("pdftoppm"), "-png", "-r", "50", "-f", "1", "-l", "2", str(pdf),
                    str(tmp_path / "page")], check=True, timeout=120)
    pngs = sorted(tmp_path.glob("page*.png"))
    assert len(pngs) == 2 and all(p.read_bytes()[:4] == b"\x89PNG" for p in pngs)


@pytest.fixture(scope="module")
def merged(tmp_path_factory):
    """The plan of xã Ba Vì, formed on 1/7/2025, from its form: a narrow, merged commune."""
    tmp = tmp_path_factory.mktemp("merged")
    plan = Session.open(params.check(data=DATA_DIR / "sample" / "ba-to-2025", area="21529",
                                     year=2026, as_of="30/9/2025")).report()
    docx = tmp / "ke-hoach-2026.docx"
    write_docx(plan, docx)
    done = subprocess.run([_tool("soffice"), "--headless", "--norestore",
                           f"-env:UserInstallation=file://{tmp}/lo-profile", "--convert-to",
                           "pdf", "--outdir", str(tmp), str(docx)],
                          capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    return plan, tmp / "ke-hoach-2026.pdf"


def test_the_committee_name_sits_on_its_own_line(merged):
    _, pdf = merged
    lines = [ln.strip() for ln in _text(pdf, 1, 1).splitlines() if ln.strip()]
    assert lines[0].startswith("ỦY BAN NHÂN DÂN") and not lines[0].startswith(
        "ỦY BAN NHÂN DÂN XÃ")
    assert lines[1].startswith("XÃ BA VÌ")  # the body, then its area (Nghị định 30)


def test_no_table_header_word_or_figure_breaks_inside(merged):
    plan, pdf = merged
    words = set(_text(pdf, 1, 30).split())
    for t in plan.tables:
        for _, _, head in t.positions():
            for word in head.text.split():
                assert word in words, (t.title, head.text, word)
        for row in t.rows:
            for cell in row.cells[1:]:
                text = cell if isinstance(cell, str) else cell.text()
                if re.fullmatch(r"[\d.,%]+", text):
                    assert text in words, (t.title, text)


def _print(plan, tmp, name: str):
    docx = tmp / f"{name}.docx"
    write_docx(plan, docx)
    done = subprocess.run([_tool("soffice"), "--headless", "--norestore",
                           f"-env:UserInstallation=file://{tmp}/lo-profile", "--convert-to",
                           "pdf", "--outdir", str(tmp), str(docx)],
                          capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    return tmp / f"{name}.pdf"


REPORTS = {  # the two reports of the reporting year, each as its office would print it
    "mid-year": ({"area": "51", "year": 2026, "edition": "mid-year"},
                 "6 THÁNG ĐẦU NĂM 2026", "NHIỆM VỤ, GIẢI PHÁP 6 THÁNG CUỐI NĂM 2026"),
    "year-end": ({"area": "21529", "year": 2026, "edition": "year-end"},
                 "NĂM 2026", "PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2027"),
}


@pytest.mark.parametrize("edition", REPORTS)
def test_each_report_prints_as_a_report(edition, tmp_path):
    """Title, number line and the outline in its order, on the printed pages; no table
    header word broken across lines."""
    args, period, part_two = REPORTS[edition]
    plan = Session.open(params.check(data=DATA_DIR / "sample" / "ba-to-2025", **args)).report()
    pdf = _print(plan, tmp_path, edition)
    page1 = " ".join(_text(pdf, 1, 1).split())
    assert "Số: /BC-UBND" in page1 and "BÁO CÁO" in page1
    assert period in page1.upper()
    every = " ".join(_text(pdf, 1, 40).split())
    order = [every.index(h) for h in ("Phần thứ nhất", "Phần thứ hai", part_two, "Nơi nhận")]
    assert order == sorted(order), order
    words = set(every.split())
    for t in plan.tables:
        for _, _, head in t.positions():
            assert all(w in words for w in head.text.split()), (t.title, head.text)


def test_no_heading_breaks_inside_a_name(pdf):
    """A heading in capitals breaks before "HỢP TÁC XÃ", never inside it ("HỢP TÁC / XÃ")."""
    lines = [ln.strip() for ln in _text(pdf, 1, 99).splitlines() if ln.strip()]
    for above, below in zip(lines, lines[1:], strict=False):
        assert not (above.endswith(("HỢP TÁC", "HỢP")) and below.startswith(("XÃ", "TÁC XÃ"))), \
            (above, below)
