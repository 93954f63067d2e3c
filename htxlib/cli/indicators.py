"""``htx indicators``: the indicator table (long and tidy) at an as-of date, as CSV or as a
readable table."""

from __future__ import annotations

import argparse
from pathlib import Path

from htxlib.cli.parser import Arguments
from htxlib.cli.shared import as_of_word, open_valid, pick, say_problems, warn_coverage
from htxlib.errors import EXIT_DATA, EXIT_OK
from htxlib.fileio import guard_output


def add_arguments(arg: Arguments) -> None:
    arg.add("data", nargs="?", type=Path)
    arg.add("--as-of")
    arg.add("--area")
    arg.add("--format", choices=["csv", "table"], default="csv")
    arg.add("--out", type=Path)
    arg.add("--all-breakdowns", action="store_true")
    arg.add("--history", action="store_true")


def run(args: argparse.Namespace) -> int:
    from htxlib.indicators import indicator_table
    from htxlib.indicators.checks import estimate_problems
    from htxlib.inputs.scope import as_date, latest_actual
    from htxlib.render.indicator_table import write_indicators

    guard_output(args.out, args.data)
    registry = open_valid(args.data)
    if registry is None:
        return EXIT_DATA
    as_of = latest_actual(registry) if args.as_of is None else as_date(args.as_of, as_of_word())
    area = pick(registry, args.area, as_of) if args.area else None
    warn_coverage(registry, as_of, area)
    say_problems(estimate_problems(registry, as_of))
    table = indicator_table(registry, as_of, area=area, history=args.history,
                            all_breakdowns=args.all_breakdowns)
    write_indicators(table, args.format, args.out)
    return EXIT_OK
