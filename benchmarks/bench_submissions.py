"""Benchmark ``htx validate`` + ``htx indicators`` on one submission form per commune.

    python benchmarks/bench_submissions.py [--rounds 3] [--forms 3300] [--regen] [--profile]

Setup (cached under ``outputs/bench/``; ``--regen`` rebuilds it): the synthetic national
registry of ``bench_indicators.py`` (``python -m htxlib.synth --orgs 100000 --years 5``
into ``outputs/bench/synth-100000-5/``), its indicator table computed once for every unit
(``history=False``), and one filled form (``write_form`` + ``values_from_table``, as
``htx submission`` writes it) for each of ``--forms`` communes with organisations, picked
evenly along the commune codes, into ``outputs/bench/forms-100000-5-3300/submissions/``.
Next to it, ``areas.csv`` is the registry's unit list cut to those communes and the
districts and provinces above them; there are no organisations, records or other sheets:
the forms alone. The setup runs in a child process (see "Pitfall" in benchmarks/README.md).

Then it runs, alternately, ``--rounds`` times each:

* BASELINE: a child process that reads every cell of every form with python-calamine
  (``CalamineWorkbook.from_path(p).get_sheet_by_name("Biểu").to_python()``) and
  ``areas.csv`` with ``pandas.read_csv(dtype=str)``: a plain read of the same files;
* SUBJECT: ``htx validate DIR``, then ``htx indicators DIR --as-of 2024-06-10 --format csv
  --out TMPFILE`` (two children; the subject's time is the sum of theirs). The cache of
  read forms (``htxlib.inputs.form_files``, here in a temporary ``HTX_CACHE_DIR``) is
  emptied before each round's validate, so validate reads every form, as on the day the
  forms arrive, and indicators finds what validate read, as when it follows validate.
  ``--no-cache`` turns the cache off (``HTX_CACHE_DIR=off``): both commands read every form.

Each child's wall time and peak resident memory (``os.wait4`` → ``ru_maxrss``) are measured.
Prints the htxlib under test (commit and a hash of its sources; a warning if they change
during the run), each run, a table of medians, the subject/baseline ratio and PASS/FAIL
against the budget (subject under 60 s and at most 2× the baseline). ``--profile`` then
runs each subject command once more under cProfile (``--rounds 0 --profile``: only that),
keeps the profiles next to the data and prints where the time goes: the top htxlib
functions by cumulative time and by time in their own code, the slowest htxlib imports,
and the top functions of any module by own time. Exits 1 if a command fails (its output
is printed), 2 with ``--strict`` if over budget. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from children import Run, Series, registry_args, run_child

from htxlib.config import PROJECT_DIR
from htxlib.glossary import resource, sheets  # light: no pandas in this process
from htxlib.provenance import git_commit, source_fingerprint

BASELINE_CODE = """
import sys
from pathlib import Path
import pandas as pd
from python_calamine import CalamineWorkbook
folder, sheet = Path(sys.argv[1]), sys.argv[2]
pd.read_csv(folder / "areas.csv", dtype=str)
cells = 0
for path in sorted((folder / "submissions").glob("*.xlsx")):
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()
    cells += sum(len(row) for row in rows)
