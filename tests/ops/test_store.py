from __future__ import annotations

import hashlib
from datetime import datetime

import pytest

from smartindex.ops.store import (
    StoreLockedError,
    compact,
    connect,
    ingest_lock,
    quarantine_frame,
)

FULL = [
    ("verified", "2024-05-03T11:00:00+07:00"),
    ("dispatched", "2024-05-03T12:00:00+07:00"),
    ("first_response", "2024-05-06T09:00:00+07:00"),
    ("resolved", "2024-05-07T09:00:00+07:00"),
]


def tickets(store):
    with connect(store) as con:
        return con.execute("select * from complaints order by ticket_id").df()


def test_a_record_becomes_one_complaint_row(store, put, req):
    put(store, req("T1", notes=FULL))
    row = tickets(store).iloc[0]
    assert row["status"] == "resolved"
    assert row["created_at"] == datetime(2024, 5, 3, 10)
    assert row["dispatched_at"] == datetime(2024, 5, 3, 12)
    assert row["resolved_at"] == datetime(2024, 5, 7, 9)
    assert row["agency"] == "DLH" and row["category"] == "sampah"


def test_reporter_data_get_the_etl_keyed_hash(store, put, req):
    put(store, req("T1"))
    expected = hashlib.sha256(b"test-key\x1fBudi").hexdigest()
    assert tickets(store).iloc[0]["reporter_name"] == expected


def test_the_same_events_twice_change_nothing(store, put, req):
    put(store, req("T1", notes=FULL))
    before = tickets(store)
    put(store, req("T1", notes=FULL))
    put(store, req("T1", notes=FULL[:2]))
    assert tickets(store).equals(before)
    with connect(store) as con:
        kinds = con.execute("select kind, count(*) from ops_events group by kind").fetchall()
    # five stage events once; the attributes once per record version (its updated_datetime)
    assert dict(kinds) == {
        "received": 1,
        "verified": 1,
        "dispatched": 1,
        "first_response": 1,
        "resolved": 1,
        "attributes": 2,
    }


def test_out_of_order_events_are_placed_by_their_own_time(store, put, req):
    put(store, req("T1", notes=[FULL[3]]))  # resolved arrives first
    put(store, req("T1", notes=FULL[:2]))  # then the earlier stages
    row = tickets(store).iloc[0]
    assert row["status"] == "resolved"
    assert row["verified_at"] == datetime(2024, 5, 3, 11)


def test_reopen_then_later_events(store, put, req):
    put(store, req("T1", notes=[*FULL, ("reopened", "2024-05-08T09:00:00+07:00")]))
    row = tickets(store).iloc[0]
    assert row["status"] == "in_progress" and row["reopen_count"] == 1
    put(store, req("T1", notes=[("reopened", "2024-05-08T09:00:00+07:00")]))  # again
    assert tickets(store).iloc[0]["reopen_count"] == 1
    put(store, req("T1", notes=[("closed", "2024-05-09T09:00:00+07:00")]))
    assert tickets(store).iloc[0]["status"] == "closed"


def test_terminal_kinds_map_to_the_annual_statuses(store, put, req):
    put(
        store,
        req(
            "A",
            notes=[
                ("verified", "2024-05-03T11:00:00+07:00"),
                ("bukan wewenang", "2024-05-03T11:00:00+07:00"),
            ],
        ),
        req("B", notes=[("ditolak", "2024-05-03T12:00:00+07:00")]),
        req("C", notes=[("duplikat", "2024-05-03T12:00:00+07:00")]),
    )
    assert tickets(store)["status"].tolist() == ["returned", "rejected", "rejected"]


def test_event_for_an_unknown_ticket_is_held_until_the_ticket_arrives(store, put, req):
    put(store, req("T9", requested=None, notes=[("verified", "2024-05-03T11:00:00+07:00")]))
    assert tickets(store).empty
    with connect(store) as con:
        assert (
            con.execute("select count(*) from ops_tickets where created_at is null").fetchone()[0]
            == 1
        )
    put(store, req("T9"))
    row = tickets(store).iloc[0]
    assert row["status"] == "verified" and row["created_at"] == datetime(2024, 5, 3, 10)


def test_bad_records_go_to_quarantine_and_the_rest_loads(store, put, req):
    put(
        store,
        req("T1"),
        {"status": "open"},
        req("T2", status="teleported"),
        req("T3", requested="2024-05-03T10:00:00"),
        req("T4", requested="2031-01-01T00:00:00+07:00"),
        req("T5", notes=[("beamed up", "2024-05-03T11:00:00+07:00")]),
        "not an object",
    )
    assert tickets(store)["ticket_id"].tolist() == ["T1"]
    reasons = sorted(r["reason"] for r in quarantine_frame(store))
    assert reasons == [
        "record is not a JSON object",
        "record without service_request_id",
        "requested_datetime: timestamp in the future: '2031-01-01T00:00:00+07:00'",
        "requested_datetime: timestamp without UTC offset: '2024-05-03T10:00:00'",
        "unknown status 'beamed up'",
        "unknown status 'teleported'",
    ]


def test_compaction_keeps_the_fold_and_removes_batches(store, put, req):
    put(store, req("T1", notes=FULL[:2]))
    put(store, req("T2"))
    put(store, req("T1", notes=FULL))
    before = tickets(store)
    done = compact(store)
    # T1: 5 stage events + 2 attribute versions; T2: received + attributes
    assert (done.batches, done.tickets, done.events) == (3, 2, 9)
    assert store.batch_files() == [] and len(store.state_files()) == 1
    assert tickets(store).equals(before)
    put(store, req("T2", notes=[("verified", "2024-05-03T11:30:00+07:00")]))
    assert tickets(store).set_index("ticket_id").loc["T2", "status"] == "verified"
    compact(store)
    assert tickets(store).set_index("ticket_id").loc["T2", "status"] == "verified"


def test_leftovers_of_an_interrupted_compaction_duplicate_nothing(store, put, req):
    put(store, req("T1", notes=FULL[:2]))
    put(store, req("T2"))
    before = tickets(store)
    batches = store.batch_files()
    saved = [(p, p.read_bytes()) for p in batches]
    compact(store)
    for path, data in saved:  # as if the crash came before the inputs were deleted
        path.write_bytes(data)
    assert tickets(store).equals(before)
    with connect(store) as con:
        # T1: received, verified, dispatched, attributes; T2: received, attributes
        assert con.execute("select count(*) from ops_events").fetchone()[0] == 6


def test_a_second_ingester_is_refused(store, put, req):
    with (
        ingest_lock(store),
        pytest.raises(StoreLockedError, match="another ingester"),
        ingest_lock(store),
    ):
        pass
    with ingest_lock(store):  # released: a new one may start
        pass


def test_empty_store_reads_as_empty(store, put, req):
    assert tickets(store).empty
