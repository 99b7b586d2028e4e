"""The operations view: one consistent snapshot of the live store as tidy frames.

``snapshot(store, now=…)`` pins the store's files, folds the tickets (the same ``complaints``
columns as the annual table), evaluates every stage of the SLA table at ``now`` and returns
the frames the Operations page shows.  ``now`` defaults to the sources' clock (the simulated
time when the source is the simulator), else the wall clock.

Usually (one compacted state with its refresh files for this SLA table, see ``store``) it
reads the compacted tickets of the window, their stage instances not ended and the hourly
compliance totals, and folds and evaluates again only the tickets the newer batches touch;
otherwise it folds every event and evaluates every stage.  Both give the same figures.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, tzinfo
from pathlib import Path

import duckdb
import pandas as pd

from smartindex.ops.client import source_states
from smartindex.ops.model import DEFAULT_ZONE, OPEN_FOREVER, to_local, wall_clock
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
    REGULAR,
    STATE_COLUMNS,
    Outcomes,
    Pinned,
    Store,
    cold_columns,
    delta_sql,
    files_sql,
    fold_parts_sql,
    fold_sql,
    light_sql,
    pin,
    quarantine_frame,
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
_LIVE = """
create or replace temp view live as
select * from recent where created_at is not null and created_at <= {now}
"""
# Open tickets have the far sort time (the redundant condition lets a scan skip the others).
_OPEN_LIVE = f"""
create or replace temp table open_live as
select ticket_id, ticket_code, category, agency, kelurahan_code, kecamatan_code, lat, lon,
       status, created_at
from live where status in {OPEN_STATUSES} and sort_at = timestamp '{OPEN_FOREVER}'
"""
_FLAGS = """
create or replace temp table open_flags as
select ticket_id, bool_or(is_overdue) as overdue,
       not bool_or(is_overdue) and bool_or(elapsed_share >= $risk) as at_risk
from open_instances group by ticket_id
"""
# The fast path.  Only the tickets the new batches touch are folded again ("hot"); the others
# come from the refresh files ("cold"), read from the window on.  A touched ticket's compacted
# row is taken from the window.  One outside it (closed, every time before the window) is
# back in the window only when it is open again (then its latest new event is an open one)
# or a new time is in the window; either way the fold of its new events alone is in the
# window too.  Only those are looked up by id; the others are in no figure and left out.
_DELTA = "create or replace temp table _delta as {delta}"
_BATCH_FOLD = "create or replace temp table _batch_fold as {fold}"
_OLD = """
create or replace temp table _old as
select {columns} from read_parquet({tickets}) c semi join _batch_fold using (ticket_id)
where c.sort_at > {since}
"""
_LOOKUP = """
create or replace temp table _lookup as
select b.ticket_id from _batch_fold b anti join _old using (ticket_id) where b.sort_at > {since}
"""
# A few ids are listed (a scan then reads only the row groups that can hold them); many are
# joined (the whole index is read either way).
LISTED_IDS = 1000
_OLD_BY_ID = """
insert into _old by name
select {columns} from read_parquet({index}) c where c.ticket_id in ({ids})
"""
_HOT = """
create or replace temp table _hot as
{light}
"""
_HOT_PARTS = """
select * exclude (ticket_no) from _old
union all by name
select d.* from _delta d
where d.ticket_id in (select ticket_id from _old)
   or d.ticket_id in (select ticket_id from _batch_fold where sort_at > {since})
"""
_RECENT_SPLIT = """
create or replace temp view recent as
{cold}
union all by name
select * from _hot h where h.sort_at > {since}
"""
_COLD_TICKETS = """
select {columns} from read_parquet({tickets}) c anti join _old using (ticket_no)
where c.sort_at > {since}
"""
_HOT_LIVE = """
create or replace temp table _hot_live as
select * from _hot where sort_at > {since} and created_at is not null and created_at <= {now}
"""
_HOT_OUT = "create or replace temp table _hot_out as {outcomes}"
_COLD_OPEN = """
select o.* exclude (ticket_no, sort_at, created_at)
from read_parquet({open}) o anti join _old using (ticket_no)
where o.sort_at > {since} and o.created_at <= {now}
"""
_HOT_OPEN = """
select ticket_id, ticket_code, stage, agency, kelurahan_code, kecamatan_code, unit, start_at,
       due_at, start_wm, due_wm
from _hot_out where end_at is null
"""
# The instances not ended, with what depends on ``now`` (as ``sla.install_at_now``).
_OPEN_AT_NOW = """
create or replace temp view open_instances as
select i.*, i.due_at <= {now} as is_overdue,
       case when i.due_at <= {now} then epoch({now} - i.due_at) / 3600.0 end as late_hours,
       case when i.unit = 'working_days'
            then (n.wm - i.start_wm) / nullif(i.due_wm - i.start_wm, 0)
            else epoch({now} - i.start_at) / nullif(epoch(i.due_at - i.start_at), 0)
       end as elapsed_share
