"""Synthetic national-size cooperative registry, for benchmarks and tests.

``python -m htxlib.synth --orgs 100000 --years 5 --out DIR [--seed 1] [--as-of 2024-06-10]``
writes into DIR one CSV file per sheet of ``resources/schema.yaml`` (organisations, records,
areas, targets, support) exactly as a user would type them: Vietnamese headers in schema
order, Vietnamese enumeration labels, dates dd/mm/yyyy, whole numbers or a decimal comma.

Shares and averages follow the national figures of the domain guide (§10): about 65% THT,
34% HTX, 0.15% LHHTX; 3.5% of HTX are people's credit funds; 175 members, 27 regular
workers, 3-5 managers, 3,550 million VND revenue and 59 million VND income per worker
and year for an average HTX. The area tree (63 provinces, about 700 districts and 10,000
communes) has made-up Vietnamese names. Everything is vectorised and fully determined by
the seed. The Vietnamese words come from ``resources/synth.yaml``.

Modules: ``units`` (area tree), ``orgs`` (organisations), ``base`` and ``records`` (yearly
figures), ``targets``, ``support``, ``write`` (CSV files), ``common`` (draws, formatting),
``vocab`` (the words).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from htxlib.synth.base import TRAINING, Base, make_base
from htxlib.synth.common import N_PROVINCES, TYPES, fmt_dates, fmt_number
from htxlib.synth.orgs import Orgs, make_orgs
from htxlib.synth.records import make_records, periods
from htxlib.synth.support import make_support
from htxlib.synth.targets import TARGET_CODES, make_targets
from htxlib.synth.units import Areas, areas_frame, make_areas, name_pool
from htxlib.synth.write import SHEETS, to_sheet, write_sheets

__all__ = [
    "N_PROVINCES", "SHEETS", "TARGET_CODES", "TRAINING", "TYPES", "Areas", "Base", "Orgs",
    "areas_frame", "build", "fmt_dates", "fmt_number", "generate", "main", "make_areas",
    "make_base", "make_orgs", "make_records", "make_support", "make_targets", "name_pool",
    "periods", "to_sheet",
]


def build(orgs: int, years: int, seed: int = 1,
          as_of: dt.date = dt.date(2024, 6, 10)) -> dict[str, pd.DataFrame]:
    """All sheets as frames with code-name columns, already formatted as text."""
    if orgs < 1 or years < 1:
        raise ValueError("orgs and years must be at least 1")
    rngs = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(5)]
    areas = make_areas(rngs[0])
    org = make_orgs(rngs[1], orgs, areas, as_of)
    return {
        "organisations": org.frame,
        "records": make_records(rngs[2], org, years, as_of),
        "areas": areas_frame(areas),
        "targets": make_targets(rngs[3], areas, org, as_of),
        "support": make_support(rngs[4], areas, org, years, as_of),
    }


def generate(out: str | os.PathLike[str], orgs: int, years: int, seed: int = 1,
             as_of: dt.date = dt.date(2024, 6, 10)) -> dict[str, int]:
    """Write the synthetic registry into ``out``; return the row count of each file."""
    return write_sheets(build(orgs, years, seed, as_of), Path(out))


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m htxlib.synth", description=__doc__.split("\n")[0])
    ap.add_argument("--orgs", type=int, default=100_000, help="number of organisations")
    ap.add_argument("--years", type=int, default=5,
                    help="years of records, the as-of year included (default 5)")
    ap.add_argument("--out", required=True, help="output folder")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--as-of", default="2024-06-10", type=dt.date.fromisoformat,
                    help="cut-off date of the actual records, yyyy-mm-dd")
    return ap.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(argv)
    start = time.perf_counter()
    counts = generate(args.out, args.orgs, args.years, args.seed, args.as_of)
    size = sum((Path(args.out) / f).stat().st_size for f in counts) / 2**20
    rows = ", ".join(f"{f} {n:,}" for f, n in counts.items())
    print(f"synth: {args.out}: {rows}; {size:.1f} MiB in {time.perf_counter() - start:.1f} s")
    return 0
