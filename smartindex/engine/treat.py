"""Outlier treatment: the JRC/COINr skew-kurtosis rule, Winsorisation and log_CT.

A column *fails* when ``|skew| >= skew_thresh`` AND ``kurt >= kurt_thresh`` (bias-corrected
sample skewness G1 and excess kurtosis G2, as COINr).  Failing columns are Winsorised
one extreme value at a time (all points tied at the extreme move together to the next
value) while they fail and fewer than ``winmax`` points were clipped; if the column
still fails, the fallback transform is applied to the *original* column instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


def skew(x: np.ndarray) -> np.ndarray:
    """Bias-corrected sample skewness per column, ignoring NaN: sqrt(n(n-1))/(n-2)·m3/m2^1.5."""
    n = np.sum(~np.isnan(x), axis=0)
    d = x - np.nanmean(x, axis=0)
    m2, m3 = np.nanmean(d**2, axis=0), np.nanmean(d**3, axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.sqrt(n * (n - 1)) / (n - 2) * m3 / m2**1.5


def kurt(x: np.ndarray) -> np.ndarray:
    """Bias-corrected excess kurtosis per column: ((n+1)(r-3)+6)(n-1)/((n-2)(n-3))."""
    n = np.sum(~np.isnan(x), axis=0)
    d = x - np.nanmean(x, axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = n * np.nansum(d**4, axis=0) / np.nansum(d**2, axis=0) ** 2
        return ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))


def fails(sk: np.ndarray, ku: np.ndarray, skew_thresh: float, kurt_thresh: float) -> np.ndarray:
    """True where |skew| >= skew_thresh and kurt >= kurt_thresh (NaN statistics pass)."""
    return (np.abs(sk) >= skew_thresh) & (ku >= kurt_thresh)


def log_ct(x: np.ndarray) -> np.ndarray:
    """COIN Tool log: log(x - min + 0.01·(max - min))."""
    mn, mx = np.nanmin(x), np.nanmax(x)
    return np.log(x - mn + 0.01 * (mx - mn))


def log_ct_plus(x: np.ndarray) -> np.ndarray:
    """Mirror of log_CT for negative skew: -log(max + 0.01·(max - min) - x)."""
    mn, mx = np.nanmin(x), np.nanmax(x)
    return -np.log(mx + 0.01 * (mx - mn) - x)


FALLBACKS: dict[str, Callable[[np.ndarray], np.ndarray] | None] = {
    "log_CT": log_ct,
    "log_CT_plus": log_ct_plus,
    "none": None,
}
"""Transforms applied to the original column when Winsorisation is not enough."""


@dataclass(frozen=True)
class Treated:
    """One treated column: new values, what was done, and how many points moved."""

    values: np.ndarray
    action: str
    points_low: int
    points_high: int


def winsorise(x: np.ndarray, winmax: int, skew_thresh: float, kurt_thresh: float) -> Treated:
    """Clip extreme values (ties together) while failing and fewer than winmax points moved."""
    y, low, high = x.copy(), 0, 0
    while low + high < winmax:
        col = y.reshape(-1, 1)
        sk = skew(col)
        if not fails(sk, kurt(col), skew_thresh, kurt_thresh)[0]:
            break
        pick = np.nanmax if sk[0] >= 0 else np.nanmin
        at = y == pick(y)
        if at.sum() == np.sum(~np.isnan(y)):
            break
        y[at] = pick(y[~at & ~np.isnan(y)])
        if sk[0] >= 0:
            high += int(at.sum())
        else:
            low += int(at.sum())
    return Treated(y, "winsorised" if low + high else "none", low, high)


def jrc(
    x: np.ndarray,
    winmax: int = 5,
    skew_thresh: float = 2.0,
    kurt_thresh: float = 3.5,
    fallback: str = "log_CT",
) -> Treated:
    """The JRC rule for one column: Winsorise, else the fallback on the original values."""
    win = winsorise(x, winmax, skew_thresh, kurt_thresh)
    col = win.values.reshape(-1, 1)
    transform = FALLBACKS[fallback]
    if not fails(skew(col), kurt(col), skew_thresh, kurt_thresh)[0] or transform is None:
        return win
    return Treated(transform(x), fallback, 0, 0)


TREATERS: dict[str, Callable[..., Treated] | None] = {"none": None, "jrc": jrc}
"""Registry of treatments by name (the ``method`` key of ``[treat]``)."""
