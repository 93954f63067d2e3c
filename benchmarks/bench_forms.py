"""Reading submission forms: htxlib's reader (python-calamine) against openpyxl.

    python benchmarks/bench_forms.py [--forms 200] [--rounds 3]

Writes ``--forms`` copies of the sample district's filled form (``htx submission``) into a
temporary folder, then times, alternately and in the same run, reading every cell of all of
them with openpyxl (``load_workbook(read_only=True, data_only=True)``, the baseline) and
``htxlib.inputs.submission.read_forms`` (calamine, plus building the tidy frame). Prints
the median times and their ratio. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import openpyxl

from htxlib.cli import main
from htxlib.inputs.problems import Problems
from htxlib.inputs.submission import read_forms


def _openpyxl(paths: list[Path]) -> int:
    n = 0
    for p in paths:
        book = openpyxl.load_workbook(p, read_only=True, data_only=True)
        for sheet in book.worksheets:
            n += sum(1 for row in sheet.iter_rows(values_only=True) for v in row if v is not None)
        book.close()
    return n


def _htx(paths: list[Path]) -> int:
    return len(read_forms(paths, Problems()))


def run(forms: int, rounds: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        first = Path(tmp) / "form-0.xlsx"
        assert main(["submission", "--area", "Ba Tơ", "--as-of", "10/6/2024", "--out",
                     str(first)]) == 0
        paths = [first] + [Path(shutil.copy(first, Path(tmp) / f"form-{i}.xlsx"))
                           for i in range(1, forms)]
        times: dict[str, list[float]] = {"openpyxl": [], "htx": []}
        for _ in range(rounds):
            for name, fn in (("openpyxl", _openpyxl), ("htx", _htx)):
                t0 = time.perf_counter()
                fn(paths)
                times[name].append(time.perf_counter() - t0)
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"{forms} forms, {rounds} rounds (median s): openpyxl {med['openpyxl']:.2f}, "
          f"htx read_forms {med['htx']:.2f}, ratio htx/openpyxl "
          f"{med['htx'] / med['openpyxl']:.2f}")
    return med


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--forms", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    run(a.forms, a.rounds)
