"""htxlib: the documents a province or commune writes on the collective economy, from
its cooperatives' records or its communes' forms.

The public API, for Python and Jupyter (each name is loaded when first used, so ``htx
--help`` stays quick)::

    import htxlib

    s = htxlib.open_data("data/sample/ba-to-2025", as_of="30/9/2025")   # a Session
    s.indicators("Quảng Ngãi", main=True)     # the main indicators at the as-of date
    s.series("htx_count", "xã Ba Vì")          # a yearly series, estimates marked
    s.compare("htx_count", "Quảng Ngãi", periods=[2024, "30/9/2025"])   # its communes
    htxlib.vi(s.indicators("Quảng Ngãi"))     # any table in Vietnamese, for display
    htxlib.plot_compare(s.compare("htx_count", "Quảng Ngãi"))   # a chart, house style

A session also gives an area's ``facts``, its report's ``exhibits``, the ``units`` tree,
the ``forms`` sent and the ``checks`` (the problems ``htx validate`` finds).
``open_registry`` opens and checks data without computing anything; ``indicator_table``
computes the full table of a registry at a date. The reference is ``docs/api/``.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_PUBLIC = {"Session": "htxlib.session", "open_data": "htxlib.api.data",
           "open_registry": "htxlib.inputs.registry", "Registry": "htxlib.inputs.registry",
           "indicator_table": "htxlib.indicators", "vi": "htxlib.api.words",
           "main_indicators": "htxlib.api.cuts", "plot_series": "htxlib.plot",
           "plot_compare": "htxlib.plot", "plot_breakdown": "htxlib.plot"}

__all__ = sorted(_PUBLIC)


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        globals()[name] = value = getattr(import_module(_PUBLIC[name]), name)  # once
        return value
    raise AttributeError(f"module 'htxlib' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_PUBLIC})
