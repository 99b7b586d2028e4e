"""Outlier treatment: the JRC/COINr skew-kurtosis rule, Winsorisation and log_CT.

A column *fails* when ``|skew| >= skew_thresh`` AND ``kurt >= kurt_thresh`` (bias-corrected
sample skewness G1 and excess kurtosis G2, as COINr).  Failing columns are Winsorised
one extreme value at a time (all points tied at the extreme move together to the next
value) while they fail and fewer than ``winmax`` points were clipped.  Each clipped point
counts once (COINr ``winsorise``: ``nwin`` is the number of points sitting at the clipped
extreme, so the count runs 1, 2, 3 …).  If the column still fails, the fallback transform
is applied to the *original* column instead (``combine_treat = FALSE``).

:func:`trajectory` records every Winsorisation step of a column once, so the result for
any ``winmax`` up to the recorded limit is a look-up (:func:`select_step`); the uncertainty
kernel uses this to vary ``winmax`` without re-running the loop.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from smartindex.engine.types import BoolArray, FloatArray


def skew(x: FloatArray) -> FloatArray:
    """Bias-corrected sample skewness per column, ignoring NaN: sqrt(n(n-1))/(n-2)·m3/m2^1.5."""
    n = np.sum(~np.isnan(x), axis=0)
    d = x - np.nanmean(x, axis=0)
    m2, m3 = np.nanmean(d**2, axis=0), np.nanmean(d**3, axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out: FloatArray = np.sqrt(n * (n - 1)) / (n - 2) * m3 / m2**1.5
    return out


def kurt(x: FloatArray) -> FloatArray:
    """Bias-corrected excess kurtosis per column: ((n+1)(r-3)+6)(n-1)/((n-2)(n-3))."""
    n = np.sum(~np.isnan(x), axis=0)
    d = x - np.nanmean(x, axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = n * np.nansum(d**4, axis=0) / np.nansum(d**2, axis=0) ** 2
        out: FloatArray = ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
    return out


def fails(sk: FloatArray, ku: FloatArray, skew_thresh: float, kurt_thresh: float) -> BoolArray:
    """True where |skew| >= skew_thresh and kurt >= kurt_thresh (NaN statistics pass)."""
    out: BoolArray = (np.abs(sk) >= skew_thresh) & (ku >= kurt_thresh)
    return out


def _skew_kurt_1d(v: FloatArray) -> tuple[float, float]:
    """Skew and kurtosis of a 1-D vector without NaN (same formulas as above)."""
    n = v.size
    d = v - v.mean()
    s2, s3, s4 = float(np.dot(d, d)), float(np.dot(d, d * d)), float(np.dot(d * d, d * d))
    if n < 4 or s2 == 0:
        return float("nan"), float("nan")
    sk = np.sqrt(n * (n - 1)) / (n - 2) * (s3 / n) / (s2 / n) ** 1.5
    r = n * s4 / s2**2
    ku = ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
    return float(sk), float(ku)


def _fails_1d(v: FloatArray, skew_thresh: float, kurt_thresh: float) -> tuple[bool, float]:
    sk, ku = _skew_kurt_1d(v)
    return bool(abs(sk) >= skew_thresh and ku >= kurt_thresh), sk


def log_ct(x: FloatArray) -> FloatArray:
    """COIN Tool log: log(x - min + 0.01·(max - min))."""
    mn, mx = np.nanmin(x), np.nanmax(x)
    out: FloatArray = np.log(x - mn + 0.01 * (mx - mn))
    return out


def log_ct_plus(x: FloatArray) -> FloatArray:
    """Mirror of log_CT for negative skew: -log(max + 0.01·(max - min) - x)."""
    mn, mx = np.nanmin(x), np.nanmax(x)
    out: FloatArray = -np.log(mx + 0.01 * (mx - mn) - x)
    return out


FALLBACKS: dict[str, Callable[[FloatArray], FloatArray] | None] = {
    "log_CT": log_ct,
    "log_CT_plus": log_ct_plus,
    "none": None,
}
"""Transforms applied to the original column when Winsorisation is not enough."""


@dataclass(frozen=True)
class Treated:
    """One treated column: new values, what was done, and how many points moved."""

    values: FloatArray
    action: str
    points_low: int
    points_high: int


@dataclass(frozen=True)
class Trajectory:
    """Winsorisation steps of one column; step 0 is the original column.

    ``values[k]``, ``low[k]``/``high[k]`` (distinct points clipped on each side so far) and
    ``passes[k]`` describe the column after step k.
    """

    values: list[FloatArray]
    low: list[int]
    high: list[int]
    passes: list[bool]


def trajectory(
    x: FloatArray, max_points: int, skew_thresh: float, kurt_thresh: float
) -> Trajectory:
    """Winsorise step by step until the column passes or ``max_points`` points are clipped."""
    y = x.astype(float, copy=True)
    present = ~np.isnan(y)
    ok, sk = _fails_1d(y[present], skew_thresh, kurt_thresh)
    tr = Trajectory([y.copy()], [0], [0], [not ok])
    low = high = 0
    while not tr.passes[-1] and low + high < max_points:
        high_side = sk >= 0
        vals = y[present]
        extreme = vals.max() if high_side else vals.min()
        at = present & (y == extreme)
        rest = vals[vals != extreme]
        if rest.size == 0:
            break
        y[at] = rest.max() if high_side else rest.min()
        # every point clipped earlier sits at the extreme again: the count of points at the
        # extreme is the number of distinct points clipped on that side (COINr's nwin)
        if high_side:
            high = int(at.sum())
        else:
            low = int(at.sum())
        bad, sk = _fails_1d(y[present], skew_thresh, kurt_thresh)
        tr.values.append(y.copy())
        tr.low.append(low)
        tr.high.append(high)
        tr.passes.append(not bad)
    return tr


def select_step(tr: Trajectory, winmax: int) -> int:
    """The step at which COINr's loop stops for ``winmax``: first pass or winmax reached."""
    for k, passed in enumerate(tr.passes):
        if passed or tr.low[k] + tr.high[k] >= winmax:
            return k
    return len(tr.passes) - 1


def outcome(x: FloatArray, tr: Trajectory, winmax: int, fallback: str) -> Treated:
    """The JRC rule's result for one ``winmax`` from a recorded trajectory."""
    k = select_step(tr, winmax)
    transform = FALLBACKS[fallback]
    if tr.passes[k] or transform is None:
        moved = tr.low[k] + tr.high[k]
        return Treated(tr.values[k], "winsorised" if moved else "none", tr.low[k], tr.high[k])
    return Treated(transform(x), fallback, 0, 0)


def winsorise(x: FloatArray, winmax: int, skew_thresh: float, kurt_thresh: float) -> Treated:
    """Clip extreme values (ties together) while failing and fewer than winmax points moved."""
    tr = trajectory(x, winmax, skew_thresh, kurt_thresh)
    return outcome(x, tr, winmax, "none")


def jrc(
    x: FloatArray,
    winmax: int = 5,
    skew_thresh: float = 2.0,
    kurt_thresh: float = 3.5,
    fallback: str = "log_CT",
) -> Treated:
    """The JRC rule for one column: Winsorise, else the fallback on the original values."""
    return outcome(x, trajectory(x, winmax, skew_thresh, kurt_thresh), winmax, fallback)


TREATERS: dict[str, Callable[..., Treated] | None] = {"none": None, "jrc": jrc}
"""Registry of treatments by name (the ``method`` key of ``[treat]``)."""
