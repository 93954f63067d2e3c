"""The ``htx`` command: one module per command (template, submission, areas, validate,
indicators, narrative, report, batch), each declaring its arguments (``add_arguments``,
their help in resources/cli.yaml) beside its ``run``; the rules they apply are the
library's, so the notebook and the batch apply the same.

Exit status: 0 success (warnings allowed), 1 data errors, 2 input that cannot be read
or a bad argument, 3 an internal fault (reported in one paragraph, never a traceback;
set HTX_DEBUG=1 to see it), 130 interrupted.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from htxlib.cli import (
    areas,
    batch,
    indicators,
    narrative,
    report,
    submission,
    template,
    validate,
)
from htxlib.cli.parser import build_parser
from htxlib.errors import EXIT_OK, EXIT_STOPPED, explain
from htxlib.glossary import resource

# the commands, in the order of ``htx -h``; a module's name is its command's
COMMANDS = {module.__name__.rpartition(".")[2]: module for module in (
    template, submission, areas, validate, indicators, narrative, report, batch)}


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``htx`` with ``argv`` (None: the process's arguments); the exit status."""
    args = build_parser(COMMANDS).parse_args(argv)
    try:
        return COMMANDS[args.command].run(args)
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
