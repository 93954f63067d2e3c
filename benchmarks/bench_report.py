"""Benchmark ``htx report`` on the sample against papermill + nbconvert on a trivial notebook.

    python benchmarks/bench_report.py [--rounds 7] [--json outputs/bench/report.json]

After one untimed warm-up of each, runs alternately ``--rounds`` times each:

* BASELINE (the floor): ``papermill in.ipynb out.ipynb -p x 1`` then
  ``jupyter nbconvert --to html --no-input out.ipynb`` on a notebook that only imports
  pandas and matplotlib, timed together;
* HTML: ``htx report --year 2025 --as-of 2024-06-10 --narrative ... --format html``;
* ALL: the same with the default ``--format html,docx,xlsx`` (the page, the Word plan and
  the Excel annex from one run);
* the three documents of the reporting year from the post-reform sample, all formats, for
  xã Ba Vì: the plan for 2027, the six-month and the year-end report on 2026 (goal: any
  edition costs no more than the plan, within 10%).

Wall time and peak RSS (``os.wait4`` -> ``ru_maxrss``: the largest single process of the
command's tree) are measured per run. Prints a table, the ratio of each median to the
baseline's against the goal (1.5x for HTML), and what Word and Excel add (goal: at most
0.3x the baseline), writes a JSON file. Exits 1 if a command fails (its stderr is printed),
0 otherwise. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from htxlib.config import DATA_DIR, PROJECT_DIR, SAMPLE_DIR  # no pandas here

BIN = Path(sys.executable).parent
NARRATIVE = SAMPLE_DIR / "thuyet-minh-2025.md"
IMPORTS = "import pandas as pd\nimport matplotlib\nimport matplotlib.pyplot as plt"


def code_cell(source: str, tags: list[str] | None = None) -> dict:
    return {"cell_type": "code", "metadata": {"tags": tags or []}, "source": source,
            "execution_count": None, "outputs": []}


TRIVIAL_NOTEBOOK = {  # written as JSON: importing nbformat here would grow this process
    "nbformat": 4, "nbformat_minor": 4,
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                "language": "python"}, "language_info": {"name": "python"}},
    "cells": [code_cell("x = 0", ["parameters"]), code_cell(IMPORTS)],
}


def run_child(cmd: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of ``cmd``; on failure print its stderr, exit 1.

    ru_maxrss starts from this process's own RSS (fork), so this process stays small."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=PROJECT_DIR, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if (code := os.waitstatus_to_exitcode(status)) != 0:
            err.seek(0)
            print(f"failed (exit {code}): {shlex.join(cmd)}\n"
                  f"{err.read().decode('utf-8', 'replace')}", file=sys.stderr)
            sys.exit(1)
    return wall, usage.ru_maxrss


def run_all(cmds: list[list[str]]) -> tuple[float, int]:
    """Run ``cmds`` one after another: total wall seconds, largest peak RSS (KiB)."""
    runs = [run_child(c) for c in cmds]
    return sum(w for w, _ in runs), max(r for _, r in runs)


def summary(runs: list[tuple[float, int]]) -> dict:
    walls, kib = [w for w, _ in runs], [k for _, k in runs]
    return {"walls_s": [round(w, 3) for w in walls], "median_s": statistics.median(walls),
            "min_s": min(walls), "max_s": max(walls), "peak_rss_mib": max(kib) / 1024}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=7, help="timed runs of each (default 7)")
    ap.add_argument("--json", type=Path, default=PROJECT_DIR / "outputs" / "bench" / "report.json",
                    help="result file (default outputs/bench/report.json)")
    ap.add_argument("--goal", type=float, default=1.5, help="goal for the ratio (default 1.5)")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="htx-bench-report-") as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "in.ipynb").write_text(json.dumps(TRIVIAL_NOTEBOOK, indent=1), encoding="utf-8")
        baseline = [[str(BIN / "papermill"), str(tmp / "in.ipynb"), str(tmp / "out.ipynb"),
                     "-p", "x", "1", "--no-progress-bar"],
                    [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input",
                     str(tmp / "out.ipynb")]]
        subject = [str(BIN / "htx"), "report", "--year", "2025", "--as-of", "2024-06-10",
                   "--out", str(tmp / "report")]
        if NARRATIVE.exists():
            subject[-2:-2] = ["--narrative", str(NARRATIVE.relative_to(PROJECT_DIR))]
        else:
            print(f"note: {NARRATIVE} is missing; running without --narrative")
        html_only = [*subject, "--format", "html"]
        post = [str(BIN / "htx"), "report", str(DATA_DIR / "sample" / "ba-to-2025"), "--area",
                "21529"]
        editions = {"plan": ["--year", "2027"], "mid-year": ["--year", "2026", "--edition",
                                                             "mid-year"],
                    "year-end": ["--year", "2026", "--edition", "year-end"]}
        cmds = {"baseline": baseline, "html": [html_only], "all": [subject],
                **{name: [[*post, *extra, "--out", str(tmp / name)]]
                   for name, extra in editions.items()}}
        print(f"baseline: {' && '.join(shlex.join(c) for c in baseline)}")
        print(f"html:     {shlex.join(html_only)}  (cwd {PROJECT_DIR})")
        print(f"all:      {shlex.join(subject)}")
        for name in cmds:  # warm-up, untimed
            run_all(cmds[name])
        runs: dict[str, list[tuple[float, int]]] = {name: [] for name in cmds}
        for i in range(args.rounds):  # alternate, so drift hits both alike
            for name in cmds:
                wall, kib = run_all(cmds[name])
                runs[name].append((wall, kib))
                print(f"  round {i + 1} {name:8} {wall:6.2f} s {kib / 1024:6.0f} MiB")
    res = {name: summary(r) for name, r in runs.items()}
    ratio = res["html"]["median_s"] / res["baseline"]["median_s"]
    ratio_all = res["all"]["median_s"] / res["baseline"]["median_s"]
    added = ratio_all - ratio
    head = f"\n{'':9} {'median s':>9} {'min s':>7} {'max s':>7} {'peak RSS MiB':>13}"
    print(head + "\n" + "-" * (len(head) - 1))
    for name, r in res.items():
        print(f"{name:9} {r['median_s']:9.2f} {r['min_s']:7.2f} {r['max_s']:7.2f} "
              f"{r['peak_rss_mib']:13.0f}")
    verdict = "PASS" if ratio <= args.goal else "FAIL"
    print(f"ratio of medians html/baseline: {ratio:.2f}x (goal <= {args.goal:g}x: {verdict})")
    extra = "PASS" if added <= 0.3 else "FAIL"
    print(f"ratio of medians all/baseline:  {ratio_all:.2f}x; Word + Excel add {added:.2f}x "
          f"(goal <= 0.3x: {extra})")
    plan = res["plan"]["median_s"]
    by_edition = {name: {"of_baseline": res[name]["median_s"] / res["baseline"]["median_s"],
                         "of_plan": res[name]["median_s"] / plan}
                  for name in ("plan", "mid-year", "year-end")}
    for name, r in by_edition.items():
        ok = "PASS" if r["of_plan"] <= 1.1 else "FAIL"
        print(f"{name:9} {r['of_baseline']:.2f}x baseline, {r['of_plan']:.2f}x the plan "
              f"(goal <= 1.1x: {ok})")
    result = {
        "date": dt.date.today().isoformat(), "cpus": os.cpu_count(),
        "python": platform.python_version(), "rounds": args.rounds,
        "commands": {name: [shlex.join(c) for c in cmd] for name, cmd in cmds.items()},
        "narrative": NARRATIVE.exists(), "rss": "ru_maxrss via os.wait4 (largest process)",
        **res, "ratio_median": ratio, "ratio_median_all": ratio_all, "added_by_docx_xlsx": added,
        "editions": by_edition,
        "goal": args.goal, "pass": ratio <= args.goal and added <= 0.3 and all(
            r["of_plan"] <= 1.1 for r in by_edition.values()),
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"written: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
