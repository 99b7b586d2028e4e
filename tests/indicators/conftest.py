"""Fixtures: a small hand-made warehouse with every raw table, and (when the sample generator
and the ETL are available) a small real warehouse built from generated data."""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from smartindex.indicators import load_catalogue

SOURCES = Path(__file__).parents[2] / "smartindex" / "etl" / "sources.toml"
CITY, KEC_A, KEC_B, PEER = "1671", "1671010", "1671020", "3578"
STAT_VALUES = {
    "grdp_constant_idr_bn": 50000.0,
    "employed_persons": 500000.0,
    "major_road_km": 200.0,
    "major_road_km_ict_monitored": 50.0,
    "open_datasets_inventoried": 200.0,
    "open_datasets_published": 150.0,
    "waste_collected_t": 30000.0,
    "waste_diverted_t": 3000.0,
}


def create_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Empty raw tables with the registry's columns and types plus the ETL lineage columns."""
    for src in tomllib.loads(SOURCES.read_text())["source"]:
        cols = ", ".join(f'"{name}" {kind}' for name, kind in src["columns"].items())
        con.execute(
            f'create table "{src["name"]}" ({cols}, _load_id varchar, '
            "_source_file varchar, _row_number bigint)"
        )


def insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    """Append rows (dicts; missing columns NULL) to ``table`` with lineage filled in."""
    frame = pd.DataFrame(rows)
    frame["_load_id"] = f"load-{table}"
    frame["_source_file"] = f"{table}.csv"
    frame["source"] = frame.get("source", "synthetic: test fixture")
    frame["is_synthetic"] = True
    con.register("_rows", frame)
    con.execute(f'insert into "{table}" by name select * from _rows')
    con.unregister("_rows")


