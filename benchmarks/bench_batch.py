"""Benchmark ``htx batch`` against the single-report floor (papermill + nbconvert).

    python benchmarks/bench_batch.py [--national 200] [--skip-national] [--repeat K]
                                     [--notebooks both|yes|no] [--json FILE]

In one run, all on this machine:

* FLOOR: ``papermill`` then ``jupyter nbconvert --to html`` on a trivial notebook that
  imports pandas and matplotlib (as ``bench_report.py`` measures it), median of 3;
* the SAMPLE's every area (district and its 19 communes: 20 areas) and NATIONAL: the first
  ``--national`` (200) areas in hierarchy order of a province of the synthetic national
  registry (``bench_indicators.py`` makes it: 100,000 organisations, 10,840 units);
* for each data set, ``htx batch`` with notebooks and with ``--no-notebooks``, on
  ``--jobs 1`` and ``--jobs 2``, each over every area (N) and over its first area alone
  (1), into a fresh folder.

The marginal cost of one more area is (T(N) - T(1)) / (N - 1): what the run costs beyond
its start-up and the data's preparation, shared by all areas. It is compared with the floor
measured just before and just after that pair of batches (their mean): this machine slows
by up to half over a long run, so a floor measured at the start says little of a batch run
twenty minutes later. The ratio to the median floor of the whole run is printed and kept
too (``marginal_x_run_floor``). Targets: at most 0.25x the floor with notebooks, at most
0.1x with --no-notebooks; peak memory under 3 GiB for the national registry. Peak memory is
the largest sum, over the batch's process tree (driver, workers, kernels), of each
process's proportional set size (PSS, /proc/PID/smaps_rollup), sampled every 0.2 s: pages
the forked workers share with the driver count once, split.
Prints a table and writes a JSON file; exits 1 if a command fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from htxlib.config import PROJECT_DIR, SAMPLE_DIR  # noqa: E402  (no pandas here)

BIN = Path(sys.executable).parent
NATIONAL = PROJECT_DIR / "outputs" / "bench" / "synth-100000-5"
AS_OF = "2024-06-10"
TRIVIAL = {
    "nbformat": 4, "nbformat_minor": 4,
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                "language": "python"}, "language_info": {"name": "python"}},
    "cells": [{"cell_type": "code", "metadata": {"tags": tags}, "source": src,
               "execution_count": None, "outputs": []}
              for src, tags in (("x = 0", ["parameters"]),
                                ("import pandas as pd\nimport matplotlib\n"
                                 "import matplotlib.pyplot as plt", []))]}


def tree_pss_kib(root: int) -> int:
    """The PSS of ``root`` and every process below it (KiB)."""
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
            for task in Path(f"/proc/{pid}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total


def run(cmd: list[str], allowed: tuple[int, ...] = (0,)) -> tuple[float, int]:
    """Wall seconds and the peak PSS of the process tree (KiB); exits 1 on failure (an exit
    status not in ``allowed``)."""
    peak = [0]
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=PROJECT_DIR, stdout=subprocess.DEVNULL, stderr=err)
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.2):
                peak[0] = max(peak[0], tree_pss_kib(proc.pid))

        watcher = threading.Thread(target=sample, daemon=True)
        watcher.start()
        code = proc.wait()
        wall = time.perf_counter() - start
        done.set()
        watcher.join()
        if code not in allowed:
            err.seek(0)
            print(f"failed (exit {code}): {' '.join(cmd)}\n"
                  f"{err.read().decode('utf-8', 'replace')[-3000:]}", file=sys.stderr)
            sys.exit(1)
    return wall, peak[0]


def floor(tmp: Path, rounds: int = 3, warm: bool = True) -> float:
    nb = tmp / "in.ipynb"
    nb.write_text(json.dumps(TRIVIAL), encoding="utf-8")
    cmds = [[str(BIN / "papermill"), str(nb), str(tmp / "out.ipynb"), "-p", "x", "1",
             "--no-progress-bar"],
            [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input",
             str(tmp / "out.ipynb")]]
    for c in cmds if warm else ():  # warm-up
        run(c)
    walls = [sum(run(c)[0] for c in cmds) for _ in range(rounds)]
    return statistics.median(walls)


def national_areas(n: int) -> list[str]:
    """The first ``n`` areas, in hierarchy order, of the province with the most units of
    the national registry (computed in a child: this process stays small)."""
    code = f"""
