"""Loading published results: the object the app, the report and notebooks share."""

from __future__ import annotations

import pickle
from pathlib import Path

import duckdb
import pytest

from smartindex.errors import WarehouseError
from smartindex.scoring.results import load_results


def test_results_hold_the_published_run(scored_results) -> None:
    r = scored_results
    assert r.city == "1671" and r.latest_year == 2025 and r.years[0] == 2019
    assert {"cities", "kecamatan"} <= set(r.scores["comparison"])
    assert r.manifest["method"]["name"] == "default"
    assert r.area_name("1671") == "Kota Palembang"
    assert (
        r.load_manifest["rows_read"]
        == r.load_manifest["rows_loaded"] + r.load_manifest["rows_quarantined"]
    ).all()
    assert r.quarantine_summary["n_rows"].sum() > 0
    assert pickle.loads(pickle.dumps(r)).scores.equals(r.scores)


def test_missing_and_unscored_warehouses_say_what_to_run(tmp_path: Path) -> None:
    with pytest.raises(WarehouseError, match="smartindex etl"):
        load_results(tmp_path / "none.duckdb")
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    with pytest.raises(WarehouseError, match="smartindex score"):
        load_results(empty)
