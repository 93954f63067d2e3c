"""Where a report's time goes: seconds added up by stage in this process.

A batch reports, for every area, the time spent loading the data, reading the facts,
drawing charts, rendering and writing (``htx batch``). The stages are timed where they
happen (``with timed("charts"): ...``) and collected with ``take`` when the report is done;
a stage timed inside another is subtracted from it, so the parts add up to the whole.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager

_spent: dict[str, float] = defaultdict(float)
_open: list[str] = []  # the stages being timed, innermost last


@contextmanager
def timed(stage: str) -> Iterator[None]:
    """Add the seconds spent inside to ``stage`` (and not to the stage around it)."""
    start = time.perf_counter()
    _open.append(stage)
    try:
        yield
    finally:
        _open.pop()
        seconds = time.perf_counter() - start
        _spent[stage] += seconds
        if _open:
            _spent[_open[-1]] -= seconds


def take() -> dict[str, float]:
    """The seconds by stage since the last ``take`` (rounded to the millisecond)."""
    out = {k: round(v, 3) for k, v in _spent.items()}
    _spent.clear()
    return out
