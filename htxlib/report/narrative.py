"""Vietnamese sentences written from the figures of a report.

The wording lives in ``resources/narrative.yaml`` (Jinja2 templates, thresholds for
judgements); this module only gives the templates their context and filters. Output is
plain text: it is escaped when the HTML is made.
"""

from __future__ import annotations

import math
import re
from contextvars import ContextVar
from functools import cache, lru_cache
from typing import Any

import jinja2

from htxlib import fmt
from htxlib.glossary import enums, labels, resource
from htxlib.report.cells import Change, Cited, Sentence
from htxlib.report.facts import Facts


@cache
def texts() -> dict[str, Any]:
    return resource("narrative.yaml")


class Missing(float):
    """A figure the data do not have: NaN that is false in a template's ``{% if %}``, so a
    clause guarded by its figure is left out rather than printed with a dash."""

    def __new__(cls) -> Missing:
        return super().__new__(cls, math.nan)

    def __bool__(self) -> bool:
        return False


MISSING = Missing()
STRICT: ContextVar[bool] = ContextVar("strict_sentences", default=False)


class Figure(float):
    """A value of the indicator table in a template: a float that remembers its code and
    period, so that the number printed from it is cited (``tree.Cited``). Arithmetic on it
    gives a plain float: a computed number is not the table's."""

    code: str
    period: str

    def __new__(cls, value: float, code: str, period: str) -> Figure:
        out = super().__new__(cls, value)
        out.code, out.period = code, period
        return out


# A printed figure travels through Jinja as START code SEP period SEP value SEP text END;
# private-use characters, which no template or data holds and no whitespace rule touches.
START, SEP, END = "\ue000", "\ue001", "\ue002"
CITED = re.compile(f"{START}([^{SEP}]*){SEP}([^{SEP}]*){SEP}([^{SEP}]*){SEP}([^{END}]*){END}")
# A change phrase travels as CHANGE code SEP period SEP base SEP direction SEP named SEP
# text END (``change``): a sentence keeps which figure each change word is about.
CHANGE = "\ue003"
CHANGED = re.compile(f"{CHANGE}" + f"([^{SEP}]*){SEP}" * 5 + f"([^{END}]*){END}")
MARKED = re.compile(f"{CITED.pattern}|{CHANGED.pattern}")


class MissingFigure(ValueError):
    """A template printed a figure the data do not have (raised only in strict mode)."""


def known(value: Any) -> Any:
    """``value``, or MISSING for None and NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    return value


def _figure(format_: Any) -> Any:
    """A number filter that never prints "-" inside a sentence: "chưa có số liệu" for a
    missing figure, or MissingFigure in strict mode (the tests' way of finding a template
    that prints a figure without guarding it)."""

    def apply(value: Any, *args: Any) -> str:
        if known(value) is MISSING:
            if STRICT.get():
                raise MissingFigure(value)
            return texts()["phrases"]["no_data"]
        text = format_(value, *args)
        if isinstance(value, Figure):
            return f"{START}{value.code}{SEP}{value.period}{SEP}{float(value)!r}{SEP}{text}{END}"
        return text

    return apply


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(autoescape=False, undefined=jinja2.StrictUndefined,
                             keep_trailing_newline=False)
    env.filters.update({
        "num": _figure(lambda v, d=1: fmt.number(v, d)),
        "int": _figure(lambda v: fmt.number(v, 0)), "pct": _figure(fmt.percent),
        "date": fmt.date, "two": _figure(lambda v: fmt.number(v, 0).zfill(2)),
        "lower": lambda s: s[:1].lower() + s[1:]})
    env.tests["known"] = lambda v: known(v) is not MISSING
    return env


def render(template: str, squeeze: bool = True, **context: Any) -> str:
    """Render a template of narrative.yaml; runs of whitespace become one space unless
    ``squeeze`` is False (blanks left to fill in by hand)."""
    return plain(_rendered(template, squeeze, context))


def plain(text: str) -> str:
    """Text with its figures and change words as they print, their marks dropped."""
    return MARKED.sub(lambda m: m.group(4) if m.group(4) is not None else m.group(10), text)


@lru_cache(maxsize=4096)
def _compiled(template: str) -> jinja2.Template:
    """A template compiled once per process: the same few hundred are rendered for every
    area of a batch."""
    return environment().from_string(template)


def _rendered(template: str, squeeze: bool, context: dict[str, Any]) -> str:
    text = _compiled(template).render(**context)
    if not squeeze:
        return text
    return re.sub(r"\s+", " ", text).strip().replace(" ,", ",").replace(" .", ".")


def cite(template: str, **context: Any) -> Sentence:
    """``render``, keeping where each printed figure came from (``tree.Sentence``)."""
    text = _rendered(template, True, context)
    spans: list[str | Cited | Change] = []
    at = 0
    for m in MARKED.finditer(text):
        if m.group(4) is not None:
            span = Cited(m.group(4), float(m.group(3)), m.group(1), m.group(2))
        else:
            code, period, base, direction, named, shown = m.groups()[4:]
            span = Change(plain(shown), code, period, base, direction, named == "1")
        spans += [text[at:m.start()], span]
        at = m.end()
    return Sentence([s for s in [*spans, text[at:]] if s != ""])


def judge(name: str, value: float) -> str:
    """The wording of the first threshold of ``name`` that ``value`` reaches; "chưa có số
    liệu" for no value (never the mildest wording by default)."""
    steps = texts()["thresholds"][name]
    if value is None or math.isnan(value):
        return texts()["phrases"]["no_data"]
    return next((s["text"] for s in steps if value >= s["min"]), steps[-1]["text"])


