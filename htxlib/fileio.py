"""Atomic file output: a failed run never leaves a half-written file in place."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from htxlib.errors import HtxError


@contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; move it over ``target`` only on success."""
    target = Path(target)
    if any(p.exists() and not p.is_dir() for p in target.parents):  # mkdir would say EEXIST
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    umask = os.umask(0)
    os.umask(umask)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o666 & ~umask)  # mkstemp makes 0600; give the usual mode
        os.replace(tmp_path, target)
    finally:
        tmp_path.unlink(missing_ok=True)


def write_text_atomic(target: str | os.PathLike[str], text: str) -> None:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


class OutputExists(HtxError, FileExistsError):
    """A file the user may have edited is already at the output path: nothing is written
    (exit 2; its message is ``strerror``)."""

    def paragraph(self) -> str:
        return self.strerror or str(self)


def refuse_existing(paths: list[Path], force: bool) -> None:
    """Raise ``OutputExists`` for the first of ``paths`` already there, unless ``force``: no
    file a user may have filled in is overwritten without being asked to."""
    if force:
        return
    from htxlib.glossary import message

    for path in paths:
        if path.exists():
            raise OutputExists(errno.EEXIST, message("output_exists", path=path), str(path))


def os_reason(exc: OSError) -> str:
    """Why the system refused a read or write, in Vietnamese (messages.yaml ``os_errors``)."""
    from htxlib.glossary import messages

    name = errno.errorcode.get(exc.errno or 0, "")
    return messages()["os_errors"].get(name) or exc.strerror or str(exc)


class OutputError(HtxError, ValueError):
    """An output that must not be written (message in Vietnamese; exit 2)."""


def guard_output(out: Path | None, data: Path | None) -> None:
    """Refuse to write over the input: the workbook itself, or a sheet's CSV in its folder."""
    if out is None:
        return
    from htxlib.config import SAMPLE_DIR
    from htxlib.glossary import message, sheets

    source = Path(data or SAMPLE_DIR).resolve()
    target = Path(out).resolve()
    files = {s.file for s in sheets().values()}
    if target == source or (source.is_dir() and target.parent == source and target.name in files):
        raise OutputError(message("output_is_input", path=out, what=source))


# Characters Windows refuses in a file name (and "/" everywhere), and its reserved device
# names, which no extension makes usable (CON.txt is CON).
_UNSAFE = frozenset('/\\<>:"|?*')
_RESERVED = frozenset({"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
                       *(f"{d}{i}" for d in ("COM", "LPT") for i in "123456789¹²³")})
NAME_LIMIT = 120  # characters: room for the folder it sits in within Windows' 260


def safe_name(name: str, taken: set[str] | None = None) -> str:
    """A readable file or folder name from ``name`` that every system accepts: letters
    (Vietnamese ones kept, NFC), digits and punctuation as written; ``/ \\ < > : " | ? *``
    and control or invisible characters as "_"; no reserved device name (CON, NUL, COM1…),
    no trailing dot or space, at most NAME_LIMIT characters. Two names that come out the
    same get a suffix "-2", "-3"… when ``taken`` is given: the names already used in the
    folder, case-folded (Windows and macOS ignore case), to which the result is added."""
    import unicodedata

    text = unicodedata.normalize("NFC", str(name))
    text = "".join("_" if ch in _UNSAFE or not (ch.isprintable() or ch == " ") else ch
                   for ch in text)
    text = " ".join(text.split())[:NAME_LIMIT].rstrip(". ") or "_"
    if text.split(".")[0].rstrip().upper() in _RESERVED:
        text = f"_{text}"
    if taken is None:
        return text
    out, n = text, 1
    while out.casefold() in taken:
        n += 1
        out = f"{text[: NAME_LIMIT - len(str(n)) - 1]}-{n}"
    taken.add(out.casefold())
    return out
