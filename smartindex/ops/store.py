"""The live store: append-only Parquet batches in a folder, read by DuckDB, no server.

Layout under the store root::

    batches/     b-<ns>-<pid>.parquet   events as ingested (one file per batch)
    compacted/   state-<ns>.parquet     one folded row per ticket
                 events-<ns>.parquet    every event once (the timelines)
    quarantine/  q-<ns>.jsonl           rejected records with their reason
    state/       *.json                 cursors and source state (written atomically)
    alerts/      outbox and delivery receipts (see ``alerts``)
    ingest.lock  held (flock) by the one running ingester

Every file is written under a temporary name, fsync'ed and renamed into place, so a reader
sees a whole batch or none of it.  Readers never take a lock: they list the files and let DuckDB
read them.  The fold of a ticket's events is idempotent (first/last times, the latest status by
time, the latest attributes by version, the set of reopen times), so the same event twice,
or a batch that is also inside a compacted file after a crash, changes nothing visible.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from smartindex.errors import SmartIndexError
from smartindex.etl.pseudonymise import hash_sql
from smartindex.ops.model import (
    ATTRIBUTE_COLUMNS,
    CLOSED_KINDS,
    EVENT_SCHEMA,
    OPEN_FOREVER,
    PERSONAL,
    STAGE_KINDS,
    STATUS_OF_KIND,
    Rejected,
)

T = TypeVar("T")
COMPLAINT_COLUMNS = (
    "ticket_id",
    "ticket_code",
    "channel",
    "category",
    "description",
    "kelurahan_code",
    "kecamatan_code",
    "lat",
    "lon",
    "agency",
    "status_raw",
    "status",
    "reporter_id",
    "reporter_name",
    "reporter_phone",
    "created_at",
    "verified_at",
    "dispatched_at",
    "first_response_at",
    "resolved_at",
    "closed_at",
    "reopen_count",
    "rating",
    "source",
    "is_synthetic",
)


class StoreLockedError(SmartIndexError):
    """Another ingester holds the store's lock."""


@dataclass(frozen=True)
class Store:
    """A live store folder (see the module docstring)."""

    root: Path

    @property
    def batches(self) -> Path:
        return self.root / "batches"

    @property
    def compacted(self) -> Path:
        return self.root / "compacted"

    @property
    def quarantine_dir(self) -> Path:
        return self.root / "quarantine"

    @property
    def state(self) -> Path:
        return self.root / "state"

    @property
    def alerts(self) -> Path:
        return self.root / "alerts"

    def batch_files(self) -> list[Path]:
        return sorted(self.batches.glob("b-*.parquet"))

    def state_files(self) -> list[Path]:
        return sorted(self.compacted.glob("state-*.parquet"))

    def compacted_event_files(self) -> list[Path]:
        return sorted(self.compacted.glob("events-*.parquet"))


def open_store(root: Path | str) -> Store:
    """The store at ``root`` (its folders are created when missing)."""
    store = Store(Path(root))
    for folder in (store.batches, store.compacted, store.quarantine_dir, store.state, store.alerts):
        folder.mkdir(parents=True, exist_ok=True)
    return store


# ------------------------------------------------------------------ atomic files and the lock


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _tmp(path: Path) -> Path:
    return path.with_name(f".tmp-{os.getpid()}-{time.monotonic_ns()}-{path.name}")


def publish(tmp: Path, path: Path) -> None:
    """fsync ``tmp``, rename it to ``path`` and fsync the folder (all or nothing)."""
    with open(tmp, "rb+") as handle:
        os.fsync(handle.fileno())
    os.rename(tmp, path)
    _fsync_dir(path.parent)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically."""
    tmp = _tmp(path)
    tmp.write_bytes(data)
    publish(tmp, path)


def write_json(path: Path, obj: object) -> None:
    """Replace ``path`` with ``obj`` as JSON, atomically."""
    write_atomic(path, json.dumps(obj, indent=1, sort_keys=True, default=str).encode("utf-8"))


def read_json(path: Path, default: T) -> T | Any:
    """The JSON in ``path`` or ``default`` when it does not exist."""
    try:
        return json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return default


@contextmanager
def ingest_lock(store: Store) -> Iterator[None]:
    """Hold the store's ingest lock; a second holder gets StoreLockedError at once."""
    path = store.root / "ingest.lock"
    handle = open(path, "a+")  # noqa: SIM115 - held for the whole block
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            raise StoreLockedError(
                f"{store.root}: another ingester is running (pid {holder}); not starting a second"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.close()


# ------------------------------------------------------------------ writing


def _stamp() -> str:
    return f"{time.time_ns():020d}-{os.getpid()}"


def pseudonymise(table: pa.Table, key: str) -> pa.Table:
    """Replace the reporter columns by the ETL's keyed hash (computed by DuckDB)."""
    con = duckdb.connect()
    try:
        con.register("_batch", table)
        select = ", ".join(
            f"{hash_sql(name)} as {name}" if name in PERSONAL else name
            for name in EVENT_SCHEMA.names
        )
        result = con.sql(f"select {select} from _batch", params={"key": key}).to_arrow_table()
        if result is None:
            raise SmartIndexError("pseudonymise: DuckDB returned no table")
        return result.cast(EVENT_SCHEMA)
    finally:
        con.close()


def append_batch(store: Store, table: pa.Table, *, pseudonym_key: str) -> Path | None:
    """Write ``table`` (events) as one new batch file; None when it is empty."""
    if table.num_rows == 0:
        return None
    path = store.batches / f"b-{_stamp()}.parquet"
    tmp = _tmp(path)
    pq.write_table(pseudonymise(table, pseudonym_key), tmp, compression="zstd")
    publish(tmp, path)
    return path


def add_quarantine(store: Store, rejected: list[Rejected], *, at: str) -> Path | None:
    """Write rejected records (feed, reason, record, at) as one JSON-lines file."""
    if not rejected:
        return None
    lines = [
        json.dumps({"feed": r.feed, "reason": r.reason, "record": r.record, "at": at})
        for r in rejected
    ]
    path = store.quarantine_dir / f"q-{_stamp()}.jsonl"
    write_atomic(path, ("\n".join(lines) + "\n").encode("utf-8"))
    return path


# ------------------------------------------------------------------ reading (DuckDB SQL)


def _files(paths: list[Path]) -> str:
    return "[" + ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths) + "]"


