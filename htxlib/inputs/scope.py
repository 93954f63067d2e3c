"""What a run is about: the area named, the as-of date, and whether the data allow it.

The command line, the report notebook and the library API (``indicator_table``) all go
through these functions, so a name or a date means the same thing everywhere, and a name
that matches nothing, a registry with errors or a date with no records is an error in
Vietnamese rather than an empty table.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pandas as pd

from htxlib import fmt
from htxlib.errors import EXIT_DATA, HtxError
from htxlib.glossary import message
from htxlib.inputs.areas import Areas
from htxlib.inputs.parse import MISSING, parse_date, why_not_date
from htxlib.inputs.problems import format_problems

if TYPE_CHECKING:
    from htxlib.inputs.registry import Registry


class ScopeError(HtxError, ValueError):
    """An area or a date that does not name what the data hold (message in Vietnamese)."""


class DataError(HtxError, ValueError):
    """The data have errors: nothing is computed until they are fixed (exit 1)."""

    exit_status = EXIT_DATA


def require_ok(registry: Registry, path: object = "") -> None:
    """Raise DataError, with the first errors, when the registry has errors."""
    if registry.ok:
        return
    head = message("data_invalid", errors=registry.problems.count("error"), path=path or "")
    lines = [ln for ln in format_problems(registry.problems, 3) if ln.startswith("LỖI")]
    raise DataError("\n".join([head, *lines[:10]]))


def as_date(value: object, what: str = "") -> dt.date:
    """A date from a date, a Timestamp, "10/6/2024" or "2024-06-10"; ``what`` names it in
    the message ("--as-of" on the command line)."""
    if isinstance(value, pd.Timestamp):
        return value.date()
    parsed = parse_date(value)
    if parsed is MISSING or not isinstance(parsed, dt.date):
        raise ScopeError(message("scope_bad_date", value=value, why=why_not_date(value),
                                 what=what or message("scope_date_word")))
    return parsed


def latest_actual(registry: Registry) -> dt.date:
    """The latest date of the actual figures (not estimates): the as-of date when none is
    asked; ScopeError when the data have none."""
    rec = registry.records
    actual = rec.loc[rec["record_kind"] != "estimate", "ref_date"].dropna()
    if actual.empty:
        raise ScopeError(message("scope_no_actual"))
    return pd.Timestamp(actual.max()).date()


def pick_area(areas: Areas, text: str, when: object = None) -> str:
    """The code of the one unit ``text`` names: a code, or a name with or without its unit
    word, optionally followed by its parents ("xã Xuân, huyện Một"); ``when`` picks among
    units that existed on that date. Raises ScopeError naming the candidates when it names
    none or several."""
    own, *parents = [part.strip() for part in str(text).split(",")]
    hits = areas.resolve(own, when=when)
    if parents and hits:
        wanted = [set(areas.resolve(p, when=when)) for p in parents]
        hits = [c for c in hits if all(w & set(areas.ancestors(c)) for w in wanted)]
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise ScopeError(message("scope_area_ambiguous", value=text,
                                 names="; ".join(areas.proper_name(c) for c in hits),
                                 example=_with_parent(areas, hits[0])))
    raise ScopeError(message("scope_area_unknown", value=text, hint=areas.suggest(own)))


def _with_parent(areas: Areas, code: str) -> str:
    """"xã Xuân, huyện Một": how to name ``code`` so that it is the only one."""
    names = [areas.display(code)]
    if parents := areas.ancestors(code):
        names.append(areas.display(parents[0]))
    return ", ".join(names)


def records_to_date(registry: Registry, as_of: dt.date, area: str | None) -> pd.DataFrame:
    """The actual records of the as-of date's year up to it, for ``area`` and below."""
    rec = registry.records
    as_of = pd.Timestamp(as_of)
    mask = ((rec["ref_date"].dt.year == as_of.year) & (rec["ref_date"] <= as_of)
            & (rec["record_kind"] != "estimate"))
    if area is not None:
        orgs = registry.organisations
        inside = orgs.loc[orgs["area_code"].isin(registry.areas.descendants(area)), "org_id"]
        mask &= rec["org_id"].isin(inside)
    return rec[mask]


def forms_to_date(registry: Registry, as_of: dt.date, area: str | None) -> pd.DataFrame:
    """The forms' values "to the as-of date" for ``area`` and below (a pre-reform unit's
    form counts for the unit it merged into)."""
    forms = registry.submissions
    when = pd.Timestamp(as_of)
    mask = (forms["period"] == "to_date") & (pd.to_datetime(forms["as_of"]) == when)
    if area is not None:
        units = registry.areas.moved_to(forms["unit_code"].astype(object), when)
        mask &= units.isin(registry.areas.descendants(area))
    return forms[mask]


def data_dates(registry: Registry, year: int) -> list[pd.Timestamp]:
    """The reporting dates of ``year`` the data hold: records' and forms' "to date"."""
    rec = registry.records
    forms = registry.submissions
    dates = set(rec.loc[(rec["ref_date"].dt.year == year)
                        & (rec["record_kind"] != "estimate"), "ref_date"].dropna())
    form_dates = pd.to_datetime(forms.loc[forms["period"] == "to_date", "as_of"])
    dates |= set(form_dates[form_dates.dt.year == year])
    return sorted(pd.Timestamp(d) for d in dates)


def coverage_problem(registry: Registry, as_of: dt.date, area: str | None) -> str:
    """"" when the area has records of the as-of date's year up to it, or a form for that
    date; else a sentence saying there are none and which reporting dates of that year the
    data do have."""
    if not (records_to_date(registry, as_of, area).empty
            and forms_to_date(registry, as_of, area).empty):
        return ""
    where = (message("scope_of_area", area=registry.areas.proper_name(area)) if area
             else message("scope_all_areas"))
    known = ", ".join(fmt.date(d.date()) for d in data_dates(registry, as_of.year))
    return message("scope_no_records", as_of=fmt.date(as_of), year=as_of.year, area=where,
                   known=message("scope_known_dates", dates=known) if known
                   else message("scope_no_dates", year=as_of.year))
