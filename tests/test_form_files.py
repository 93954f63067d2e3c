"""A folder of forms read fast (``htxlib.inputs.form_files``): what comes from the cache
or from a pool of processes is exactly what a plain read of the files gives, a changed
form is read again, and a cache that is off, stale, broken or unwritable changes nothing."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from htxlib.config import DATA_DIR
from htxlib.inputs import form_files, submission
from htxlib.inputs.form_files import cache_file, read_folder_forms
from htxlib.inputs.problems import Problems
from htxlib.inputs.registry import open_registry
from htxlib.inputs.submission import forms_frame, read_forms, spec

SAMPLE = DATA_DIR / "sample" / "ba-to-2025"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The post-reform sample's 8 forms, one with a text cell (an error to keep)."""
    out = tmp_path / "data"
    shutil.copytree(SAMPLE, out)
    return out


def forms_of(folder: Path) -> list[Path]:
    return sorted((folder / "submissions").glob("*.xlsx"))


def spoil(path: Path, text: str = "mười hai") -> None:
    """Type ``text`` into the first value cell of the form's first row (after its header)."""
    book = openpyxl.load_workbook(path)
    sheet = book[spec()["sheet"]]
    sheet.cell(spec()["header_row"] + 1, len(spec()["columns"]) + 2).value = text
    book.save(path)


def frame_and_problems(reads: list, paths: list[Path]) -> tuple[pd.DataFrame, pd.DataFrame]:
    problems = Problems()
    return forms_frame(reads, [], problems), problems.frame()


def plain(paths: list[Path]) -> tuple[pd.DataFrame, pd.DataFrame]:
    problems = Problems()
    return read_forms(paths, problems), problems.frame()


def test_the_second_read_comes_from_the_cache_and_is_the_same(folder, monkeypatch):
    paths = forms_of(folder)
    spoil(paths[2])
    first = frame_and_problems(read_folder_forms(paths), paths)
    assert cache_file(folder / "submissions").exists()

    def no_reading(path: Path):
        raise AssertionError(f"{path.name} read again")

    monkeypatch.setattr(form_files, "read_xlsx", no_reading)
    again = frame_and_problems(read_folder_forms(paths), paths)
    want = plain(paths)
    for got in (first, again):
        pd.testing.assert_frame_equal(got[0], want[0])
        pd.testing.assert_frame_equal(got[1], want[1])
    assert (want[1]["code"] == "submission_not_number").sum() == 1


@pytest.mark.parametrize("change", ["edit", "replace", "remove", "add"])
def test_a_changed_folder_is_read_again_where_it_changed(folder, monkeypatch, change):
    paths = forms_of(folder)
    read_folder_forms(paths)
    if change == "edit":
        spoil(paths[0], "12,5")  # a number now: the value changes
    elif change == "replace":  # another form under the same name, same size and time kept
        st = paths[1].stat()
        shutil.copy(paths[2], paths[1])
        os.utime(paths[1], ns=(st.st_atime_ns, st.st_mtime_ns + 1))
    elif change == "remove":
        paths[3].unlink()
    else:
        shutil.copy(paths[0], folder / "submissions" / "zz-copy.xlsx")
    paths = forms_of(folder)
    seen = []
    real = submission.read_xlsx
    monkeypatch.setattr(form_files, "read_xlsx", lambda p: seen.append(p.name) or real(p))
    got = frame_and_problems(read_folder_forms(paths), paths)
    want = plain(paths)
    pd.testing.assert_frame_equal(got[0], want[0])
    expected = {"edit": [paths[0].name], "replace": [paths[1].name], "remove": [],
                "add": ["zz-copy.xlsx"]}[change]
    assert seen == expected


def test_a_new_htxlib_does_not_use_an_old_cache(folder, monkeypatch):
    paths = forms_of(folder)
    read_folder_forms(paths)
    monkeypatch.setattr(form_files, "source_fingerprint", lambda: "another version")
    seen = []
    real = submission.read_xlsx
    monkeypatch.setattr(form_files, "read_xlsx", lambda p: seen.append(p) or real(p))
    read_folder_forms(paths)
    assert seen == paths


@pytest.mark.parametrize("bad", ["garbage", "empty", "directory", "unwritable"])
def test_a_broken_or_unwritable_cache_is_ignored(folder, monkeypatch, tmp_path, bad):
    paths = forms_of(folder)
    cache = cache_file(folder / "submissions")
    if bad == "garbage":
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_bytes(b"PK\x03\x04 not a zip at all")
    elif bad == "empty":
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_bytes(b"")
    elif bad == "directory":
        cache.mkdir(parents=True)
    else:
        blocker = tmp_path / "a-file"
        blocker.write_text("x")
        monkeypatch.setenv("HTX_CACHE_DIR", str(blocker / "cache"))
    got = frame_and_problems(read_folder_forms(paths), paths)
    pd.testing.assert_frame_equal(got[0], plain(paths)[0])


