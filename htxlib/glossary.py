"""The one glossary: every Vietnamese label, header, enumeration and message.

All user-facing Vietnamese text lives in the YAML files of ``htxlib/resources``; code
asks this module for it. Loaded once and cached.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import yaml

from htxlib.config import RESOURCES_DIR


def norm_key(text: str) -> str:
    """Key for matching what users type: NFC, case-folded, single spaces.

    Diacritics are kept: "Ba Tơ" and "Ba Tô" give different keys.
    """
    text = unicodedata.normalize("NFC", str(text)).replace("\u2013", "-").replace("\u2014", "-")
    return " ".join(text.casefold().split())


@cache
def _resource(name: str) -> Any:
    with open(RESOURCES_DIR / name, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml


def resource(name: str) -> Any:
    """A YAML file of ``htxlib/resources`` (outline, narrative templates...), cached."""
    return _resource(name)


@dataclass(frozen=True)
class Column:
    name: str
    header: str
    type: str
    required: bool = False
    enum: str | None = None
    description: str = ""
    example: str = ""


@dataclass(frozen=True)
class Sheet:
    name: str
    title: str
    file: str
    description: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    optional: bool = False
    min_rows: int = 0
    by_name: dict[str, Column] = field(default_factory=dict, compare=False, repr=False)


@cache
def sheets() -> dict[str, Sheet]:
    """The input sheets, in workbook order, keyed by their code name."""
    out = {}
    for name, spec in _resource("schema.yaml").items():
        cols = tuple(Column(**{k: (str(v) if k == "example" else v) for k, v in c.items()})
                     for c in spec["columns"])
        out[name] = Sheet(name=name, title=spec["title"], file=spec["file"],
                          description=spec["description"], key=tuple(spec.get("key", [])),
                          columns=cols, optional=bool(spec.get("optional", False)),
                          min_rows=int(spec.get("min_rows", 0)),
                          by_name={c.name: c for c in cols})
    return out


@cache
def enums() -> dict[str, dict[str, dict[str, Any]]]:
    """Enumerations: {enum: {code: {"label": ..., "aliases": [...]}}}."""
    return _resource("enums.yaml")


def enum_label(enum: str, code: str) -> str:
    """Vietnamese label of an enumeration value."""
    return enums()[enum][code]["label"]


@cache
def enum_lookup(enum: str) -> dict[str, str]:
    """Map every accepted spelling (normalised) of an enumeration to its code."""
    lookup: dict[str, str] = {}
    for code, spec in enums()[enum].items():
        for spelling in [code, spec["label"], *spec.get("aliases", [])]:
            lookup.setdefault(norm_key(spelling), code)
    return lookup


BREAKDOWN_ENUM = {"type": "org_type", "sector": "sector", "training": "training_level",
                  "policy_group": "policy_group"}  # a breakdown's categories: an enumeration


def breakdown_category(code: str, text: str) -> tuple[str, str] | None:
    """(breakdown, category) that ``text`` ("Nông nghiệp", "HTX") names among the
    breakdowns of indicator ``code``; None when it names none of them."""
    entry = indicator(code) or {}
    for dim in entry.get("breakdowns", []):
        if dim in BREAKDOWN_ENUM and (cat := enum_lookup(BREAKDOWN_ENUM[dim]).get(
                norm_key(text))):
            return dim, cat
    return None


@cache
def messages() -> dict[str, str]:
    """Vietnamese message templates, keyed by problem code."""
    return _resource("messages.yaml")


def message(code: str, /, **fields: Any) -> str:
    return messages()[code].format(**fields)


@cache
def catalog() -> list[dict[str, Any]]:
    """The indicator catalogue (see docs/indicators.md)."""
    return _resource("indicators.yaml")["indicators"]


@cache
def _by_code() -> dict[str, dict[str, Any]]:
    return {e["code"]: e for e in catalog()}


def indicator(code: str) -> dict[str, Any] | None:
    """The catalogue entry of ``code`` (None for a code the catalogue does not have)."""
    return _by_code().get(code)


def measures_of(entry: dict[str, Any]) -> list[str]:
    """The per-organisation measures an additive entry sums ([] for a ratio)."""
    m = entry.get("measure", [])
    return [m] if isinstance(m, str) else list(m)


@cache
def growing_codes() -> frozenset[str]:
    """Additive codes whose year total only grows through the year (new HTX, revenue,
    support: ``grows_in_year`` in indicators.yaml); a part-year value of these is never
    compared with a full year's, nor a year-end estimate allowed below it."""
    grows = set(_resource("indicators.yaml")["grows_in_year"])
    return frozenset(e["code"] for e in catalog() if "measure" in e
                     and set(measures_of(e)) <= grows)


@cache
def repealed() -> dict[str, dt.date]:
    """Indicator code → the date a reform repealed its group (``repealed`` in
    indicators.yaml: the HTX rating from 18/9/2025)."""
    groups = _resource("indicators.yaml").get("repealed", {})
    return {e["code"]: groups[e["group"]] for e in catalog() if e["group"] in groups}


@cache
def labels() -> dict[str, Any]:
    """Other labels: period kinds, breakdown names, table headers."""
    return _resource("indicators.yaml")["labels"]
