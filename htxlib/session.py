"""One session for the pipeline: checked parameters → the data opened and checked → the
as-of date → every unit's indicator values → an area's facts, table and report tree.

``htx report`` and its notebook, ``htx narrative``, ``htx batch`` and its workers, and the
notebooks all go through ``Session``; nothing passes between the stages but the session.
Opening reads, checks and computes (the costly part); an area's ``facts``, ``table`` and
``report`` are cheap cuts of it, so a batch opens one session and asks it for every area.

Opened sessions are kept in a ``SessionCache`` (``CACHE``: one per process, holding the
last input only, as a national registry is large): a warm kernel of a batch gets each
area's session from it without reading the data again. A batch saves its session into
its output folder (``save``) and hands the file to each worker (``AreaJob.prepared``),
which has its kernel load it into that cache (``WarmKernel.ready``) or, without
notebooks, gives it to ``Session.open(prepared=...)``; a session is used only for the same
input, year, as-of date and edition (``input_key``).
"""

from __future__ import annotations

import datetime as dt
import pickle
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from htxlib.api.inventory import Inventory
from htxlib.api.views import Views
from htxlib.glossary import message
from htxlib.indicators import area_table, indicator_values
from htxlib.indicators.checks import estimate_problems
from htxlib.indicators.values import Values
from htxlib.inputs.files import data_files, input_checksums
from htxlib.inputs.problems import Problems, format_problems
from htxlib.inputs.registry import Registry, open_registry
from htxlib.inputs.scope import (
    DataError,
    ScopeError,
    coverage_problem,
    data_dates,
    pick_area,
    require_ok,
)
from htxlib.provenance import source_fingerprint
from htxlib.report.assemble import assemble
from htxlib.report.facts import Facts, gather
from htxlib.report.params import ParamError, Params, check
from htxlib.report.tree import Report
from htxlib.report.writeup import read
from htxlib.timing import Timer

WARNINGS_SHOWN = 10  # the data's warnings a run repeats (all of them: htx validate)


@dataclass
class Session(Views, Inventory):
    """An opened, checked input at one as-of date, and what every report of it reads; its
    views for analysts (``indicators``, ``series``, ``compare``…, ``units``, ``forms``…)
    are in ``api.views`` and ``api.inventory``."""

    params: Params
    registry: Registry
    as_of: dt.date  # the one asked, or the latest of the edition's period (``choose_as_of``)
    values: Values  # every unit, with history
    problems: Problems  # the data's own, and the estimate checks at the as-of date
    inputs: tuple[str, list[dict]]  # the input files' checksums (inputs.files.input_checksums)
    key: tuple = ()
    timer: Timer = field(default_factory=Timer, repr=False, compare=False)

    @classmethod
    def open(cls, params: Params | None = None, *, prepared: str | Path = "",
             cache: SessionCache | None = None, timer: Timer | None = None,
             registry: Registry | None = None, **kw: object) -> Session:
        """The session of ``params`` (or of ``params.check(**kw)``: ``data``, ``year``,
        ``area``, ``as_of``, ``edition``…): from ``cache``, from a batch's ``prepared``
        file, or read (unless ``registry`` is that data, already opened) and computed now.
        Raises InputError (unreadable data), DataError (errors in the data) or ParamError
        (no figures in the edition's period). ``htxlib.open_data`` is the analyst's way in."""
        params = params if params is not None else check(**kw)
        cache = CACHE if cache is None else cache
        timer = timer or Timer()
        key = input_key(params)
        with timer.timed("load"):
            found = cache.get(key) or _load(prepared, key)
            session = found if found is not None else _compute(params, key, registry)
        session = replace(session, params=replace(params, as_of=session.as_of), timer=timer)
        cache.put(key, session)
        return session

    def area(self, name: str | None = None) -> str:
        """The code of area ``name`` (a code or a name; None: the parameters'; "": the
        smallest unit holding every organisation), which must have figures of year N."""
        code = choose_area(self.registry, self.params.area if name is None else name,
                           self.as_of)
        require_coverage(self.registry, code, self.as_of)
        return code

    def facts(self, area: str | None = None) -> Facts:
        """What the documents of ``area`` say, from the indicator table (the one seam)."""
        with self.timer.timed("facts"):
            return gather(self.registry, self.area(area), self.params.n + 1, self.as_of,
                          self.values, self.params.edition)

    def table(self, area: str | None = None) -> pd.DataFrame:
        """The indicator table of ``area`` and every unit below it, with history."""
        return area_table(self.values, self.registry, self.area(area))

    def report(self, area: str | None = None, today: dt.date | None = None) -> Report:
        """The report tree of ``area`` (None: the parameters'), dated ``today`` (None: the
        day of the run), with the data's warnings that concern it."""
        facts = self.facts(area)
        with self.timer.timed("render"):
            writeup = read(self.params.narrative, self.params.edition)
            out = assemble(facts, writeup, self.params, today, self.inputs[0], self.timer)
        n, lines = self.warnings(facts)
        out.info = replace(out.info, n_warnings=n, warnings=lines)
        return out

    def warnings(self, facts: Facts) -> tuple[int, tuple[str, ...]]:
        """How many of the data's warnings a document of ``facts`` repeats, and the first
        WARNINGS_SHOWN of them as lines."""
        problems = relevant(self.problems, facts)
        return problems.count("warning"), tuple(format_problems(problems, 3)[:WARNINGS_SHOWN])

    def save(self, path: Path) -> None:
        """Write the session for the workers of a batch (a file of the batch's own, in its
        output folder: pickle is safe here, as nothing else writes it)."""
        with open(path, "wb") as fh:
            pickle.dump(replace(self, timer=Timer()), fh, protocol=pickle.HIGHEST_PROTOCOL)

    def __repr__(self) -> str:  # a summary (htxlib.api.show), in Vietnamese
        from htxlib.api import show

        return show.text(show.words()["session"], show.session_rows(self))

    def _repr_html_(self) -> str:
        from htxlib.api import show

        return show.html(show.words()["session"], show.session_rows(self))