def test_the_cache_can_be_turned_off(folder, monkeypatch, tmp_path):
    monkeypatch.setenv("HTX_CACHE_DIR", "off")
    assert cache_file(folder) is None
    paths = forms_of(folder)
    pd.testing.assert_frame_equal(frame_and_problems(read_folder_forms(paths), paths)[0],
                                  plain(paths)[0])


def test_a_pool_of_processes_reads_the_same_forms_in_the_same_order(folder, monkeypatch):
    monkeypatch.setenv("HTX_CACHE_DIR", "off")
    monkeypatch.setattr(form_files, "PARALLEL_FROM", 2)
    paths = forms_of(folder)
    spoil(paths[5])
    got = frame_and_problems(read_folder_forms(paths, jobs=2), paths)
    want = plain(paths)
    pd.testing.assert_frame_equal(got[0], want[0])
    pd.testing.assert_frame_equal(got[1], want[1])


def test_an_unreadable_form_read_in_the_pool_is_named_and_the_others_read(folder,
                                                                          monkeypatch):
    monkeypatch.setattr(form_files, "PARALLEL_FROM", 2)
    paths = forms_of(folder)
    paths[4].write_bytes(b"not a workbook")
    reads = read_folder_forms(paths, jobs=2)
    assert [len(r.value) > 0 for r in reads] == [i != 4 for i in range(len(paths))]
    assert [p[1] for p in reads[4].problems] == ["submission_unreadable"]
    assert paths[4].name in reads[4].problems[0][-1]


def test_the_registry_reads_its_forms_through_the_cache(folder, monkeypatch):
    first = open_registry(folder)
    monkeypatch.setattr(form_files, "read_xlsx", lambda p: pytest.fail(f"{p} read again"))
    again = open_registry(folder)
    pd.testing.assert_frame_equal(first.submissions, again.submissions)
    pd.testing.assert_frame_equal(first.problems.frame(), again.problems.frame())


def test_the_checks_of_unchanged_forms_are_kept_and_found_again_after_a_change(folder,
                                                                               monkeypatch):
    from htxlib.inputs import registry as registry_module

    paths = forms_of(folder)
    book = openpyxl.load_workbook(paths[0])
    sheet = book[spec()["sheet"]]
    first_value = len(spec()["columns"]) + 2
    sheet.cell(spec()["header_row"] + 1, first_value).value = -5  # a negative count
    book.save(paths[0])
    before = open_registry(folder).problems.frame()
    assert (before["code"] == "submission_negative").sum() == 1
    calls = []
    real = registry_module.check_forms
    monkeypatch.setattr(registry_module, "check_forms",
                        lambda *a: calls.append(1) or real(*a))
    again = open_registry(folder).problems.frame()
    assert calls == []  # nothing changed: the checks are not run again
    pd.testing.assert_frame_equal(again, before, check_dtype=False)
    sheet.cell(spec()["header_row"] + 1, first_value).value = 5
    book.save(paths[0])
    after = open_registry(folder).problems.frame()
    assert calls == [1]
    assert not (after["code"] == "submission_negative").any()


def test_a_long_csv_beside_workbooks_counts_like_the_workbook_it_was_written_from(folder):
    """Forms as workbooks and as a long CSV in one folder: one frame, the same figures."""
    from htxlib.indicators import indicator_table

    before = open_registry(folder)
    path = forms_of(folder)[0]
    rows = before.submissions[before.submissions["file"] == path.name]
    words = spec()["long_csv"]["columns"]
    csv = pd.DataFrame({
        words["unit_name"]: rows["unit_name"].astype(str),
        words["unit_code"]: rows["unit_code"].astype(str),
        words["as_of"]: [f"{d.day}/{d.month}/{d.year}" for d in rows["as_of"]],
        words["period"]: rows["period"].astype(str), words["code"]: rows["code"].astype(str),
        words["breakdown"]: rows["category"].astype(str),
        words["value"]: [f"{v:g}" for v in rows["value"]]})
    path.unlink()
    csv.to_csv(folder / "submissions" / "mot-xa.csv", index=False)
    after = open_registry(folder)
    assert after.ok, after.problems.frame()
    cols = ["unit_code", "period", "code", "breakdown", "category", "value"]

    def key(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[cols].astype({c: str for c in cols[:-1]}).sort_values(cols).reset_index(
            drop=True)

    pd.testing.assert_frame_equal(key(after.submissions), key(before.submissions))
    as_of = before.submissions["as_of"].iloc[0]
    a, b = (indicator_table(r, as_of, history=False) for r in (before, after))
    pd.testing.assert_series_equal(a["value"], b["value"])
