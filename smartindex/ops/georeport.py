"""Open311 GeoReport v2 records ⇄ ticket events.

A service request (``GET /requests.json``) carries the spec's fields (``service_request_id``,
``status`` open|closed, ``status_notes``, ``service_code``, ``description``,
``agency_responsible``, ``requested_datetime``, ``updated_datetime``, ``lat``, ``long``) and two
common extensions: a ``notes`` timeline (``[{"datetime", "type", "summary"}]``) and
``extended_attributes`` (here: the other columns of the project's complaint table).  The
bulk-CSV layout is the same fields as flat columns.  The project's own complaint CSV is turned
into the same records (its stage timestamps become notes), so every input takes one path.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

import pandas as pd
import pyarrow as pa

from smartindex.ops.model import (
    ATTRIBUTE_COLUMNS,
    ATTRIBUTES,
    EVENT_SCHEMA,
    STAGE_KINDS,
    RecordError,
    Rejected,
    event_id,
    iso_local,
    kind_of,
    parse_ts,
)

SPEC_FIELDS = {
    "service_code": "category",
    "description": "description",
    "agency_responsible": "agency",
    "status_notes": "status_raw",
    "lat": "lat",
    "long": "lon",
}
# Stage timestamp columns of the complaint table -> event kind.
STAGE_COLUMNS = {
    "created_at": "received",
    "verified_at": "verified",
    "dispatched_at": "dispatched",
    "first_response_at": "first_response",
    "resolved_at": "resolved",
    "closed_at": "closed",
}
TERMINAL_STATUS = {"rejected": "rejected", "returned": "not_our_authority"}
CLOSED_KINDS = {"resolved", "closed", "rejected", "not_our_authority", "duplicate"}
EXTENDED = [c for c in ATTRIBUTE_COLUMNS if c not in SPEC_FIELDS.values()]


def _clean(value: object) -> Any:
    """``None`` for missing values (NaN, NaT, empty text)."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, str) and not value.strip():
        return None
    return value


@dataclass
class EventBuilder:
    """Collects event rows and returns them as one Arrow table (``EVENT_SCHEMA``)."""

    feed: str
    ingested_at: datetime
    rows: list[tuple[str, str, str, datetime]] = field(default_factory=list)
    attrs: list[Mapping[str, Any] | None] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows)

    def add(
        self, ticket_id: str, kind: str, ts: datetime, attributes: Mapping[str, Any] | None = None
    ) -> None:
        """Append one event (``attributes`` only for the ``attributes`` row)."""
        extra = repr(sorted(attributes.items())) if attributes else ""
        self.rows.append((event_id(ticket_id, kind, ts, extra), ticket_id, kind, ts))
        self.attrs.append(attributes)

    def table(self) -> pa.Table:
        """The rows collected so far."""
        ids, tickets, kinds, times = (
            (list(c) for c in zip(*self.rows, strict=True)) if (self.rows) else ([], [], [], [])
        )
        columns: dict[str, list[Any]] = {
            "event_id": ids,
            "ticket_id": tickets,
            "kind": kinds,
            "ts": times,
            "feed": [self.feed] * len(ids),
            "ingested_at": [self.ingested_at] * len(ids),
        }
        for name in ATTRIBUTE_COLUMNS:
            columns[name] = [a.get(name) if a else None for a in self.attrs]
        return pa.Table.from_pydict(columns, schema=EVENT_SCHEMA)


TEXT_COLUMNS = frozenset(k for k, v in ATTRIBUTE_COLUMNS.items() if pa.types.is_string(v))


def _typed_attribute(name: str, value: object) -> Any:
    if type(value) is str and name in TEXT_COLUMNS:  # the common case, fast
        return value if value.strip() else None
    value = _clean(value)
    if value is None:
        return None
    kind = ATTRIBUTE_COLUMNS[name]
    try:
        if pa.types.is_floating(kind):
            return float(value)  # type: ignore[arg-type]
        if pa.types.is_integer(kind):
            return int(float(value))  # type: ignore[arg-type]
        if pa.types.is_boolean(kind):
            return value if isinstance(value, bool) else str(value).lower() in ("true", "1")
    except (TypeError, ValueError):
        raise RecordError(f"{name}: not a number: {value!r}") from None
    return str(value)


def _note_events(
    notes: object, when: Callable[[object, str], datetime]
) -> list[tuple[str, datetime]]:
    if not isinstance(notes, list):
        raise RecordError("notes: not a list")
    events = []
    for i, note in enumerate(notes):
        if not isinstance(note, Mapping):
            raise RecordError(f"notes[{i}]: not an object")
        kind = kind_of(note.get("type") or note.get("status"))
        events.append((kind, when(note.get("datetime"), f"notes[{i}].datetime")))
    return events


def _attributes(record: Mapping[str, Any]) -> dict[str, Any]:
    attrs = {SPEC_FIELDS[k]: _typed_attribute(SPEC_FIELDS[k], record.get(k)) for k in SPEC_FIELDS}
    extended = record.get("extended_attributes") or {}
    if not isinstance(extended, Mapping):
        raise RecordError("extended_attributes: not an object")
    return attrs | {k: _typed_attribute(k, extended.get(k)) for k in EXTENDED}


