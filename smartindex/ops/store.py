"""The live store: append-only Parquet batches in a folder, read by DuckDB, no server.

Layout under the store root::

    batches/     b-<ns>-<pid>.parquet   events as ingested (one file per batch)
    compacted/   state-<ns>.parquet     one folded row per ticket
                 events-<ns>.parquet    every event once (the timelines)
                 tickets-<ns>.parquet   the light state: the same tickets with only the
                                        attributes a refresh reads, flat (as ``light_sql``)
                                        and as fold input (``STATE_COLUMNS``), numbered
                                        (ticket_no) and sorted by last activity, uncompressed
                 index-<ns>.parquet     the same light state sorted by ticket id (small row
                                        groups: a lookup by id reads few of them)
                 open-<ns>-sla<fp>.parquet  the stage instances not ended (what the lists and
                                        the risk need), sorted by last activity
                 instances-<ns>-sla<fp>.parquet  every stage instance, narrow (stage, ended in
                                        time, decision time), sorted by last activity
                 defaults-<ns>-sla<fp>.parquet  the instances under a default limit
                 decisions-<ns>-sla<fp>.parquet  every instance with a decision time, sorted by
                                        (regular, decision time); see ``write_outcomes``
                 hours-<ns>-sla<fp>.parquet  per stage and hour, the regular instances decided
                                        and those in time (compliance totals); all for the
                                        SLA table and calendar with digest <fp>
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
    STAGE_TIMES,
    STATUS_OF_KIND,
    Rejected,
)
from smartindex.ops.sla import SlaTable, fingerprint, install_sla, load_sla, outcomes_sql

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
    *STAGE_TIMES,
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

    def outcome_files(self) -> list[Path]:
        return sorted(
            path
            for kind in (*OUTCOME_KINDS, "stages")  # stages-*: written by earlier versions
            for path in self.compacted.glob(f"{kind}-*.parquet")
        )


# The files compaction writes beside the state for a refresh (see the module docstring).
OUTCOME_KINDS = ("tickets", "index", "open", "instances", "defaults", "decisions", "hours")


@dataclass(frozen=True)
class Outcomes:
    """The refresh files computed with one compacted state for one SLA table."""

    tickets: Path
    index: Path
    open: Path
    instances: Path
    defaults: Path
    decisions: Path
    hours: Path

    def paths(self) -> tuple[Path, ...]:
        return (
            self.tickets,
            self.index,
            self.open,
            self.instances,
            self.defaults,
            self.decisions,
            self.hours,
        )


@dataclass(frozen=True)
class Pinned:
    """The files one read uses, listed once: new batches, the compacted state, and the refresh
    files computed with it (None when missing or for another SLA)."""

    batches: list[Path]
    states: list[Path]
    outcomes: Outcomes | None = None


def _stamp_of(state: Path) -> str:
    return state.name.removeprefix("state-").removesuffix(".parquet")


def _outcome_paths(store: Store, stamp: str, sla: SlaTable) -> Outcomes:
    sla_part = f"{stamp}-sla{fingerprint(sla)}"
    return Outcomes(
        tickets=store.compacted / f"tickets-{stamp}.parquet",
        index=store.compacted / f"index-{stamp}.parquet",
        open=store.compacted / f"open-{sla_part}.parquet",
        instances=store.compacted / f"instances-{sla_part}.parquet",
        defaults=store.compacted / f"defaults-{sla_part}.parquet",
        decisions=store.compacted / f"decisions-{sla_part}.parquet",
        hours=store.compacted / f"hours-{sla_part}.parquet",
    )


def pin(store: Store, sla: SlaTable) -> Pinned:
    """The store's current files for a read with ``sla``."""
    batches, states = store.batch_files(), store.state_files()
    if len(states) == 1:
        outcomes = _outcome_paths(store, _stamp_of(states[0]), sla)
        if all(path.exists() for path in outcomes.paths()):
            return Pinned(batches, states, outcomes)
    return Pinned(batches, states)


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


