"""The Vietnamese words of the generator, read once from ``resources/synth.yaml``."""

from __future__ import annotations

from functools import cache
from typing import Any

from htxlib.glossary import _resource


@cache
def vocab() -> dict[str, Any]:
    """Name parts, unit kinds, company words and target texts (see the YAML file)."""
    return _resource("synth.yaml")
