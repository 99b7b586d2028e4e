"""Ingestion: GeoReport pulls and dropped files -> batches in the live store.

Each page (or file) becomes one batch; the cursor moves only after a whole pull, so a crash
mid-pull re-reads a window whose events the store already has (they are kept once).
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

import pandas as pd

from smartindex.errors import DataFileError
from smartindex.ops.client import Client, FetchError, MalformedPageError, SourceState, since
from smartindex.ops.georeport import EXTENDED, complaint_records, records_to_events
from smartindex.ops.model import DEFAULT_ZONE, Rejected, iso_local, wall_clock
from smartindex.ops.store import Store, add_quarantine, append_batch, read_json, write_json

FUTURE_TOLERANCE = timedelta(minutes=5)
OVERLAP = timedelta(minutes=5)
FILE_PATTERNS = ("*.json", "*.csv", "*.csv.gz")
BULK_FIELDS = (
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "requested_datetime",
    "updated_datetime",
    "lat",
    "long",
)


@dataclass
class Ingested:
    """What one pull or file added."""

    records: int = 0
    events: int = 0
    rejected: int = 0
    batches: int = 0

    def add(self, other: Ingested) -> None:
        self.records += other.records
        self.events += other.events
        self.rejected += other.rejected
        self.batches += other.batches


def ingest_records(
    store: Store,
    records: list[Any],
    *,
    feed: str,
    pseudonym_key: str,
    latest: datetime,
    tz: tzinfo = DEFAULT_ZONE,
) -> Ingested:
    """Turn records into one batch (and quarantine entries for the bad ones); times are
    stored as naive local time in ``tz``."""
    now = wall_clock(tz)
    table, rejected = records_to_events(records, feed, now, latest=latest, tz=tz)
    add_quarantine(store, rejected, at=iso_local(now, tz))
    batch = append_batch(store, table, pseudonym_key=pseudonym_key)
    return Ingested(len(records), table.num_rows, len(rejected), int(batch is not None))


def pull(
    store: Store, client: Client, *, feed: str, pseudonym_key: str, tz: tzinfo = DEFAULT_ZONE
) -> Ingested:
    """One incremental pull from a GeoReport source; updates the source state (times local
    in ``tz``).

    Raises FetchError after the client's retries; the state then counts the failure and keeps
    the cursor.  A malformed page is also written to the quarantine.
    """
    state = SourceState.load(store, feed)
    state.url, state.last_attempt = client.base_url, iso_local(wall_clock(tz), tz)
    total, clock = Ingested(), None
    try:
        for records, clock in client.pages(since(state.cursor, OVERLAP, tz), tz=tz):
            total.add(
                ingest_records(
                    store,
                    records,
                    feed=feed,
                    pseudonym_key=pseudonym_key,
                    latest=clock + FUTURE_TOLERANCE,
                    tz=tz,
                )
            )
    except FetchError as exc:
        if isinstance(exc, MalformedPageError):
            add_quarantine(
                store,
                [Rejected(feed, str(exc), exc.body[:2000].decode("utf-8", "replace"))],
                at=iso_local(wall_clock(tz), tz),
            )
        state.consecutive_failures += 1
        state.last_error = str(exc)
        state.save(store)
        raise
    if clock is not None:
        state.cursor = state.clock = iso_local(clock, tz)
    state.last_success, state.consecutive_failures, state.last_error = state.last_attempt, 0, None
    state.pulls += 1
    state.records += total.records
    state.events += total.events
    state.rejected += total.rejected
    state.save(store)
    return total


# ------------------------------------------------------------------ dropped files


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _bulk_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Open311 bulk-CSV rows as GeoReport records (other columns: extended attributes)."""
    rows = [{str(k): v for k, v in r.items()} for r in frame.to_dict("records")]
    return [
        {
            **{k: r.get(k) for k in BULK_FIELDS},
            "extended_attributes": {k: r.get(k) for k in EXTENDED if k in r},
        }
        for r in rows
    ]


def read_records(path: Path, *, tz: tzinfo = DEFAULT_ZONE) -> list[Any]:
    """The GeoReport records in a dropped file (GeoReport JSON, bulk CSV or complaint CSV;
    the complaint CSV's naive times are local in ``tz``)."""
    try:
        if path.name.endswith(".json"):
            data = json.loads(path.read_text("utf-8"))
            if isinstance(data, dict) and isinstance(data.get("requests"), list):
                data = data["requests"]
            if not isinstance(data, list):
                raise DataFileError(path, "expected a JSON array of service requests")
            return data
        opener = gzip.open if path.name.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as handle:
            frame = pd.read_csv(handle, dtype=str, keep_default_na=False, na_values=[""])
    except (ValueError, UnicodeDecodeError, OSError) as exc:
        raise DataFileError(path, f"cannot read: {str(exc).splitlines()[0]}") from None
    if "service_request_id" in frame.columns:
        return _bulk_records(frame)
    if "ticket_id" in frame.columns:
        return complaint_records(frame, tz=tz)
    raise DataFileError(
        path, "neither a GeoReport bulk CSV (service_request_id) nor a complaint CSV (ticket_id)"
    )


def ingest_folder(
    store: Store,
    folder: Path,
    *,
    pseudonym_key: str,
    files: Iterable[Path] | None = None,
    tz: tzinfo = DEFAULT_ZONE,
) -> Ingested:
    """Ingest the files dropped in ``folder`` not seen before (by name and SHA-256).

    A file that cannot be read is quarantined with the reason and marked seen.
    """
    seen_path = store.state / "files.json"
    seen: dict[str, str] = read_json(seen_path, {})
    candidates = (
        sorted(files)
        if files is not None
        else sorted({p for pattern in FILE_PATTERNS for p in folder.glob(pattern)})
    )
    total = Ingested()
    for path in candidates:
        digest = _sha(path)
        if seen.get(path.name) == digest:
            continue
        feed = f"file:{path.name}"
        try:
            records = read_records(path, tz=tz)
        except DataFileError as exc:
            add_quarantine(store, [Rejected(feed, str(exc), "")], at=iso_local(wall_clock(tz), tz))
            total.rejected += 1
        else:
            total.add(
                ingest_records(
                    store,
                    records,
                    feed=feed,
                    pseudonym_key=pseudonym_key,
                    latest=wall_clock(tz) + FUTURE_TOLERANCE,
                    tz=tz,
                )
            )
        seen[path.name] = digest
        write_json(seen_path, seen)
    return total


__all__ = ["FetchError", "Ingested", "ingest_folder", "ingest_records", "pull", "read_records"]
