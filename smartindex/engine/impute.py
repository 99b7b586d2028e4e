"""Imputers: fill missing cells of a wide (year, unit) x indicators frame.

Signature ``f(wide, groups) -> wide`` where ``groups`` is a per-row Series of group
labels (or None).  Cross-sectional imputers work within each year; panel imputers
(``latest``, ``linear``) work along time within each unit and indicator.  Every
imputer only fills missing cells: present cells are returned unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from smartindex.engine.panel import stack_codes
from smartindex.errors import MethodError


def none(wide: pd.DataFrame, groups: pd.Series | None) -> pd.DataFrame:
    """Leave missing cells missing."""
    return wide.copy()


def _fill_by(wide: pd.DataFrame, keys: list[Any], how: str) -> pd.DataFrame:
    fill = wide.groupby(keys, sort=False).transform(how)  # type: ignore[call-overload]
    out: pd.DataFrame = wide.fillna(fill)
    return out


def mean(wide: pd.DataFrame, groups: pd.Series | None) -> pd.DataFrame:
    """Missing := mean of the indicator over units of the same year."""
    return _fill_by(wide, [wide.index.get_level_values("year")], "mean")


def median(wide: pd.DataFrame, groups: pd.Series | None) -> pd.DataFrame:
    """Missing := median of the indicator over units of the same year."""
    return _fill_by(wide, [wide.index.get_level_values("year")], "median")


def _require(groups: pd.Series | None) -> pd.Series:
    if groups is None:
        raise MethodError("impute: group_mean/group_median need `group` and a groups table")
    return groups


def group_mean(wide: pd.DataFrame, groups: pd.Series | None) -> pd.DataFrame:
    """Missing := mean of the indicator over units of the same group and year."""
    keys = [wide.index.get_level_values("year"), _require(groups).to_numpy()]
    return _fill_by(wide, keys, "mean")


def group_median(wide: pd.DataFrame, groups: pd.Series | None) -> pd.DataFrame:
    """Missing := median of the indicator over units of the same group and year."""
    keys = [wide.index.get_level_values("year"), _require(groups).to_numpy()]
    return _fill_by(wide, keys, "median")


def _cube(wide: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Reshape the (year, unit) grid to years x units x codes, plus the year values."""
    years = wide.index.get_level_values("year").unique().to_numpy()
    n_units = len(wide) // len(years)
    return wide.to_numpy().reshape(len(years), n_units, wide.shape[1]), years.astype(float)


def _neighbours(valid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of the previous and next valid year along axis 0 (-1 / n when none)."""
    n = valid.shape[0]
    idx = np.arange(n).reshape(-1, 1, 1)
    prev = np.maximum.accumulate(np.where(valid, idx, -1), axis=0)
    nxt = np.minimum.accumulate(np.where(valid, idx, n)[::-1], axis=0)[::-1]
    return prev, nxt


def _take(cube: np.ndarray, at: np.ndarray) -> np.ndarray:
    safe = np.clip(at, 0, cube.shape[0] - 1)
    return np.take_along_axis(cube, safe, axis=0)


def latest(wide: pd.DataFrame, groups: pd.Series | None) -> pd.DataFrame:
    """Missing := last earlier value of the unit (LOCF), else the next later one."""
    cube, _ = _cube(wide)
    prev, nxt = _neighbours(~np.isnan(cube))
    filled = np.where(prev >= 0, _take(cube, prev), _take(cube, nxt))
    out = np.where(np.isnan(cube), filled, cube)
    return pd.DataFrame(out.reshape(wide.shape), index=wide.index, columns=wide.columns)


def linear(wide: pd.DataFrame, groups: pd.Series | None) -> pd.DataFrame:
    """Missing := linear interpolation in time; outside the observed span, the nearest value."""
    cube, years = _cube(wide)
    prev, nxt = _neighbours(~np.isnan(cube))
    n = cube.shape[0]
    t = years.reshape(-1, 1, 1)
    t0, t1 = years[np.clip(prev, 0, n - 1)], years[np.clip(nxt, 0, n - 1)]
    y0, y1 = _take(cube, prev), _take(cube, nxt)
    with np.errstate(divide="ignore", invalid="ignore"):
        inner = y0 + (y1 - y0) * (t - t0) / (t1 - t0)
    filled = np.where(prev < 0, y1, np.where(nxt >= n, y0, inner))
    out = np.where(np.isnan(cube), filled, cube)
    return pd.DataFrame(out.reshape(wide.shape), index=wide.index, columns=wide.columns)


IMPUTERS: dict[str, Callable[[pd.DataFrame, pd.Series | None], pd.DataFrame]] = {
    "none": none,
    "mean": mean,
    "median": median,
    "group_mean": group_mean,
    "group_median": group_median,
    "latest": latest,
    "linear": linear,
}
"""Registry of imputers by name (the ``method`` key of ``[impute]``)."""


def impute_log(before: pd.DataFrame, after: pd.DataFrame, method: str) -> pd.DataFrame:
    """Cells filled by imputation: unit, year, code, value, method."""
    filled = before.isna() & after.notna()
    out = (
        stack_codes(after.where(filled))
        .dropna()
        .rename("value")
        .reset_index()[["unit", "year", "code", "value"]]
    )
    out["method"] = method
    return out.sort_values(["year", "unit", "code"], kind="stable").reset_index(drop=True)
