"""Where the figures of a report come from, said where they are used.

The coverage sentences open the document (``sentences``); when the data hold units' forms
and only some units sent them (a province of 8/96 communes), every sum is a sum of those
units only: the caption of every table and chart that adds units up names the base
(``caption``), and the years before under Bảng 1 name the units their figures hold
(``earlier_note``); a unit formed by a reorganisation names the old units its years
before hold (``formed_note``). With every unit's figures, nothing changes. The counts are the
indicator table's coverage codes (``htxlib.indicators.coverage``), read through ``Facts``.
"""

from __future__ import annotations

from typing import Any

from htxlib import fmt
from htxlib.glossary import resource
from htxlib.report.cells import Sentence
from htxlib.report.facts import Facts
from htxlib.report.narrative import MISSING, cite, known, render, texts
from htxlib.report.tree import Chart, Table


def sentences(facts: Facts, ctx: dict[str, Any]) -> list[Sentence]:
    """Where the figures come from, the units with none, and those holding forms of units
    from before a reorganisation; nothing when the data hold no form (then the records
    are the office's whole registry)."""
    if known(facts.value("units_missing")) is MISSING:
        return []
    words = texts()["sentences"]
    many = facts.value("units_total") > 1  # a commune's own plan: its form is the source
    ctx = {**ctx, "unit_words": facts.unit_words,
           "covered": facts.value("units_total") - facts.value("units_missing")}
    out = [cite(words["coverage"], **ctx)] if many else []
    for code, key in (("units_missing", "coverage_missing"), ("units_merged", "coverage_merged")):
        if names := facts.lowest(code):
            out.append(cite(words[key], **{**ctx, "names": ", ".join(names)}))
    return out


def _exhibits() -> dict[str, Any]:
    return resource("exhibits.yaml")


def _words() -> dict[str, Any]:
    return _exhibits()["partial"]


def caption(facts: Facts, exhibit: Table | Chart) -> str:
    """The exhibit's caption, with the units its sums hold when they are not all the
    area's: "… (tổng hợp từ 8/96 xã, phường, đặc khu có số liệu)"."""
    base = facts.partial()
    if base is None or exhibit.id in _words()["not_summed"]:
        return exhibit.caption
    return render(_words()["caption"], caption=exhibit.caption, covered=fmt.number(base[0], 0),
                  total=fmt.number(base[1], 0), unit_words=facts.unit_words)


def under_table(facts: Facts, columns: list[str]) -> str:
    """What Bảng 1 (its period ``columns``) says under it of whose figures its earlier
    columns are: the old units of a unit formed later, the units that reported."""
    notes = (formed_note(facts, columns),
             earlier_note(facts, [c for c in columns if c in ("p", "s")]))
    return " ".join(n for n in notes if n)


def earlier_note(facts: Facts, periods: list[str]) -> str:
    """Under Bảng 1 of an area whose sums are of some of its units only: which units the
    figures of each earlier column (``periods``: "p", "s") are the sums of; "" when the
    area's sums are of all its units."""
    if facts.partial() is None:
        return ""
    notes = []
    for period in periods:
        if period not in facts.periods or period == "a":
            continue
        names = facts.reported(period)
        if not names:  # the column has no figures: nothing to say of whose they are
            continue
        when = (render(_words()["same"], year=facts.n - 1) if period == "s"
                else render(_words()["year"], year=facts.periods[period][:4]))
        notes.append(render(_words()["earlier"], when=when, area=facts.area_name,
                            count=len(names), unit_words=facts.unit_words,
                            names=", ".join(names)))
    return " ".join(notes)


def formed_note(facts: Facts, columns: list[str] = ()) -> str:
    """Whose figures the years before the area existed are (the old units that formed
    it), and the six-month report's same period when ``columns`` show it and it is before
    too; said once, under Bảng 1; "" when the table shows no such column."""
    years = facts.before_formed()
    same = facts.before_formed_same() if "s" in columns else None
    if not years and same is None:
        return ""
    kinds = {kind for kind, _ in facts.formed_from}
    if len(kinds) == 1 and len(facts.formed_from) > 1:
        names = f"các {kinds.pop()} " + ", ".join(n for _, n in facts.formed_from)
    else:
        names = ", ".join(f"{k} {n}".strip() for k, n in facts.formed_from)
    words = _exhibits()["formed_years"]
    when = render(words["one" if len(years) == 1 else "many"], first=years[0],
                  last=years[-1]) if years else ""
    if same is not None:
        said = render(words["same"], year=same.year, date=fmt.date(same))
        when = render(words["both"], years=when, same=said) if when else said
    return render(_exhibits()["formed_note"], area=facts.area_name, names=names,
                  many=len(facts.formed_from) > 1, date=fmt.date(facts.formed_on),
                  years=when)
