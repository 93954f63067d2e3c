"""House-style charts: the report's own and an analyst's.

``draw`` holds the drawing (the style sheet ``resources/htx.mplstyle``, Vietnamese
numbers, the source line); the report's charts (``htxlib.report.figures``) and an
analyst's (``plot_series``, ``plot_compare``, ``plot_breakdown`` over a session's
frames, in ``frames``) both go through it.
"""

from htxlib.plot.frames import plot_breakdown, plot_compare, plot_series

__all__ = ["plot_breakdown", "plot_compare", "plot_series"]