from ({cold} union all by name {hot}) i
cross join (select working_minute_of({now}) as wm) n
"""
# What compliance counts, as signed rows (stage, t, decided, on_time, kind): kind 'hour' are
# hourly totals, counted for the hours wholly inside a period; 'partial' are regular instances
# (see ``store.REGULAR``) in an hour a period starts or ends in, counted by their time; 'exact'
# are instances counted by their time (decided at ``t``).  Slow path: every instance, exact.
_COMPLIANCE_ALL = """
create or replace temp view compliance_rows as
select stage, decided_at as t, 1 as decided, coalesce(on_time, false)::integer as on_time,
       'exact' as kind
from stage_instances
where decided_at > {now} - interval 30 day and decided_at <= {now}
"""
_DEFAULTS_ALL = """
create or replace temp view default_instances as
select stage, category from stage_instances where is_default
"""
# Fast path: the compacted hourly totals of the window, less the touched tickets' compacted
# regular instances; the compacted regular instances in the boundary hours and the irregular
# ones, of untouched tickets; and the touched tickets' instances as folded now.
_COMPLIANCE_SPLIT = """
create or replace temp view compliance_rows as
select stage, hour as t, decided, on_time, 'hour' as kind
from read_parquet({hours})
where hour >= date_trunc('hour', {since}) and hour < date_trunc('hour', {now})
union all
select stage, date_trunc('hour', decision_at), -1, -on_time::integer, 'hour'
from read_parquet({instances}) i semi join _old using (ticket_no)
where i.sort_at > {since} and {regular}
union all
select stage, decision_at, 1, on_time::integer, 'partial'
from ({boundary}) d anti join _old using (ticket_no)
union all
select stage, case when on_time or decision_at <= {now} then decision_at end, 1,
       coalesce(on_time, false)::integer, 'exact'
from read_parquet({decisions}) d anti join _old using (ticket_no)
where not d.regular and d.sort_at > {since} and d.created_at <= {now}
union all
select stage, case when on_time then end_at when due_at <= {now} then due_at end, 1,
       coalesce(on_time, false)::integer, 'exact'
from _hot_out
"""
_BOUNDARY_HOUR = """
select stage, decision_at, on_time, ticket_no from read_parquet({decisions})
where regular and decision_at >= {hour} and decision_at < {hour} + interval 1 hour
"""
_DEFAULTS_SPLIT = """
create or replace temp view default_instances as
select stage, category from read_parquet({defaults}) d anti join _old using (ticket_no)
where d.sort_at > {since} and d.created_at <= {now}
union all
select stage, category from _hot_out where is_default
"""
_BACKLOG = """
select coalesce(l.{column}, '?') as {column}, count(*) as open,
       count_if(coalesce(f.overdue, false))::bigint as overdue,
       count_if(coalesce(f.at_risk, false))::bigint as at_risk
from open_live l left join open_flags f using (ticket_id)
group by all order by open desc, {column}
"""
_OLDEST = f"""
select ticket_id, ticket_code, category, agency, kelurahan_code, kecamatan_code, status,
       created_at, epoch($now - created_at) / 86400.0 as age_days
from open_live
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
with bounds(period, since) as (
    values ('today', date_trunc('day', $now::timestamp)),
           ('7d', $now::timestamp - interval 7 day),
           ('30d', $now::timestamp - interval 30 day)
), periods as (
    select r.stage, b.period, sum(r.decided)::bigint as decided,
           sum(r.on_time)::bigint as on_time
    from compliance_rows r
    join bounds b on case r.kind
        when 'hour' then r.t > date_trunc('hour', b.since)
                     and r.t < date_trunc('hour', $now::timestamp)
        when 'partial' then date_trunc('hour', r.t) in (date_trunc('hour', b.since),
                                                        date_trunc('hour', $now::timestamp))
                        and r.t > b.since and r.t <= $now
        else r.t > b.since and r.t <= $now
    end
    group by all
)
select s.key as stage, w.period, coalesce(p.decided, 0)::bigint as decided,
       case when p.decided > 0 then p.on_time end as on_time,
       100.0 * p.on_time / nullif(p.decided, 0) as share
from _sla_stage s
cross join (values ('today'), ('7d'), ('30d')) w(period)
left join periods p on p.stage = s.key and p.period = w.period
"""
_POINTS = """
select l.ticket_id, l.lat, l.lon, l.agency, l.category, l.kecamatan_code,
       case when f.overdue then 'overdue' when f.at_risk then 'at_risk' else 'open' end as state
from open_live l left join open_flags f using (ticket_id)
where l.lat is not null and l.lon is not null
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
from default_instances
group by all order by stage, tickets desc, category
"""
# (A closed ticket's sort time is at least its receipt and resolution, an open one's or one
# without receipt is the far one: the conditions on ``sort_at`` only let a scan skip rows.)
_TOTALS = f"""
select
    (select count(*) from open_live) as open,
    (select count(*) from open_flags where overdue) as overdue,
    (select count(*) from open_flags where at_risk) as at_risk,
    (select count(*) from live where created_at >= date_trunc('day', $now::timestamp)
        and sort_at >= date_trunc('day', $now::timestamp)) as received_today,
    (select count(*) from live where resolved_at >= date_trunc('day', $now::timestamp)
        and resolved_at <= $now and sort_at >= date_trunc('day', $now::timestamp))
        as resolved_today,
    (select count(*) from recent where created_at is null
        and sort_at = timestamp '{OPEN_FOREVER}') as orphan_tickets
