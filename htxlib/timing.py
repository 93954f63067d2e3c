"""Where a report's time goes: seconds added up by stage, in a ``Timer`` passed along.

A batch reports, for every area, the time spent loading the data, reading the facts,
drawing charts, rendering and writing (``htx batch``). A session's timer goes with the
report it builds (``Report.timer``, each chart's): stages are timed where they happen
(``with timer.timed("charts"): ...``) and collected with ``take`` when the report is done;
a stage timed inside another is subtracted from it, so the parts add up to the whole.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager


class Timer:
    """Seconds by stage, since the last ``take``."""

    def __init__(self) -> None:
        self._spent: dict[str, float] = defaultdict(float)
        self._open: list[str] = []  # the stages being timed, innermost last

    @contextmanager
    def timed(self, stage: str) -> Iterator[None]:
        """Add the seconds spent inside to ``stage`` (and not to the stage around it)."""
        start = time.perf_counter()
        self._open.append(stage)
        try:
            yield
        finally:
            self._open.pop()
            seconds = time.perf_counter() - start
            self._spent[stage] += seconds
            if self._open:
                self._spent[self._open[-1]] -= seconds

    def take(self) -> dict[str, float]:
        """The seconds by stage since the last ``take`` (rounded to the millisecond)."""
        out = {k: round(v, 3) for k, v in self._spent.items()}
        self._spent.clear()
        return out

    def add(self, spent: dict[str, float]) -> None:
        """Add seconds timed elsewhere (the notebook's kernel) to this timer's."""
        for stage, seconds in spent.items():
            self._spent[stage] += seconds

    def __repr__(self) -> str:
        return f"Timer({dict(self._spent)})"
