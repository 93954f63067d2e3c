"""What a batch says while it runs, in Vietnamese: a progress bar on a terminal (tqdm:
areas done of all, failures, time spent and left), one line per area otherwise — a
scheduled run's log, readable with ``grep``."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from htxlib import fmt
from htxlib.glossary import resource
from htxlib.run.worker import FAILED, AreaResult


def _words() -> dict:
    return resource("batch.yaml")["progress"]


class Progress:
    """A bar when ``stream`` is a terminal, else a log line per area."""

    def __init__(self, total: int, stream: TextIO | None = None, bar: bool | None = None):
        stream = stream or sys.stderr
        self.total, self.stream, self.done, self.failed = total, stream, 0, 0
        self.start = time.perf_counter()
        self.bar = None
        if bar if bar is not None else stream.isatty():
            from tqdm import tqdm

            w = _words()
            self.bar = tqdm(total=total, file=stream, unit=w["unit"], dynamic_ncols=True,
                            bar_format=w["bar"], postfix={w["failed"]: 0})

    def update(self, name: str, result: AreaResult) -> None:
        self.done += 1
        self.failed += result.status == FAILED
        if self.bar is not None:
            self.bar.set_postfix({_words()["failed"]: self.failed}, refresh=False)
            self.bar.update(1)
            return
        w = _words()
        status = resource("batch.yaml")["status"][result.status]
        line = w["line"].format(i=self.done, n=self.total, name=name, status=status,
                                seconds=fmt.number(result.seconds, 1))
        if result.status == FAILED:
            line += w["reason"].format(reason=result.reason)
        print(line, file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()

    def elapsed(self) -> float:
        return time.perf_counter() - self.start
