"""The city's working week (``Settings.work_week``) in the calendar, the annual measure path,
the complaint tables published after it and the live SLA calendar (issue #15)."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pytest

from smartindex.indicators.calendar import (
    NATIONAL_WEEK,
    WorkWeekError,
    install_calendar,
    week_minutes,
)
from smartindex.indicators.complaints import stage_stats
from smartindex.indicators.measure import measure, prepare_connection
from smartindex.ops.sla import fingerprint, install_sla, load_sla

CITY = "1671"
# Monday to Saturday, 08:00-14:00 without breaks (36 h a week)
SIX_DAYS = (((480, 840),),) * 6 + ((),)
# Thursday 12 Dec 2024 10:00 received, verified 11:00, dispatched Tuesday 17 Dec 10:00, first
# response Tuesday 17 Dec 13:00, resolved Monday 30 Dec 10:00 (the extract's cut-off).
TICKET = {
    "ticket_id": "A",
    "channel": "lapor",
    "category": "jalan",
    "kecamatan_code": "1671010",
    "status": "resolved",
    "created_at": datetime(2024, 12, 12, 10),
    "verified_at": datetime(2024, 12, 12, 11),
    "dispatched_at": datetime(2024, 12, 17, 10),
    "first_response_at": datetime(2024, 12, 17, 13),
    "resolved_at": datetime(2024, 12, 30, 10),
    "closed_at": datetime(2024, 12, 30, 10),
}
# Working hours created -> first response, by hand:
#   national: Thu 10:00-16:00 less the 12-13 break = 5 h; Fri 7.5; Mon 7.5;
#             Tue 07:30-13:00 less the break = 4.5 h -> 24.5 h
#   six days: Thu 10:00-14:00 = 4 h; Fri 6; Sat 6; Mon 6; Tue 08:00-13:00 = 5 h -> 27 h
# Working days created -> dispatched: national Fri, Mon, Tue = 3 (within 3 working days);
# six days Fri, Sat, Mon, Tue = 4 (late).
EXPECTED = {None: (24.5, 100.0), SIX_DAYS: (27.0, 0.0)}


def _values(con: duckdb.DuckDBPyConnection, catalogue, week) -> tuple[float, float]:
    codes = ["GOV_FIRST_RESPONSE_WH", "GOV_VERIFIED_3WD"]
    frame = measure(con, catalogue, codes=codes, week=week)
    city = frame[(frame["area_code"] == CITY) & (frame["year"] == 2024)].set_index("code")
    return (
        float(city.loc["GOV_FIRST_RESPONSE_WH", "value"]),
        float(city.loc["GOV_VERIFIED_3WD", "value"]),
    )


@pytest.mark.parametrize("week", [None, SIX_DAYS])
def test_measure_counts_with_the_city_s_week(make_row_db, catalogue, week) -> None:
    con = make_row_db(complaints=[TICKET])
    assert _values(con, catalogue, week) == pytest.approx(EXPECTED[week])
    # the complaint tables published after measure keep the week measure installed
    stats = stage_stats(con, catalogue).set_index(["area_code", "year", "stage"])
    verification = stats.loc[(CITY, 2024, "verification_forwarding")]
    assert verification["share_within_limit"] == EXPECTED[week][1]
    con.close()


def test_a_later_week_replaces_the_installed_one_and_fresh_connections_are_national(
    make_row_db, catalogue
) -> None:
    con = make_row_db(complaints=[TICKET])
    prepare_connection(con, catalogue, week=SIX_DAYS)
    prepare_connection(con, catalogue)  # no week: the installed one stays
    assert con.execute(
        "select is_working_day from calendar_days where date = '2024-12-14'"
    ).fetchone() == (True,)
    assert _values(con, catalogue, NATIONAL_WEEK) == pytest.approx(EXPECTED[None])
    con.close()
    fresh = make_row_db(complaints=[TICKET])
    assert _values(fresh, catalogue, None) == pytest.approx(EXPECTED[None])
    fresh.close()


def test_live_sla_calendar_uses_the_week_and_its_fingerprint() -> None:
    sla = load_sla()
    due = {}
    for week in (None, SIX_DAYS):
        con = duckdb.connect()
        install_sla(con, sla, week)
        # received Thursday 12 Dec 2024: 3 working days are Fri 13, Mon 16, Tue 17 nationally
        # (due Wed 18 00:00) and Fri 13, Sat 14, Mon 16 on six days (due Tue 17 00:00)
        due[week] = con.execute(
            """select w.first_date from calendar_days c
               join _wd_first w on w.working_day_no = c.working_day_no + 3 + 1
               where c.date = '2024-12-12'"""
        ).fetchone()
        con.close()
    assert due == {
        None: (datetime(2024, 12, 18).date(),),
        SIX_DAYS: (datetime(2024, 12, 17).date(),),
    }
    assert fingerprint(sla) == fingerprint(sla, NATIONAL_WEEK) != fingerprint(sla, SIX_DAYS)


@pytest.mark.parametrize(
    ("week", "message"),
    [
        (NATIONAL_WEEK[:5], "7 days"),
        (((),) * 7, "at least one working day"),
        ((((480, 840), (800, 900)),) + ((),) * 6, "ordered, disjoint"),
        ((((840, 480),),) + ((),) * 6, "start < end"),
        ((((480, 1500),),) + ((),) * 6, "within 00:00-24:00"),
    ],
)
def test_an_invalid_week_is_refused(week, message) -> None:
    with pytest.raises(WorkWeekError, match=message):
        install_calendar(duckdb.connect(), week=week)


def test_national_week_is_37_5_hours() -> None:
    assert week_minutes(NATIONAL_WEEK) == (450, 450, 450, 450, 450, 0, 0)
    assert sum(week_minutes(SIX_DAYS)) == 36 * 60
