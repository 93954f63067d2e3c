"""Place names: diacritics matter, unit words do not, dates pick old or merged units."""

from __future__ import annotations

import pytest

from htxlib.inputs.areas import ascii_key, name_key, split_unit


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
    ("thị trấn Ba Tơ", "2024-06-10", "21484"),
    ("xã Ba Tô", "2024-06-10", "21523"),
    ("xã Ba Vì", "2024-06-10", "21529"),
    ("xã Ba Vì", "2025-08-01", "21529n"),  # after the merger: the new commune
    ("21526", None, "21526"),
])
def test_resolve(sample, text, when, expected):
    assert sample.areas.resolve(text, when=when) == [expected]


def test_suggestion_for_a_name_without_diacritics(sample):
    assert sample.areas.resolve("Ba To") == []
    hint = sample.areas.suggest("Ba To")
    assert "huyện Ba Tơ (535)" in hint and "xã Ba Tô (21523)" in hint


def test_every_sample_organisation_is_placed(sample):
    assert sample.organisations["area_code"].notna().all()
    assert set(sample.organisations["area_code"]) <= set(
        sample.areas.children("535", "commune")["code"])
