"""Stage 2: the indicator table, the seam between data and reports.

``measures`` (per-organisation values) → ``cube`` (summed by unit) → ``table``
(the long table; ``byorg`` adds rows by organisation). The names analysts use are
importable from here: ``from htxlib.indicators import indicator_table``.
"""

from htxlib.indicators.table import (
    TABLE_COLUMNS,
    Values,
    additive,
    area_table,
    derive,
    indicator_table,
    indicator_values,
)

__all__ = ["TABLE_COLUMNS", "Values", "additive", "area_table", "derive", "indicator_table",
           "indicator_values"]
