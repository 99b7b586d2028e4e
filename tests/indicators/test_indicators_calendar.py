"""Working-time arithmetic on the Indonesian calendar (weekends, libur nasional, cuti bersama)."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from smartindex.indicators.calendar import END_YEAR, START_YEAR, holiday_rows, install_calendar


@pytest.fixture()
def con():
    con = duckdb.connect()
    install_calendar(con)
    yield con
    con.close()


def _hours(con, start: str, end: str) -> float | None:
    return con.execute("select working_hours_between(?::timestamp, ?::timestamp)",
                       [start, end]).fetchone()[0]


def _days(con, start: str, end: str) -> int | None:
    return con.execute("select working_days_between(?::timestamp, ?::timestamp)",
                       [start, end]).fetchone()[0]


def test_holiday_table_covers_every_year_and_is_consistent():
    rows = holiday_rows()
    years = {r[0].year for r in rows}
    assert years == set(range(START_YEAR, END_YEAR + 1))
    for year in years:
        names = {r[2] for r in rows if r[0].year == year}
        assert "Hari Kemerdekaan RI" in names and "Hari Raya Natal" in names
    assert (date(2024, 12, 26), "cuti_bersama", "Cuti bersama Natal", False) in rows
    assert all(r[1] in ("libur_nasional", "cuti_bersama") for r in rows)


def test_calendar_days_marks_weekends_and_holidays(con):
    rows = dict(con.execute("""select date, is_working_day from calendar_days
                               where date between '2024-12-20' and '2024-12-27'""").fetchall())
    assert rows[date(2024, 12, 20)] is True      # Friday
    assert rows[date(2024, 12, 21)] is False     # Saturday
    assert rows[date(2024, 12, 24)] is True      # Tuesday, ordinary working day
    assert rows[date(2024, 12, 25)] is False     # Natal (libur nasional)
    assert rows[date(2024, 12, 26)] is False     # cuti bersama
    n = con.execute("select count(*) from calendar_days").fetchone()[0]
    assert n == (date(END_YEAR, 12, 31) - date(START_YEAR, 1, 1)).days + 1


@pytest.mark.parametrize(("start", "end", "hours"), [
    ("2024-12-20 15:00", "2024-12-23 09:00", 2.0),    # Fri 15-16 + Mon 08-09 across a weekend
    ("2024-12-24 10:00", "2024-12-27 10:00", 8.0),    # Tue 10-16, Natal + cuti bersama, Fri 08-10
    ("2024-12-28 12:00", "2024-12-30 07:00", 0.0),    # Saturday to Monday before opening
    ("2024-04-05 15:30", "2024-04-16 08:30", 1.0),    # Idul Fitri 2024: 8-15 Apr not worked
    ("2024-12-23 07:00", "2024-12-23 18:00", 8.0),    # one full day, clipped to 08-16
    ("2024-12-23 09:15", "2024-12-23 09:45", 0.5),
])
def test_working_hours_between(con, start, end, hours):
    assert _hours(con, start, end) == pytest.approx(hours)


@pytest.mark.parametrize(("start", "end", "days"), [
    ("2024-12-20 15:00", "2024-12-23 09:00", 1),
    ("2024-12-24 10:00", "2024-12-27 10:00", 1),
    ("2024-12-02 09:00", "2024-12-06 09:00", 4),
    ("2024-12-20 08:00", "2024-12-20 17:00", 0),
    ("2025-03-27 10:00", "2025-04-08 10:00", 1),      # Nyepi, Idul Fitri and cuti bersama 2025
])
def test_working_days_between(con, start, end, days):
    assert _days(con, start, end) == days


def test_outside_the_calendar_is_null(con):
    assert _hours(con, "2030-01-01 09:00", "2030-01-02 09:00") is None
    assert _days(con, "2014-06-01", "2014-06-02") is None


def test_set_based_over_many_tickets(con):
    con.execute("""create table t as
                   select timestamp '2023-01-02 08:00' + to_minutes(i * 60) as a
                   from range(5000) r(i)""")
    total = con.execute("select sum(working_hours_between(a, a + interval 7 day)) from t"
                        ).fetchone()[0]
    assert total > 0
