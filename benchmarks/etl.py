"""ETL speed benchmark (not a test): the full validated ETL vs a bare DuckDB ``read_csv``.

    .venv/bin/python benchmarks/etl.py                  # both cases below, in one run
    .venv/bin/python benchmarks/etl.py --only bundled   # just the bundled data (data/raw)
    .venv/bin/python benchmarks/etl.py --only complaints --complaints-rows 2000000

Two cases, each measured in the same run as its own baseline (timings on a shared machine are
noisy; only the ratio of two timings taken together means something):

* ``bundled``: the bundled sample data as they are (``data/raw``, or ``--raw DIR``; many small
  files: the ETL's cost per file dominates). Target: ratio >= 0.5.
* ``complaints``: region + one complaint-shaped CSV of ``--complaints-rows`` rows (default
  10 M; the cost per row dominates). Target: ratio >= 0.3.

Ratio = bare DuckDB time / ETL time for the same files (the baseline reads every file into a
table of a persistent DuckDB file: no validation, no quarantine, no pseudonymisation). The ETL
runs in a child process (a fresh interpreter: Great Expectations' import counts, as it does for
``smartindex etl``), which also reports its own peak RSS (target <= 3 GB).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

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
# VmHWM: this process image's own peak. ru_maxrss is not: Linux carries the high-water mark of
# the forked copy of the parent into it (here the parent's, after the bare DuckDB baseline).
hwm = [ln for ln in Path("/proc/self/status").read_text().splitlines() if ln.startswith("VmHWM")]
peak = int(hwm[0].split()[1]) / 1024
print(json.dumps({"secs": secs, "peak_mb": peak, "read": sum(f.rows_read for f in rep.files),
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


def full_etl(raw: Path, db: Path) -> dict[str, Any]:
    """The real ETL in a child process (cwd: the repository); its figures and peak RSS."""
    proc = subprocess.run(
        [sys.executable, "-c", ETL_CHILD, str(db), str(raw)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"ETL failed:\n{proc.stderr[-3000:]}")
    last = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")][-1]
    out: dict[str, Any] = json.loads(last)
    return out


TARGETS = {"bundled": 0.5, "complaints": 0.3}


def measure(case: str, raw: Path, work: Path) -> dict[str, Any]:
    """Baseline, then the ETL, on the same files, one right after the other."""
    bare_s, bare_rows = bare_duckdb(raw, work / f"{case}-bare.duckdb")
    etl = full_etl(raw, work / f"{case}-warehouse.duckdb")
    print(
        f"[{case}] bare DuckDB read_csv : {bare_rows:>11,} rows in {bare_s:7.1f} s\n"
        f"[{case}] full ETL (validated): {etl['read']:>11,} rows in {etl['secs']:7.1f} s "
        f"({etl['files']} files, {etl['loaded']:,} loaded, {etl['quarantined']:,} "
        f"quarantined, ok={etl['ok']}, peak RSS {etl['peak_mb']:,.0f} MB)",
        flush=True,
    )
    for e in etl["errors"]:
        print("   ", e)
    return {"case": case, "bare_s": bare_s, "bare_rows": bare_rows, **etl}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--only", choices=sorted(TARGETS), default=None, help="run one case only")
    ap.add_argument("--complaints-rows", type=int, default=10_000_000)
    ap.add_argument(
        "--raw", type=Path, default=ROOT / "data" / "raw", help="the bundled case's files"
    )
    ap.add_argument("--workdir", type=Path, default=None, help="temp files go here")
    args = ap.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="smartindex-bench-", dir=args.workdir) as tmp:
        work = Path(tmp)
        if args.only in {None, "bundled"}:
            results.append(measure("bundled", args.raw, work))
        if args.only in {None, "complaints"}:
            raw = work / "raw"
            make_raw(raw, 1.0, args.complaints_rows)
            results.append(measure("complaints", raw, work))
            shutil.rmtree(raw)
    print()
    print(
        f"{'case':<11} {'rows':>11} {'bare s':>8} {'ETL s':>8} {'ratio':>6} {'target':>7}  peak RSS"
    )
    for r in results:
        ratio = r["bare_s"] / r["secs"]
        target = TARGETS[r["case"]]
        print(
            f"{r['case']:<11} {r['read']:>11,} {r['bare_s']:>8.1f} {r['secs']:>8.1f} "
            f"{ratio:>6.2f} {'>= ' + str(target):>7}  {r['peak_mb']:,.0f} MB "
            f"({'met' if ratio >= target else 'NOT met'})"
        )


if __name__ == "__main__":
    main()
