"""Which areas a batch reports on, in what order, and which narrative file each one gets.

By default: the top unit the data speak for and every unit below it that has data
(organisations or a form, in it or below it) on the as-of date, in hierarchy order (a
province, then each district followed by its communes). ``--level``, ``--within`` and
``--areas`` narrow that down. A narrative file is found by area in the folder
``--narratives`` (``NARRATIVE_NAMES``): by the unit's code or by its name written without
marks, with or without the plan year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from htxlib.fileio import safe_name
from htxlib.glossary import message
from htxlib.inputs.names import ascii_words
from htxlib.inputs.registry import Registry
from htxlib.inputs.scope import ScopeError, pick_area
from htxlib.session import choose_area

LEVEL_WORDS = {"tinh": "province", "huyen": "district", "xa": "commune"}  # --level
NARRATIVE_NAMES = ("{code}-{year}.md", "{code}.md", "{slug}-{year}.md", "{slug}.md")


@dataclass(frozen=True)
class Area:
    code: str
    name: str  # "xã Ba Vì", as the report names it
    level: str  # province, district, commune
    depth: int  # 0 for the top unit of the batch

    @property
    def slug(self) -> str:
        """"xa-ba-vi": the name with its unit word, without marks (file names)."""
        return "-".join(ascii_words(self.name).split()) or self.code

    @property
    def folder(self) -> str:
        """The area's output folder in the batch's: its name and its code (two communes of
        one name in different districts stay apart)."""
        return safe_name(f"{self.slug}-{self.code}")


def select(registry: Registry, as_of: dt.date, levels: list[str] | None = None,
           names: list[str] | None = None, within: str | None = None) -> list[Area]:
    """The areas of a batch, in hierarchy order. ``names`` and ``within`` are names or codes
    as on the command line; an unknown or ambiguous one raises ScopeError."""
    areas = registry.areas
    when = pd.Timestamp(as_of)
    alive = dict(zip(areas.frame["code"], areas.alive_on(pd.Series([when]))[0], strict=True))
    if names:
        chosen = {pick_area(areas, n, when=as_of) for n in names}
    else:
        root = pick_area(areas, within, when=as_of) if within else choose_area(
            registry, "", as_of)
        held = areas.moved_to(pd.Series(registry.units_with_data(), dtype=object), when)
        with_data = {a for u in held if u in alive for a in [u, *areas.ancestors(u)]}
        chosen = {u for u in areas.descendants(root) if u in with_data and alive[u]} | {root}
    if levels:
        chosen = {u for u in chosen if areas.by_code.at[u, "level"] in levels}
    return _in_order(registry, chosen)


def _in_order(registry: Registry, chosen: set[str]) -> list[Area]:
    """Depth first from the top units, children in the order of the Địa bàn list."""
    f = registry.areas.frame
    names = dict(zip(f["code"], registry.areas.display_names(), strict=True))
    children: dict[str | None, list[str]] = {}
    for code, parent in zip(f["code"], f["parent_code"], strict=True):
        children.setdefault(parent if parent in names else None, []).append(code)
    out, stack = [], [(c, 0) for c in reversed(children.get(None, []))]
    top = None
    while stack:
        code, depth = stack.pop()
        if code in chosen:
            top = depth if top is None else min(top, depth)
            out.append((code, depth))
        stack += [(c, depth + 1) for c in reversed(children.get(code, []))]
    return [Area(c, names[c], str(registry.areas.by_code.at[c, "level"]), d - (top or 0))
            for c, d in out]


def narratives(areas: list[Area], folder: Path | None, year: int) -> dict[str, Path | str]:
    """Each area's narrative file in ``folder`` (code → path), or the reason it cannot have
    one (code → message): a file name that several areas of the batch could claim. An area
    with neither gets the placeholders."""
    if folder is None:
        return {}
    if not folder.is_dir():
        raise ScopeError(message("batch_narratives_folder", path=folder))
    present = {p.name.lower(): p for p in folder.iterdir() if p.suffix.lower() == ".md"}
    claims: dict[str, list[str]] = {}
    wanted: dict[str, list[str]] = {}
    for a in areas:
        wanted[a.code] = [safe_name(n.format(code=a.code, slug=a.slug, year=year)).lower()
                          for n in NARRATIVE_NAMES]  # named as its folder is
        for name in wanted[a.code]:
            claims.setdefault(name, []).append(a.code)
    out: dict[str, Path | str] = {}
    for a in areas:
        name = next((n for n in wanted[a.code] if n in present), None)
        if name is None:
            continue
        if len(claims[name]) > 1:
            out[a.code] = message("batch_narrative_ambiguous", file=present[name].name,
                                  n=len(claims[name]), code=a.code, year=year)
        else:
            out[a.code] = present[name]
    return out
