"""Issue 16 item 14: a kecamatan with population 0 keeps every indicator that does not divide
by its population (CCTV per km², fibre per household ...); only the per-resident ones go."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pandas as pd
from conftest import KEC_B

from smartindex.indicators.measure import measure

YEAR = 2024


def _values(db: Path, catalogue) -> pd.DataFrame:
    con = duckdb.connect(str(db))
    try:
        frame = measure(con, catalogue)
    finally:
        con.close()
    return frame[(frame["area_code"] == KEC_B) & (frame["year"] == YEAR)]


def test_zero_population_drops_only_per_resident_indicators(
    fixture_db: Path, tmp_path: Path, catalogue
) -> None:
    before = _values(fixture_db, catalogue)
    population = 40000.0  # KEC_B in the fixture
    per_resident = set(before.loc[before["denominator"] == population, "code"])
    assert per_resident, "the fixture has per-resident indicators for the kecamatan"
    db = tmp_path / "zero.duckdb"
    shutil.copyfile(fixture_db, db)
    con = duckdb.connect(str(db))
    try:
        con.execute(
            "UPDATE population SET population = 0 WHERE kode_wilayah = ? AND year = ?",
            [KEC_B, YEAR],
        )
    finally:
        con.close()
    after = _values(db, catalogue)
    lost = set(before["code"]) - set(after["code"])
    assert lost == per_resident
    kept = set(after["code"])
    assert {"LIV_CCTV_DENSITY", "MOB_FIBRE_HOMES"} <= kept
    same = before[~before["code"].isin(per_resident)].set_index("code")["value"]
    assert after.set_index("code")["value"].reindex(same.index).tolist() == same.tolist()
