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


def test_reading_results_imports_neither_the_engine_nor_scipy_stats() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import smartindex.scoring.results, smartindex.analysis.scorecard\n"
        "import smartindex.analysis.recommend, smartindex.display.status\n"
        "print(sorted(m for m in ('smartindex.engine', 'scipy.stats', 'smartindex.scoring.publish')"
        " if m in sys.modules))\n"
        "from smartindex.scoring import compute_scores\n"
        "print(compute_scores.__module__, 'smartindex.engine' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out == ["[]", "smartindex.scoring.publish True"]  # publishing still one import away


def test_memoised_values_are_computed_once_and_copied(scored_results) -> None:
    import dataclasses

    r = dataclasses.replace(scored_results, memo={})
    calls: list[int] = []

    def compute() -> dict[str, list[int]]:
        calls.append(1)
        return {"years": [2024, 2025]}

    first = r.memoised(("test",), compute)
    first["years"].append(0)  # the caller's copy
    assert r.memoised(("test",), compute) == {"years": [2024, 2025]} and len(calls) == 1
    frame = r.memoised(("frame",), lambda: r.regions.head(2))
    frame.loc[:, "name"] = "x"
    assert (r.memoised(("frame",), lambda: r.regions.head(0))["name"] != "x").all()


def test_a_key_being_computed_is_waited_for_not_computed_twice(scored_results) -> None:
    import dataclasses
    import threading
    import time

    r = dataclasses.replace(scored_results, memo={})
    calls: list[str] = []
    started = threading.Event()

    def slow() -> list[str]:
        calls.append(threading.current_thread().name)
        started.set()
        time.sleep(0.3)
        return ["done"]

    other = threading.Thread(target=r.memoised, args=(("slow",), slow), name="warm-up")
    other.start()
    assert started.wait(5)
    assert r.memoised(("slow",), slow) == ["done"]  # waited for the other thread's value
    other.join(5)
    assert calls == ["warm-up"]
