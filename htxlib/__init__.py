"""htxlib: the documents a province or commune writes on the collective economy, from
its cooperatives' records or its communes' forms.

The public API (each name loaded when first used, so ``htx --help`` stays quick)::

    from htxlib import Session, indicator_table, open_registry

    session = Session.open(data="data/sample/ba-to", year=2025, as_of="10/6/2024")
    session.table("xã Ba Vì")        # the indicator table of an area and its units
    session.facts("xã Ba Vì")        # what its documents say, from that table
    session.report("xã Ba Vì")       # its report tree (htxlib.render writes it)

``open_registry`` opens and checks data without computing anything; ``indicator_table``
computes the table of a registry at a date.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_PUBLIC = {"Session": "htxlib.session", "open_registry": "htxlib.inputs.registry",
           "Registry": "htxlib.inputs.registry", "indicator_table": "htxlib.indicators"}

__all__ = sorted(_PUBLIC)


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        return getattr(import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'htxlib' has no attribute {name!r}")
