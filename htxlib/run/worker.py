"""One area of a batch, in a warm worker: the report made as ``htx report`` makes it, or
the reason it could not be, in one paragraph.

A worker is a process that makes many reports: it keeps its interpreter, its imports, the
batch's session (``htxlib.session``: inherited from the batch when the worker is a fork of
it, else loaded once from the file the batch saved) and, when notebooks are
written, a kernel of its own, reset between areas (``htxlib.run.kernel``). ``run_area``
never raises for a failed area: the batch goes on with the others.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from multiprocessing import util
from pathlib import Path

from htxlib.errors import explain, one_paragraph
from htxlib.report.params import Params
from htxlib.run.kernel import WarmKernel
from htxlib.run.notebook import run_report

DONE, SKIPPED, FAILED = "done", "skipped", "failed"


@dataclass(frozen=True)
class AreaJob:
    code: str
    name: str
    level: str
    params: Params  # the area's own: its code, the batch's as-of date, its narrative
    out: Path
    notebooks: bool
    inputs: tuple[str, list[dict]]  # the input's checksums, computed once by the batch
    prepared: str = ""  # the batch's saved session, for a worker that did not inherit it
    problem: str = ""  # known before running: the area fails with this reason


@dataclass
class AreaResult:
    code: str
    status: str  # DONE, SKIPPED or FAILED
    reason: str = ""  # why it failed, one paragraph
    files: list[str] = field(default_factory=list)  # names in the area's folder
    headline: dict = field(default_factory=dict)  # code → {"a": value, "p": value}
    timings: dict[str, float] = field(default_factory=dict)  # seconds by stage
    seconds: float = 0.0
    warnings: int = 0
    worker: str = ""  # host and process that made it


_local = threading.local()  # a Dask worker runs tasks in threads: a kernel each
_kernels: list[WarmKernel] = []  # every kernel this process started


def _kernel() -> WarmKernel:
    kernel = getattr(_local, "kernel", None)
    if kernel is None:
        kernel = _local.kernel = WarmKernel()
        util.Finalize(kernel, kernel.stop, exitpriority=10)  # when the worker ends
    if kernel not in _kernels:
        _kernels.append(kernel)
    return kernel


def stop_kernels() -> int:
    """Stop this process's kernels (a Dask worker's, asked by the batch as it ends: the
    worker itself lives on). Returns how many there were."""
    for kernel in _kernels:
        kernel.stop()
    n = len(_kernels)
    _kernels.clear()
    return n


def run_area(job: AreaJob) -> AreaResult:
    """The report of one area into ``job.out``; a failure is a result, not an exception
    (only Ctrl-C goes through)."""
    start = time.perf_counter()
    who = f"{os.uname().nodename}:{os.getpid()}"
    if job.problem:
        return AreaResult(job.code, FAILED, job.problem, worker=who)
    try:
        result = run_report(job.params, job.out, kernel=_kernel() if job.notebooks else None,
                            notebooks=job.notebooks, inputs=job.inputs,
                            prepared=job.prepared)
    except Exception as exc:  # every failure is the area's, said in words
        return AreaResult(job.code, FAILED, paragraph(exc), seconds=time.perf_counter() - start,
                          worker=who)
    names = [p.name for p in [*result.files, result.notebook, result.manifest] if p]
    return AreaResult(job.code, DONE, files=names, headline=result.facts.get("headline", {}),
                      timings=result.timings, seconds=time.perf_counter() - start,
                      warnings=result.n_warnings, worker=who)


def paragraph(exc: BaseException) -> str:
    """An area's error as one line of Vietnamese (``htxlib.errors.explain``): an internal
    error is said as one the batch goes on after."""
    return one_paragraph(explain(exc, "batch", goes_on=True)[0])
