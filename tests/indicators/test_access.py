"""Access shares on hand-checked geometry (smartindex.indicators.access)."""

from __future__ import annotations

import math

import duckdb
import numpy as np
import pandas as pd
import pytest

from smartindex.indicators.access import (
    access_shares,
    access_shares_frame,
    active_in,
    haversine_m,
)

M_PER_DEG = math.pi / 180 * 6_371_008.8  # one degree of latitude, metres


def test_haversine_one_degree_latitude():
    assert haversine_m(0, 0, 1, 0) == pytest.approx(M_PER_DEG)
    assert haversine_m(-3.0, 104.7, -3.0, 104.7) == 0
    d = haversine_m(np.array([[0.0], [1.0]]), 0.0, np.array([[0.0, 0.5]]), 0.0)
    assert d.shape == (2, 2)


def test_active_in_year_end_rule():
    start = pd.Series(["2020-01-01", "2024-01-01", "2020-01-01", "2020-01-01", "2023-12-31"])
    end = pd.Series([None, None, "2023-06-30", "2024-03-01", "2023-12-31"])
    assert active_in(start, end, 2023).tolist() == [True, False, False, True, False]
    assert active_in(start, end, 2022).tolist() == [True, False, True, True, False]


def _geometry():
    regions = pd.DataFrame(
        {
            "area_code": ["1671", "1671010", "1671020", "1671010001", "1671010002", "1671020001"],
            "level": ["kota", "kecamatan", "kecamatan", "kelurahan", "kelurahan", "kelurahan"],
            "name": ["Palembang", "A", "B", "a1", "a2", "b1"],
            "parent": [None, "1671", "1671", "1671010", "1671010", "1671020"],
            "zone": [None, "pusat", "pinggiran", None, None, None],
            "area_km2": 1.0,
            "lat": [None, None, None, 0.0, 0.01, np.nan],
            "lon": [None, None, None, 0.0, 0.0, np.nan],
            "valid_from": None,
            "valid_to": None,
        }
    )
    population = pd.DataFrame(
        {
            "area_code": ["1671010001", "1671010002", "1671020001"],
            "year": 2023,
            "population": [1000, 3000, 500],
        }
    )
    wifi = pd.DataFrame(
        {
            "lat": [0.004, 0.0],
            "lon": [0.0, 0.0],
            "installed_on": ["2020-01-01", "2024-01-01"],
            "decommissioned_on": [None, None],
        }
    )
    stops = pd.DataFrame(
        {"lat": [0.0125], "lon": [0.0], "opened_on": ["2021-05-01"], "closed_on": [None]}
    )
    return regions, population, wifi, stops


def test_access_shares_hand_checked_geometry():
    regions, population, wifi, stops = _geometry()
    # a1 at 0 m, a2 at 1112 m; hotspot 445 m from a1, 667 m from a2; stop 278 m from a2
    out = access_shares_frame(
        regions,
        population,
        {"wifi_hotspots": wifi, "transit_stops": stops},
        years=[2023],
        radius_m=500,
    )
    w = out[out["asset"] == "wifi_hotspots"].set_index("area_code")
    assert w.loc["1671010", "population_within"] == 1000
    assert w.loc["1671010", "share"] == pytest.approx(0.25)
    assert w.loc["1671020", "share"] == 0  # no coordinates: counted, never within
    t = out[out["asset"] == "transit_stops"].set_index("area_code")
    assert t.loc["1671010", "share"] == pytest.approx(0.75)
    wide = access_shares_frame(
        regions, population, {"wifi_hotspots": wifi}, years=[2023], radius_m=700
    ).set_index("area_code")
    assert wide.loc["1671010", "share"] == 1.0


def test_access_shares_from_duckdb():
    regions, population, wifi, stops = _geometry()
    con = duckdb.connect(":memory:")
    con.register(
        "r", regions.rename(columns={"area_code": "kode_wilayah", "parent": "parent_kode"})
    )
    con.execute("create table region as select * from r")
    con.register("p", population.rename(columns={"area_code": "kode_wilayah"}))
    con.execute("create table population as select * from p")
    for name, frame in (("wifi_hotspots", wifi), ("transit_stops", stops)):
        con.register("t", frame)
        con.execute(f"create table {name} as select * from t")
        con.unregister("t")
    out = access_shares(con, year=2023, radius_m=500.0)
    assert list(out.columns) == [
        "area_code",
        "asset",
        "year",
        "population_within",
        "population",
        "share",
    ]
    assert out.set_index(["asset", "area_code"]).loc[("wifi_hotspots", "1671010"), "share"] == 0.25
