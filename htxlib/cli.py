"""The ``htx`` command: template, validate, indicators, narrative, report.

Exit status: 0 success (warnings allowed), 1 data errors, 2 input that cannot be read
or a bad argument, 3 an internal fault (reported in one paragraph, never a traceback;
set HTX_DEBUG=1 to see it), 130 interrupted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from htxlib import fmt
from htxlib.errors import EXIT_DATA, EXIT_INPUT, EXIT_OK, EXIT_STOPPED, HtxError, explain
from htxlib.fileio import guard_output, refuse_existing
from htxlib.glossary import message, messages, resource
from htxlib.inputs.problems import Problems, format_problems
from htxlib.inputs.scope import ScopeError, as_date
from htxlib.provenance import htxlib_version


def _as_of_word() -> str:
    """"Ngày số liệu (--as-of)": how a message names the option."""
    return f"{message('scope_as_of_word')} (--as-of)"


class UsageError(HtxError):
    """A bad argument, explained in Vietnamese (exit 2)."""


class _Parser(argparse.ArgumentParser):
    """argparse, with its usage errors said in Vietnamese (cli.yaml) and exit status 2."""

    def error(self, message: str) -> NoReturn:
        words = resource("cli.yaml")
        for pattern, text in words["usage_errors"]:
            if found := re.fullmatch(pattern, message):
                message = text.format(*found.groups())
                break
        self.print_usage(sys.stderr)
        hint = words["usage_hint"].format(prog=self.prog)
        self.exit(EXIT_INPUT, f"{self.prog}: {message}\n{hint}\n")


class _Formatter(argparse.HelpFormatter):
    """Help with a Vietnamese "usage:" line."""

    def add_usage(self, usage, actions, groups, prefix=None) -> None:  # noqa: ANN001
        if prefix is None:  # argparse passes "" when it builds a subcommand's name
            prefix = resource("cli.yaml")["usage"]
        super().add_usage(usage, actions, groups, prefix)


def _parser() -> argparse.ArgumentParser:
    """The parser, built from the commands and help texts of resources/cli.yaml."""
    words = resource("cli.yaml")

    def parser_with_help(make, *args, **kwargs):  # noqa: ANN001, ANN202
        """A parser whose arguments, -h included, sit in one group with a Vietnamese title."""
        p = make(*args, add_help=False, formatter_class=_Formatter, **kwargs)
        group = p.add_argument_group(words["arguments"])
        group.add_argument("-h", "--help", action="help", help=words["help"])
        return p, group

    parser, top = parser_with_help(_Parser, prog=words["prog"], description=words["description"])
    top.add_argument("-V", "--version", action="version", help=words["version"],
                     version=f"htx {htxlib_version()}")
    sub = parser.add_subparsers(dest="command", required=True, title=words["commands_title"],
                                metavar="{" + ",".join(words["commands"]) + "}")
    for name, command in words["commands"].items():
        _, group = parser_with_help(sub.add_parser, name, help=command["help"],
                                    description=command["help"])
        for spec in command["args"]:
            options = {k: v for k, v in spec.items() if k not in ("name", "type")}
            if spec.get("type") == "path":
                options["type"] = Path
            elif spec.get("type") == "int":
                options["type"] = int
            group.add_argument(spec["name"], **options)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return {"template": _template, "submission": _submission, "areas": _areas,
                "validate": _validate, "indicators": _indicators,
                "narrative": _narrative, "report": _report, "batch": _batch}[args.command](args)
    except KeyboardInterrupt:  # Ctrl-C: outputs are atomic, nothing half-written remains
        print(resource("cli.yaml")["interrupted"], file=sys.stderr)
        return EXIT_STOPPED
    except BrokenPipeError:  # the reader went away (`htx indicators | head`): end quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - every error becomes a paragraph (htxlib.errors)
        text, status = explain(exc, args.command)
        print(text, file=sys.stderr)
        return status


def _narrative(args: argparse.Namespace) -> int:
    from htxlib import cli_report  # the report stage (notebooks, nbformat): only when asked

    return cli_report.narrative(args)


def _report(args: argparse.Namespace) -> int:
    from htxlib import cli_report

    return cli_report.report(args)


def _batch(args: argparse.Namespace) -> int:
    from htxlib.run.batch import BatchOptions, run_batch

    opts = BatchOptions(data=args.data, year=args.year, as_of=args.as_of or "",
                        edition=args.edition,
                        levels=args.level or "", areas=args.areas or "",
                        within=args.within or "", narratives=args.narratives,
                        formats=args.format, out=args.out, jobs=args.jobs, force=args.force,
                        notebooks=not args.no_notebooks, executor=args.executor,
                        scheduler=args.scheduler or "")
    return run_batch(opts).status


def _template(args: argparse.Namespace) -> int:
    from htxlib.inputs.template import write_template
    from htxlib.report.params import edition_of

    if args.submission:
        return _form(args.out, args.force, int(args.year or dt.date.today().year),
                     {"unit_name": args.area}, edition=edition_of(args.edition).key)
    path = write_template(args.out, force=args.force)
    print(path)
    return EXIT_OK


def _form(out: Path, force: bool, n: int, fields: dict, values: dict | None = None,
          edition: str = "plan") -> int:
    from htxlib.render.submission import write_form

    refuse_existing([out], force)
    print(write_form(out, n, fields, values, edition))
    return EXIT_OK


def _submission(args: argparse.Namespace) -> int:
    """A unit's own form, filled from the data: a commune sends it up, a province too."""
    from htxlib.inputs.scope import pick_area
    from htxlib.render.submission import unit_form
    from htxlib.report.params import form_edition

    reg = _open(args.data)
    if not reg.ok:
        _report_problems(reg.problems)
        print(messages()["summary"]["blocked"], file=sys.stderr)
        return EXIT_DATA
    as_of = as_date(args.as_of, _as_of_word())
    edition = form_edition(args.edition, as_of)
    try:
        area = pick_area(reg.areas, args.area, when=as_of)
    except ScopeError as exc:
        raise UsageError(f"--area: {exc}") from None
    fields, values = unit_form(reg, area, as_of, edition)
    return _form(args.out, args.force, as_of.year, fields, values, edition)


