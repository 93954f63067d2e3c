"""The data of a report prepared once per process (``htxlib.report.prepared``): reports
made from kept or saved data are the reports made from the input, and a changed input is
read again."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest

from htxlib.config import DATA_DIR, SAMPLE_DIR
from htxlib.indicators import indicator_table
from htxlib.inputs import registry as registry_module
from htxlib.report import params, prepared, report
from htxlib.report.facts import gather
from htxlib.report.params import input_checksums

AS_OF = dt.date(2024, 6, 10)


@pytest.fixture(autouse=True)
def nothing_kept(monkeypatch):
    monkeypatch.setattr(prepared, "_kept", {})
    monkeypatch.delenv(prepared.ENV, raising=False)


@pytest.fixture
def opened(monkeypatch) -> list[Path]:
    """The inputs ``open_registry`` is asked to read, in order."""
    calls: list[Path] = []
    real = registry_module.open_registry
    monkeypatch.setattr(prepared, "open_registry", lambda p: calls.append(p) or real(p))
    return calls


def test_a_second_report_of_the_same_data_reads_nothing_again(opened, tmp_path):
    data = Path(shutil.copytree(SAMPLE_DIR, tmp_path / "data"))
    first = report.build(params.check(data=data, year=2025, as_of="10/6/2024"))
    commune = report.build(params.check(data=data, year=2025, as_of="10/6/2024",
                                        area="xã Ba Vì"))
    assert len(opened) == 1
    assert first.info.area_name == "huyện Ba Tơ" and commune.info.area_name == "xã Ba Vì"
    report.build(params.check(data=data, year=2025, as_of="31/12/2024"))  # another date
    assert len(opened) == 2
    targets = data / "targets.csv"
    targets.write_text(targets.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    report.build(params.check(data=data, year=2025, as_of="31/12/2024"))  # a changed file
    assert len(opened) == 3


@pytest.mark.parametrize("area", ["535", "21529c"])
def test_the_facts_from_prepared_values_are_those_of_the_indicator_table(area):
    p = prepared.prepare(params.check(data=SAMPLE_DIR, year=2025, as_of="10/6/2024"))
    cut = gather(p.registry, area, 2025, AS_OF, p.values).table
    whole = gather(p.registry, area, 2025, AS_OF).table
    pd.testing.assert_frame_equal(cut, whole)
    alone = indicator_table(p.registry, AS_OF, area=area, by_organisation=True)
    pd.testing.assert_frame_equal(cut, alone)


def test_a_saved_preparation_is_used_by_another_process_only_for_its_own_data(
        tmp_path, monkeypatch, opened):
    check = params.check(data=SAMPLE_DIR, year=2025, as_of="10/6/2024")
    made = prepared.prepare(check)
    path = tmp_path / "prepared.pickle"
    prepared.save(made, path)
    monkeypatch.setattr(prepared, "_kept", {})
    monkeypatch.setenv(prepared.ENV, str(path))
    loaded = prepared.prepare(check)
    assert len(opened) == 1  # the first prepare only
    assert loaded.key == made.key and loaded is not made
    assert report.build(check).info == report.build(check).info
    other = params.check(data=SAMPLE_DIR, year=2025, as_of="31/12/2024")
    prepared.prepare(other)  # another as-of date: the saved file is not for it
    assert len(opened) == 2


def test_the_checksum_of_a_folder_covers_its_forms(tmp_path):
    data = Path(shutil.copytree(DATA_DIR / "sample" / "ba-to-2025", tmp_path / "data"))
    whole, files = input_checksums(data)
    names = [f["name"] for f in files]
    assert "submissions/21529.xlsx" in names and "areas.csv" in names
    form = data / "submissions" / "21529.xlsx"
    form.write_bytes(form.read_bytes() + b"\0")
    assert input_checksums(data)[0] != whole
