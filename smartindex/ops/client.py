"""A GeoReport v2 client: pages, retries with exponential back-off, and the source's state.

``5xx``, ``429`` (honouring ``Retry-After``), time-outs, refused connections and malformed JSON
are retried ``retries`` times with back-off ``backoff × 2^n`` seconds; then the pull fails, the
source state counts one more consecutive failure and the cursor stays where it was.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, tzinfo
from http.client import HTTPException
from typing import Any
from urllib.parse import urlencode

from smartindex.errors import SmartIndexError
from smartindex.ops.model import iso_local, to_local, wall_clock
from smartindex.ops.store import Store, read_json, write_json

CLOCK_HEADER = "X-Smartindex-Clock"
RETRYABLE = {429, 500, 502, 503, 504}


class FetchError(SmartIndexError):
    """The source could not be read (after retries); the message says why."""


class MalformedPageError(FetchError):
    """The source answered something that is not the JSON array the spec promises."""

    def __init__(self, url: str, body: bytes) -> None:
        super().__init__(f"{url}: malformed JSON in the response")
        self.url, self.body = url, body


@dataclass
class SourceState:
    """What is known about a source, persisted in ``state/source-<name>.json``."""

    name: str
    url: str = ""
    cursor: str | None = None
    clock: str | None = None
    last_success: str | None = None
    last_attempt: str | None = None
    consecutive_failures: int = 0
    last_error: str | None = None
    pulls: int = 0
    records: int = 0
    events: int = 0
    rejected: int = 0

    @classmethod
    def load(cls, store: Store, name: str) -> SourceState:
        data = read_json(store.state / f"source-{name}.json", None)
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known}) if data else cls(name)

    def save(self, store: Store) -> None:
        write_json(store.state / f"source-{self.name}.json", asdict(self))


def source_states(store: Store) -> list[SourceState]:
    """The state of every source the store has pulled from."""
    return [
        SourceState.load(store, p.stem.removeprefix("source-"))
        for p in sorted(store.state.glob("source-*.json"))
    ]


@dataclass
class Client:
    """Reads one GeoReport v2 endpoint."""

    base_url: str
    timeout: float = 10.0
    retries: int = 4
    backoff: float = 0.5
    page_size: int = 1000
    sleep: Any = field(default=time.sleep, repr=False)

    def get(self, path: str, params: dict[str, str]) -> tuple[Any, dict[str, str]]:
        """GET ``path`` with ``params``: the decoded JSON and the response headers."""
        url = f"{self.base_url.rstrip('/')}/{path}?{urlencode(params)}"
        last = "no attempt"
        for attempt in range(self.retries + 1):
            if attempt:
                self.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                with urllib.request.urlopen(url, timeout=self.timeout) as response:
                    body = response.read()
                    headers = dict(response.headers.items())
            except urllib.error.HTTPError as exc:
                last = f"{url}: HTTP {exc.code} {_description(exc)}"
                if exc.code not in RETRYABLE:
                    raise FetchError(last) from None
                wait = exc.headers.get("Retry-After") if exc.headers else None
                if wait and wait.isdigit():
                    self.sleep(min(float(wait), 60.0))
                continue
            except (urllib.error.URLError, TimeoutError, ConnectionError, HTTPException) as exc:
                last = f"{url}: {getattr(exc, 'reason', exc)}"
                continue
            try:
                return json.loads(body), headers
            except ValueError:
                last = f"{url}: malformed JSON in the response"
                if attempt == self.retries:
                    raise MalformedPageError(url, body) from None
        raise FetchError(f"{last} (after {self.retries + 1} attempts)")

    def services(self) -> list[dict[str, Any]]:
        payload, _ = self.get("services.json", {})
        if not isinstance(payload, list):
            raise FetchError(f"{self.base_url}/services.json: expected a JSON array")
        return payload

    def pages(
        self, updated_after: datetime | None, *, tz: tzinfo
    ) -> Iterator[tuple[list[Any], datetime]]:
        """Pages of requests updated after ``updated_after`` (all when None), with the source
        clock: the server's ``X-Smartindex-Clock`` or else the wall clock (times naive local
        in ``tz``).  Later pages are bounded by the first page's clock so that the window does
        not move while paging."""
        params = {"page_size": str(self.page_size)}
        if updated_after is not None:
            params["updated_after"] = iso_local(updated_after, tz)
        else:
            params["updated_after"] = iso_local(datetime(1970, 1, 2), tz)
        page, clock = 1, None
        while True:
            payload, headers = self.get("requests.json", {**params, "page": str(page)})
            if clock is None:
                clock = _clock(headers, tz)
                params["updated_before"] = iso_local(clock, tz)
            if not isinstance(payload, list):
                raise FetchError(f"{self.base_url}/requests.json: expected a JSON array")
            yield payload, clock
            if len(payload) < self.page_size:
                return
            page += 1


def _description(exc: urllib.error.HTTPError) -> str:
    try:
        body = json.loads(exc.read() or b"null")
        return str(body[0]["description"])
    except (ValueError, TypeError, KeyError, IndexError, OSError):
        return str(exc.reason)


def _clock(headers: dict[str, str], tz: tzinfo) -> datetime:
    text = next((v for k, v in headers.items() if k.lower() == CLOCK_HEADER.lower()), None)
    if text:
        try:
            return to_local(datetime.fromisoformat(text), tz)
        except ValueError:
            pass
    return wall_clock(tz)


def since(cursor: str | None, overlap: timedelta, tz: tzinfo) -> datetime | None:
    """Where the next pull starts (naive local in ``tz``): the cursor minus an overlap
    (re-reads are harmless)."""
    return None if cursor is None else to_local(datetime.fromisoformat(cursor), tz) - overlap
