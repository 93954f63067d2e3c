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

import pandas as pd

from htxlib import fmt
from htxlib.errors import EXIT_DATA, EXIT_INPUT, EXIT_OK, EXIT_STOPPED, HtxError, explain
from htxlib.fileio import atomic_path, guard_output
from htxlib.glossary import labels, message, messages, resource, sheets
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

    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        if prefix is None:  # argparse passes "" when it builds a subcommand's name
            prefix = resource("cli.yaml")["usage"]
        super().add_usage(usage, actions, groups, prefix)


def _parser() -> argparse.ArgumentParser:
    """The parser, built from the commands and help texts of resources/cli.yaml."""
    words = resource("cli.yaml")

    def parser_with_help(make, *args, **kwargs):
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
    except Exception as exc:  # every error becomes a paragraph (htxlib.errors)
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

    if args.jobs is not None and args.jobs < 1:
        raise UsageError(message("batch_jobs", value=args.jobs))
    if args.executor == "dask" and not args.scheduler:
        raise UsageError(message("batch_scheduler"))
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

    if args.submission:
        return _form(args.out, args.force, int(args.year or dt.date.today().year),
                     {"unit_name": args.area}, edition=_edition(args.edition))
    path = write_template(args.out, force=args.force)
    print(path)
    return EXIT_OK


def _form(out: Path, force: bool, n: int, fields: dict, values: dict | None = None,
          edition: str = "plan") -> int:
    from htxlib.render.submission import write_form

    if out.exists() and not force:
        raise UsageError(message("output_exists", path=out))
    print(write_form(out, n, fields, values, edition))
    return EXIT_OK


def _edition(text: str) -> str:
    """The edition --edition names (a usage error naming the choices otherwise)."""
    from htxlib.report.edition import find, known

    edition = find(text)
    if edition is None:
        raise UsageError(message("param_edition", value=text, known=", ".join(known())))
    return edition.key


def _edition_date(key: str, as_of: dt.date) -> None:
    """A form's date must fall in its edition's period (a six-month form: January-June)."""
    from htxlib.report.edition import editions

    doc = editions()[key]
    year = as_of.year - doc.assessed  # the year in the title of the document it feeds
    if not doc.allows(as_of, year):
        last = doc.last_day(year)
        raise UsageError(message("param_as_of_edition", as_of=fmt.date(as_of),
                                 document=doc.label.format(year=year), n=doc.n(year),
                                 last=fmt.date(last)))


def _submission(args: argparse.Namespace) -> int:
    """A unit's own form, filled from the data: a commune sends it up, a province too."""
    from htxlib.indicators import indicator_table
    from htxlib.inputs.scope import pick_area
    from htxlib.render.submission import values_from_table

    reg = _open(args.data)
    if not reg.ok:
        _report_problems(reg.problems)
        print(messages()["summary"]["blocked"], file=sys.stderr)
        return EXIT_DATA
    as_of = as_date(args.as_of, _as_of_word())
    edition = _edition(args.edition)
    _edition_date(edition, as_of)
    try:
        area = pick_area(reg.areas, args.area, when=as_of)
    except ScopeError as exc:
        raise UsageError(f"--area: {exc}") from None
    table = indicator_table(reg, as_of, area=area, history=False,
                            same_period=edition == "mid-year")
    names = dict(zip(reg.areas.frame["code"], reg.areas.display_names(), strict=True))
    fields = {"unit_name": names[area], "unit_code": area, "as_of": as_of,
              "filled_on": dt.date.today()}
    return _form(args.out, args.force, as_of.year, fields,
                 values_from_table(table, area, as_of.year, as_of), edition)


