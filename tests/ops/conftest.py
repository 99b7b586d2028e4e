"""Helpers for the live-operations tests: GeoReport records and small real stores."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from smartindex.ops.ingest import ingest_records
from smartindex.ops.live import OpsSnapshot
from smartindex.ops.store import Store, open_store

KEY = "test-key"
LATEST = datetime(2030, 1, 1)
# The computed figures of a snapshot (the sources and the quarantine are read as they are).
VIEW_FRAMES = (
    "backlog_agency",
    "backlog_kecamatan",
    "oldest_open",
    "overdue",
    "at_risk",
    "compliance",
    "open_points",
    "league",
    "sla_defaults",
)


def request(
    ticket: str,
    requested: str | None = "2024-05-03T10:00:00+07:00",
    notes: list[tuple[str, str]] = (),
    status: str = "open",
    **extended: Any,
) -> dict[str, Any]:
    """A GeoReport v2 request with a ``notes`` timeline of (type, datetime) pairs."""
    times = [t for _, t in notes] + ([requested] if requested else [])
    attrs = {
        "kelurahan_code": "1671040004",
        "kecamatan_code": "1671040",
        "channel": "lapor",
        "ticket_code": f"C-{ticket}",
        "reporter_id": "R1",
        "reporter_name": "Budi",
        "reporter_phone": "0811",
        "reopen_count": 0,
        "source": "test",
        "is_synthetic": True,
    } | extended
    return {
        "service_request_id": ticket,
        "status": status,
        "status_notes": status,
        "service_code": attrs.pop("category", "sampah"),
        "description": "d",
        "agency_responsible": attrs.pop("agency", "DLH"),
        "lat": attrs.pop("lat", -2.95),
        "long": attrs.pop("lon", 104.75),
        "requested_datetime": requested,
        "updated_datetime": max(times) if times else None,
        "notes": [{"type": k, "datetime": t} for k, t in notes],
        "extended_attributes": attrs,
    }


def put(store: Store, *records: dict[str, Any], feed: str = "test") -> None:
    """Ingest ``records`` as one batch."""
    ingest_records(store, list(records), feed=feed, pseudonym_key=KEY, latest=LATEST)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return open_store(tmp_path / "ops")


@pytest.fixture(scope="session")
def req():
    """The ``request`` builder."""
    return request


@pytest.fixture(name="put", scope="session")
def put_fixture():
    """The ``put`` helper."""
    return put


def raw_copy(store: Store, root: Path) -> Store:
    """A store holding the same events as raw batches only (everything is folded again)."""
    copy = open_store(root)
    for i, path in enumerate(store.compacted_event_files() + store.batch_files()):
        shutil.copy(path, copy.batches / f"b-{i:020d}-0.parquet")
    return copy


@pytest.fixture(name="raw_copy", scope="session")
def raw_copy_fixture():
    """The ``raw_copy`` helper: the slow path's store to compare a fast path against."""
    return raw_copy


def same_view(got: OpsSnapshot, want: OpsSnapshot) -> None:
    """Assert that two snapshots show the same figures."""
    assert got.totals == want.totals
    for name in VIEW_FRAMES:
        a, b = getattr(got, name), getattr(want, name)
        if name == "open_points":  # a set: no order
            a, b = (f.sort_values("ticket_id").reset_index(drop=True) for f in (a, b))
        pd.testing.assert_frame_equal(a, b, obj=name)


@pytest.fixture(name="same_view", scope="session")
def same_view_fixture():
    """The ``same_view`` assertion."""
    return same_view
