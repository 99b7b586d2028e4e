"""Access to public assets per kecamatan: the share of residents within reach of a Wi-Fi
hotspot, a transit stop, a CCTV camera or an air-quality sensor (published by ``smartindex
score`` as the table ``access_shares`` for the radii in ``ACCESS_RADII_M``).

A kelurahan counts as *within reach* when the great-circle (haversine) distance from its
centroid to the nearest *active* asset is ≤ ``radius_m``; its whole population is then within
reach (the centroid approximation). Active in year Y = start date ≤ 31 Dec Y and no end date on
or before 31 Dec Y. Kelurahan without coordinates count in the population but never within
reach (conservative).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import duckdb
import numpy as np
import pandas as pd

from smartindex.errors import MethodError
from smartindex.warehouse.connection import query_df, table_exists

EARTH_RADIUS_M = 6_371_008.8
ACCESS_RADII_M = (250.0, 500.0, 1000.0)
ACCESS_COLUMNS = (
    "area_code",
    "asset",
    "year",
    "radius_m",
    "population_within",
    "population",
    "share",
)
ASSET_DATES: dict[str, tuple[str, str]] = {
    "wifi_hotspots": ("installed_on", "decommissioned_on"),
    "transit_stops": ("opened_on", "closed_on"),
    "cctv_cameras": ("installed_on", "decommissioned_on"),
    "aq_sensors": ("installed_on", "decommissioned_on"),
}


def home_kota(regions: pd.DataFrame) -> str:
    """The home city of a regions frame: its ``kota`` row with ``is_home_city`` true, or its
    only ``kota`` row when the frame has no such column.

    >>> home_kota(pd.DataFrame({"area_code": ["1375", "1375010"], "level": ["kota", "kecamatan"]}))
    '1375'
    """
    kota = regions[regions["level"] == "kota"]
    if "is_home_city" in kota:
        kota = kota[kota["is_home_city"].fillna(False).astype(bool)]
    codes = sorted({str(c) for c in kota["area_code"]})
    if len(codes) != 1:
        raise MethodError(f"regions: expected one home city (kota), found {codes or 'none'}")
    return codes[0]


def kecamatan_areas(regions: pd.DataFrame, city: str) -> pd.DataFrame:
    """The city's kecamatan: ``area_code, name, zone, area_km2`` (from the regions frame)."""
    k = regions[(regions["level"] == "kecamatan") & (regions["parent"] == city)]
    return k[["area_code", "name", "zone", "area_km2"]].reset_index(drop=True)


def haversine_m(lat1: object, lon1: object, lat2: object, lon2: object) -> np.ndarray:
    """Great-circle distance in metres (numpy broadcasting over all arguments)."""
    p1, p2 = np.radians(np.asarray(lat1, float)), np.radians(np.asarray(lat2, float))
    dphi = p2 - p1
    dlmb = np.radians(np.asarray(lon2, float)) - np.radians(np.asarray(lon1, float))
    h = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0))))


def active_in(start: pd.Series, end: pd.Series, year: int) -> np.ndarray:
    """True where start ≤ 31 Dec ``year`` and no end on or before that day."""
    ye = pd.Timestamp(year=year, month=12, day=31)
    s, e = pd.to_datetime(start), pd.to_datetime(end)
    return ((s <= ye) & (e.isna() | (e > ye))).to_numpy(bool)


def within_reach(
    points: pd.DataFrame, assets: pd.DataFrame, radius_m: float, chunk: int = 512
) -> np.ndarray:
    """Boolean per point (``lat, lon``): nearest asset within ``radius_m`` (chunked matrix)."""
    plat, plon = points["lat"].to_numpy(float), points["lon"].to_numpy(float)
    alat, alon = assets["lat"].to_numpy(float), assets["lon"].to_numpy(float)
    keep = ~(np.isnan(alat) | np.isnan(alon))
    alat, alon = alat[keep], alon[keep]
    out = np.zeros(len(plat), dtype=bool)
    if len(alat) == 0:
        return out
    for i in range(0, len(plat), chunk):
        d = haversine_m(
            plat[i : i + chunk, None], plon[i : i + chunk, None], alat[None], alon[None]
        )
        out[i : i + chunk] = d.min(axis=1) <= radius_m  # NaN points: False
    return np.asarray(out & ~(np.isnan(plat) | np.isnan(plon)), dtype=bool)