def _areas(args: argparse.Namespace) -> int:
    """A province's units after 1/7/2025 and the crosswalk from the old ones, from the
    vietnam-provinces and vietnamadminunits packages (htxlib/inputs/admin_units.py)."""
    from htxlib.inputs.admin_units import package_versions, province_units
    from htxlib.render.unit_list import write_areas

    try:
        areas, crosswalk = province_units(args.province)
    except ValueError as exc:
        raise UsageError(f"--province: {exc}") from None
    xlsx = args.out.suffix.lower() == ".xlsx"
    targets = [args.out] if xlsx else [args.out / sheets()[s].file for s in ("areas", "crosswalk")]
    for target in targets:
        if target.exists() and not args.force:
            raise UsageError(message("output_exists", path=target))
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
    summary = messages()["summary"]
    errors, warnings = reg.problems.count("error"), reg.problems.count("warning")
    print(summary["counts"].format(errors=fmt.number(errors, 0), warnings=fmt.number(warnings, 0)))
    if errors:
        print(summary["blocked"])
        return EXIT_DATA
    if args.as_of:
        _warn_coverage(reg, as_date(args.as_of, _as_of_word()), None)
    forms = reg.submissions.drop_duplicates(["file", "unit_code", "as_of"])
    print(summary["ok"].format(n_orgs=fmt.number(len(reg.organisations), 0),
                               n_records=fmt.number(len(reg.records), 0))
          + (summary["forms"].format(n=fmt.number(len(forms), 0)) if len(forms) else ""))
    return EXIT_OK


def _as_of(text: str | None, records: pd.DataFrame) -> pd.Timestamp:
    if text is None:
        actual = records.loc[records["record_kind"] != "estimate", "ref_date"]
        if actual.dropna().empty:
            raise UsageError(resource("cli.yaml")["no_actual"])
        return pd.Timestamp(actual.max())
    return pd.Timestamp(as_date(text, _as_of_word()))


def _check_estimates(reg, as_of) -> None:
    """The office's estimates against the figures to the as-of date (warnings)."""
    from htxlib.indicators.checks import estimate_problems

    reg.problems.extend(estimate_problems(reg, as_of))


def _warn_coverage(reg, as_of, area: str | None) -> None:
    from htxlib.inputs.scope import coverage_problem

    if problem := coverage_problem(reg, as_of, area):
        print(f"{messages()['severity']['warning']}: {problem}", file=sys.stderr)


def _indicators(args: argparse.Namespace) -> int:
    from htxlib.indicators import indicator_table
    from htxlib.indicators.checks import estimate_problems
    from htxlib.inputs.scope import pick_area
    from htxlib.render.csvfile import for_people, write_csv

    guard_output(args.out, args.data)
    reg = _open(args.data)
    if not reg.ok:
        _report_problems(reg.problems)
        print(messages()["summary"]["blocked"], file=sys.stderr)
        return EXIT_DATA
    as_of = _as_of(args.as_of, reg.records)
    try:
        area = pick_area(reg.areas, args.area, when=as_of) if args.area else None
    except ScopeError as exc:
        raise UsageError(f"--area: {exc}") from None
    _warn_coverage(reg, as_of.date(), area)
    checked = estimate_problems(reg, as_of.date())
    _report_problems(checked)
    table = indicator_table(reg, as_of.date(), area=area, history=args.history,
                            all_breakdowns=args.all_breakdowns)
    if args.format == "csv":
        write_csv(for_people(table, "indicators"), args.out)
    else:
        text = _as_text(table)
        if args.out:
            with atomic_path(args.out) as tmp:
                tmp.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
    return EXIT_OK


def _as_text(table: pd.DataFrame) -> str:
    """A readable table in Vietnamese formats, for a terminal."""
    heads = labels()["table"]
    show = table[list(heads)].copy()
    show["period"] = [fmt.date(p) if len(p) == 10 else p for p in show["period"].astype(str)]
    show["kind"] = show["kind"].map(labels()["kind"])
    show["value"] = [fmt.number(v, 2) for v in show["value"]]
    for col in ("change_pct", "target_pct"):
        show[col] = [fmt.number(v, 1) for v in show[col]]
    return show.rename(columns=heads).to_string(index=False) + "\n"


if __name__ == "__main__":
    sys.exit(main())
