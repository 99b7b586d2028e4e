"""The refresh reads the compacted refresh files and folds again only the tickets new batches
touch; a touched ticket whose compacted row is older than the window is looked up by id only
when its new events alone could bring it back.  Whatever arrives after the compaction - old
tickets reopened or changed, new tickets, re-deliveries, stage changes - the figures equal
those of folding every raw event again."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pandas as pd
import pytest

from smartindex.ops import live
from smartindex.ops.alerts import evaluate
from smartindex.ops.live import load_live, snapshot
from smartindex.ops.sla import load_sla
from smartindex.ops.store import Store, compact, open_store, pin

MARCH = "2024-03-{}:00+07:00"
NOWS = (
    datetime(2024, 3, 6, 12, 0),  # the March tickets are recent
    datetime(2024, 3, 20, 9, 0),
    datetime(2024, 4, 3, 15, 0),  # the window ends between the March events
    datetime(2024, 6, 20, 12, 0),  # the March tickets are old
    datetime(2024, 6, 21, 0, 0),
)
CLOSED = [
    ("dispatched", MARCH.format("01T10:00")),
    ("first_response", MARCH.format("02T10:00")),
    ("resolved", MARCH.format("04T10:00")),
    ("closed", MARCH.format("05T10:00")),
]
RECEIVED = MARCH.format("01T08:00")


def _before(req):
    """What the compaction folds."""
    return [
        req("A1", requested=RECEIVED, notes=CLOSED),  # reopened later with an old time
        req("A2", requested=RECEIVED, notes=CLOSED),  # described again later
        req("A3", requested=RECEIVED, notes=CLOSED, category="jalan"),  # resolved again in June
        req("A6", requested=RECEIVED, notes=CLOSED),  # delivered again unchanged
        req("A7", requested="2024-06-03T08:00:00+07:00"),  # open; dispatched after compaction
        req(
            "A8",  # recently closed; reopened after compaction
            requested="2024-06-10T08:00:00+07:00",
            notes=[
                ("dispatched", "2024-06-10T09:00:00+07:00"),
                ("resolved", "2024-06-12T09:00:00+07:00"),
            ],
            agency="Dinas PUPR",
        ),
        req("A9", requested=RECEIVED, notes=CLOSED[:1], kelurahan_code="1671010001"),  # open
        req("A10", requested=RECEIVED, notes=CLOSED, agency="Dishub"),  # never touched again
        req("A11", requested=RECEIVED, notes=CLOSED),  # later only a reopen arrives
        # C1 resolved without dispatch: its dispatch stages are decided (late) after its last
        # event (an irregular instance, counted by its time, not ahead)
        req("C1", requested=RECEIVED, notes=[("resolved", MARCH.format("01T12:00"))]),
        *_untouched(req),
    ]


def _untouched(req):
    """Tickets decided at many minutes of early March, never touched after compaction."""
    return [
        req(
            f"B{i}",
            requested=MARCH.format(f"0{1 + i % 4}T0{7 + i % 3}:{7 * i % 60:02d}"),
            notes=[
                ("dispatched", MARCH.format(f"0{1 + i % 4}T{10 + i % 5}:{11 * i % 60:02d}")),
                ("first_response", MARCH.format(f"0{2 + i % 6}T09:{13 * i % 60:02d}")),
                ("resolved", MARCH.format(f"{10 + i % 12}T10:{17 * i % 60:02d}")),
            ],
            category=("sampah", "jalan", "lainnya")[i % 3],
        )
        for i in range(12)
    ]


def _after(req):
    """What arrives after the compaction."""
    reopened = req(
        "A1", requested=RECEIVED, notes=[*CLOSED, ("reopened", MARCH.format("10T09:00"))]
    )
    described = req("A2", requested=RECEIVED, notes=CLOSED, agency="Dishub", kelurahan_code="X")
    described["updated_datetime"] = MARCH.format("20T09:00")  # a later version of its attributes
    resolved = req(
        "A3",
        requested=RECEIVED,
        notes=[*CLOSED, ("resolved", "2024-06-18T09:00:00+07:00")],
        category="jalan",
    )
    return [
        reopened,
        described,
        resolved,
        req("A4", requested=RECEIVED, notes=CLOSED),  # new, and already closed in March
        req("A5", requested=None, notes=[("dispatched", MARCH.format("02T09:00"))]),  # orphan
        req("A6", requested=RECEIVED, notes=CLOSED),
        req(
            "A7",
            requested="2024-06-03T08:00:00+07:00",
            notes=[("dispatched", "2024-06-19T10:00:00+07:00")],
        ),
        req(
            "A8",
            requested="2024-06-10T08:00:00+07:00",
            notes=[
                ("dispatched", "2024-06-10T09:00:00+07:00"),
                ("resolved", "2024-06-12T09:00:00+07:00"),
                ("reopened", "2024-06-19T09:00:00+07:00"),
            ],
            agency="Dinas PUPR",
        ),
        req(
            "A9",
            requested=RECEIVED,
            notes=[*CLOSED[:1], ("resolved", "2024-06-20T08:00:00+07:00")],
            kelurahan_code="1671010001",
        ),
        # only the new event: its receipt and attributes are in the compacted state alone
        req("A11", requested=None, notes=[("reopened", MARCH.format("12T09:00"))]),
    ]


@pytest.fixture(scope="module")
def stores(tmp_path_factory, put, req, raw_copy):
    root = tmp_path_factory.mktemp("refresh")
    store = open_store(root / "ops")
    put(store, *_before(req))
    compact(store)
    put(store, *_after(req))
    return store, raw_copy(store, root / "raw")


# Periods starting or ending inside an hour in which stages are decided.
EDGES = (
    datetime(2024, 3, 1, 10, 20),
    datetime(2024, 3, 4, 10, 5),
    datetime(2024, 3, 8, 9, 59),
    datetime(2024, 3, 8, 10, 20),
    datetime(2024, 3, 12, 10, 30),
    datetime(2024, 3, 31, 9, 50),
    datetime(2024, 3, 31, 10, 20),
    datetime(2024, 4, 9, 10, 30, 30),
)


@pytest.mark.parametrize("now", EDGES)
def test_hourly_totals_equal_counting_every_instance(stores, now):
    fast, raw = stores
    got, want = snapshot(fast, now=now), snapshot(raw, now=now)
    assert want.compliance["decided"].sum() > 0
    pd.testing.assert_frame_equal(got.compliance, want.compliance)
    pd.testing.assert_frame_equal(got.sla_defaults, want.sla_defaults)


def test_the_store_reads_the_refresh_files(stores):
    fast, raw = stores
    assert pin(fast, load_sla()).outcomes is not None
    assert pin(raw, load_sla()).outcomes is None


@pytest.mark.parametrize("now", NOWS)
def test_refresh_equals_folding_every_raw_event(stores, now, same_view):
    fast, raw = stores
    same_view(snapshot(fast, now=now), snapshot(raw, now=now))
    assert [(a.alert_id, a.due_at, a.late_hours) for a in evaluate(fast, now)] == [
        (a.alert_id, a.due_at, a.late_hours) for a in evaluate(raw, now)
    ]


def _tickets(store: Store, now: datetime, relation: str) -> dict[str, str | None]:
    con = duckdb.connect()
    try:
        load_live(con, store, load_sla(), now)
        rows = con.execute(f"select ticket_id, status from {relation}").fetchall()
    finally:
        con.close()
    return {str(ticket): status for ticket, status in rows}


def test_old_tickets_come_back_only_through_their_new_events(stores):
    fast, _ = stores
    recent = _tickets(fast, NOWS[3], "recent")
    assert recent["A1"] == "in_progress"  # reopened (with a March time): open again
    assert recent["A3"] == "resolved"  # resolved again in June: recent again
    assert recent["A5"] == "dispatched"  # the orphan: dispatched, never received
    assert recent["A9"] == "resolved"  # closed after compaction, in the window
    assert {"A2", "A4", "A6", "A10"}.isdisjoint(recent)  # closed in March, nothing recent
    assert set(_tickets(fast, NOWS[3], "open_live")) == {"A1", "A7", "A8", "A11"}


def test_march_figures_see_the_changes_after_compaction(stores):
    fast, _ = stores
    snap = snapshot(fast, now=NOWS[1])
    kelurahan = snap.league.set_index("kelurahan_code")["resolved"]
    assert kelurahan.loc["X"] == 1  # A2's new attributes, though its events are old
    assert snap.totals["open"] == 2  # A1 and A11, reopened on 10 and 12 March
    assert snap.totals["orphan_tickets"] == 1  # A5


@pytest.mark.parametrize("listed", [1, 1000])
def test_ids_are_looked_up_listed_or_joined(stores, same_view, monkeypatch, listed):
    fast, raw = stores
    monkeypatch.setattr(live, "LISTED_IDS", listed)  # A11 and the new orphan A5 to look up
    same_view(snapshot(fast, now=NOWS[3]), snapshot(raw, now=NOWS[3]))
