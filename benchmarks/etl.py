"""ETL throughput benchmark (not a test): full validated ETL vs a bare DuckDB ``read_csv``.

    .venv/bin/python benchmarks/etl.py                       # sample data at scale 10
    .venv/bin/python benchmarks/etl.py --complaints-rows 10000000   # one 10 M-row complaints file

Prints rows/s of both, their ratio (target >= 0.3), wall time and peak RSS of the ETL process
(target <= 3 GB; measured in a child process so the baseline does not count).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ETL_CHILD = """
import json, sys, time
from pathlib import Path
from smartindex.config import Settings
from smartindex.etl import run_etl
t = time.perf_counter()
rep = run_etl(Settings(db_path=Path(sys.argv[1]), raw_dir=Path(sys.argv[2])), progress=False)
secs = time.perf_counter() - t
print(json.dumps({"secs": secs, "read": sum(f.rows_read for f in rep.files),
                  "loaded": sum(f.rows_loaded for f in rep.files),
                  "quarantined": sum(f.rows_quarantined for f in rep.files),
                  "files": len(rep.files), "ok": rep.ok, "errors": rep.errors[:5]}))
"""

COMPLAINTS_SQL = """
COPY (
  WITH kel AS (SELECT row_number() OVER () - 1 AS k, kode_wilayah AS kel, parent_kode AS kec
               FROM read_csv('{region}', all_varchar=true) WHERE level = 'kelurahan'),
  n AS (SELECT count(*) AS n FROM kel),
  base AS (SELECT i, TIMESTAMP '2024-01-01' + to_seconds(i % 31000000) AS t0
           FROM range({rows}) r(i))
  SELECT 'B' || lpad(i::VARCHAR, 10, '0') AS ticket_id, 'LAPOR-' || i AS ticket_code,
         (['lapor', 'halo_palembang', 'whatsapp', 'instagram'])[1 + i % 4] AS channel,
         (['jalan', 'sampah', 'banjir_drainase', 'parkir_liar'])[1 + i % 4] AS category,
         'Keluhan warga tentang layanan kota nomor ' || i AS description,
         kel.kel AS kelurahan_code,
         CASE WHEN i % 5000 = 7 THEN '1671999' ELSE kel.kec END AS kecamatan_code,
         round(-3.05 + (i % 1777) / 10000.0, 5) AS lat,
         round(104.65 + (i % 2333) / 10000.0, 5) AS lon,
         'Dinas PUPR' AS agency, 'selesai' AS status_raw, 'resolved' AS status,
         'NIK' || (1671000000000000 + i % 700000) AS reporter_id,
         'Warga ' || (i % 250000) AS reporter_name,
         '+62812' || lpad((i % 9000000)::VARCHAR, 7, '0') AS reporter_phone,
         t0 AS created_at, t0 + INTERVAL 1 HOUR AS verified_at,
         t0 + INTERVAL 2 HOUR AS dispatched_at,
         t0 + INTERVAL 3 HOUR AS first_response_at,
         CASE WHEN i % 2000 = 3 THEN t0 - INTERVAL 1 DAY ELSE t0 + INTERVAL 2 DAY END
           AS resolved_at,
         t0 + INTERVAL 3 DAY AS closed_at, i % 3 AS reopen_count,
         CASE WHEN i % 1000 = 5 THEN 9 ELSE 1 + i % 5 END AS rating,
         'synthetic: benchmark' AS source, true AS is_synthetic
  FROM base JOIN kel ON kel.k = base.i % (SELECT n FROM n)
  ORDER BY i
) TO '{out}' (HEADER, DELIMITER ',')
"""


def make_raw(raw: Path, scale: float, complaints_rows: int | None) -> None:
    from smartindex.sample import write_sample

    t = time.perf_counter()
    if complaints_rows is None:
        write_sample(raw, scale=scale)
    else:
        full = raw.parent / "sample"
        write_sample(full, scale=0.1)
        raw.mkdir(parents=True)
        (raw / "region.csv").write_bytes((full / "region.csv").read_bytes())
        with duckdb.connect() as con:
            con.execute("SET enable_progress_bar = false")
            con.execute(
                COMPLAINTS_SQL.format(
                    region=raw / "region.csv",
                    rows=complaints_rows,
                    out=raw / "complaints_bench.csv",
                )
            )
    size = sum(p.stat().st_size for p in raw.iterdir()) / 1e6
    print(f"generated {raw} ({size:,.0f} MB) in {time.perf_counter() - t:.1f} s")


def bare_duckdb(raw: Path, db: Path) -> tuple[float, int]:
    """CREATE TABLE AS read_csv / read_parquet of every raw file into a persistent DuckDB file."""
    files = sorted(p for p in raw.iterdir() if p.name.endswith((".csv", ".csv.gz", ".parquet")))
    t, rows = time.perf_counter(), 0
    with duckdb.connect(str(db)) as con:
        con.execute("SET enable_progress_bar = false")
        for i, p in enumerate(files):
            delim = ";" if p.name.startswith("official_stats") else ","
            reader = (
                f"read_parquet('{p}')"
                if p.suffix == ".parquet"
                else f"read_csv('{p}', delim='{delim}', header=true)"
            )
            con.execute(f"CREATE TABLE t{i} AS SELECT * FROM {reader}")
            rows += con.execute(f"SELECT count(*) FROM t{i}").fetchall()[0][0]
        con.execute("CHECKPOINT")
    return time.perf_counter() - t, rows


def full_etl(raw: Path, db: Path) -> tuple[dict, float]:
    """The real ETL in a child process; returns its figures and its peak RSS in MB."""
    proc = subprocess.run(
        [sys.executable, "-c", ETL_CHILD, str(db), str(raw)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"ETL failed:\n{proc.stderr[-3000:]}")
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    last = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")][-1]
    return json.loads(last), peak_mb


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--scale", type=float, default=10.0)
    ap.add_argument(
        "--complaints-rows",
        type=int,
        default=None,
        help="benchmark one complaint-shaped CSV of N rows (+ region) instead",
    )
    ap.add_argument("--workdir", type=Path, default=None, help="temp files go here")
    ap.add_argument("--raw", type=Path, default=None, help="use this raw directory as is")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="smartindex-bench-", dir=args.workdir) as tmp:
        work = Path(tmp)
        raw = args.raw or work / "raw"
        if args.raw is None:
            make_raw(raw, args.scale, args.complaints_rows)
        bare_s, bare_rows = bare_duckdb(raw, work / "bare.duckdb")
        etl, peak_mb = full_etl(raw, work / "warehouse.duckdb")
    bare_rate, etl_rate = bare_rows / bare_s, etl["read"] / etl["secs"]
    print(
        f"bare DuckDB read_csv : {bare_rows:>12,} rows in {bare_s:7.1f} s "
        f"= {bare_rate:>11,.0f} rows/s"
    )
    print(
        f"full ETL (validated) : {etl['read']:>12,} rows in {etl['secs']:7.1f} s "
        f"= {etl_rate:>11,.0f} rows/s  ({etl['files']} files, {etl['loaded']:,} loaded, "
        f"{etl['quarantined']:,} quarantined, ok={etl['ok']})"
    )
    print(f"ratio ETL / bare     : {etl_rate / bare_rate:.2f}  (target >= 0.30)")
    print(f"peak RSS of the ETL  : {peak_mb:,.0f} MB  (target <= 3,000 MB)")
    for e in etl["errors"]:
        print("  ", e)


if __name__ == "__main__":
    main()
