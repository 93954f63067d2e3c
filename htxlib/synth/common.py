"""Shared constants and helpers: random draws, enumeration labels and text formatting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd

from htxlib.glossary import enums

N_PROVINCES = 63
TYPES = ("THT", "HTX", "LHHTX")


def labels(enum: str, codes: Sequence[str]) -> list[str]:
    table = enums()[enum]
    return [table[c]["label"] for c in codes]


def categorical(enum: str, codes: Sequence[str], index: np.ndarray) -> pd.Categorical:
    """Labels of ``enum`` for positions ``index`` into ``codes`` (-1 gives a blank)."""
    return pd.Categorical.from_codes(np.asarray(index, dtype=np.int64), labels(enum, codes))


def yes_no(values: np.ndarray, present: np.ndarray | None = None) -> pd.Categorical:
    index = np.where(values, 0, 1)
    if present is not None:
        index = np.where(present, index, -1)
    return categorical("yes_no", ("yes", "no"), index)


def lognormal(rng: np.random.Generator, mean: float, sigma: float, n: int) -> np.ndarray:
    """Log-normal draws with the given arithmetic mean."""
    return rng.lognormal(np.log(mean) - sigma**2 / 2, sigma, n)


def pick(rng: np.random.Generator, shares: dict[str, float], n: int) -> np.ndarray:
    p = np.array(list(shares.values()), dtype=float)
    return rng.choice(len(p), size=n, p=p / p.sum())


def count(values: np.ndarray, present: np.ndarray | None = None) -> pd.Series:
    """Whole numbers >= 0 as a nullable integer column."""
    out = pd.array(np.maximum(np.rint(values), 0).astype(np.int64), dtype="Int64")
    if present is not None:
        out[~np.asarray(present, dtype=bool)] = pd.NA
    return pd.Series(out)


def fmt_number(values: np.ndarray, present: np.ndarray | None = None) -> np.ndarray:
    """Numbers the Vietnamese way: whole below 100 with one decimal comma ("12,5")."""
    x = np.asarray(values, dtype=float)
    filled = np.nan_to_num(x)
    tenths = np.where(np.abs(filled) >= 100, np.rint(filled) * 10, np.rint(filled * 10))
    tenths = tenths.astype(np.int64)
    mag = np.abs(tenths)
    whole = pd.Series(mag // 10).astype(str)
    frac = mag % 10
    text = whole.where(frac == 0, whole + "," + pd.Series(frac).astype(str))
    text = pd.Series(np.where(tenths < 0, "-", "")) + text
    out = text.to_numpy(dtype=object)
    missing = np.isnan(x) if present is None else ~np.asarray(present, dtype=bool) | np.isnan(x)
    out[missing] = None
    return out


def fmt_dates(days: np.ndarray) -> np.ndarray:
    """Day numbers since 1970-01-01 as dd/mm/yyyy (NaN or negative sentinel gives blank)."""
    days = np.asarray(days)
    valid = days >= 0
    uniq, inv = np.unique(np.where(valid, days, 0).astype(np.int64), return_inverse=True)
    text = pd.to_datetime(uniq, unit="D").strftime("%d/%m/%Y").to_numpy(dtype=object)
    out = text[inv]
    out[~valid] = None
    return out


def day(date: dt.date) -> int:
    """Day number since 1970-01-01."""
    return (date - dt.date(1970, 1, 1)).days