def files_sql(paths: list[Path]) -> str:
    """A DuckDB list literal of file names (for ``read_parquet``)."""
    return "[" + ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths) + "]"


_KIND_LIST = "[" + ", ".join(f"'{k}'" for k in STAGE_KINDS) + "]"
_STATUS_CASE = (
    "case t.last_kind "
    + " ".join(f"when '{k}' then '{v}'" for k, v in STATUS_OF_KIND.items())
    + " end"
)
# The attributes a refresh reads (the light state keeps only these in its ``attrs``).
LIGHT_ATTRIBUTES = (
    "ticket_code",
    "category",
    "agency",
    "kelurahan_code",
    "kecamatan_code",
    "lat",
    "lon",
)


def _attrs_sql(columns: tuple[str, ...], prefix: str = "") -> str:
    return "struct_pack(" + ", ".join(f"{c} := {prefix}{c}" for c in columns) + ")"


_ATTRS = _attrs_sql(tuple(ATTRIBUTE_COLUMNS))
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
       case when kind = 'attributes' then {{attrs}} end as attrs,
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
    return f"read_parquet({files_sql(files)})" if files else _empty_events(con)


def fold_sql(con: duckdb.DuckDBPyConnection, store: Store, pinned: Pinned | None = None) -> str:
    """SQL of the folded tickets (one row per ticket id) over the store's current files (or
    the ``pinned`` ones)."""
    batches, states = (pinned.batches, pinned.states) if pinned else _listed(store)
    delta = _PARTS.format(source=_event_source(con, batches), attrs=_ATTRS)
    if not states:
        return _FOLD.format(parts=delta)
    state = f"read_parquet({files_sql(states)})"
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


def _listed(store: Store) -> tuple[list[Path], list[Path]]:
    return store.batch_files(), store.state_files()


def light_state_sql(state: str) -> str:
    """SQL of the folded tickets in ``state`` with only the light attributes in ``attrs`` (and
    without the reopen and ingest times, which the view does not show)."""
    return (
        f"select * exclude (reopen_at, first_ingested_at, last_ingested_at) "
        f"replace ({_attrs_sql(LIGHT_ATTRIBUTES, 'attrs.')} as attrs) from {state}"
    )


def delta_sql(con: duckdb.DuckDBPyConnection, pinned: Pinned) -> str:
    """SQL of the pinned batches' events as fold parts, with the light attributes only."""
    return _PARTS.format(
        source=_event_source(con, pinned.batches), attrs=_attrs_sql(LIGHT_ATTRIBUTES)
    )


def fold_parts_sql(parts: str) -> str:
    """SQL of the fold (one row per ticket id) of the fold parts in query ``parts`` (rows of
    ``delta_sql`` and rows of a light state fold together)."""
    return _FOLD.format(parts=parts)


def events_sql(con: duckdb.DuckDBPyConnection, store: Store) -> str:
    """SQL of every event once (deduplicated by event id)."""
    files = store.compacted_event_files() + store.batch_files()
    return f"""select * from {_event_source(con, files)}
               qualify row_number() over (partition by event_id order by ingested_at) = 1"""


_LIGHT = f"""
select t.ticket_id, t.attrs.ticket_code as ticket_code, t.attrs.category as category,
       t.attrs.agency as agency, t.attrs.kelurahan_code as kelurahan_code,
       t.attrs.kecamatan_code as kecamatan_code, t.attrs.lat as lat, t.attrs.lon as lon,
       {_STATUS_CASE} as status, t.created_at, t.verified_at, t.dispatched_at,
       t.first_response_at, t.resolved_at, t.closed_at, t.sort_at{{extra}}
from ({{tickets}}) t
"""


