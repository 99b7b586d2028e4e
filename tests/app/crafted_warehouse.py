"""A small hand-made warehouse with the tables of ``smartindex.results`` (for app tests that must
not depend on the sample generator), scored by the real engine on the real catalogue."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from smartindex.engine import Framework, MethodSpec, build_index
from smartindex.indicators.catalogue import load_catalogue

CITY = "1671"
PEERS = {"3578": ("Kota Surabaya", -7.25, 112.75), "1275": ("Kota Medan", 3.59, 98.67)}
KEC = {"1671040": ("Ilir Barat I", -2.98, 104.73), "1671050": ("Ilir Timur I", -2.97, 104.76),
       "1671060": ("Kemuning", -2.95, 104.74)}
YEARS = (2021, 2022, 2023, 2024)


def _regions() -> pd.DataFrame:
    rows = [(CITY, "kota", "Kota Palembang", None, True, None, 400.6, -2.98, 104.75)]
    rows += [(k, "kota", n, None, False, None, 300.0, la, lo) for k, (n, la, lo) in PEERS.items()]
    rows += [(k, "kecamatan", n, CITY, True, "pusat", 20.0, la, lo)
             for k, (n, la, lo) in KEC.items()]
    cols = ["kode_wilayah", "level", "name", "parent_kode", "is_home_city", "zone", "area_km2",
            "lat", "lon"]
    out = pd.DataFrame(rows, columns=cols)
    return out.assign(valid_from=pd.NaT, valid_to=pd.NaT, source="crafted", is_synthetic=True)


def _values(codes: list[str], units: list[str], rng: np.random.Generator) -> pd.DataFrame:
    rows = [(c, u, y, float(50 + 10 * i % 37 + 3 * (y - 2021) + rng.normal(0, 4)))
            for i, c in enumerate(codes) for u in units for y in YEARS]
    return pd.DataFrame(rows, columns=["code", "unit", "year", "value"])


def _scores(values: pd.DataFrame, framework: Framework, comparison: str) -> pd.DataFrame:
    built = build_index(values[["unit", "year", "code", "value"]], framework, MethodSpec())
    level = framework.column("level")
    s = built.scores.assign(level=built.scores["code"].map(level).astype(int))
    names = {1: "indicator", 2: "factor", 3: "dimension", 4: "index"}
    s = s.assign(level_name=s["level"].map(names), comparison=comparison, run_id="crafted1")
    return s[["run_id", "comparison", "unit", "year", "code", "level", "level_name", "score",
              "rank", "coverage"]]


def build_crafted(path: Path) -> Path:
    """Write the crafted warehouse to ``path`` and return it."""
    rng = np.random.default_rng(7)
    cat = load_catalogue()
    framework = Framework.from_frame(cat.to_framework_frame())
    codes = cat.codes
    city_vals = _values(codes, [CITY, *PEERS], rng)
    kec_vals = _values(codes[:12], list(KEC), rng)
    iv = pd.concat([city_vals.assign(unit_level="kota"), kec_vals.assign(unit_level="kecamatan")])
    iv = iv.assign(numerator=np.nan, denominator=np.nan, n_obs=30, coverage=1.0,
                   is_reported=True, sources="crafted", load_ids="l1")
    scores = pd.concat([_scores(city_vals, framework, "cities"),
                        _scores(kec_vals, Framework.from_frame(_pruned(cat, codes[:12])),
                                "kecamatan")])
    unc = scores[(scores["level"] == 4) & (scores["comparison"] == "cities")]
    unc = pd.DataFrame({"run_id": "crafted1", "comparison": "cities", "unit": unc["unit"],
                        "year": unc["year"], "nominal_rank": unc["rank"],
                        "median_rank": unc["rank"], "mean_rank": unc["rank"],
                        "q05": (unc["rank"] - 1).clip(lower=1), "q95": unc["rank"] + 1})
    sens = pd.DataFrame({"run_id": "crafted1", "comparison": "cities",
                         "assumption": ["normalise", "aggregate", "weights"],
                         "first_order": [0.4, 0.2, 0.1], "total": [0.5, 0.3, 0.2]})
    audit = pd.DataFrame({"run_id": "crafted1", "comparison": "cities", "code": codes,
                          "n": 12, "availability": 1.0, "min": 0.0, "max": 1.0, "mean": 0.5,
                          "median": 0.5, "sd": 0.1, "skew": 0.0, "kurt": 0.0,
                          "outlier_flag": False})
    targets = pd.DataFrame({"indicator_code": codes[0], "kode_wilayah": CITY, "year": [2024, 2026],
                            "target": [60.0, 70.0], "document": "RPJMD", "source": "crafted",
                            "is_synthetic": True})
    pop = pd.DataFrame([(u, y, 100_000, 25_000, "crafted", True)
                        for u in [CITY, *PEERS, *KEC] for y in YEARS],
                       columns=["kode_wilayah", "year", "population", "households", "source",
                                "is_synthetic"])
    manifest = pd.DataFrame({"load_id": ["l1", "l2"], "source_file": ["a.csv", "b.csv"],
                             "sha256": "x", "size_bytes": 10, "table_name": ["a", "b"],
                             "rows_read": [100, 50], "rows_loaded": [98, 50],
                             "rows_quarantined": [2, 0],
                             "started_at": pd.Timestamp("2025-01-01"),
                             "finished_at": pd.Timestamp("2025-01-01"), "status": "loaded",
                             "error": None, "warnings": None})
    quarantine = pd.DataFrame({"load_id": "l1", "source_file": "a.csv", "table_name": "a",
                               "row_number": [3, 9], "columns": "value",
                               "expectation": "between", "reason": "out of range",
                               "value": "=cmd()", "row_json": '{"value": "=cmd()"}'})
    run = pd.DataFrame({"run_id": ["crafted1"], "created_at": [pd.Timestamp("2025-01-02")],
                        "method_json": [json.dumps(MethodSpec().to_dict())],
                        "method_digest": "m", "catalogue_version": "1",
                        "catalogue_digest": cat.digest, "framework_digest": "f",
                        "input_checksums_json": "{}", "package_version": "0"})
    assets = pd.DataFrame({"lat": [-2.98, -2.95], "lon": [104.73, 104.74],
                           "installed_on": pd.Timestamp("2020-01-01"), "removed_on": pd.NaT})
    tables = {"indicator_values": iv, "scores": scores, "uncertainty_ranks": unc,
              "sensitivity_indices": sens, "audit_indicators": audit, "targets": targets,
              "region": _regions(), "population": pop, "load_manifest": manifest,
              "quarantine": quarantine, "run_manifest": run}
    _write(path, tables, assets)
    return path


def _pruned(cat: object, codes: list[str]) -> pd.DataFrame:
    from smartindex.scoring import prune_framework

    return prune_framework(cat.to_framework_frame(), set(codes))  # type: ignore[attr-defined]


def _write(path: Path, tables: dict[str, pd.DataFrame], assets: pd.DataFrame) -> None:
    from smartindex.districts import ASSET_DATES

    con = duckdb.connect(str(path))
    try:
        for name, frame in tables.items():
            con.register("_f", frame)
            con.execute(f'create table "{name}" as select * from _f')
            con.unregister("_f")
        for asset, (start, end) in ASSET_DATES.items():
            con.register("_f", assets.rename(columns={"installed_on": start, "removed_on": end}))
            con.execute(f'create table "{asset}" as select * from _f')
            con.unregister("_f")
    finally:
        con.close()
