"""``from htxlib.registry import open_registry``, as the README has always shown it; the
code is in ``htxlib.inputs.registry``."""

from htxlib.inputs.registry import Registry, open_registry

__all__ = ["Registry", "open_registry"]
