"""``htx report``: the report notebook run for one area, written as HTML, Word and Excel
(``--format``) beside the executed notebook and the manifest."""

from __future__ import annotations

import argparse
from pathlib import Path

from htxlib import fmt
from htxlib.cli.parser import Arguments
from htxlib.cli.shared import document_arguments, say_warnings
from htxlib.errors import EXIT_OK
from htxlib.glossary import message, messages
from htxlib.report.params import FORMATS, check


def add_arguments(arg: Arguments) -> None:
    document_arguments(arg)
    arg.add("--narrative", type=Path)
    arg.add("--out", type=Path)
    arg.add("--format", default=",".join(FORMATS))


def run(args: argparse.Namespace) -> int:
    from htxlib.run.notebook import run_report  # notebooks, nbformat: only when asked

    params = check(data=args.data or "", year=args.year, area=args.area, as_of=args.as_of,
                   narrative=args.narrative or "", formats=args.format, edition=args.edition)
    result = run_report(params, args.out)
    what = messages()["report_file"]
    lines = [f"  {f.name}: {what[f.suffix[1:]]} ({fmt.number(f.stat().st_size / 1024, 0)} KB)"
             for f in [*result.files, result.notebook, result.manifest]]
    print(message("report_done", out=result.manifest.parent, files="\n".join(lines),
                  seconds=fmt.number(result.seconds, 1)))
    say_warnings(result.n_warnings, result.warnings, args.data)
    return EXIT_OK
