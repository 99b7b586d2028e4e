"""Trend statistics per area and code: year-on-year change, CAGR, Theil–Sen, Mann–Kendall.

All functions are pure over long frames (``area_code, year, code, value``).  A *verdict* is
direction-aware (``direction`` +1 = higher is better, -1 = lower is better):

* ``insufficient data`` – fewer than ``settings.min_points`` non-missing years;
* ``stable``   – the Theil–Sen slope, relative to the median level of the series, is within
  ``± settings.stable_tolerance`` per year (default 1 %/year);
* ``improving`` / ``worsening`` – otherwise, by the sign of ``slope × direction``.

``significant`` is the Mann–Kendall test at ``settings.alpha`` (two-sided, normal
approximation with tie correction and continuity correction, as in Hipel & McLeod 1994).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pandas as pd
from scipy import special

from smartindex.analysis.standards import default_standards
from smartindex.errors import CatalogueError
from smartindex.indicators.catalogue import Catalogue

DIMENSIONS = ("economy", "people", "governance", "mobility", "environment", "living")
VERDICTS = ("improving", "stable", "worsening", "insufficient data")
ARROWS = {"up": "↑", "down": "↓", "flat": "→", "none": "–"}
META_COLUMNS = ("code", "name_id", "name_en", "dimension", "factor", "unit", "direction")
GRADE_BANDS: tuple[tuple[float, str], ...] = tuple(
    (float("-inf") if i == len(default_standards().scale.bands) - 1 else b.lower, b.key)
    for i, b in enumerate(default_standards().scale.bands)
)
_DIRECTION_WORDS = {
    "+": 1,
    "-": -1,
    "−": -1,
    "up": 1,
    "down": -1,
    "higher": 1,
    "lower": -1,
    "positive": 1,
    "negative": -1,
    "1": 1,
    "-1": -1,
    "+1": 1,
}


@dataclass(frozen=True)
class AnalysisSettings:
    """Explicit analysis settings (pass them in; nothing reads the environment).

    bands: ``(lower bound of achievement %, grade key)``, best first; a value gets the first
        band whose bound it reaches.  Defaults: the Permendagri 86/2017 achievement scale of
        ``standards.toml`` (sangat_tinggi ≥ 91, tinggi ≥ 76, sedang ≥ 66, rendah ≥ 51,
        sangat_rendah); the faces translate the keys (``status.grade.<key>``).
    stable_tolerance: |relative Theil–Sen slope| per year at or below which a trend is stable.
    alpha: significance level of the Mann–Kendall test.
    min_points: minimum non-missing years for a trend or a projection.
    negative_achievement: achievement rule for lower-is-better indicators, ``difference``
        ((2T − R)/T, the SAKIP/Permendagri formula) or ``ratio`` (T/R).
    achievement_cap: achievement % is clipped to [0, cap] (None: no cap).
    projection_anchor: ``last`` (last observed value + slope × years ahead) or ``fit``
        (the Theil–Sen line itself).
    at_risk_margin: projected achievement within this many points below 100 % is *at risk*;
        further below is *off track*; ≥ 100 % is *on track*.
    """

    bands: tuple[tuple[float, str], ...] = GRADE_BANDS
    stable_tolerance: float = 0.01
    alpha: float = 0.05
    min_points: int = 3
    negative_achievement: str = "difference"
    achievement_cap: float | None = 150.0
    projection_anchor: str = "last"
    at_risk_margin: float = 10.0


DEFAULT_SETTINGS = AnalysisSettings()


def mann_kendall(values: np.ndarray) -> tuple[float, float, float]:
    """Mann–Kendall ``(S, var_S, p)`` for a series in time order (NaN dropped).

    ``S = Σ_{i<j} sign(x_j − x_i)``; ``var_S = [n(n−1)(2n+5) − Σ t(t−1)(2t+5)] / 18`` over tie
    groups t; ``z = (S − sign(S)) / √var_S``; two-sided ``p = 2·(1 − Φ(|z|))``.
    """
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    n = len(x)
    if n < 2:
        return 0.0, 0.0, float("nan")
    s = float(np.sign(x[None, :] - x[:, None])[np.triu_indices(n, 1)].sum())
    _, ties = np.unique(x, return_counts=True)
    var = (n * (n - 1) * (2 * n + 5) - float((ties * (ties - 1) * (2 * ties + 5)).sum())) / 18.0
    if var <= 0:
        return s, var, 1.0
    z = (s - np.sign(s)) / np.sqrt(var)
    return s, var, float(2 * special.ndtr(-abs(z)))  # = 2·norm.sf(|z|), without its overhead


def theil_sen(years: np.ndarray, values: np.ndarray) -> tuple[float, float]:
    """Theil–Sen ``(slope, intercept)`` per year (SciPy ``theilslopes``); NaN when < 2 points."""
    y = np.asarray(values, dtype=float)
    t = np.asarray(years, dtype=float)
    ok = ~np.isnan(y)
    if ok.sum() < 2:
        return float("nan"), float("nan")
    y, t = y[ok], t[ok]
    # SciPy's theilslopes (method "separate") without its confidence interval, which costs
    # ~20 times the estimate: median of pairwise slopes; intercept median(y) - slope·median(t).
    dt = t[:, np.newaxis] - t
    dy = y[:, np.newaxis] - y
    if not (dt > 0).any():
        return float("nan"), float("nan")
    slope = float(np.median(dy[dt > 0] / dt[dt > 0]))
    return slope, float(np.median(y) - slope * np.median(t))


def cagr(first: float, last: float, years: float) -> float:
    """Compound annual growth rate ``(last/first)^(1/years) − 1``; NaN unless both > 0."""
    if not (years > 0 and first > 0 and last > 0):
        return float("nan")
    return float((last / first) ** (1.0 / years) - 1.0)


def verdict(
    slope: float,
    level: float,
    direction: int,
    n: int,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
) -> str:
    """Direction-aware verdict from a slope and the series' median level."""
    if n < settings.min_points or np.isnan(slope):
        return "insufficient data"
    rel = slope / abs(level) if level else (0.0 if slope == 0 else np.inf * np.sign(slope))
    if abs(rel) <= settings.stable_tolerance:
        return "stable"
    return "improving" if rel * direction > 0 else "worsening"


