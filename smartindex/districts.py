"""Districts (kecamatan) and the digital divide: district frames, inequality and access.

Inequality definitions (over the districts with a value; NaN-safe, ≥ 2 values needed):

* Gini = Σᵢ Σⱼ |xᵢ − xⱼ| / (2 n² μ) — the population definition without the n/(n−1) small-sample
  correction, so Gini([1,1,1,1]) = 0 and Gini([0,0,0,1]) = 0.75; needs x ≥ 0 and μ > 0.
* Theil T = (1/n) Σ (xᵢ/μ) ln(xᵢ/μ) with 0·ln 0 = 0 (0 = equal, ln n = one unit has all).
* CV = population standard deviation / mean (needs μ > 0).
* best/worst ratio = max/min of the values (≥ 1; NaN when min ≤ 0); ``best_unit`` and
  ``worst_unit`` are direction-aware.

Access: a kelurahan counts as *within reach* when the great-circle (haversine) distance from
its centroid to the nearest *active* asset is ≤ ``radius_m``; its whole population is then
within reach (the centroid approximation).  Active in year Y = start date ≤ 31 Dec Y and no
end date on or before 31 Dec Y.  Kelurahan without coordinates count in the population but
never within reach (conservative).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from smartindex.db import query_df
from smartindex.errors import MethodError
from smartindex.trends import DEFAULT_SETTINGS, AnalysisSettings, trend_table

EARTH_RADIUS_M = 6_371_008.8
ASSET_DATES: dict[str, tuple[str, str]] = {
    "wifi_hotspots": ("installed_on", "decommissioned_on"),
    "transit_stops": ("opened_on", "closed_on"),
    "cctv_cameras": ("installed_on", "decommissioned_on"),
    "aq_sensors": ("installed_on", "decommissioned_on"),
}
INEQUALITY_COLUMNS = ("n", "mean", "gini", "theil", "cv", "best_worst_ratio")


def _clean(x: object) -> np.ndarray:
    a = np.asarray(x, dtype=float).ravel()
    return a[~np.isnan(a)]


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


def kecamatan_units(regions: pd.DataFrame, city: str) -> pd.DataFrame:
    """The city's kecamatan: ``unit, name, zone, area_km2`` (from the regions frame)."""
    k = regions[(regions["level"] == "kecamatan") & (regions["parent"] == city)]
    return k[["unit", "name", "zone", "area_km2"]].reset_index(drop=True)


def district_values(values: pd.DataFrame, regions: pd.DataFrame, *, city: str,
                    year: int | None = None, code: str | None = None) -> pd.DataFrame:
    """Indicator values of the city's kecamatan (``unit, name, zone, year, code, value``)."""
    kec = kecamatan_units(regions, city)
    out = values.merge(kec[["unit", "name", "zone"]], on="unit", how="inner")
    if year is not None:
        out = out[out["year"] == year]
    if code is not None:
        out = out[out["code"] == code]
    cols = ["unit", "name", "zone", "year", "code", "value"]
    return out[cols].sort_values(["code", "year", "unit"]).reset_index(drop=True)


def inequality(values: pd.DataFrame, directions: Mapping[str, int]) -> pd.DataFrame:
    """Inequality across units per (code, year): n, mean, gini, theil, cv, best/worst ratio
    and the direction-aware best and worst unit."""
    data = values.dropna(subset=["value"])
    g = data.groupby(["code", "year"])["value"]
    out = g.agg(n="count", mean="mean", gini=gini, theil=theil, cv=cv,
                best_worst_ratio=best_worst_ratio)
    hi, lo = data.loc[g.idxmax(), "unit"].to_numpy(), data.loc[g.idxmin(), "unit"].to_numpy()
    up = out.index.get_level_values("code").map(lambda c: directions.get(c, 1) > 0)
    out["best_unit"], out["worst_unit"] = np.where(up, hi, lo), np.where(up, lo, hi)
    return out.reset_index()


