"""``htx areas``: a province's units after 1/7/2025 and the crosswalk from the old ones, from
the vietnam-provinces and vietnamadminunits packages (htxlib/inputs/admin_units.py)."""

from __future__ import annotations

import argparse
from pathlib import Path

from htxlib import fmt
from htxlib.cli.parser import Arguments
from htxlib.cli.shared import UsageError
from htxlib.errors import EXIT_OK
from htxlib.fileio import refuse_existing
from htxlib.glossary import message


def add_arguments(arg: Arguments) -> None:
    arg.add("--province", required=True)
    arg.add("--out", type=Path, required=True)
    arg.add("--force", action="store_true")


def run(args: argparse.Namespace) -> int:
    from htxlib.inputs.admin_units import package_versions, province_units
    from htxlib.render.unit_list import area_files, write_areas

    try:
        areas, crosswalk = province_units(args.province)
    except ValueError as exc:
        raise UsageError(f"--province: {exc}") from None
    refuse_existing(area_files(args.out), args.force)
    for path in write_areas(areas, crosswalk, args.out):
        print(path)
    print(message("areas_written", units=fmt.number(len(areas), 0),
                  moves=fmt.number(len(crosswalk), 0),
                  packages=", ".join(f"{k} {v}" for k, v in package_versions().items())))
    return EXIT_OK
