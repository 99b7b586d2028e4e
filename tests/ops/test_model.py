from __future__ import annotations

from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

import pytest

from smartindex.config import Settings
from smartindex.errors import SmartIndexError
from smartindex.ops.model import (
    DEFAULT_ZONE,
    RecordError,
    event_id,
    iso_local,
    kind_of,
    local_zone,
    parse_ts,
)

WIB = ZoneInfo("Asia/Jakarta")

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


def ts(value: str, naive_is_local: bool = False, tz: tzinfo = WIB) -> datetime:
    return parse_ts(value, "t", naive_is_local=naive_is_local, latest=LATEST, tz=tz)


def test_timestamps_are_converted_to_wib():
    # 01:00 UTC is 08:00 WIB (UTC+7)
    assert ts("2024-05-03T01:00:00Z") == datetime(2024, 5, 3, 8, 0)
    assert ts("2024-05-03T10:00:00+08:00") == datetime(2024, 5, 3, 9, 0)


def test_timestamps_are_converted_to_the_configured_zone():
    # the same instants in WITA (Asia/Makassar, UTC+8) are one hour later on the wall
    wita = local_zone(Settings(timezone="Asia/Makassar"))
    assert ts("2024-05-03T01:00:00Z", tz=wita) == datetime(2024, 5, 3, 9, 0)
    assert ts("2024-05-03T10:00:00+07:00", tz=wita) == datetime(2024, 5, 3, 11, 0)
    assert iso_local(datetime(2024, 1, 2, 8, 0), wita) == "2024-01-02T08:00:00+08:00"


def test_the_default_zone_is_settings_default():
    assert local_zone(Settings()) == DEFAULT_ZONE == ZoneInfo("Asia/Jakarta")


def test_an_unknown_zone_is_an_error_naming_it():
    with pytest.raises(SmartIndexError, match="Mars/Olympus"):
        local_zone(Settings(timezone="Mars/Olympus"))


def test_timestamp_without_offset_is_rejected_unless_declared_local():
    with pytest.raises(RecordError, match="without UTC offset"):
        parse_ts(
            "2024-05-03T10:00:00", "requested_datetime", naive_is_local=False, latest=LATEST, tz=WIB
        )
    assert ts("2024-05-03 10:00:00", naive_is_local=True) == datetime(2024, 5, 3, 10)
    # a declared-local time is already local: the zone does not move it
    wita = ZoneInfo("Asia/Makassar")
    assert ts("2024-05-03 10:00:00", naive_is_local=True, tz=wita) == datetime(2024, 5, 3, 10)


def test_timestamp_in_the_future_is_rejected():
    with pytest.raises(RecordError, match="in the future"):
        ts("2025-01-01T00:10:00+07:00")


def test_garbage_timestamp_is_rejected():
    with pytest.raises(RecordError, match="not a timestamp"):
        ts("yesterday")


def test_event_id_is_a_content_id():
    a = event_id("T1", "verified", datetime(2024, 1, 2, 8))
    assert a == event_id("T1", "verified", datetime(2024, 1, 2, 8))
    assert a != event_id("T1", "verified", datetime(2024, 1, 2, 9))
    assert a != event_id("T2", "verified", datetime(2024, 1, 2, 8))


def test_iso_local_round_trip():
    assert iso_local(datetime(2024, 1, 2, 8, 0), WIB) == "2024-01-02T08:00:00+07:00"