"""


def _frame(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, object]) -> pd.DataFrame:
    used = {k: v for k, v in params.items() if f"${k}" in sql}
    # through Arrow: the same frame as ``.df()``, with text columns converted far faster
    frame: pd.DataFrame = con.sql(sql, params=used).to_arrow_table().to_pandas()
    return frame


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
    (the received ones, complaint-table columns), ``open_live`` (the open ones),
    ``stage_instances`` and ``open_instances`` (see ``sla.install_at_now``) and ``open_flags``
    (overdue or at risk, per ticket with an instance not ended) on ``con`` for the store's
    current files."""
    install_sla(con, sla)
    pinned = pin(store, sla)
    if pinned.outcomes is None:
        con.execute(_RECENT.format(tickets=light_sql(fold_sql(con, store, pinned))), {"now": now})
        con.execute(_LIVE.format(now=timestamp_sql(now)))
        install_at_now(con, outcomes_sql(con, tickets="live", name="_all"), now)
        con.execute(_COMPLIANCE_ALL.format(now=timestamp_sql(now)))
        con.execute(_DEFAULTS_ALL)
    else:
        _load_split(con, pinned, pinned.outcomes, now)
    con.execute(_OPEN_LIVE)
    con.execute(_FLAGS, {"risk": AT_RISK})


def midnight(ts: datetime) -> datetime:
    """The start of the day of ``ts``."""
    return ts.replace(hour=0, minute=0, second=0, microsecond=0)


def _load_split(
    con: duckdb.DuckDBPyConnection, pinned: Pinned, out: Outcomes, now: datetime
) -> None:
    at = timestamp_sql(now)
    since = f"({at} - interval {WINDOW_DAYS} day)"
    tickets = files_sql([out.tickets])
    con.execute(_DELTA.format(delta=delta_sql(con, pinned)))
    con.execute(_BATCH_FOLD.format(fold=fold_parts_sql("select * from _delta")))
    state = ", ".join(f"c.{c}" for c in STATE_COLUMNS)
    con.execute(_OLD.format(columns=state, tickets=tickets, since=since))
    con.execute(_LOOKUP.format(since=since))
    ids = [str(row[0]) for row in con.execute(f"from _lookup limit {LISTED_IDS + 1}").fetchall()]
    if ids:
        listed = (
            ", ".join("'" + i.replace("'", "''") + "'" for i in ids)
            if len(ids) <= LISTED_IDS
            else "select ticket_id from _lookup"
        )
        con.execute(_OLD_BY_ID.format(columns=state, index=files_sql([out.index]), ids=listed))
    parts = _HOT_PARTS.format(since=since)
    con.execute(_HOT.format(light=light_sql(fold_parts_sql(parts))))
    cold = _COLD_TICKETS.format(columns=cold_columns("c"), tickets=tickets, since=since)
    con.execute(_RECENT_SPLIT.format(cold=cold, since=since))
    con.execute(_LIVE.format(now=at))
    con.execute(_HOT_LIVE.format(since=since, now=at))
    con.execute(_HOT_OUT.format(outcomes=outcomes_sql(con, tickets="_hot_live", name="_hot")))
    cold_open = _COLD_OPEN.format(open=files_sql([out.open]), since=since, now=at)
    con.execute(_OPEN_AT_NOW.format(cold=cold_open, hot=_HOT_OPEN, now=at))
    hours = sorted({now - timedelta(days=days) for days in (30, 7)} | {now, midnight(now)})
    boundary = " union all ".join(
        _BOUNDARY_HOUR.format(decisions=files_sql([out.decisions]), hour=timestamp_sql(hour))
        for hour in sorted({h.replace(minute=0, second=0, microsecond=0) for h in hours})
    )
    con.execute(
        _COMPLIANCE_SPLIT.format(
            hours=files_sql([out.hours]),
            instances=files_sql([out.instances]),
            decisions=files_sql([out.decisions]),
            boundary=boundary,
            regular=REGULAR,
            since=since,
            now=at,
        )
    )
    con.execute(_DEFAULTS_SPLIT.format(defaults=files_sql([out.defaults]), since=since, now=at))


def _read(store: Store, sla: SlaTable, now: datetime) -> OpsSnapshot:
    con = duckdb.connect()
    try:
        con.execute("set threads to 2")
        con.execute("set parquet_metadata_cache = true")  # each file's footer read once
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


def default_store(db_path: Path, city: str | None = None) -> Path:
    """The live store of ``city`` next to a warehouse: ``<warehouse folder>/ops/<BPS code>``
    (one store per city, as the warehouse holds one schema per city); without a code,
    ``<warehouse folder>/ops``."""
    return Path(db_path).parent / "ops" / (city or "")
