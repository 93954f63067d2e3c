"""Where a batch's areas run: a pool of local processes (default), or a Dask cluster.

Both take the same jobs and give back each area's result as it finishes; the driver does
the rest (progress, index). A local worker is a fork of the batch's process, made after
the data were prepared, so it starts with them in memory. A Dask worker may be on another
machine: it reads the data the batch prepared from the shared output folder
(``AreaJob.prepared``) and writes the area's files there. Install ``htxlib[dask]`` for it.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Protocol

from htxlib.glossary import message
from htxlib.run.worker import AreaJob, AreaResult, stop_kernels


class Executor(Protocol):
    """Runs ``fn`` over jobs; yields (job, result) as each one finishes."""

    def run(self, fn: Callable[[AreaJob], AreaResult],
            jobs: list[AreaJob]) -> Iterator[tuple[AreaJob, AreaResult]]: ...

    def close(self) -> None: ...


class LocalPool:
    """``jobs`` processes of this machine, each kept for many areas (one: this process).

    Ctrl-C reaches the batch, not its workers: the areas being made are finished and kept,
    the others are not started, and the interruption then goes on to the caller."""

    def __init__(self, jobs: int | None = None) -> None:
        self.jobs = max(1, jobs or len(os.sched_getaffinity(0)))
        self.pool: ProcessPoolExecutor | None = None

    def run(self, fn: Callable[[AreaJob], AreaResult],
            jobs: list[AreaJob]) -> Iterator[tuple[AreaJob, AreaResult]]:
        if self.jobs == 1 or len(jobs) <= 1:
            for job in jobs:
                yield job, fn(job)
            return
        self.pool = ProcessPoolExecutor(min(self.jobs, len(jobs)),
                                        mp_context=multiprocessing.get_context("fork"),
                                        initializer=signal.signal,
                                        initargs=(signal.SIGINT, signal.SIG_IGN))
        pending: dict[Future, AreaJob] = {}
        queue = list(reversed(jobs))
        try:
            while queue or pending:
                while queue and len(pending) < 2 * self.jobs:  # few queued: quick to stop
                    job = queue.pop()
                    pending[self.pool.submit(fn, job)] = job
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield pending.pop(future), future.result()
        except KeyboardInterrupt:
            running = [f for f in pending if not f.cancel()]
            for future in running:  # finished, whole: recorded as made
                if future.exception() is None:
                    yield pending[future], future.result()
            raise

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


class DaskExecutor:
    """The workers of a Dask cluster (``--scheduler tcp://host:8786``), started with Dask's
    own ``dask scheduler`` and ``dask worker``; or an address-less local cluster."""

    def __init__(self, scheduler: str) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise ImportError(message("batch_no_dask")) from None
        self.client = Client(scheduler, set_as_default=False)

    def run(self, fn: Callable[[AreaJob], AreaResult],
            jobs: list[AreaJob]) -> Iterator[tuple[AreaJob, AreaResult]]:
        from distributed import as_completed

        futures = {self.client.submit(fn, job, key=f"htx-{job.code}-{os.getpid()}",
                                      pure=False): job for job in jobs}
        try:
            for future in as_completed(futures, loop=self.client.loop):
                yield futures[future], future.result()
        except KeyboardInterrupt:  # areas not started are dropped; a started one finishes
            self.client.cancel(list(futures))  # whole in its folder, but is not recorded
            raise

    def close(self) -> None:
        self.client.run(stop_kernels)  # the workers stay; their kernels need not
        self.client.close()
