"""Shared fixtures: one small but real warehouse built sample -> ETL -> score.

The build runs once per test session; under pytest-xdist the workers share it through a
file lock in the common temporary folder.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable
from pathlib import Path

import pytest

FIXTURE_YEARS = (2019, 2025)
FIXTURE_SCALE = 0.05
# Monday to Saturday, 08:00-14:00: a profile's [working_time] (tests/fixtures/cities)
SIX_DAY_WEEK = Path(__file__).resolve().parent / "fixtures" / "cities" / "six-day-week.toml"


def build_scored_warehouse(root: Path) -> Path:
    """Write sample data, load it and score it under ``root``; return the warehouse path."""
    from smartindex.config import Settings
    from smartindex.etl import run_etl
    from smartindex.sample import write_sample
    from smartindex.scoring import compute_scores

    raw, db = root / "raw", root / "warehouse.duckdb"
    write_sample(raw, scale=FIXTURE_SCALE, seed=2026, years=FIXTURE_YEARS)
    settings = Settings(db_path=db, raw_dir=raw)
    run_etl(settings, raw_dir=raw, progress=False)
    compute_scores(settings, uncertainty_runs=40, seed=2026)
    return db


@pytest.fixture(scope="session")
def scored_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path to a small real warehouse with scores (read it read-only; copy to modify)."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent
    root = shared / "scored-warehouse"
    root.mkdir(exist_ok=True)
    with open(shared / "scored-warehouse.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            db = root / "warehouse.duckdb"
            if not (root / "done").exists():
                build_scored_warehouse(root)
                (root / "done").touch()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return db


@pytest.fixture(scope="session")
def scored_results(scored_warehouse: Path):
    """The ``Results`` of the fixture warehouse."""
    from smartindex.scoring.results import load_results

    return load_results(scored_warehouse)


@pytest.fixture(scope="session")
def six_day_profile() -> Callable[[Path, str, str], Path]:
    """``write(path, code, name)``: the profile of city ``code`` working Monday to Saturday,
    08:00-14:00, written to ``path`` (its folder made); returns ``path``."""

    def write(path: Path, code: str, name: str) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        city = (
            f'profile_version = 1\n\n[city]\nbps_code = "{code}"\n'
            f'kemendagri_code = "{code[:2]}.{code[2:]}"\nname_id = "{name}"\n'
            'timezone = "Asia/Jakarta"\n\n'
        )
        path.write_text(city + SIX_DAY_WEEK.read_text("utf-8"), encoding="utf-8")
        return path

    return write
