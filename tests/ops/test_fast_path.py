"""The refresh's fast path (compacted light tickets and stage outcomes, only the tickets new
batches touch evaluated again) gives exactly the figures of folding every raw event again."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from smartindex.ops.alerts import evaluate
from smartindex.ops.live import snapshot
from smartindex.ops.sla import load_sla
from smartindex.ops.store import compact, open_store, pin

MON = "2024-05-06T{}:00+07:00"
NOWS = (
    datetime(2024, 5, 8, 12, 0),
    datetime(2024, 5, 8, 15, 0),  # T7 at risk (5 of its 6 coordination hours)
    datetime(2024, 5, 10, 16, 30),
    datetime(2024, 6, 3, 9, 0),
    datetime(2024, 6, 20, 0, 0),
)


def _before(req):
    """Tickets as the sources first describe them (compacted)."""
    return [
        req("T1", requested=MON.format("08:00")),  # open, only received
        # T2 dispatched; resolved only after the compaction
        req("T2", requested=MON.format("08:00"), notes=[("dispatched", MON.format("09:00"))]),
        # T3 resolved; reopened after the compaction
        req(
            "T3",
            requested=MON.format("08:00"),
            category="jalan",
            agency="Dinas PUPR",
            notes=[("dispatched", MON.format("13:00")), ("resolved", MON.format("20:00"))],
        ),
        # T4 closed in April: outside every window, never touched again
        req(
            "T4",
            requested="2024-04-01T09:00:00+07:00",
            kelurahan_code="1671010001",
            notes=[
                ("dispatched", "2024-04-01T10:00:00+07:00"),
                ("resolved", "2024-04-03T10:00:00+07:00"),
                ("closed", "2024-04-04T10:00:00+07:00"),
            ],
        ),
        req("T5", notes=[("bukan wewenang", "2024-05-03T11:00:00+07:00")]),  # returned
        req("T6", requested=MON.format("10:00"), category="lainnya"),  # no SLA class
        # T9 resolved without being dispatched: its dispatch stages stay open
        req(
            "T9",
            requested="2024-05-02T08:00:00+07:00",
            kelurahan_code="1671010001",
            notes=[("resolved", "2024-05-02T12:00:00+07:00")],
        ),
        req("T10", requested=MON.format("07:00"), notes=[("ditolak", MON.format("07:30"))]),
    ]


def _after(req):
    """What arrives after the compaction: two tickets change, one is new, one is an orphan."""
    return [
        req(
            "T2",
            requested=MON.format("08:00"),
            notes=[("dispatched", MON.format("09:00")), ("resolved", "2024-05-09T10:00:00+07:00")],
        ),
        req(
            "T3",
            requested=MON.format("08:00"),
            category="jalan",
            agency="Dinas PUPR",
            kelurahan_code="1671010001",  # the attributes change too
            notes=[
                ("dispatched", MON.format("13:00")),
                ("resolved", MON.format("20:00")),
                ("reopened", "2024-05-08T09:00:00+07:00"),
            ],
        ),
        req("T7", requested="2024-05-08T10:00:00+07:00", agency="Dishub", category="lalu_lintas"),
        req("T8", requested=None, notes=[("dispatched", "2024-05-08T11:00:00+07:00")]),
    ]


@pytest.fixture(scope="module")
def stores(tmp_path_factory, put, req, raw_copy):
    root = tmp_path_factory.mktemp("fast")
    store = open_store(root / "ops")
    put(store, *_before(req))
    compact(store)
    put(store, *_after(req))
    return store, raw_copy(store, root / "raw")


def test_the_compacted_store_uses_the_fast_path(stores):
    fast, raw = stores
    assert pin(fast, load_sla()).outcomes is not None
    assert pin(raw, load_sla()).outcomes is None
    assert len(fast.batch_files()) == 1


@pytest.mark.parametrize("now", NOWS)
def test_fast_path_equals_folding_every_raw_event(stores, now, same_view):
    fast, raw = stores
    same_view(snapshot(fast, now=now), snapshot(raw, now=now))
    assert [(a.alert_id, a.due_at) for a in evaluate(fast, now)] == [
        (a.alert_id, a.due_at) for a in evaluate(raw, now)
    ]


def test_the_figures_see_the_changes_after_compaction(stores):
    fast, _ = stores
    snap = snapshot(fast, now=NOWS[0])
    assert snap.totals["open"] == 4  # T1, T3 (reopened), T6, T7; T2 resolved after compaction
    assert snap.totals["orphan_tickets"] == 1  # T8
    oldest = snap.oldest_open.set_index("ticket_id")
    assert oldest.loc["T3", "status"] == "in_progress"
    assert oldest.loc["T3", "kelurahan_code"] == "1671010001"
    assert "T2" not in oldest.index


def test_another_sla_table_is_evaluated_in_full(stores, same_view):
    fast, raw = stores
    table = load_sla()
    other = replace(table, limits={**table.limits, ("lapor_resolution", "lainnya"): 1.0})
    assert pin(fast, other).outcomes is None  # outcomes were computed for the shipped table
    same_view(snapshot(fast, now=NOWS[1], sla=other), snapshot(raw, now=NOWS[1], sla=other))
