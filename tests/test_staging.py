"""A run's outputs all or nothing (issue 25, item 4): the previous files stay byte for byte
when a move into place fails, the message says nothing changed only when that is true,
and staging folders of runs that are over are cleaned by the next run, never a running
one's."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from htxlib import staging
from htxlib.cli import main
from htxlib.config import SAMPLE_DIR
from htxlib.report import params
from htxlib.run.notebook import ReportError, run_report

NAMES = ["a.html", "b.docx", "c.xlsx", "manifest.json"]
KEPT = "Không tệp nào trong"


def _previous(out: Path) -> dict[str, bytes]:
    out.mkdir(parents=True, exist_ok=True)
    for name in NAMES[:3]:  # the earlier run had no manifest: a name new to the folder
        (out / name).write_bytes(f"old {name}".encode())
    return {p.name: p.read_bytes() for p in out.iterdir()}


def _stage_with_new(out: Path) -> Path:
    stage = staging.make_stage(out)
    for name in NAMES:
        (stage / name).write_bytes(f"new {name}".encode())
    return stage


def _failing(monkeypatch, out: Path, nth: int = 2, also=lambda src, dst: False) -> None:
    """os.replace fails on the ``nth`` new file moved into ``out``, and whenever ``also``."""
    real, seen = os.replace, []

    def replace(src, dst) -> None:  # noqa: ANN001
        src, dst = Path(src), Path(dst)
        if dst.parent == out and staging.PREFIX in src.parent.name:
            seen.append(dst.name)
            if len(seen) == nth:
                raise PermissionError(13, "Permission denied", str(dst))
        if also(src, dst):
            raise PermissionError(13, "Permission denied", str(dst))
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)


def _folder(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}


def test_every_file_moves_or_none(tmp_path, monkeypatch):
    out = tmp_path / "out"
    before = _previous(out)
    stage = _stage_with_new(out)
    _failing(monkeypatch, out)
    with pytest.raises(staging.CommitError) as caught:
        staging.commit(stage, NAMES, out)
    assert caught.value.restored and KEPT in str(caught.value)
    assert "b.docx" in str(caught.value)  # the file that did not move
    assert _folder(out) == before  # manifest.json, new to the folder, is not there either
    staging.discard(stage)
    assert not list(out.glob(".htx-run-*"))


def test_a_commit_that_succeeds(tmp_path):
    out = tmp_path / "out"
    _previous(out)
    stage = _stage_with_new(out)
    assert staging.commit(stage, NAMES, out) == [out / n for n in NAMES]
    staging.discard(stage)
    assert _folder(out) == {n: f"new {n}".encode() for n in NAMES}
    assert [p.name for p in out.iterdir()] != [] and not list(out.glob(".htx-run-*"))


def test_a_folder_where_a_file_goes_is_left_alone(tmp_path):
    out = tmp_path / "out"
    before = _previous(out)
    (out / "c.xlsx").unlink()
    (out / "c.xlsx").mkdir()  # somebody's folder: not replaced, not removed
    (out / "c.xlsx" / "x.txt").write_text("x")
    stage = _stage_with_new(out)
    with pytest.raises(staging.CommitError) as caught:
        staging.commit(stage, NAMES, out)
    assert caught.value.restored and (out / "c.xlsx" / "x.txt").read_text() == "x"
    assert {k: v for k, v in _folder(out).items()} == {
        k: v for k, v in before.items() if k != "c.xlsx"}


def test_previous_files_not_put_back_are_named_then_restored_by_the_next_run(
        tmp_path, monkeypatch):
    """The undo fails too: the message does not say nothing changed, it names where the
    previous files are; the next run into the folder, once this process is gone, puts
    them back."""
    out = tmp_path / "out"
    before = _previous(out)
    stage = _stage_with_new(out)
    _failing(monkeypatch, out, also=lambda src, dst: src.parent.name == staging.BACKUP
             and dst.name == "a.html")
    with pytest.raises(staging.CommitError) as caught:
        staging.commit(stage, NAMES, out)
    text = str(caught.value)
    assert not caught.value.restored and KEPT not in text and "giữ nguyên" not in text
    assert str(stage / staging.BACKUP) in text
    assert not (out / "a.html").exists()  # really missing: the message had to say so
    staging.discard(stage)
    assert stage.is_dir()  # it holds a.html's previous bytes: kept
    monkeypatch.undo()
    _owned_by(stage, _dead_pid())
    staging.make_stage(out)  # the next run
    assert not stage.exists() and _folder(out) == before


def test_a_failed_move_in_a_report_keeps_the_earlier_report(tmp_path, monkeypatch, capsys):
    """htx report: exit 2, the step and the file named, the earlier report as it was."""
    out = tmp_path / "out"
    args = ["report", str(SAMPLE_DIR), "--year", "2025", "--as-of", "10/6/2024", "--area",
            "21529c", "--out", str(out)]
    assert main(args) == 0
    said = capsys.readouterr().out
    assert said.startswith(f"Đã lập báo cáo trong {out.resolve()}:")
    before = _folder(out)
    assert len(before) == 5 and all(f"  {name}: " in said for name in before)
    _failing(monkeypatch, out)
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "“ghi kết quả”" in err and "Không chuyển được" in err
    assert f"Báo cáo cũ (nếu có) trong {out.resolve()} được giữ nguyên." in err
    assert _folder(out) == before and not list(out.glob(".htx-run-*"))


def test_a_report_without_notebook_too(tmp_path, monkeypatch):
    out = tmp_path / "out"
    check = params.check(data=SAMPLE_DIR, year=2025, as_of="10/6/2024", area="21529c")
    run_report(check, out, notebooks=False)
    before = _folder(out)
    _failing(monkeypatch, out, nth=4)
    with pytest.raises(ReportError) as caught:
        run_report(check, out, notebooks=False)
    assert caught.value.ename == "OutputError" and "được giữ nguyên" in str(caught.value)
    assert _folder(out) == before


def test_the_batch_index_moves_in_whole(tmp_path, monkeypatch):
    """index.html, index.csv and batch.json: the earlier three stay when one cannot move."""
    out = tmp_path / "b"
    args = ["batch", str(SAMPLE_DIR), "--year", "2025", "--as-of", "10/6/2024", "--out",
            str(out), "--no-notebooks", "--areas", "21529c", "--jobs", "1"]
    assert main(args) == 0
    index = {n: (out / n).read_bytes() for n in ("index.html", "index.csv", "batch.json")}
    _failing(monkeypatch, out, nth=3)
    assert main([*args, "--force"]) == 2
    assert {n: (out / n).read_bytes() for n in index} == index
    assert not list(out.glob(".htx-run-*"))


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _owned_by(folder: Path, pid: int, host: str | None = None, age: float = 0.0) -> None:
    owner = {"pid": pid, "host": host or socket.gethostname(), "started": time.time() - age}
    (folder / staging.OWNER).write_text(json.dumps(owner), encoding="utf-8")


@pytest.mark.skipif(os.name == "nt", reason="a process's end is told by os.kill on POSIX")
def test_staging_folders_of_runs_that_are_over_are_cleaned(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    folders = {k: out / f"{staging.PREFIX}{k}" for k in
               ("dead", "running", "other-host", "other-host-old", "no-owner", "no-owner-old")}
    for folder in folders.values():
        folder.mkdir()
        (folder / "ke-hoach-2025.html").write_text("half")
    _owned_by(folders["dead"], _dead_pid())
    _owned_by(folders["running"], os.getppid(), age=3 * staging.STALE_SECONDS)  # alive
    _owned_by(folders["other-host"], 1, host="elsewhere")
    _owned_by(folders["other-host-old"], 1, host="elsewhere", age=staging.STALE_SECONDS + 60)
    old = time.time() - staging.STALE_SECONDS - 60
    os.utime(folders["no-owner-old"], (old, old))
    (out / "ke-hoach-2025.html").write_text("the report")
    stage = staging.make_stage(out)  # the next run
    left = {p.name for p in out.glob(f"{staging.PREFIX}*")} - {stage.name}
    assert left == {folders[k].name for k in ("running", "other-host", "no-owner")}
    assert (out / "ke-hoach-2025.html").read_text() == "the report"
    shutil.rmtree(stage)


def test_a_report_cleans_what_a_killed_run_left(tmp_path):
    out = tmp_path / "out"
    check = params.check(data=SAMPLE_DIR, year=2025, as_of="10/6/2024", area="21529c")
    killed = out / f"{staging.PREFIX}killed"
    killed.mkdir(parents=True)
    _owned_by(killed, _dead_pid())
    (killed / "phu-luc-2025.xlsx").write_bytes(b"half written")
    run_report(check, out, notebooks=False)
    assert not killed.exists() and not list(out.glob(".htx-run-*"))
