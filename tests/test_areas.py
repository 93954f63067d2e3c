"""Place names: diacritics matter, unit words do not, dates pick old or merged units;
spellings of one parent that differ only by missing marks are a warning."""

from __future__ import annotations

import pandas as pd
import pytest

from htxlib.inputs.areas import Areas, ascii_key, name_key, split_unit
from htxlib.inputs.names import variants
from htxlib.inputs.registry import open_registry
from tests.conftest import org, write_input


@pytest.mark.parametrize(("text", "word", "key"), [
    ("thị trấn Ba Tơ", "thị trấn", "ba tơ"), ("Xã  Ba Vì", "xã", "ba vì"),
    ("Ba Tô", "", "ba tô"), ("Huyện Ba Tơ", "huyện", "ba tơ"), ("Phường 1", "phường", "1"),
    ("Thành phố Quảng Ngãi", "thành phố", "quảng ngãi"), ("xã", "", "xã"),
])
def test_split_unit(text, word, key):
    assert split_unit(text) == (word, key)


def test_diacritics_are_never_stripped_for_matching():
    assert name_key("Ba Tơ") != name_key("Ba Tô")
    assert ascii_key("Ba Tơ") == ascii_key("Ba Tô") == "ba to"


@pytest.mark.parametrize(("text", "when", "expected"), [
    ("Ba Tơ", None, "535"),  # the district before the town of the same name
    ("thị trấn Ba Tơ", "2024-06-10", "21484c"),  # the old town: its code "c"
    ("xã Ba Tô", "2024-06-10", "21523c"),
    ("xã Ba Vì", "2024-06-10", "21529c"),
    ("xã Ba Vì", "2025-08-01", "21529"),  # after the merger: the new commune, official code
    ("21526", None, "21526"),
])
def test_resolve(sample, text, when, expected):
    assert sample.areas.resolve(text, when=when) == [expected]


def test_suggestion_for_a_name_without_diacritics(sample):
    assert sample.areas.resolve("Ba To") == []
    hint = sample.areas.suggest("Ba To")
    assert "huyện Ba Tơ (tỉnh Quảng Ngãi) [mã 535]" in hint
    assert "xã Ba Tô (huyện Ba Tơ, tỉnh Quảng Ngãi) [mã 21523c]" in hint


def test_every_sample_organisation_is_placed(sample):
    assert sample.organisations["area_code"].notna().all()
    assert set(sample.organisations["area_code"]) <= set(
        sample.areas.children("535", "commune")["code"])


def test_a_sample_organisation_typed_with_the_official_code_is_in_the_old_commune(sample):
    """The register keeps the GSO code of before 1/7/2025 ("Mã xã" 21484, thị trấn Ba Tơ);
    the unit list gives it to the new xã Ba Tơ and the old town is 21484c."""
    orgs = sample.organisations
    typed = orgs[orgs["commune_code"] == "21484"]
    assert len(typed) >= 2 and set(typed["area_code"]) == {"21484c"}
    assert sample.areas.by_code.at["21484", "valid_from"] == pd.Timestamp("2025-07-01")


@pytest.mark.parametrize(("a", "b", "alike"), [
    ("Thạch Xuan", "Thạch Xuân", True),  # a missing circumflex
    ("Thach Xuan", "Thạch Xuân", True),  # no marks at all
    ("xã Ba Dien", "Ba Điền", True),  # d for đ, the unit word aside
    ("Ba Tơ", "Ba Tờ", True),  # a missing tone
    ("Thanh Hoá", "Thanh Hóa", True),  # the tone on the other vowel
    ("Ba Tơ", "Ba Tô", False),  # other marks: two places
    ("Ba Tó", "Ba Tò", False),  # other tones
    ("Thạch xuân", "Thạch  Xuân", False),  # case and spacing: one key, one unit
    ("Ba Vì", "Ba Vinh", False),
])
def test_spelling_variants(a, b, alike):
    assert variants(a, b) is alike and variants(b, a) is alike


def _problems(reg, code):
    p = reg.problems.frame()
    return p[p["code"] == code]


def test_diacritic_variant_in_a_derived_hierarchy_is_a_warning(tmp_path):
    """The issue: 'Thạch Xuan' beside 'Thạch Xuân' split a commune with 0 errors, 0 warnings."""
    orgs = [org(f"H{i}", commune=c) for i, c in enumerate(
        ["Thạch Xuân", "xã Thạch Xuân", "Thạch Xuan", "thạch  xuân", "Thạch Hà"])]
    for o in orgs:
        o.update(province="Hà Tĩnh", district="huyện Thạch Hà")
    reg = open_registry(write_input(tmp_path, organisations=orgs, records=[]))
    warned = _problems(reg, "spelling_variants")
    assert len(warned) == 1 and not reg.problems.has_errors
    w = warned.iloc[0]
    assert (w["sheet"], w["row"], w["column"], w["value"]) == (
        "Tổ chức", 4, "Xã/phường/thị trấn", "Thạch Xuan")
    assert "“Thạch Xuan” (dòng 4)" in w["message"]
    assert "“Thạch Xuân” (dòng 2, 3, 5)" in w["message"]  # case and spacing: the same unit
    assert "huyện Thạch Hà" in w["message"]
    communes = reg.areas.frame[reg.areas.frame["level"] == "commune"]
    assert len(communes) == 3  # still counted apart: the warning says so, nothing is guessed


