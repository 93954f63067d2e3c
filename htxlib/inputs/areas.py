"""Administrative units: the hierarchy, matching names as typed, and the 2025 crosswalk.

The reporting area and its level are data: the ``Địa bàn`` sheet if given, otherwise a
hierarchy built from the province/district/commune names of the organisations.
Names are matched with diacritics kept ("Ba Tơ" is not "Ba Tô"); accents are stripped
only to suggest a correction in an error message, and to warn of units of one parent whose
names differ only by missing marks (``names``).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from htxlib.glossary import enum_label, message, norm_key, sheets
from htxlib.inputs.clean import ROW, Dataset
from htxlib.inputs.names import (
    ascii_key,
    check_derived,
    check_sheet,
    name_key,
    split_unit,
    unit_name,
)
from htxlib.inputs.problems import Problems

LEVELS = ("province", "district", "commune")
DEPTH = {level: i for i, level in enumerate(LEVELS)}
# In unit lists written by ``htx areas``, an old unit whose code a new unit took after the
# 2025 reform carries this suffix ("21520c": the old xã Ba Trang; "21520": the new xã).
OLD_SUFFIX = "c"
@dataclass
class Areas:
    """The hierarchy: code, name, unit_kind, level, parent_code, valid_from, valid_to."""

    frame: pd.DataFrame
    crosswalk: pd.DataFrame  # old_code, new_code, effective
    derived: bool = False  # built from the organisations' names (no Địa bàn sheet)

    def __post_init__(self) -> None:
        f = self.frame
        for col in ("code", "name", "unit_kind", "level", "parent_code"):
            f[col] = f[col].astype(object).where(f[col].notna(), None)
        f["key"] = [name_key(n) if isinstance(n, str) else "" for n in f["name"]]
        f["depth"] = f["level"].map(DEPTH).astype("int64")
        self.by_code = f.set_index("code")
        self._parent = dict(zip(f["code"], f["parent_code"], strict=True))
        self._children: dict[str, list[str]] = {}
        for code, parent in self._parent.items():
            if parent is not None:
                self._children.setdefault(parent, []).append(code)
        self._by_key = f.groupby("key", sort=False).indices  # name key -> row positions
        self._placed: dict[tuple, list[str]] = {}  # (level, parent or "*", key) -> codes
        for code, level, parent, key in zip(f["code"], f["level"], f["parent_code"], f["key"],
                                            strict=True):
            self._placed.setdefault((level, parent, key), []).append(code)
            if level == "province":
                self._placed.setdefault((level, "*", key), []).append(code)

    def __repr__(self) -> str:  # a summary, never the frames (htxlib.api.show)
        from htxlib.api import show

        return show.text(show.words()["areas"], show.areas_rows(self))

    def moved_to(self, codes: pd.Series, when: pd.Timestamp) -> pd.Series:
        """Carry units across a reorganisation: old codes become new ones from their date."""
        if self.crosswalk.empty:
            return codes
        moved = self.crosswalk[self.crosswalk["effective"] <= when]
        step = dict(zip(moved["old_code"], moved["new_code"], strict=True))
        return codes.replace({old: _last(step, old) for old in step})

    def leaves(self, when: pd.Timestamp) -> list[str]:
        """The lowest units that existed on ``when`` (none below them did), in list order."""
        f = self.frame
        alive = self.alive_on(pd.Series([when]))[0]
        parents = set(f.loc[alive, "parent_code"].dropna())
        return [c for c in f.loc[alive, "code"] if c not in parents]

    def alive_on(self, dates: pd.Series) -> np.ndarray:
        """[date, unit]: the unit existed on the date (units in list order)."""
        ref = dates.to_numpy()[:, None]
        start = self.frame["valid_from"].to_numpy()[None, :]
        end = self.frame["valid_to"].to_numpy()[None, :]
        return (pd.isna(start) | (start <= ref)) & (pd.isna(end) | (end >= ref))

    def placed(self, level: str, parent: str | None, name: str) -> list[str]:
        """Codes of the units of ``level`` named ``name`` under ``parent`` ("*": any)."""
        return self._placed.get((level, parent, name_key(name)), [])

    def children(self, code: str | None, level: str) -> pd.DataFrame:
        f = self.frame
        parent = f["parent_code"].isna() if code is None else f["parent_code"] == code
        return f[parent & (f["level"] == level)]

    def display_names(self) -> pd.Series:
        """"xã Ba Vì", "huyện Ba Tơ": the unit word as given and the name, for every unit in
        frame order. Reports use these: a word the data do not give (phường or xã?) is not
        guessed there, only in messages (``display``)."""
        f = self.frame
        return (f["unit_kind"].fillna("") + " " + f["name"]).str.strip()

    def display(self, code: str) -> str:
        """"xã Thạch Xuân": the unit word (or the level's, when none was given) and the name,
        to tell units apart in a message."""
        row = self.by_code.loc[code]
        name = row["name"] if isinstance(row["name"], str) else code  # no name: an error
        return unit_name(row["unit_kind"], row["level"], name)

    def ancestors(self, code: str) -> list[str]:
        """The codes above ``code``, nearest first."""
        chain, up = [], self._parent.get(code)
        while isinstance(up, str) and up in self._parent and up not in chain:
            chain.append(up)
            up = self._parent[up]
        return chain

    def smallest_holding(self, codes: list[str]) -> str | None:
        """The smallest unit that is or holds every one of ``codes`` (None: none does, the
        codes are under different top units)."""
        chains = [[*self.ancestors(c)[::-1], c] for c in codes]
        common = chains[0] if chains else []
        for chain in chains[1:]:
            common = [a for a, b in zip(common, chain, strict=False) if a == b]
        return common[-1] if common else None

    def proper_name(self, code: str) -> str:
        """"xã Thạch Xuân (huyện Thạch Hà, tỉnh Hà Tĩnh)": the unit and its parents as people
        write them, with the code only when the data gave codes (not derived from names)."""
        text = self.display(code)
        if chain := self.ancestors(code):
            text += " (" + ", ".join(self.display(c) for c in chain) + ")"
        derived = "/" in code or code == self.by_code.at[code, "key"]
        return text if derived else f"{text} [mã {code}]"

    def descendants(self, code: str) -> list[str]:
        """``code`` and every unit below it, in the hierarchy's row order."""
        below, todo = {code}, [code]
        while todo:
            for child in self._children.get(todo.pop(), ()):
                if child not in below:  # a loop in bad data is not followed twice
                    below.add(child)
                    todo.append(child)
        return [unit for unit in self.frame["code"] if unit in below]

    def resolve(self, text: str, when: object = None) -> list[str]:
        """Codes of the units that ``text`` (a code or a name, with or without unit word) names.

        Among units of the same name, a typed unit word decides ("thị trấn Ba Tơ"); then,
        given a date, the units that existed on it (the old or the merged xã Ba Vì); then
        the highest level (the district Ba Tơ before the town Ba Tơ).
        """
        text = str(text).strip()
        if text in self.by_code.index:
            return [text]
        word, key = split_unit(text)
        hits = self.frame.iloc[self._by_key.get(key, [])]
        if word:
            kinds = hits["unit_kind"].map(lambda k: norm_key(k) == word)
            hits = hits[kinds] if kinds.any() else hits
        if len(hits) > 1 and when is not None:
            when = pd.Timestamp(when)
            alive = (hits["valid_from"].isna() | (hits["valid_from"] <= when)) & (
                hits["valid_to"].isna() | (hits["valid_to"] >= when))
            hits = hits[alive] if alive.any() else hits
        if len(hits) > 1:
            hits = hits[hits["depth"] == hits["depth"].min()]
        return hits["code"].tolist()

    def suggest(self, text: str, level: str | None = None) -> str:
        """" (có phải: xã Thạch Xuân (huyện Thạch Hà, tỉnh Hà Tĩnh)?)" for a name typed without
        or with other diacritics, among the units of ``level`` (any level when None) and, if
        the text has a unit word, of that kind when there are such; "" when nothing is alike."""
        f = self.frame
        names = [n if isinstance(n, str) else "" for n in f["name"]]
        alike = f[np.array([ascii_key(n) == ascii_key(text) for n in names], dtype=bool)]
        if alike.empty:  # a slip of the keyboard: the nearest names ("Ba Vinhh": Ba Vinh)
            keys = [ascii_key(n) for n in names]
            near = set(difflib.get_close_matches(ascii_key(text), keys, n=3, cutoff=0.85))
            alike = f[np.array([k in near for k in keys], dtype=bool)]
        if level is not None:
            alike = alike[alike["level"] == level]
        word = split_unit(text)[0]
        same_kind = alike[np.array([norm_key(k or "") == word for k in alike["unit_kind"]],
                                   dtype=bool)]
        if word and len(same_kind):
            alike = same_kind
        found = "; ".join(self.proper_name(c) for c in alike["code"])
        return message("did_you_mean", names=found) if found else ""


def _last(step: dict, code: str) -> str:
    """Where ``code`` ends after every move of ``step`` (a unit merged twice moves twice;
    a loop, an error of the crosswalk, stops where it would come back)."""
    seen = {code}
    while code in step and step[code] not in seen and isinstance(step[code], str):
        code = step[code]
        seen.add(code)
    return code


def build_areas(ds: Dataset, problems: Problems) -> Areas:
    """The hierarchy from the Địa bàn sheet, or derived from the organisations."""
    sheet = sheets()["areas"]
    given = ds.areas
    if given.empty:
        frame = _derive(ds.organisations)
        check_derived(ds.organisations, frame, problems)
    else:
        frame = given.rename(columns={"area_code": "code"})[
            ["code", "name", "unit_kind", "level", "parent_code", "valid_from", "valid_to", ROW]]
        frame = frame.astype({c: object for c in ("code", "name", "unit_kind", "level",
                                                  "parent_code")})
        # A missing level or code is already an error; a code given twice is one (below),
        # and the unit is its first row.
        frame = frame[frame["level"].notna() & frame["code"].notna()]
        _check_tree(frame, sheet.title, problems)
        frame = frame[~frame["code"].duplicated()]
        check_sheet(frame, problems)
    cross = ds.crosswalk[["old_code", "new_code", "effective", ROW]]
    known = set(frame["code"])
    spec = sheets()["crosswalk"]
    for col in ("old_code", "new_code"):
        bad = ~cross[col].isin(known) & cross[col].notna()
        problems.add("error", "crosswalk_unknown", sheet=spec.title,
                     column=spec.by_name[col].header,
                     rows=cross.loc[bad, ROW], values=cross.loc[bad, col])
    links = cross.dropna(subset=["old_code", "new_code"]).drop_duplicates("old_code")
    for loop in loops(dict(zip(links["old_code"], links["new_code"], strict=True))):
        at = links[links["old_code"] == loop[0]].iloc[0]
        problems.add("error", "crosswalk_loop", sheet=spec.title,
                     column=spec.by_name["new_code"].header, rows=[at[ROW]],
                     values=[at["new_code"]], chain=_chain(loop, frame))
    return Areas(frame.drop(columns=[ROW]).reset_index(drop=True), cross.drop(columns=[ROW]),
                 derived=given.empty)


def loops(step: dict[str, str | None]) -> list[list[str]]:
    """Each loop of ``step`` (a unit → its parent, or an old unit → its successor), once,
    from the unit met first: units that are each other's parent or successor."""
    done: set[str] = set()
    found = []
    for start in step:
        path: list[str] = []
        seen: dict[str, int] = {}
        node = start
        while node in step and node not in done and node not in seen:
            seen[node] = len(path)
            path.append(node)
            node = step[node]
        if node in seen:
            found.append(path[seen[node]:])
        done.update(path)
    return found


def _chain(loop: list[str], frame: pd.DataFrame) -> str:
    """"21484 (thị trấn Ba Tơ) → 535 (huyện Ba Tơ) → 21484 (thị trấn Ba Tơ)": a loop's
    units, back to the first."""
    names = {c: unit_name(k, lv, n) for c, k, lv, n in zip(
        frame["code"], frame["unit_kind"], frame["level"], frame["name"], strict=True)
        if isinstance(n, str) and isinstance(lv, str)}
    return " → ".join(f"{c} ({names[c]})" if c in names else str(c) for c in [*loop, loop[0]])


def _check_tree(frame: pd.DataFrame, title: str, problems: Problems) -> None:
    cols = sheets()["areas"].by_name
    dup = frame["code"].duplicated(keep="first") & frame["code"].notna()
    if dup.any():
        first = frame.groupby("code")[ROW].transform("first")
        problems.add_rows("error", "duplicate_key", title, frame.loc[dup, ROW],
                          cols["area_code"].header, frame.loc[dup, "code"],
                          [message("duplicate_key", key=cols["area_code"].header, first=f)
                           for f in first[dup]])
    levels = frame.set_index("code")["level"]
    levels = levels[~levels.index.duplicated()]
    has_parent = frame["parent_code"].notna()
    unknown = has_parent & ~frame["parent_code"].isin(levels.index)
    problems.add("error", "unknown_parent", sheet=title, column=cols["parent_code"].header,
                 rows=frame.loc[unknown, ROW], values=frame.loc[unknown, "parent_code"])
    firsts = frame[~dup]
    in_loop: set[str] = set()
    for loop in loops(dict(zip(firsts["code"], firsts["parent_code"], strict=True))):
        in_loop.update(loop)
        at = firsts[firsts["code"] == loop[0]].iloc[0]
        problems.add("error", "area_loop", sheet=title, column=cols["parent_code"].header,
                     rows=[at[ROW]], values=[at["parent_code"]], chain=_chain(loop, firsts))
    parent_level = frame["parent_code"].map(levels)
    depth, parent_depth = frame["level"].map(DEPTH), parent_level.map(DEPTH)
    bad = (has_parent & ~unknown & (parent_depth >= depth)) | (~has_parent & (depth > 0))
    bad &= ~frame["code"].isin(in_loop)  # said once, as a loop
    for row, level, plevel in zip(frame.loc[bad, ROW], frame.loc[bad, "level"],
                                  parent_level[bad], strict=True):
        problems.add("error", "bad_parent_level", sheet=title, column=cols["level"].header,
                     rows=[row], level=_level_label(level), parent_level=_level_label(plevel))


def _level_label(level: object) -> str:
    return enum_label("area_level", level) if isinstance(level, str) else message("no_value")


def _derive(orgs: pd.DataFrame) -> pd.DataFrame:
    """Units named by the organisations; codes are the keys of their names, joined by '/'."""
    rows = []
    seen: set[str] = set()
    for prov, dist, comm in orgs[["province", "district", "commune"]].drop_duplicates().itertuples(
            index=False):
        if not isinstance(prov, str) or not isinstance(comm, str):
            continue
        p_code = name_key(prov)
        chain = [(p_code, prov, "province", None)]
        parent = p_code
        if isinstance(dist, str):
            d_code = f"{p_code}/{name_key(dist)}"
            chain.append((d_code, dist, "district", p_code))
            parent = d_code
        chain.append((f"{parent}/{name_key(comm)}", comm, "commune", parent))
        for code, name, level, parent_code in chain:
            if code not in seen:
                seen.add(code)
                word, _ = split_unit(name)
                bare = name[len(word):].strip() if word else name
                rows.append({"code": code, "name": bare, "unit_kind": word, "level": level,
                             "parent_code": parent_code, "valid_from": pd.NaT,
                             "valid_to": pd.NaT, ROW: None})
    cols = ["code", "name", "unit_kind", "level", "parent_code", "valid_from", "valid_to", ROW]
    return pd.DataFrame(rows, columns=cols)


def locate(orgs: pd.DataFrame, areas: Areas, problems: Problems) -> np.ndarray:
    """The commune code of each organisation (None where it cannot be found: an error).

    A ``Mã xã`` found in the Địa bàn sheet wins over the names, and a commune name that is
    not that unit's is a warning; a code not in the sheet is a warning and the names decide.
    Without the sheet there are no codes to check them against: the names decide."""
    sheet = sheets()["organisations"]
    cols = ["province", "district", "commune", "commune_code"]
    places = orgs[cols].drop_duplicates()
    found: dict[tuple, str | None] = {}
    for place in places.itertuples(index=False):
        code, failed, note = _locate_one(areas, *place)
        found[tuple(place)] = code
        if not (failed or note):
            continue
        mask = np.ones(len(orgs), dtype=bool)
        for c, v in zip(cols, place, strict=True):
            mask &= (orgs[c].isna() if pd.isna(v) else orgs[c] == v).to_numpy()
        rows, n = orgs.loc[mask, ROW], int(mask.sum())
        if failed:
            col, value = failed
            problems.add("error", "unknown_area", sheet=sheet.title,
                         column=sheet.by_name[col].header, rows=rows, values=[value] * n,
                         hint=areas.suggest(value, col if col in LEVELS else None))
        if note:
            kind, fields = note
            problems.add("warning", kind, sheet=sheet.title,
                         column=sheet.by_name["commune_code"].header, rows=rows,
                         values=[place.commune_code] * n, **fields)
    keys = list(orgs[cols].itertuples(index=False, name=None))
    return np.array([found[k] for k in keys], dtype=object)


def _locate_one(areas: Areas, province, district, commune, commune_code):
    """(code, the column and value that failed, a warning about Mã xã and its fields)."""
    code, failed = _by_names(areas, province, district, commune)
    if not isinstance(commune_code, str):
        return code, failed, None
    if commune_code not in areas.by_code.index:  # no Địa bàn sheet: no codes to check
        return code, failed, None if areas.derived else ("commune_code_unknown", {})
    named = areas.by_code.at[commune_code, "key"]
    if code == commune_code + OLD_SUFFIX:  # a pre-reform code a new unit took (htx areas)
        return code, None, None
    if isinstance(commune, str) and named and name_key(commune) != named:
        return commune_code, None, ("commune_code_other_name", {
            "unit": areas.proper_name(commune_code), "name": commune})
    return commune_code, None, None


def _by_names(areas: Areas, province, district, commune):
    if not isinstance(province, str) or not isinstance(commune, str):
        return None, None  # the missing cell is already a "required" error
    provs = areas.placed("province", "*", province)
    if len(provs) != 1:
        return None, ("province", province)
    parent = provs[0]
    if isinstance(district, str):
        dists = areas.placed("district", parent, district)
        if len(dists) != 1:
            return None, ("district", district)
        parent = dists[0]
    comms = areas.placed("commune", parent, commune)
    if len(comms) != 1:
        return None, ("commune", commune)
    return comms[0], None


def resolve_column(frame: pd.DataFrame, col: str, sheet: str, areas: Areas,
                   problems: Problems) -> pd.Series:
    """Resolve an area column; report unknown and ambiguous names. Returns the codes."""
    spec = sheets()[sheet]
    codes = {}
    for text in frame[col].dropna().unique():
        hits = areas.resolve(text)
        codes[text] = hits[0] if len(hits) == 1 else None
        rows = frame.loc[frame[col] == text, ROW]
        if not hits:
            problems.add("error", "unknown_area", sheet=spec.title, column=spec.by_name[col].header,
                         rows=rows, values=[text] * len(rows), hint=areas.suggest(text))
        elif len(hits) > 1:
            problems.add("error", "ambiguous_area", sheet=spec.title,
                         column=spec.by_name[col].header, rows=rows, values=[text] * len(rows),
                         candidates="; ".join(areas.proper_name(c) for c in hits))
    return frame[col].map(codes)
