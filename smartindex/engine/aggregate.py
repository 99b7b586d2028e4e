"""Aggregators: weighted means (and others) of children, all parents of a level at once.

Signature ``f(x, w, **params) -> ndarray``: ``x`` is rows x children (NaN = missing),
``w`` a children x parents weight matrix (0 where a child does not belong to the
parent).  Both may carry leading batch axes (replications): ``x @ w`` broadcasts.
Missing children are skipped and weights renormalised over present ones (Giffinger's
mean of available values; COINr's ``a_amean`` with NA dropped).

``copeland`` compares units with each other, so it must see one cross-section (one
year) at a time: it is listed in :data:`CROSS_SECTIONAL` and the callers apply it per
year block.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from smartindex.engine.types import BoolArray, FloatArray


def _mm(a: FloatArray, w: FloatArray) -> FloatArray:
    out: FloatArray = a @ w
    return out


def present_weight(x: FloatArray, w: FloatArray) -> FloatArray:
    """Sum of weights of present children per row and parent.

    Without missing values this is the column sum of ``w`` for every row (no product).
    """
    missing = np.isnan(x)
    if missing.any():
        return _mm((~missing).astype(float), w)
    shape = (*np.broadcast_shapes(x.shape[:-2], w.shape[:-2]), x.shape[-2], w.shape[-1])
    full: FloatArray = np.broadcast_to(w.sum(axis=-2, keepdims=True), shape)
    return full


def _wmean(t: FloatArray, x: FloatArray, w: FloatArray) -> FloatArray:
    """Σ w·t / Σ w over present children (t is a transform of x)."""
    num = _mm(np.where(np.isnan(x), 0.0, t), w) if np.isnan(x).any() else _mm(t, w)
    with np.errstate(divide="ignore", invalid="ignore"):
        out: FloatArray = num / present_weight(x, w)
    return out


def arithmetic(x: FloatArray, w: FloatArray) -> FloatArray:
    """Σ wᵢxᵢ / Σ wᵢ."""
    return _wmean(x, x, w)


def geometric(x: FloatArray, w: FloatArray) -> FloatArray:
    """exp(Σ wᵢ ln xᵢ / Σ wᵢ); needs x > 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out: FloatArray = np.exp(_wmean(np.log(x), x, w))
    return out


def harmonic(x: FloatArray, w: FloatArray) -> FloatArray:
    """Σ wᵢ / Σ (wᵢ/xᵢ); needs x > 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out: FloatArray = 1.0 / _wmean(1.0 / x, x, w)
    return out


def generalised(x: FloatArray, w: FloatArray, p: float = 1.0) -> FloatArray:
    """(Σ wᵢxᵢᵖ / Σ wᵢ)^(1/p); p = 1 arithmetic, -1 harmonic, 0 geometric."""
    if p == 0:
        return geometric(x, w)
    with np.errstate(divide="ignore", invalid="ignore"):
        out: FloatArray = _wmean(x**p, x, w) ** (1.0 / p)
    return out


def _split_zeros(x: FloatArray, member: FloatArray) -> tuple[FloatArray, BoolArray]:
    """x with zeros replaced by 1 (for logs), and where a parent has a zero child."""
    is_zero = x == 0
    zero: BoolArray = _mm(is_zero.astype(float), member) > 0
    return np.where(is_zero, 1.0, x), zero


def product(x: FloatArray, w: FloatArray) -> FloatArray:
    """Π xᵢ over present children; weights are ignored (only membership counts).

    The CalEnviroScreen form (burden × population characteristics); needs x >= 0.
    """
    member = (w > 0).astype(float)
    safe, zero = _split_zeros(x, member)
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = _mm(np.where(np.isnan(safe), 0.0, np.log(safe)), member)
    out: FloatArray = np.where(zero, 0.0, np.exp(logs))
    return out


def product_weighted(x: FloatArray, w: FloatArray) -> FloatArray:
    """Π xᵢ^eᵢ with eᵢ = k·wᵢ/Σw over the k present children (equal weights: plain product).

    Exponents are the relative weights scaled so that they sum to the number of present
    children, so scaling all weights changes nothing; needs x >= 0.
    """
    member = (w > 0).astype(float)
    k = present_weight(x, member)
    safe, zero = _split_zeros(x, member)
    with np.errstate(divide="ignore", invalid="ignore"):
        out: FloatArray = np.where(zero, 0.0, np.exp(_wmean(np.log(safe), safe, w) * k))
    return out


def copeland(x: FloatArray, w: FloatArray) -> FloatArray:
    """Copeland score of each row against every other row of the same cross-section.

    Outranking share OR[i, j] = Σ w·(1[xᵢ > xⱼ] + ½·1[xᵢ = xⱼ]) / Σ w over the children
    both units have; the score is Σⱼ sign(OR[i, j] − ½) (COINr ``a_copeland``: +1, −1,
    or 0 for a tie).  With complete data this is COINr's formula exactly.
    """
    diff = x[..., :, None, :] - x[..., None, :, :]
    both = (~np.isnan(diff)).astype(float)
    beat = np.where(diff > 0, 1.0, 0.0) + np.where(diff == 0, 0.5, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = _mm(beat, w) / _mm(both, w)
    vote = np.where(np.abs(share - 0.5) <= 1e-12, 0.0, np.sign(share - 0.5))
    out: FloatArray = np.nansum(vote, axis=-2)
    return out


AGGREGATORS: dict[str, Callable[..., FloatArray]] = {
    "arithmetic": arithmetic,
    "geometric": geometric,
    "harmonic": harmonic,
    "generalised": generalised,
    "product": product,
    "product_weighted": product_weighted,
    "copeland": copeland,
}
"""Registry of aggregators by name (the ``method`` key of ``[aggregate]``)."""

CROSS_SECTIONAL = frozenset({"copeland"})
"""Aggregators that compare rows, applied to one year at a time."""


def needs_positive(name: str, p: float = 1.0) -> bool:
    """True when the aggregator needs strictly positive inputs."""
    return name in {"geometric", "harmonic"} or (name == "generalised" and p <= 0)


def needs_non_negative(name: str) -> bool:
    """True when the aggregator needs inputs >= 0."""
    return name in {"product", "product_weighted"}


def with_shift(fn: Callable[..., FloatArray], shift: float) -> Callable[..., FloatArray]:
    """Aggregate x + shift, then subtract the shift: M(x + s) - s (scale kept for constants)."""

    def shifted(x: FloatArray, w: FloatArray, **params: float) -> FloatArray:
        return fn(x + shift, w, **params) - shift

    return shifted
