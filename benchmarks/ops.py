"""Live-operations figures: ingest rate, freshness, dashboard query time.

Run: ``.venv/bin/python benchmarks/ops.py [--quick]``. Prints

* sustained ingest in events/s from the GeoReport simulator over HTTP (two bundled years,
  frozen clock, pages of 5 000) and from dropped files (GeoReport JSON and complaint CSV);
* freshness: for every event the simulator publishes while a follower polls at the default
  interval, the seconds from its publication (the simulated clock passing its time) to its
  batch being in the store (visible to the next snapshot) - distribution;
* dashboard query time: ``ops.snapshot`` on a store holding 2 000 000 tickets (a national
  LAPOR! year, ~13 M events; compacted, plus a fresh batch touching 2 000 of them), median of
  several refreshes.  ``--store DIR`` builds that store once in DIR (outside the repository)
  and reuses it; it is compacted again only when its refresh files are not current.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

import duckdb
import numpy as np

from smartindex.config import DEMO_PSEUDONYM_KEY
from smartindex.ops import Client, Follow, compact, follow, open_store, pull, snapshot
from smartindex.ops.ingest import ingest_folder
from smartindex.ops.model import DEFAULT_ZONE, wall_clock
from smartindex.ops.run import DEFAULT_POLL
from smartindex.ops.simulator import SimClock, Simulator, Tickets, serving
from smartindex.ops.store import Store, connect

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
YEARS = ("complaints_2024.csv.gz", "complaints_2025.csv.gz")
KEY = DEMO_PSEUDONYM_KEY


def events_in(store: Store) -> int:
    with connect(store) as con:
        return int(con.execute("select count(*) from ops_events").fetchone()[0])  # type: ignore[index]


def ingest_from_simulator(root: Path, files: list[Path]) -> None:
    tickets = Tickets.from_csv(files)
    sim = Simulator(tickets, SimClock(datetime(2026, 1, 1), speed=0))
    store = open_store(root / "sim")
    with serving(sim) as url:
        start = time.perf_counter()
        done = pull(store, Client(url, page_size=5000), feed="bench", pseudonym_key=KEY)
        seconds = time.perf_counter() - start
    print(
        f"ingest from the simulator: {done.events:,} events ({done.records:,} records, "
        f"{done.batches} batches) in {seconds:.1f} s = {done.events / seconds:,.0f} events/s"
    )


def ingest_from_files(root: Path, files: list[Path]) -> None:
    inbox = root / "inbox"
    inbox.mkdir()
    tickets = Tickets.from_csv(files[:1])
    records = [
        tickets.request(i, datetime(2026, 1, 1), DEFAULT_ZONE) for i in range(len(tickets.rows))
    ]
    (inbox / "georeport.json").write_text(json.dumps(records, default=str))
    for path in files[1:]:
        (inbox / path.name).write_bytes(path.read_bytes())
    store = open_store(root / "files")
    start = time.perf_counter()
    done = ingest_folder(store, inbox, pseudonym_key=KEY)
    seconds = time.perf_counter() - start
    print(
        f"ingest from files (GeoReport JSON + complaint CSV): {done.events:,} events in "
        f"{seconds:.1f} s = {done.events / seconds:,.0f} events/s"
    )


def freshness(root: Path, files: list[Path], seconds: float, speed: float) -> None:
    tickets = Tickets.from_csv(files[-1:])
    start_sim = datetime(2025, 3, 1)
    clock = SimClock(start_sim, speed)
    epoch0 = time.time() - (time.monotonic() - clock.wall0)
    store = open_store(root / "fresh")
    stop = threading.Event()
    with serving(Simulator(tickets, clock)) as url:
        job = Follow(pseudonym_key=KEY, url=url, every=DEFAULT_POLL, alert_every=3600)
        worker = threading.Thread(
            target=follow, args=(store, job), kwargs={"stop": stop, "log": lambda s: None}
        )
        worker.start()
        time.sleep(seconds)
        stop.set()
        worker.join()
    with connect(store) as con:
        frame = con.execute(
            """select ts, ingested_at from ops_events
                               where kind <> 'attributes' and ts > ?""",
            [start_sim],
        ).df()
    offset = (wall_clock(DEFAULT_ZONE) - datetime.now()).total_seconds()  # local -> epoch
    published = epoch0 + (frame["ts"] - start_sim).dt.total_seconds() / speed
    visible = frame["ingested_at"].map(lambda t: t.timestamp()) - offset
    lag = (visible - published).to_numpy()
    q = np.percentile(lag, [50, 90, 99])
    print(
        f"freshness at the default poll ({DEFAULT_POLL:g} s), simulator x{speed:g}, "
        f"{len(lag):,} events over {seconds:g} s: median {q[0]:.1f} s, p90 {q[1]:.1f} s, "
        f"p99 {q[2]:.1f} s, max {lag.max():.1f} s"
    )


_SYNTH = """
copy (
with t as (
    select i, 'N' || lpad(i::varchar, 8, '0') as ticket_id,
           timestamp '2025-01-01' + to_seconds(cast(hash(i) % 31536000 as bigint))
               as created,
           cast(hash(i * 7) % 100 as bigint) as r
    from range({n}) r(i)
), ev as (
    select ticket_id, created, r, unnest(['received', 'verified', 'dispatched',
           'first_response', 'resolved', 'closed', 'attributes']) as kind,
           unnest([0, 3, 6, 30, 60, 80, 80]) as hours
    from t
)
select md5(ticket_id || kind) as event_id, ticket_id, kind,
       created + to_hours(hours * (1 + r % 7)) as ts, 'bench' as feed,
       timestamp '2026-01-01' as ingested_at,
       case when kind = 'attributes' then 'C' || ticket_id end as ticket_code,
       case when kind = 'attributes' then 'lapor' end as channel,
       case when kind = 'attributes' then ['jalan', 'sampah', 'banjir_drainase', 'lainnya'][
           1 + r % 4] end as category,
       null::varchar as description,
       case when kind = 'attributes' then '1671' || lpad((10 + r % 18)::varchar, 3, '0')
           || lpad((1 + r % 6)::varchar, 3, '0') end as kelurahan_code,
       case when kind = 'attributes' then '1671' || lpad((10 + r % 18)::varchar, 3, '0')
           end as kecamatan_code,
       case when kind = 'attributes' then -2.99 + (r % 13) / 100.0 end as lat,
       case when kind = 'attributes' then 104.70 + (r % 17) / 100.0 end as lon,
       case when kind = 'attributes' then ['DLH', 'Dinas PUPR', 'Dishub'][1 + r % 3] end
           as agency,
       null::varchar as status_raw, null::varchar as reporter_id,
       null::varchar as reporter_name, null::varchar as reporter_phone,
       case when kind = 'attributes' then 0 end::integer as reopen_count,
       null::integer as rating, null::varchar as source, true as is_synthetic,
       null::varchar as duplicate_of
from ev
-- 3 % of the tickets are still open (Jakarta CRM: ~97 % completed in a year)
where not (r < 3 and kind in ('first_response', 'resolved', 'closed'))
) to '{path}' (format parquet, compression zstd)
"""


def _synth(n: int, path: Path) -> None:
    con = duckdb.connect()
    try:
        con.execute(_SYNTH.format(n=n, path=path))
    finally:
        con.close()


def prepare(root: Path, n: int) -> Store:
    """The dashboard store under ``root``: ``n`` synthetic tickets, compacted, plus a fresh
    batch on top (as between compactions).  Built once and reused when ``root`` is kept
    (``--store``); compacted again only when its compacted files are not current."""
    store = open_store(root / "big")
    fresh, batch = root / "fresh.parquet", store.batches / "b-00000000000000000002-0.parquet"
    batch.unlink(missing_ok=True)
    if not store.state_files():
        start = time.perf_counter()
        _synth(n, store.batches / "b-00000000000000000001-0.parquet")
        print(f"generated {n:,} tickets in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    done = compact(store)
    if done.tickets:
        print(
            f"compacted {done.tickets:,} tickets / {done.events:,} events in "
            f"{time.perf_counter() - start:.1f} s"
        )
    if not fresh.exists():
        _synth(2000, fresh)
    shutil.copy(fresh, batch)
    return store


def dashboard(root: Path, n: int, runs: int) -> None:
    store = prepare(root, n)
    now = datetime(2025, 12, 31, 12)
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        snap = snapshot(store, now=now)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    print(
        f"dashboard refresh (ops.snapshot) on {n:,} tickets: median "
        f"{statistics.median(times):.2f} s, min {min(times):.2f} s, max {max(times):.2f} s "
        f"over {runs} refreshes ({snap.totals['open']:,} open); CPU time of both threads: "
        f"median {statistics.median(cpu):.2f} s; load average {os.getloadavg()[0]:.1f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller runs (for a smoke test)")
    parser.add_argument("--dashboard-only", action="store_true", help="only the query timing")
    parser.add_argument(
        "--store", type=Path, help="keep the dashboard store in this folder and reuse it"
    )
    parser.add_argument("--runs", type=int, help="dashboard refreshes to time")
    args = parser.parse_args(argv)
    files = [RAW / f for f in YEARS if (RAW / f).exists()]
    if not files:
        print(f"no complaint files in {RAW}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="ops-bench-") as tmp:
        root = Path(tmp)
        if not args.dashboard_only:
            ingest_from_simulator(root, files[:1] if args.quick else files)
            ingest_from_files(root, files)
            freshness(root, files, seconds=20 if args.quick else 90, speed=1440)
        runs = args.runs or (3 if args.quick else 5)
        dashboard(args.store or root, n=50_000 if args.quick else 2_000_000, runs=runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
