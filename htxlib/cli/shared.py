"""What several commands of ``htx`` do alike: open the data and say their problems, name
the as-of option, pick the area, warn of a year without figures, say a run's warnings."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from htxlib import fmt
from htxlib.errors import EXIT_OK, HtxError
from htxlib.fileio import refuse_existing
from htxlib.glossary import message, messages
from htxlib.inputs.problems import Problems, format_problems
from htxlib.inputs.scope import ScopeError
from htxlib.report.edition import DEFAULT

if TYPE_CHECKING:
    from htxlib.cli.parser import Arguments
    from htxlib.inputs.registry import Registry


class UsageError(HtxError):
    """A bad argument, explained in Vietnamese (exit 2)."""


def document_arguments(arg: Arguments, area: bool = True) -> None:
    """The arguments that name a document: the data, its year and edition, the area (not
    for a batch, which chooses its areas otherwise) and the as-of date."""
    arg.add("data", nargs="?", type=Path)
    arg.add("--year", required=True)
    arg.add("--edition", default=DEFAULT)
    if area:
        arg.add("--area", default="")
    arg.add("--as-of", default="")


def as_of_word() -> str:
    """"Ngày số liệu (--as-of)": how a message names the option."""
    return f"{message('scope_as_of_word')} (--as-of)"


def say_problems(problems: Problems, show_all: bool = False) -> None:
    """The problems on standard error: 50 of each kind, or all."""
    for line in format_problems(problems, None if show_all else 50):
        print(line, file=sys.stderr)


def open_data(data: Path | None) -> Registry:
    """The input read and checked (None: the bundled sample)."""
    from htxlib.inputs.registry import open_registry

    return open_registry(data)


def open_valid(data: Path | None) -> Registry | None:
    """The input read and checked, or None once its errors are said (the command then
    exits 1: nothing is computed from data with errors)."""
    registry = open_data(data)
    if registry.ok:
        return registry
    say_problems(registry.problems)
    print(messages()["summary"]["blocked"], file=sys.stderr)
    return None


def pick(registry: Registry, text: str, as_of: dt.date) -> str:
    """The code of the unit ``--area`` names on ``as_of``; a usage error otherwise."""
    from htxlib.inputs.scope import pick_area

    try:
        return pick_area(registry.areas, text, when=as_of)
    except ScopeError as exc:
        raise UsageError(f"--area: {exc}") from None


def warn_coverage(registry: Registry, as_of: dt.date, area: str | None) -> None:
    """A warning when the year has no actual figures up to ``as_of`` (in ``area``)."""
    from htxlib.inputs.scope import coverage_problem

    if problem := coverage_problem(registry, as_of, area):
        print(f"{messages()['severity']['warning']}: {problem}", file=sys.stderr)


def write_form(out: Path, force: bool, n: int, fields: dict, values: dict | None,
               edition: str) -> int:
    """A unit's form written to ``out`` (never over a file there, unless ``force``)."""
    from htxlib.render.submission import write_form as write

    refuse_existing([out], force)
    print(write(out, n, fields, values, edition))
    return EXIT_OK


def say_warnings(n: int, lines: tuple[str, ...], data: object) -> None:
    """The data's warnings after a run that went on despite them (on standard error)."""
    if not n:
        return
    print(message("report_warnings", n=fmt.number(n, 0), data=data or ""), file=sys.stderr)
    for line in lines:
        print(f"  {line}", file=sys.stderr)