# The columns of ``light_sql`` (the flat columns a refresh reads).
_LIGHT_COLUMNS = (
    "ticket_id",
    *LIGHT_ATTRIBUTES,
    "status",
    *STAGE_TIMES,
    "sort_at",
)
# The columns of a light state row that a fold reads again (the refresh's ``tickets`` file has
# them besides the flat ones).
STATE_COLUMNS = (
    "ticket_no",
    "ticket_id",
    *STAGE_TIMES,
    "status_key",
    "last_kind",
    "attr_key",
    "attrs",
    "sort_at",
)


def cold_columns(alias: str) -> str:
    """The flat columns (those of ``light_sql``) of the refresh's ``tickets`` file, as read
    through ``alias``."""
    return ", ".join(f"{alias}.{c}" for c in _LIGHT_COLUMNS)


def light_sql(tickets: str, extra: str = "") -> str:
    """SQL of the light columns of the folded tickets in query ``tickets``: what the
    operations view reads, with the status and ``sort_at``, without the struct (``extra``:
    more columns of ``t``, after a comma)."""
    return _LIGHT.format(tickets=tickets, extra=extra)


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


def _copy(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    tmp: Path,
    order: str = "",
    *,
    compression: str = "zstd",
    row_group_size: int = 16384,
) -> None:
    con.execute(
        f"copy ({sql} {order}) to {files_sql([tmp])[1:-1]} "
        f"(format parquet, compression {compression}, row_group_size {row_group_size})"
    )


# An instance's decision time does not depend on "now": its end when it ended in time, else
# its due time (it is decided once that time has passed).  It is *regular* when its ticket's
# last activity is not before it and its ticket was received by then: a regular instance is
# counted in a compliance period exactly when its decision time is in the period (the window
# and receipt conditions of the live view follow), so it can be counted ahead, per hour.
_DECISION = "case when on_time then end_at else due_at end"
REGULAR = "(decision_at is not null and sort_at >= decision_at and created_at <= decision_at)"
_INSTANCES = f"""
create or replace temp table _compact_instances as
select ticket_no, stage, category, is_default, on_time, {_DECISION} as decision_at, sort_at,
       created_at
from _compact_out
"""
_NARROW = """
select ticket_no, stage, on_time, decision_at, sort_at, created_at from _compact_instances
"""
_DEFAULTS = """
select ticket_no, stage, category, sort_at, created_at from _compact_instances where is_default
"""
_DECISIONS = f"""
select coalesce({REGULAR}, false) as regular, stage, decision_at, on_time, sort_at, created_at,
       ticket_no
from _compact_instances where decision_at is not null
"""
_HOURS = f"""
select stage, date_trunc('hour', decision_at) as hour, count(*) as decided,
       count_if(on_time) as on_time
from _compact_instances where {REGULAR}
group by all
"""
_OPEN = """
select ticket_no, ticket_id, ticket_code, stage, agency, kelurahan_code, kecamatan_code, unit,
       start_at, due_at, start_wm, due_wm, sort_at, created_at
from _compact_out where end_at is null
"""