print(cells)
"""
VALIDATE = "validate"
INDICATORS = "indicators"


def code_version() -> str:
    """The htxlib under test: its commit and a hash of its sources (.py, .yaml), which
    tells uncommitted edits apart."""
    source_fingerprint.cache_clear()
    return f"commit {git_commit()[:10] or '?'}, sources {source_fingerprint()[:10]}"


# --- setup (the forms are written in a child process: ``--write-forms``) ---------------


def ensure_registry(folder: Path, orgs: int, years: int, seed: int, as_of: dt.date,
                    regen: bool) -> float:
    """The synthetic registry (as bench_indicators.py makes it); seconds spent (0: cached)."""
    files = [s.file for s in sheets().values() if s.name not in ("crosswalk", "estimates")]
    if not regen and all((folder / f).exists() for f in files):
        print(f"registry: {folder} (present; --regen to rebuild)")
        return 0.0
    cmd = [sys.executable, "-m", "htxlib.synth", "--orgs", str(orgs), "--years", str(years),
           "--seed", str(seed), "--as-of", as_of.isoformat(), "--out", str(folder)]
    start = time.perf_counter()
    subprocess.run(cmd, cwd=PROJECT_DIR, check=True)
    return time.perf_counter() - start


def stamp_path(data: Path) -> Path:
    return data.with_name(data.name + ".json")


def ensure_forms(registry: Path, data: Path, forms: int, as_of: dt.date, jobs: int,
                 regen: bool, registry_s: float) -> dict[str, Any]:
    """The benchmark folder (areas.csv + submissions/); its stamp, with the setup times."""
    stamp = stamp_path(data)
    if not regen and registry_s == 0 and stamp.exists() and (data / "submissions").is_dir():
        info = json.loads(stamp.read_text(encoding="utf-8"))
        if info.get("forms_wanted") == forms and info.get("as_of") == as_of.isoformat():
            print(f"forms: {data} (present; --regen to rebuild)")
            return info
    cmd = [sys.executable, str(Path(__file__).resolve()), "--write-forms", str(registry),
           str(data), "--forms", str(forms), "--as-of", as_of.isoformat(), "--jobs", str(jobs)]
    subprocess.run(cmd, cwd=PROJECT_DIR, check=True)
    info = json.loads(stamp.read_text(encoding="utf-8"))
    info["registry_s"] = round(registry_s, 2)
    stamp.write_text(json.dumps(info, indent=1), encoding="utf-8")
    return info


def _write_one(job: tuple[Path, int, dict, dict]) -> None:
    from htxlib.render.submission import write_form

    write_form(*job)


def write_forms(registry: Path, data: Path, forms: int, as_of: dt.date, jobs: int) -> None:
    """In the child: the indicator table once for every unit, then one form per commune."""
    import multiprocessing

    import numpy as np
    import pandas as pd

    from htxlib.indicators import indicator_table
    from htxlib.inputs.registry import open_registry
    from htxlib.render.submission import values_from_table

    t0 = time.perf_counter()
    reg = open_registry(registry)
    if not reg.ok:
        raise SystemExit(f"the registry {registry} has errors:\n{reg.problems.frame()}")
    t1 = time.perf_counter()
    table = indicator_table(reg, as_of, history=False)
    t2 = time.perf_counter()

    # The communes with organisations (and rows in the table), evenly spaced by code.
    areas = reg.areas
    level = areas.by_code["level"]
    in_table = set(table["area_code"].astype(object).unique())
    candidates = sorted(c for c in set(reg.organisations["area_code"].dropna())
                        if level.get(c) == "commune" and c in in_table)
    if forms < len(candidates):
        picks = np.unique(np.linspace(0, len(candidates) - 1, forms).round().astype(int))
        chosen = [candidates[i] for i in picks]
    else:
        chosen = candidates
    keep = set(chosen) | {a for c in chosen for a in areas.ancestors(c)}

    tmp = data.with_name(f".{data.name}.{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / "submissions").mkdir(parents=True)
    head = {c.name: c.header for c in sheets()["areas"].columns}["area_code"]
    units = pd.read_csv(registry / "areas.csv", dtype=str, keep_default_na=False)
    units = units[units[head].isin(keep)]
    units.to_csv(tmp / "areas.csv", index=False, encoding="utf-8", lineterminator="\n")

    names = dict(zip(areas.frame["code"], areas.display_names(), strict=True))
    own = table[table["area_code"].astype(object).isin(set(chosen))]
    groups = {str(code): g for code, g in own.groupby("area_code", observed=True, sort=False)}
    work = []
    for code in chosen:
        fields = {"unit_name": names[code], "unit_code": code, "as_of": as_of,
                  "filled_on": as_of}
        values = values_from_table(groups[code], code, as_of.year)
        work.append((tmp / "submissions" / f"{code}.xlsx", as_of.year, fields, values))
    t3 = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        for _ in pool.imap_unordered(_write_one, work, chunksize=16):
            pass
    t4 = time.perf_counter()
    shutil.rmtree(data, ignore_errors=True)
    os.replace(tmp, data)
    info = {"registry": str(registry), "as_of": as_of.isoformat(), "forms_wanted": forms,
            "forms": len(chosen), "candidates": len(candidates), "units": len(units),
            "open_s": round(t1 - t0, 2), "table_s": round(t2 - t1, 2),
            "values_s": round(t3 - t2, 2), "write_s": round(t4 - t3, 2), "jobs": jobs,
            "setup_s": round(t4 - t0, 2), "written": dt.datetime.now().isoformat("T", "seconds"),
            "code": code_version()}
    stamp_path(data).write_text(json.dumps(info, indent=1), encoding="utf-8")


def folder_summary(data: Path) -> str:
    files = sorted((data / "submissions").glob("*.xlsx"))
    size = sum(p.stat().st_size for p in files) / 2**20
    lines = (data / "areas.csv").read_bytes().count(b"\n") - 1
    return f"{len(files):,} forms, {size:.1f} MiB; areas.csv {lines:,} units"


def setup_summary(info: dict[str, Any]) -> str:
    reg = info.get("registry_s", 0.0)
    total = info["setup_s"] + reg
    return (f"setup: {total:.1f} s (synth {reg:.1f} s, open registry {info['open_s']:.1f} s, "
            f"indicator table {info['table_s']:.1f} s, form values {info['values_s']:.1f} s, "
            f"writing {info['forms']:,} forms on {info['jobs']} processes "
            f"{info['write_s']:.1f} s); {info['forms']:,} of {info['candidates']:,} communes "
            f"with organisations; built {info['written']} ({info.get('code', '?')})")


# --- timing -------------------------------------------------------------------------------


def output_summary(path: Path) -> str:
    if not path.exists():
        return "output: missing"
    lines = path.read_bytes().count(b"\n")
    return f"output: {path.name}: {max(lines - 1, 0):,} rows, {path.stat().st_size / 2**20:.1f} MiB"


def print_table(base: Series, parts: list[Series], subj: Series) -> None:
    head = f"{'':11} {'median s':>9} {'min s':>8} {'peak RSS MiB':>13}"
    print(head)
    print("-" * len(head))
    for s in (base, *parts, subj):
        w = s.walls()
        print(f"{s.name:11} {statistics.median(w):9.2f} {min(w):8.2f} {s.peak_mib():13.0f}")
    bw, sw = statistics.median(base.walls()), statistics.median(subj.walls())
    print(f"{'ratio':11} {sw / bw:9.2f} {min(subj.walls()) / min(base.walls()):8.2f} "
          f"{subj.peak_mib() / base.peak_mib():13.2f}")


def check_budget(base: Series, subj: Series, seconds: float, ratio: float) -> bool:
    wall = statistics.median(subj.walls())
    got = wall / statistics.median(base.walls())
    ok_t, ok_r = wall < seconds, got <= ratio
    print(f"budget: subject {wall:.2f} s < {seconds:g} s: {'PASS' if ok_t else 'FAIL'}; "
          f"ratio {got:.2f} <= {ratio:g}: {'PASS' if ok_r else 'FAIL'}")
    return ok_t and ok_r


def last_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


# --- profile ------------------------------------------------------------------------------


def _where(func: tuple[str, int, str]) -> str:
    """"htxlib/cli/validate.py:23 run", "pandas/core/series.py:360 __init__", or a built-in's
    name."""
    file, line, name = func
    parts = Path(file).parts
    if "site-packages" in parts:
        file = "/".join(parts[parts.index("site-packages") + 1:])
    elif Path(file).is_absolute() and Path(file).is_relative_to(PROJECT_DIR):
        file = str(Path(file).relative_to(PROJECT_DIR))
    return f"{file}:{line} {name}" if line else name


def _imports(func: tuple[str, int, str]) -> bool:
    """An entry of the import machinery (an ``import`` statement run inside a function)."""
    return (func[0].startswith("<frozen importlib")
            or func[2] == "<built-in method builtins.__import__>")


def print_profile(prof: Path, top: int) -> None:
    """The top htxlib functions by cumulative time and by time in their own code, the
    slowest htxlib imports, and the top functions of any module by own time."""
    import pstats

    stats = pstats.Stats(str(prof)).stats  # func → (calls, ncalls, own, cum, callers)
    total = max(v[3] for v in stats.values())
    mine = [(f, v) for f, v in stats.items() if "/htxlib/" in f[0]]
    print(f"  {total:.2f} s in all (under cProfile); htxlib functions by cumulative time:")
    for func, (_, calls, own, cum, _) in sorted(mine, key=lambda x: -x[1][3])[:top]:
        print(f"    {cum:7.2f} s cum {own:7.2f} s own {calls:>9,} calls  {_where(func)}")
    # Time in each htxlib function's own lines and in the libraries it calls, not in other
    # htxlib functions nor in imports: the htxlib code to make faster. From the edges of
    # the call graph (each callee's callers dict: caller → (cc, nc, own, cum)).
    out_of = [g for g, _ in mine] + [g for g in stats if _imports(g)]
    inner = {f: v[3] - sum(stats[g][4].get(f, (0, 0, 0, 0))[3] for g in out_of if g != f)
             for f, v in mine if f[2] != "<module>"}
    print("  htxlib functions by time in their own lines and the libraries they call "
          "(not in other htxlib functions, not in imports):")
    for func, t in sorted(inner.items(), key=lambda x: -x[1])[:top]:
        print(f"    {t:7.2f} s      {stats[func][3]:7.2f} s cum {stats[func][1]:>9,} calls  "
              f"{_where(func)}")
    modules = sorted(((v[3], f) for f, v in mine if f[2] == "<module>" and v[3] < 0.9 * total),
                     reverse=True)[:5]
    print("  slowest htxlib imports (cumulative, nested ones counted in each): "
          + ", ".join(f"{_where(f).split(':')[0]} {t:.2f} s" for t, f in modules))
    print("  any function by own time:")
    for func, (_, calls, own, cum, _) in sorted(stats.items(), key=lambda x: -x[1][2])[:top]:
        print(f"    {own:7.2f} s own {cum:7.2f} s cum {calls:>9,} calls  {_where(func)}")


def profile(commands: dict[str, list[str]], data: Path, top: int, cache: Path) -> int:
    """Each command once under cProfile, validate with an empty cache as in the timed
    rounds; the profiles are kept next to the data folder."""
    shutil.rmtree(cache, ignore_errors=True)
    for name, cmd in commands.items():
        prof = data.with_name(f"{data.name}-{name}.prof")
        prof.unlink(missing_ok=True)
        run = run_child([cmd[0], "-m", "cProfile", "-o", str(prof), *cmd[1:]], PROJECT_DIR)
        print(f"\nprofile of {name} ({run.wall:.2f} s wall under cProfile, "
              f"rc={run.returncode}; {prof}):")
        if not prof.exists():
            print(f"{name} failed under cProfile:\n{run.stderr}", file=sys.stderr)
            return 1
        print_profile(prof, top)
    return 0


# --- main ---------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    registry_args(ap, "rebuild the registry and the forms")
    ap.add_argument("--forms", type=int, default=3300, help="forms, one per commune (3300)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                    help="processes writing the forms in the setup (default: every core)")
    ap.add_argument("--dir", type=Path,
                    help="benchmark folder (default outputs/bench/forms-ORGS-YEARS-FORMS)")
    ap.add_argument("--budget-seconds", type=float, default=60.0)
    ap.add_argument("--budget-ratio", type=float, default=2.0)
    ap.add_argument("--strict", action="store_true", help="exit 2 when over budget")
    ap.add_argument("--no-cache", action="store_true",
                    help="HTX_CACHE_DIR=off: indicators reads every form again")
    ap.add_argument("--profile", action="store_true",
                    help="then run each subject command once under cProfile")
    ap.add_argument("--top", type=int, default=15, help="functions shown by --profile (15)")
    ap.add_argument("--write-forms", nargs=2, type=Path, metavar=("REGISTRY", "DIR"),
                    help=argparse.SUPPRESS)  # the setup's child process
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.write_forms:
        write_forms(*args.write_forms, args.forms, args.as_of, args.jobs)
        return 0
    bench = PROJECT_DIR / "outputs" / "bench"
    registry = bench / f"synth-{args.orgs}-{args.years}"
    data = args.dir or bench / f"forms-{args.orgs}-{args.years}-{args.forms}"
    registry_s = ensure_registry(registry, args.orgs, args.years, args.seed, args.as_of,
                                 args.regen)
    info = ensure_forms(registry, data, args.forms, args.as_of, args.jobs, args.regen,
                        registry_s)
    print(setup_summary(info))
    print(f"data: {data}: {folder_summary(data)}")
    code = code_version()
    print(f"htxlib under test: {code}")
    sheet = resource("submission.yaml")["sheet"]
    with tempfile.TemporaryDirectory(prefix="htx-bench-") as tmp:
        out = Path(tmp) / "indicators.csv"
        cache = Path(tmp) / "cache"
        os.environ["HTX_CACHE_DIR"] = "off" if args.no_cache else str(cache)
        print(f"cache of read forms: {os.environ['HTX_CACHE_DIR']} (emptied before each "
              "validate)")
        commands = {
            VALIDATE: [sys.executable, "-m", "htxlib.cli", "validate", str(data)],
            INDICATORS: [sys.executable, "-m", "htxlib.cli", "indicators", str(data),
                         "--as-of", args.as_of.isoformat(), "--format", "csv", "--out",
                         str(out)]}
        baseline_cmd = [sys.executable, "-c", BASELINE_CODE, str(data), sheet]
        base, subj = Series("baseline"), Series("subject")
        parts = {name: Series(name) for name in commands}
        for i in range(args.rounds):  # alternate, so drift hits both alike
            run = run_child(baseline_cmd, PROJECT_DIR)
            print(f"  round {i + 1} {'baseline':10} {run.wall:6.2f} s "
                  f"{run.rss_kib / 1024:7.0f} MiB rc={run.returncode} "
                  f"({int(last_line(run.stdout) or 0):,} cells)")
            if run.returncode != 0:
                print(f"baseline failed (exit {run.returncode}):\n{run.stderr}", file=sys.stderr)
                return 1
            base.runs.append(run)
            both = []
            shutil.rmtree(cache, ignore_errors=True)
            for name, cmd in commands.items():
                run = run_child(cmd, PROJECT_DIR)
                note = last_line(run.stdout) if name == VALIDATE else output_summary(out)
                print(f"  round {i + 1} {name:10} {run.wall:6.2f} s "
                      f"{run.rss_kib / 1024:7.0f} MiB rc={run.returncode}  {note}")
                if run.returncode != 0:
                    print(f"{name} failed (exit {run.returncode}):\n{run.stdout}{run.stderr}",
                          file=sys.stderr)
                    return 1
                parts[name].runs.append(run)
                both.append(run)
            subj.runs.append(Run(sum(r.wall for r in both), max(r.rss_kib for r in both), 0,
                                 "", ""))
        if args.rounds:
            print()
            print_table(base, list(parts.values()), subj)
            ok = check_budget(base, subj, args.budget_seconds, args.budget_ratio)
            said = parts[VALIDATE].runs[0].stdout.strip().replace("\n", " / ")
            print(f"validate said on stdout: {said}")
            warnings = parts[VALIDATE].runs[0].stderr.strip()
            if warnings:
                print(f"validate said on stderr ({len(warnings.splitlines())} lines; first 5):")
                for line in warnings.splitlines()[:5]:
                    print(f"  {line[:300]}")
        else:
            ok = True
        if args.profile and profile(commands, data, args.top, cache):
            return 1
    if code_version() != code:
        print(f"WARNING: the htxlib sources changed during the run ({code} → {code_version()}): "
              "its figures may mix two versions", file=sys.stderr)
    return 2 if args.strict and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
