"""The annual plan as a tree of sections and blocks, built from checked parameters.

``build`` runs the whole pipeline for the report notebook: open and validate the data,
choose the area and the as-of date, gather the facts (the indicator table), then walk the
outline (resources/outline.yaml) and fill every block — sentences, tables, charts and the
people-written sections — into the format-neutral tree of ``htxlib.report.tree``, which
the renderers of ``htxlib.render`` turn into HTML, Word and Excel.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from htxlib import fmt, timing
from htxlib.glossary import message, resource
from htxlib.inputs.problems import Problems, format_problems
from htxlib.inputs.registry import Registry
from htxlib.inputs.scope import DataError, ScopeError, coverage_problem, pick_area
from htxlib.provenance import git_commit, htxlib_version
from htxlib.report import figures, present, tables
from htxlib.report import narrative as nv
from htxlib.report import targets as tg
from htxlib.report.facts import Facts, gather
from htxlib.report.params import ParamError, Params, data_checksum, file_checksum
from htxlib.report.prepared import prepare
from htxlib.report.tree import (
    Block,
    Bullets,
    Chart,
    Closing,
    People,
    Placeholder,
    Provenance,
    Report,
    ReportInfo,
    Section,
    Table,
    Text,
)
from htxlib.report.writeup import Writeup, read, sections

WARNINGS_SHOWN = 10  # the data's warnings a run repeats (all of them: htx validate)


def choose_area(registry: Registry, area: str, as_of: dt.date) -> str:
    """The code of the reporting area: the one named, or else the smallest unit that holds
    every organisation of the data (Ba Tơ district for the sample, not its province)."""
    areas = registry.areas
    if area:
        try:
            return pick_area(areas, area, when=as_of)
        except ScopeError as exc:
            raise ParamError(str(exc)) from None
    smallest = areas.smallest_holding(registry.units_with_data())
    if smallest is None:
        top = areas.frame.loc[areas.frame["parent_code"].isna(), "name"]
        raise ParamError(message("param_area_many", names=", ".join(top)))
    return smallest


def require_coverage(registry: Registry, area: str, as_of: dt.date) -> None:
    """No report of dashes: the area must have records of year N up to the as-of date."""
    if problem := coverage_problem(registry, as_of, area):
        raise DataError(problem)


def build(params: Params, today: dt.date | None = None) -> Report:
    timing.take()  # what an earlier report in this process left uncollected is not ours
    with timing.timed("load"):
        prepared = prepare(params)
    with timing.timed("facts"):
        area = choose_area(prepared.registry, params.area, prepared.as_of)
        require_coverage(prepared.registry, area, prepared.as_of)
        facts = gather(prepared.registry, area, params.n + 1, prepared.as_of,
                       prepared.values, params.edition)
    with timing.timed("render"):
        writeup = read(params.narrative, params.edition)
        report = assemble(facts, writeup, params, today, prepared.inputs[0])
    problems = relevant(prepared.problems, facts)
    report.info = replace(report.info, n_warnings=problems.count("warning"),
                          warnings=tuple(format_problems(problems, 3)[:WARNINGS_SHOWN]))
    return report


def relevant(problems: Problems, facts: Facts) -> Problems:
    """The data's problems a report of ``facts`` repeats: a commune's report leaves out
    the forms other units have not sent (the province's business, not its own)."""
    if facts.value("units_total") > 1:
        return problems
    return Problems([f[f["code"] != "submission_missing"] for f in problems.frames])


def source_line(facts: Facts) -> str:
    """The source line under every chart ("Nguồn: số liệu báo cáo … đến ngày 10/6/2024.")."""
    words = resource("exhibits.yaml")
    derived = nv.render(words["derived_mark"], n=facts.n) if facts.derived else ""
    return nv.render(words["source"][facts.source], area=facts.area_name,
                     as_of=fmt.date(facts.as_of), derived=derived,
                     own=facts.value("units_total") == 1)


def dated(entries: list[dict], when: dt.date) -> dict:
    """The first entry in force on ``when``: its ``until`` (if any) not before it."""
    return next(e for e in entries if e.get("until") is None or e["until"] >= when)


def recipients(facts: Facts) -> list[str]:
    """Who receives the document by default: by the area's level and the date of its
    figures, offices under the names they had then (outline.yaml ``closing``)."""
    spec = resource("outline.yaml")["closing"]
    level = facts.level if any(e["level"] == facts.level for e in spec["recipients"]) \
        else "province"
    entry = dated([e for e in spec["recipients"] if e["level"] == level], facts.as_of)
    office = {k: dated(v, facts.as_of)["name"] for k, v in spec["offices"].items()}
    return [nv.render(r, area=facts.area_name, parent=facts.parent_name, office=office)
            for r in entry["lines"]]


def closing(facts: Facts, writeup: Writeup) -> Closing:
    """"Nơi nhận" and the signature block: the narrative file's, else the level's default."""
    spec = resource("outline.yaml")["closing"]
    signer = writeup.lines("signer")
    return present.closing(writeup.lines("recipients") or recipients(facts),
                           signer[:-1] or spec["signature"], signer[-1] if signer else "")


class _Blocks:
    """The blocks of the outline's specs for one area, numbering its exhibits in order."""

    def __init__(self, facts: Facts, writeup: Writeup) -> None:
        self.facts, self.writeup = facts, writeup
        self.ctx = nv.context(facts)
        self.source = source_line(facts)
        self.plan, self.period = tg.plan_targets(facts), tg.period_targets(facts)
        self.counter = {"table": 0, "figure": 0}

    def __call__(self, spec: dict) -> list[Block]:
        (kind, key), = spec.items()
        return getattr(self, kind)(key)

    def numbered(self, kind: str, exhibit: Table | Chart | None) -> list[Block]:
        """The exhibit with the next number of its kind; none, and no number used, when
        the area has nothing to show in it (a breakdown by commune in a commune)."""
        if exhibit is None:
            return []
        self.counter[kind] += 1
        exhibit.number = self.counter[kind]
        exhibit.title = present.exhibit_title(kind, exhibit.number, exhibit.caption)
        return [exhibit]

    def bullets(self, lines: list[str]) -> Bullets:
        return Bullets(tuple(lines), present.mark())

    def text(self, key: str) -> list[Block]:
        facts, ctx = self.facts, self.ctx
        if key == "support":
            lines = nv.support(facts)
            if lines is None:
                return [Text(nv.sentence("support_none", facts, ctx))]
            return [Text(nv.sentence("support_intro", facts, ctx)), self.bullets(lines)]
        if key == "coverage":
            return [Text(line) for line in nv.coverage(facts, ctx)]
        if key == "year_targets":
            lines = tg.year_targets(facts)
            return [Text(nv.sentence("year_targets_intro", facts, ctx)),
                    self.bullets(lines)] if lines else []
        if key == "remaining":  # a six-month report: what is left of year N's plan
            words = nv.texts()["targets"]["remaining"]
            if lines := tg.remaining(facts):
                return [Text(nv.render(words["intro"], n=facts.n, as_of=facts.as_of)),
                        self.bullets(lines)]
            return [Text(nv.render(words["none"], n=facts.n, area=facts.area_name))]
        if key in ("targets", "period_targets"):
            period = key == "period_targets"
            items = self.period if period else self.plan
            lines = tg.sentences(items, facts, period)
            return [self.bullets(lines)] if items else [Text(line) for line in lines]
        said = nv.sentence(key, facts, ctx)
        return [Text(said)] if said else []  # a sentence with nothing to say is left out

    def people(self, key: str) -> list[Block]:
        prose = self.writeup.prose(key)
        if prose is not None:
            return [People(prose)]
        where = f" {self.writeup.path.name}" if self.writeup.path else ""
        return [Placeholder(nv.render(resource("outline.yaml")["placeholder"],
                                      heading=sections(self.facts.edition)[key][0],
                                      file=where))]

    def table(self, key: str) -> list[Block]:
        if key in ("targets", "period_targets"):
            items = self.plan if key == "targets" else self.period
            if not items:  # the sentence above already says there are none
                return []
            return self.numbered("table", getattr(tables, key)(self.facts, items))
        return self.numbered("table", getattr(tables, key)(self.facts))

    def figure(self, key: str) -> list[Block]:
        with timing.timed("charts"):
            return self.numbered("figure", figures.BUILDERS[key](self.facts, self.source))


def assemble(facts: Facts, writeup: Writeup, params: Params,
             today: dt.date | None = None, checksum: str = "") -> Report:
    """Walk the outline of the edition and fill it from the facts and the narrative file
    (dated ``today``, by default the day of the run); ``checksum``: the input's, when
    already known."""
    outline = resource("outline.yaml")
    spec = outline["editions"][params.edition]
    tctx = {"n": facts.n, "year": facts.year, "area": facts.area_name,
            "period": facts.period_label, "edition": params.edition}
    tctx["span"] = nv.render(spec["span"], **tctx)
    block = _Blocks(facts, writeup)

    def section(node: dict, level: int) -> Section:
        title = nv.render(node["title"], **tctx)
        s = Section(node["id"], node["number"], title, level,
                    present.heading(node["number"], title, level))
        for spec in node.get("blocks", []):
            s.blocks += block(spec)
        s.children = [section(c, level + 1) for c in node.get("children", [])]
        return s

    derived = nv.texts()["phrases"]["derived"] if facts.derived else ""
    def lh(text: str) -> str:
        return nv.render(text, False, place=facts.place or facts.area_name, **tctx)

    raw = {k: lh(v) if isinstance(v, str) else [lh(x) for x in v]
           for k, v in {**outline["letterhead"], **spec["letterhead"]}.items()}
    info = ReportInfo(area_code=facts.area, area_name=facts.area_name, level=facts.level,
                      year=params.year, n=facts.n, as_of=facts.as_of,
                      derived_estimate=facts.derived, periods=facts.periods,
                      edition=params.edition)
    made = Provenance(data_name=params.data.name,
                      checksum=checksum or data_checksum(params.data),
                      narrative=(params.narrative.name, file_checksum(params.narrative))
                      if params.narrative else None,
                      version=htxlib_version(), commit=git_commit(),
                      run_date=today or dt.date.today())
    title = nv.render(spec["title"], **tctx)
    asof_line = nv.render(spec["asof_line"], as_of=fmt.date(facts.as_of), n=facts.n,
                          done=facts.done,
                          derived=" " + nv.render(derived, as_of=fmt.date(facts.as_of))
                          if derived else "")
    intro = [b for item in spec.get("intro", []) for b in block(item)]
    parts = [section(p, 1) for p in spec["parts"]]
    exhibits = [b for b in intro if isinstance(b, Table)] + [
        b for p in parts for s in p.walk() for b in s.blocks if isinstance(b, Table)]
    return Report(
        title=title, info=info, letterhead=present.letterhead(raw), asof_line=asof_line,
        intro=intro, parts=parts, closing=closing(facts, writeup), provenance=made,
        properties=present.document_properties(title, raw, info, made),
        toc=present.words()["toc"], footer=present.footer(made),
        annex=present.annex(title, raw, info, made, asof_line, block.source, exhibits,
                            facts.source),
        values={name: {c: (None if v != v else v) for c, v in facts.values(name).items()}
                for name in ("a", "e", "p", "plan") if name in facts.periods})
