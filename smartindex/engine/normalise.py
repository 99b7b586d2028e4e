"""Normalisers: column-wise functions on a units x indicators matrix (one year or pooled).

Every normaliser has the signature ``f(x, ref, **params) -> ndarray`` where ``x`` is
already *oriented* (multiplied by the indicator's direction, so higher is better) and
``ref`` holds oriented reference values (targets, goalposts).  Missing cells stay
missing; statistics ignore them.  Formulas follow COINr's ``n_*`` functions.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.stats import rankdata


@dataclass(frozen=True)
class Reference:
    """Oriented reference values broadcastable against ``x`` (rows x columns)."""

    target: np.ndarray
    goal_lo: np.ndarray
    goal_hi: np.ndarray


def _colstat(fn: Callable[..., np.ndarray], x: np.ndarray, **kw: object) -> np.ndarray:
    """nan-aware column statistic without all-NaN warnings."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return fn(x, axis=0, keepdims=True, **kw)


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        out: np.ndarray = num / den
    return out


def minmax(x: np.ndarray, ref: Reference, lo: float = 0.0, hi: float = 100.0) -> np.ndarray:
    """(x - min)/(max - min)·(hi - lo) + lo; a constant column gives NaN (as COINr)."""
    mn, mx = _colstat(np.nanmin, x), _colstat(np.nanmax, x)
    return _ratio(x - mn, mx - mn) * (hi - lo) + lo


def zscore(x: np.ndarray, ref: Reference, m: float = 0.0, s: float = 1.0) -> np.ndarray:
    """(x - mean)/sd·s + m with the sample sd (n - 1)."""
    mean, sd = _colstat(np.nanmean, x), _colstat(np.nanstd, x, ddof=1)
    return _ratio(x - mean, sd) * s + m


def rank(x: np.ndarray, ref: Reference) -> np.ndarray:
    """Rank, ascending (best value gets n), ties 'min'; missing cells stay missing."""
    missing = np.isnan(x)
    r = rankdata(np.where(missing, np.inf, x), method="min", axis=0).astype(float)
    return np.where(missing, np.nan, r)


def prank(x: np.ndarray, ref: Reference) -> np.ndarray:
    """Percentile rank (rank_min - 1)/(n_present - 1), in [0, 1]."""
    n = np.sum(~np.isnan(x), axis=0, keepdims=True)
    return _ratio(rank(x, ref) - 1, n - 1)


def percentile(x: np.ndarray, ref: Reference, scale: float = 1.0) -> np.ndarray:
    """rank_min / highest rank present, times ``scale`` (CalEnviroScreen convention).

    The denominator is the highest rank present, so units tied at the top all get 1.0
    (x ``scale``) and the lowest gets 1/max_rank; missing cells stay missing.
    """
    r = rank(x, ref)
    return _ratio(r, _colstat(np.nanmax, r)) * scale


def borda(x: np.ndarray, ref: Reference) -> np.ndarray:
    """Borda score rank_min - 1 (0 .. n - 1)."""
    return rank(x, ref) - 1


def dist2max(x: np.ndarray, ref: Reference) -> np.ndarray:
    """1 - (max - x)/(max - min), in [0, 1]."""
    mn, mx = _colstat(np.nanmin, x), _colstat(np.nanmax, x)
    return 1 - _ratio(mx - x, mx - mn)


def fracmax(x: np.ndarray, ref: Reference) -> np.ndarray:
    """x / max."""
    return _ratio(x, _colstat(np.nanmax, x))


def dist2target(x: np.ndarray, ref: Reference, cap: bool = True) -> np.ndarray:
    """(x - min)/(target - min), capped at 1 when ``cap`` (oriented: COINr n_dist2targ)."""
    mn = _colstat(np.nanmin, x)
    y = _ratio(x - mn, ref.target - mn)
    return np.minimum(y, 1.0) if cap else y


def goalposts(x: np.ndarray, ref: Reference, scale: float = 1.0) -> np.ndarray:
    """(x - lo)/(hi - lo) clipped to [0, 1], times ``scale`` (COINr n_goalposts)."""
    out: np.ndarray = np.clip(_ratio(x - ref.goal_lo, ref.goal_hi - ref.goal_lo), 0.0, 1.0)
    return out * scale


NORMALISERS: dict[str, Callable[..., np.ndarray]] = {
    "minmax": minmax,
    "zscore": zscore,
    "rank": rank,
    "prank": prank,
    "percentile": percentile,
    "borda": borda,
    "dist2max": dist2max,
    "fracmax": fracmax,
    "dist2target": dist2target,
    "goalposts": goalposts,
}
"""Registry of normalisers by name (the ``method`` key of ``[normalise]``)."""

NEEDS_TARGET = {"dist2target"}
NEEDS_GOALPOSTS = {"goalposts"}


def orient_reference(
    direction: np.ndarray, target: np.ndarray, lo: np.ndarray, hi: np.ndarray
) -> Reference:
    """Orient raw references once: a negative direction negates and swaps goalposts."""
    neg = direction < 0
    glo = np.where(neg, -hi, lo)
    ghi = np.where(neg, -lo, hi)
    return Reference(target=target * direction, goal_lo=glo, goal_hi=ghi)
