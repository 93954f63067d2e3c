"""Benchmark ``htx indicators`` on a synthetic national registry against plain CSV reading.

    python benchmarks/bench_indicators.py [--rounds 3] [--regen] [--subject-cmd "..."]

Generates the 100,000-organisation, 5-year registry once into
``outputs/bench/synth-100000-5/`` (kept between runs; ``--regen`` rebuilds it), then runs,
alternately, ``--rounds`` times each:

* BASELINE: a child process that only reads every CSV of the folder with
  ``pandas.read_csv(dtype=str)``: the floor any reader of these files pays;
* SUBJECT: ``htx indicators DIR --as-of 2024-06-10 --format csv --out TMPFILE``.

Each child's wall time and peak resident memory (``os.wait4`` → ``ru_maxrss``) are measured.
Prints a table, the ratio subject/baseline, the output's size and row count, and PASS/FAIL
against the budget (5 s, 2 GiB). Exits 1 if the subject command fails (its stderr is
printed), 2 with ``--strict`` if the budget is exceeded. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shlex
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from children import Series, registry_args, run_child

from htxlib.config import PROJECT_DIR
from htxlib.glossary import sheets  # light: no pandas in this process

BASELINE_CODE = """
import sys
from pathlib import Path
import pandas as pd
for path in sorted(Path(sys.argv[1]).glob("*.csv")):
    pd.read_csv(path, dtype=str)
"""
SUBJECT_CMD = ("{python} -m htxlib.cli indicators {dir} --as-of {as_of} "
               "--format csv --out {out}")


def ensure_data(folder: Path, orgs: int, years: int, seed: int, as_of: dt.date,
                regen: bool) -> None:
    files = [s.file for s in sheets().values() if s.name != "crosswalk"]
    if not regen and all((folder / f).exists() for f in files):
        print(f"data: {folder} (present; --regen to rebuild)")
        return
    # In a child process: a big parent would inflate the children's ru_maxrss, which
    # Linux carries over fork and exec.
    cmd = [sys.executable, "-m", "htxlib.synth", "--orgs", str(orgs), "--years", str(years),
           "--seed", str(seed), "--as-of", as_of.isoformat(), "--out", str(folder)]
    subprocess.run(cmd, cwd=PROJECT_DIR, check=True)


def folder_summary(folder: Path) -> str:
    csvs = sorted(folder.glob("*.csv"))
    size = sum(p.stat().st_size for p in csvs) / 2**20
    return f"{len(csvs)} CSV files, {size:.1f} MiB"


def output_summary(path: Path) -> str:
    """Size and data rows of the output (lines minus the header; fast on big files)."""
    if not path.exists():
        return "output: missing"
    lines = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 24):
            lines += chunk.count(b"\n")
    size = path.stat().st_size
    return f"output: {path.name}: {max(lines - 1, 0):,} rows, {size / 2**20:,.1f} MiB"


def print_table(base: Series, subj: Series) -> None:
    head = f"{'':10} {'median s':>9} {'min s':>8} {'peak RSS MiB':>13}"
    print(head)
    print("-" * len(head))
    for s in (base, subj):
        w = s.walls()
        print(f"{s.name:10} {statistics.median(w):9.2f} {min(w):8.2f} {s.peak_mib():13.0f}")
    bw, sw = statistics.median(base.walls()), statistics.median(subj.walls())
    print(f"{'ratio':10} {sw / bw:9.2f} {min(subj.walls()) / min(base.walls()):8.2f} "
          f"{subj.peak_mib() / base.peak_mib():13.2f}")


def check_budget(subj: Series, seconds: float, gib: float) -> bool:
    wall, mib = statistics.median(subj.walls()), subj.peak_mib()
    ok_t, ok_m = wall <= seconds, mib <= gib * 1024
    print(f"budget: time {wall:.2f} s <= {seconds:g} s: {'PASS' if ok_t else 'FAIL'}; "
          f"memory {mib:.0f} MiB <= {gib:g} GiB: {'PASS' if ok_m else 'FAIL'}")
    return ok_t and ok_m


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    registry_args(ap, "rebuild the synthetic data")
    ap.add_argument("--dir", type=Path, help="data folder (default outputs/bench/synth-ORGS-YEARS)")
    ap.add_argument("--subject-cmd", default=SUBJECT_CMD,
                    help="subject command; {python} {dir} {as_of} {out} are filled in")
    ap.add_argument("--budget-seconds", type=float, default=5.0)
    ap.add_argument("--budget-gib", type=float, default=2.0)
    ap.add_argument("--strict", action="store_true", help="exit 2 when over budget")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    folder = args.dir or PROJECT_DIR / "outputs" / "bench" / f"synth-{args.orgs}-{args.years}"
    ensure_data(folder, args.orgs, args.years, args.seed, args.as_of, args.regen)
    print(f"data: {folder_summary(folder)}")
    with tempfile.TemporaryDirectory(prefix="htx-bench-") as tmp:
        out = Path(tmp) / "indicators.csv"
        fill = {"python": shlex.quote(sys.executable), "dir": shlex.quote(str(folder)),
                "as_of": args.as_of.isoformat(), "out": shlex.quote(str(out))}
        subject_cmd = shlex.split(args.subject_cmd.format(**fill))
        baseline_cmd = [sys.executable, "-c", BASELINE_CODE, str(folder)]
        print(f"subject: {shlex.join(subject_cmd)}")
        base, subj = Series("baseline"), Series("subject")
        for i in range(args.rounds):  # alternate, so drift hits both alike
            for series, cmd in ((base, baseline_cmd), (subj, subject_cmd)):
                run = run_child(cmd, PROJECT_DIR)
                print(f"  round {i + 1} {series.name:8} {run.wall:6.2f} s "
                      f"{run.rss_kib / 1024:7.0f} MiB rc={run.returncode}")
                if run.returncode != 0:
                    print(f"{series.name} failed (exit {run.returncode}):\n{run.stderr}",
                          file=sys.stderr)
                    return 1
                series.runs.append(run)
        print()
        print_table(base, subj)
        print(output_summary(out))
        ok = check_budget(subj, args.budget_seconds, args.budget_gib)
    return 2 if args.strict and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