def change(facts: Facts, code: str, period: str = "a", base: str = "p", named: bool = False,
           against: bool = True) -> str:
    """The change of one figure, ``code`` in ``period`` against ``base``: "tăng 1 HTX (7,1%)
    so với năm 2023", "không biến động so với ngày 30/9/2025". ``named`` puts the figure's
    name first ("số THT không biến động"); ``against`` False leaves out "so với …" (said
    once before several changes). A percentage only of a base of ``small_base`` or more
    ("tăng 1 HTX", not "tăng 1 HTX (50%)" on 2). Marked (``CHANGED``) so that a sentence
    knows which figure each change word is about."""
    now, before = facts.value(code, period), facts.value(code, base)
    r = facts.row(code, period)
    phrases = texts()["phrases"]
    if math.isnan(now) or math.isnan(before):
        return phrases["no_data"]
    diff = now - before
    unit = texts()["change_units"].get(code) or _short_unit("" if r is None else str(r["unit"]))
    big = before >= texts()["small_base"]
    ctx = {"diff": fmt.number(abs(diff)), "unit": unit,
           "pct": fmt.percent(abs(diff) / before * 100) if before and big else ""}
    if abs(diff) < 1e-9:
        key, direction = "unchanged", "same"
    elif diff > 0:
        key, direction = ("increase" if before else "increase_from_zero"), "up"
    else:
        key, direction = "decrease", "down"
    text = render(phrases[key], **ctx)
    if named:
        text = f"{texts()['change_names'].get(code, facts.row(code, period)['label'])} {text}"
    if against:
        key = {"a": "against_date", "s": "against_same"}.get(base, "against_year")
        text += " " + render(phrases[key], date=fmt.date(facts.as_of), year=facts.n - 1)
    fields = [code, facts.periods.get(period, period), facts.periods.get(base, base), direction,
              "1" if named else "0", text]
    return CHANGE + SEP.join(fields) + END


def _short_unit(unit: str) -> str:
    """Units of averages read badly after a difference: "triệu đồng/HTX" → "triệu đồng"."""
    if unit == "%":
        return texts()["phrases"]["percent_points"]
    return unit.split("/")[0]


class _Values(dict):
    """a.htx_count in templates: a Figure of the table's ``period``, or MISSING for codes
    the table does not have or has no figure for."""

    def __init__(self, values: dict[str, float], period: str) -> None:
        super().__init__(values)
        self.period = period

    def __getattr__(self, code: str) -> float:
        value = known(self.get(code))
        return value if value is MISSING else Figure(value, code, self.period)


