"""``htx batch`` (issue 13): every area's files as ``htx report`` writes them alone, warm
workers with and without notebooks, an area that fails alone, reruns that skip what is up
to date, the index page and CSV, progress, Ctrl-C, and the Dask executor."""

from __future__ import annotations

import filecmp
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from htxlib.cli import main
from htxlib.config import SAMPLE_DIR
from htxlib.report import params
from htxlib.run.areas import select
from htxlib.run.batch import BatchOptions, run_batch
from htxlib.run.index import CSV, HTML
from htxlib.run.notebook import recorded, run_report
from htxlib.run.progress import Progress
from htxlib.run.worker import DONE, FAILED, SKIPPED, AreaResult
from tests.conftest import AS_OF

DOCUMENTS = ("ke-hoach-2025.html", "ke-hoach-2025.docx", "phu-luc-2025.xlsx")
TWO = "huyện Ba Tơ,xã Ba Vì"
FOLDERS = {"535": "huyen-ba-to-535", "21529c": "xa-ba-vi-21529c"}


def batch(out: Path, *extra: str, data: Path = SAMPLE_DIR) -> int:
    return main(["batch", str(data), "--year", "2025", "--as-of", AS_OF, "--out", str(out),
                 *extra])


@pytest.fixture(scope="module")
def two(tmp_path_factory) -> Path:
    """A batch of the district and one commune, with notebooks, on 2 workers."""
    out = tmp_path_factory.mktemp("batch") / "out"
    assert batch(out, "--areas", TWO, "--jobs", "2") == 0
    return out


