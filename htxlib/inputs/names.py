"""Place names: the keys they are matched by, and spellings that differ only by diacritics.

Names are matched with their diacritics, so "Thạch Xuan" typed beside "Thạch Xuân" under
one district makes two communes, and a commune report quietly becomes a smaller one. A name
is reported as a variant of another when it is that name with marks left out (a for ă or â,
o for ô or ơ, u for ư, d for đ, a tone missing) or with its tone on another vowel of the
syllable ("Hoà", "Hòa"). Names whose marks differ ("Ba Tơ", "Ba Tô") are different places
and are not reported. Case and spacing never make two units: they share one key.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

import numpy as np
import pandas as pd

from htxlib.glossary import enum_label, message, norm_key, sheets
from htxlib.inputs.clean import ROW
from htxlib.inputs.problems import Problems

UNIT_WORDS = ("thành phố trực thuộc trung ương", "thành phố", "thị trấn", "thị xã", "đặc khu",
              "phường", "huyện", "quận", "tỉnh", "xã", "tp.", "tp")


def split_unit(name: str) -> tuple[str, str]:
    """("thị trấn", "ba tơ") from "Thị trấn Ba Tơ": the unit word and the bare name key."""
    key = norm_key(name)
    for word in UNIT_WORDS:
        if key.startswith(word + " ") and len(key) > len(word) + 1:
            return word, key[len(word) + 1:]
    return "", key


def name_key(name: str) -> str:
    return split_unit(name)[1]


def ascii_key(name: str) -> str:
    """Accent-stripped key: for suggestions only, never for matching."""
    return ascii_words(name_key(name))


def ascii_words(text: str) -> str:
    """"xa ba vi" from "xã Ba Vì": lower case, marks left out, the unit word kept (names
    of files and folders)."""
    decomposed = unicodedata.normalize("NFD", norm_key(text).replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")  # huyền, sắc, ngã, hỏi, nặng
MAX_ROWS = 10  # rows listed in a message; the rest are counted


def _syllables(name: str) -> list[tuple[str, str]]:
    """(letters without the tone, tone mark) of each word of a name's key."""
    out = []
    for word in name_key(name).split():
        decomposed = unicodedata.normalize("NFD", word)
        tone = "".join(ch for ch in decomposed if ch in TONES)
        letters = unicodedata.normalize("NFC", "".join(ch for ch in decomposed
                                                       if ch not in TONES))
        out.append((letters, tone))
    return out


def _bare(ch: str) -> str:
    return ascii_key(ch) if ch.strip() else ch


def less_marked(a: str, b: str) -> bool:
    """``a`` is ``b`` with some diacritics left out or its tones placed elsewhere."""
    sa, sb = _syllables(a), _syllables(b)
    if len(sa) != len(sb):
        return False
    for (la, ta), (lb, tb) in zip(sa, sb, strict=True):
        if (ta and ta != tb) or len(la) != len(lb):
            return False
        if any(ca != cb and ca != _bare(cb) for ca, cb in zip(la, lb, strict=True)):
            return False
    return True


def variants(a: str, b: str) -> bool:
    """Two names of different keys that differ only by missing or misplaced marks."""
    return name_key(a) != name_key(b) and (less_marked(a, b) or less_marked(b, a))


def _marks(name: str) -> int:
    decomposed = unicodedata.normalize("NFD", name_key(name))
    return sum(unicodedata.combining(ch) > 0 or ch == "đ" for ch in decomposed)


def _rows_text(rows: Iterable[int]) -> str:
    rows = sorted(int(r) for r in rows)
    shown = ", ".join(str(r) for r in rows[:MAX_ROWS])
    return shown if len(rows) <= MAX_ROWS else message("rows_more", rows=shown, n=len(rows))


def unit_name(kind: object, level: object, name: object) -> str:
    """"huyện Thạch Hà": the unit word as typed (else the level's name) and the name."""
    return f"{kind or enum_label('area_level', level).lower()} {name}"


def _unit_name(units: pd.DataFrame, code: object) -> str:
    if not isinstance(code, str) or code not in units.index:
        return ""
    row = units.loc[code]
    return unit_name(row["unit_kind"], row["level"], row["name"])


def _pairs(group: pd.DataFrame) -> list[tuple[int, int]]:
    """(variant, reference) positions in ``group``: each spelling against the best-marked,
    most used spelling it is a variant of."""
    order = sorted(range(len(group)), key=lambda i: (
        -_marks(group["name"].iloc[i]), -group["n"].iloc[i], group["first"].iloc[i]))
    out = []
    for at, i in enumerate(order):
        for j in order[:at]:
            if variants(group["name"].iloc[i], group["name"].iloc[j]):
                out.append((i, j))
                break
    return out