def arrow(slope: float, verdict_: str) -> str:
    """Arrow of the raw change: ↑ / ↓ / → (stable) / – (insufficient data)."""
    if verdict_ == "insufficient data":
        return ARROWS["none"]
    if verdict_ == "stable":
        return ARROWS["flat"]
    return ARROWS["up"] if slope > 0 else ARROWS["down"]


def year_on_year(frame: pd.DataFrame) -> pd.DataFrame:
    """Add ``change`` and ``pct_change`` vs the previous available year per (area_code, code)."""
    out = frame.sort_values(["area_code", "code", "year"]).copy()
    grouped = out.groupby(["area_code", "code"], sort=False)["value"]
    prev = grouped.shift(1)
    out["change"] = out["value"] - prev
    out["pct_change"] = (out["value"] - prev) / prev.abs().where(prev != 0) * 100.0
    return out.reset_index(drop=True)


def series_stats(
    years: np.ndarray,
    values: np.ndarray,
    direction: int,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
) -> dict[str, object]:
    """All trend statistics of one series (years ascending)."""
    ok = ~np.isnan(values)
    y, v = years[ok], values[ok]
    n = len(v)
    slope, intercept = theil_sen(y, v) if n >= 2 else (float("nan"), float("nan"))
    s, _, p = mann_kendall(v)
    verdict_ = verdict(slope, float(np.median(v)) if n else np.nan, direction, n, settings)
    return {
        "n": n,
        "first_year": int(y[0]) if n else pd.NA,
        "last_year": int(y[-1]) if n else pd.NA,
        "first": v[0] if n else np.nan,
        "last": v[-1] if n else np.nan,
        "slope": slope,
        "intercept": intercept,
        "cagr": cagr(v[0], v[-1], y[-1] - y[0]) if n >= 2 else np.nan,
        "mk_s": s,
        "p_value": p if n >= settings.min_points else np.nan,
        "tau": s / (n * (n - 1) / 2) if n >= 2 else np.nan,
        "verdict": verdict_,
        "arrow": arrow(slope, verdict_),
        "significant": bool(
            n >= settings.min_points
            and p < settings.alpha
            and verdict_ in ("improving", "worsening")
        ),
    }


def trend_table(
    frame: pd.DataFrame,
    directions: Mapping[str, int] | None = None,
    *,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    until: int | None = None,
) -> pd.DataFrame:
    """Trend statistics per (area_code, code) of a long frame, using years ≤ ``until``.

    ``directions`` maps code → ±1 (missing codes count as +1, e.g. scores).
    """
    cols = ["area_code", "code", *series_stats(np.array([]), np.array([]), 1, settings)]
    data = frame if until is None else frame[frame["year"] <= until]
    data = data.dropna(subset=["value"]).sort_values(["area_code", "code", "year"])
    if data.empty:
        return pd.DataFrame(columns=cols)
    dirs = directions or {}
    years = data["year"].to_numpy(float)
    vals = data["value"].to_numpy(float)
    blocks = cast(dict[tuple[str, str], np.ndarray], data.groupby(["area_code", "code"]).indices)
    rows = [
        {
            "area_code": area_code,
            "code": code,
            **series_stats(years[at], vals[at], int(dirs.get(str(code), 1)), settings),
        }
        for (area_code, code), at in sorted(blocks.items())
    ]
    return pd.DataFrame(rows, columns=cols)


def _direction(value: object) -> int:
    key = str(value).strip().lower()
    if key in _DIRECTION_WORDS:
        return _DIRECTION_WORDS[key]
    raise CatalogueError(f"unknown indicator direction {value!r}; use +1/-1 or '+'/'-'")


def indicator_meta(catalogue: Catalogue | pd.DataFrame) -> pd.DataFrame:
    """Indicator metadata frame ``code, name_id, name_en, dimension, factor, unit, direction``.

    ``catalogue`` is a Catalogue or such a frame.
    """
    if isinstance(catalogue, pd.DataFrame):
        frame = catalogue.copy()
    else:
        items: Any = catalogue.indicators
        inds = list(items.values()) if isinstance(items, Mapping) else list(items)
        frame = pd.DataFrame([{c: getattr(i, c, None) for c in META_COLUMNS} for i in inds])
    missing = [c for c in META_COLUMNS if c not in frame.columns]
    if missing:
        raise CatalogueError(f"indicator metadata lacks column(s) {missing}")
    frame["direction"] = frame["direction"].map(_direction).astype(int)
    if isinstance(catalogue, Catalogue):
        frame = _framework_codes(frame, catalogue.to_framework_frame())
    return frame[list(META_COLUMNS)].reset_index(drop=True)


def _framework_codes(frame: pd.DataFrame, fw: pd.DataFrame) -> pd.DataFrame:
    """Use the framework's own factor/dimension codes (the codes ``scores`` carries)."""
    parent = dict(zip(fw["code"], fw["parent"], strict=True))
    factor = frame["code"].map(parent)
    if factor.isna().any():
        return frame
    return frame.assign(factor=factor, dimension=factor.map(parent).fillna(frame["dimension"]))
