"""``htx template``: the empty input workbook, or with ``--submission`` a unit's empty form."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from htxlib.cli.parser import Arguments
from htxlib.cli.shared import write_form
from htxlib.errors import EXIT_OK
from htxlib.report.edition import DEFAULT


def add_arguments(arg: Arguments) -> None:
    arg.add("out", type=Path)
    arg.add("--force", action="store_true")
    arg.add("--submission", action="store_true")
    arg.add("--area", default="")
    arg.add("--year")
    arg.add("--edition", default=DEFAULT)


def run(args: argparse.Namespace) -> int:
    from htxlib.inputs.template import write_template
    from htxlib.report.params import edition_of

    if args.submission:
        return write_form(args.out, args.force, int(args.year or dt.date.today().year),
                          {"unit_name": args.area}, None, edition_of(args.edition).key)
    print(write_template(args.out, force=args.force))
    return EXIT_OK
