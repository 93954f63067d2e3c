"""Official units after the 1/7/2025 reform, the units before it, and the crosswalk between.

Since 1 July 2025 Vietnam has 34 provinces and 3,321 communes (xã, phường, đặc khu) and no
districts. ``province_units`` gives, for one new province, the ``Địa bàn`` and ``Chuyển đổi
địa bàn`` frames (internal column names of ``resources/schema.yaml``) so a plan can report
both on the units before the reform and on the new ones.

Sources (both installed packages; ``package_versions`` says which versions):

* ``vietnam-provinces``: the new provinces and communes, their GSO codes and official names
  (``Province.iter_all``, ``Ward.iter_all``).
* ``vietnamadminunits``: the 63 old provinces, 696 districts and 10,035 communes with their
  GSO codes (SQLite table ``admin_units_legacy`` of ``data/dataset.db``), and the old-to-new
  mapping (``data/converter_2025.json``: ``DICT_PROVINCE`` old provinces of each new one,
  ``DICT_PROVINCE_WARD_NO_DIVIDED`` old communes wholly in one new commune,
  ``DICT_PROVINCE_WARD_DIVIDED`` old communes split among several). That mapping names
  units by keys; the new communes are matched to ``vietnam-provinces`` by province and name
  (the two packages differ on the codes of 123 new communes; the official codes of
  ``vietnam-provinces`` are used).

Codes are GSO codes as zero-padded text: province "51", district "535", commune "21484".
A new unit took the code of one of the units it was formed from, so new and old codes
collide: every one of the 34 new province codes was an old province code (the new "15" Lào
Cai has the code of the old Yên Bái), and 3,316 of the 3,321 new commune codes were old
commune codes (all but the five special zones made of districts without communes, below).
The NEW unit keeps the official code; an OLD unit whose code is a new code anywhere in the
country gets the suffix "c" (cũ): "21484c" is the old town Ba Tơ, "21484" the new commune
Ba Tơ; "51c" the old province Quảng Ngãi, "51" the new one. That is 23 old provinces and
3,316 old communes; other old codes are kept ("62" Kon Tum, "535" Ba Tơ district). Codes
are thus unique in ``areas``, and an old unit has the same code whichever province is asked.

The 11 provinces the reform left whole (Hà Nội, Huế, Cao Bằng, ...; one old province, same
code) are one unit throughout: one row, no dates, parent of both the old districts and the
new communes, and no crosswalk row. So is a merged province that kept the name of one of
its old provinces (Quảng Ngãi = Quảng Ngãi + Kon Tum; Đà Nẵng = Đà Nẵng + Quảng Nam): it
continues that one, so its name names one unit in data of any year; each other old
province (Kon Tum) is an old unit (to 30/6/2025) with a crosswalk row to it. A merged
province with a name of its own is a new unit (from 1/7/2025).

Old districts were abolished and have no successor, except the five with no communes
(Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo): they became special zones (đặc khu) and
have a crosswalk row to them.

An old commune split among several new communes (471 in the country) goes, in the crosswalk,
to the one ``vietnamadminunits`` marks ``isDefaultNewWard``: the new commune whose area
contains the old commune's location, else the nearest one. The data do not say which part
is largest (by area or population). ``split_communes`` lists every successor. So a new
commune may receive no crosswalk row: phường Yên Sở (Hà Nội) only has parts of split ones.

Dates are pandas Timestamps in ``datetime64[s]`` columns (as the input sheets are read),
NaT when empty; valid_from of an old unit is unknown (NaT).
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import metadata, resources

import pandas as pd

from htxlib.inputs.areas import OLD_SUFFIX

REFORM = pd.Timestamp("2025-07-01")
LAST_DAY = pd.Timestamp("2025-06-30")
LEVELS = {"province": "Tỉnh", "district": "Huyện", "commune": "Xã"}
AREA_COLUMNS = ["area_code", "name", "unit_kind", "level", "parent_code", "valid_from",
                "valid_to"]
CROSSWALK_COLUMNS = ["old_code", "new_code", "effective"]
PACKAGES = ("vietnam-provinces", "vietnamadminunits")

_PREFIXES = ("thành phố trực thuộc trung ương", "thành phố", "thủ đô", "tỉnh", "tp.", "tp")
# Other names of a new province, as tight keys (``_tight``), after "tỉnh"/"thành phố"/"TP".
# Thừa Thiên Huế became Thành phố Huế on 1/1/2025, before the reform: the same unit.
_ALIASES = {"hcm": "79", "tphcm": "79", "hn": "01", "tphn": "01", "thuathienhue": "46"}
_TONES = {"oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa", "oè": "òe", "oé": "óe",
          "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe", "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy",
          "uỵ": "ụy"}


def _canon(text: str) -> str:
    """NFC, case-folded, one tone placement ("hoà" = "hòa"), one apostrophe and dash."""
    text = unicodedata.normalize("NFC", str(text)).casefold()
    for old, new in (("\u2019", "'"), ("\u2018", "'"), ("\u2013", "-"), ("\u2014", "-")):
        text = text.replace(old, new)
    for old, new in _TONES.items():
        text = text.replace(old, new)
    return " ".join(text.split())


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", _canon(text).replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _tight(text: str) -> str:
    """Letters and digits only, without accents: "Bà Rịa - Vũng Tàu" = "ba ria vung tau"."""
    return re.sub(r"[^a-z0-9]", "", _ascii(text))


def _bare_province(text: str) -> str:
    """The name key of a province as typed: without "tỉnh", "thành phố", "TP." (accents
    or not)."""
    key = _canon(text)
    for word in _PREFIXES:
        for form in (word, _ascii(word)):
            if key.startswith(form + " ") or (form.endswith(".") and key.startswith(form)):
                return key[len(form):].strip()
    return key


def _strip_kind(name: str, kind: str) -> str:
    """"Ba Tơ" from "Thị trấn Ba Tơ" and "thị trấn"; the name itself if it lacks the word."""
    if _canon(name).startswith(_canon(kind) + " "):
        return name[len(kind):].strip()
    return name


_KINDS = ("thành phố", "thị trấn", "thị xã", "đặc khu", "phường", "huyện", "quận", "tỉnh", "xã")


def _split_name(full: str, kind: str) -> tuple[str, str]:
    """(unit_kind, name) of an old unit: the unit word its full name begins with, else its
    type ("Thị trấn Ngọc Lặc" is typed Xã in the data; "Phường Phường Đúc" is named
    "Phường Đúc")."""
    for word in _KINDS:
        if _canon(full).startswith(word + " "):
            return word, full[len(word):].strip()
    return kind.lower(), full


def _code(value: object, width: int) -> str:
    return str(int(value)).zfill(width)


@dataclass(frozen=True)
class _Tables:
    areas: pd.DataFrame  # every unit, old and new, with "province" (new province code)
    crosswalk: pd.DataFrame  # old_code, new_code, effective, province
    splits: pd.DataFrame  # old_code, new_code, default, province
    provinces: pd.DataFrame  # code, name, unit_kind, merged_from
    old_provinces: pd.DataFrame  # code (official, unsuffixed), name, unit_kind, new_code


def _new_units() -> tuple[pd.DataFrame, pd.DataFrame]:
    from vietnam_provinces import Province, Ward

    provinces = []
    for p in Province.iter_all():
        kind = "tỉnh" if p.division_type.value == "tỉnh" else "thành phố"
        provinces.append({"code": _code(p.code, 2), "name": _strip_kind(p.name, kind),
                          "unit_kind": kind})
    wards = [{"code": _code(w.code, 5), "name": _strip_kind(w.name, w.division_type.value),
              "unit_kind": w.division_type.value, "province": _code(w.province_code, 2),
              "full": w.name} for w in Ward.iter_all()]
    return pd.DataFrame(provinces), pd.DataFrame(wards)


def _legacy() -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    from vietnamadminunits.database import get_data

    old = pd.DataFrame(get_data(fields=[
        "province", "provinceCode", "provinceKey", "district", "districtType", "districtCode",
        "districtKey", "ward", "wardType", "wardCode", "wardKey"], table="admin_units_legacy"))
    new = pd.DataFrame(get_data(fields=["provinceKey", "provinceCode", "wardKey", "ward"],
                                table="admin_units"))
    path = resources.files("vietnamadminunits") / "data" / "converter_2025.json"
    with path.open(encoding="utf-8") as fh:
        mapping = json.load(fh)
    return old, new, mapping


@cache
def _tables() -> _Tables:
    """Every old and new unit and the crosswalk, for the whole country (built once): the
    new communes' codes, each old commune's successors, the old provinces and which one
    each new province continues, then every unit in list order."""
    new_prov, new_wards = _new_units()
    old, vau_new, mapping = _legacy()
    new_key, province_of_key = _new_commune_codes(new_wards, vau_new)
    successors = _successors(mapping, new_key)
    old["pcode"] = old["provinceCode"].map(lambda c: _code(c, 2))
    old_prov, new_of_old, groups, continued = _old_provinces(old, mapping, province_of_key,
                                                             new_prov)
    new_codes = set(new_prov["code"]) | set(new_wards["code"])

    def old_code(code: str) -> str:
        return code + OLD_SUFFIX if code in new_codes else code

    areas, cross, splits = _provinces_listed(new_prov, old_prov, continued, old_code)
    old = old.assign(new=old["provinceKey"].map(new_of_old))
    more = _old_districts_and_communes(old, continued, successors, old_code)
    for have, add in zip((areas, cross, splits), more, strict=True):
        have.extend(add)
    for w in new_wards.sort_values("code").itertuples():
        areas.append((w.code, w.name, w.unit_kind, LEVELS["commune"], w.province, REFORM,
                      pd.NaT, w.province, 3))
    return _frames(areas, cross, splits, new_prov, old_prov, groups)


def _new_commune_codes(new_wards: pd.DataFrame, vau_new: pd.DataFrame
                       ) -> tuple[dict, dict[str, str]]:
    """vietnamadminunits' (province key, ward key) → the official code of the new commune
    (matched by province and name); and its province keys → province codes."""
    official = {(p, _canon(n)): c for p, n, c in
                zip(new_wards["province"], new_wards["full"], new_wards["code"], strict=True)}
    new_key = {}
    for pkey, pcode, wkey, ward in zip(vau_new["provinceKey"], vau_new["provinceCode"],
                                       vau_new["wardKey"], vau_new["ward"], strict=True):
        code = official.get((_code(pcode, 2), _canon(ward)))
        if code is None:
            raise RuntimeError(f"vietnamadminunits: {ward} ({pcode}) not in vietnam-provinces")
        new_key[(pkey, wkey)] = code
    province_of_key = dict(zip(vau_new["provinceKey"], vau_new["provinceCode"].map(
        lambda c: _code(c, 2)), strict=False))
    return new_key, province_of_key


def _successors(mapping: dict, new_key: dict) -> dict[str, list[tuple[str, bool]]]:
    """Old commune key → [(new commune code, whether it is the default successor)]."""
    out: dict[str, list[tuple[str, bool]]] = {}
    for pkey, wards in mapping["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for wkey, olds in wards.items():
            for o in olds:
                out.setdefault(o, []).append((new_key[(pkey, wkey)], True))
    for pkey, olds in mapping["DICT_PROVINCE_WARD_DIVIDED"].items():
        for o, parts in olds.items():
            for part in parts:
                out.setdefault(o, []).append(
                    (new_key[(pkey, part["newWardKey"])], bool(part["isDefaultNewWard"])))
    return out


def _old_provinces(old: pd.DataFrame, mapping: dict, province_of_key: dict[str, str],
                   new_prov: pd.DataFrame) -> tuple[pd.DataFrame, dict, pd.Series, dict]:
    """The old provinces with their new one; old province key → new code; new code → its
    old codes; and the old provinces a new one continues: a whole one under its code, and
    a merged one named as one of its old ones (Quảng Ngãi + Kon Tum = Quảng Ngãi), so that
    "Quảng Ngãi" in data of any year names one unit."""
    old_prov = old.drop_duplicates("pcode")[["pcode", "province", "provinceKey"]]
    new_of_old = {o: province_of_key[n] for n, olds in mapping["DICT_PROVINCE"].items()
                  for o in olds}
    old_prov = old_prov.assign(new_code=old_prov["provinceKey"].map(new_of_old))
    groups = old_prov.groupby("new_code")["pcode"].agg(list)
    whole = {n for n, olds in groups.items() if olds == [n]}
    bare = {c: _split_name(n, "tỉnh")[1] for c, n in zip(old_prov["pcode"], old_prov["province"],
                                                          strict=True)}
    named = dict(zip(new_prov["code"], new_prov["name"], strict=True))
    continued = {o: n for n, olds in groups.items() for o in olds
                 if n in whole or _canon(bare[o]) == _canon(named[n])}
    return old_prov, new_of_old, groups, continued


def _provinces_listed(new_prov: pd.DataFrame, old_prov: pd.DataFrame, continued: dict,
                      old_code: Callable[[str], str]) -> tuple[list, list, list]:
    """The province rows (new ones dated from the reform unless they continue an old one;
    old ones that do not continue, until the reform) and their crosswalk rows."""
    areas, cross = [], []
    for p in new_prov.itertuples():
        dated = p.code not in continued.values()
        areas.append((p.code, p.name, p.unit_kind, LEVELS["province"], None,
                      REFORM if dated else pd.NaT, pd.NaT, p.code, 0))
    for p in old_prov.itertuples():
        if p.pcode in continued:
            continue
        kind, pname = _split_name(p.province, "tỉnh")
        areas.append((old_code(p.pcode), pname, kind,
                      LEVELS["province"], None, pd.NaT, LAST_DAY, p.new_code, 1))
        cross.append((old_code(p.pcode), p.new_code, p.new_code))
    return areas, cross, []


def _old_districts_and_communes(old: pd.DataFrame, continued: dict, successors: dict,
                                old_code: Callable[[str], str]) -> tuple[list, list, list]:
    """The old districts and communes (until the reform), each commune's crosswalk row to
    its default successor, and the successors of a commune divided among several."""
    areas, cross, splits = [], [], []
    old = old.sort_values(["pcode", "districtCode", "wardCode"], na_position="first")
    for (pcode, dcode), rows in old.groupby(["pcode", "districtCode"], sort=False):
        first = rows.iloc[0]
        parent = continued.get(pcode) or old_code(pcode)
        dkind, dname = _split_name(first["district"], first["districtType"])
        dist = old_code(_code(dcode, 3))
        areas.append((dist, dname, dkind, LEVELS["district"],
                      parent, pd.NaT, LAST_DAY, first["new"], 2))
        for r in rows.itertuples():
            ward_key = "" if pd.isna(r.wardKey) else r.wardKey
            succ = successors[f"{r.provinceKey}_{r.districtKey}_{ward_key}"]
            default = next(c for c, d in succ if d)
            if pd.isna(r.wardCode):  # an island district without communes: now a đặc khu
                cross.append((dist, default, r.new))
                continue
            kind, wname = _split_name(r.ward, r.wardType)
            code = old_code(_code(r.wardCode, 5))
            areas.append((code, wname, kind, LEVELS["commune"], dist,
                          pd.NaT, LAST_DAY, r.new, 2))
            cross.append((code, default, r.new))
            if len(succ) > 1:
                splits.extend((code, c, d, r.new) for c, d in succ)
    return areas, cross, splits


def _frames(areas: list, cross: list, splits: list, new_prov: pd.DataFrame,
            old_prov: pd.DataFrame, groups: pd.Series) -> _Tables:
    """The rows as the tables of ``_Tables``."""
    frame = pd.DataFrame(areas, columns=[*AREA_COLUMNS, "province", "_order"])
    for col in ("valid_from", "valid_to"):
        frame[col] = pd.to_datetime(frame[col]).astype("datetime64[s]")
    crosswalk = pd.DataFrame(cross, columns=["old_code", "new_code", "province"])
    crosswalk.insert(2, "effective", pd.Series([REFORM] * len(crosswalk),
                                               dtype="datetime64[s]"))
    old_names = [_split_name(s, "tỉnh")[1] for s in old_prov["province"]]
    merged_from = {n: ", ".join(name for name, c in zip(old_names, old_prov["pcode"], strict=True)
                                if c in olds) for n, olds in groups.items()}
    new_names = dict(zip(new_prov["code"], new_prov["name"], strict=True))
    old_frame = pd.DataFrame({"code": old_prov["pcode"].to_numpy(), "name": old_names,
                              "new_code": old_prov["new_code"].to_numpy()})
    old_frame["new_name"] = old_frame["new_code"].map(new_names)
    return _Tables(frame, crosswalk,
                   pd.DataFrame(splits, columns=["old_code", "new_code", "default", "province"]),
                   new_prov.assign(merged_from=new_prov["code"].map(merged_from)), old_frame)


def provinces() -> pd.DataFrame:
    """The 34 provinces from 1/7/2025: code, name (no "tỉnh"), unit_kind ("tỉnh" or "thành
    phố"), and merged_from, the names of the old provinces they were formed from."""
    return _tables().provinces.sort_values("code").reset_index(drop=True).copy()


def _kind_name(code: str) -> str:
    row = _tables().provinces.set_index("code").loc[code]
    return f"{row['unit_kind']} {row['name']}"


def resolve_province(name: str) -> str:
    """The code of the new province ``name`` names: its code, or its name with or without
    "tỉnh"/"thành phố", in any case, with or without diacritics, spaces or
    dashes; "HCM", "TP.HCM", "Thừa Thiên Huế" too.

    A name (or code) of an old province only is refused rather than taken for the province
    it went into, so that a plan for "Quảng Nam" is not silently one for all of Đà Nẵng; the
    ``ValueError`` says where it went. Codes are read as new codes ("15" is Lào Cai, not the
    old Yên Bái)."""
    t = _tables()
    text = " ".join(str(name).split())
    new = t.provinces
    olds = t.old_provinces
    if text.isdigit():
        code = _code(text, 2)
        if code in set(new["code"]):
            return code
        hit = olds[olds["code"] == code]
        if len(hit):
            o = hit.iloc[0]
            raise ValueError(f"Không có tỉnh, thành phố mã “{text}” sau ngày 1/7/2025: mã "
                             f"{code} là của tỉnh {o['name']} cũ, nay thuộc "
                             f"{_kind_name(o['new_code'])} (mã {o['new_code']}).")
        raise ValueError(f"Không có tỉnh, thành phố mã “{text}” sau ngày 1/7/2025.")
    key = _bare_province(text)
    for keyed in (_canon, _tight):
        probe = keyed(key)
        hit = new[[keyed(n) == probe for n in new["name"]]]
        if len(hit) == 1:
            return hit["code"].iloc[0]
    if _tight(key) in _ALIASES:
        return _ALIASES[_tight(key)]
    for keyed in (_canon, _tight):
        probe = keyed(key)
        hit = olds[[keyed(n) == probe for n in olds["name"]]]
        if len(hit) == 1:
            o = hit.iloc[0]
            raise ValueError(
                f"Không có tỉnh, thành phố “{text}” sau ngày 1/7/2025: {o['name']} là tỉnh cũ, "
                f"nay thuộc {_kind_name(o['new_code'])}; có phải: {o['new_name']}?")
    raise ValueError(_unknown(text, key))


def _unknown(text: str, key: str) -> str:
    """The message for a name like no province: the closest new names, and the new names of
    the closest old ones."""
    t = _tables()
    choices: dict[str, str] = {}
    for n in t.provinces["name"]:
        choices.setdefault(_ascii(n), n)
    for n, to in zip(t.old_provinces["name"], t.old_provinces["new_name"], strict=True):
        choices.setdefault(_ascii(n), to)
    close = difflib.get_close_matches(_ascii(key), list(choices), n=4, cutoff=0.6)
    names = list(dict.fromkeys(choices[c] for c in close))
    if not names:
        return (f"Không có tỉnh, thành phố “{text}” sau ngày 1/7/2025; các tỉnh, thành phố: "
                + ", ".join(sorted(t.provinces["name"])) + ".")
    return f"Không có tỉnh, thành phố “{text}” sau ngày 1/7/2025; có phải: {', '.join(names)}?"


def province_units(name: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(areas, crosswalk) of a new province: the Địa bàn and Chuyển đổi địa bàn frames.

    areas (area_code, name, unit_kind, level, parent_code, valid_from, valid_to): the new
    province, the old provinces it was formed from with their districts and communes (to
    30/6/2025), and its new communes (from 1/7/2025). crosswalk (old_code, new_code,
    effective): each old commune and old province to its new unit, from 1/7/2025. Rules for
    codes, split communes and whole provinces: see the module docstring. ``ValueError`` (in
    Vietnamese) for a name that is no new province."""
    code = resolve_province(name)
    t = _tables()
    areas = t.areas[t.areas["province"] == code].sort_values("_order", kind="stable")
    cross = t.crosswalk[t.crosswalk["province"] == code]
    return (areas[AREA_COLUMNS].reset_index(drop=True).copy(),
            cross[CROSSWALK_COLUMNS].reset_index(drop=True).copy())


def split_communes(name: str) -> pd.DataFrame:
    """The old communes of a new province split among several new ones: old_code, new_code
    and default (the one the crosswalk takes), one row per part."""
    code = resolve_province(name)
    s = _tables().splits
    return s.loc[s["province"] == code, ["old_code", "new_code", "default"]].reset_index(
        drop=True).copy()


def package_versions() -> dict[str, str]:
    """The installed versions of the two data packages, to record with the outputs."""
    return {name: metadata.version(name) for name in PACKAGES}
