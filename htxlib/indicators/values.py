"""The dense form of the indicator table, shared by its builders (``indicators``,
``estimates``): arrays by period, unit and code, NaN meaning no data."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from htxlib.indicators import measures as ms
from htxlib.indicators.cube import Layout


@dataclass
class Values:
    """The dense form of the table: NaN means no data."""

    periods: pd.DataFrame
    layout: Layout
    codes: list[str]
    totals: np.ndarray  # [period, unit, code]
    parts: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)  # [period, unit, k]
    present: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)
    denominators: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)
    not_provided: list[int] = field(default_factory=list)  # codes the data say nothing of
    quiet: list[int] = field(default_factory=list)  # codes shown for the reporting area only
    stated: list[tuple[int, int, int]] = field(default_factory=list)  # office estimates
    followed: list[tuple[int, int, int]] = field(default_factory=list)  # sums of stated parts
    told: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)  # stated parts
    # what the tables of many areas share, computed on first use (``byorg``'s measures)
    memo: dict = field(default_factory=dict, repr=False, compare=False)


def categories(dim: str, layout: Layout) -> tuple[str, ...]:
    return {"type": layout.types, "sector": layout.sectors, "training": tuple(ms.TRAINING_LEVELS),
            "policy_group": layout.groups}[dim]
