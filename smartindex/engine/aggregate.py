"""Aggregators: weighted means of children, all parents of a level at once.

Signature ``f(x, w, **params) -> ndarray``: ``x`` is rows x children (NaN = missing),
``w`` a children x parents weight matrix (0 where a child does not belong to the
parent).  Both may carry leading batch axes (replications): ``x @ w`` broadcasts.
Missing children are skipped and weights renormalised over present ones (Griffinger's
mean of available values; COINr's ``a_amean`` with NA dropped).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def present_weight(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Sum of weights of present children per row and parent."""
    return (~np.isnan(x)).astype(float) @ w


def _wmean(t: np.ndarray, x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Σ w·t / Σ w over present children (t is a transform of x)."""
    num = np.where(np.isnan(x), 0.0, t) @ w
    with np.errstate(divide="ignore", invalid="ignore"):
        return num / present_weight(x, w)


def arithmetic(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Σ wᵢxᵢ / Σ wᵢ."""
    return _wmean(x, x, w)


def geometric(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """exp(Σ wᵢ ln xᵢ / Σ wᵢ); needs x > 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.exp(_wmean(np.log(x), x, w))


def harmonic(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Σ wᵢ / Σ (wᵢ/xᵢ); needs x > 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return 1.0 / _wmean(1.0 / x, x, w)


def generalised(x: np.ndarray, w: np.ndarray, p: float = 1.0) -> np.ndarray:
    """(Σ wᵢxᵢᵖ / Σ wᵢ)^(1/p); p = 1 arithmetic, -1 harmonic, 0 geometric."""
    if p == 0:
        return geometric(x, w)
    with np.errstate(divide="ignore", invalid="ignore"):
        return _wmean(x**p, x, w) ** (1.0 / p)


AGGREGATORS: dict[str, Callable[..., np.ndarray]] = {
    "arithmetic": arithmetic,
    "geometric": geometric,
    "harmonic": harmonic,
    "generalised": generalised,
}
"""Registry of aggregators by name (the ``method`` key of ``[aggregate]``)."""


def needs_positive(name: str, p: float = 1.0) -> bool:
    """True when the aggregator needs strictly positive inputs."""
    return name in {"geometric", "harmonic"} or (name == "generalised" and p <= 0)


def with_shift(fn: Callable[..., np.ndarray], shift: float) -> Callable[..., np.ndarray]:
    """Aggregate x + shift, then subtract the shift: M(x + s) - s (scale kept for constants)."""

    def shifted(x: np.ndarray, w: np.ndarray, **params: float) -> np.ndarray:
        return fn(x + shift, w, **params) - shift

    return shifted