_KIND_LIST = "[" + ", ".join(f"'{k}'" for k in STAGE_KINDS) + "]"
_STATUS_CASE = (
    "case t.last_kind "
    + " ".join(f"when '{k}' then '{v}'" for k, v in STATUS_OF_KIND.items())
    + " end"
)
_ATTRS = "struct_pack(" + ", ".join(f"{c} := {c}" for c in ATTRIBUTE_COLUMNS) + ")"
_PARTS = f"""
select ticket_id,
       case when kind = 'received' then ts end as created_at,
       case when kind = 'verified' then ts end as verified_at,
       case when kind = 'dispatched' then ts end as dispatched_at,
       case when kind = 'first_response' then ts end as first_response_at,
       case when kind = 'resolved' then ts end as resolved_at,
       case when kind = 'closed' then ts end as closed_at,
       case when kind <> 'attributes' then epoch_us(ts) * 16 + list_position({_KIND_LIST}, kind)
            end as status_key,
       case when kind <> 'attributes' then kind end as last_kind,
       case when kind = 'attributes' then epoch_us(ts) end as attr_key,
       case when kind = 'attributes' then {_ATTRS} end as attrs,
       case when kind = 'reopened' then [ts] end as reopen_at,
       ingested_at as first_ingested_at, ingested_at as last_ingested_at
from {{source}}
"""
_FOLD = f"""
select ticket_id, min(created_at) as created_at, min(verified_at) as verified_at,
       min(dispatched_at) as dispatched_at, min(first_response_at) as first_response_at,
       max(resolved_at) as resolved_at, max(closed_at) as closed_at,
       max(status_key) as status_key, arg_max(last_kind, status_key) as last_kind,
       max(attr_key) as attr_key, arg_max(attrs, attr_key) as attrs,
       list_sort(list_distinct(flatten(list(reopen_at)))) as reopen_at,
       min(first_ingested_at) as first_ingested_at, max(last_ingested_at) as last_ingested_at,
       case when min(created_at) is null
                 or arg_max(last_kind, status_key) not in {CLOSED_KINDS}
            then timestamp '{OPEN_FOREVER}'
            else greatest(min(created_at), min(verified_at), min(dispatched_at),
                          min(first_response_at), max(resolved_at), max(closed_at))
       end as sort_at
from ({{parts}}) p
group by ticket_id
"""
_COMPLAINTS = f"""
select t.ticket_id, {", ".join(f"t.attrs.{c} as {c}" for c in COMPLAINT_COLUMNS[1:11])},
       {_STATUS_CASE} as status,
       t.attrs.reporter_id as reporter_id, t.attrs.reporter_name as reporter_name,
       t.attrs.reporter_phone as reporter_phone,
       t.created_at, t.verified_at, t.dispatched_at, t.first_response_at, t.resolved_at,
       t.closed_at,
       case when t.attrs.reopen_count is null and len(t.reopen_at) = 0 then null
            else greatest(coalesce(t.attrs.reopen_count, 0), len(t.reopen_at)) end::integer
           as reopen_count,
       t.attrs.rating as rating, t.attrs.source as source, t.attrs.is_synthetic as is_synthetic,
       'ops' as _load_id, 'ops' as _source_file, null::bigint as _row_number
from {{tickets}} t
where t.created_at is not null
"""


def _empty_events(con: duckdb.DuckDBPyConnection) -> str:
    con.register("_ops_no_events", EVENT_SCHEMA.empty_table())
    return "_ops_no_events"


def _event_source(con: duckdb.DuckDBPyConnection, files: list[Path]) -> str:
    return f"read_parquet({_files(files)})" if files else _empty_events(con)


