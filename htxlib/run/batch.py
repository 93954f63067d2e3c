"""``htx batch``: the report of every area of a province, or of the country, in one run.

The data are read, checked and computed once (one ``htxlib.session.Session``); each area's
report is then made by a warm worker (``htxlib.run.worker``) into its own folder of the
batch's, with the same files ``htx report`` writes for it alone. An area that fails is
recorded with its reason and the others go on; an area whose manifest already records
the same inputs, parameters and htxlib is left as it is (``force`` redoes it), so a run
that was stopped resumes. The batch ends with ``index.html`` and ``index.csv``
(``htxlib.run.index``) and ``batch.json``. Exit status: 0 every area done, 1 some failed
(or the data have errors), 2 a bad command, 130 stopped by Ctrl-C.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from htxlib import fmt
from htxlib.config import OUTPUT_NAMES, outputs_dir
from htxlib.errors import EXIT_DATA, EXIT_OK, EXIT_STOPPED, HtxError, explain
from htxlib.fileio import safe_name
from htxlib.glossary import message
from htxlib.inputs.scope import DataError
from htxlib.provenance import htxlib_version, source_fingerprint
from htxlib.report.params import (
    FORMATS,
    ParamError,
    Params,
    check,
)
from htxlib.run import index
from htxlib.run.executors import DaskExecutor, Executor, LocalPool
from htxlib.run.manifest import Manifest
from htxlib.run.notebook import slug
from htxlib.run.progress import Progress
from htxlib.run.selection import LEVEL_WORDS, Area, narratives, select
from htxlib.run.worker import FAILED, SKIPPED, AreaJob, AreaResult, paragraph, run_area
from htxlib.session import Session
from htxlib.staging import staged

EXIT_FAILED = EXIT_DATA  # some areas failed (or the data have errors)


@dataclass
class BatchOptions:
    data: Path | None = None
    year: int | str = 0
    as_of: str = ""
    edition: str = "plan"  # plan, mid-year, year-end
    levels: str = ""  # "tinh,xa"
    areas: str = ""  # "Ba Tơ,xã Ba Vì"
    within: str = ""
    narratives: Path | None = None
    formats: str | tuple[str, ...] = FORMATS
    out: Path | None = None
    jobs: int | None = None
    force: bool = False
    notebooks: bool = True
    executor: str = "local"  # or "dask"
    scheduler: str = ""
    bar: bool | None = None  # a progress bar (None: when standard error is a terminal)


@dataclass
class BatchResult:
    status: int
    out: Path | None = None
    areas: list[Area] = field(default_factory=list)
    results: dict[str, AreaResult] = field(default_factory=dict)


def run_batch(opts: BatchOptions, say: Callable[[str], None] = print) -> BatchResult:
    """Run the batch; messages go to ``say`` (standard output), problems to stderr."""
    start = time.perf_counter()
    try:
        session, areas, found = _plan(opts)
    except HtxError as exc:  # nothing to run: said as htx says it (htxlib.errors)
        text, status = explain(exc)
        lead = f"{message('batch_data_errors')}\n" if isinstance(exc, DataError) else ""
        print(lead + text, file=sys.stderr)
        return BatchResult(status)
    params = session.params
    out = (opts.out or outputs_dir() / safe_name(
        f"{slug(params.data.name)}-{params.year}-dia-ban")).absolute()
    out.mkdir(parents=True, exist_ok=True)
    jobs = [_job(a, params, out, found.get(a.code), opts.notebooks, session.inputs)
            for a in areas]
    results = {} if opts.force else {j.code: r for j in jobs if (r := up_to_date(j))}
    todo = _hand_over(session, [j for j in jobs if j.code not in results], out, opts)
    executor = _executor(opts)
    _say_start(say, opts, session, len(areas), len(results), executor, out, start)
    stopped = _run(executor, todo, results, {a.code: a.name for a in areas}, opts.bar)
    (out / OUTPUT_NAMES["batch_session"]).unlink(missing_ok=True)
    seconds = time.perf_counter() - start
    page = _finish(out, areas, results, params, seconds)
    if stopped:
        print(message("batch_interrupted", index=page), file=sys.stderr)
        return BatchResult(EXIT_STOPPED, out, areas, results)
    failed = _say_end(say, results, seconds, page)
    return BatchResult(EXIT_FAILED if failed else EXIT_OK, out, areas, results)


def _plan(opts: BatchOptions) -> tuple[Session, list[Area], dict]:
    """The batch's session (the data opened once, kept for the workers and asked with its
    as-of date), its areas and their narrative files."""
    _check_run(opts)
    levels = _levels(opts.levels)
    params = check(data=opts.data or "", year=opts.year, as_of=opts.as_of,
                   formats=opts.formats, edition=opts.edition)
    session = Session.open(params)
    areas = select(session.registry, session.as_of, levels, _names(opts.areas),
                   opts.within or None)
    if not areas:
        raise ParamError(message("batch_no_areas"))
    return session, areas, narratives(areas, opts.narratives, session.params.year)


def _hand_over(session: Session, todo: list[AreaJob], out: Path,
               opts: BatchOptions) -> list[AreaJob]:
    """The jobs, with the session saved for workers that do not inherit it (kernels and
    remote workers: each reads it once)."""
    if not todo or not (opts.notebooks or opts.executor == "dask"):
        return todo
    path = out / OUTPUT_NAMES["batch_session"]
    session.save(path)
    return [replace(j, prepared=str(path)) for j in todo]


def _say_start(say: Callable[[str], None], opts: BatchOptions, session: Session, n: int,
               skipped: int, executor: Executor, out: Path, start: float) -> None:
    where = (message("batch_jobs_dask", scheduler=opts.scheduler)
             if opts.executor == "dask" else message("batch_jobs_local", n=executor.jobs))
    say(message("batch_start", year=session.params.year, n=fmt.number(n, 0),
                as_of=fmt.date(session.as_of), jobs=where, out=out,
                seconds=fmt.number(time.perf_counter() - start, 1)))
    if warnings := session.problems.count("warning"):  # the data's, the same for every area
        say(message("batch_warnings", n=fmt.number(warnings, 0), data=session.params.data))
    if skipped:
        say(message("batch_skipped_note", n=fmt.number(skipped, 0)))


def _run(executor: Executor, todo: list[AreaJob], results: dict[str, AreaResult],
         names: dict[str, str], bar: bool | None) -> bool:
    """Run the jobs, recording each result as it comes; True when stopped by Ctrl-C (the
    areas being made were finished and are recorded)."""
    progress = Progress(len(todo), bar=bar)
    try:
        for job, result in executor.run(run_area, todo):
            results[job.code] = result
            progress.update(names[job.code], result)
    except KeyboardInterrupt:
        return True
    finally:
        progress.close()
        executor.close()
    return False


def _say_end(say: Callable[[str], None], results: dict[str, AreaResult], seconds: float,
             page: Path) -> int:
    """The closing lines; returns how many areas failed."""
    done = [r for r in results.values() if r.status not in (SKIPPED, FAILED)]
    if done:
        say(_stages(done))
    counts = {s: sum(r.status == s for r in results.values()) for s in (SKIPPED, FAILED)}
    say(message("batch_done", done=fmt.number(len(done), 0),
                skipped=fmt.number(counts[SKIPPED], 0), failed=fmt.number(counts[FAILED], 0),
                seconds=fmt.number(seconds, 1), index=page))
    return counts[FAILED]


def _check_run(opts: BatchOptions) -> None:
    """ParamError for a number of jobs below one, or a Dask cluster without its scheduler."""
    if opts.jobs is not None and opts.jobs < 1:
        raise ParamError(message("batch_jobs", value=opts.jobs))
    if opts.executor == "dask" and not opts.scheduler:
        raise ParamError(message("batch_scheduler"))


def _levels(text: str) -> list[str]:
    words = [w.strip().lower() for w in text.split(",") if w.strip()]
    bad = [w for w in words if w not in LEVEL_WORDS]
    if bad:
        raise ParamError(message("batch_level", value=", ".join(bad),
                                 known=", ".join(LEVEL_WORDS)))
    return [LEVEL_WORDS[w] for w in words]


def _names(text: str) -> list[str]:
    return [n.strip() for n in text.split(",") if n.strip()]


def _executor(opts: BatchOptions) -> Executor:
    if opts.executor == "dask":
        return DaskExecutor(opts.scheduler)
    return LocalPool(opts.jobs)


def _job(area: Area, params: Params, out: Path, narrative: Path | str | None,
         notebooks: bool, inputs: tuple[str, list[dict]]) -> AreaJob:
    """The job of one area; a narrative file that cannot be used fails the area alone."""
    problem = narrative if isinstance(narrative, str) else ""
    own = replace(params, area=area.code)
    if isinstance(narrative, Path):
        try:  # read now, as htx report does: a bad heading is the area's failure
            own = check(data=params.data, year=params.year, area=area.code,
                        as_of=params.as_of.isoformat(), narrative=narrative,
                        formats=params.formats, edition=params.edition)
        except Exception as exc:  # NarrativeError, an unreadable file
            problem = paragraph(exc)
    return AreaJob(area.code, area.name, area.level, own, out / area.folder, notebooks,
                   inputs, problem=problem)


def up_to_date(job: AreaJob) -> AreaResult | None:
    """The area's earlier run, when its manifest records the same inputs, parameters and
    htxlib and its outputs are there unchanged (a skipped result), else None."""
    m = Manifest.read(job.out)
    notebook = job.params.document.name("ipynb", job.params.year)
    if m is None or not m.matches(job.params, job.inputs[0], job.out,
                                  {notebook} if job.notebooks else set()):
        return None
    return AreaResult(job.code, SKIPPED, files=[*m.outputs, OUTPUT_NAMES["manifest"]],
                      headline=m.headline)


def _finish(out: Path, areas: list[Area], results: dict[str, AreaResult], params: Params,
            seconds: float) -> Path:
    """The index page and CSV, and batch.json: the run's parameters and every result; the
    three moved into place together (``htxlib.staging``)."""
    frame = index.table(areas, results)
    info = index.run_info(params.year, params.data, params.as_of, seconds, params.edition)
    record = {"htxlib_version": htxlib_version(), "htxlib_sources": source_fingerprint(),
              "parameters": {**params.as_dict(), "area": ""}, "seconds": round(seconds, 2),
              "areas": [{"code": a.code, "name": a.name, "level": a.level,
                         "folder": a.folder, **(vars(results[a.code]) if a.code in results
                                                else {"status": "pending"})}
                        for a in areas]}
    with staged(out) as stage:
        page = index.write(stage, frame, {c: r.files for c, r in results.items()}, info)
        (stage / OUTPUT_NAMES["batch"]).write_text(
            json.dumps(record, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return out / page.name


def _stages(done: list[AreaResult]) -> str:
    """The mean seconds per area of each stage."""
    mean = {s: statistics.fmean([r.timings.get(s, 0.0) for r in done]) for s in index.STAGES}
    return message("batch_stages", **{s: fmt.number(v, 2) for s, v in mean.items()})
