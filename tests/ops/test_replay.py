"""One bundled year replayed through the live path (simulator -> HTTP client -> store) gives
exactly the annual catalogue values of every complaint indicator, on the national working week
and on a city's own (issue #15)."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from smartindex.config import Settings
from smartindex.etl import run_etl
from smartindex.indicators import load_catalogue, measure
from smartindex.indicators.measure import COLUMNS
from smartindex.ops.client import Client
from smartindex.ops.ingest import pull
from smartindex.ops.kpi import complaint_codes, measure_live
from smartindex.ops.simulator import SimClock, Simulator, Tickets, serving
from smartindex.ops.store import connect, open_store
from smartindex.warehouse.connection import connect as connect_warehouse

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"
YEAR_FILE = "complaints_2024.csv.gz"
KEY = "replay-key"
# Monday to Saturday, 08:00-14:00 without breaks: a city week unlike the national one
SIX_DAYS = (((480, 840),),) * 6 + ((),)
# the indicators counted in working hours or days
WORKING_TIME = {"GOV_VERIFIED_3WD", "GOV_FOLLOWUP_5WD", "GOV_FIRST_RESPONSE_WH"}
KEEP = list(COLUMNS[: COLUMNS.index("coverage") + 1])  # the measured columns, not provenance


@pytest.fixture(scope="module")
def annual(tmp_path_factory):
    """The annual path: the bundled year through the ETL into a warehouse."""
    root = tmp_path_factory.mktemp("annual")
    raw = root / "raw"
    raw.mkdir()
    for name in ("region.csv", "population.csv", YEAR_FILE):
        shutil.copy(RAW / name, raw / name)
    settings = Settings(db_path=root / "warehouse.duckdb", raw_dir=raw, pseudonym_key=KEY)
    run_etl(settings, raw_dir=raw, progress=False)
    return settings.db_path


@pytest.fixture(scope="module")
def live(annual, tmp_path_factory):
    """The live path: the same tickets (those the ETL accepted) served and pulled over HTTP."""
    with connect_warehouse(annual, read_only=True) as con:
        kept = set(con.execute("select _row_number from complaints").df()["_row_number"])
    frame = pd.read_csv(RAW / YEAR_FILE, dtype=str, keep_default_na=False, na_values=[""])
    frame = frame[[i + 2 in kept for i in range(len(frame))]]  # line 1 is the header
    sim = Simulator(Tickets(frame), SimClock(datetime(2025, 1, 1), speed=0))
    store = open_store(tmp_path_factory.mktemp("live") / "ops")
    with serving(sim) as url:
        pull(store, Client(url, page_size=5000), feed="replay", pseudonym_key=KEY)
    return store


def test_live_tickets_are_the_annual_rows(annual, live):
    with connect_warehouse(annual, read_only=True) as con:
        columns = [
            c
            for c in con.execute("select * from complaints limit 0").df().columns
            if not c.startswith("_")
        ]
        expected = con.execute(
            f"select {', '.join(columns)} from complaints order by ticket_id"
        ).df()
    with connect(live) as con:
        got = con.execute(f"select {', '.join(columns)} from complaints order by ticket_id").df()
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def _annual(annual, catalogue, week=None) -> pd.DataFrame:
    with connect_warehouse(annual, read_only=True) as con:
        return measure(con, catalogue, codes=complaint_codes(catalogue), week=week)[KEEP]


def test_live_kpis_equal_the_annual_catalogue_values(annual, live):
    catalogue = load_catalogue()
    codes = complaint_codes(catalogue)
    assert {"GOV_VERIFIED_3WD", "GOV_FOLLOWUP_5WD", "GOV_RESOLVED_30D"} <= set(codes)
    expected = _annual(annual, catalogue)
    got = measure_live(live, annual, catalogue)
    assert len(expected) > 100
    pd.testing.assert_frame_equal(got[KEEP], expected)


def test_live_kpis_on_the_city_s_week_equal_the_annual_ones_on_it(annual, live):
    catalogue = load_catalogue()
    assert set(complaint_codes(catalogue)) >= WORKING_TIME
    expected = _annual(annual, catalogue, SIX_DAYS)
    got = measure_live(live, annual, catalogue, week=SIX_DAYS)
    pd.testing.assert_frame_equal(got[KEEP], expected)
    # the week matters: the working-time indicators differ from the national week's, the
    # others do not
    national = _annual(annual, catalogue)
    moved = expected["value"].ne(national["value"]) & expected["value"].notna()
    assert set(expected.loc[moved, "code"]) == WORKING_TIME
