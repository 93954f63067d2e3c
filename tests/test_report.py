"""The annual report end to end: notebook → papermill → HTML, on the sample and fixtures."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import papermill
import pytest

from htxlib.config import REPORT_NOTEBOOK, SAMPLE_DIR
from htxlib.inputs.files import data_checksum
from htxlib.report import params
from htxlib.run.notebook import SameEnvKernel, recorded, run_report
from tests.conftest import org, rec, write_input

HTX = [sys.executable, "-m", "htxlib.cli"]
NARRATIVE = SAMPLE_DIR / "thuyet-minh-2025.md"


def htx(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*HTX, *args], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("ba-to")
    done = htx("report", str(SAMPLE_DIR), "--year", "2025", "--as-of", "10/6/2024",
               "--narrative", str(NARRATIVE), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "ke-hoach-2025.html" in done.stdout
    return out


@pytest.fixture(scope="module")
def page(sample_run) -> str:
    return read_page(sample_run / "ke-hoach-2025.html")


def read_page(path: Path) -> str:
    """The HTML page with the figures of its sentences unwrapped ("<span class=so-lieu …>37
    </span> tổ chức" reads "37 tổ chức"), so that tests can look for the plan's words;
    test_traceable checks the spans themselves."""
    html = path.read_text(encoding="utf-8")
    assert 'class="so-lieu"' in html, "the figures of sentences name their source"
    return re.sub(r'<span class="so-lieu"[^>]*>([^<]*)</span>', r"\1", html)


class Links(HTMLParser):
    """Every URL the page could load or follow, and the tags seen."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.tags: list[str] = []
        self.ids: set[str] = set()
        self.imgs: list[dict] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        self.urls += [v for k, v in attrs if k in ("src", "href", "action", "data", "poster")
                      and v]
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "img":
            self.imgs.append(a)


def parse(html: str) -> Links:
    p = Links()
    p.feed(html)
    return p


def test_outputs_and_manifest(sample_run):
    html = sample_run / "ke-hoach-2025.html"
    assert html.stat().st_size < 2_000_000
    man = json.loads((sample_run / "manifest.json").read_text(encoding="utf-8"))
    assert man["parameters"]["year"] == 2025 and man["parameters"]["as_of"] == "2024-06-10"
    assert man["resolved"]["area_code"] == "535"
    files = {f["name"]: f["sha256"] for f in man["data"]["files"]}
    assert set(files) == {p.name for p in SAMPLE_DIR.glob("*.csv")}  # not the narrative file
    assert files["organisations.csv"] == hashlib.sha256(
        (SAMPLE_DIR / "organisations.csv").read_bytes()).hexdigest()
    assert man["outputs"]["ke-hoach-2025.html"]["sha256"] == hashlib.sha256(
        html.read_bytes()).hexdigest()
    assert man["narrative"]["sha256"] == hashlib.sha256(NARRATIVE.read_bytes()).hexdigest()
    assert man["durations_s"]["total"] > 0 and man["htxlib_version"]
    assert not list(sample_run.glob(".htx-run-*")), "staging folder left behind"


def test_three_files_from_one_run_each_in_the_manifest(sample_run):
    man = json.loads((sample_run / "manifest.json").read_text(encoding="utf-8"))
    for name in ("ke-hoach-2025.html", "ke-hoach-2025.docx", "phu-luc-2025.xlsx",
                 "ke-hoach-2025.ipynb"):
        path = sample_run / name
        assert man["outputs"][name]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (sample_run / "ke-hoach-2025.docx").read_bytes()[:2] == b"PK"
    assert man["parameters"]["formats"] == "html,docx,xlsx"
    assert "out_dir" not in man["parameters"]  # the staging folder is not a parameter


def test_format_chooses_the_files(tmp_path):
    done = htx("report", "--year", "2025", "--format", "xlsx, docx", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "ke-hoach-2025.docx", "ke-hoach-2025.ipynb", "manifest.json", "phu-luc-2025.xlsx"]
    assert "phụ lục Excel" in done.stdout and "dự thảo văn bản Word" in done.stdout


def test_recorded_values_are_plan_151s(sample_run):
    nb = nbformat.read(sample_run / "ke-hoach-2025.ipynb", as_version=4)
    a = recorded(nb)["values"]["a"]
    assert (a["org_count"], a["tht_count"], a["htx_count"]) == (37, 22, 15)
    assert (a["htx_members"], a["htx_regular_workers"], a["htx_managers"],
            a["htx_key_officers"], a["tht_workers"]) == (288, 10, 45, 15, 440)
    assert recorded(nb)["values"]["e"]["htx_count"] == 15  # the 2024 estimate: unchanged
    assert recorded(nb)["values"]["plan"]["htx_new"] == 1


@pytest.mark.parametrize("text", [
    "37 tổ chức kinh tế tập thể", "22 tổ hợp tác (THT)", "15 hợp tác xã (HTX)",
    "288 thành viên", "10 lao động thường xuyên (Hợp tác xã Nông nghiệp Đồng Tâm, xã Ba Vì)",
    "45 cán bộ quản lý", "15 cán bộ chủ chốt", "ngày 10/6/2024", "01 - 02 HTX",
    "từ 50% trở lên", "khoảng 15%", "cần thêm 6 HTX đạt loại tốt, khá",
    "cần thêm 2 HTX nông nghiệp liên kết", "Không có.", "80%", "1.290",
    "22 tổ; 440 thành viên", "440 lao động, tăng 24 lao động",
    "số thành viên, lao động của HTX, THT giữ nguyên như tại ngày 10/6/2024",
    "phần lớn chưa qua đào tạo, bồi dưỡng",
    '<tr class="sub"><th scope="row">- Số hợp tác xã thành lập mới</th>',  # pastes as a sub-row
])
def test_plan_figures_in_vietnamese_format(page, text):
    assert text in page


def test_outline_and_numbering(page):
    order = ["Phần thứ nhất", "I. TÌNH HÌNH PHÁT TRIỂN", "a) Về số lượng", "b) Về thành viên",
             "c) Về trình độ", "2. Đánh giá theo lĩnh vực", "II. KẾT QUẢ THI HÀNH",
             "III. DỰ KIẾN KHẢ NĂNG", "IV. ĐÁNH GIÁ CHUNG", "V. ĐỀ XUẤT, KIẾN NGHỊ",
             "Phần thứ hai", "I. MỤC ĐÍCH, YÊU CẦU", "II. MỤC TIÊU",
             "2. Mục tiêu cụ thể trong năm 2025", "III. MỘT SỐ NHIỆM VỤ", "IV. TỔ CHỨC THỰC HIỆN"]
    positions = [page.find(t, page.find("</nav>")) for t in order]
    assert -1 not in positions, [t for t, p in zip(order, positions, strict=True) if p < 0]
    assert positions == sorted(positions)
    assert [int(n) for n in re.findall(r"Bảng (\d+)\.", page)] == list(range(1, 8))
    assert [int(n) for n in re.findall(r"Biểu đồ (\d+)\.", page)] == list(range(1, 6))


def test_title_block_is_that_of_an_official_plan(page):
    head = page[page.index('<header class="title-block">'):page.index("</header>")]
    order = ["ỦY BAN NHÂN DÂN<br>HUYỆN BA TƠ", "/KH-UBND", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
             "Độc lập - Tự do - Hạnh phúc", "Ba Tơ, ngày", "năm 2024", "<h1>KẾ HOẠCH</h1>",
             "Phát triển kinh tế tập thể, hợp tác xã năm 2025", "đến ngày 10/6/2024"]
    positions = [head.find(t) for t in order]
    assert -1 not in positions and positions == sorted(positions), positions


def test_page_is_self_contained_without_code(page):
    links = parse(page)
    loaded = [u for u in links.urls if not u.startswith(("#", "data:"))]
    assert loaded == [], loaded
    assert not re.search(r"https?://", " ".join(links.urls))
    assert "script" not in links.tags and "link" not in links.tags and "iframe" not in links.tags
    for leftover in ("params.check", "Session.open", "render.show", "jp-InputArea",
                     "In&nbsp;[", "Traceback", "parameters", "require.js", "MathJax"):
        assert leftover not in page, leftover
    toc = re.findall(r'href="#([^"]+)"', page)
    assert len(toc) > 25 and set(toc) <= links.ids
    assert len(links.imgs) == 5 and all(len(i["alt"]) > 40 for i in links.imgs)


def test_footer_names_data_checksum_version_and_date(sample_run, page):
    man = json.loads((sample_run / "manifest.json").read_text(encoding="utf-8"))
    footer = page[page.rindex("<footer"):]
    assert "ba-to" in footer and man["htxlib_version"] in footer
    nb = nbformat.read(sample_run / "ke-hoach-2025.ipynb", as_version=4)
    assert re.search(r"\d{1,2}/\d{1,2}/20\d\d", footer)
    assert recorded(nb)["area_code"] == "535"
    checksum = re.search(r"SHA-256 ([0-9a-f]{16})", footer).group(1)
    assert data_checksum(SAMPLE_DIR).startswith(checksum)
    assert man["data"]["sha256"].startswith(checksum)  # a reader can match the two
    story = re.search(r"thuyet-minh-2025\.md \(SHA-256 ([0-9a-f]{16})", footer).group(1)
    assert man["narrative"]["sha256"].startswith(story)


def test_people_sections_come_from_the_narrative_file(page):
    assert "Chưa có nội dung" not in page  # the sample file fills every section
    assert "Phòng Tài chính" in page  # a phrase of the sample file (state management)


def test_no_request_leaves_the_machine(sample_run, tmp_path):
    from htxlib.browser import open_offline

    shot = tmp_path / "report.png"
    visit = open_offline(sample_run / "ke-hoach-2025.html", shot)
    assert visit.external == [], visit.external
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


# -- a small fixture: hostile names, no estimate, no narrative file ----------------------

EVIL = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def fixture_run(tmp_path_factory) -> tuple[Path, str]:
    tmp = tmp_path_factory.mktemp("evil")
    orgs = [org("E1", name=EVIL, commune="A"), org("E2", commune="B", org_type="Tổ hợp tác")]
    orgs[1]["name"] = "Tổ <b>B</b> & \"cộng sự\""
    orgs[1]["commune"] = "Giá $\\frac{$ 5"  # as mathtext, a chart label that cannot be drawn
    recs = [rec("E1", "31/12/2023", "Thực hiện cả năm", members=9, regular_workers=3,
                managers=3, revenue=100),
            rec("E1", members=10, regular_workers=4, managers=3, revenue=50,
                value_chain="Có"),
            rec("E2", members=5, regular_workers=5)]
    data = write_input(tmp / "data", organisations=orgs, records=recs)
    story = tmp / "thuyet-minh.md"
    story.write_text("## Ưu điểm {#strengths}\n\n<img src=x onerror=alert(2)> "
                     "[xem](https://example.org) ![a](http://example.org/a.png) **đậm**\n",
                     encoding="utf-8")
    result = run_report(params.check(data=data, year=2025, narrative=story), tmp / "out")
    return tmp / "out", read_page(result.html)


def test_strings_from_data_and_narrative_are_escaped(fixture_run):
    _, html = fixture_run
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html and "<b>B</b>" not in html and "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html and "<strong>đậm</strong>" in html
    links = parse(html)
    assert not re.search(r"https?://", " ".join(links.urls))
    assert all(i["src"].startswith("data:image/png;base64,") for i in links.imgs)
    assert "[xem](https://example.org)" in html  # a link stays text: nothing to follow


def test_fixture_estimate_is_derived_and_sections_missing_are_placeholders(fixture_run):
    out, html = fixture_run
    assert "ước tính từ số liệu thực hiện đến ngày 10/6/2024, do chưa có số liệu ước" in html
    assert html.count("Chưa có nội dung") >= 15  # every section but "Ưu điểm"
    # no targets in the data: a placeholder says what to add, no empty target table numbered
    assert "dữ liệu đầu vào các chỉ tiêu kế hoạch năm 2025 của" in html and "Bảng 6" not in html
    assert "GIAI ĐOẠN 2021-2025" in html
    nb = nbformat.read(out / "ke-hoach-2025.ipynb", as_version=4)
    assert recorded(nb)["derived_estimate"] is True
    assert recorded(nb)["values"]["e"]["htx_members"] == 10  # stocks carried to 31/12


@pytest.mark.parametrize(("area", "committee", "where"), [
    ("Quảng Ngãi", "ỦY BAN NHÂN DÂN<br>TỈNH QUẢNG NGÃI",
     "trên địa bàn tỉnh Quảng Ngãi có 37 tổ chức"),
    ("Ba Vì", "ỦY BAN NHÂN DÂN<br>XÃ BA VÌ", "trên địa bàn xã Ba Vì có 2 tổ chức"),
])
def test_the_area_and_its_level_come_from_the_data(area, committee, where, tmp_path):
    done = htx("report", "--year", "2025", "--area", area, "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    page = read_page(tmp_path / "ke-hoach-2025.html")
    assert committee in page and where in page and "<br>HUYỆN" not in page


@pytest.fixture(scope="module")
def synthetic_run(tmp_path_factory) -> str:
    """A 2026 plan for one province of a synthetic national registry: random data reach
    sentences and targets that the sample never does."""
    from htxlib.synth import generate

    tmp = tmp_path_factory.mktemp("synth")
    generate(tmp / "data", orgs=1500, years=5, seed=11, as_of=dt.date(2025, 6, 30))
    province = (tmp / "data" / "areas.csv").read_text(encoding="utf-8").splitlines()[1]
    result = run_report(params.check(data=tmp / "data", year=2026,
                                     area=province.split(",")[1]), tmp / "out")
    return read_page(result.html)


def test_synthetic_province_report_reads_clean(synthetic_run):
    body = synthetic_run[synthetic_run.index("</style>"):synthetic_run.rindex("<footer")]
    body = re.sub(r"<img[^>]*>", "", body)
    text = re.sub(r"<[^>]+>", " ", body)
    for leftover in ("nan", "None", "inf", "{{", "{%", "}}", "Undefined"):
        assert not re.search(rf"(?<![\w{{%]){re.escape(leftover)}(?![\w}}%])", text), leftover
    assert not re.findall(r"\d\.\d{1,2}(?!\d)|\d,\d{3}\b", text)  # 53.5 or 1,877: not Vietnamese
    assert "ỦY BAN NHÂN DÂN TỈNH" in text and "Mục tiêu năm 2026: hiện trạng" in text
    assert "đã đạt" not in text or "cần" in text  # targets are judged, not all reached


# -- failures ---------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "status", "fragment"), [
    (["--year", "abc"], 2, "Năm kế hoạch “abc” không hợp lệ"),
    (["--year", "2025", "--as-of", "10/6/2023"], 2, "không thuộc năm 2024"),
    (["--year", "2025", "--as-of", "31/02/2024"], 2, "Ngày số liệu “31/02/2024” không hợp lệ"),
    (["--year", "2025", "--narrative", "khong-co.md"], 2, "Không tìm thấy tệp thuyết minh"),
    (["--year", "2025", "--area", "Hà Nội"], 2, "Không tìm thấy địa bàn “Hà Nội”"),
    (["--year", "2031"], 2, "không có số liệu thực hiện nào trong năm 2030"),
    (["--year", "2025", "--format", "pdf"], 2, "Định dạng “pdf” không hợp lệ"),
])
def test_bad_parameters_fail_with_their_message(args, status, fragment, tmp_path):
    done = htx("report", str(SAMPLE_DIR), *args, "--out", str(tmp_path / "out"))
    assert done.returncode == status, done.stderr
    assert fragment in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()  # not even an empty folder