def ts(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _geography(con: duckdb.DuckDBPyConnection) -> None:
    insert(
        con,
        "region",
        [
            {
                "kode_wilayah": CITY,
                "level": "kota",
                "name": "Palembang",
                "is_home_city": True,
                "area_km2": 40.0,
                "lat": -2.97,
                "lon": 104.75,
            },
            {
                "kode_wilayah": KEC_A,
                "level": "kecamatan",
                "name": "A",
                "parent_kode": CITY,
                "is_home_city": True,
                "zone": "pusat",
                "area_km2": 10.0,
                "lat": -2.99,
                "lon": 104.75,
            },
            {
                "kode_wilayah": KEC_B,
                "level": "kecamatan",
                "name": "B",
                "parent_kode": CITY,
                "is_home_city": True,
                "zone": "pinggiran",
                "area_km2": 30.0,
                "lat": -2.95,
                "lon": 104.7,
            },
            {
                "kode_wilayah": "1671010001",
                "level": "kelurahan",
                "name": "A1",
                "parent_kode": KEC_A,
                "is_home_city": True,
                "area_km2": 3.0,
                "lat": -2.99,
                "lon": 104.75,
            },
            {
                "kode_wilayah": "1671010002",
                "level": "kelurahan",
                "name": "A2",
                "parent_kode": KEC_A,
                "is_home_city": True,
                "area_km2": 1.0,
                "lat": -2.98,
                "lon": 104.76,
            },
            {
                "kode_wilayah": "1671020001",
                "level": "kelurahan",
                "name": "B1",
                "parent_kode": KEC_B,
                "is_home_city": True,
                "area_km2": 30.0,
                "lat": -2.95,
                "lon": 104.70,
            },
            {
                "kode_wilayah": PEER,
                "level": "kota",
                "name": "Surabaya",
                "is_home_city": False,
                "area_km2": 350.0,
                "lat": -7.25,
                "lon": 112.75,
            },
        ],
    )
    insert(
        con,
        "population",
        [
            {"kode_wilayah": area_code, "year": year, "population": pop, "households": pop // 4}
            for year in (2023, 2024)
            for area_code, pop in ((CITY, 100000), (KEC_A, 60000), (KEC_B, 40000), (PEER, 2000000))
        ],
    )


def _official(con: duckdb.DuckDBPyConnection) -> None:
    codes = tomllib.loads(SOURCES.read_text())["source"][2]["expect"]["in_set"]["stat_code"]
    skip = {"voter_turnout_pct", "women_council_seats_pct", "households_internet_pct"}
    rows = [
        {
            "kode_wilayah": area_code,
            "year": year,
            "stat_code": code,
            "value": STAT_VALUES.get(code, 10.0),
        }
        for area_code in (CITY, PEER)
        for year in (2023, 2024)
        for code in codes
        if code not in skip
    ]
    rows += [
        {"kode_wilayah": CITY, "year": 2023, "stat_code": "voter_turnout_pct", "value": 60.5},
        {"kode_wilayah": CITY, "year": 2024, "stat_code": "women_council_seats_pct", "value": 20.0},
        {"kode_wilayah": CITY, "year": 2024, "stat_code": "households_internet_pct", "value": 80.0},
    ]
    insert(con, "official_stats", rows)


def _complaints(con: duckdb.DuckDBPyConnection) -> None:
    base = {"channel": "lapor", "category": "jalan", "status": "resolved"}
    tickets = [
        (
            "T1",
            KEC_A,
            "2024-12-20 15:00",
            "2024-12-20 16:30",
            "2024-12-20 17:00",
            "2024-12-23 09:00",
            "2024-12-30 10:00",
            "r1",
            {},
        ),
        (
            "T2",
            KEC_A,
            "2024-12-24 10:00",
            "2024-12-24 11:00",
            "2024-12-24 12:00",
            "2024-12-27 10:00",
            "2025-01-30 10:00",
            "r1",
            {},
        ),
        (
            "T3",
            KEC_B,
            "2024-12-28 12:00",
            "2024-12-30 07:30",
            "2024-12-30 07:45",
            "2024-12-30 07:50",
            None,
            "r2",
            {
                "category": "banjir_drainase",
                "kelurahan_code": "1671020001",
                "status": "in_progress",
            },
        ),
        (
            "T5",
            KEC_B,
            "2024-12-02 09:00",
            "2024-12-06 09:00",
            "2024-12-06 10:00",
            "2024-12-16 10:00",
            "2024-12-20 10:00",
            "r3",
            {"category": "banjir_drainase", "lat": -2.95, "lon": 104.70},
        ),
        (
            "T6",
            KEC_A,
            "2024-12-02 09:00",
            None,
            None,
            None,
            None,
            "r4",
            {"category": "banjir_drainase", "status": "rejected", "lat": -2.99, "lon": 104.75},
        ),
        (
            "T7",
            KEC_A,
            "2024-12-03 09:00",
            "2024-12-03 10:00",
            None,
            None,
            None,
            "r4",
            {"status": "returned"},
        ),
        (
            "T8",
            KEC_B,
            "2024-12-09 09:00",
            None,
            None,
            None,
            None,
            None,
            {"category": "banjir_drainase", "status": "received", "lat": -2.9501, "lon": 104.7001},
        ),
        ("T4", KEC_A, "2025-02-01 10:00", None, None, None, None, "r1", {"status": "received"}),
    ]
    rows = []
    for tid, kec, created, verified, dispatched, first, resolved, reporter, extra in tickets:
        rows.append(
            base
            | {
                "ticket_id": tid,
                "kecamatan_code": kec,
                "created_at": ts(created),
                "verified_at": verified and ts(verified),
                "dispatched_at": dispatched and ts(dispatched),
                "first_response_at": first and ts(first),
                "resolved_at": resolved and ts(resolved),
                "closed_at": resolved and ts(resolved),
                "reporter_id": reporter,
            }
            | extra
        )
    insert(con, "complaints", rows)


def _services(con: duckdb.DuckDBPyConnection) -> None:
    insert(
        con,
        "egov_services",
        [
            {
                "service_code": code,
                "service_name_id": code,
                "agency": "Disdukcapil",
                "launched_on": date.fromisoformat(launched),
                "online_since": online and date.fromisoformat(online),
            }
            for code, launched, online in (
                ("S1", "2020-01-01", "2021-01-01"),
                ("S2", "2020-01-01", "2024-05-01"),
                ("S3", "2024-02-01", None),
                ("S4", "2025-06-01", "2025-06-01"),
            )
        ],
    )
    insert(
        con,
        "egov_transactions",
        [
            {
                "txn_id": f"X{i}",
                "service_code": "S1",
                "channel": ch,
                "is_online": ch == "web",
                "kecamatan_code": kec,
                "submitted_at": ts("2024-03-01 10:00"),
                "status": "completed",
            }
            for i, (kec, ch) in enumerate(
                ((KEC_A, "web"), (KEC_A, "web"), (KEC_A, "counter"), (KEC_B, "counter"))
            )
        ],
    )


def survey_rows(n_per_kecamatan: int = 40, year: int = 2024) -> list[dict]:
    """Deterministic respondents: weight 1-4, Likert answers cycling with the index."""
    rows = []
    for i in range(2 * n_per_kecamatan):
        likert = 1 + i % 5
        rows.append(
            {
                "respondent_id": f"P{i}",
                "survey_year": year,
                "kecamatan_code": KEC_A if i % 2 == 0 else KEC_B,
                "weight": 1.0 + i % 4,
                "has_home_internet": i % 3 != 0,
                "used_internet_3m": i % 4 != 0,
                "safe_night": likert,
                "openness": 6 - likert,
                **{
                    f"dl_{p}_{k}": likert
                    for p in ("skills", "ethics", "safety", "culture")
                    for k in (1, 2)
                },
                **{f"ikm_u{k}": 1 + (i + k) % 4 for k in range(1, 10)},
            }
        )
    return rows


def _inventories(con: duckdb.DuckDBPyConnection) -> None:
    d = date.fromisoformat
    insert(
        con,
        "wifi_hotspots",
        [
            {
                "hotspot_id": hid,
                "name": hid,
                "kecamatan_code": kec,
                "lat": -2.98,
                "lon": 104.75,
                "installed_on": d(on),
                "decommissioned_on": off and d(off),
            }
            for hid, kec, on, off in (
                ("H1", KEC_A, "2022-01-01", None),
                ("H2", KEC_A, "2023-06-01", "2024-06-30"),
                ("H3", KEC_A, "2025-01-01", None),
                ("H4", KEC_B, "2024-12-31", None),
            )
        ],
    )
    insert(
        con,
        "cctv_cameras",
        [
            {
                "camera_id": cid,
                "kecamatan_code": kec,
                "lat": -2.98,
                "lon": 104.75,
                "owner": "Dishub",
                "is_public": public,
                "installed_on": d("2020-01-01"),
                "decommissioned_on": off and d(off),
            }
            for cid, kec, public, off in (
                ("C1", KEC_A, True, None),
                ("C2", KEC_A, False, None),
                ("C3", KEC_B, True, "2024-03-01"),
            )
        ],
    )
    insert(
        con,
        "fiber_segments",
        [
            {
                "segment_id": sid,
                "operator": "X",
                "kecamatan_code": KEC_A,
                "length_km": 1.0,
                "homes_passed": homes,
                "built_on": d(built),
            }
            for sid, homes, built in (("F1", 9000, "2023-05-01"), ("F2", 6000, "2024-05-01"))
        ],
    )
    insert(
        con,
        "bts_sites",
        [
            {
                "site_id": "B4G",
                "operator": "X",
                "kecamatan_code": KEC_B,
                "lat": -2.95,
                "lon": 104.70,
                "technology": "4G",
                "coverage_radius_km": 1.0,
                "on_air_on": d("2024-03-01"),
            },
            {
                "site_id": "B3G",
                "operator": "X",
                "kecamatan_code": KEC_A,
                "lat": -2.99,
                "lon": 104.75,
                "technology": "3G",
                "coverage_radius_km": 5.0,
                "on_air_on": d("2015-01-01"),
            },
        ],
    )
    insert(
        con,
        "transit_routes",
        [
            {
                "route_id": rid,
                "mode": mode,
                "name": rid,
                "length_km": km,
                "opened_on": d(on),
                "closed_on": off and d(off),
            }
            for rid, mode, km, on, off in (
                ("R1", "brt", 20.0, "2019-01-01", None),
                ("R2", "lrt", 23.4, "2018-07-01", None),
                ("R3", "feeder", 5.0, "2019-01-01", "2023-06-30"),
            )
        ],
    )
    insert(
        con,
        "transit_stops",
        [
            {
                "stop_id": "P1",
                "route_id": "R1",
                "name": "P1",
                "kecamatan_code": KEC_A,
                "lat": -2.99,
                "lon": 104.752,
                "opened_on": d("2019-01-01"),
            }
        ],
    )
    insert(
        con,
        "transit_ridership",
        [
            {"route_id": rid, "year": 2024, "month": m, "boardings": b}
            for rid, months, b in (("R1", range(1, 13), 1000), ("R2", range(1, 7), 2000))
            for m in months
        ],
    )


def _air(con: duckdb.DuckDBPyConnection) -> None:
    """S1 (reference, A) reads 30 every day of 2024 except four crafted March days; S2
    (reference, B) only two days; S3 (low-cost, B, reading 20 % high) 36 every day."""
    insert(
        con,
        "aq_sensors",
        [
            {
                "sensor_id": sid,
                "name": sid,
                "kecamatan_code": kec,
                "lat": -2.98,
                "lon": 104.75,
                "sensor_type": kind,
                "installed_on": date(2020, 1, 1),
            }
            for sid, kec, kind in (
                ("S1", KEC_A, "reference"),
                ("S2", KEC_B, "reference"),
                ("S3", KEC_B, "low_cost"),
            )
        ],
    )
    day = date(2024, 3, 1)
    crafted = {
        ("S1", 0): (20.0, 24, "ok"),
        ("S1", 1): (40.0, 24, "ok"),
        ("S1", 2): (100.0, 24, "invalid"),
        ("S1", 3): (30.0, 10, "ok"),
    }
    year = [date(2024, 1, 1) + timedelta(days=k) for k in range(366)]
    rows = [
        {"sensor_id": "S1", "date": d, "pm25": 30.0, "n_hours": 24, "qc_flag": "ok"}
        for d in year
        if not day <= d < day + timedelta(days=4)
    ]
    rows += [
        {
            "sensor_id": sid,
            "date": day + timedelta(days=k),
            "pm25": pm,
            "n_hours": hours,
            "qc_flag": flag,
        }
        for (sid, k), (pm, hours, flag) in crafted.items()
    ]
    rows += [
        {"sensor_id": "S2", "date": day, "pm25": 60.0, "n_hours": 24, "qc_flag": "ok"},
        {
            "sensor_id": "S2",
            "date": day + timedelta(days=1),
            "pm25": None,
            "n_hours": 24,
            "qc_flag": "ok",
        },
    ]
    rows += [
        {"sensor_id": "S3", "date": d, "pm25": 36.0, "n_hours": 24, "qc_flag": "ok"} for d in year
    ]
    insert(con, "aq_readings", rows)


def build_fixture_warehouse(con: duckdb.DuckDBPyConnection) -> None:
    """Every raw table, with rows crafted so each indicator has known values."""
    create_raw_tables(con)
    _geography(con)
    _official(con)
    _complaints(con)
    _services(con)
    insert(con, "survey_responses", survey_rows())
    _inventories(con)
    _air(con)
    insert(
        con,
        "targets",
        [
            {
                "indicator_code": "GOV_IKM",
                "kode_wilayah": CITY,
                "year": 2024,
                "target": 85.0,
                "document": "RPJMD",
            }
        ],
    )
    insert(
        con,
        "peer_indicator_values",
        [
            {"kode_wilayah": PEER, "year": 2024, "indicator_code": "GOV_IKM", "value": 80.0},
            {
                "kode_wilayah": CITY,
                "year": 2024,
                "indicator_code": "ECO_NEW_BUSINESS",
                "value": 999.0,
            },
        ],
    )


@pytest.fixture(scope="session")
def catalogue():
    return load_catalogue()


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("indicators") / "fixture.duckdb"
    con = duckdb.connect(str(path))
    build_fixture_warehouse(con)
    con.close()
    return path


@pytest.fixture()
def fixture_con(fixture_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(fixture_db), read_only=True)
    yield con
    con.close()


@pytest.fixture()
def empty_con() -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory warehouse with every raw table and no rows."""
    con = duckdb.connect()
    create_raw_tables(con)
    yield con
    con.close()


@pytest.fixture(scope="session")
def make_row_db() -> Callable[..., duckdb.DuckDBPyConnection]:
    """Build an in-memory warehouse (all tables) with only the given rows, per table."""

    def build(**tables: list[dict]) -> duckdb.DuckDBPyConnection:
        con = duckdb.connect()
        create_raw_tables(con)
        _geography(con)
        for name, rows in tables.items():
            insert(con, name, rows)
        return con

    return build


@pytest.fixture(scope="session")
def sample_warehouse(scored_warehouse: Path) -> Path:
    """The shared small real warehouse (sample data through the ETL; see tests/conftest.py)."""
    return scored_warehouse
