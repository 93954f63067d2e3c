"""Where a report comes from: the htxlib version and the git commit of its checkout,
printed in every output (HTML footer, Word properties, Excel cover) and the manifest."""

from __future__ import annotations

import hashlib
import subprocess
from functools import cache
from importlib.metadata import PackageNotFoundError, version

from htxlib.config import PROJECT_DIR


def htxlib_version() -> str:
    try:
        return version("htxlib")
    except PackageNotFoundError:
        return "0+unknown"


@cache
def git_commit() -> str:
    """The commit of the htxlib checkout, when it is one ("" otherwise)."""
    try:
        out = subprocess.run(["git", "-C", str(PROJECT_DIR), "rev-parse", "HEAD"],
                             capture_output=True, text=True, timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout.strip() if out.returncode == 0 else ""


@cache
def source_fingerprint() -> str:
    """A hash of htxlib's own sources and resources (.py, .yaml): what it computes from
    the same input changes only when this does (caches are keyed by it; it also tells an
    edited checkout from its commit)."""
    from htxlib.config import PACKAGE_DIR

    h = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.suffix in (".py", ".yaml") and path.is_file():
            h.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]
