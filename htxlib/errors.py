"""One error path: every error a user can act on is an ``HtxError``, with its exit status
and its message in Vietnamese; ``explain`` turns any exception into one paragraph and a
status, for the command line, the batch's workers and a report's notebook alike.

Exit statuses: 0 done, 1 the data have errors, 2 a bad input, parameter, narrative file or
output, 3 an internal error (a fault of htx: the one status no user input may cause), 130
stopped by Ctrl-C. An error raised inside a notebook's kernel reaches the caller by its
class name only (``status_of``).
"""

from __future__ import annotations

import re
import traceback

from htxlib.config import setting

EXIT_OK, EXIT_DATA, EXIT_INPUT, EXIT_BUG, EXIT_STOPPED = 0, 1, 2, 3, 130


class HtxError(Exception):
    """An error a user can act on; its text is Vietnamese."""

    exit_status = EXIT_INPUT

    def paragraph(self) -> str:
        """What the user reads (the message, with any lead-in of its kind)."""
        return str(self)


def _classes(base: type = HtxError) -> dict[str, type]:
    out = {base.__name__: base}
    for sub in base.__subclasses__():
        out.update(_classes(sub))
    return out


def status_of(name: str) -> int:
    """The exit status of the error class called ``name`` (as papermill reports an error
    raised in the notebook): an ``HtxError``'s own, 2 for a refused read or write, 3 for
    any other name."""
    found = _classes().get(name)
    if found is not None:
        return found.exit_status
    return EXIT_INPUT if name in _classes(OSError) else EXIT_BUG


def explain(exc: BaseException, command: str = "", goes_on: bool = False) -> tuple[str, int]:
    """The paragraph a user reads for ``exc`` and the exit status: htx's own errors say
    what went wrong; a refused read or write names the path and the system's reason; any
    other is an internal error of ``command`` (its traceback on standard error when
    HTX_DEBUG is set), said as one the run ``goes_on`` after (a batch's area) or not."""
    from htxlib.fileio import os_reason
    from htxlib.glossary import message, resource

    if isinstance(exc, HtxError):
        return exc.paragraph(), exc.exit_status
    if isinstance(exc, OSError):
        return message("os_error", path=exc.filename or "", reason=os_reason(exc)), EXIT_INPUT
    if setting("HTX_DEBUG"):
        traceback.print_exception(exc)
    if goes_on:
        return message("batch_internal", name=type(exc).__name__, detail=exc), EXIT_BUG
    return resource("cli.yaml")["internal_error"].format(
        command=command or "htx", name=type(exc).__name__, detail=exc), EXIT_BUG


def one_paragraph(text: str) -> str:
    """``text`` on one line (a batch's index and log hold one line per area)."""
    return re.sub(r"\s+", " ", text).strip()
