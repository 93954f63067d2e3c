"""The people-written narrative file: reading, safe Markdown, the skeleton, `htx narrative`."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from htxlib.config import SAMPLE_DIR
from htxlib.render.html import prose_html
from htxlib.report.facts import gather
from htxlib.report.tree import Para, Span
from htxlib.report.writeup import NarrativeError, read, sections, skeleton


@pytest.fixture(scope="module")
def facts(sample):
    return gather(sample, "535", 2025, dt.date(2024, 6, 10))


def write(tmp_path, text: str):
    path = tmp_path / "tm.md"
    path.write_text(text, encoding="utf-8")
    return path


def test_sections_by_key_comments_dropped(tmp_path):
    w = read(write(tmp_path, "<!-- hướng dẫn\nnhiều dòng -->\n\n"
                             "## Ưu điểm {#strengths}\n<!-- gợi ý\nnhiều dòng -->\nTốt.\n\n"
                             "## Nguyên nhân {#causes}\n\n"))
    assert w.sections == {"strengths": "Tốt.", "causes": ""}
    assert w.prose("strengths") == [Para([Span("Tốt.")])]
    assert w.prose("causes") is None and w.prose("tasks") is None


@pytest.mark.parametrize(("text", "fragment"), [
    ("## X {#khong_co}\n", "dòng 1: mục {#khong_co} không có trong đề cương"),
    ("## A {#law}\nx\n## B {#law}\n", "dòng 3: mục {#law} xuất hiện lần thứ hai"),
    ("<!-- a -->\nghi chú\n## A {#law}\n", "dòng 2: “ghi chú” nằm trước tiêu đề mục đầu tiên"),
    ("# Ưu điểm {#strengths}\nTốt.\n", "dòng 1: “# Ưu điểm {#strengths}” — tiêu đề mục phải"),
    ("##Nguyên nhân {#causes}\n", "dòng 1: “##Nguyên nhân {#causes}” — tiêu đề mục phải"),
    ("## A {#law}\nx\n## Tồn tại, hạn chế\ny\n", "dòng 3: “## Tồn tại, hạn chế” — tiêu đề"),
    ("## A {#law}\nx\n# Phần mới\n", "dòng 3: “# Phần mới”"),
])
def test_bad_files_name_the_line(tmp_path, text, fragment):
    with pytest.raises(NarrativeError) as info:
        read(write(tmp_path, text))
    assert fragment in str(info.value)


@pytest.mark.parametrize("line", ["### Nhóm giải pháp 1", "#### Chi tiết", "#hashtag vẫn là chữ",
                                  "Số 1 # không phải tiêu đề"])
def test_sub_headings_and_hashes_in_text_are_content(tmp_path, line):
    w = read(write(tmp_path, f"## Nhiệm vụ {{#tasks}}\n{line}\n"))
    assert w.sections == {"tasks": line}


def test_not_utf8_and_missing(tmp_path):
    path = tmp_path / "tm.md"
    path.write_bytes(b"## \xdau \xf0i\xea\xf2m {#strengths}\n")  # a legacy 8-bit encoding
    with pytest.raises(NarrativeError, match="UTF-8"):
        read(path)
    with pytest.raises(NarrativeError, match="Không tìm thấy"):
        read(tmp_path / "none.md")


@pytest.mark.parametrize(("body", "expected", "absent"), [
    ("<script>alert(1)</script>", "&lt;script&gt;", "<script"),
    ("[x](javascript:alert(1))", "[x](javascript:alert(1))", "href"),
    ("![i](https://example.org/i.png)", "![i](https://example.org/i.png)", "<img"),
    ("<https://example.org>", "&lt;https://example.org&gt;", "href"),
    ("- một\n  - hai", "<li>- hai</li>", "<script"),
    ("### 1. Nhóm\n\n**đậm** *nghiêng*", "<h3>1. Nhóm</h3>", "<script"),
])
def test_markdown_is_safe(tmp_path, body, expected, absent):
    prose = read(write(tmp_path, f"## Ưu điểm {{#strengths}}\n{body}\n")).prose("strengths")
    html = prose_html(prose)
    assert expected in html and absent not in html


def test_skeleton_has_every_heading_and_parses_back(tmp_path, facts):
    text = skeleton(facts)
    w = read(write(tmp_path, text))
    assert list(w.sections) == list(sections())
    assert "80%" not in text or "HTX chưa có doanh thu" in text
    assert "Còn 13 HTX chưa sửa đổi điều lệ" in w.sections["weaknesses"]  # a draft from data
    assert "phần lớn chưa qua đào tạo" in w.sections["weaknesses"]
    assert w.sections["law"] == ""  # nothing the data can say


def test_sample_file_fills_every_section():
    w = read(SAMPLE_DIR / "thuyet-minh-2025.md")
    assert list(w.sections) == list(sections())
    assert all(w.sections[k] for k in sections())


def test_htx_narrative_writes_and_refuses_to_overwrite(tmp_path):
    out = tmp_path / "tm.md"
    cmd = [sys.executable, "-m", "htxlib.cli", "narrative", str(SAMPLE_DIR), "--year", "2025",
           "--as-of", "10/6/2024", "--out", str(out)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "19 mục" in done.stdout and out.read_text(encoding="utf-8").startswith("<!--")
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert again.returncode == 2 and "--force" in again.stderr
