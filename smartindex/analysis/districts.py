"""Districts (kecamatan) and the digital divide: district frames and inequality (access shares
are measured in ``smartindex.indicators.access`` and published by scoring).

Inequality definitions (over the districts with a value; NaN-safe, ≥ 2 values needed):

* Gini = Σᵢ Σⱼ |xᵢ − xⱼ| / (2 n² μ) — the population definition without the n/(n−1) small-sample
  correction, so Gini([1,1,1,1]) = 0 and Gini([0,0,0,1]) = 0.75; needs x ≥ 0 and μ > 0.
* Theil T = (1/n) Σ (xᵢ/μ) ln(xᵢ/μ) with 0·ln 0 = 0 (0 = equal, ln n = one area has all).
* CV = population standard deviation / mean (needs μ > 0).
* best/worst ratio = max/min of the values (≥ 1; NaN when min ≤ 0); ``best_area`` and
  ``worst_area`` are direction-aware.

"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from smartindex.analysis.trends import (
    DEFAULT_SETTINGS,
    AnalysisSettings,
    indicator_meta,
    trend_table,
)
from smartindex.indicators.access import kecamatan_areas
from smartindex.scoring.results import INDEX_CODE, Results

INEQUALITY_COLUMNS = ("n", "mean", "gini", "theil", "cv", "best_worst_ratio")


def _clean(x: object) -> np.ndarray:
    a = np.asarray(x, dtype=float).ravel()
    out: np.ndarray = a[~np.isnan(a)]
    return out


def gini(x: object) -> float:
    """Gini coefficient (no n/(n−1) correction); NaN for < 2 values, negatives or μ = 0."""
    a = _clean(x)
    if len(a) < 2 or (a < 0).any() or a.mean() <= 0:
        return float("nan")
    a = np.sort(a)
    n = len(a)
    # Σ|xi−xj| over all ordered pairs = 2 Σ_i (2i − n − 1) x_(i), i = 1..n
    return float(2 * ((2 * np.arange(1, n + 1) - n - 1) * a).sum() / (2 * n * n * a.mean()))


def theil(x: object) -> float:
    """Theil T index; NaN for < 2 values, negatives or μ = 0."""
    a = _clean(x)
    if len(a) < 2 or (a < 0).any() or a.mean() <= 0:
        return float("nan")
    r = a / a.mean()
    return float(np.mean(np.where(r > 0, r * np.log(np.where(r > 0, r, 1.0)), 0.0)))


def cv(x: object) -> float:
    """Coefficient of variation (population sd / mean); NaN for < 2 values or μ ≤ 0."""
    a = _clean(x)
    return float(a.std() / a.mean()) if len(a) >= 2 and a.mean() > 0 else float("nan")


def best_worst_ratio(x: object) -> float:
    """max / min of the values; NaN for < 2 values or min ≤ 0."""
    a = _clean(x)
    return float(a.max() / a.min()) if len(a) >= 2 and a.min() > 0 else float("nan")


def district_values(
    values: pd.DataFrame,
    regions: pd.DataFrame,
    *,
    city: str,
    year: int | None = None,
    code: str | None = None,
) -> pd.DataFrame:
    """Indicator values of the city's kecamatan (``area_code, name, zone, year, code, value``)."""
    kec = kecamatan_areas(regions, city)
    out = values.merge(kec[["area_code", "name", "zone"]], on="area_code", how="inner")
    if year is not None:
        out = out[out["year"] == year]
    if code is not None:
        out = out[out["code"] == code]
    cols = ["area_code", "name", "zone", "year", "code", "value"]
    return out[cols].sort_values(["code", "year", "area_code"]).reset_index(drop=True)