def fold_sql(con: duckdb.DuckDBPyConnection, store: Store) -> str:
    """SQL of the folded tickets (one row per ticket id) over the store's current files."""
    batches, states = store.batch_files(), store.state_files()
    delta = _PARTS.format(source=_event_source(con, batches))
    if not states:
        return _FOLD.format(parts=delta)
    state = f"read_parquet({_files(states)})"
    if len(states) > 1:  # after a crash between compaction steps: fold everything
        return _FOLD.format(parts=f"select * from {state} union all by name {delta}")
    # Usual case: one compacted state; re-fold only the tickets the new batches touch.
    return f"""
        with delta as ({delta}), touched as (select distinct ticket_id from delta)
        select s.* from {state} s anti join touched using (ticket_id)
        union all by name
        {
        _FOLD.format(
            parts=f"select s2.* from {state} s2 semi join touched using (ticket_id) "
            f"union all by name select * from delta"
        )
    }
    """


def events_sql(con: duckdb.DuckDBPyConnection, store: Store) -> str:
    """SQL of every event once (deduplicated by event id)."""
    files = store.compacted_event_files() + store.batch_files()
    return f"""select * from {_event_source(con, files)}
               qualify row_number() over (partition by event_id order by ingested_at) = 1"""


def status_sql() -> str:
    """SQL of the canonical status of a folded ticket ``t`` (from its latest event)."""
    return _STATUS_CASE


def complaints_sql(tickets: str) -> str:
    """SQL of the complaint-table rows of the folded tickets in relation ``tickets``."""
    return _COMPLAINTS.format(tickets=tickets)


def attach(con: duckdb.DuckDBPyConnection, store: Store) -> None:
    """Create the views ``ops_tickets``, ``ops_events`` and ``complaints`` on ``con``.

    ``complaints`` has the columns of the annual table (sources.toml) plus the lineage columns
    the ETL adds, so the catalogue's complaint indicators run on it unchanged.  The views pin
    the files present now: call again to see newer batches.
    """
    con.execute(f"create or replace temp view ops_tickets as {fold_sql(con, store)}")
    con.execute(f"create or replace temp view ops_events as {events_sql(con, store)}")
    con.execute(f"create or replace temp view complaints as {complaints_sql('ops_tickets')}")


def with_retry(read: Callable[[], T], attempts: int = 4) -> T:
    """Run a read; when compaction removed a file in between, list again and retry."""
    for attempt in range(attempts):
        try:
            return read()
        except duckdb.IOException:
            if attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    raise SmartIndexError("unreachable")  # pragma: no cover


def connect(store: Store) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with the store's views attached."""
    con = duckdb.connect()
    con.execute("set threads to 2")
    attach(con, store)
    return con


def quarantine_frame(store: Store) -> list[dict[str, Any]]:
    """Every quarantined record (feed, reason, record, at)."""
    rows: list[dict[str, Any]] = []
    for path in sorted(store.quarantine_dir.glob("q-*.jsonl")):
        rows += [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]
    return rows


# ------------------------------------------------------------------ compaction


@dataclass(frozen=True)
class Compaction:
    """What one compaction did."""

    batches: int
    tickets: int
    events: int


def compact(store: Store) -> Compaction:
    """Fold every batch into one state file and one events file, then delete the inputs.

    Order: write both new files (temporary name, fsync, rename), then delete the old compacted
    files and the batches folded in.  A crash at any point leaves files whose fold is the same
    (the fold is idempotent), so nothing is lost or counted twice.  The caller holds the
    ingest lock (batches are only added under it).
    """
    for leftover in [*store.batches.glob(".tmp-*"), *store.compacted.glob(".tmp-*")]:
        leftover.unlink(missing_ok=True)  # half-written by a killed writer (we hold the lock)
    batches, states = store.batch_files(), store.state_files()
    old_events = store.compacted_event_files()
    if not batches and len(states) <= 1 and len(old_events) <= 1:
        return Compaction(0, 0, 0)
    stamp = _stamp()
    con = duckdb.connect()
    try:
        con.execute("set threads to 2")
        targets = []
        for name, sql in (("events", events_sql(con, store)), ("state", fold_sql(con, store))):
            path = store.compacted / f"{name}-{stamp}.parquet"
            tmp = _tmp(path)
            order = "order by sort_at" if name == "state" else ""
            con.execute(
                f"copy ({sql} {order}) to '{tmp}' "
                "(format parquet, compression zstd, row_group_size 16384)"
            )
            targets.append((tmp, path))
        counts = [
            con.execute(f"select count(*) from read_parquet('{tmp}')").fetchone()
            for tmp, _ in targets
        ]
    finally:
        con.close()
    for tmp, path in targets:
        publish(tmp, path)
    for old in [*states, *old_events, *batches]:
        old.unlink(missing_ok=True)
    return Compaction(len(batches), int((counts[1] or (0,))[0]), int((counts[0] or (0,))[0]))
