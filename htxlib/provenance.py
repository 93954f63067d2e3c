"""Where a report comes from: the htxlib version and the git commit of its checkout,
printed in every output (HTML footer, Word properties, Excel cover) and the manifest."""

from __future__ import annotations

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
