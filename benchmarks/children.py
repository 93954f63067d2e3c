"""Child processes of the benchmarks: wall time and peak memory of one command each.

Shared by bench_indicators.py and bench_submissions.py (run as scripts, so this file is
imported from their folder).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Run:
    wall: float
    rss_kib: int
    returncode: int
    stdout: str
    stderr: str


@dataclass
class Series:
    name: str
    runs: list[Run] = field(default_factory=list)

    def walls(self) -> list[float]:
        return [r.wall for r in self.runs]

    def peak_mib(self) -> float:
        return max(r.rss_kib for r in self.runs) / 1024


def run_child(cmd: list[str], cwd: Path) -> Run:
    """Run ``cmd``; wall time and peak RSS of the child (KiB, Linux ru_maxrss).

    ru_maxrss starts from this process's own peak (fork), so this process stays small.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        texts = []
        for fh in (out, err):
            fh.seek(0)
            texts.append(fh.read().decode("utf-8", "replace"))
    return Run(wall, usage.ru_maxrss, proc.returncode, *texts)


def registry_args(ap: argparse.ArgumentParser, regen: str) -> None:
    """The options both benchmarks take: rounds, and the synthetic registry they read."""
    ap.add_argument("--rounds", type=int, default=3, help="runs of each command (default 3)")
    ap.add_argument("--regen", action="store_true", help=regen)
    ap.add_argument("--orgs", type=int, default=100_000)
    ap.add_argument("--years", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--as-of", default="2024-06-10", type=dt.date.fromisoformat)
