"""Crafted frames for the analysis tests: a city (1671), three peers, three kecamatan.

A plain module (not ``conftest``) so that test files import it by a unique name when several
test folders with their own ``conftest.py`` are collected together."""

from __future__ import annotations

import pandas as pd

from smartindex.indicators import load_catalogue
from smartindex.scoring.results import Results

CITY, PEERS = "1671", ["3578", "3273", "1275"]
KEC = ["1671010", "1671020", "1671030"]
YEARS = [2019, 2020, 2021, 2022, 2023]
DIMS = ["economy", "people", "governance", "mobility", "environment", "living"]

META_ROWS = [
    ("GOV_DISPATCH_6H", "governance", "public_services", "%", "+"),
    ("GOV_SPBE", "governance", "political_strategies", "1–5", "+"),
    ("MOB_WIFI_DENSITY", "mobility", "ict_infrastructure", "per 100 000", "+"),
    ("ENV_PM25", "environment", "pollution", "µg/m³", "-"),
    ("ECO_UNEMPLOYMENT", "economy", "labour_market_flexibility", "%", "-"),
    ("ECO_PATENTS", "economy", "innovative_spirit", "per 100 000", "+"),
    ("LIV_POVERTY", "living", "social_cohesion", "%", "-"),
    ("LIV_PHYSICIANS", "living", "health", "per 100 000", "+"),
    ("PEO_INTERNET_USE", "people", "flexibility", "%", "+"),
]

CITY_SERIES = {
    "GOV_DISPATCH_6H": [70, 72, 75, 78, 80],
    "GOV_SPBE": [2.5, 2.7, 2.9, 3.0, 3.1],
    "MOB_WIFI_DENSITY": [10, 11, 12, 13, 14],
    "ENV_PM25": [20, 22, 25, 28, 31],
    "ECO_UNEMPLOYMENT": [8, 7.5, 7, 6.5, 6],
    "ECO_PATENTS": [3, 3.5, 4, 4.5, 5],
    "LIV_POVERTY": [12, 11.9, 11.8, 11.7, 11.6],
    "PEO_INTERNET_USE": [60, 65, 70, 75, 80],
}
PEER_2023 = {"GOV_SPBE": [3.6, 3.8, 4.0], "ECO_PATENTS": [3, 4, 6]}
DISTRICT_2023 = {"MOB_WIFI_DENSITY": [1, 2, 10], "PEO_INTERNET_USE": [80, 82, 84]}
TARGETS = [
    ("GOV_SPBE", 2023, 3.5),
    ("GOV_SPBE", 2025, 4.0),
    ("LIV_POVERTY", 2023, 11.0),
    ("LIV_POVERTY", 2025, 9.0),
    ("ECO_UNEMPLOYMENT", 2023, 6.5),
    ("ECO_UNEMPLOYMENT", 2025, 5.5),
    ("GOV_DISPATCH_6H", 2023, 75.0),
]


def meta_frame() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "code": c,
                "name_id": f"nama {c}",
                "name_en": f"name {c}",
                "dimension": d,
                "factor": f,
                "unit": u,
                "direction": s,
            }
            for c, d, f, u, s in META_ROWS
        ]
    )


def _values() -> pd.DataFrame:
    rows = [
        (CITY, "kota", y, c, v)
        for c, s in CITY_SERIES.items()
        for y, v in zip(YEARS, s, strict=True)
    ]
    rows += [
        (p, "kota", 2023, c, v)
        for c, vs in PEER_2023.items()
        for p, v in zip(PEERS, vs, strict=True)
    ]
    rows += [
        (k, "kecamatan", 2023, c, v)
        for c, vs in DISTRICT_2023.items()
        for k, v in zip(KEC, vs, strict=True)
    ]
    rows += [
        (k, "kecamatan", 2022, "MOB_WIFI_DENSITY", v) for k, v in zip(KEC, [2, 3, 8], strict=True)
    ]
    f = pd.DataFrame(rows, columns=["area_code", "area_level", "year", "code", "value"])
    return f.assign(is_reported=True, sources="crafted", coverage=1.0)


def _scores() -> pd.DataFrame:
    rows = []
    base = {CITY: 55.0, "3578": 70.0, "3273": 60.0, "1275": 50.0}
    for y_i, y in enumerate(YEARS):
        for area_code, b in base.items():
            for d in DIMS:
                s = b
                if area_code == CITY and d == "mobility":
                    s = 30.0  # lowest of four: bottom quartile
                if area_code == CITY and d == "environment":
                    s = 60.0 - 5 * y_i  # significant decline
                rows.append(("cities", area_code, y, d, 3, s))
            rows.append(("cities", area_code, y, "INDEX", 4, b))
        for k, s in zip(KEC, [40.0, 50.0, 65.0], strict=True):
            rows.append(("kecamatan", k, y, "INDEX", 4, s))
            rows.append(("kecamatan", k, y, "mobility", 3, s - 5))
    f = pd.DataFrame(rows, columns=["comparison", "area_code", "year", "code", "level", "score"])
    f["rank"] = f.groupby(["comparison", "year", "code"])["score"].rank(
        ascending=False, method="min"
    )
    return f.assign(level_name=f["level"].map({3: "dimension", 4: "index"}), coverage=1.0)


def _regions() -> pd.DataFrame:
    rows = [(CITY, "kota", "Palembang", None, True, None)]
    rows += [
        (p, "kota", n, None, False, None)
        for p, n in zip(PEERS, ["Surabaya", "Bandung", "Medan"], strict=True)
    ]
    rows += [
        (k, "kecamatan", n, CITY, True, z)
        for k, n, z in zip(
            KEC,
            ["Sako", "Ilir Barat I", "Bukit Kecil"],
            ["pinggiran", "pusat", "pusat"],
            strict=True,
        )
    ]
    f = pd.DataFrame(rows, columns=["area_code", "level", "name", "parent", "is_home_city", "zone"])
    return f.assign(area_km2=10.0, lat=None, lon=None, valid_from=None, valid_to=None)


def make_results(values: pd.DataFrame | None = None) -> Results:
    tg = pd.DataFrame(
        [{"code": c, "area_code": CITY, "year": y, "target": t} for c, y, t in TARGETS]
    )
    empty = pd.DataFrame()
    return Results(
        city=CITY,
        indicator_values=_values() if values is None else values,
        targets=tg,
        scores=_scores(),
        uncertainty=empty,
        sensitivity=empty,
        audit=empty,
        regions=_regions(),
        population=empty,
        load_manifest=empty,
        quarantine_summary=empty,
        catalogue=load_catalogue(),
    )
