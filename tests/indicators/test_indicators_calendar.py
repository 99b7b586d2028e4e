"""Working-time arithmetic on the Indonesian calendar (weekends, libur nasional, cuti bersama)
and the holiday table checked against the SKB 3 Menteri of every year 2016-2026."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from smartindex.indicators.calendar import (
    DAY_MINUTES,
    DECREES,
    END_YEAR,
    SCHEDULE,
    START_YEAR,
    WEEK_HOURS,
    holiday_rows,
    install_calendar,
)

# Cuti bersama of each year as finally set by that year's SKB and its amendments (DECREES).
CUTI_BERSAMA = {
    2016: ["07-04", "07-05", "07-08", "12-26"],
    2017: ["01-02", "06-27", "06-28", "06-29", "06-30", "12-26"],
    2018: ["06-11", "06-12", "06-13", "06-14", "06-18", "06-19", "06-20", "12-24"],
    2019: ["06-03", "06-04", "06-07", "12-24"],
    2020: ["08-21", "10-28", "10-30", "12-24", "12-31"],
    2021: ["05-12"],
    2022: ["04-29", "05-04", "05-05", "05-06"],
    2023: [
        "01-23",
        "03-23",
        "04-19",
        "04-20",
        "04-21",
        "04-24",
        "04-25",
        "06-02",
        "06-28",
        "06-30",
        "12-26",
    ],
    2024: [
        "02-09",
        "03-12",
        "04-08",
        "04-09",
        "04-12",
        "04-15",
        "05-10",
        "05-24",
        "06-18",
        "12-26",
    ],
    2025: [
        "01-28",
        "03-28",
        "04-02",
        "04-03",
        "04-04",
        "04-07",
        "05-13",
        "05-30",
        "06-09",
        "08-18",
        "12-26",
    ],
    2026: ["02-16", "03-18", "03-20", "03-23", "03-24", "05-15", "05-28", "12-24"],
}
# Libur nasional that fall on a weekday, per the same decrees (plus election days by Keppres).
WEEKDAY_LIBUR = {
    2021: [
        "01-01",
        "02-12",
        "03-11",
        "04-02",
        "05-13",
        "05-14",
        "05-26",
        "06-01",
        "07-20",
        "08-11",
        "08-17",
        "10-20",
    ],
    2026: [
        "01-01",
        "01-16",
        "02-17",
        "03-19",
        "04-03",
        "05-01",
        "05-14",
        "05-27",
        "06-01",
        "06-16",
        "08-17",
        "08-25",
        "12-25",
    ],
}


@pytest.fixture()
def con():
    con = duckdb.connect()
    install_calendar(con)
    yield con
    con.close()


def _hours(con, start: str, end: str) -> float | None:
    return con.execute(
        "select working_hours_between(?::timestamp, ?::timestamp)", [start, end]
    ).fetchone()[0]


def _days(con, start: str, end: str) -> int | None:
    return con.execute(
        "select working_days_between(?::timestamp, ?::timestamp)", [start, end]
    ).fetchone()[0]


def _dates(kind: str, year: int) -> list[str]:
    return sorted(
        r[0].strftime("%m-%d") for r in holiday_rows() if r[0].year == year and r[1] == kind
    )


def test_holiday_table_covers_every_year_and_is_consistent():
    rows = holiday_rows()
    years = {r[0].year for r in rows}
    assert years == set(range(START_YEAR, END_YEAR + 1))
    for year in years:
        names = {r[2] for r in rows if r[0].year == year}
        assert "Hari Kemerdekaan RI" in names and "Hari Raya Natal" in names
    assert (date(2024, 12, 26), "cuti_bersama", "Cuti bersama Natal", False) in rows
    assert all(r[1] in ("libur_nasional", "cuti_bersama") for r in rows)


@pytest.mark.parametrize("year", sorted(CUTI_BERSAMA))
def test_cuti_bersama_follow_the_skb_of_each_year(year):
    assert _dates("cuti_bersama", year) == CUTI_BERSAMA[year]
    assert DECREES[year] and DECREES[year][0].startswith("SKB Menag")


@pytest.mark.parametrize("year", sorted(WEEKDAY_LIBUR))
def test_weekday_libur_nasional_follow_the_skb(year):
    weekday = [
        d
        for d in _dates("libur_nasional", year)
        if date.fromisoformat(f"{year}-{d}").isoweekday() <= 5
    ]
    assert weekday == WEEKDAY_LIBUR[year]


def test_issue_10_missing_cuti_bersama_are_now_holidays(con):
    for day in ("2020-12-31", "2021-05-12"):
        assert con.execute(
            "select is_working_day, holiday_kind from calendar_days where date = ?::date", [day]
        ).fetchone() == (False, "cuti_bersama")
    for day in ("2017-06-23", "2022-12-26", "2021-12-24"):  # removed by amending decrees
        assert con.execute(
            "select is_working_day from calendar_days where date = ?::date", [day]
        ).fetchone() == (True,)


def test_only_unverified_years_and_dates_are_flagged():
    flagged = {r[0] for r in holiday_rows() if r[3]}
    assert {d.year for d in flagged} == {2015, 2020, 2027}
    assert [d for d in flagged if d.year == 2020] == [date(2020, 8, 21)]
    assert set(DECREES) == set(range(2016, 2027))


def test_working_week_is_37_5_hours_perpres_21_2023():
    minutes = {k: sum(b - a for a, b in v) for k, v in SCHEDULE.items()}
    assert minutes == {"mon_thu": DAY_MINUTES, "fri": DAY_MINUTES}
    assert 5 * DAY_MINUTES / 60 == WEEK_HOURS == 37.5
    assert min(a for v in SCHEDULE.values() for a, _ in v) == 7 * 60 + 30  # starts 07:30


def test_calendar_days_marks_weekends_and_holidays(con):
    rows = dict(
        con.execute("""select date, is_working_day from calendar_days
                               where date between '2024-12-20' and '2024-12-27'""").fetchall()
    )
    assert rows[date(2024, 12, 20)] is True  # Friday
    assert rows[date(2024, 12, 21)] is False  # Saturday
    assert rows[date(2024, 12, 24)] is True  # Tuesday, ordinary working day
    assert rows[date(2024, 12, 25)] is False  # Natal (libur nasional)
    assert rows[date(2024, 12, 26)] is False  # cuti bersama
    n = con.execute("select count(*) from calendar_days").fetchone()[0]
    assert n == (date(END_YEAR, 12, 31) - date(START_YEAR, 1, 1)).days + 1


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        ("2024-12-20 15:00", "2024-12-23 09:00", 3.0),  # Fri 15:00-16:30 + Mon 07:30-09:00
        ("2024-12-24 10:00", "2024-12-27 10:00", 7.5),  # Tue 10-16 (-1 h break), Fri 07:30-10
        ("2024-12-28 12:00", "2024-12-30 07:00", 0.0),  # Saturday to Monday before opening
        ("2024-04-05 15:30", "2024-04-16 08:30", 2.0),  # Fri 15:30-16:30 + Tue 07:30-08:30
        ("2024-12-23 07:00", "2024-12-23 18:00", 7.5),  # one full day
        ("2024-12-23 09:15", "2024-12-23 09:45", 0.5),
        ("2024-12-23 11:30", "2024-12-23 13:30", 1.0),  # 12:00-13:00 break (Monday)
        ("2024-12-20 11:00", "2024-12-20 13:30", 1.0),  # 11:30-13:00 Friday prayer break
        ("2020-12-30 09:00", "2021-01-04 09:00", 7.5),  # 31 Dec 2020 cuti bersama, 1 Jan libur
    ],
)
def test_working_hours_between(con, start, end, hours):
    assert _hours(con, start, end) == pytest.approx(hours)


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        ("2024-12-20 15:00", "2024-12-23 09:00", 1),
        ("2024-12-24 10:00", "2024-12-27 10:00", 1),
        ("2024-12-02 09:00", "2024-12-06 09:00", 4),
        ("2024-12-20 08:00", "2024-12-20 17:00", 0),
        ("2025-03-27 10:00", "2025-04-08 10:00", 1),  # Nyepi, Idul Fitri and cuti bersama 2025
        ("2021-05-11 10:00", "2021-05-17 10:00", 1),  # 12 May cuti bersama, 13-14 May libur
    ],
)
def test_working_days_between(con, start, end, days):
    assert _days(con, start, end) == days


def test_outside_the_calendar_is_null(con):
    assert _hours(con, "2030-01-01 09:00", "2030-01-02 09:00") is None
    assert _days(con, "2014-06-01", "2014-06-02") is None


def test_set_based_over_many_tickets(con):
    con.execute("""create table t as
                   select timestamp '2023-01-02 08:00' + to_minutes(i * 60) as a
                   from range(5000) r(i)""")
    total = con.execute(
        "select sum(working_hours_between(a, a + interval 7 day)) from t"
    ).fetchone()[0]
    assert total > 0
