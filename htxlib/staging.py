"""A run's outputs, all or nothing: written into a staging folder inside the output folder,
then moved into place together.

``commit`` first moves every file the run replaces aside, into the staging folder's
``BACKUP`` folder, then moves the new files in, each by one rename on the same disk. When
a move fails, the new files are moved back out and the previous ones back in, and
``CommitError`` says whether that worked. A run killed meanwhile leaves its staging folder
with a journal (the names it was moving): the next run into the same folder moves the
previous files back the same way. Staging folders of runs that are over (their process is
gone; made on another host, or by an unknown owner, more than ``STALE_SECONDS`` ago) are
removed by the next run; a running one's never.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import socket
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from htxlib.fileio import OutputError, os_reason

PREFIX = ".htx-run-"  # staging folders: .htx-run-<random>
OWNER = ".owner.json"  # in a staging folder: the process, host and time that made it
JOURNAL = ".moving.json"  # in a staging folder while its files are being moved
BACKUP = ".previous"  # in a staging folder: the files being replaced, moved aside
STALE_SECONDS = 6 * 3600  # a staging folder of another host (or unknown owner) this old is over


class CommitError(OutputError):
    """A move into the output folder failed (message in Vietnamese; exit 2). ``restored``:
    the previous files are back in place, and no new one is there."""

    def __init__(self, path: Path, exc: OSError, out: Path, backup: Path | None) -> None:
        from htxlib.glossary import message

        self.out, self.backup, self.restored = out, backup, backup is None
        self.reason = message("outputs_not_moved", path=path, reason=os_reason(exc))
        self.outcome = (message("outputs_restored", out=out) if backup is None else
                        message("outputs_not_restored", backup=backup, out=out))
        super().__init__(f"{self.reason} {self.outcome}")


def make_stage(out: Path) -> Path:
    """A new staging folder inside ``out`` (which must exist), recording its owner; the
    staging folders of runs that are over are removed first."""
    clean_stale(out)
    stage = Path(tempfile.mkdtemp(prefix=PREFIX, dir=out))
    owner = {"pid": os.getpid(), "host": socket.gethostname(), "started": time.time()}
    (stage / OWNER).write_text(json.dumps(owner), encoding="utf-8")
    return stage


def commit(stage: Path, names: list[str], out: Path) -> list[Path]:
    """Move ``stage/<name>`` to ``out/<name>`` for every name, all or none (CommitError
    when a move fails). Returns the final paths, in order."""
    backup, current = stage / BACKUP, out
    try:
        (stage / JOURNAL).write_text(json.dumps(names, ensure_ascii=False), encoding="utf-8")
        backup.mkdir()
        for name in names:
            current = out / name
            if current.is_dir() and not current.is_symlink():  # not ours to replace
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(current))
            if os.path.lexists(current):
                os.replace(current, backup / name)
        for name in names:
            current = out / name
            os.replace(stage / name, current)
    except OSError as exc:
        left = rollback(stage, names, out)
        if not left:
            (stage / JOURNAL).unlink(missing_ok=True)
        raise CommitError(current, exc, out, backup if left else None) from None
    (stage / JOURNAL).unlink()
    return [out / name for name in names]


def rollback(stage: Path, names: list[str], out: Path) -> bool:
    """Undo a commit cut short: each new file moved in goes back to ``stage``, each
    previous file back from the backup. True when some file could not be put back."""
    backup, failed = stage / BACKUP, False
    for name in reversed(names):
        try:
            if not os.path.lexists(stage / name) and os.path.lexists(out / name):
                os.replace(out / name, stage / name)  # the new file, moved in
            if os.path.lexists(backup / name):
                os.replace(backup / name, out / name)
        except OSError:
            failed = True
    return failed


def discard(stage: Path) -> None:
    """Remove a staging folder, unless it still holds previous files not put back."""
    if not (stage / JOURNAL).exists():
        shutil.rmtree(stage, ignore_errors=True)


@contextmanager
def staged(out: Path) -> Iterator[Path]:
    """A staging folder inside ``out`` (made with its parents): the files written into it
    are moved into ``out`` together when the block ends without an error, else none."""
    out.mkdir(parents=True, exist_ok=True)
    stage = make_stage(out)
    try:
        yield stage
        names = sorted(p.name for p in stage.iterdir() if p.name not in (OWNER, BACKUP))
        commit(stage, names, out)
    finally:
        discard(stage)


def clean_stale(out: Path) -> list[Path]:
    """Remove the staging folders in ``out`` left by runs that are over, after putting
    back the previous files of a commit that was cut short. Returns those removed."""
    removed = []
    for folder in out.glob(f"{PREFIX}*"):
        if not folder.is_dir() or not _over(folder):
            continue
        with suppress(OSError, ValueError):
            names = json.loads((folder / JOURNAL).read_text(encoding="utf-8"))
            if rollback(folder, [str(n) for n in names], out):
                continue  # some previous file is still only there: keep it
            (folder / JOURNAL).unlink()
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def _over(folder: Path) -> bool:
    """Whether the run that made ``folder`` is over: on this host, whether its process is
    gone; else (another host, a shared folder; no owner recorded; Windows) whether the
    folder is older than STALE_SECONDS."""
    try:
        owner = json.loads((folder / OWNER).read_text(encoding="utf-8"))
        pid, host, started = int(owner["pid"]), str(owner["host"]), float(owner["started"])
    except (OSError, ValueError, KeyError, TypeError):
        try:
            pid, host, started = 0, "", folder.stat().st_mtime
        except OSError:
            return False
    if host == socket.gethostname() and pid and os.name != "nt":  # Windows: by age
        return not _alive(pid)
    return time.time() - started > STALE_SECONDS


def _alive(pid: int) -> bool:
    """Whether process ``pid`` runs on this machine (POSIX only: on Windows os.kill would
    end it)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it exists, another user's
        return True
    return True
