"""The 2025 units and crosswalk from the installed packages: counts and mappings that are
public facts of the reform, and the rules of the frames (unique codes, dates, no unit words)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from htxlib.config import SAMPLE_DIR
from htxlib.inputs.admin_units import (
    AREA_COLUMNS,
    CROSSWALK_COLUMNS,
    LAST_DAY,
    REFORM,
    _ascii,
    _tables,
    _tight,
    package_versions,
    province_units,
    provinces,
    resolve_province,
    split_communes,
)

UNIT_WORD = re.compile(r"^(tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn|đặc khu) ",
                       re.IGNORECASE)
KINDS = {"tỉnh", "thành phố", "huyện", "quận", "thị xã", "xã", "phường", "thị trấn", "đặc khu"}
ALL = provinces()["code"].tolist()
SAMPLE_AREA_HEADS = ["Mã địa bàn", "Tên địa bàn", "Loại đơn vị", "Cấp", "Mã địa bàn cấp trên"]


def _mapped(name: str) -> pd.DataFrame:
    """The crosswalk of a province with the names and kinds of both units."""
    areas, cross = province_units(name)
    units = areas.set_index("area_code")
    return cross.assign(
        old_name=cross["old_code"].map(units["name"]), old_kind=cross["old_code"].map(
            units["unit_kind"]), old_parent=cross["old_code"].map(units["parent_code"]),
        new_name=cross["new_code"].map(units["name"]),
        new_kind=cross["new_code"].map(units["unit_kind"]))


def _goes_to(name: str, old: tuple[str, str], new: tuple[str, str], parent: str | None = None):
    m = _mapped(name)
    hit = m[(m["old_kind"] == old[0]) & (m["old_name"] == old[1])]
    if parent is not None:
        hit = hit[hit["old_parent"] == parent]
    assert len(hit) == 1, hit
    assert (hit["new_kind"].iloc[0], hit["new_name"].iloc[0]) == new


def test_34_provinces_6_cities():
    p = provinces()
    assert len(p) == 34 and p["code"].is_unique
    assert list(p.columns[:3]) == ["code", "name", "unit_kind"]
    cities = set(p.loc[p["unit_kind"] == "thành phố", "name"])
    assert cities == {"Hà Nội", "Hải Phòng", "Huế", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ"}
    assert set(p["unit_kind"]) == {"tỉnh", "thành phố"}


def test_national_counts():
    a = _tables().areas
    new = a["valid_from"].notna()
    assert (new & (a["level"] == "Xã")).sum() == 3321  # communes from 1/7/2025
    assert (~new & (a["level"] == "Xã")).sum() == 10035  # communes on 30/6/2025
    assert a["area_code"].is_unique


@pytest.mark.parametrize("text", ["Quảng Ngãi", "tinh quang ngai", "TỈNH QUẢNG NGÃI",
                                  "  quảng   ngãi ", "Quang Ngai", "51"])
def test_resolve_quang_ngai(text):
    assert resolve_province(text) == "51"


@pytest.mark.parametrize(("text", "code"), [
    ("Thành phố Hồ Chí Minh", "79"), ("TP. Hồ Chí Minh", "79"), ("tp hcm", "79"),
    ("TP.HCM", "79"), ("thanh pho ha noi", "01"), ("1", "01"), ("Huế", "46"),
    ("Thừa Thiên Huế", "46"), ("Đắk Lắk", "66"), ("dak lak", "66"), ("15", "15"),
])
def test_resolve_other_forms(text, code):
    assert resolve_province(text) == code


def test_province_keys_are_unambiguous():
    """Without accents, spaces or dashes no two new names, nor two old names, are alike, and
    an old name like a new one is that of a province that went into it."""
    t = _tables()
    new = dict(zip(t.provinces["name"].map(_tight), t.provinces["code"], strict=True))
    old = dict(zip(t.old_provinces["name"].map(_tight), t.old_provinces["new_code"],
                   strict=True))
    assert len(new) == 34 and len(old) == 63
    shared = set(new) & set(old)
    assert len(shared) == 34  # every new province bears the name of one it was formed from
    assert all(old[k] == new[k] for k in shared)


# Where the 29 provinces that did not keep their name went (Nghị quyết 202/2025/QH15).
MERGED_AWAY = {
    "Hà Giang": "Tuyên Quang", "Yên Bái": "Lào Cai", "Bắc Kạn": "Thái Nguyên",
    "Vĩnh Phúc": "Phú Thọ", "Hòa Bình": "Phú Thọ", "Bắc Giang": "Bắc Ninh",
    "Thái Bình": "Hưng Yên", "Hải Dương": "Hải Phòng", "Hà Nam": "Ninh Bình",
    "Nam Định": "Ninh Bình", "Quảng Bình": "Quảng Trị", "Quảng Nam": "Đà Nẵng",
    "Kon Tum": "Quảng Ngãi", "Bình Định": "Gia Lai", "Ninh Thuận": "Khánh Hòa",
    "Phú Yên": "Đắk Lắk", "Đắk Nông": "Lâm Đồng", "Bình Thuận": "Lâm Đồng",
    "Bình Phước": "Đồng Nai", "Bình Dương": "Hồ Chí Minh", "Bà Rịa - Vũng Tàu": "Hồ Chí Minh",
    "Long An": "Tây Ninh", "Tiền Giang": "Đồng Tháp", "Bến Tre": "Vĩnh Long",
    "Trà Vinh": "Vĩnh Long", "Kiên Giang": "An Giang", "Hậu Giang": "Cần Thơ",
    "Sóc Trăng": "Cần Thơ", "Bạc Liêu": "Cà Mau",
}
WHOLE = ["Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh",
         "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Cao Bằng"]


@pytest.mark.parametrize(("old", "new"), sorted(MERGED_AWAY.items()))
def test_old_province_maps_to_new(old, new):
    m = _mapped(new)
    hit = m[(m["old_name"] == old) & m["old_kind"].isin(["tỉnh", "thành phố"])]
    assert len(hit) == 1
    assert hit["new_name"].iloc[0] == new and hit["new_code"].iloc[0] == resolve_province(new)


@pytest.mark.parametrize(("old", "new"), [
    ("Quảng Nam", "Đà Nẵng"), ("quang nam", "Đà Nẵng"), ("Kon Tum", "Quảng Ngãi"),
    ("Bà Rịa Vũng Tàu", "Hồ Chí Minh"), ("tỉnh Hà Giang", "Tuyên Quang"),
])
def test_old_province_name_is_refused_saying_where_it_went(old, new):
    with pytest.raises(ValueError) as err:
        province_units(old)
    text = str(err.value)
    assert "1/7/2025" in text and "tỉnh cũ" in text and f"có phải: {new}?" in text


def test_old_province_code_is_refused_saying_where_it_went():
    with pytest.raises(ValueError, match="Kon Tum.*Quảng Ngãi"):
        resolve_province("62")


@pytest.mark.parametrize(("typo", "suggested"), [
    ("Quảng Ngảy", "Quảng Ngãi"), ("Đà Nẳng City", "Đà Nẵng"), ("Lâm Đông Nai", "Lâm Đồng"),
    ("Quảng Namm", "Đà Nẵng"),  # like the old Quảng Nam: its new province is suggested
])
def test_unknown_name_suggests(typo, suggested):
    with pytest.raises(ValueError, match="có phải") as err:
        province_units(typo)
    assert suggested in str(err.value) and f"“{typo}”" in str(err.value)


def test_unknown_name_without_likeness_lists_provinces():
    with pytest.raises(ValueError, match="Không có tỉnh, thành phố “Xyzw”.*Quảng Ngãi"):
        province_units("Xyzw")


def test_quang_ngai_includes_kon_tum():
    areas, cross = province_units("Quảng Ngãi")
    units = areas.set_index("area_code")
    olds = areas[areas["level"] == "Tỉnh"].set_index("name")
    assert olds.loc["Kon Tum", "area_code"] == "62"
    # the new Quảng Ngãi continues the old one (one unit, so the name names one unit in
    # data of any year); Kon Tum ended on 30/6/2025 and went into it
    assert units.loc["62", "valid_to"] == LAST_DAY and "51c" not in units.index
    assert pd.isna(units.loc["51", "valid_from"]) and pd.isna(units.loc["51", "valid_to"])
    assert cross.set_index("old_code").loc["62", "new_code"] == "51"
    kon_tum_districts = set(areas.loc[areas["parent_code"] == "62", "area_code"])
    kon_tum_communes = areas[areas["parent_code"].isin(kon_tum_districts)]
    assert len(kon_tum_districts) == 10 and len(kon_tum_communes) > 80
    assert kon_tum_communes["area_code"].isin(cross["old_code"]).all()
    new_communes = areas[(areas["level"] == "Xã") & areas["valid_from"].notna()]
    assert len(new_communes) == 96  # 86 xã, 9 phường, 1 đặc khu
    assert new_communes["unit_kind"].value_counts().to_dict() == {
        "xã": 86, "phường": 9, "đặc khu": 1}
    _goes_to("51", ("phường", "Quyết Thắng"), ("phường", "Kon Tum"))


@pytest.mark.parametrize(("old", "new"), [
    (("thị trấn", "Ba Tơ"), ("xã", "Ba Tơ")), (("xã", "Ba Cung"), ("xã", "Ba Tơ")),
    (("xã", "Ba Bích"), ("xã", "Ba Tơ")), (("xã", "Ba Ngạc"), ("xã", "Ba Vì")),
    (("xã", "Ba Khâm"), ("xã", "Đặng Thùy Trâm")), (("xã", "Ba Trang"), ("xã", "Đặng Thùy Trâm")),
    (("xã", "Ba Lế"), ("xã", "Ba Tô")), (("xã", "Ba Điền"), ("xã", "Ba Vinh")),
])
def test_ba_to_communes(old, new):
    _goes_to("Quảng Ngãi", old, new, parent="535")


def test_ba_to_codes_and_district():
    areas, cross = province_units("51")
    units = areas.set_index("area_code")
    assert (units.loc["535", "name"], units.loc["535", "unit_kind"]) == ("Ba Tơ", "huyện")
    assert units.loc["535", "level"] == "Huyện" and units.loc["535", "parent_code"] == "51"
    assert "535" not in set(cross["old_code"])  # districts have no successor
    # the new commune keeps the official code, the old town gets "c"
    assert units.loc["21484", "valid_from"] == REFORM and units.loc["21484", "name"] == "Ba Tơ"
    assert units.loc["21484c", "unit_kind"] == "thị trấn"
    assert units.loc["21484c", "valid_to"] == LAST_DAY
    assert units.loc["21487", "name"] == "Ba Điền"  # no new code 21487: no suffix
    assert cross.set_index("old_code").loc["21484c", "new_code"] == "21484"



def test_the_district_sample_codes_units_as_htx_areas_does():
    """Both samples code merged communes the same way (issue 23, item 8): in
    data/sample/ba-to, as in ba-to-2025 and in what ``htx areas`` writes, a new commune
    has its official code and an old one whose code a new commune took carries "c"."""
    areas, cross = province_units("51")
    old = set(areas.loc[areas["parent_code"] == "535", "area_code"])
    moves = cross[cross["old_code"].isin(old)]
    keep = areas[areas["area_code"].isin({"51", "535", *old, *moves["new_code"]})]
    cols = dict(zip(AREA_COLUMNS[:5], SAMPLE_AREA_HEADS, strict=True))
    sample = pd.read_csv(SAMPLE_DIR / "areas.csv", dtype=str).rename(
        columns={v: k for k, v in cols.items()})
    key = list(cols)
    assert (sample[key].sort_values("area_code").reset_index(drop=True).fillna("")
            .equals(keep[key].sort_values("area_code").reset_index(drop=True).fillna("")))
    assert {c for c in sample["area_code"] if c.endswith("c")} == {
        "21484c", "21490c", "21496c", "21499c", "21520c", "21523c", "21529c", "21538c"}
    walk = pd.read_csv(SAMPLE_DIR / "crosswalk.csv", dtype=str)
    assert dict(zip(walk["Mã địa bàn cũ"], walk["Mã địa bàn mới"], strict=True)) == dict(
        zip(moves["old_code"], moves["new_code"], strict=True))

def test_ha_noi_is_whole_but_its_communes_merge():
    p = provinces().set_index("name")
    assert p.loc["Hà Nội", "merged_from"] == "Hà Nội"
    areas, cross = province_units("Hà Nội")
    top = areas[areas["level"] == "Tỉnh"]
    assert top["area_code"].tolist() == ["01"]
    assert top["valid_from"].isna().all() and top["valid_to"].isna().all()
    assert not cross["old_code"].isin(["01", "01c"]).any()
    assert set(areas.loc[areas["level"] == "Huyện", "parent_code"]) == {"01"}
    assert (areas["level"] == "Huyện").sum() == 30  # 12 quận, 17 huyện, 1 thị xã
    old_communes = areas[(areas["level"] == "Xã") & areas["valid_to"].notna()]
    assert old_communes["area_code"].isin(cross["old_code"]).all()
    new_communes = areas[(areas["level"] == "Xã") & areas["valid_from"].notna()]
    assert len(new_communes) == 126  # 126 communes and wards from 1/7/2025
    # Yên Sở has only parts of old wards split among several: no crosswalk row goes to it
    missed = set(new_communes["area_code"]) - set(cross["new_code"])
    assert missed == {"00331"} and new_communes.set_index("area_code").loc[
        "00331", "name"] == "Yên Sở"
    assert "00331" in set(split_communes("Hà Nội")["new_code"])
    _goes_to("01", ("phường", "Phúc Xá"), ("phường", "Hồng Hà"))
    _goes_to("01", ("phường", "Hàng Bạc"), ("phường", "Hoàn Kiếm"))


@pytest.mark.parametrize("name", WHOLE)
def test_whole_provinces_have_one_row(name):
    areas, cross = province_units(name)
    assert (areas["level"] == "Tỉnh").sum() == 1
    assert not cross["new_code"].eq(resolve_province(name)).any()


def test_da_nang_includes_quang_nam():
    areas, cross = province_units("Đà Nẵng")
    units = areas.set_index("area_code")
    assert units.loc["49", "name"] == "Quảng Nam" and units.loc["49", "valid_to"] == LAST_DAY
    assert units.loc["48", "name"] == "Đà Nẵng" and pd.isna(units.loc["48", "valid_from"])
    assert "48c" not in units.index  # the new Đà Nẵng continues the old one
    assert set(cross.loc[cross["old_code"] == "49", "new_code"]) == {"48"}
    _goes_to("48", ("phường", "Minh An"), ("phường", "Hội An"))
    _goes_to("48", ("phường", "An Mỹ"), ("phường", "Tam Kỳ"))
    assert (areas["valid_from"].notna() & (areas["level"] == "Xã")).sum() == 94


@pytest.mark.parametrize(("province", "district", "zone"), [
    ("Quảng Ngãi", "536", "Lý Sơn"), ("Hồ Chí Minh", "755", "Côn Đảo"),
    ("Hải Phòng", "318", "Bạch Long Vĩ"), ("Đà Nẵng", "498", "Hoàng Sa"),
    ("Quảng Trị", "471", "Cồn Cỏ"),
])
def test_districts_without_communes_became_special_zones(province, district, zone):
    areas, cross = province_units(province)
    units = areas.set_index("area_code")
    new = cross.set_index("old_code").loc[district, "new_code"]
    assert (units.loc[new, "unit_kind"], units.loc[new, "name"]) == ("đặc khu", zone)
    assert (units.loc[district, "unit_kind"], units.loc[district, "name"]) == ("huyện", zone)
    assert not (areas["parent_code"] == district).any()


def test_ho_chi_minh_city():
    _goes_to("79", ("phường", "Bến Nghé"), ("phường", "Sài Gòn"))
    _goes_to("79", ("phường", "Phú Cường"), ("phường", "Thủ Dầu Một"))
    areas, _ = province_units("79")
    assert (areas["valid_from"].notna() & (areas["level"] == "Xã")).sum() == 168


@pytest.mark.parametrize("code", ALL)
def test_frames_are_consistent(code):
    areas, cross = province_units(code)
    assert list(areas.columns) == AREA_COLUMNS and list(cross.columns) == CROSSWALK_COLUMNS
    assert areas["area_code"].is_unique and cross["old_code"].is_unique
    for col in ("valid_from", "valid_to"):
        assert str(areas[col].dtype) == "datetime64[s]"
    assert str(cross["effective"].dtype) == "datetime64[s]" and (cross["effective"] == REFORM).all()
    units = areas.set_index("area_code")
    # every old unit of the crosswalk is in areas and ended on 30/6/2025 ...
    assert cross["old_code"].isin(units.index).all()
    assert (units.loc[cross["old_code"], "valid_to"] == LAST_DAY).all()
    # ... and went to a new unit of areas, alive from 1/7/2025
    new = units.loc[cross["new_code"]]
    assert (new["valid_from"].isna() | (new["valid_from"] == REFORM)).all()  # or continuing
    assert new["valid_to"].isna().all()
    # every old commune has a successor; new units have no end, old ones no start
    old_communes = areas[(areas["level"] == "Xã") & areas["valid_to"].notna()]
    assert old_communes["area_code"].isin(cross["old_code"]).all()
    assert not (areas["valid_from"].notna() & areas["valid_to"].notna()).any()
    # the tree: provinces on top, new communes under the new province, old ones under
    # an old district
    assert areas.loc[areas["level"] == "Tỉnh", "parent_code"].isna().all()
    assert areas.loc[areas["level"] != "Tỉnh", "parent_code"].isin(units.index).all()
    new_communes = areas[(areas["level"] == "Xã") & areas["valid_from"].notna()]
    assert (new_communes["parent_code"] == code).all()
    assert (units.loc[old_communes["parent_code"], "level"] == "Huyện").all()
    assert set(areas["level"]) <= {"Tỉnh", "Huyện", "Xã"}
    assert set(areas["unit_kind"]) <= KINDS
    worded = areas.loc[areas["name"].str.match(UNIT_WORD), "name"]
    assert set(worded) <= {"Phường Đúc"}  # a ward of Huế named so: "phường Phường Đúc"
    # every new commune gets a crosswalk row or at least a part of a split old commune
    reached = set(cross["new_code"]) | set(split_communes(code)["new_code"])
    assert new_communes["area_code"].isin(reached).all()
    assert areas["name"].str.len().gt(0).all()
    # an old code is suffixed exactly when it is also a new code (of any province)
    t = _tables().areas
    new_codes = set(provinces()["code"]) | set(
        t.loc[t["valid_from"].notna() & (t["level"] == "Xã"), "area_code"])
    old_codes = areas.loc[areas["valid_to"].notna(), "area_code"]
    suffixed = old_codes.str.endswith("c")
    assert old_codes[suffixed].str[:-1].isin(new_codes).all()
    assert not old_codes[~suffixed].isin(new_codes).any()


@pytest.mark.parametrize(("province", "old", "kind", "name"), [
    ("Thanh Hóa", "15061c", "thị trấn", "Ngọc Lặc"),  # typed Xã in the data
    ("Huế", "19780", "phường", "Phường Đúc"),
    ("Hồ Chí Minh", "27046", "phường", "5"),  # "Phường 5", typed Xã in the data
    ("Lào Cai", "15c", "tỉnh", "Yên Bái"),  # the new Lào Cai has the code of Yên Bái
])
def test_old_unit_words(province, old, kind, name):
    units = province_units(province)[0].set_index("area_code")
    assert (units.loc[old, "unit_kind"], units.loc[old, "name"]) == (kind, name)


def test_split_communes_use_the_default_part():
    splits = split_communes("Quảng Ngãi")
    assert len(splits) and splits.groupby("old_code").size().min() >= 2
    assert (splits.groupby("old_code")["default"].sum() == 1).all()
    _, cross = province_units("Quảng Ngãi")
    chosen = splits[splits["default"]].set_index("old_code")["new_code"]
    assert (cross.set_index("old_code").loc[chosen.index, "new_code"] == chosen).all()
    assert _tables().splits["old_code"].nunique() == 471


def test_frames_are_copies():
    areas, _ = province_units("51")
    areas.loc[0, "name"] = "changed"
    assert province_units("51")[0].loc[0, "name"] == "Quảng Ngãi"


def test_ascii_key():
    assert _ascii("Đắk Lắk") == "dak lak" and _ascii("Thuận Hoà") == _ascii("Thuận Hòa")


def test_package_versions():
    import vietnam_provinces

    versions = package_versions()
    assert versions == {"vietnam-provinces": vietnam_provinces.__version__,
                        "vietnamadminunits": versions["vietnamadminunits"]}
    assert re.fullmatch(r"\d+(\.\d+)+", versions["vietnamadminunits"])
