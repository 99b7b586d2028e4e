"""Companion statistics of the complaint KPIs: stage durations and ticket outcomes.

Two tables, published by ``smartindex score`` next to ``indicator_values``:

* ``complaint_stage_stats`` (area_code, year, stage, ...): for every stage of a ticket's life the
  median, the 90th percentile and the share within the stage's limit. SP4N-LAPOR! limits are
  per ticket, in working days (Perpres 76/2013; PermenPANRB 62/2018): verification, and
  verification plus forwarding to the agency, within 3 working days; the agency's follow-up
  within 5 working days of dispatch. Jakarta's CRM publishes *means* per stage (coordination
  <= 6 hours, completion <= 7 days): the mean is reported only for those two stages, where it is
  compared with Jakarta (``jakarta_mean_limit_hours``). Durations of LAPOR! stages are in
  working hours (7.5 a working day), of Jakarta stages in clock hours.
* ``complaint_outcomes`` (area_code, year): every ticket received, by outcome - resolved, open,
  rejected / incomplete, not our authority ('bukan wewenang', returned to the competent
  agency), duplicate - with shares of all tickets received, so a completion rate over the
  tickets handled can never hide how many were turned away.

Right-censoring: a ticket enters a stage's statistics once the stage's limit has elapsed before
the cut-off of the extract it came from (``sla_tickets().as_of``). Tickets that have not
finished the stage by then count as outside the limit and, in the quantiles, as longer than any
finished one (an infinite duration; a quantile that falls on them is NULL, "above every observed
duration"). Means are over the tickets that finished the stage (``n_finished``).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from smartindex.indicators.catalogue import Catalogue
from smartindex.indicators.measure import prepare_connection
from smartindex.warehouse.connection import table_exists

LAPOR = "SP4N-LAPOR! (Perpres 76/2013; PermenPANRB 62/2018)"
JAKARTA = "Jakarta CRM (published mean per stage)"


@dataclass(frozen=True)
class Stage:
    """One stage of a ticket's life and the limit it is held to."""

    key: str
    start: str
    end: str
    working_time: bool  # durations in working hours (else clock hours)
    limit: float  # in limit_unit
    limit_unit: str  # working_days | hours
    basis: str
    jakarta_mean_limit_hours: float | None = None


STAGES = (
    Stage("verification", "created_at", "verified_at", True, 3, "working_days", LAPOR),
    Stage("verification_forwarding", "created_at", "dispatched_at", True, 3, "working_days", LAPOR),
    Stage("coordination", "created_at", "dispatched_at", False, 6, "hours", JAKARTA, 6.0),
    Stage("follow_up", "dispatched_at", "first_response_at", True, 5, "working_days", LAPOR),
    Stage("completion", "created_at", "resolved_at", False, 168, "hours", JAKARTA, 168.0),
)
STAGE_COLUMNS = (
    "area_code",
    "year",
    "stage",
    "basis",
    "limit_value",
    "limit_unit",
    "duration_unit",
    "n_tickets",
    "n_finished",
    "median",
    "p90",
    "share_within_limit",
    "mean_hours",
    "jakarta_mean_limit_hours",
)
OUTCOMES = {
    "resolved": ("resolved", "closed"),
    "open": ("received", "verified", "dispatched", "in_progress"),
    "rejected_incomplete": ("rejected",),
    "not_our_authority": ("returned",),
    "duplicate": ("duplicate",),
}
OUTCOME_COLUMNS = ("area_code", "year", "received", *OUTCOMES, *(f"{k}_share" for k in OUTCOMES))


def _stage_sql(stage: Stage) -> str:
    """One stage's statistics per area and year (censored per extract)."""
    if stage.working_time:
        duration = f"working_hours_between(t.{stage.start}, t.{stage.end})"
        within = f"working_days_between(t.{stage.start}, t.{stage.end}) <= {stage.limit}"
        elapsed = f"working_days_between(t.{stage.start}, t.as_of) > {stage.limit}"
    else:
        duration = f"date_diff('second', t.{stage.start}, t.{stage.end}) / 3600.0"
        within = f"t.{stage.end} <= t.{stage.start} + to_seconds({stage.limit * 3600})"
        elapsed = f"t.{stage.start} + to_seconds({stage.limit * 3600}) <= t.as_of"
    mean = (
        "avg(d) filter (where d < 'infinity'::double)"
        if stage.jakarta_mean_limit_hours
        else "null::double"
    )
    return f"""
        with eligible as (
            select t.area_code, t.year, coalesce({duration}, 'infinity'::double) as d,
                   coalesce({within}, false) as ok
            from sla_tickets() t
            where t.{stage.start} is not null and {elapsed}
        )
        select area_code, year, count(*) as n_tickets,
               count(*) filter (where d < 'infinity'::double) as n_finished,
               quantile_disc(d, 0.5) as median, quantile_disc(d, 0.9) as p90,
               100.0 * count_if(ok) / count(*) as share_within_limit,
               {mean} as mean_hours
        from eligible
        group by area_code, year"""


def stage_stats(con: duckdb.DuckDBPyConnection, catalogue: Catalogue) -> pd.DataFrame:
    """``complaint_stage_stats`` (empty when the warehouse has no complaints)."""
    if not table_exists(con, "complaints"):
        return pd.DataFrame(columns=list(STAGE_COLUMNS))
    prepare_connection(con, catalogue)
    parts = []
    for stage in STAGES:
        frame = con.execute(_stage_sql(stage)).df()
        parts.append(
            frame.assign(
                stage=stage.key,
                basis=stage.basis,
                limit_value=float(stage.limit),
                limit_unit=stage.limit_unit,
                duration_unit="working_hours" if stage.working_time else "hours",
                jakarta_mean_limit_hours=stage.jakarta_mean_limit_hours or float("nan"),
            )
        )
    out = pd.concat(parts, ignore_index=True)
    for col in ("median", "p90"):  # a quantile on an unfinished ticket: above every duration
        out[col] = out[col].where(out[col] < float("inf"))
    return out[list(STAGE_COLUMNS)].sort_values(["area_code", "year", "stage"], ignore_index=True)


def outcomes(con: duckdb.DuckDBPyConnection, catalogue: Catalogue) -> pd.DataFrame:
    """``complaint_outcomes``: tickets received per area and year, by outcome, with shares."""
    if not table_exists(con, "complaints"):
        return pd.DataFrame(columns=list(OUTCOME_COLUMNS))
    prepare_connection(con, catalogue)
    counts = ", ".join(
        f"count(*) filter (where c.status in ({', '.join(repr(s) for s in statuses)})) as {key}"
        for key, statuses in OUTCOMES.items()
    )
    shares = ", ".join(f"100.0 * {key} / received as {key}_share" for key in OUTCOMES)
    frame = con.execute(f"""
        with counted as (
            select c.area_code, c.year, count(*) as received, {counts}
            from complaint_records() c
            group by c.area_code, c.year
        )
        select *, {shares} from counted order by area_code, year""").df()
    return frame[list(OUTCOME_COLUMNS)]


def publish_complaint_tables(con: duckdb.DuckDBPyConnection, catalogue: Catalogue) -> None:
    """Store ``complaint_stage_stats`` and ``complaint_outcomes`` (replacing them)."""
    for name, frame in (
        ("complaint_stage_stats", stage_stats(con, catalogue)),
        ("complaint_outcomes", outcomes(con, catalogue)),
    ):
        con.register("_si_frame", frame)
        try:
            con.execute(f"create or replace table {name} as select * from _si_frame")
        finally:
            con.unregister("_si_frame")
