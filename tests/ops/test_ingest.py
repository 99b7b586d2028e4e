from __future__ import annotations

import json
from datetime import datetime, timedelta

from smartindex.config import Settings
from smartindex.ops.ingest import ingest_folder, ingest_records
from smartindex.ops.model import local_zone
from smartindex.ops.store import connect, open_store, quarantine_frame

LATEST = datetime(2030, 1, 1)

KEY = "test-key"
COMPLAINT_CSV = (
    "ticket_id,ticket_code,channel,category,description,kelurahan_code,kecamatan_code,lat,lon,"
    "agency,status_raw,status,reporter_id,reporter_name,reporter_phone,created_at,verified_at,"
    "dispatched_at,first_response_at,resolved_at,closed_at,reopen_count,rating,source,"
    "is_synthetic\n"
    "K1,C1,lapor,sampah,d,1671040004,1671040,-2.95,104.75,DLH,Ditolak,rejected,R1,Ani,0812,"
    "2024-05-03 10:00:00,2024-05-03 11:00:00,,,,,0,,s,true\n"
)
BULK_CSV = (
    "service_request_id,status,status_notes,service_code,description,agency_responsible,"
    "requested_datetime,updated_datetime,lat,long,kecamatan_code\n"
    "B1,closed,done,jalan,hole,Dinas PUPR,2024-05-03T10:00:00+07:00,"
    "2024-05-04T10:00:00+07:00,-2.9,104.7,1671040\n"
)


def rows(store):
    with connect(store) as con:
        return (
            con.execute("select * from complaints order by ticket_id").df().set_index("ticket_id")
        )


def test_each_dropped_layout_is_read(store, tmp_path, req):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.json").write_text(json.dumps([req("G1")]))
    (inbox / "b.csv").write_text(BULK_CSV)
    (inbox / "c.csv").write_text(COMPLAINT_CSV)
    done = ingest_folder(store, inbox, pseudonym_key=KEY)
    got = rows(store)
    assert sorted(got.index) == ["B1", "G1", "K1"]
    assert got.loc["K1", "status"] == "rejected"  # the complaint CSV's terminal status
    assert got.loc["K1", "created_at"] == datetime(2024, 5, 3, 10)  # declared local time
    assert got.loc["B1", "status"] == "closed" and got.loc["B1", "closed_at"] == datetime(
        2024, 5, 4, 10
    )
    assert got.loc["B1", "kecamatan_code"] == "1671040"
    assert done.records == 3 and done.rejected == 0
    assert ingest_folder(store, inbox, pseudonym_key=KEY).records == 0  # seen: skipped


def test_an_unreadable_file_is_quarantined_and_the_rest_loads(store, tmp_path, req):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "bad.json").write_text('[{"service_request_id": ')
    (inbox / "odd.csv").write_text("a,b\n1,2\n")
    (inbox / "good.json").write_text(json.dumps({"requests": [req("G1")]}))
    done = ingest_folder(store, inbox, pseudonym_key=KEY)
    assert list(rows(store).index) == ["G1"]
    reasons = " | ".join(r["reason"] for r in quarantine_frame(store))
    assert "bad.json: cannot read" in reasons and "odd.csv: neither" in reasons
    assert done.rejected == 2


def test_the_configured_zone_shifts_the_stored_naive_times(tmp_path, req):
    """A record at 10:00 WIB (+07:00) is stored as 11:00 in a WITA store (Asia/Makassar)."""
    record = req("Z1", notes=[("dispatched", "2024-05-03T03:30:00Z")])
    for name, hours in (("Asia/Jakarta", 0), ("Asia/Makassar", 1)):
        store = open_store(tmp_path / name.replace("/", "-"))
        tz = local_zone(Settings(timezone=name))
        ingest_records(store, [record], feed="t", pseudonym_key="k", latest=LATEST, tz=tz)
        with connect(store) as con:
            row = con.execute("select created_at, dispatched_at from complaints").fetchone()
        shift = timedelta(hours=hours)
        assert row == (datetime(2024, 5, 3, 10) + shift, datetime(2024, 5, 3, 10, 30) + shift)
