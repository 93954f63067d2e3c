"""One session for the pipeline (``htxlib.session``): reports made from a kept or saved
session are the reports made from the input, a changed input is read again, and the
session's cuts (facts, table) are the indicator table's."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest

from htxlib import session as session_module
from htxlib.config import DATA_DIR, SAMPLE_DIR
from htxlib.indicators import indicator_table
from htxlib.inputs import registry as registry_module
from htxlib.inputs.files import input_checksums
from htxlib.report import params
from htxlib.report.facts import gather
from htxlib.report.params import ParamError
from htxlib.session import Session, SessionCache, choose_as_of, open_checked
from htxlib.timing import Timer

AS_OF = dt.date(2024, 6, 10)


@pytest.fixture(autouse=True)
def nothing_kept():
    session_module.CACHE.clear()
    yield
    session_module.CACHE.clear()


@pytest.fixture
def opened(monkeypatch) -> list[Path]:
    """The inputs ``open_registry`` is asked to read, in order."""
    calls: list[Path] = []
    real = registry_module.open_registry
    monkeypatch.setattr(session_module, "open_registry", lambda p: calls.append(p) or real(p))
    return calls


def test_a_second_report_of_the_same_data_reads_nothing_again(opened, tmp_path):
    data = Path(shutil.copytree(SAMPLE_DIR, tmp_path / "data"))
    first = Session.open(data=data, year=2025, as_of="10/6/2024").report()
    commune = Session.open(data=data, year=2025, as_of="10/6/2024", area="xã Ba Vì").report()
    assert len(opened) == 1
    assert first.info.area_name == "huyện Ba Tơ" and commune.info.area_name == "xã Ba Vì"
    Session.open(data=data, year=2025, as_of="31/12/2024").report()  # another date
    assert len(opened) == 2
    targets = data / "targets.csv"
    targets.write_text(targets.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    Session.open(data=data, year=2025, as_of="31/12/2024").report()  # a changed file
    assert len(opened) == 3


def test_one_session_gives_every_area_of_its_data(opened):
    s = Session.open(data=SAMPLE_DIR, year=2025, as_of="10/6/2024")
    assert [s.report(a).info.area_code for a in ("", "xã Ba Vì", "535")] == [
        "535", "21529c", "535"]
    assert s.area() == "535" and len(opened) == 1


def test_a_session_asked_without_a_date_is_kept_under_the_date_it_chose(opened):
    s = Session.open(data=SAMPLE_DIR, year=2025)
    again = Session.open(data=SAMPLE_DIR, year=2025, as_of=s.as_of.isoformat())
    assert again.as_of == s.as_of and len(opened) == 1


@pytest.mark.parametrize("area", ["535", "21529c"])
def test_the_facts_from_the_sessions_values_are_those_of_the_indicator_table(area):
    s = Session.open(data=SAMPLE_DIR, year=2025, as_of="10/6/2024")
    cut = s.facts(area).table
    whole = gather(s.registry, area, 2025, AS_OF).table
    pd.testing.assert_frame_equal(cut, whole)
    alone = indicator_table(s.registry, AS_OF, area=area, by_organisation=True)
    pd.testing.assert_frame_equal(cut, alone)
    pd.testing.assert_frame_equal(s.table(area), indicator_table(s.registry, AS_OF, area=area))


def test_a_saved_session_is_used_by_another_process_only_for_its_own_data(
        tmp_path, opened):
    check = params.check(data=SAMPLE_DIR, year=2025, as_of="10/6/2024")
    made = Session.open(check)
    path = tmp_path / "session.pickle"
    made.save(path)
    elsewhere = SessionCache()  # another process: nothing kept
    loaded = Session.open(check, prepared=path, cache=elsewhere)
    assert len(opened) == 1  # the first open only
    assert loaded.key == made.key and loaded.registry is not made.registry
    assert loaded.report().info == made.report().info
    other = params.check(data=SAMPLE_DIR, year=2025, as_of="31/12/2024")
    Session.open(other, prepared=path, cache=elsewhere)  # another date: not for it
    assert len(opened) == 2


def test_the_sessions_timer_counts_each_stage():
    timer = Timer()
    plan = Session.open(data=SAMPLE_DIR, year=2025, as_of="10/6/2024", timer=timer).report()
    plan.charts[0].image("png")
    spent = timer.take()
    assert {"load", "facts", "render", "charts"} <= set(spent) and all(
        v >= 0 for v in spent.values())
    assert plan.timer is timer and timer.take() == {}


def test_the_default_as_of_date_is_the_latest_of_the_editions_period():
    plan = params.check(data=DATA_DIR / "sample" / "ba-to-2025", area="21529", year=2026)
    assert choose_as_of(open_checked(plan), plan) == dt.date(2025, 9, 30)
    half = params.check(data=DATA_DIR / "sample" / "ba-to-2025", year=2026,
                        edition="mid-year")
    assert choose_as_of(open_checked(half), half) == dt.date(2026, 6, 14)
    with pytest.raises(ParamError, match="2030"):
        Session.open(data=SAMPLE_DIR, year=2031)


def test_a_session_says_what_it_holds():
    """A summary in a few lines, at the prompt and in Jupyter, never the data."""
    s = Session.open(data=SAMPLE_DIR, year=2025, as_of="10/6/2024")
    lines = repr(s).splitlines()
    assert lines[0] == "Phiên làm việc htx" and len(lines) < 15
    said = dict(line.strip().split("  ", 1) for line in lines[1:])
    said = {k.strip(): v.strip() for k, v in said.items()}
    assert said["Văn bản"] == "kế hoạch năm 2025"
    assert said["Số liệu đến ngày"] == "10/6/2024"
    assert said["Tổ chức"] == str(len(s.registry.organisations))
    assert said["Các kỳ số liệu"] == "2021, 2022, 2023, 10/6/2024, ước 2024"
    assert said["Lỗi, cảnh báo"] == "0 lỗi, 0 cảnh báo"
    assert "Phiên làm việc htx" in s._repr_html_() and "10/6/2024" in s._repr_html_()
    reg = repr(s.registry).splitlines()
    assert reg[0] == "Dữ liệu htx" and len(reg) < 10
    assert len(repr(s.problems).splitlines()) == 1


def test_the_checksum_of_a_folder_covers_its_forms(tmp_path):
    data = Path(shutil.copytree(DATA_DIR / "sample" / "ba-to-2025", tmp_path / "data"))
    whole, files = input_checksums(data)
    names = [f["name"] for f in files]
    assert "submissions/21529.xlsx" in names and "areas.csv" in names
    form = data / "submissions" / "21529.xlsx"
    form.write_bytes(form.read_bytes() + b"\0")
    assert input_checksums(data)[0] != whole


@pytest.mark.parametrize("name", ["22000.ods", "22000.xls", "22000.xlsm", "22000.XLSB"])
def test_every_form_the_reader_reads_is_in_the_checksum(tmp_path, name):
    """A form saved as .ods or .xls is read as a form, so changing it changes the input (it
    was read but not checksummed: a batch called a changed province up to date)."""
    data = Path(shutil.copytree(DATA_DIR / "sample" / "ba-to-2025", tmp_path / "data"))
    (data / "submissions" / name).write_bytes(b"one")
    (data / "submissions" / "ghi-chu.txt").write_bytes(b"not a form")
    (data / "submissions" / "~$21529.xlsx").write_bytes(b"Excel's lock file")
    whole, files = input_checksums(data)
    names = [f["name"] for f in files]
    assert f"submissions/{name}" in names
    assert not any("ghi-chu" in n or "~$" in n for n in names)
    (data / "submissions" / name).write_bytes(b"two")
    assert input_checksums(data)[0] != whole
