"""Alerts: rules over the open stages, an outbox, channels, and an in-process scheduler.

Rules (``evaluate``): *at_risk* when at least 75 % of a stage's limit has elapsed (working
minutes for working-day limits) and *breached* when its due time has passed, for stages not
yet ended.  Each alert has the id ``ticket|stage|rule``: the outbox (``alerts/outbox.jsonl``,
appended and fsync'ed before any delivery) holds every alert once, so a restart raises nothing
twice.  A channel's deliveries are recorded in ``alerts/delivered-<channel>.jsonl`` after the
receiver accepted them; undelivered alerts are retried on the next run.  A crash between the
receiver's answer and that record can re-send one alert, so every delivery carries the alert id
in the ``Idempotency-Key`` header for the receiver to drop repeats.
"""

from __future__ import annotations

import json
import os
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, tzinfo
from http.client import HTTPException
from pathlib import Path
from typing import Any, Protocol

import duckdb
import pandas as pd

from smartindex.ops.live import load_live
from smartindex.ops.model import DEFAULT_ZONE, iso_local
from smartindex.ops.sla import AT_RISK, SlaTable, load_sla
from smartindex.ops.store import Store, with_retry

_DUE = """
select ticket_id, ticket_code, stage, agency, kelurahan_code, kecamatan_code, due_at,
       elapsed_share, late_hours,
       case when is_overdue then 'breached' else 'at_risk' end as rule
from open_instances
where is_overdue or elapsed_share >= $risk
order by ticket_id, stage
"""


@dataclass(frozen=True)
class Alert:
    """One alert: which ticket, which stage, which rule, and how late."""

    alert_id: str
    rule: str
    ticket_id: str
    ticket_code: str | None
    stage: str
    agency: str | None
    kelurahan_code: str | None
    kecamatan_code: str | None
    due_at: str
    late_hours: float | None
    elapsed_share: float | None
    raised_at: str
    message: str


def _alert(row: dict[str, Any], now: datetime, tz: tzinfo) -> Alert:
    late = None if pd.isna(row["late_hours"]) else round(float(row["late_hours"]), 2)
    share = None if pd.isna(row["elapsed_share"]) else round(float(row["elapsed_share"]), 3)
    where = f"agency {row['agency'] or '?'}, kelurahan {row['kelurahan_code'] or '?'}"
    if row["rule"] == "breached":
        what = f"breached: {late:.1f} h past due" if late is not None else "breached"
    else:
        what = f"at risk: {100 * (share or 0):.0f} % of the limit used"
    return Alert(
        alert_id=f"{row['ticket_id']}|{row['stage']}|{row['rule']}",
        rule=str(row["rule"]),
        ticket_id=str(row["ticket_id"]),
        ticket_code=row["ticket_code"],
        stage=str(row["stage"]),
        agency=row["agency"],
        kelurahan_code=row["kelurahan_code"],
        kecamatan_code=row["kecamatan_code"],
        due_at=iso_local(row["due_at"].to_pydatetime(), tz),
        late_hours=late,
        elapsed_share=share,
        raised_at=iso_local(now, tz),
        message=f"ticket {row['ticket_code'] or row['ticket_id']} ({where}): stage "
        f"{row['stage']} {what} (due {iso_local(row['due_at'].to_pydatetime(), tz)})",
    )


def evaluate(
    store: Store, now: datetime, sla: SlaTable | None = None, tz: tzinfo = DEFAULT_ZONE
) -> list[Alert]:
    """Alerts due at ``now`` for the open tickets (not yet deduplicated); the store's naive
    times are local in ``tz``."""
    table = sla or load_sla()

    def read() -> list[Alert]:
        con = duckdb.connect()
        try:
            load_live(con, store, table, now)
            frame = con.execute(_DUE, {"risk": AT_RISK}).df()
        finally:
            con.close()
        return [
            _alert({str(k): v for k, v in r.items()}, now, tz) for r in frame.to_dict("records")
        ]

    return with_retry(read)


# ------------------------------------------------------------------ outbox


