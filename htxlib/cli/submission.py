"""``htx submission``: a unit's own form, filled from the data (a commune sends it up, a
province too)."""

from __future__ import annotations

import argparse
from pathlib import Path

from htxlib.cli.parser import Arguments
from htxlib.cli.shared import as_of_word, open_valid, pick, write_form
from htxlib.errors import EXIT_DATA
from htxlib.report.edition import DEFAULT


def add_arguments(arg: Arguments) -> None:
    arg.add("data", nargs="?", type=Path)
    arg.add("--area", required=True)
    arg.add("--as-of", required=True)
    arg.add("--edition", default=DEFAULT)
    arg.add("--out", type=Path, required=True)
    arg.add("--force", action="store_true")


def run(args: argparse.Namespace) -> int:
    from htxlib.inputs.scope import as_date
    from htxlib.render.submission import unit_form
    from htxlib.report.params import form_edition

    registry = open_valid(args.data)
    if registry is None:
        return EXIT_DATA
    as_of = as_date(args.as_of, as_of_word())
    edition = form_edition(args.edition, as_of)
    fields, values = unit_form(registry, pick(registry, args.area, as_of), as_of, edition)
    return write_form(args.out, args.force, as_of.year, fields, values, edition)
