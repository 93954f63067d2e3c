"""``htx validate``: every error and warning of the data, their counts and, when they allow a
report, what they hold."""

from __future__ import annotations

import argparse
from pathlib import Path

from htxlib.cli.parser import Arguments
from htxlib.cli.shared import as_of_word, open_data, say_problems, warn_coverage
from htxlib.errors import EXIT_DATA, EXIT_OK
from htxlib.fileio import guard_output
from htxlib.glossary import messages


def add_arguments(arg: Arguments) -> None:
    arg.add("data", nargs="?", type=Path)
    arg.add("--all", action="store_true")
    arg.add("--problems", type=Path)
    arg.add("--as-of")


def run(args: argparse.Namespace) -> int:
    from htxlib.indicators.checks import estimate_problems
    from htxlib.inputs.scope import as_date
    from htxlib.render.csvfile import for_people, write_csv

    guard_output(args.problems, args.data)
    registry = open_data(args.data)
    as_of = as_date(args.as_of, as_of_word()) if args.as_of and registry.ok else None
    if as_of is not None:  # the office's estimates against the figures to that date
        registry.problems.extend(estimate_problems(registry, as_of))
    say_problems(registry.problems, args.all)
    if args.problems:
        write_csv(for_people(registry.problems.frame(), "problems"), args.problems)
    print(registry.problems.tally())
    if not registry.ok:
        print(messages()["summary"]["blocked"])
        return EXIT_DATA
    if as_of is not None:
        warn_coverage(registry, as_of, None)
    print(registry.summary())
    return EXIT_OK