@pytest.mark.parametrize("command", ["report", "narrative"])
@pytest.mark.parametrize("bad_input", ["file", "empty folder"])
def test_unreadable_input_is_exit_2_for_every_command(command, bad_input, tmp_path):
    data = tmp_path / "data"
    if bad_input == "file":
        data.write_text("không phải dữ liệu", encoding="utf-8")
    else:
        data.mkdir()
    done = htx(command, str(data), "--year", "2025", "--out", str(tmp_path / "out.md"))
    assert done.returncode == 2, done.stderr
    assert str(data) in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("command", ["report", "narrative"])
def test_an_output_path_that_cannot_be_written_is_exit_2(command, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    out = blocker if command == "report" else blocker / "sub.md"
    done = htx(command, "--year", "2025", "--out", str(out))
    assert done.returncode == 2, done.stderr
    assert f"Không ghi được vào “{out}”" in done.stderr and "Traceback" not in done.stderr
    assert blocker.read_text(encoding="utf-8") == "x"


def test_a_bad_narrative_heading_stops_before_the_kernel(tmp_path):
    story = tmp_path / "tm.md"
    story.write_text("# Ưu điểm {#strengths}\nTốt.\n", encoding="utf-8")
    done = htx("report", "--year", "2025", "--narrative", str(story), "--out", str(tmp_path / "o"))
    assert done.returncode == 2 and "dòng 1" in done.stderr, done.stderr
    assert "sổ tay" not in done.stderr  # said by the parameter check, not by a notebook cell


def test_notebook_stops_on_a_bad_parameter_with_its_message(tmp_path):
    with pytest.raises(papermill.PapermillExecutionError) as info:
        papermill.execute_notebook(str(REPORT_NOTEBOOK), str(tmp_path / "out.ipynb"),
                                   parameters={"year": 2025, "lang": "en"},
                                   kernel_manager_class=SameEnvKernel, progress_bar=False,
                                   language="python", kernel_name="python3")
    assert info.value.ename == "ParamError"
    assert "Ngôn ngữ “en” chưa được hỗ trợ" in info.value.evalue


def test_a_failed_run_keeps_the_earlier_report(sample_run, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(sample_run, out)
    before = (out / "ke-hoach-2025.html").read_bytes()
    bad = shutil.copytree(SAMPLE_DIR, tmp_path / "bad")
    text = (bad / "records.csv").read_text(encoding="utf-8").replace(",39,", ",-39,", 1)
    (bad / "records.csv").write_text(text, encoding="utf-8")
    done = htx("report", str(bad), "--year", "2025", "--out", str(out))
    assert done.returncode == 1, done.stderr
    assert "chạy sổ tay báo cáo" in done.stderr and "records.csv" not in done.stdout
    assert "Số liệu" in done.stderr and "Traceback" not in done.stderr
    assert (out / "ke-hoach-2025.html").read_bytes() == before
    assert not list(out.glob(".htx-run-*"))


# -- first contact: dates with no records, names, where outputs go, a quiet kernel ------

@pytest.mark.parametrize("command", ["report", "narrative"])
def test_an_as_of_date_with_no_records_stops_before_rendering(command, tmp_path):
    out = tmp_path / ("o" if command == "report" else "o.md")
    done = htx(command, "--year", "2025", "--as-of", "1/3/2024", "--out", str(out))
    assert done.returncode == 1, done.stderr
    assert "Không có số liệu thực hiện nào" in done.stderr and "1/3/2024" in done.stderr
    assert "10/6/2024" in done.stderr  # the reporting dates the year does have
    assert not out.exists()


def test_an_ambiguous_area_is_refused_with_the_candidates(tmp_path):
    data = write_input(tmp_path / "d", organisations=[
        org("H1", commune="Xuân", district="Huyện Một"),
        org("H2", commune="Xuân", district="Huyện Hai")], records=[rec("H1"), rec("H2")])
    done = htx("report", str(data), "--year", "2025", "--area", "Xuân",
               "--out", str(tmp_path / "o"))
    assert done.returncode == 2, done.stderr
    assert "trùng với nhiều đơn vị" in done.stderr
    assert "xã Xuân (huyện Một, tỉnh Thử)" in done.stderr and "huyện Hai" in done.stderr
    assert "“xã Xuân, huyện Một”" in done.stderr  # how to name the one meant


def test_outputs_default_to_the_folder_the_user_runs_from(tmp_path):
    done = subprocess.run([sys.executable, "-m", "htxlib.cli", "report", "--year", "2025",
                           "--format", "xlsx"], capture_output=True, text=True, cwd=tmp_path,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "outputs" / "ba-to-2025" / "phu-luc-2025.xlsx").is_file()
    assert str(tmp_path / "outputs" / "ba-to-2025") in done.stdout


def test_the_kernels_own_log_stays_out_of_the_terminal(tmp_path, capfd):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("# parameters", metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell(
                    "import os\nos.write(2, b'[IPKernelApp] ERROR | KeyboardInterrupt\\n')\n"
                    "raise ValueError('hỏng')")]
    path = tmp_path / "noisy.ipynb"
    nbformat.write(nb, path)
    checked = params.check(data="", year=2025, formats="xlsx")
    with pytest.raises(Exception, match="hỏng"):
        run_report(checked, tmp_path / "o", notebook=path)
    assert "IPKernelApp" not in capfd.readouterr().err


def test_a_report_on_data_with_warnings_repeats_them(tmp_path):
    data = write_input(tmp_path / "d", organisations=[org("H1"), org("H2")],
                       records=[rec("H1", members=3), rec("H2", members=30)])
    done = htx("report", str(data), "--year", "2025", "--format", "xlsx",
               "--out", str(tmp_path / "o"))
    assert done.returncode == 0, done.stderr
    assert "dữ liệu có 1 cảnh báo" in done.stderr and "dòng 2" in done.stderr