def inequality(values: pd.DataFrame, directions: Mapping[str, int]) -> pd.DataFrame:
    """Inequality across area_codes per (code, year): n, mean, gini, theil, cv, best/worst ratio
    and the direction-aware best and worst area_code."""
    data = values.dropna(subset=["value"])
    g = data.groupby(["code", "year"])["value"]
    out = g.agg(
        n="count", mean="mean", gini=gini, theil=theil, cv=cv, best_worst_ratio=best_worst_ratio
    )
    hi, lo = (
        data.loc[g.idxmax(), "area_code"].to_numpy(),
        data.loc[g.idxmin(), "area_code"].to_numpy(),
    )
    up = out.index.get_level_values("code").map(lambda c: directions.get(c, 1) > 0)
    out["best_area"], out["worst_area"] = np.where(up, hi, lo), np.where(up, lo, hi)
    return out.reset_index()


def dimension_inequality(
    ind: pd.DataFrame, meta: pd.DataFrame, district_scores: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Per (dimension, year): mean of the indicator measures (``gini`` … ``cv``) and, when
    district dimension scores are given (``area_code, year, code, score``), their sd and range."""
    merged = ind.merge(meta[["code", "dimension"]], on="code", how="inner")
    out = merged.groupby(["dimension", "year"], as_index=False).agg(
        n_indicators=("code", "nunique"),
        gini=("gini", "mean"),
        theil=("theil", "mean"),
        cv=("cv", "mean"),
    )
    if district_scores is not None and not district_scores.empty:
        spread = district_scores.groupby(["code", "year"])["score"].agg(
            score_sd=lambda s: s.std(ddof=0), score_range=lambda s: s.max() - s.min()
        )
        tidy = spread.reset_index().rename(columns={"code": "dimension"})
        out = out.merge(tidy, on=["dimension", "year"], how="outer")
    return out.sort_values(["dimension", "year"]).reset_index(drop=True)


def inequality_trend(
    ind: pd.DataFrame, *, measure: str = "gini", settings: AnalysisSettings = DEFAULT_SETTINGS
) -> pd.DataFrame:
    """Trend of one inequality measure per code over the years (lower is better)."""
    long = ind.assign(area_code=measure, value=ind[measure])[["area_code", "year", "code", "value"]]
    dirs = dict.fromkeys(long["code"].unique(), -1)
    return trend_table(long, dirs, settings=settings).rename(columns={"area_code": "measure"})


def access_table(results: Results, *, year: int, radius_m: float) -> pd.DataFrame:
    """The published access shares (``area_code, asset, year, radius_m, population_within,
    population, share``) of ``year`` at ``radius_m`` (one of the published radii)."""
    acc = results.access
    if acc.empty:
        return acc
    return acc[(acc["year"] == year) & (acc["radius_m"] == float(radius_m))].reset_index(drop=True)


def district_map_values(results: Results, *, year: int, code: str) -> pd.DataFrame:
    """What a district map of ``code`` in ``year`` colours: every kecamatan of the home city
    (``area_code, name, value, direction, measure_unit``), ``value`` NaN where there is no data.

    ``code`` is ``INDEX``, a dimension key (kecamatan scores, comparison ``kecamatan``; higher
    is better; ``measure_unit`` empty) or an indicator code (its measured value; ``direction``
    and ``measure_unit`` from the catalogue: 1 higher is better, −1 lower is better)."""
    kec = kecamatan_areas(results.regions, results.city)[["area_code", "name"]]
    scores = results.scores
    if code == INDEX_CODE or code in {d.key for d in results.catalogue.dimensions}:
        if scores.empty:
            sel = pd.DataFrame(columns=["area_code", "value"])
        else:
            keep = (
                (scores["comparison"] == "kecamatan")
                & (scores["year"] == year)
                & (scores["code"] == code)
            )
            sel = scores.loc[keep, ["area_code", "score"]].rename(columns={"score": "value"})
        direction, measure_unit = 1, ""
    else:
        meta = indicator_meta(results.catalogue).set_index("code")
        direction = int(meta["direction"].get(code, 1))
        measure_unit = str(meta["unit"].get(code) or "")
        iv = results.indicator_values
        sel = iv.loc[(iv["year"] == year) & (iv["code"] == code), ["area_code", "value"]]
    out = kec.merge(sel, on="area_code", how="left").assign(
        direction=direction, measure_unit=measure_unit
    )
    out["value"] = pd.to_numeric(out["value"], errors="coerce").astype(float)
    return out.sort_values("area_code").reset_index(drop=True)