def dimension_inequality(ind: pd.DataFrame, meta: pd.DataFrame,
                         district_scores: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per (dimension, year): mean of the indicator measures (``gini`` … ``cv``) and, when
    district dimension scores are given (``unit, year, code, score``), their sd and range."""
    merged = ind.merge(meta[["code", "dimension"]], on="code", how="inner")
    out = merged.groupby(["dimension", "year"], as_index=False).agg(
        n_indicators=("code", "nunique"), gini=("gini", "mean"), theil=("theil", "mean"),
        cv=("cv", "mean"))
    if district_scores is not None and not district_scores.empty:
        spread = district_scores.groupby(["code", "year"])["score"].agg(
            score_sd=lambda s: s.std(ddof=0), score_range=lambda s: s.max() - s.min())
        spread = spread.reset_index().rename(columns={"code": "dimension"})
        out = out.merge(spread, on=["dimension", "year"], how="outer")
    return out.sort_values(["dimension", "year"]).reset_index(drop=True)


def inequality_trend(ind: pd.DataFrame, *, measure: str = "gini",
                     settings: AnalysisSettings = DEFAULT_SETTINGS) -> pd.DataFrame:
    """Trend of one inequality measure per code over the years (lower is better)."""
    long = ind.assign(unit=measure, value=ind[measure])[["unit", "year", "code", "value"]]
    dirs = dict.fromkeys(long["code"].unique(), -1)
    return trend_table(long, dirs, settings=settings).rename(columns={"unit": "measure"})


# --- access ------------------------------------------------------------------------------


def haversine_m(lat1: object, lon1: object, lat2: object, lon2: object) -> np.ndarray:
    """Great-circle distance in metres (numpy broadcasting over all arguments)."""
    p1, p2 = np.radians(np.asarray(lat1, float)), np.radians(np.asarray(lat2, float))
    dphi = p2 - p1
    dlmb = np.radians(np.asarray(lon2, float)) - np.radians(np.asarray(lon1, float))
    h = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def active_in(start: pd.Series, end: pd.Series, year: int) -> np.ndarray:
    """True where start ≤ 31 Dec ``year`` and no end on or before that day."""
    ye = pd.Timestamp(year=year, month=12, day=31)
    s, e = pd.to_datetime(start), pd.to_datetime(end)
    return ((s <= ye) & (e.isna() | (e > ye))).to_numpy(bool)


def within_reach(points: pd.DataFrame, assets: pd.DataFrame, radius_m: float,
                 chunk: int = 512) -> np.ndarray:
    """Boolean per point (``lat, lon``): nearest asset within ``radius_m`` (chunked matrix)."""
    plat, plon = points["lat"].to_numpy(float), points["lon"].to_numpy(float)
    alat, alon = assets["lat"].to_numpy(float), assets["lon"].to_numpy(float)
    keep = ~(np.isnan(alat) | np.isnan(alon))
    alat, alon = alat[keep], alon[keep]
    out = np.zeros(len(plat), dtype=bool)
    if len(alat) == 0:
        return out
    for i in range(0, len(plat), chunk):
        d = haversine_m(plat[i:i + chunk, None], plon[i:i + chunk, None], alat[None], alon[None])
        out[i:i + chunk] = d.min(axis=1) <= radius_m  # NaN points: False
    return out & ~(np.isnan(plat) | np.isnan(plon))


def kelurahan_population(regions: pd.DataFrame, population: pd.DataFrame, year: int,
                         city: str) -> pd.DataFrame:
    """Kelurahan valid in ``year`` with centroid, kecamatan and population (nearest year)."""
    kec = kecamatan_units(regions, city)["unit"]
    kel = regions[(regions["level"] == "kelurahan") & regions["parent"].isin(kec)]
    ys, ye = pd.Timestamp(year=year, month=1, day=1), pd.Timestamp(year=year, month=12, day=31)
    vf, vt = pd.to_datetime(kel["valid_from"]), pd.to_datetime(kel["valid_to"])
    kel = kel[(vf.isna() | (vf <= ye)) & (vt.isna() | (vt >= ys))]
    pop = population[population["unit"].isin(kel["unit"])].copy()
    pop["dist"] = (pop["year"] - year).abs() * 2 + (pop["year"] > year)  # prefer earlier year
    pop = pop.sort_values("dist").drop_duplicates("unit")[["unit", "population"]]
    out = kel[["unit", "parent", "lat", "lon"]].merge(pop, on="unit", how="left")
    return out.rename(columns={"parent": "kecamatan"})


def access_shares_frame(regions: pd.DataFrame, population: pd.DataFrame,
                        assets: Mapping[str, pd.DataFrame], *, years: Iterable[int],
                        city: str = "1671", radius_m: float = 500.0) -> pd.DataFrame:
    """Pure access computation: ``unit`` (kecamatan), asset, year, population_within,
    population, share (0–1) for every asset table (columns lat, lon and its date pair)."""
    frames = []
    for year in years:
        kel = kelurahan_population(regions, population, year, city)
        for name, table in assets.items():
            start, end = ASSET_DATES[name]
            active = table[active_in(table[start], table[end], year)]
            reach = within_reach(kel, active, radius_m)
            pop = kel["population"].fillna(0).to_numpy(float)
            agg = pd.DataFrame({"unit": kel["kecamatan"], "population_within": pop * reach,
                                "population": pop}).groupby("unit", as_index=False).sum()
            frames.append(agg.assign(asset=name, year=year))
    cols = ["unit", "asset", "year", "population_within", "population", "share"]
    if not frames:
        return pd.DataFrame(columns=cols)
    out = pd.concat(frames, ignore_index=True)
    out["share"] = out["population_within"] / out["population"].where(out["population"] > 0)
    return out[cols].sort_values(["asset", "year", "unit"]).reset_index(drop=True)


_REGION_SQL = """select kode_wilayah as unit, level, name, parent_kode as parent, zone, area_km2,
    lat, lon, valid_from, valid_to from region"""
_POP_SQL = "select kode_wilayah as unit, year, population from population"


def access_shares(con: object, *, year: int | Iterable[int], radius_m: float = 500.0,
                  assets: Iterable[str] = ("wifi_hotspots", "transit_stops"),
                  city: str = "1671") -> pd.DataFrame:
    """Access shares from the warehouse (read-only queries; math in access_shares_frame)."""
    unknown = [a for a in assets if a not in ASSET_DATES]
    if unknown:
        raise MethodError(f"unknown asset table(s) {unknown}; choose from {sorted(ASSET_DATES)}")
    tables = {a: query_df(con, f"select lat, lon, {', '.join(ASSET_DATES[a])} from {a}")
              for a in assets}
    years = [year] if isinstance(year, int) else list(year)
    return access_shares_frame(query_df(con, _REGION_SQL), query_df(con, _POP_SQL), tables,
                               years=years, city=city, radius_m=radius_m)
