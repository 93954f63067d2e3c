"""Vietnamese sentences written from the figures of a report.

The wording lives in ``resources/narrative.yaml`` (Jinja2 templates, thresholds for
judgements); this module only gives the templates their context and filters. Output is
plain text: it is escaped when the HTML is made.
"""

from __future__ import annotations

import math
import re
from functools import cache
from typing import Any

import jinja2

from htxlib import fmt
from htxlib.glossary import enums, resource
from htxlib.report.facts import Facts


@cache
def texts() -> dict[str, Any]:
    return resource("narrative.yaml")


def _num(value: float | None, decimals: int = 1) -> str:
    return fmt.number(value, decimals)


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(autoescape=False, undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=False)
    env.filters.update({
        "num": _num, "int": lambda v: fmt.number(v, 0), "pct": fmt.percent,
        "date": fmt.date, "two": lambda v: fmt.number(v, 0).zfill(2),
        "lower": lambda s: s[:1].lower() + s[1:]})
    return env


def render(template: str, squeeze: bool = True, **context: Any) -> str:
    """Render a template of narrative.yaml; runs of whitespace become one space unless
    ``squeeze`` is False (blanks left to fill in by hand)."""
    text = environment().from_string(template).render(**context)
    if not squeeze:
        return text
    return re.sub(r"\s+", " ", text).strip().replace(" ,", ",").replace(" .", ".")


def judge(name: str, value: float) -> str:
    """The wording of the first threshold of ``name`` that ``value`` reaches; "chưa có số
    liệu" for no value (never the mildest wording by default)."""
    steps = texts()["thresholds"][name]
    if value is None or math.isnan(value):
        return texts()["phrases"]["no_data"]
    return next((s["text"] for s in steps if value >= s["min"]), steps[-1]["text"])


def change(facts: Facts, code: str, period: str = "a") -> str:
    """"tăng 1 HTX (7,1%) so với năm 2023", "không biến động so với năm 2023"."""
    now, before = facts.value(code, period), facts.value(code, "p")
    r = facts.row(code, period)
    unit = "" if r is None else str(r["unit"])
    phrases = texts()["phrases"]
    if math.isnan(now) or math.isnan(before):
        return phrases["no_data"]
    diff = now - before
    unit = texts()["change_units"].get(code) or _short_unit(unit)
    ctx = {"diff": fmt.number(abs(diff)), "unit": unit, "year": facts.n - 1,
           "pct": fmt.percent(abs(diff) / before * 100) if before else ""}
    if abs(diff) < 1e-9:
        key = "unchanged"
    elif diff > 0:
        key = "increase" if before else "increase_from_zero"
    else:
        key = "decrease"
    return render(phrases[key], **ctx)


def _short_unit(unit: str) -> str:
    """Units of averages read badly after a difference: "triệu đồng/HTX" → "triệu đồng"."""
    if unit == "%":
        return texts()["phrases"]["percent_points"]
    return unit.split("/")[0]


class _Values(dict):
    """a.htx_count in templates: NaN for codes the table does not have."""

    def __getattr__(self, code: str) -> float:
        return self.get(code, math.nan)


def context(facts: Facts) -> dict[str, Any]:
    """What every template sees (documented at the top of narrative.yaml)."""
    a = _Values(facts.values("a"))
    managers = a.get("htx_managers", math.nan)
    untrained = managers - a.get("htx_managers_trained", math.nan)
    sectors = facts.parts("org_count", "sector")
    top = max(sectors, key=lambda s: s[1]) if sectors else ("", 0.0)
    words = resource("outline.yaml")["level_words"]
    return {
        "area": facts.area_name, "area_word": words.get(facts.level, ""), "n": facts.n,
        "year": facts.year, "prev": facts.n - 1, "as_of": facts.as_of,
        "a": a, "e": _Values(facts.values("e")), "p": _Values(facts.values("p") or {
            k: facts.value(k, "p") for k in a}),
        "change": lambda code, period="a": change(facts, code, period),
        "judge": judge,
        "parts": lambda code, breakdown, period="a": facts.parts(code, breakdown, period),
        "orgs": lambda code, period="a": facts.parts(code, "organisation", period),
        "untrained": untrained,
        "untrained_share": untrained / managers * 100 if managers else math.nan,
        "top_sector": top[0], "top_sector_count": top[1],
        "top_sector_share": top[1] / a.org_count * 100 if a.get("org_count") else math.nan,
        "models": models(facts),
        "sector_count": sector_count,
    }


def sector_count(label: str, value: float) -> str:
    """"nông nghiệp 13 HTX", but "5 quỹ tín dụng nhân dân (QTDND)": a sector's HTX counted
    by the name they go by."""
    words = texts()["sentences"]
    code = next((c for c, v in enums()["sector"].items() if v["label"] == label), "")
    return render(words["sector_counts"].get(code, words["sector_count"]), label=label, v=value)


def models(facts: Facts) -> list[tuple[str, str]]:
    """Organisations that are effective models: (name, what makes them one)."""
    kinds = texts()["sentences"]["model_kinds"]
    found: dict[str, list[str]] = {}
    for code, what in kinds.items():
        for name, _ in facts.parts(code, "organisation"):
            found.setdefault(name, []).append(what)
    return [(name, ", ".join(whats)) for name, whats in found.items()]


def sentence(key: str, facts: Facts, ctx: dict[str, Any] | None = None) -> str:
    return render(texts()["sentences"][key], **(ctx or context(facts)))


def support(facts: Facts, ctx: dict[str, Any] | None = None) -> list[str]:
    """One line per policy group, "Không có." where nothing was given in year N."""
    ctx = ctx or context(facts)
    benef = dict(facts.parts("support_beneficiaries", "policy_group"))
    funds = dict(facts.parts("support_funds", "policy_group"))
    lines = []
    for group in enums()["policy_group"].values():
        label = group["label"]
        lines.append(render(texts()["sentences"]["support_group"], label=label,
                            beneficiaries=benef.get(label, 0.0), funds=funds.get(label, 0.0)))
    return lines
