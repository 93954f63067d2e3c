"""``htx narrative`` and ``htx report``: the two commands of the annual plan.

Errors reach ``htxlib.cli.main``, which says them (``htxlib.errors.explain``): 1 data
errors, 2 a bad parameter, narrative file or output, 3 anything else.
"""

from __future__ import annotations

import argparse
import sys

from htxlib import fmt
from htxlib.fileio import guard_output, os_reason, write_text_atomic
from htxlib.glossary import message, messages
from htxlib.report.params import ParamError, check
from htxlib.report.writeup import drafts, sections, skeleton
from htxlib.run.notebook import run_report


def narrative(args: argparse.Namespace) -> int:
    """Write a new narrative file with every heading and draft sentences from the data."""
    from htxlib.session import Session

    params = check(data=args.data or "", year=args.year, area=args.area, as_of=args.as_of,
                   edition=args.edition)
    guard_output(args.out, args.data)
    if args.out.exists() and not args.force:
        raise ParamError(message("narrative_exists", path=args.out))
    session = Session.open(params)
    facts = session.facts()
    text = skeleton(facts, params.edition, params.year)
    try:
        write_text_atomic(args.out, text)
    except OSError as exc:
        print(message("param_out", path=args.out, detail=os_reason(exc)), file=sys.stderr)
        return 2
    print(message("narrative_written", path=args.out, n=len(sections(params.edition)),
                  drafts=drafts(text)))
    _say_warnings(*session.warnings(facts), args.data)
    return 0


def _say_warnings(n: int, lines: tuple[str, ...], data: object) -> None:
    """The data's warnings after a run that went on despite them (on standard error)."""
    if not n:
        return
    print(message("report_warnings", n=fmt.number(n, 0), data=data or ""), file=sys.stderr)
    for line in lines:
        print(f"  {line}", file=sys.stderr)


def report(args: argparse.Namespace) -> int:
    """Run the report notebook and write HTML, Word and Excel (``--format``), the executed
    notebook and the manifest."""
    params = check(data=args.data or "", year=args.year, area=args.area, as_of=args.as_of,
                   narrative=args.narrative or "", formats=args.format, edition=args.edition)
    result = run_report(params, args.out)
    what = messages()["report_file"]
    lines = [f"  {f.name}: {what[f.suffix[1:]]} ({fmt.number(f.stat().st_size / 1024, 0)} KB)"
             for f in [*result.files, result.notebook, result.manifest]]
    print(message("report_done", out=result.manifest.parent, files="\n".join(lines),
                  seconds=fmt.number(result.seconds, 1)))
    _say_warnings(result.n_warnings, result.warnings, args.data)
    return 0