def kelurahan_population(
    regions: pd.DataFrame, population: pd.DataFrame, year: int, city: str
) -> pd.DataFrame:
    """Kelurahan valid in ``year`` with centroid, kecamatan and population (nearest year)."""
    kec = kecamatan_areas(regions, city)["area_code"]
    kel = regions[(regions["level"] == "kelurahan") & regions["parent"].isin(kec)]
    ys, ye = pd.Timestamp(year=year, month=1, day=1), pd.Timestamp(year=year, month=12, day=31)
    vf, vt = pd.to_datetime(kel["valid_from"]), pd.to_datetime(kel["valid_to"])
    kel = kel[(vf.isna() | (vf <= ye)) & (vt.isna() | (vt >= ys))]
    pop = population[population["area_code"].isin(kel["area_code"])].copy()
    pop["dist"] = (pop["year"] - year).abs() * 2 + (pop["year"] > year)  # prefer earlier year
    pop = pop.sort_values("dist").drop_duplicates("area_code")[["area_code", "population"]]
    out = kel[["area_code", "parent", "lat", "lon"]].merge(pop, on="area_code", how="left")
    return out.rename(columns={"parent": "kecamatan"})


def access_shares_frame(
    regions: pd.DataFrame,
    population: pd.DataFrame,
    assets: Mapping[str, pd.DataFrame],
    *,
    years: Iterable[int],
    city: str | None = None,
    radius_m: float = 500.0,
) -> pd.DataFrame:
    """Pure access computation: ``area_code`` (kecamatan), asset, year, population_within,
    population, share (0–1) for every asset table (columns lat, lon and its date pair), over
    the kecamatan of ``city`` (default: :func:`home_kota`)."""
    frames = []
    city = city or home_kota(regions)
    for year in years:
        kel = kelurahan_population(regions, population, year, city)
        for name, table in assets.items():
            start, end = ASSET_DATES[name]
            active = table[active_in(table[start], table[end], year)]
            reach = within_reach(kel, active, radius_m)
            pop = kel["population"].fillna(0).to_numpy(float)
            agg = (
                pd.DataFrame(
                    {
                        "area_code": kel["kecamatan"],
                        "population_within": pop * reach,
                        "population": pop,
                    }
                )
                .groupby("area_code", as_index=False)
                .sum()
            )
            frames.append(agg.assign(asset=name, year=year))
    cols = ["area_code", "asset", "year", "population_within", "population", "share"]
    if not frames:
        return pd.DataFrame(columns=cols)
    out = pd.concat(frames, ignore_index=True)
    out["share"] = out["population_within"] / out["population"].where(out["population"] > 0)
    return out[cols].sort_values(["asset", "year", "area_code"]).reset_index(drop=True)


_REGION_SQL = """select kode_wilayah as area_code, level, name, parent_kode as parent, zone,
    area_km2, lat, lon, valid_from, valid_to from region"""
_HOME_SQL = "select kode_wilayah as area_code, level, is_home_city from region"
_POP_SQL = "select kode_wilayah as area_code, year, population from population"


def access_shares(
    con: duckdb.DuckDBPyConnection,
    *,
    year: int | Iterable[int],
    radius_m: float = 500.0,
    assets: Iterable[str] = ("wifi_hotspots", "transit_stops"),
    city: str | None = None,
) -> pd.DataFrame:
    """Access shares from the warehouse (read-only queries; math in access_shares_frame)."""
    unknown = [a for a in assets if a not in ASSET_DATES]
    if unknown:
        raise MethodError(f"unknown asset table(s) {unknown}; choose from {sorted(ASSET_DATES)}")
    tables = {
        a: query_df(con, f"select lat, lon, {', '.join(ASSET_DATES[a])} from {a}") for a in assets
    }
    years = [year] if isinstance(year, int) else list(year)
    if city is None and "is_home_city" in query_df(con, "describe region")["column_name"].tolist():
        city = home_kota(query_df(con, _HOME_SQL))
    return access_shares_frame(
        query_df(con, _REGION_SQL),
        query_df(con, _POP_SQL),
        tables,
        years=years,
        city=city,
        radius_m=radius_m,
    )


def publish_access_shares(
    con: duckdb.DuckDBPyConnection,
    *,
    years: Iterable[int],
    city: str,
    radii_m: Iterable[float] = ACCESS_RADII_M,
) -> int:
    """Write the table ``access_shares`` (``area_code, asset, year, radius_m, population_within,
    population, share``) for every radius and the asset tables present; returns its rows."""
    assets = [a for a in ("wifi_hotspots", "transit_stops") if table_exists(con, a)]
    needed = ("region", "population")
    frames = (
        [
            access_shares(con, year=list(years), radius_m=r, assets=assets, city=city).assign(
                radius_m=float(r)
            )
            for r in radii_m
        ]
        if assets and all(table_exists(con, t) for t in needed)
        else []
    )
    out = (
        pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=[*ACCESS_COLUMNS])
    )
    con.register("_si_access", out[list(ACCESS_COLUMNS)])
    try:
        con.execute("create or replace table access_shares as select * from _si_access")
    finally:
        con.unregister("_si_access")
    return len(out)
