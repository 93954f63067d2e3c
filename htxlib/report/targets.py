"""Targets: the baseline, the gap in units and a feasibility note from history.

Four kinds of target, by the indicator's formula:
  share  (a ratio in %, e.g. ≥ 50% HTX rated good or fair): the gap is counted in the
         numerator's units on the estimated denominator at the end of year N;
  flow   (events in a year: new, dissolved, converted, new members): the target is for
         year N+1 itself; history is the yearly mean over the years known;
  level  (averages such as revenue per HTX, and money totals of a year): the gap is
         target − estimate in the code's unit; history is the mean yearly change;
  stock  (everything else, e.g. 20 HTX by 2025): the gap is target − estimate, counted.
Wording in resources/narrative.yaml (``targets``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from htxlib import fmt
from htxlib.glossary import catalog, resource
from htxlib.report.facts import Facts
from htxlib.report.narrative import judge, render, texts

FLOW_MEASURES = {"new", "dissolved", "converted", "new_members"}


@dataclass
class Target:
    code: str
    label: str
    unit: str
    note: str  # the target as officials wrote it
    target_text: str  # "01 - 02 HTX", "từ 50% trở lên"
    target: float
    asof: float  # value at the as-of date
    estimate: float  # full-year estimate of year N
    gap: str  # "cần thêm 6 HTX đạt loại tốt, khá"; "" when reached
    feasibility: str
    pct: float = math.nan  # estimate in % of target (period targets)
    completion: str = ""


def kind(code: str) -> str:
    e = next(x for x in catalog() if x["code"] == code)
    if "ratio" in e:
        return "share" if e.get("scale") == 100 else "level"
    measures = {e["measure"]} if isinstance(e["measure"], str) else set(e["measure"])
    if measures & FLOW_MEASURES:
        return "flow"
    return "level" if e.get("annualise") else "stock"


def target_text(lo: float, hi: float, unit: str) -> str:
    t = texts()["targets"]
    two = unit != "%" and not unit.startswith("triệu")  # counts: "01 - 02 HTX"
    f = (lambda v: fmt.number(v, 0).zfill(2)) if two else fmt.number

    if not math.isnan(hi) and hi != lo:
        return render(t["range"], lo=f(lo), hi=fmt.with_unit(f(hi), unit))
    return render(t["about" if not math.isnan(hi) else "at_least"],
                  lo=fmt.with_unit(f(lo), unit))


def _rate(facts: Facts, code: str, flow: bool) -> tuple[float, int, int]:
    """Mean yearly value (flows) or mean yearly change (stocks) over full years: the years
    before N, and N itself only when its year-end estimate was given. A derived estimate
    of a flow is the part of the year to the as-of date, and set against full years it
    would judge half a year as a whole one. Returns (rate, first year, last year)."""
    s = facts.series(code).dropna()
    if flow and facts.derived:
        s = s[s.index < facts.n]
    if len(s) < 2:
        return math.nan, facts.n, facts.n
    first, last = int(s.index[0]), int(s.index[-1])
    if flow:
        return float(s.mean()), first, last
    return float((s.iloc[-1] - s.iloc[0]) / (s.index[-1] - s.index[0])), first, last


def _assess(facts: Facts, row, end: int) -> Target:
    t = texts()["targets"]
    code, unit = str(row["code"]), str(row["unit"])
    lo, hi = float(row["value"]), float(row["value_max"])
    k = kind(code)
    asof, est = facts.value(code, "a"), facts.value(code, "e")
    subject = t["subject"].get(code, unit)
    ctx = {"n": facts.n, "year": end, "end": end, "subject": subject, "unit": unit,
           "target_text": target_text(lo, hi, unit)}
    measured = code
    if k == "share":
        num, den = next(x["ratio"] for x in catalog() if x["code"] == code)
        base = facts.value(den, "e")
        need = math.ceil(lo / 100 * base - 1e-9) - facts.value(num, "e")
        gap = render(t["gap_share"], gap=need, base=base,
                     base_unit=facts.row(den, "e")["unit"], **ctx) if need > 0 else ""
        measured, missing, unit_h = num, need, facts.row(num, "e")["unit"]
    elif k == "flow":
        gap = render(t["gap_flow"], **ctx)
        missing, unit_h = lo, unit
    else:
        missing = lo - est
        gap = render(t[f"gap_{k}"], gap=missing, **ctx) if missing > 0 else ""
        unit_h = unit
    rate, first, last = _rate(facts, measured, k == "flow")
    if math.isnan(rate):
        feas = t["no_history"]
    else:
        history = render(t["history" if k == "flow" else "history_change"], first=first,
                         rate=rate, **{**ctx, "unit": unit_h, "last": last})
        years = max(end - facts.n, 1)
        ok = rate >= lo if k == "flow" else rate * years >= missing
        recent = k == "flow" and not ok and facts.series(measured).get(last, math.nan) >= lo
        feas = render(t["reached_note"], **ctx) if missing <= 0 else render(
            t["recent" if recent else "feasible" if ok else "hard"], history=history,
            last=last, value=fmt.with_unit(fmt.number(facts.series(measured)[last]), unit_h),
            estimated=last == facts.n and not facts.done)
    return Target(code, str(row["label"]), unit, str(row["note"]), ctx["target_text"], lo,
                  asof, est, gap if gap else t["reached"], feas)


def plan_targets(facts: Facts) -> list[Target]:
    """The targets of plan year N+1 with their baseline, gap and feasibility."""
    if "plan" not in facts.periods:
        return []
    return [_assess(facts, row, facts.year) for _, row in facts.plans("plan").iterrows()]


def period_targets(facts: Facts) -> list[Target]:
    """Targets of the multi-year period (2021–2025): % reached by the estimate of year N."""
    if "period" not in facts.periods:
        return []
    end = int(facts.periods["period"][-4:])
    out = []
    for _, row in facts.plans("period").iterrows():
        tgt = _assess(facts, row, end)
        tgt.pct = tgt.estimate / tgt.target * 100 if tgt.target else math.nan
        tgt.completion = judge("completion", tgt.pct)
        out.append(tgt)
    return out


def missing(facts: Facts, key: str) -> str:
    """What to fill in where the data have no targets (``key``: "targets",
    "period_targets" or "remaining"): the text of a placeholder, not a sentence to sign."""
    s = texts()["sentences"]
    what = texts()["targets"]["remaining"]["none"] if key == "remaining" else s[f"{key}_none"]
    said = render(what, year=facts.year, n=facts.n, period=facts.period_label,
                  area=facts.area_name)
    return render(resource("outline.yaml")["placeholder_data"], what=said)


def sentences(targets: list[Target], facts: Facts, period: bool) -> list[str]:
    s = texts()["sentences"]
    if not period:
        return [render(s["target_line"], note=t.note) for t in targets]
    return [render(s["period_target"], note=t.note, n=facts.n, done=facts.done,
                   value=t.estimate, unit=t.unit,
                   pct=t.pct, completion=t.completion,
                   gap="" if t.gap == texts()["targets"]["reached"] else t.gap,
                   outlook=t.feasibility) for t in targets]


def achievement(value: float, lo: float, hi: float, unit: str) -> tuple[str, str]:
    """("(50% - 100% kế hoạch)", "hoàn thành kế hoạch"): ``value`` in % of a year's target
    and the verdict. A range is judged against both ends: below its minimum, within it,
    or above its maximum; a share in % is compared, not divided."""
    y = texts()["targets"]["year"]
    ranged = not math.isnan(hi) and hi != lo
    if math.isnan(value):
        return "", ""
    pct = ""
    if unit != "%" and lo > 0:
        pct = render(y["pct"], pct=fmt.percent(value / lo * 100)) if not ranged else render(
            y["pct_range"], low=fmt.percent(value / hi * 100), high=fmt.percent(value / lo * 100))
    if ranged:
        verdict = ("below_range" if value < lo else "above_range" if value > hi
                   else "in_range")
    else:
        verdict = "below" if value < lo else "above" if value > lo else "reached"
    return pct, y["verdict"][verdict]


def remaining(facts: Facts) -> list[str]:
    """What is left, at the as-of date, to reach each target of year N's plan: a count
    or a level to add, a share to reach ("còn phải thành lập mới thêm 1 HTX")."""
    r = texts()["targets"]["remaining"]
    out = []
    for _, row in facts.plans("plan_n").iterrows():
        code, unit = str(row["code"]), str(row["unit"])
        lo, hi = float(row["value"]), float(row["value_max"])
        now = facts.value(code, "a")
        if math.isnan(now):
            continue
        k, target = kind(code), target_text(lo, hi, unit)
        left = lo - now
        if k == "share":
            gap = render(r["gap_share"], target=target)
        elif k == "level":
            gap = render(r["gap_level"], gap=left, unit=unit)
        else:
            gap = render(r["gap_count"], gap=left, unit=unit,
                         verb=r["verbs"].get(code, "có"))
        out.append(render(r["line"], label=str(row["label"]), n=facts.n, as_of=facts.as_of,
                          target=target, now=fmt.with_unit(fmt.number(now), unit),
                          reached=left <= 0, gap=gap))
    return out


def year_targets(facts: Facts) -> list[str]:
    """How far year N has come against its own plan, for each target of year N: to the
    as-of date (a flow to date is set against the whole year's target) and by the year-end
    estimate."""
    if "plan_n" not in facts.periods:
        return []
    y = texts()["targets"]["year"]
    out = []
    for _, row in facts.plans("plan_n").iterrows():
        code, unit = str(row["code"]), str(row["unit"])
        lo, hi = float(row["value"]), float(row["value_max"])
        now, est = facts.value(code, "a"), facts.value(code, "e")
        now_pct, _ = achievement(now, lo, hi, unit)
        est_pct, verdict = achievement(est, lo, hi, unit)
        shown = {k: fmt.with_unit(fmt.number(v), unit) for k, v in (("now", now), ("est", est))
                 if not math.isnan(v)}
        out.append(render(y["line"], label=str(row["label"]), n=facts.n, as_of=facts.as_of,
                          done=facts.done,
                          target=target_text(lo, hi, unit), now=shown.get("now", ""),
                          now_pct=now_pct, est=shown.get("est", ""), est_pct=est_pct,
                          verdict=verdict))
    return out
