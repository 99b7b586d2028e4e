"""Service levels per stage and category (``sla.toml``) and their evaluation in DuckDB.

Each ticket has one *stage instance* per stage of the table: it starts at the stage's start
event, ends at its end event, and is due at a time that depends on the unit (working days on
the holiday calendar and the city's working week, ``SlaTable.week``; clock hours or calendar
days).  An instance is *decided* once it has ended in time (at its end) or its due time has
passed (at the due time); compliance over a period is the share of instances decided in it that
ended in time.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from smartindex.config import WorkWeek
from smartindex.errors import DataFileError
from smartindex.indicators.calendar import (
    END_YEAR,
    NATIONAL_WEEK,
    SCHEDULE,
    START_YEAR,
    holiday_rows,
    install_calendar,
)

DEFAULT_SLA = Path(__file__).with_name("sla.toml")
UNITS = ("working_days", "clock_hours", "calendar_days")
AT_RISK = 0.75
# Where each event kind's time sits on a folded ticket (the complaint table's columns).
EVENT_COLUMN = {
    "received": "created_at",
    "verified": "verified_at",
    "dispatched": "dispatched_at",
    "first_response": "first_response_at",
    "resolved": "coalesce(t.resolved_at, t.closed_at)",
    "closed": "closed_at",
}


@dataclass(frozen=True)
class Stage:
    """One service level: from ``start`` to ``end`` within ``limit`` ``unit``."""

    key: str
    profile: str
    start: str
    end: str
    unit: str
    limit: float | None
    default_limit: float | None
    citation: str


@dataclass(frozen=True)
class SlaTable:
    """The stages and their per-category limits, counted on the working ``week`` (the city's
    ``Settings.work_week``; None = the national one) for limits in working days and the share
    of such a limit used."""

    stages: tuple[Stage, ...]
    limits: dict[tuple[str, str], float]
    week: WorkWeek | None = None

    def limit_for(self, stage: str, category: str) -> tuple[float, bool]:
        """(limit, is_default) of ``stage`` for ``category``."""
        found = next(s for s in self.stages if s.key == stage)
        if (stage, category) in self.limits:
            return self.limits[(stage, category)], False
        if found.limit is not None:
            return found.limit, False
        return float(found.default_limit or 0), True

    def stage_frame(self) -> pd.DataFrame:
        """key, profile, start, end, unit, limit, default_limit, citation."""
        return pd.DataFrame([s.__dict__ for s in self.stages])


def _stage(path: Path, i: int, raw: dict[str, Any]) -> Stage:
    where = f"stage {i + 1} ({raw.get('key', '?')})"
    try:
        stage = Stage(
            key=str(raw["key"]),
            profile=str(raw["profile"]),
            start=str(raw["start"]),
            end=str(raw["end"]),
            unit=str(raw["unit"]),
            limit=float(raw["limit"]) if "limit" in raw else None,
            default_limit=float(raw["default_limit"]) if "default_limit" in raw else None,
            citation=str(raw.get("citation", "")),
        )
    except KeyError as exc:
        raise DataFileError(path, f"{where}: missing {exc.args[0]!r}") from None
    if stage.unit not in UNITS:
        raise DataFileError(path, f"{where}: unit {stage.unit!r} is not one of {UNITS}")
    for name in (stage.start, stage.end):
        if name not in EVENT_COLUMN:
            raise DataFileError(
                path, f"{where}: {name!r} is not a stage event ({sorted(EVENT_COLUMN)})"
            )
    if (stage.limit is None) == (stage.default_limit is None):
        raise DataFileError(path, f"{where}: give exactly one of limit and default_limit")
    return stage


def load_sla(path: Path | None = None, *, week: WorkWeek | None = None) -> SlaTable:
    """Read and check an SLA table (default: the shipped ``sla.toml``), counted on the working
    ``week`` (the city's ``Settings.work_week``; None = the national one)."""
    path = path or DEFAULT_SLA
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(path, f"not valid TOML: {exc}") from None
    stages = tuple(_stage(path, i, raw) for i, raw in enumerate(data.get("stage", [])))
    keys = {s.key for s in stages}
    limits: dict[tuple[str, str], float] = {}
    for i, raw in enumerate(data.get("limit", [])):
        if raw.get("stage") not in keys:
            raise DataFileError(path, f"limit {i + 1}: unknown stage {raw.get('stage')!r}")
        limits[(str(raw["stage"]), str(raw["category"]))] = float(raw["limit"])
    for stage in stages:
        values = [v for (s, _), v in limits.items() if s == stage.key]
        values += [v for v in (stage.limit, stage.default_limit) if v is not None]
        if stage.unit == "working_days" and any(v != int(v) or v < 0 for v in values):
            raise DataFileError(path, f"stage {stage.key}: working-day limits must be whole")
    return SlaTable(stages, limits, week)


def _column(kind: str) -> str:
    expr = EVENT_COLUMN[kind]
    return expr if "(" in expr else f"t.{expr}"


def week_of(sla: SlaTable, week: WorkWeek | None = None) -> WorkWeek | None:
    """The working week ``sla`` is counted on: ``week`` when given, else the table's own."""
    return sla.week if week is None else week


def fingerprint(sla: SlaTable, week: WorkWeek | None = None) -> str:
    """A short digest of the SLA table and the calendar (holidays and the working week: ``week``
    when given, else ``sla.week``; None = the national one): stage outcomes computed ahead (at
    compaction) are used only while both are unchanged."""
    counted = week_of(sla, week)
    schedule = SCHEDULE if counted in (None, NATIONAL_WEEK) else counted  # national: as before
    calendar = (holiday_rows(), schedule, START_YEAR, END_YEAR)
    text = repr((sla.stages, sorted(sla.limits.items()), calendar))
    return hashlib.blake2b(text.encode("utf-8"), digest_size=6).hexdigest()


# The stage instances of the tickets in a relation, without anything that depends on "now":
# when the start, the end and the due time are, whether the end was in time, and (for those
# not ended, counted in working days) the working-minute positions of start and due time.
_FIXED = """
with base as (
    select t.ticket_id, t.category, t.created_at, t.sort_at{extra}, t.ticket_code, t.agency,
           t.kelurahan_code, t.kecamatan_code, s.key as stage, s.unit,
           {start_case} as start_at, {end_case} as end_at,
           coalesce(l."limit", s."limit", s.default_limit) as limit_value,
           l."limit" is null and s."limit" is null as is_default
    from {tickets} t
    cross join _sla_stage s
    left join _sla_limit l on l.stage = s.key and l.category = t.category
    where t.status not in ('rejected', 'returned')
)
select b.*,
       case b.unit
           when 'clock_hours' then b.start_at + to_microseconds(
               cast(b.limit_value * 3600000000 as bigint))
           when 'calendar_days' then b.start_at + to_microseconds(
               cast(b.limit_value * 86400000000 as bigint))
           else cast(w.first_date as timestamp)
       end as due_at
from base b
left join calendar_days c on c.date = cast(b.start_at as date)
left join _wd_first w on w.working_day_no = c.working_day_no + cast(b.limit_value as integer) + 1
where b.start_at is not null
"""
# Working-minute positions are looked up once per distinct time (starts repeat rarely, due
# times are mostly midnights shared by many tickets), not per instance.
_WORKING_MINUTES = """
create or replace temp table {name}_wm as
select ts, working_minute_of(ts) as wm
from (select start_at as ts from {name}_placed where end_at is null and unit = 'working_days'
      union
      select due_at from {name}_placed where end_at is null and unit = 'working_days')
where ts is not null
"""
# The descriptive columns are kept only where a list shows them: instances not ended.
_OUTCOMES = """
select p.* replace (
           case when p.end_at is null then p.ticket_code end as ticket_code,
           case when p.end_at is null then p.agency end as agency,
           case when p.end_at is null then p.kelurahan_code end as kelurahan_code,
           case when p.end_at is null then p.kecamatan_code end as kecamatan_code),
       p.end_at is not null and p.end_at <= p.due_at as on_time,
       s.wm as start_wm, d.wm as due_wm
from {name}_placed p
left join {name}_wm s on s.ts = p.start_at and p.end_at is null and p.unit = 'working_days'
left join {name}_wm d on d.ts = p.due_at and p.end_at is null and p.unit = 'working_days'
"""
# ... and what depends on "now": decided (ended in time, or due), overdue, how late.
_AT_NOW = """
create or replace temp {kind} stage_instances as
select i.*,
       case when i.on_time then i.end_at when i.due_at <= {now} then i.due_at end as decided_at,
       i.end_at is null and i.due_at <= {now} as is_overdue,
       case when i.end_at is null and i.due_at <= {now}
            then epoch({now} - i.due_at) / 3600.0 end as late_hours
from ({outcomes}) i
"""
# The instances not ended, with the share of the limit used (working minutes for limits in
# working days).
_RISK = """
create or replace temp table open_instances as
select i.*,
       case when i.unit = 'working_days'
            then (n.wm - i.start_wm) / nullif(i.due_wm - i.start_wm, 0)
            else epoch($now - i.start_at) / nullif(epoch(i.due_at - i.start_at), 0)
       end as elapsed_share
from stage_instances i
cross join (select working_minute_of($now::timestamp) as wm) n
where i.end_at is null
"""
_FIRST_WORKING_DAY = """
create or replace temp table _wd_first as
select working_day_no, min(date) as first_date
from calendar_days where is_working_day group by working_day_no
"""


def install_sla(
    con: duckdb.DuckDBPyConnection, sla: SlaTable, week: WorkWeek | None = None
) -> None:
    """Create the calendar of the working week (``week`` when given, else ``sla.week``; None =
    the national one) and the SLA tables (``_sla_stage``, ``_sla_limit``) on ``con``."""
    install_calendar(con, week=week_of(sla, week))
    con.execute(_FIRST_WORKING_DAY)
    stages = sla.stage_frame()
    limits = pd.DataFrame(
        [(s, c, v) for (s, c), v in sla.limits.items()], columns=["stage", "category", "limit"]
    ).astype({"stage": "string", "category": "string", "limit": "float64"})
    con.register("_sla_stage_df", stages)
    con.register("_sla_limit_df", limits)
    con.execute("create or replace temp table _sla_stage as select * from _sla_stage_df")
    con.execute("create or replace temp table _sla_limit as select * from _sla_limit_df")
    con.unregister("_sla_stage_df")
    con.unregister("_sla_limit_df")


def outcomes_sql(
    con: duckdb.DuckDBPyConnection, *, tickets: str, name: str, extra: str = ""
) -> str:
    """SQL of the now-independent stage instances of the tickets in relation ``tickets``.

    ``tickets`` has the complaint table's columns plus ``sort_at``; needs ``install_sla``.
    Creates helper tables prefixed ``name`` on ``con``; ``extra``: more columns of ``t`` to
    keep (after a comma).
    """

    def case(field: str) -> str:
        whens = " ".join(f"when '{kind}' then {_column(kind)}" for kind in EVENT_COLUMN)
        return f"case s.{field} {whens} end"

    fixed = _FIXED.format(
        tickets=tickets, start_case=case("start"), end_case=case('"end"'), extra=extra
    )
    con.execute(f"create or replace temp view {name}_placed as {fixed}")
    con.execute(_WORKING_MINUTES.format(name=name))
    return _OUTCOMES.format(name=name)


def timestamp_sql(ts: datetime) -> str:
    """A timestamp literal (views take no parameters)."""
    return f"timestamp '{ts.replace(tzinfo=None).isoformat(sep=' ')}'"


def install_at_now(
    con: duckdb.DuckDBPyConnection,
    outcomes: str,
    now: datetime,
    *,
    materialise: bool = True,
) -> None:
    """Create ``stage_instances`` (with ``decided_at``, ``is_overdue``, ``late_hours`` at
    ``now``) from the SQL ``outcomes`` (a table, or a view read again by each query when
    ``materialise`` is false), and ``open_instances``: those not ended, with the
    ``elapsed_share`` of their limit."""
    kind = "table" if materialise else "view"
    con.execute(_AT_NOW.format(kind=kind, outcomes=outcomes, now=timestamp_sql(now)))
    con.execute(_RISK, {"now": now})


def install_stages(
    con: duckdb.DuckDBPyConnection, sla: SlaTable, *, tickets: str, now: datetime
) -> None:
    """Create ``stage_instances`` (every stage of every counted ticket) and ``open_instances``
    (those not ended, with ``elapsed_share`` of their limit) for the tickets in ``tickets``.

    ``tickets`` names a relation with the complaint table's columns plus ``sort_at``.
    """
    install_sla(con, sla)
    install_at_now(con, outcomes_sql(con, tickets=tickets, name="_all"), now)
