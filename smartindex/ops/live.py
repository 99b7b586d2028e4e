"""The operations view: one consistent snapshot of the live store as tidy frames.

``snapshot(store, now=…)`` pins the store's files, folds the tickets (the same ``complaints``
columns as the annual table), evaluates every stage of the SLA table at ``now`` and returns
the frames the Operations page shows.  ``now`` defaults to the sources' clock (the simulated
time when the source is the simulator), else the wall clock.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, tzinfo
from pathlib import Path

import duckdb
import pandas as pd

from smartindex.ops.client import source_states
from smartindex.ops.model import DEFAULT_ZONE, to_local, wall_clock
from smartindex.ops.sla import (
    AT_RISK,
    SlaTable,
    install_at_now,
    install_sla,
    load_sla,
    outcomes_sql,
    timestamp_sql,
)
from smartindex.ops.store import (
    Pinned,
    Store,
    files_sql,
    fold_sql,
    light_sql,
    pin,
    quarantine_frame,
    touched_fold_sql,
    touched_sql,
    with_retry,
)

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


def store_clock(store: Store, tz: tzinfo = DEFAULT_ZONE) -> datetime | None:
    """The latest source clock recorded by the ingester, naive local in ``tz`` (None before
    the first pull)."""
    clocks = [
        to_local(datetime.fromisoformat(s.clock), tz) for s in source_states(store) if s.clock
    ]
    return max(clocks) if clocks else None


# Only open tickets, tickets without a receipt yet, and tickets with an event in the last 30
# days can be in a list or decide a stage in a 30-day window (a stage decided late is decided
# at its due time, before its end). ``sort_at`` is the last event of a closed ticket and far in
# the future for the others; the compacted files are sorted by it, so older row groups are
# skipped without being read.
_RECENT = f"""
create or replace temp table recent as
select * from ({{tickets}}) t where t.sort_at > $now - interval {WINDOW_DAYS} day
"""
# The fast path: the tickets no new batch touches come from the compacted light tickets and
# their stage outcomes; only the touched ones are folded and evaluated here.
_COLD_TICKETS = f"""
select c.* from read_parquet({{tickets}}) c anti join _touched_rows using (ticket_no)
where c.sort_at > $now - interval {WINDOW_DAYS} day
"""
_RECENT_SPLIT = f"""
create or replace temp table recent as
{{cold}}
union all by name
select * from _hot h where h.sort_at > $now - interval {WINDOW_DAYS} day
"""
_COLD_STAGES = f"""
select c.* exclude (ticket_no)
from read_parquet({{stages}}) c anti join _touched_rows using (ticket_no)
where c.sort_at > {{now}} - interval {WINDOW_DAYS} day and c.created_at <= {{now}}
"""
_LIVE = """
create or replace temp view live as
select * from recent where created_at is not null and created_at <= {now}
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
# One pass over the instances decided in the longest period, counted per period.
_COMPLIANCE = """
with counts as (
    select stage,
           count_if(decided_at > date_trunc('day', $now::timestamp)) as today_decided,
           count_if(on_time and decided_at > date_trunc('day', $now::timestamp)) as today_on_time,
           count_if(decided_at > $now::timestamp - interval 7 day) as "7d_decided",
           count_if(on_time and decided_at > $now::timestamp - interval 7 day) as "7d_on_time",
           count(*) as "30d_decided",
           count_if(on_time) as "30d_on_time"
    from stage_instances
    where decided_at > $now::timestamp - interval 30 day and decided_at <= $now
    group by stage
), periods as (
    unpivot counts on (today_decided, today_on_time) as today,
                      ("7d_decided", "7d_on_time") as "7d",
                      ("30d_decided", "30d_on_time") as "30d"
    into name period value decided, on_time
)
select s.key as stage, w.period, coalesce(p.decided, 0)::bigint as decided,
       case when p.decided > 0 then p.on_time end as on_time,
       100.0 * p.on_time / nullif(p.decided, 0) as share
from _sla_stage s
cross join (values ('today'), ('7d'), ('30d')) w(period)
left join periods p on p.stage = s.key and p.period = w.period
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


def load_live(con: duckdb.DuckDBPyConnection, store: Store, sla: SlaTable, now: datetime) -> None:
    """Create ``recent`` (tickets a snapshot can show, with those not yet received), ``live``
    (the received ones, complaint-table columns), ``stage_instances`` and ``open_instances``
    (see ``sla.install_at_now``) on ``con`` for the store's current files."""
    install_sla(con, sla)
    pinned = pin(store, sla)
    if pinned.tickets is None or pinned.stages is None:
        con.execute(_RECENT.format(tickets=light_sql(fold_sql(con, store, pinned))), {"now": now})
        con.execute(_LIVE.format(now=timestamp_sql(now)))
        install_at_now(con, outcomes_sql(con, tickets="live", name="_all"), now)
        return
    _load_split(con, pinned, pinned.tickets, pinned.stages, now)


def _load_split(
    con: duckdb.DuckDBPyConnection, pinned: Pinned, tickets: Path, stages: Path, now: datetime
) -> None:
    con.execute(f"create or replace temp table _touched as {touched_sql(con, pinned)}")
    # The one lookup by id in the compacted light state; the rest is keyed by ``ticket_no``.
    con.execute(
        "create or replace temp table _touched_rows as select c.* from "
        f"read_parquet({files_sql([tickets])}) c semi join _touched using (ticket_id)"
    )
    hot = light_sql(touched_fold_sql(con, pinned, "_touched_rows"))
    con.execute(f"create or replace temp table _hot as {hot}")
    cold = light_sql(_COLD_TICKETS.format(tickets=files_sql([tickets])))
    con.execute(_RECENT_SPLIT.format(cold=cold), {"now": now})
    con.execute(_LIVE.format(now=timestamp_sql(now)))
    con.execute(
        "create or replace temp table _hot_live as "
        "select l.* from live l semi join _touched using (ticket_id)"
    )
    hot_outcomes = outcomes_sql(con, tickets="_hot_live", name="_hot")
    cold = _COLD_STAGES.format(stages=files_sql([stages]), now=timestamp_sql(now))
    outcomes = f"{cold} union all by name {hot_outcomes}"
    install_at_now(con, outcomes, now, materialise=False)


def _read(store: Store, sla: SlaTable, now: datetime) -> OpsSnapshot:
    con = duckdb.connect()
    try:
        con.execute("set threads to 2")
        load_live(con, store, sla, now)
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
    store: Store,
    *,
    now: datetime | None = None,
    sla: SlaTable | None = None,
    tz: tzinfo = DEFAULT_ZONE,
) -> OpsSnapshot:
    """The operations view of ``store`` at ``now`` (default: the sources' clock, else the wall
    clock, naive local in ``tz``)."""
    when = now or store_clock(store, tz) or wall_clock(tz)
    table = sla or load_sla()
    return with_retry(lambda: _read(store, table, when))


def default_store(db_path: Path) -> Path:
    """The live store next to a warehouse: ``<warehouse folder>/ops``."""
    return Path(db_path).parent / "ops"