def test_a_variant_parent_is_reported_once_not_for_its_children(tmp_path):
    orgs = [org("H1", commune="Một"), org("H2", commune="Một"), org("H3", commune="Hai")]
    orgs[1]["district"] = "Huyện Thu"  # beside "Huyện Thử"
    reg = open_registry(write_input(tmp_path, organisations=orgs))
    warned = _problems(reg, "spelling_variants")
    assert list(warned["column"]) == ["Huyện"] and list(warned["row"]) == [3]
    assert "tỉnh Thử" in warned["message"].iloc[0]


def test_rows_of_a_common_spelling_are_counted_past_ten(tmp_path):
    orgs = [org(f"H{i}", commune="Thạch Xuân") for i in range(14)] + [
        org("X", commune="Thach Xuan")]
    reg = open_registry(write_input(tmp_path, organisations=orgs))
    text = _problems(reg, "spelling_variants")["message"].iloc[0]
    assert "2, 3, 4, 5, 6, 7, 8, 9, 10, 11, … (tổng 14 dòng)" in text


AREAS = [
    {"area_code": "1", "name": "Hà Tĩnh", "unit_kind": "tỉnh", "level": "Tỉnh"},
    {"area_code": "2", "name": "Thạch Hà", "unit_kind": "huyện", "level": "Huyện",
     "parent_code": "1"},
    {"area_code": "3", "name": "Thạch Xuân", "unit_kind": "xã", "level": "Xã", "parent_code": "2"},
    {"area_code": "4", "name": "Ba Tơ", "unit_kind": "xã", "level": "Xã", "parent_code": "2"},
    {"area_code": "5", "name": "Ba Tô", "unit_kind": "xã", "level": "Xã", "parent_code": "2"},
]


@pytest.mark.parametrize(("extra", "warned"), [
    ({"name": "Thạch Xuan", "unit_kind": "xã"}, True),
    ({"name": "Thạch Xuan", "unit_kind": "thị trấn"}, False),  # another kind of unit
    ({"name": "Thạch Xuan", "unit_kind": "xã", "valid_from": "01/7/2025"}, False),
    ({"name": "Thạch Xuan", "unit_kind": "xã", "parent_code": "1"}, False),  # another parent
    ({"name": "Ba Tõ", "unit_kind": "xã"}, False),  # other marks, as Ba Tơ beside Ba Tô
])
def test_diacritic_variant_in_the_areas_sheet(tmp_path, extra, warned):
    areas = [dict(a) for a in AREAS]
    areas[2]["valid_to"] = "30/6/2025"
    areas.append({"area_code": "6", "level": "Xã", "parent_code": "2", **extra})
    orgs = [org("H1", province="Hà Tĩnh", district="Thạch Hà", commune="Thạch Xuân")]
    reg = open_registry(write_input(tmp_path, organisations=orgs, areas=areas))
    found = _problems(reg, "area_spelling_variants")
    assert len(found) == int(warned)
    if warned:
        w = found.iloc[0]
        assert (w["sheet"], w["row"], w["value"]) == ("Địa bàn", 7, "Thạch Xuan")
        assert "mã 6" in w["message"] and "“Thạch Xuân” (dòng 4, mã 3)" in w["message"]
        assert "huyện Thạch Hà" in w["message"]


def test_sample_has_no_spelling_warnings(sample):
    assert sample.problems.count("warning") == 0


def _below_by_walking_up(areas, code: str) -> list[str]:
    """Every unit whose chain of parents reaches ``code``, in row order (the definition)."""
    out = []
    for unit in areas.frame["code"]:
        up, seen = unit, set()
        while up is not None and up != code and up not in seen:
            seen.add(up)
            up = areas._parent.get(up)
        if up == code:
            out.append(unit)
    return out


def test_descendants_are_every_unit_below_in_row_order(sample):
    for code in sample.areas.frame["code"]:
        assert sample.areas.descendants(code) == _below_by_walking_up(sample.areas, code)
    assert sample.areas.descendants("no such code") == []


def test_descendants_end_on_a_loop_of_parents(sample):
    """Bad data can make two units each other's parent: the walk down still ends."""
    frame = pd.DataFrame({"code": ["A", "B", "C"], "name": ["tỉnh A", "huyện B", "xã C"],
                          "unit_kind": ["tỉnh", "huyện", "xã"],
                          "level": ["province", "district", "commune"],
                          "parent_code": ["B", "A", "B"], "valid_from": pd.NaT,
                          "valid_to": pd.NaT})
    areas = Areas(frame, pd.DataFrame(columns=["old_code", "new_code", "effective"]))
    assert areas.descendants("A") == ["A", "B", "C"]