class SessionCache:
    """The last opened session of a process, by ``input_key`` (asked and resolved)."""

    def __init__(self) -> None:
        self._kept: dict[tuple, Session] = {}
        self._loaded: tuple = ()  # the saved file last loaded: its path and modification

    def load(self, path: str | Path) -> None:
        """Keep the session a batch saved into ``path`` (once per file: a warm kernel is
        asked before every area)."""
        stat = Path(path).stat()
        mark = (str(path), stat.st_mtime_ns, stat.st_size)
        if mark != self._loaded:
            with open(path, "rb") as fh:
                session = pickle.load(fh)  # written by this batch (save)
            self.put(session.key, session)
            self._loaded = mark

    def get(self, key: tuple) -> Session | None:
        return self._kept.get(key)

    def put(self, key: tuple, session: Session) -> None:
        """Keep ``session`` under the key asked and the one with its as-of date written
        out (a batch's areas ask with it); one input at a time."""
        if session.key not in self._kept:
            self._kept.clear()
        self._kept[key] = self._kept[session.key] = session

    def clear(self) -> None:
        self._kept.clear()
        self._loaded = ()


CACHE = SessionCache()  # the process's: kept between the areas a warm kernel makes


def input_key(params: Params, as_of: dt.date | None = None) -> tuple:
    """What a session depends on: the input's files as they are now, the year, the as-of
    date (None: the latest of the edition's period), the edition (a six-month report
    computes the same period of the year before too), and htxlib's sources."""
    stats = tuple((str(f), st.st_size, st.st_mtime_ns, st.st_ino)
                  for f in data_files(params.data) for st in [f.stat()])
    return (str(Path(params.data).resolve()), stats, params.year, as_of or params.as_of,
            params.edition, source_fingerprint())


def open_checked(params: Params) -> Registry:
    """The input of ``params``, read and checked: InputError when it cannot be read (exit
    2), DataError when it has errors."""
    registry = open_registry(params.data)
    require_ok(registry, params.data)
    return registry


def _compute(params: Params, key: tuple, registry: Registry | None = None) -> Session:
    registry = open_checked(params) if registry is None else registry
    require_ok(registry, params.data)
    as_of = choose_as_of(registry, params)
    values = indicator_values(registry, as_of, history=True,
                              same_period=params.edition == "mid-year")
    problems = Problems([*registry.problems.frames,
                         *estimate_problems(registry, as_of, values).frames])
    return Session(params, registry, as_of, values, problems, input_checksums(params.data),
                   input_key(params, as_of))


def _load(path: str | Path, key: tuple) -> Session | None:
    """The session a batch saved, if it is the one asked for."""
    if not str(path or "").strip() or not Path(path).is_file():
        return None
    with open(path, "rb") as fh:
        session = pickle.load(fh)  # written by this batch (Session.save)
    return session if session.key == key else None


def choose_as_of(registry: Registry, params: Params) -> dt.date:
    """The as-of date asked, or else the latest reporting date of the data in the edition's
    period (year N; its first half for a six-month report): the one rule of the default."""
    if params.as_of is not None:
        return params.as_of
    doc, n = params.document, params.n
    last = doc.last_day(params.year)
    dates = [d for d in data_dates(registry, n) if d.date() <= last]
    if not dates:
        raise ParamError(message("param_no_records", n=n, year=params.year,
                                 document=doc.label.format(year=params.year),
                                 last=f"{last.day}/{last.month}/{last.year}"))
    return dates[-1].date()


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


def relevant(problems: Problems, facts: Facts) -> Problems:
    """The data's problems a report of ``facts`` repeats: a commune's report leaves out
    the forms other units have not sent (the province's business, not its own)."""
    if facts.value("units_total") > 1:
        return problems
    return Problems([f[f["code"] != "submission_missing"] for f in problems.frames])