def _candidates(units: pd.DataFrame, by: list[str]) -> Iterable[pd.DataFrame]:
    """Groups of units under one parent whose names are alike without their diacritics."""
    units = units.assign(_alike=[ascii_key(n) for n in units["name"]])
    keys = pd.DataFrame({c: units[c].astype(object).where(units[c].notna(), "")
                         for c in [*by, "_alike"]})
    alike = keys.duplicated(keep=False).to_numpy()  # most units have no namesake: skip them
    units, keys = units[alike], keys[alike]
    for _, group in units.groupby([keys[c] for c in keys.columns], sort=False):
        if group["key"].nunique() > 1:
            yield group


def check_derived(orgs: pd.DataFrame, frame: pd.DataFrame, problems: Problems) -> None:
    """The hierarchy built from the Tổ chức sheet: spellings of one name under one parent."""
    spec = sheets()["organisations"]
    rows = _rows_by_unit(orgs)
    units = frame.assign(key=[name_key(n) for n in frame["name"]],
                         rows=[rows.get(c, []) for c in frame["code"]])
    units = units.assign(n=units["rows"].map(len),
                         first=units["rows"].map(lambda r: min(r, default=0)))
    by_code = frame.set_index("code")
    for group in _candidates(units, ["level", "parent_code"]):
        level = group["level"].iloc[0]
        column = spec.by_name[level].header
        parent = _unit_name(by_code, group["parent_code"].iloc[0])
        for i, j in _pairs(group):
            a, b = group.iloc[i], group.iloc[j]
            first = a["first"]
            typed = orgs.loc[orgs[ROW] == first, level]
            problems.add_rows(
                "warning", "spelling_variants", spec.title, [first], column,
                [typed.iloc[0] if len(typed) else a["name"]],
                [message("spelling_variants", name=a["name"], rows=_rows_text(a["rows"]),
                         other=b["name"], other_rows=_rows_text(b["rows"]),
                         parent=message("spelling_parent", parent=parent) if parent else "")])


def _rows_by_unit(orgs: pd.DataFrame) -> dict[str, list[int]]:
    """The Excel rows of the organisations in each unit of the derived hierarchy (codes
    made as ``areas._derive`` makes them)."""
    out: dict[str, list[int]] = {}
    cols = ["province", "district", "commune"]
    grouped = orgs[[*cols, ROW]].astype({c: object for c in cols}).groupby(
        cols, dropna=False, sort=False)[ROW]
    for (prov, dist, comm), rows in grouped:
        if not isinstance(prov, str) or not isinstance(comm, str):
            continue
        codes = [name_key(prov)]
        if isinstance(dist, str):
            codes.append(f"{codes[0]}/{name_key(dist)}")
        codes.append(f"{codes[-1]}/{name_key(comm)}")
        for code in codes:
            out.setdefault(code, []).extend(int(r) for r in rows)
    return out


def check_sheet(frame: pd.DataFrame, problems: Problems) -> None:
    """The Địa bàn sheet: two units of one parent, level and kind, existing at the same time,
    whose names differ only by missing or misplaced marks."""
    spec = sheets()["areas"]
    if frame.empty:
        return
    units = frame.assign(key=[name_key(n) if isinstance(n, str) else "" for n in frame["name"]],
                         kind=[norm_key(k) if isinstance(k, str) else "" for k in
                               frame["unit_kind"]],
                         n=1, first=frame[ROW])
    units = units[units["name"].map(lambda n: isinstance(n, str))]
    by_code = units.drop_duplicates("code").set_index("code")
    for group in _candidates(units, ["parent_code", "level", "kind"]):
        parent = _unit_name(by_code, group["parent_code"].iloc[0])
        for i, j in _pairs(group):
            a, b = group.iloc[i], group.iloc[j]
            if not _overlap(a, b):
                continue
            problems.add_rows(
                "warning", "area_spelling_variants", spec.title, [a[ROW]],
                spec.by_name["name"].header, [a["name"]],
                [message("area_spelling_variants", name=a["name"], rows=a[ROW], code=a["code"],
                         other=b["name"], other_rows=b[ROW], other_code=b["code"],
                         parent=message("spelling_parent", parent=parent) if parent else "")])


def _overlap(a: pd.Series, b: pd.Series) -> bool:
    """The two units existed on one day at least (a missing date: no limit)."""
    start = max((d for d in (a["valid_from"], b["valid_from"]) if pd.notna(d)),
                default=pd.Timestamp.min)
    end = min((d for d in (a["valid_to"], b["valid_to"]) if pd.notna(d)),
              default=pd.Timestamp.max)
    return bool(np.datetime64(start) <= np.datetime64(end))