def context(facts: Facts) -> dict[str, Any]:
    """What every template sees (documented at the top of narrative.yaml)."""
    ids = facts.periods
    a = _Values(facts.values("a"), ids.get("a", ""))
    managers = a.get("htx_managers", math.nan)
    untrained = managers - a.get("htx_managers_trained", math.nan)
    sectors = facts.parts("org_count", "sector")
    top = max(sectors, key=lambda s: s[1]) if sectors else ("", 0.0)
    words = resource("outline.yaml")["level_words"]
    return {
        "area": facts.area_name, "area_word": words.get(facts.level, ""), "n": facts.n,
        "year": facts.year, "prev": facts.n - 1, "as_of": facts.as_of,
        "a": a, "e": _Values(facts.values("e"), ids.get("e", "")),
        "p": _Values(facts.values("p") or {k: facts.value(k, "p") for k in a}, ids["p"]),
        "change": lambda code, period="a", base=facts.base, named=False, against=True: change(
            facts, code, period, base, named, against),
        "b": _Values(facts.values(facts.base), ids.get(facts.base, "")),
        "against": render(texts()["phrases"]["against_same" if facts.base == "s"
                                               else "against_year"], year=facts.n - 1),
        "small": lambda base: known(base) is MISSING or base < texts()["small_base"],
        "judge": judge,
        "parts": lambda code, breakdown, period="a": facts.parts(code, breakdown, period),
        "orgs": lambda code, period="a": facts.parts(code, "organisation", period),
        "untrained": known(untrained),
        "untrained_share": known(untrained / managers * 100 if managers else math.nan),
        "top_sector": top[0], "top_sector_count": top[1],
        "top_sector_share": known(top[1] / a.org_count * 100 if a.org_count else math.nan),
        "same": lambda x, y: x == y or (known(x) is MISSING and known(y) is MISSING),
        "models": models(facts),
        "estimated": lambda code: estimated(facts, code),
        "models_known": all(known(facts.value(c)) is not MISSING
                            for c in texts()["sentences"]["model_kinds"]),
        "members_share": lambda e: render(texts()["sentences"]["members_share"], e=e),
        "sector_count": sector_count,
        "no_tht": texts()["sentences"]["no_tht"],
        "rated": facts.repealed("htx_good_fair") is None and a.htx_good_fair is not MISSING,
        "partial": facts.partial(), "unit_words": facts.unit_words,
        "done": facts.done, "edition": facts.edition, "fig": facts.year_figure,
        "whole_year": render(texts()["phrases"]["done" if facts.done else "estimated"],
                             n=facts.n),
        "period": facts.period_label, "start": facts.period_start, "start_known":
            not math.isnan(facts.value("htx_count", facts.period_start)),
    }


def estimated(facts: Facts, code: str) -> bool:
    """The year-end figure of ``code`` is an estimate someone made (records of kind Ước
    thực hiện, or the office's sheet), not the as-of figure carried to the year's end."""
    row = facts.row(code, "e")
    notes = {labels()["stated"], labels()["followed"]}
    return row is not None and (not bool(row["derived"]) or row["note"] in notes)


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


def sentence(key: str, facts: Facts, ctx: dict[str, Any] | None = None) -> Sentence:
    return cite(texts()["sentences"][key], **(ctx or context(facts)))


def support(facts: Facts) -> list[str] | None:
    """One line per policy group, "Không có." where nothing was given in year N; None when
    the data have no support rows at all (the figures were not provided, which is not
    "nothing was given")."""
    if known(facts.value("support_beneficiaries")) is MISSING:
        return None
    benef = dict(facts.parts("support_beneficiaries", "policy_group"))
    funds = dict(facts.parts("support_funds", "policy_group"))
    lines = []
    for group in enums()["policy_group"].values():
        label = group["label"]
        lines.append(render(texts()["sentences"]["support_group"], label=label,
                            beneficiaries=benef.get(label, 0.0), funds=funds.get(label, 0.0)))
    return lines
