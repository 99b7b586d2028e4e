"""A GeoReport v2 endpoint serving complaint tickets in accelerated time (127.0.0.1 only).

``GET /services.json``, ``GET /requests.json`` (``start_date``, ``end_date``, ``status``,
``service_code`` from the spec; the common ``updated_after``, ``page`` and ``page_size``
extensions, plus ``updated_before``) and ``GET /requests/{id}.json``.  Errors use the spec's
body ``[{"code": …, "description": …}]``.  The simulated clock runs ``speed`` times faster than
the wall clock (1440 = one day per minute) from ``start``; a ticket's events appear when the
simulated clock passes them.  Every response carries the clock in ``X-Smartindex-Clock``.
``Faults`` make the next requests fail (HTTP 500, 429, a slow page, malformed JSON) for tests.
"""

from __future__ import annotations

import bisect
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pandas as pd

from smartindex.errors import DataFileError
from smartindex.ops.georeport import complaint_request, complaint_timeline
from smartindex.ops.model import DEFAULT_ZONE, STAGE_TIMES, iso_local, to_local

CLOCK_HEADER = "X-Smartindex-Clock"
MAX_PAGE_SIZE = 5000
DEFAULT_PAGE_SIZE = 1000


class ApiError(Exception):
    """An error answered with the GeoReport error body."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status, self.description = status, description


@dataclass
class SimClock:
    """Simulated time: ``start`` + ``speed`` × wall seconds since creation (0 = frozen)."""

    start: datetime
    speed: float = 1440.0
    wall0: float = field(default_factory=time.monotonic)

    def now(self) -> datetime:
        return self.start + timedelta(seconds=(time.monotonic() - self.wall0) * self.speed)

    def wall_at(self, sim: datetime) -> float:
        """The ``time.monotonic()`` value at which the clock shows ``sim``."""
        return self.wall0 + (sim - self.start).total_seconds() / (self.speed or float("inf"))


@dataclass
class Faults:
    """How many of the next ``/requests.json`` calls fail, and how."""

    http_500: int = 0
    http_429: int = 0
    slow: int = 0
    slow_seconds: float = 2.0
    malformed: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self) -> str | None:
        """The fault to apply to this request (each counter is used up once per request)."""
        with self.lock:
            for name in ("http_500", "http_429", "slow", "malformed"):
                if getattr(self, name) > 0:
                    setattr(self, name, getattr(self, name) - 1)
                    return name
        return None


class Tickets:
    """The tickets served, with an index of their event times."""

    def __init__(self, frame: pd.DataFrame) -> None:
        frame = frame.astype(object).where(frame.notna(), None)
        for col in STAGE_TIMES:
            stamps = pd.to_datetime(frame[col], errors="coerce")
            frame[col] = [None if pd.isna(v) else v.to_pydatetime() for v in stamps]
        self.rows: list[dict[str, Any]] = [
            {str(k): v for k, v in r.items()} for r in frame.to_dict("records")
        ]
        self.timelines = [complaint_timeline(r) for r in self.rows]
        pairs = sorted((ts, i) for i, tl in enumerate(self.timelines) for ts, _ in tl)
        self.event_times = [ts for ts, _ in pairs]
        self.event_ticket = [i for _, i in pairs]
        created = sorted((tl[0][0], i) for i, tl in enumerate(self.timelines) if tl)
        self.created_times = [ts for ts, _ in created]
        self.created_ticket = [i for _, i in created]
        self.by_id = {
            str(r["ticket_id"]): i
            for i, r in enumerate(self.rows)
            if isinstance(r.get("ticket_id"), str)
        }
        self.categories = sorted(
            {str(r["category"]) for r in self.rows if isinstance(r.get("category"), str)}
        )

    @classmethod
    def from_csv(cls, paths: list[Path]) -> Tickets:
        """Tickets of the project's complaint CSV files."""
        frames = []
        for path in paths:
            try:
                frames.append(pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""]))
            except (OSError, ValueError) as exc:
                raise DataFileError(path, f"cannot read complaint CSV: {exc}") from None
        if not frames:
            raise DataFileError(", ".join(map(str, paths)) or "-", "no complaint files given")
        return cls(pd.concat(frames, ignore_index=True))

    def first_time(self) -> datetime:
        return self.created_times[0] if self.created_times else datetime(2024, 1, 1)

    def updated(self, after: datetime | None, until: datetime) -> list[int]:
        """Tickets with an event in (after, until], by their last update time then id."""
        lo = 0 if after is None else bisect.bisect_right(self.event_times, after)
        hi = bisect.bisect_right(self.event_times, until)
        last: dict[int, datetime] = {}
        for k in range(lo, hi):  # event times ascend: the last seen is the latest
            last[self.event_ticket[k]] = self.event_times[k]
        return sorted(last, key=lambda i: (last[i], str(self.rows[i].get("ticket_id"))))

    def created_between(self, start: datetime, end: datetime) -> list[int]:
        lo = bisect.bisect_left(self.created_times, start)
        hi = bisect.bisect_right(self.created_times, end)
        return self.created_ticket[lo:hi]

    def request(self, i: int, until: datetime, tz: tzinfo) -> dict[str, Any]:
        return complaint_request(self.rows[i], self.timelines[i], until, tz=tz)


