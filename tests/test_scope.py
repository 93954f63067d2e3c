"""A name or a date means the same in the library as on the command line; no empty tables."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from htxlib.indicators import indicator_table
from htxlib.inputs.registry import open_registry
from htxlib.inputs.scope import (
    DataError,
    ScopeError,
    as_date,
    coverage_problem,
    pick_area,
)
from htxlib.report.facts import gather
from htxlib.session import choose_area
from tests.conftest import org, rec, write_input


@pytest.fixture(scope="module")
def sample():
    return open_registry(None)


@pytest.mark.parametrize("text, code", [
    ("535", "535"), ("Ba Tơ", "535"), ("huyện Ba Tơ", "535"), ("  Huyện  Ba Tơ ", "535"),
    ("thị trấn Ba Tơ", "21484c"), ("xã Ba Vì", None), ("Ba Tô", None),
])
def test_names_resolve_as_on_the_command_line(sample, text, code):
    got = pick_area(sample.areas, text, when=dt.date(2024, 6, 10))
    assert got == code or (code is None and got in sample.areas.by_code.index)


@pytest.mark.parametrize("text", ["Ba To", "Ba Tơ Tơ", "huyện Không Có", "999999"])
def test_a_name_that_matches_nothing_is_an_error_with_suggestions(sample, text):
    with pytest.raises(ScopeError, match=f"“{text}”"):
        pick_area(sample.areas, text)


def test_suggestions_show_proper_names_not_keys(sample):
    with pytest.raises(ScopeError) as err:
        pick_area(sample.areas, "Ba To")
    assert "huyện Ba Tơ (tỉnh Quảng Ngãi)" in str(err.value)


def test_derived_units_are_shown_with_their_parents_and_no_lowercase_key(tmp_path):
    folder = write_input(tmp_path / "d", organisations=[
        org("H1", province="Hà Tĩnh", district="Thạch Hà", commune="Thạch Xuân")],
        records=[rec("H1")])
    reg = open_registry(folder)
    (code,) = reg.areas.resolve("Thạch Xuân")
    shown = reg.areas.proper_name(code)
    assert "Thạch Xuân" in shown and "Thạch Hà" in shown and "Hà Tĩnh" in shown
    assert "hà tĩnh/" not in shown and "[mã" not in shown


@pytest.mark.parametrize("area", ["Ba Tơ", "535", "huyện Ba Tơ"])
@pytest.mark.parametrize("as_of", ["2024-06-10", "10/6/2024", dt.date(2024, 6, 10)])
def test_indicator_table_takes_names_and_dates_like_the_cli(sample, area, as_of):
    t = indicator_table(sample, as_of, area=area, history=False)
    assert not t.empty
    own = t[(t["area_code"] == "535") & (t["code"] == "htx_count")
            & (t["breakdown"].astype(object).fillna("") == "")
            & (t["period"] == "2024-06-10")]
    assert len(own) == 1


def test_indicator_table_on_an_unknown_name_raises(sample):
    with pytest.raises(ScopeError, match="Ba To"):
        indicator_table(sample, "2024-06-10", area="Ba To")


@pytest.mark.parametrize(("text", "why"), [
    ("31/2/2024", "không có trong lịch: tháng 2/2024 chỉ có các ngày từ 1 đến 29"),
    ("2023-02-29", "không có trong lịch: tháng 2/2023 chỉ có các ngày từ 1 đến 28"),
    ("2024-13-01", "Không có tháng 13"),
    ("6/13/2024", "Có phải ngày 13/6/2024?"),
    ("2024", "Mới có năm"),
    ("hôm qua", "Không đọc được ngày"),
    ("", "Không đọc được ngày"),
])
def test_a_bad_date_is_an_error_that_says_why(text, why):
    with pytest.raises(ScopeError, match=re.escape(why)):
        as_date(text)


def test_indicator_table_refuses_a_registry_with_errors(tmp_path):
    bad = write_input(tmp_path / "bad", organisations=[org("H1")],
                      records=[rec("H1", members="mười")])
    reg = open_registry(bad)
    assert not reg.ok
    with pytest.raises(DataError, match="lỗi"):
        indicator_table(reg, "2024-06-10")


def test_a_date_with_no_records_in_its_year_is_named(sample):
    assert coverage_problem(sample, dt.date(2024, 6, 10), "535") == ""
    problem = coverage_problem(sample, dt.date(2024, 3, 1), "535")
    assert "1/3/2024" in problem and "10/6/2024" in problem  # the dates it does have
    assert "2030" in coverage_problem(sample, dt.date(2030, 6, 1), None)


@pytest.mark.parametrize(("text", "parent"), [
    ("Xuân, Một", "thử/một"), ("xã Xuân, huyện Hai", "thử/hai"), ("Xuân , Một , Thử", "thử/một")])
def test_a_name_with_its_parents_picks_one_of_two_namesakes(tmp_path, text, parent):
    data = write_input(tmp_path / "d", organisations=[
        org("H1", commune="Xuân", district="Huyện Một"),
        org("H2", commune="Xuân", district="Huyện Hai")], records=[rec("H1"), rec("H2")])
    areas = open_registry(data).areas
    with pytest.raises(ScopeError, match="trùng với nhiều đơn vị"):
        pick_area(areas, "Xuân")
    assert pick_area(areas, text) == f"{parent}/xuân"


def _thach_ha(tmp_path, second: str):
    """Two HTX of one district, typed without unit words; the second commune as given."""
    return open_registry(write_input(
        tmp_path / "in",
        organisations=[org("H1", commune="Thạch Xuân", province="Hà Tĩnh", district="Thạch Hà"),
                       org("H2", commune=second, province="Hà Tĩnh", district="Thạch Hà")],
        records=[rec("H1", members=9), rec("H2", members=7)]))


@pytest.mark.parametrize(("second", "chosen", "name", "level"), [
    ("Thạch Xuân", "thạch xuân", "Thạch Xuân", "commune"),
    ("Thạch Xuan", "thạch hà", "Thạch Hà", "district"),  # two communes: the district
])
def test_a_report_is_named_by_the_units_level_and_word(tmp_path, second, chosen, name, level):
    """The level comes from the column a name was typed in; a unit word the data do not
    give is not guessed in the report (phường or xã?), only in messages. A misspelt
    commune makes two communes, and the warning says so."""
    reg = _thach_ha(tmp_path, second)
    area = choose_area(reg, "", dt.date(2024, 6, 10))
    assert area.endswith(chosen)
    facts = gather(reg, area, 2025, dt.date(2024, 6, 10))
    assert (facts.area_name, facts.level) == (name, level)
    assert reg.areas.display(reg.areas.ancestors(area)[-1]) == "tỉnh Hà Tĩnh"
    variants = reg.problems.frame().query("code == 'spelling_variants'")
    assert len(variants) == (second != "Thạch Xuân")
    assert all("Thạch Xuan" in m and "Thạch Xuân" in m for m in variants["message"])
