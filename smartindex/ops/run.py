"""The ingester process: pull, pick up files, raise alerts and compact, on one schedule.

Only one ingester runs per store (``ingest_lock``); readers never wait for it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from pathlib import Path

from smartindex.errors import SmartIndexError
from smartindex.ops.alerts import Channel, Scheduler, Task, Webhook, run_alerts
from smartindex.ops.client import Client
from smartindex.ops.ingest import Ingested, ingest_folder, pull
from smartindex.ops.live import store_clock
from smartindex.ops.model import DEFAULT_ZONE, wall_clock
from smartindex.ops.simulator import Faults, SimClock, Simulator, Tickets, serving
from smartindex.ops.sla import SlaTable, load_sla
from smartindex.ops.store import Store, compact, ingest_lock, open_store

DEFAULT_POLL = 10.0
DEMO_MARKER = "DEMO"


@dataclass
class Follow:
    """What the ingester does and how often (seconds)."""

    pseudonym_key: str
    url: str | None = None
    inbox: Path | None = None
    feed: str = "georeport"
    every: float = DEFAULT_POLL
    alert_every: float = 15.0
    compact_every: float = 300.0
    compact_batches: int = 200
    webhook: str | None = None
    # the SLA table on the city's working week: ``load_sla(week=settings.work_week)``
    sla: SlaTable = field(default_factory=load_sla)
    client: Client | None = None
    tz: tzinfo = DEFAULT_ZONE  # the store's local zone: ``local_zone(settings)``

    def channels(self) -> list[Channel]:
        return [Webhook(self.webhook)] if self.webhook else []


def ingest_once(store: Store, job: Follow) -> Ingested:
    """One pull and one look at the inbox (the caller holds the lock)."""
    total = Ingested()
    if job.url:
        total.add(
            pull(
                store,
                job.client or Client(job.url),
                feed=job.feed,
                pseudonym_key=job.pseudonym_key,
                tz=job.tz,
            )
        )
    if job.inbox:
        total.add(ingest_folder(store, job.inbox, pseudonym_key=job.pseudonym_key, tz=job.tz))
    return total


def alert_now(store: Store, tz: tzinfo = DEFAULT_ZONE) -> datetime:
    """The time alerts are evaluated at: the sources' clock, else the wall clock (naive local
    in ``tz``)."""
    return store_clock(store, tz) or wall_clock(tz)


def follow(
    store: Store,
    job: Follow,
    *,
    stop: threading.Event | None = None,
    cycles: int | None = None,
    log: Callable[[str], None] = print,
) -> None:
    """Run the ingester until ``stop`` is set (or for ``cycles`` scheduler rounds)."""

    def maybe_compact() -> None:
        if len(store.batch_files()) >= job.compact_batches:
            compact(store, job.sla)

    def report(name: str, exc: Exception) -> None:
        log(f"ops {name}: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}")

    tasks = [
        Task("ingest", job.every, lambda: ingest_once(store, job)),
        Task(
            "alerts",
            job.alert_every,
            lambda: run_alerts(store, alert_now(store, job.tz), job.channels(), job.sla, job.tz),
        ),
        Task("compact-check", job.every, maybe_compact),
        Task("compact", job.compact_every, lambda: compact(store, job.sla), due=job.compact_every),
    ]
    with ingest_lock(store):
        Scheduler(tasks, stop or threading.Event(), on_error=report).run(cycles=cycles)


@contextmanager
def simulated_source(
    data: list[Path],
    *,
    speed: float,
    start: datetime | None,
    warmup_days: float = 30.0,
    port: int = 0,
    faults: Faults | None = None,
    tz: tzinfo = DEFAULT_ZONE,
) -> Iterator[tuple[str, Simulator]]:
    """A simulator over complaint files (naive times local in ``tz``) on 127.0.0.1; yields
    (base URL, simulator)."""
    tickets = Tickets.from_csv(data)
    begin = start or _warm_start(tickets, warmup_days)
    sim = Simulator(tickets, SimClock(begin, speed), faults or Faults(), tz=tz)
    with serving(sim, port) as url:
        yield url, sim


def _warm_start(tickets: Tickets, warmup_days: float) -> datetime:
    first = tickets.first_time().replace(hour=0, minute=0, second=0, microsecond=0)
    return first + timedelta(days=warmup_days)


def demo_store(root: Path) -> Store:
    """A store for the live demo: a fresh one, or one an earlier demo made (wiped)."""
    marker = root / DEMO_MARKER
    if root.exists() and any(root.iterdir()) and not marker.exists():
        raise SmartIndexError(
            f"{root}: holds a live store that is not a demo store; give another --store"
        )
    for folder in ("batches", "compacted", "quarantine", "state", "alerts"):
        for path in (root / folder).glob("*") if (root / folder).exists() else []:
            path.unlink()
    store = open_store(root)
    marker.touch()
    return store
