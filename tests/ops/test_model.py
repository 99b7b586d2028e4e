from __future__ import annotations

from datetime import datetime

import pytest

from smartindex.ops.model import RecordError, event_id, iso_wib, kind_of, parse_ts

LATEST = datetime(2025, 1, 1)


@pytest.mark.parametrize(
    ("word", "kind"),
    [
        ("Menunggu", "received"),
        ("disposisi", "dispatched"),
        ("Proses Koordinasi", "verified"),
        ("selesai", "resolved"),
        ("ditutup", "closed"),
        ("bukan wewenang", "not_our_authority"),
        ("Dialihkan", "not_our_authority"),
        ("duplikat", "duplicate"),
        ("reopened", "reopened"),
    ],
)
def test_status_vocabularies_map_to_event_kinds(word, kind):
    assert kind_of(word) == kind


def test_unknown_status_is_an_error_naming_the_word():
    with pytest.raises(RecordError, match="unknown status 'teleported'"):
        kind_of("teleported")


def test_timestamps_are_converted_to_wib():
    # 01:00 UTC is 08:00 WIB (UTC+7)
    assert parse_ts("2024-05-03T01:00:00Z", "t", naive_is_local=False, latest=LATEST) == datetime(
        2024, 5, 3, 8, 0
    )
    assert parse_ts(
        "2024-05-03T10:00:00+08:00", "t", naive_is_local=False, latest=LATEST
    ) == datetime(2024, 5, 3, 9, 0)


def test_timestamp_without_offset_is_rejected_unless_declared_local():
    with pytest.raises(RecordError, match="without UTC offset"):
        parse_ts("2024-05-03T10:00:00", "requested_datetime", naive_is_local=False, latest=LATEST)
    assert parse_ts("2024-05-03 10:00:00", "t", naive_is_local=True, latest=LATEST) == datetime(
        2024, 5, 3, 10
    )


def test_timestamp_in_the_future_is_rejected():
    with pytest.raises(RecordError, match="in the future"):
        parse_ts("2025-01-01T00:10:00+07:00", "t", naive_is_local=False, latest=LATEST)


def test_garbage_timestamp_is_rejected():
    with pytest.raises(RecordError, match="not a timestamp"):
        parse_ts("yesterday", "t", naive_is_local=False, latest=LATEST)


def test_event_id_is_a_content_id():
    a = event_id("T1", "verified", datetime(2024, 1, 2, 8))
    assert a == event_id("T1", "verified", datetime(2024, 1, 2, 8))
    assert a != event_id("T1", "verified", datetime(2024, 1, 2, 9))
    assert a != event_id("T2", "verified", datetime(2024, 1, 2, 8))


def test_iso_wib_round_trip():
    assert iso_wib(datetime(2024, 1, 2, 8, 0)) == "2024-01-02T08:00:00+07:00"