import pandas as pd
from htxlib.inputs.registry import open_registry
from htxlib.run.areas import select
reg = open_registry({str(NATIONAL)!r})
f = reg.areas.frame
when = pd.Timestamp({AS_OF!r}).date()
best = max(f.loc[f["level"] == "province", "code"], key=lambda p: len(reg.areas.descendants(p)))
print(",".join(a.code for a in select(reg, when, within=best)[:{n}]))
"""
    out = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_DIR, check=True,
                         capture_output=True, text=True)
    return out.stdout.strip().split(",")


def batch(data: Path, areas: list[str] | None, out: Path, jobs: int,
          notebooks: bool) -> tuple[float, int]:
    shutil.rmtree(out, ignore_errors=True)
    cmd = [str(BIN / "htx"), "batch", str(data), "--year", "2025", "--as-of", AS_OF,
           "--out", str(out), "--jobs", str(jobs)]
    if areas:
        cmd += ["--areas", ",".join(areas)]
    if not notebooks:
        cmd.append("--no-notebooks")
    # 1: some areas failed, as an area with organisations but no figures of year N does;
    # their count is printed from the run's batch.json
    wall, pss = run(cmd, allowed=(0, 1))
    record = json.loads((out / "batch.json").read_text(encoding="utf-8"))
    failed = [a["code"] for a in record["areas"] if a["status"] == "failed"]
    if failed:
        print(f"    ({len(failed)} of {len(record['areas'])} areas failed: {failed[:5]}; "
              "their reasons are in index.csv)")
    return wall, pss


def measure(name: str, data: Path, areas: list[str] | None, first: str, n: int, tmp: Path,
            floors: list[float], repeat: int, which: tuple[bool, ...]) -> list[dict]:
    """Each batch twice (its first area alone, then every area), then a floor run, so that
    every pair has a floor measured just before it (the last one) and just after it; the
    pair's ratio is against the mean of those two, as this machine's speed drifts by up to
    half within a run. ``repeat`` times, keeping the median of each."""
    rows = []
    for notebooks in which:
        for jobs in (1, 2):
            ones, wholes, peaks, ratios = [], [], [], []
            for _ in range(repeat):
                before = floors[-1]
                ones.append(batch(data, [first], tmp / "one", jobs, notebooks)[0])
                whole, pss = batch(data, areas, tmp / "all", jobs, notebooks)
                wholes.append(whole)
                peaks.append(pss)
                floors.append(floor(tmp, rounds=1, warm=False))
                ratios.append((whole - ones[-1]) / (n - 1) / ((before + floors[-1]) / 2))
            one, whole, pss = statistics.median(ones), statistics.median(wholes), max(peaks)
            marginal = (whole - one) / (n - 1)
            ratio = statistics.median(ratios)
            row = {"data": name, "areas": n, "notebooks": notebooks, "jobs": jobs,
                   "one_s": round(one, 2), "all_s": round(whole, 2),
                   "marginal_s": round(marginal, 3), "marginal_x_floor": round(ratio, 3),
                   "areas_per_min": round(60 * n / whole, 1), "peak_pss_mib": round(pss / 1024)}
            rows.append(row)
            print(f"  {name:8} {n:4} areas  notebooks={'yes' if notebooks else 'no ':3} "
                  f"jobs={jobs}: 1 area {one:6.1f} s, all {whole:7.1f} s, marginal "
                  f"{marginal:5.2f} s = {ratio:.3f}x the floor around it, peak PSS "
                  f"{pss / 1024:6.0f} MiB", flush=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--national", type=int, default=200, help="national areas (200)")
    ap.add_argument("--skip-national", action="store_true")
    ap.add_argument("--repeat", type=int, default=1,
                    help="runs of each batch, the median kept (default 1)")
    ap.add_argument("--notebooks", choices=("both", "yes", "no"), default="both",
                    help="batches with notebooks, without, or both (default)")
    ap.add_argument("--json", type=Path, default=PROJECT_DIR / "outputs" / "bench" / "batch.json")
    args = ap.parse_args(argv)
    if not args.skip_national and not NATIONAL.exists():
        subprocess.run([sys.executable, "-m", "htxlib.synth", "--orgs", "100000", "--years",
                        "5", "--seed", "1", "--as-of", AS_OF, "--out", str(NATIONAL)],
                       cwd=PROJECT_DIR, check=True)
    with tempfile.TemporaryDirectory(prefix="htx-bench-batch-") as name:
        tmp = Path(name)
        os.environ["HTX_CACHE_DIR"] = str(tmp / "cache")
        floors = [floor(tmp)]
        print(f"floor (papermill + nbconvert, trivial notebook): {floors[0]:.2f} s; measured "
              "again after each batch: a batch's ratio is to the floors just before and after")
        which = {"both": (True, False), "yes": (True,), "no": (False,)}[args.notebooks]
        rows = measure("sample", SAMPLE_DIR, None, "21529c", 20, tmp, floors, args.repeat,
                       which)
        if not args.skip_national:
            codes = national_areas(args.national)
            rows += measure("national", NATIONAL, codes, codes[-1], len(codes), tmp, floors,
                            args.repeat, which)
        base = statistics.median(floors)
        for r in rows:  # also against the floor of the whole run, for comparison
            r["marginal_x_run_floor"] = round(r["marginal_s"] / base, 3)
        print(f"floor, median of {len(floors)} runs across the benchmark: {base:.2f} s "
              f"(from {min(floors):.2f} to {max(floors):.2f} s)")
    print("\ntargets: marginal <= 0.25x floor with notebooks, <= 0.1x without; "
          "national peak < 3 GiB")
    ok = True
    for r in rows:
        goal = 0.25 if r["notebooks"] else 0.1
        good = r["marginal_x_floor"] <= goal and (r["data"] != "national"
                                                  or r["peak_pss_mib"] < 3072)
        ok &= good or r["jobs"] == 1
        print(f"  {r['data']:8} notebooks={'yes' if r['notebooks'] else 'no ':3} "
              f"jobs={r['jobs']}: {r['marginal_x_floor']:.3f}x (goal {goal}; "
              f"{r['marginal_x_run_floor']:.3f}x the run's median floor), "
              f"{r['areas_per_min']:6.1f} areas/min, {r['peak_pss_mib']} MiB: "
              f"{'PASS' if good else 'FAIL'}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({
        "date": dt.datetime.now().isoformat(timespec="seconds"), "cpus": os.cpu_count(),
        "python": platform.python_version(), "floor_s": round(base, 3),
        "floors_s": [round(f, 3) for f in floors], "runs": rows},
        indent=1), encoding="utf-8")
    print(f"written: {args.json}")
    return 0 if ok else 2


if __name__ == "__main__":
    sys.exit(main())