def test_each_area_gets_the_files_htx_report_writes_for_it_alone(two, tmp_path):
    alone = run_report(params.check(data=SAMPLE_DIR, year=2025, as_of=AS_OF, area="21529c"),
                       tmp_path / "alone")
    got = two / FOLDERS["21529c"]
    for name in DOCUMENTS:
        assert filecmp.cmp(alone.manifest.parent / name, got / name, shallow=False), name
    import nbformat

    a, b = (nbformat.read(p / "ke-hoach-2025.ipynb", as_version=4)
            for p in (alone.manifest.parent, got))
    def sources(nb) -> list[str]:  # the staging folder's name is the run's own
        return [re.sub(r'out_dir = ".*"', "", c.source) for c in nb.cells]

    assert sources(a) == sources(b)  # papermill's cell of parameters too
    assert [c.get("execution_count") for c in a.cells] == [
        c.get("execution_count") for c in b.cells]  # the warm kernel counts from 1 again
    facts_a, facts_b = recorded(a), recorded(b)
    assert facts_a["values"] == facts_b["values"] and facts_b["area_code"] == "21529c"
    manifest = json.loads((got / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["area"] == "21529c"
    assert manifest["data"]["sha256"] == json.loads(
        alone.manifest.read_text(encoding="utf-8"))["data"]["sha256"]


def test_without_notebooks_the_documents_are_the_same(two, tmp_path):
    out = tmp_path / "out"
    assert batch(out, "--areas", TWO, "--no-notebooks", "--jobs", "2") == 0
    for code, folder in FOLDERS.items():
        for name in DOCUMENTS:
            assert filecmp.cmp(two / folder / name, out / folder / name, shallow=False), name
        assert not (out / folder / "ke-hoach-2025.ipynb").exists(), code


def test_the_index_lists_every_area_in_order_with_its_figures_and_files(two):
    frame = pd.read_csv(two / CSV, dtype=str, encoding="utf-8-sig")
    assert list(frame["Mã địa bàn"]) == ["535", "21529c"]
    assert list(frame["Trạng thái"]) == ["Đã lập", "Đã lập"]
    district = frame.iloc[0]
    assert district["Hợp tác xã"] == "15" and district["Tổ hợp tác"] == "22"
    assert district["Tổ chức KTTT"] == "37" and district["Tổ chức so với năm trước"] == "2"
    for stage in ("Biểu đồ (giây)", "Trình bày (giây)", "Bảng chỉ tiêu (giây)"):
        assert float(frame[stage].iloc[0]) > 0
    page = (two / HTML).read_text(encoding="utf-8")
    assert page.index("huyện Ba Tơ") < page.index("xã Ba Vì")
    assert 'href="xa-ba-vi-21529c/ke-hoach-2025.html"' in page
    assert 'href="huyen-ba-to-535/phu-luc-2025.xlsx"' in page
    assert "2 địa bàn đã lập, 0 đã có và không đổi, 0 lỗi" in page
    record = json.loads((two / "batch.json").read_text(encoding="utf-8"))
    assert [a["status"] for a in record["areas"]] == [DONE, DONE]


def test_a_rerun_skips_what_is_up_to_date_and_redoes_what_changed(two, tmp_path, capsys):
    out = Path(shutil.copytree(two, tmp_path / "out"))
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*.html")}
    assert batch(out, "--areas", TWO) == 0
    said = capsys.readouterr().out
    assert "0 địa bàn đã lập, 2 giữ nguyên" in said
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.html")
            if p.name != HTML} == {p: t for p, t in before.items() if p.name != HTML}
    page = out / FOLDERS["21529c"] / "ke-hoach-2025.html"
    page.write_text(page.read_text(encoding="utf-8") + " ", encoding="utf-8")  # edited
    assert batch(out, "--areas", TWO) == 0
    assert "1 địa bàn đã lập, 1 giữ nguyên" in capsys.readouterr().out
    assert batch(out, "--areas", TWO, "--format", "html") == 0  # other parameters
    assert "2 địa bàn đã lập, 0 giữ nguyên" in capsys.readouterr().out
    assert batch(out, "--areas", TWO, "--format", "html", "--force") == 0
    assert "2 địa bàn đã lập, 0 giữ nguyên" in capsys.readouterr().out


def test_an_area_that_fails_is_recorded_and_the_others_are_made(tmp_path, capsys):
    stories = tmp_path / "thuyet-minh"
    stories.mkdir()
    (stories / "21529c-2025.md").write_text("## X {#khong_co}\n", encoding="utf-8")
    shutil.copy(SAMPLE_DIR / "thuyet-minh-2025.md", stories / "huyen-ba-to.md")
    out = tmp_path / "out"
    assert batch(out, "--areas", f"{TWO},xã Ba Xa", "--narratives", str(stories),
                 "--no-notebooks") == 1
    frame = pd.read_csv(out / CSV, dtype=str, encoding="utf-8-sig").set_index("Mã địa bàn")
    assert frame.loc["21529c", "Trạng thái"] == "Lỗi"
    assert "mục {#khong_co} không có trong đề cương" in frame.loc["21529c", "Lý do"]
    assert list(frame.loc[["535", "21538c"], "Trạng thái"]) == ["Đã lập", "Đã lập"]
    assert not (out / FOLDERS["21529c"]).exists()
    manifest = json.loads((out / FOLDERS["535"] / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["narrative"]["path"].endswith("huyen-ba-to.md")  # found by its name
    err = capsys.readouterr()
    assert "[3/3]" in err.err and "Lỗi" in err.err and "khong_co" in err.err
    page = (out / HTML).read_text(encoding="utf-8")
    assert "1 lỗi" in page and "khong_co" in page


def test_a_narrative_name_several_areas_could_claim_is_used_by_none(tmp_path):
    from htxlib.inputs.registry import open_registry
    from htxlib.run.areas import narratives

    reg = open_registry(SAMPLE_DIR)
    areas = select(reg, pd.Timestamp(AS_OF).date())
    folder = tmp_path / "n"
    folder.mkdir()
    (folder / "ba-to.md").write_text("", encoding="utf-8")  # no unit word: not a slug
    (folder / "xa-ba-to-2025.md").write_text("", encoding="utf-8")
    (folder / "21484c.md").write_text("", encoding="utf-8")
    found = narratives(areas, folder, 2025)
    assert found == {"21523c": folder / "xa-ba-to-2025.md", "21484c": folder / "21484c.md"}


@pytest.mark.parametrize(("extra", "codes"), [
    ((), None),  # the district and its 19 communes with data
    (("--level", "xa"), 19),
    (("--level", "huyen"), ["535"]),
    (("--areas", "xã Ba Vì,535"), ["535", "21529c"]),
])
def test_the_areas_of_a_batch(extra, codes):
    from htxlib.inputs.registry import open_registry

    reg = open_registry(SAMPLE_DIR)
    opts = dict(zip(extra[::2], extra[1::2], strict=True))
    levels = {"tinh": "province", "huyen": "district", "xa": "commune"}
    got = [a.code for a in select(
        reg, pd.Timestamp(AS_OF).date(),
        [levels[x] for x in opts.get("--level", "").split(",") if x],
        [n for n in opts.get("--areas", "").split(",") if n])]
    if codes is None:
        assert got[0] == "535" and len(got) == 20
    elif isinstance(codes, int):
        assert len(got) == codes and "535" not in got
    else:
        assert got == codes


@pytest.mark.parametrize(("extra", "said"), [
    (("--level", "thon"), "--level: “thon” không phải cấp địa bàn"),
    (("--areas", "Ba Vìi"), "có phải"),
    (("--jobs", "0"), "--jobs: cần một số nguyên dương"),
    (("--executor", "dask"), "cần --scheduler"),
    (("--narratives", "/khong/co"), "không có thư mục"),
])
def test_a_bad_command_says_why_and_exits_2(tmp_path, capsys, extra, said):
    assert batch(tmp_path / "out", *extra) == 2
    assert said in capsys.readouterr().err
    assert not (tmp_path / "out" / HTML).exists()


def test_data_with_errors_make_no_area_and_exit_1(tmp_path, capsys):
    data = Path(shutil.copytree(SAMPLE_DIR, tmp_path / "data"))
    rec = data / "records.csv"
    text = rec.read_text(encoding="utf-8")
    rec.write_text(text.replace("BT-HTX-01,31/12/2021,Thực hiện cả năm,39,",
                                "BT-HTX-01,31/12/2021,Thực hiện cả năm,-39,"), encoding="utf-8")
    assert batch(tmp_path / "out", data=data) == 1
    assert "không lập được báo cáo cho địa bàn nào" in capsys.readouterr().err


def test_progress_is_a_bar_on_a_terminal_and_lines_in_a_log(tmp_path):
    import io

    log = io.StringIO()
    progress = Progress(2, log, bar=False)
    progress.update("xã Ba Vì", AreaResult("21529", DONE, seconds=1.25, warnings=3))
    progress.update("xã Ba Xa", AreaResult("21538", FAILED, reason="Tệp hỏng."))
    assert log.getvalue().splitlines() == [
        "[1/2] xã Ba Vì: Đã lập (1,3 giây)",
        "[2/2] xã Ba Xa: Lỗi (0 giây) — Tệp hỏng."]
    bar = io.StringIO()
    progress = Progress(2, bar, bar=True)
    progress.update("xã Ba Vì", AreaResult("21529", SKIPPED))
    progress.close()
    assert "1/2 địa bàn" in bar.getvalue() and "lỗi=0" in bar.getvalue()


def test_ctrl_c_keeps_finished_areas_and_leaves_nothing_half_written(tmp_path):
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "htxlib.cli", "batch", str(SAMPLE_DIR), "--year", "2025",
           "--as-of", AS_OF, "--out", str(out), "--jobs", "2"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(out.glob("*/manifest.json"))) < 2:
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal sends it: to the whole group
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "Đã dừng (Ctrl-C)" in err and "Traceback" not in err
    frame = pd.read_csv(out / CSV, dtype=str, encoding="utf-8-sig")
    done = frame[frame["Trạng thái"] == "Đã lập"]
    assert 2 <= len(done) < 20 and (frame["Trạng thái"] == "Chưa chạy").any()
    for folder in out.iterdir():
        if folder.is_dir():  # an area's folder is whole, or not there at all
            assert not list(folder.glob(".htx-run-*")), folder
            assert {p.name for p in folder.iterdir()} == {
                *DOCUMENTS, "ke-hoach-2025.ipynb", "manifest.json"}, folder
    assert batch(out) == 0  # the rerun resumes: the finished areas are skipped


def test_the_dask_executor_writes_what_the_local_pool_writes(two, tmp_path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        out = tmp_path / "out"
        opts = BatchOptions(data=SAMPLE_DIR, year=2025, as_of=AS_OF, areas=TWO, out=out,
                            executor="dask", scheduler=cluster.scheduler_address, bar=False)
        result = run_batch(opts)
    assert result.status == 0
    workers = {r.worker for r in result.results.values()}
    assert all(str(os.getpid()) not in w for w in workers)  # made in the Dask workers
    for folder in FOLDERS.values():
        for name in DOCUMENTS:
            assert filecmp.cmp(two / folder / name, out / folder / name, shallow=False), name


EVIL = "<script>alert(1)</script>"


@pytest.mark.browser
def test_the_index_page_opens_offline_and_escapes_names_from_the_data(tmp_path):
    """A commune named like a script: its text, not markup, in the page and the CSV; the
    page asks for nothing outside itself in headless Chromium."""
    from htxlib.browser import open_offline
    from tests.conftest import org, rec, write_input
    from tests.test_browser import require_chromium

    require_chromium()
    orgs = [org("E1", commune=EVIL), org("E2", commune="=HYPERLINK(\"http://x\")")]
    recs = [rec("E1", "31/12/2023", "Thực hiện cả năm", members=9), rec("E1", members=10),
            rec("E2", members=5)]
    data = write_input(tmp_path / "data", organisations=orgs, records=recs)
    out = tmp_path / "out"
    assert main(["batch", str(data), "--year", "2025", "--out", str(out),
                 "--no-notebooks"]) == 0
    page = (out / HTML).read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script" not in page
    frame = pd.read_csv(out / CSV, dtype=str, encoding="utf-8-sig")
    assert EVIL in set(frame["Địa bàn"].str.replace("xã ", "", regex=False))
    visit = open_offline(out / HTML, tmp_path / "index.png", width=1200, height=700)
    assert visit.returncode == 0 and visit.requests == [] and visit.external == []
    assert (tmp_path / "index.png").stat().st_size > 5000


def test_an_area_that_fails_inside_its_notebook_leaves_the_kernel_to_the_next(tmp_path):
    """xã Ba Xa without any figure of 2024 fails in the notebook (no report of dashes); the
    same warm kernel (one worker) then makes xã Ba Vì, whose files are as before."""
    data = Path(shutil.copytree(SAMPLE_DIR, tmp_path / "data"))
    orgs = pd.read_csv(data / "organisations.csv", dtype=str)
    place = orgs["Xã/phường/thị trấn"].str.replace("xã ", "", regex=False)
    ba_xa = set(orgs.loc[place == "Ba Xa", "Mã tổ chức"])
    assert len(ba_xa) == 3
    records = pd.read_csv(data / "records.csv", dtype=str, keep_default_na=False)
    keep = ~(records["Mã tổ chức"].isin(ba_xa) & records["Ngày số liệu"].str.endswith("2024"))
    records[keep].to_csv(data / "records.csv", index=False)
    out = tmp_path / "out"
    assert batch(out, "--areas", "xã Ba Xa,xã Ba Vì", "--jobs", "1", data=data) == 1
    frame = pd.read_csv(out / CSV, dtype=str, encoding="utf-8-sig").set_index("Mã địa bàn")
    assert frame.loc["21538c", "Trạng thái"] == "Lỗi"
    assert "Không có số liệu thực hiện nào của xã Ba Xa" in frame.loc["21538c", "Lý do"]
    assert "ô lệnh số" in frame.loc["21538c", "Lý do"]  # the notebook's cell is named
    assert frame.loc["21529c", "Trạng thái"] == "Đã lập"
    alone = run_report(params.check(data=data, year=2025, as_of=AS_OF, area="21529c"),
                       tmp_path / "alone", notebooks=False)
    for name in DOCUMENTS:
        assert filecmp.cmp(alone.manifest.parent / name, out / FOLDERS["21529c"] / name,
                           shallow=False), name


def test_a_folder_of_forms_alone_makes_a_batch(tmp_path):
    """The post-reform sample: the new communes' forms, no organisations."""
    from htxlib.config import DATA_DIR

    out = tmp_path / "out"
    assert main(["batch", str(DATA_DIR / "sample" / "ba-to-2025"), "--year", "2026",
                 "--as-of", "30/9/2025", "--out", str(out), "--no-notebooks",
                 "--level", "xa"]) == 0
    frame = pd.read_csv(out / CSV, dtype=str, encoding="utf-8-sig")
    assert len(frame) == 8 and set(frame["Trạng thái"]) == {"Đã lập"}
    assert "21529" in set(frame["Mã địa bàn"])
