"""The operations view: one consistent snapshot of the live store as tidy frames.

``snapshot(store, now=…)`` pins the store's files, folds the tickets (the same ``complaints``
columns as the annual table), evaluates every stage of the SLA table at ``now`` and returns
the frames the Operations page shows.  ``now`` defaults to the sources' clock (the simulated
time when the source is the simulator), else the wall clock.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from smartindex.ops.client import source_states
from smartindex.ops.model import wall_wib
from smartindex.ops.sla import AT_RISK, SlaTable, install_stages, load_sla
from smartindex.ops.store import Store, attach, quarantine_frame, status_sql, with_retry

OPEN_STATUSES = ("received", "verified", "dispatched", "in_progress")
WINDOWS = (("today", 0), ("7d", 7), ("30d", 30))
WINDOW_DAYS = 30  # the longest compliance period, and the league table's
LIST_ROWS = 50


@dataclass(frozen=True)
class OpsSnapshot:
    """Everything the Operations page shows, at ``now``."""

    now: datetime
    totals: dict[str, int]
    backlog_agency: pd.DataFrame
    backlog_kecamatan: pd.DataFrame
    oldest_open: pd.DataFrame
    overdue: pd.DataFrame
    at_risk: pd.DataFrame
    compliance: pd.DataFrame
    open_points: pd.DataFrame
    league: pd.DataFrame
    sla_defaults: pd.DataFrame
    sources: pd.DataFrame
    quarantine: pd.DataFrame
    stages: pd.DataFrame


def store_clock(store: Store) -> datetime | None:
    """The latest source clock recorded by the ingester (None before the first pull)."""
    clocks = [datetime.fromisoformat(s.clock) for s in source_states(store) if s.clock]
    return max(clocks).replace(tzinfo=None) if clocks else None


# Only open tickets, tickets without a receipt yet, and tickets with an event in the last 30
# days can be in a list or decide a stage in a 30-day window (a stage decided late is decided
# at its due time, before its end). ``sort_at`` is the last event of a closed ticket and far in
# the future for the others; the compacted state is sorted by it, so older row groups are
# skipped without being read.
_RECENT = f"""
create or replace temp table recent as
select t.ticket_id, t.attrs.ticket_code as ticket_code, t.attrs.category as category,
       t.attrs.agency as agency, t.attrs.kelurahan_code as kelurahan_code,
       t.attrs.kecamatan_code as kecamatan_code, t.attrs.lat as lat, t.attrs.lon as lon,
       {status_sql()} as status, t.created_at, t.verified_at, t.dispatched_at,
       t.first_response_at, t.resolved_at, t.closed_at
from ops_tickets t
where t.sort_at > $now - interval {WINDOW_DAYS} day
"""
_LIVE = """
create or replace temp table live as
select * from recent where created_at is not null and created_at <= $now
"""
_BACKLOG = """
with flags as (
    select ticket_id, bool_or(is_overdue) as overdue,
           not bool_or(is_overdue) and bool_or(elapsed_share >= $risk) as at_risk
    from open_instances group by ticket_id
)
select coalesce(l.{column}, '?') as {column}, count(*) as open,
       count_if(coalesce(f.overdue, false))::bigint as overdue,
       count_if(coalesce(f.at_risk, false))::bigint as at_risk
from live l left join flags f using (ticket_id)
where l.status in {statuses}
group by all order by open desc, {column}
"""
_OLDEST = f"""
select ticket_id, ticket_code, category, agency, kelurahan_code, kecamatan_code, status,
       created_at, epoch($now - created_at) / 86400.0 as age_days
from live where status in {OPEN_STATUSES}
order by created_at, ticket_id limit {LIST_ROWS}
"""
_OVERDUE = f"""
select ticket_id, ticket_code, stage, agency, kelurahan_code, kecamatan_code, due_at,
       late_hours
from open_instances where is_overdue
order by late_hours desc, ticket_id, stage limit {LIST_ROWS}
"""
_AT_RISK = f"""
select ticket_id, ticket_code, stage, agency, kelurahan_code, kecamatan_code, due_at,
       elapsed_share, epoch(due_at - $now) / 3600.0 as hours_left
from open_instances where not is_overdue and elapsed_share >= $risk
order by hours_left, ticket_id, stage limit {LIST_ROWS}
"""
_COMPLIANCE = """
with windows as (
    select * from (values ('today', date_trunc('day', $now::timestamp)),
                          ('7d', $now::timestamp - interval 7 day),
                          ('30d', $now::timestamp - interval 30 day)) w(period, since)
)
select s.key as stage, w.period, count(i.decided_at) as decided,
       count_if(i.on_time) as on_time,
       100.0 * count_if(i.on_time) / nullif(count(i.decided_at), 0) as share
from _sla_stage s
cross join windows w
left join stage_instances i on i.stage = s.key and i.decided_at > w.since
     and i.decided_at <= $now
group by all
"""
_POINTS = f"""
with flags as (
    select ticket_id, bool_or(is_overdue) as overdue,
           not bool_or(is_overdue) and bool_or(elapsed_share >= $risk) as at_risk
    from open_instances group by ticket_id
)
select l.ticket_id, l.lat, l.lon, l.agency, l.category, l.kecamatan_code,
       case when f.overdue then 'overdue' when f.at_risk then 'at_risk' else 'open' end as state