def _append_lines(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    text = "".join(json.dumps(r, sort_keys=True) + "\n" for r in rows)
    if not text:
        return
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


def _read_lines(path: Path) -> list[dict[str, Any]]:
    try:
        lines = path.read_text("utf-8").splitlines()
    except FileNotFoundError:
        return []
    out = []
    for line in lines:
        try:
            out.append(json.loads(line))
        except ValueError:  # a torn last line after a crash: that alert was not recorded
            continue
    return out


@dataclass(frozen=True)
class Outbox:
    """Every alert raised, once (the outbox file), and each channel's delivery receipts."""

    store: Store

    @property
    def path(self) -> Path:
        return self.store.alerts / "outbox.jsonl"

    def alerts(self) -> list[dict[str, Any]]:
        return _read_lines(self.path)

    def add(self, alerts: Iterable[Alert]) -> list[Alert]:
        """Record the alerts not raised before; returns them."""
        known = {a["alert_id"] for a in self.alerts()}
        new = [a for a in alerts if a.alert_id not in known]
        _append_lines(self.path, (asdict(a) for a in new))
        return new

    def delivered(self, channel: str) -> set[str]:
        receipts = _read_lines(self.store.alerts / f"delivered-{channel}.jsonl")
        return {r["alert_id"] for r in receipts}

    def pending(self, channel: str) -> list[dict[str, Any]]:
        done = self.delivered(channel)
        return [a for a in self.alerts() if a["alert_id"] not in done]

    def mark(self, channel: str, alert_id: str) -> None:
        _append_lines(
            self.store.alerts / f"delivered-{channel}.jsonl",
            [{"alert_id": alert_id, "at": datetime.now(UTC).isoformat(timespec="seconds")}],
        )

    def frame(self) -> pd.DataFrame:
        """The outbox as a table."""
        return pd.DataFrame(self.alerts())


class Channel(Protocol):
    """Somewhere alerts go; ``send`` raises OSError (or returns False) when it failed."""

    @property
    def name(self) -> str: ...

    def send(self, alert: dict[str, Any]) -> bool: ...


@dataclass(frozen=True)
class Webhook:
    """POST each alert as JSON to ``url`` (2xx = delivered)."""

    url: str
    name: str = "webhook"
    timeout: float = 5.0

    def send(self, alert: dict[str, Any]) -> bool:
        request = urllib.request.Request(
            self.url,
            data=json.dumps(alert).encode("utf-8"),
            method="POST",
            headers={"Content-Type": "application/json", "Idempotency-Key": alert["alert_id"]},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return bool(200 <= response.status < 300)
        except (urllib.error.URLError, TimeoutError, ConnectionError, HTTPException):
            return False


@dataclass
class AlertRun:
    """What one alert run did."""

    raised: int = 0
    delivered: int = 0
    failed: int = 0


def run_alerts(
    store: Store,
    now: datetime,
    channels: Iterable[Channel] = (),
    sla: SlaTable | None = None,
    tz: tzinfo = DEFAULT_ZONE,
) -> AlertRun:
    """Evaluate the rules at ``now``, add new alerts to the outbox, deliver what is pending."""
    outbox = Outbox(store)
    result = AlertRun(raised=len(outbox.add(evaluate(store, now, sla, tz))))
    for channel in channels:
        for alert in outbox.pending(channel.name):
            if channel.send(alert):
                outbox.mark(channel.name, alert["alert_id"])
                result.delivered += 1
            else:
                result.failed += 1
                break  # the channel is down: keep the order, try again next run
    return result


# ------------------------------------------------------------------ scheduler


@dataclass
class Task:
    """A job run every ``every`` seconds."""

    name: str
    every: float
    run: Callable[[], object]
    due: float = 0.0


@dataclass
class Scheduler:
    """Runs tasks at their intervals in this thread until ``stop`` is set (or ``cycles``)."""

    tasks: list[Task]
    stop: threading.Event = field(default_factory=threading.Event)
    on_error: Callable[[str, Exception], None] = lambda name, exc: None

    def run(self, *, cycles: int | None = None) -> None:
        done = 0
        while not self.stop.is_set() and (cycles is None or done < cycles):
            now = time.monotonic()
            for task in self.tasks:
                if now >= task.due:
                    try:
                        task.run()
                    except Exception as exc:  # one failing task must not stop the loop
                        self.on_error(task.name, exc)
                    task.due = time.monotonic() + task.every
            done += 1
            wait = min(t.due for t in self.tasks) - time.monotonic() if self.tasks else 1.0
            if cycles is None or done < cycles:
                self.stop.wait(max(wait, 0.0))
