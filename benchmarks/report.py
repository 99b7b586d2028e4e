"""Benchmark: time to build the full annual PDF report (target ≤ 20 s per report).

    .venv/bin/python benchmarks/report.py [--db data/warehouse.duckdb] [--lang id en]

Without an existing warehouse a small sample one is built first (not timed).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 20.0


def sample_warehouse(root: Path) -> Path:
    """Sample data -> ETL -> score under ``root`` (the test fixture's recipe)."""
    from smartindex.config import Settings
    from smartindex.etl import run_etl
    from smartindex.sample import write_sample
    from smartindex.scoring import compute_scores

    raw, db = root / "raw", root / "warehouse.duckdb"
    write_sample(raw, scale=0.05, seed=2026, years=(2019, 2025))
    settings = Settings(db_path=db, raw_dir=raw)
    run_etl(settings, raw_dir=raw, progress=False)
    compute_scores(settings, uncertainty_runs=40, seed=2026)
    return db


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("data/warehouse.duckdb"))
    parser.add_argument("--lang", nargs="+", default=["id", "en"])
    args = parser.parse_args(argv)
    from smartindex.report import build_report
    from smartindex.scoring.results import load_results

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db if args.db.exists() else sample_warehouse(Path(tmp))
        results = load_results(db)
        year, worst = results.latest_year, 0.0
        for lang in args.lang:
            start, cpu = time.perf_counter(), time.process_time()
            path = build_report(results, year=year, lang=lang, out_dir=Path(tmp) / "out")
            took, used = time.perf_counter() - start, time.process_time() - cpu
            worst = max(worst, took)
            size = path.stat().st_size / 1e6
            print(f"report {year} {lang}: {took:.2f} s wall, {used:.2f} s CPU ({size:.2f} MB)")
    print(f"slowest report: {worst:.2f} s (target ≤ {TARGET_S:.0f} s)")
    return 0 if worst <= TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