from live l left join flags f using (ticket_id)
where l.status in {OPEN_STATUSES} and l.lat is not null and l.lon is not null
"""
_LEAGUE = f"""
select kelurahan_code, any_value(kecamatan_code) as kecamatan_code, count(*) as resolved,
       median(epoch(resolved_at - created_at) / 3600.0) as median_hours,
       quantile_cont(epoch(resolved_at - created_at) / 3600.0, 0.9) as p90_hours
from live
where resolved_at > $now - interval {WINDOW_DAYS} day and resolved_at <= $now
  and kelurahan_code is not null
group by kelurahan_code
order by median_hours, p90_hours, kelurahan_code
"""
_DEFAULTS = """
select stage, coalesce(category, '?') as category, count(*) as tickets
from stage_instances where is_default
group by all order by stage, tickets desc, category
"""
_TOTALS = f"""
select
    (select count(*) from live where status in {OPEN_STATUSES}) as open,
    (select count(distinct ticket_id) from open_instances where is_overdue) as overdue,
    (select count(*) from (select ticket_id from open_instances group by ticket_id
     having not bool_or(is_overdue) and bool_or(elapsed_share >= $risk))) as at_risk,
    (select count(*) from live where created_at >= date_trunc('day', $now::timestamp))
        as received_today,
    (select count(*) from live where resolved_at >= date_trunc('day', $now::timestamp)
        and resolved_at <= $now) as resolved_today,
    (select count(*) from recent where created_at is null) as orphan_tickets
"""


def _frame(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, object]) -> pd.DataFrame:
    used = {k: v for k, v in params.items() if f"${k}" in sql}
    return con.execute(sql, used).df()


def _sources(store: Store) -> pd.DataFrame:
    rows = [asdict(s) for s in source_states(store)]
    frame = pd.DataFrame(
        rows,
        columns=[
            "name",
            "url",
            "cursor",
            "clock",
            "last_success",
            "last_attempt",
            "consecutive_failures",
            "last_error",
            "pulls",
            "records",
            "events",
            "rejected",
        ],
    )
    last = pd.to_datetime(frame["last_success"], errors="coerce", utc=True)
    frame["minutes_since_success"] = (pd.Timestamp.now(tz="UTC") - last).dt.total_seconds() / 60.0
    return frame


def _quarantine(store: Store) -> pd.DataFrame:
    rows = quarantine_frame(store)
    frame = pd.DataFrame(rows, columns=["feed", "reason", "record", "at"])
    reasons = frame["reason"].str.replace(r":\s.*$", "", regex=True)
    return (
        reasons.value_counts().rename_axis("reason").reset_index(name="records")
        if len(frame)
        else pd.DataFrame(
            {"reason": pd.Series(dtype="string"), "records": pd.Series(dtype="int64")}
        )
    )


def load_live(con: duckdb.DuckDBPyConnection, now: datetime) -> None:
    """Create ``recent`` (tickets a snapshot can show, with those not yet received) and
    ``live`` (the received ones, complaint-table columns) on a connection with the store
    attached."""
    con.execute(_RECENT, {"now": now})
    con.execute(_LIVE, {"now": now})


def _read(store: Store, sla: SlaTable, now: datetime) -> OpsSnapshot:
    con = duckdb.connect()
    try:
        con.execute("set threads to 2")
        attach(con, store)
        load_live(con, now)
        install_stages(con, sla, tickets="live", now=now)
        params: dict[str, object] = {"now": now, "risk": AT_RISK}
        totals = {str(k): int(v) for k, v in _frame(con, _TOTALS, params).iloc[0].items()}
        totals["quarantined"] = len(quarantine_frame(store))

        def backlog(column: str) -> pd.DataFrame:
            return _frame(con, _BACKLOG.format(column=column, statuses=OPEN_STATUSES), params)

        return OpsSnapshot(
            now=now,
            totals=totals,
            backlog_agency=backlog("agency"),
            backlog_kecamatan=backlog("kecamatan_code"),
            oldest_open=_frame(con, _OLDEST, params),
            overdue=_frame(con, _OVERDUE, params),
            at_risk=_frame(con, _AT_RISK, params),
            compliance=_frame(con, _COMPLIANCE, params)
            .sort_values(["stage", "period"], key=_period_order)
            .reset_index(drop=True),
            open_points=_frame(con, _POINTS, params),
            league=_frame(con, _LEAGUE, params),
            sla_defaults=_frame(con, _DEFAULTS, params),
            sources=_sources(store),
            quarantine=_quarantine(store),
            stages=sla.stage_frame(),
        )
    finally:
        con.close()


def _period_order(column: pd.Series) -> pd.Series:
    order = {name: i for i, (name, _) in enumerate(WINDOWS)}
    return column.map(order) if column.name == "period" else column


def snapshot(
    store: Store, *, now: datetime | None = None, sla: SlaTable | None = None
) -> OpsSnapshot:
    """The operations view of ``store`` at ``now`` (default: the sources' clock)."""
    when = now or store_clock(store) or wall_wib()
    table = sla or load_sla()
    return with_retry(lambda: _read(store, table, when))


def default_store(db_path: Path) -> Path:
    """The live store next to a warehouse: ``<warehouse folder>/ops``."""
    return Path(db_path).parent / "ops"