def write_outcomes(
    con: duckdb.DuckDBPyConnection, state: Path, out: Outcomes, sla: SlaTable
) -> None:
    """Write the light state of the folded tickets in ``state`` to ``out.tickets`` (numbered by
    last activity: ``ticket_no``) and ``out.index`` (sorted by id), and their stage outcomes
    for ``sla``: the instances not ended to ``out.open``; every instance, narrow, to
    ``out.instances`` (``decision_at``: its end when in time, else its due time), those under
    a default limit to ``out.defaults``, those with a decision time to ``out.decisions``
    (sorted by ``regular``, see ``REGULAR``, then decision time) and the hourly compliance
    totals of the regular ones to ``out.hours``.

    They are read at every refresh: stored uncompressed (decoding costs more than reading)
    and sorted by last activity, so a refresh skips the row groups of old tickets.
    """
    light_state = light_state_sql(f"read_parquet({files_sql([state])})")
    numbered = (
        "select row_number() over (order by sort_at, ticket_id) as ticket_no, * "
        f"from ({light_state})"
    )
    extra = "".join(f", t.{c}" for c in STATE_COLUMNS if c not in _LIGHT_COLUMNS)
    flat = light_sql(numbered, extra)
    _copy(con, flat, out.tickets, "order by ticket_no", compression="uncompressed")
    rows = f"select {', '.join(STATE_COLUMNS)} from read_parquet({files_sql([out.tickets])})"
    _copy(
        con, rows, out.index, "order by ticket_id", compression="uncompressed", row_group_size=2048
    )
    install_sla(con, sla)
    tickets = f"read_parquet({files_sql([out.tickets])})"
    light = f"select {cold_columns('t')}, t.ticket_no from {tickets} t"
    outcomes = outcomes_sql(con, tickets=f"({light})", name="_compact", extra=", t.ticket_no")
    con.execute(f"create or replace temp table _compact_out as {outcomes}")
    _copy(con, _OPEN, out.open, "order by sort_at, ticket_no", compression="uncompressed")
    con.execute(_INSTANCES)
    con.execute("drop table _compact_out")
    # (large row groups for the long files: a refresh reads their footers every time)
    for sql, path, order, group in (
        (_NARROW, out.instances, "order by sort_at, ticket_no", 65536),
        (_DEFAULTS, out.defaults, "order by sort_at, ticket_no", 16384),
        (_DECISIONS, out.decisions, "order by regular, decision_at, ticket_no", 65536),
        (_HOURS, out.hours, "order by hour, stage", 16384),
    ):
        _copy(con, sql, path, order, compression="uncompressed", row_group_size=group)
    con.execute("drop table _compact_instances")


def compact(store: Store, sla: SlaTable | None = None) -> Compaction:
    """Fold every batch into one state file and one events file, then delete the inputs.

    With them it writes the refresh files (``write_outcomes``) for ``sla`` (default: the
    shipped table), so that a refresh reads those for the tickets no new batch touches.
    Order: write the new files (temporary name, fsync, rename; the state last), then delete
    the old compacted files and the batches folded in.  A crash at any point leaves files
    whose fold is the same (the fold is idempotent), so nothing is lost or counted twice; a
    reader uses the outcomes only beside the one state they were computed with.  The caller
    holds the ingest lock (batches are only added under it).
    """
    for leftover in [*store.batches.glob(".tmp-*"), *store.compacted.glob(".tmp-*")]:
        leftover.unlink(missing_ok=True)  # half-written by a killed writer (we hold the lock)
    table = sla or load_sla()
    batches, states = store.batch_files(), store.state_files()
    old_events, old_outcomes = store.compacted_event_files(), store.outcome_files()
    current = pin(store, table).outcomes is not None
    if not batches and len(states) <= 1 and len(old_events) <= 1 and (current or not states):
        return Compaction(0, 0, 0)
    stamp = _stamp()
    state = store.compacted / f"state-{stamp}.parquet"
    events = store.compacted / f"events-{stamp}.parquet"
    out = _outcome_paths(store, stamp, table)
    tmp = {path: _tmp(path) for path in (events, *out.paths(), state)}
    con = duckdb.connect()
    try:
        con.execute("set threads to 2")
        _copy(con, events_sql(con, store), tmp[events])
        _copy(con, fold_sql(con, store), tmp[state], "order by sort_at")
        write_outcomes(con, tmp[state], Outcomes(*(tmp[path] for path in out.paths())), table)
        counts = [
            con.execute(f"select count(*) from read_parquet('{tmp[path]}')").fetchone()
            for path in (state, events)
        ]
    finally:
        con.close()
    for path, part in tmp.items():  # the state last: a reader pins by it
        publish(part, path)
    for old in [*states, *old_events, *old_outcomes, *batches]:
        old.unlink(missing_ok=True)
    return Compaction(len(batches), int((counts[0] or (0,))[0]), int((counts[1] or (0,))[0]))
