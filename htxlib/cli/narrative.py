"""``htx narrative``: a new narrative file (Markdown) with every heading of the document and
draft sentences from the data."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from htxlib.cli.parser import Arguments
from htxlib.cli.shared import document_arguments, say_warnings
from htxlib.errors import EXIT_INPUT, EXIT_OK
from htxlib.fileio import guard_output, os_reason, write_text_atomic
from htxlib.glossary import message
from htxlib.report.params import ParamError, check


def add_arguments(arg: Arguments) -> None:
    document_arguments(arg)
    arg.add("--out", type=Path, required=True)
    arg.add("--force", action="store_true")


def run(args: argparse.Namespace) -> int:
    from htxlib.report.writeup import drafts, sections, skeleton
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
        return EXIT_INPUT
    print(message("narrative_written", path=args.out, n=len(sections(params.edition)),
                  drafts=drafts(text)))
    say_warnings(*session.warnings(facts), args.data)
    return EXIT_OK
