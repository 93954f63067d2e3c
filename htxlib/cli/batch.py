"""``htx batch``: a report for every area (the province, the communes…) in one run, with an
index page."""

from __future__ import annotations

import argparse
from pathlib import Path

from htxlib.cli.parser import Arguments
from htxlib.cli.shared import document_arguments
from htxlib.report.params import FORMATS


def add_arguments(arg: Arguments) -> None:
    document_arguments(arg, area=False)
    arg.add("--level", default="")
    arg.add("--areas", default="")
    arg.add("--within", default="")
    arg.add("--narratives", type=Path)
    arg.add("--format", default=",".join(FORMATS))
    arg.add("--out", type=Path)
    arg.add("--jobs", type=int)
    arg.add("--force", action="store_true")
    arg.add("--no-notebooks", action="store_true")
    arg.add("--executor", choices=["local", "dask"], default="local")
    arg.add("--scheduler", default="")


def run(args: argparse.Namespace) -> int:
    from htxlib.run.batch import BatchOptions, run_batch

    opts = BatchOptions(data=args.data, year=args.year, as_of=args.as_of or "",
                        edition=args.edition, levels=args.level or "", areas=args.areas or "",
                        within=args.within or "", narratives=args.narratives,
                        formats=args.format, out=args.out, jobs=args.jobs, force=args.force,
                        notebooks=not args.no_notebooks, executor=args.executor,
                        scheduler=args.scheduler or "")
    return run_batch(opts).status