def _time_param(query: dict[str, list[str]], name: str, tz: tzinfo) -> datetime | None:
    if name not in query:
        return None
    text = query[name][0]
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ApiError(400, f"{name}: not a W3C datetime: {text!r}") from None
    if parsed.tzinfo is None:
        raise ApiError(400, f"{name}: a W3C datetime needs its UTC offset: {text!r}")
    return to_local(parsed, tz)


def _int_param(query: dict[str, list[str]], name: str, default: int, top: int) -> int:
    text = query.get(name, [str(default)])[0]
    if not text.isdigit() or not 1 <= int(text) <= top:
        raise ApiError(400, f"{name}: expected a whole number from 1 to {top}, got {text!r}")
    return int(text)


@dataclass
class Simulator:
    """The served state: tickets, clock and faults."""

    tickets: Tickets
    clock: SimClock
    faults: Faults = field(default_factory=Faults)
    jurisdiction: str = ""  # GeoReport v2 jurisdiction_id (the city's domain), optional
    tz: tzinfo = DEFAULT_ZONE  # the zone of the tickets' naive times (Settings.timezone)

    def services(self) -> list[dict[str, Any]]:
        return [
            {
                "service_code": c,
                "service_name": c,
                "description": c,
                "metadata": False,
                "type": "realtime",
                "keywords": "",
                "group": "complaints",
            }
            for c in self.tickets.categories
        ]

    def requests(self, query: dict[str, list[str]], now: datetime) -> list[dict[str, Any]]:
        until = min(now, _time_param(query, "updated_before", self.tz) or now)
        after = _time_param(query, "updated_after", self.tz)
        start = _time_param(query, "start_date", self.tz)
        end = _time_param(query, "end_date", self.tz)
        if after is not None or "updated_before" in query:
            chosen = self.tickets.updated(after, until)
        else:
            end = min(end or until, until)
            chosen = self.tickets.created_between(start or end - timedelta(days=90), end)
        if after is not None and (start or end):
            chosen = [
                i
                for i in chosen
                if (start is None or self.tickets.timelines[i][0][0] >= start)
                and (end is None or self.tickets.timelines[i][0][0] <= end)
            ]
        if "service_code" in query:
            codes = set(query["service_code"][0].split(","))
            chosen = [i for i in chosen if self.tickets.rows[i].get("category") in codes]
        size = _int_param(query, "page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
        page = _int_param(query, "page", 1, 10**9)
        if "status" in query:  # open/closed depends on the time: build every record first
            wanted = set(query["status"][0].split(","))
            records = [
                r
                for r in (self.tickets.request(i, until, self.tz) for i in chosen)
                if r["status"] in wanted
            ]
            return records[(page - 1) * size : page * size]
        page_rows = chosen[(page - 1) * size : page * size]
        return [self.tickets.request(i, until, self.tz) for i in page_rows]

    def request_by_id(self, ticket_id: str, now: datetime) -> list[dict[str, Any]]:
        i = self.tickets.by_id.get(ticket_id)
        if i is None or not self.tickets.timelines[i] or self.tickets.timelines[i][0][0] > now:
            raise ApiError(404, f"service request {ticket_id!r} not found")
        return [self.tickets.request(i, now, self.tz)]


def _error_body(status: int, description: str) -> bytes:
    return json.dumps([{"code": status, "description": description}]).encode()


def respond(sim: Simulator, raw_path: str, now: datetime) -> tuple[int, bytes, dict[str, str]]:
    """(HTTP status, body, extra headers) for ``GET raw_path`` at simulated time ``now``."""
    url = urlsplit(raw_path)
    query, path = parse_qs(url.query), unquote(url.path).rstrip("/")
    try:
        if path == "/services.json":
            payload: object = sim.services()
        elif path == "/requests.json":
            fault = sim.faults.take()
            if fault == "http_500":
                raise ApiError(500, "internal server error (injected)")
            if fault == "http_429":
                return 429, _error_body(429, "too many requests (injected)"), {"Retry-After": "0"}
            if fault == "slow":
                time.sleep(sim.faults.slow_seconds)
            if fault == "malformed":
                return 200, b'[{"service_request_id": "broken", ', {}
            payload = sim.requests(query, now)
        elif path.startswith("/requests/") and path.endswith(".json"):
            payload = sim.request_by_id(path[len("/requests/") : -len(".json")], now)
        else:
            raise ApiError(404, f"no such resource: {path}")
    except ApiError as exc:
        return exc.status, _error_body(exc.status, exc.description), {}
    return 200, json.dumps(payload, default=str).encode("utf-8"), {}


def _handler(sim: Simulator) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_GET(self) -> None:
            now = sim.clock.now().replace(microsecond=0)
            status, body, extra = respond(sim, self.path, now)
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header(CLOCK_HEADER, iso_local(now, sim.tz))
            for key, value in extra.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)

    return Handler


@contextmanager
def serving(sim: Simulator, port: int = 0) -> Iterator[str]:
    """Serve ``sim`` on 127.0.0.1 in a background thread; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(sim))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="georeport-sim", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
