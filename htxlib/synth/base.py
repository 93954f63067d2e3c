"""Latent per-organisation levels (members, workers, revenue...) that the records scale.

Averages follow the domain guide (§10): 175 members, 27 regular workers, 3-5 managers,
3,550 million VND revenue and 59 million VND income per worker and year for an average HTX.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from htxlib.glossary import enums
from htxlib.synth.common import TYPES, lognormal
from htxlib.synth.orgs import Orgs

TRAINING = tuple(lvl for lvl in enums()["training_level"] if lvl != "unknown")
TRAINING_SHARES = {  # managers by training level (§10: 46.6% elementary or intermediate,
    # 24.7% college or university)
    "THT": (0.70, 0.20, 0.07, 0.01, 0.02),
    "HTX": (0.287, 0.25, 0.216, 0.08, 0.167),
    "LHHTX": (0.05, 0.15, 0.30, 0.10, 0.40),
}


@dataclass
class Base:
    """Per-organisation levels at the as-of year; records scale them by year."""

    members: np.ndarray
    workers: np.ndarray
    seasonal: np.ndarray
    revenue: np.ndarray
    margin: np.ndarray
    income: np.ndarray
    capital: np.ndarray
    growth: np.ndarray
    managers: np.ndarray
    training: np.ndarray  # (n, 5)
    key: np.ndarray
    z: np.ndarray  # standard normal: lasting quality (rating)
    u: np.ndarray  # (n, 12) uniform draws for yes/no traits and shares, one column each


def _by_type(type_idx: np.ndarray, tht: np.ndarray, htx: np.ndarray,
             lhhtx: np.ndarray) -> np.ndarray:
    return np.select([type_idx == 0, type_idx == 1], [tht, htx], lhhtx)


def make_base(rng: np.random.Generator, orgs: Orgs) -> Base:
    """Latent per-organisation sizes (members, workers, revenue...)."""
    t, n = orgs.type, len(orgs.type)
    credit = orgs.sector == "credit_fund"
    members = _by_type(t, np.maximum(lognormal(rng, 15, 0.6, n), 2),
                       np.maximum(lognormal(rng, 150, 1.2, n), 7), rng.integers(3, 16, n))
    members = np.where(credit, lognormal(rng, 1300, 0.6, n), members)
    workers = _by_type(t, np.minimum(lognormal(rng, 13, 0.6, n), members),
                       lognormal(rng, 42, 1.0, n), lognormal(rng, 20, 0.7, n))
    seasonal = lognormal(rng, 15, 1.2, n) * (rng.random(n) < _by_type(t, 0.6, 0.7, 0.8))
    revenue = _by_type(t, lognormal(rng, 400, 1.0, n), lognormal(rng, 4300, 1.4, n),
                       lognormal(rng, 12000, 1.0, n))
    managers = _by_type(t, rng.choice([1, 2, 3], n, p=[0.6, 0.3, 0.1]),
                        rng.choice([3, 4, 5, 6, 7], n, p=[0.4, 0.35, 0.18, 0.05, 0.02]),
                        rng.integers(5, 10, n))
    training = np.zeros((n, len(TRAINING)), dtype=np.int64)
    for k, name in enumerate(TYPES):
        mask = t == k
        training[mask] = rng.multinomial(managers[mask], TRAINING_SHARES[name])
    return Base(members=members, workers=workers, seasonal=seasonal, revenue=revenue,
                margin=rng.normal(0.10, 0.07, n),
                income=_by_type(t, lognormal(rng, 42, 0.3, n), lognormal(rng, 59, 0.3, n),
                                lognormal(rng, 75, 0.3, n)),
                capital=_by_type(t, np.zeros(n), lognormal(rng, 1500, 1.2, n) * (1 + 4 * credit),
                                 lognormal(rng, 5000, 1.0, n)),
                growth=rng.normal(0.03, 0.04, n), managers=managers, training=training,
                key=np.minimum(managers, rng.integers(1, 5, n)), z=rng.standard_normal(n),
                u=rng.random((n, 12)))