def _areas(args: argparse.Namespace) -> int:
    """A province's units after 1/7/2025 and the crosswalk from the old ones, from the
    vietnam-provinces and vietnamadminunits packages (htxlib/inputs/admin_units.py)."""
    from htxlib.inputs.admin_units import package_versions, province_units
    from htxlib.render.areas import area_files, write_areas

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


def _report_problems(problems: Problems, show_all: bool = False) -> None:
    for line in format_problems(problems, None if show_all else 50):
        print(line, file=sys.stderr)


def _open(data: Path | None):
    from htxlib.inputs.registry import open_registry

    return open_registry(data)


def _validate(args: argparse.Namespace) -> int:
    from htxlib.render.csvfile import for_people, write_csv

    guard_output(args.problems, args.data)
    reg = _open(args.data)
    if args.as_of and reg.ok:
        _check_estimates(reg, as_date(args.as_of, _as_of_word()))
    _report_problems(reg.problems, args.all)
    if args.problems:
        write_csv(for_people(reg.problems.frame(), "problems"), args.problems)
    print(reg.problems.tally())
    if not reg.ok:
        print(messages()["summary"]["blocked"])
        return EXIT_DATA
    if args.as_of:
        _warn_coverage(reg, as_date(args.as_of, _as_of_word()), None)
    print(reg.summary())
    return EXIT_OK


def _check_estimates(reg, as_of) -> None:  # noqa: ANN001
    """The office's estimates against the figures to the as-of date (warnings)."""
    from htxlib.indicators.checks import estimate_problems

    reg.problems.extend(estimate_problems(reg, as_of))


def _warn_coverage(reg, as_of, area: str | None) -> None:  # noqa: ANN001
    from htxlib.inputs.scope import coverage_problem

    if problem := coverage_problem(reg, as_of, area):
        print(f"{messages()['severity']['warning']}: {problem}", file=sys.stderr)


def _indicators(args: argparse.Namespace) -> int:
    from htxlib.indicators import indicator_table
    from htxlib.indicators.checks import estimate_problems
    from htxlib.inputs.scope import latest_actual, pick_area
    from htxlib.render.indicators import write_indicators

    guard_output(args.out, args.data)
    reg = _open(args.data)
    if not reg.ok:
        _report_problems(reg.problems)
        print(messages()["summary"]["blocked"], file=sys.stderr)
        return EXIT_DATA
    as_of = latest_actual(reg) if args.as_of is None else as_date(args.as_of, _as_of_word())
    try:
        area = pick_area(reg.areas, args.area, when=as_of) if args.area else None
    except ScopeError as exc:
        raise UsageError(f"--area: {exc}") from None
    _warn_coverage(reg, as_of, area)
    checked = estimate_problems(reg, as_of)
    _report_problems(checked)
    table = indicator_table(reg, as_of, area=area, history=args.history,
                            all_breakdowns=args.all_breakdowns)
    write_indicators(table, args.format, args.out)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
