"""A document of the reporting year as a tree of sections and blocks, from an area's facts.

``assemble`` walks the edition's outline (resources/outline.yaml) and fills every block —
sentences, tables, charts and the people-written sections — into the format-neutral tree
of ``htxlib.report.tree``, which the renderers of ``htxlib.render`` turn into HTML, Word
and Excel. The pipeline before it (data, as-of date, area, facts) is ``htxlib.session``.
"""

from __future__ import annotations

import datetime as dt

from htxlib import fmt
from htxlib.glossary import resource
from htxlib.inputs.files import data_checksum, file_checksum
from htxlib.provenance import git_commit, htxlib_version
from htxlib.report import coverage, figures, present, tables
from htxlib.report import narrative as nv
from htxlib.report import targets as tg
from htxlib.report.facts import Facts
from htxlib.report.params import Params
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
from htxlib.report.writeup import Writeup, sections
from htxlib.timing import Timer


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

    def __init__(self, facts: Facts, writeup: Writeup, timer: Timer) -> None:
        self.facts, self.writeup, self.timer = facts, writeup, timer
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
        if isinstance(exhibit, Chart):
            exhibit.timer = self.timer  # its drawing counts as the report's charts
        exhibit.number = self.counter[kind]
        exhibit.caption = coverage.caption(self.facts, exhibit)
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
            return [Text(line) for line in coverage.sentences(facts, ctx)]
        if key == "year_targets":
            lines = tg.year_targets(facts)
            return [Text(nv.sentence("year_targets_intro", facts, ctx)),
                    self.bullets(lines)] if lines else []
        if key == "remaining":  # a six-month report: what is left of year N's plan
            words = nv.texts()["targets"]["remaining"]
            if lines := tg.remaining(facts):
                return [Text(nv.render(words["intro"], n=facts.n, as_of=facts.as_of)),
                        self.bullets(lines)]
            return [Placeholder(tg.missing(facts, key))]
        if key in ("targets", "period_targets"):
            period = key == "period_targets"
            items = self.period if period else self.plan
            if not items:  # targets are the office's to decide: a placeholder
                return [Placeholder(tg.missing(facts, key))]
            return [self.bullets(tg.sentences(items, facts, period))]
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
        with self.timer.timed("charts"):
            return self.numbered("figure", figures.BUILDERS[key](self.facts, self.source))


def assemble(facts: Facts, writeup: Writeup, params: Params,
             today: dt.date | None = None, checksum: str = "",
             timer: Timer | None = None) -> Report:
    """Walk the outline of the edition and fill it from the facts and the narrative file
    (dated ``today``, by default the day of the run); ``checksum``: the input's, when
    already known; ``timer``: the session's, which the report and its charts carry."""
    outline = resource("outline.yaml")
    spec = outline["editions"][params.edition]
    tctx = {"n": facts.n, "year": facts.year, "area": facts.area_name,
            "period": facts.period_label, "edition": params.edition}
    tctx["span"] = nv.render(spec["span"], **tctx)
    timer = timer or Timer()
    block = _Blocks(facts, writeup, timer)

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
                for name in ("a", "e", "p", "plan") if name in facts.periods},
        timer=timer)