def record_events(
    record: Mapping[str, Any],
    builder: EventBuilder,
    *,
    latest: datetime,
    tz: tzinfo,
    naive_is_local: bool = False,
) -> int:
    """Add the events of one GeoReport request to ``builder``; returns how many.

    Raises RecordError (the quarantine reason) before adding anything when the record has no
    id, an unknown status or note type, or a timestamp without offset or in the future.
    A record without ``requested_datetime`` adds events to a ticket this store may not know
    yet: they are kept and the ticket appears once its ``received`` event arrives.
    """
    ticket = _clean(record.get("service_request_id"))
    if ticket is None:
        raise RecordError("record without service_request_id")
    ticket = str(ticket)

    def when(value: object, name: str) -> datetime:
        return parse_ts(value, name, naive_is_local=naive_is_local, latest=latest, tz=tz)

    status = str(_clean(record.get("status")) or "open").strip().lower()
    if status not in ("open", "closed"):
        kind_of(status)  # an extended status word is fine; an unknown one is rejected
    events: list[tuple[str, datetime]] = []
    requested = _clean(record.get("requested_datetime"))
    if requested is not None:
        events.append(("received", when(requested, "requested_datetime")))
    notes = record.get("notes") or []
    events += _note_events(notes, when)
    updated = _clean(record.get("updated_datetime"))
    version = when(updated, "updated_datetime") if updated is not None else None
    if status == "closed" and not notes and version is not None:
        events.append(("closed", version))
    if version is None:
        version = max((ts for _, ts in events), default=None)
    attrs = _attributes(record)
    for kind, ts in events:
        builder.add(ticket, kind, ts)
    if version is not None:
        builder.add(ticket, ATTRIBUTES, version, attrs)
    return len(events) + (version is not None)


def records_to_events(
    records: Iterable[Any],
    feed: str,
    ingested_at: datetime,
    *,
    latest: datetime,
    tz: tzinfo,
    naive_is_local: bool = False,
) -> tuple[pa.Table, list[Rejected]]:
    """Events of many records; bad records become ``Rejected`` (with the reason) instead."""
    builder, rejected = EventBuilder(feed, ingested_at), []
    for record in records:
        try:
            if not isinstance(record, Mapping):
                raise RecordError("record is not a JSON object")
            record_events(record, builder, latest=latest, tz=tz, naive_is_local=naive_is_local)
        except RecordError as exc:
            rejected.append(Rejected(feed, str(exc), _short(record)))
    return builder.table(), rejected


def _short(record: object) -> str:
    text = repr(dict(record)) if isinstance(record, Mapping) else repr(record)
    return text[:2000]


# ------------------------------------------------------------------ complaint table -> records


def complaint_timeline(row: Mapping[str, Any]) -> list[tuple[datetime, str]]:
    """The stage events of one complaint-table row, in time order (rejections last)."""
    events = [
        (_datetime(row[col]), kind)
        for col, kind in STAGE_COLUMNS.items()
        if _clean(row.get(col)) is not None
    ]
    status = str(_clean(row.get("status")) or "")
    if status in TERMINAL_STATUS and events:
        events.append((max(ts for ts, _ in events), TERMINAL_STATUS[status]))
    return sorted(events, key=lambda e: (e[0], _order(e[1])))


def _order(kind: str) -> int:
    return STAGE_KINDS[kind]


def _datetime(value: object) -> datetime:
    if isinstance(value, datetime):
        return value.to_pydatetime() if isinstance(value, pd.Timestamp) else value
    return datetime.fromisoformat(str(value))


def complaint_request(
    row: Mapping[str, Any],
    timeline: list[tuple[datetime, str]],
    until: datetime | None = None,
    *,
    tz: tzinfo,
) -> dict[str, Any]:
    """A GeoReport request for a complaint row as it stood at ``until`` (default: at the end);
    its naive times are local in ``tz``."""
    shown = [(ts, k) for ts, k in timeline if until is None or ts <= until]
    kinds = {k for _, k in shown}
    received = next((ts for ts, k in shown if k == "received"), None)
    return {
        "service_request_id": _clean(row.get("ticket_id")),
        "status": "closed" if kinds & CLOSED_KINDS else "open",
        "status_notes": _clean(row.get("status_raw")),
        "service_name": _clean(row.get("category")),
        "service_code": _clean(row.get("category")),
        "description": _clean(row.get("description")),
        "agency_responsible": _clean(row.get("agency")),
        "service_notice": None,
        "requested_datetime": iso_local(received, tz) if received else None,
        "updated_datetime": iso_local(shown[-1][0], tz) if shown else None,
        "expected_datetime": None,
        "address": None,
        "address_id": _clean(row.get("kelurahan_code")),
        "zipcode": None,
        "lat": _clean(row.get("lat")),
        "long": _clean(row.get("lon")),
        "media_url": None,
        "notes": [
            {"datetime": iso_local(ts, tz), "type": k, "summary": k}
            for ts, k in shown
            if k != "received"
        ],
        "extended_attributes": {k: _json_value(row.get(k)) for k in EXTENDED},
    }


def _json_value(value: object) -> Any:
    value = _clean(value)
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def complaint_records(frame: pd.DataFrame, *, tz: tzinfo) -> list[dict[str, Any]]:
    """GeoReport requests (final state) for every row of a complaint-table frame (naive
    times local in ``tz``)."""
    rows: list[dict[str, Any]] = [
        {str(k): v for k, v in r.items()} for r in frame.to_dict("records")
    ]
    return [complaint_request(row, complaint_timeline(row), tz=tz) for row in rows]
