"""The live event model: one row per thing that happened to a ticket.

A ticket's timeline is a set of events (``kind`` at ``ts``).  Every record read from a source
becomes such rows: the stage events (received, verified, dispatched, first response, resolved,
closed, reopened, rejected, not our authority, duplicate) and one ``attributes`` row carrying
the ticket's descriptive columns as the source last described them (its version is the
record's ``updated_datetime``).  Rows are identified by a content hash (``event_id``): the same
event delivered twice has the same id, so the store keeps it once.

Timestamps are stored as naive local time, like the annual ``complaints`` table: local to the
configured zone (``Settings.timezone``, default Asia/Jakarta, WIB, UTC+7), which every function
that converts takes explicitly as ``tz`` (see ``local_zone``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pyarrow as pa

from smartindex.config import DEFAULT_TIMEZONE, Settings
from smartindex.errors import SmartIndexError

# Stage events in timeline order; the number is the tie-break when two share a timestamp
# (a later stage wins), so the status of a ticket is its latest event by (ts, precedence).
STAGE_KINDS = {
    "received": 1,
    "verified": 2,
    "dispatched": 3,
    "first_response": 4,
    "reopened": 5,
    "resolved": 6,
    "closed": 7,
    "duplicate": 8,
    "rejected": 9,
    "not_our_authority": 10,
}
ATTRIBUTES = "attributes"
KINDS = (*STAGE_KINDS, ATTRIBUTES)
# A folded ticket's stage times (the annual complaints table's columns), in timeline order.
STAGE_TIMES = (
    "created_at",
    "verified_at",
    "dispatched_at",
    "first_response_at",
    "resolved_at",
    "closed_at",
)
# Event kind -> the canonical status of the annual ``complaints`` table (sources.toml).
STATUS_OF_KIND = {
    "received": "received",
    "verified": "verified",
    "dispatched": "dispatched",
    "first_response": "in_progress",
    "reopened": "in_progress",
    "resolved": "resolved",
    "closed": "closed",
    "duplicate": "rejected",
    "rejected": "rejected",
    "not_our_authority": "returned",
}
# Kinds after which a ticket is no longer open (its status is resolved, closed, rejected or
# returned).
CLOSED_KINDS = ("resolved", "closed", "duplicate", "rejected", "not_our_authority")
OPEN_FOREVER = "9999-12-31"  # sort time of open tickets (they are always read)
# Status / note vocabularies seen in LAPOR!, Jakarta CRM, Qlue, Open311 and the sample data,
# lower-cased, mapped to event kinds (peers-and-data §4.1).
VOCABULARY = {
    **{k: k for k in STAGE_KINDS},
    "new": "received",
    "baru": "received",
    "menunggu": "received",
    "wait": "received",
    "submitted": "received",
    "diterima": "verified",
    "verifikasi": "verified",
    "terverifikasi": "verified",
    "koordinasi": "verified",
    "proses koordinasi": "verified",
    "disposisi": "dispatched",
    "diteruskan": "dispatched",
    "forwarded": "dispatched",
    "assigned": "dispatched",
    "proses": "first_response",
    "process": "first_response",
    "ditangani": "first_response",
    "in_progress": "first_response",
    "tindak lanjut": "first_response",
    "responded": "first_response",
    "ews": "first_response",
    "selesai": "resolved",
    "complete": "resolved",
    "completed": "resolved",
    "done": "resolved",
    "ditutup": "closed",
    "dibuka kembali": "reopened",
    "reopen": "reopened",
    "ditolak": "rejected",
    "incomplete": "rejected",
    "bukan wewenang": "not_our_authority",
    "dialihkan": "not_our_authority",
    "dikembalikan": "not_our_authority",
    "returned": "not_our_authority",
    "duplikat": "duplicate",
}
# The ticket columns of the annual ``complaints`` table that the source describes (not the
# stage timestamps, which come from events).
ATTRIBUTE_COLUMNS: dict[str, pa.DataType] = {
    "ticket_code": pa.string(),
    "channel": pa.string(),
    "category": pa.string(),
    "description": pa.string(),
    "kelurahan_code": pa.string(),
    "kecamatan_code": pa.string(),
    "lat": pa.float64(),
    "lon": pa.float64(),
    "agency": pa.string(),
    "status_raw": pa.string(),
    "reporter_id": pa.string(),
    "reporter_name": pa.string(),
    "reporter_phone": pa.string(),
    "reopen_count": pa.int32(),
    "rating": pa.int32(),
    "source": pa.string(),
    "is_synthetic": pa.bool_(),
    "duplicate_of": pa.string(),
}
PERSONAL = ("reporter_id", "reporter_name", "reporter_phone")
EVENT_SCHEMA = pa.schema(
    [
        ("event_id", pa.string()),
        ("ticket_id", pa.string()),
        ("kind", pa.string()),
        ("ts", pa.timestamp("us")),
        ("feed", pa.string()),
        ("ingested_at", pa.timestamp("us")),
        *ATTRIBUTE_COLUMNS.items(),
    ]
)


class RecordError(ValueError):
    """A source record that cannot become events; the message is the quarantine reason."""


@dataclass(frozen=True)
class Rejected:
    """A record set aside with the reason (written to the store's quarantine)."""

    feed: str
    reason: str
    record: str


def kind_of(text: object) -> str:
    """The event kind of a status or note word; unknown words raise RecordError."""
    word = str(text or "").strip().lower().replace("-", " ")
    kind = VOCABULARY.get(word) or VOCABULARY.get(word.replace(" ", "_"))
    if kind is None:
        raise RecordError(f"unknown status {str(text)!r}")
    return kind


def event_id(ticket_id: str, kind: str, ts: datetime, extra: str = "") -> str:
    """Content id of an event: the same ticket, kind and time (and attributes) give the same id."""
    text = "\x1f".join((ticket_id, kind, ts.isoformat(), extra))
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


def zone(name: str = DEFAULT_TIMEZONE) -> ZoneInfo:
    """The IANA time zone ``name``; an unknown name is a SmartIndexError naming it."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise SmartIndexError(f"unknown time zone {name!r} (expected an IANA name)") from None


DEFAULT_ZONE = zone()  # Asia/Jakarta (WIB), the default of Settings.timezone


def local_zone(settings: Settings) -> ZoneInfo:
    """The zone the live store's naive times are in: ``settings.timezone``."""
    return zone(settings.timezone)


def parse_ts(
    value: object, field: str, *, naive_is_local: bool, latest: datetime, tz: tzinfo
) -> datetime:
    """A source timestamp as naive local time in ``tz``.

    GeoReport requires W3C timestamps with an offset: without one (``naive_is_local`` false)
    the record is rejected rather than guessed.  The project's complaint CSV declares local
    time, so there naive values are taken as they are.  Times after ``latest`` (naive local:
    the source clock plus a tolerance) are rejected as "in the future".
    """
    text = str(value).strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise RecordError(f"{field}: not a timestamp: {text!r}") from None
    if parsed.tzinfo is None:
        if not naive_is_local:
            raise RecordError(f"{field}: timestamp without UTC offset: {text!r}")
    else:
        parsed = to_local(parsed, tz)
    if parsed > latest:
        raise RecordError(f"{field}: timestamp in the future: {text!r}")
    return parsed


def to_local(ts: datetime, tz: tzinfo) -> datetime:
    """An aware time as naive local time in ``tz`` (a naive one is returned unchanged)."""
    return ts if ts.tzinfo is None else ts.astimezone(tz).replace(tzinfo=None)


def iso_local(ts: datetime, tz: tzinfo) -> str:
    """A naive local time in ``tz`` as a W3C timestamp with its offset
    (``2024-01-02T08:00:00+07:00`` in WIB)."""
    return ts.replace(tzinfo=tz).isoformat(timespec="seconds")


def wall_clock(tz: tzinfo) -> datetime:
    """The wall clock as naive local time in ``tz``."""
    return datetime.now(tz).replace(tzinfo=None)
