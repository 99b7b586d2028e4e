"""``[working_time]`` of a city profile: parsed into the working week the calendar counts with,
checked so that a profile cannot contradict itself, and carried by ``settings_for`` to the
complaint indicators (issue #15)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from smartindex.cities import (
    NATIONAL_WORKING_TIME,
    load_profile,
    settings_for,
    week_hours_of,
    work_week,
)
from smartindex.errors import DataFileError
from smartindex.indicators.calendar import NATIONAL_WEEK, install_calendar

ROOT = Path(__file__).resolve().parents[2]
PALEMBANG = ROOT / "data" / "cities" / "palembang" / "profile.toml"
BUKITTINGGI = ROOT / "tests" / "fixtures" / "cities" / "bukittinggi" / "profile.toml"

CITY = """\
profile_version = 1

[city]
bps_code = "1375"
kemendagri_code = "13.75"
name_id = "Kota Bukittinggi"
timezone = "Asia/Jakarta"

"""
NATIONAL = """\
[working_time]
regulation = "Perpres 21/2023"
week_hours = 37.5
days = ["mon", "tue", "wed", "thu", "fri"]
day_start = "07:30"
day_end = "16:00"
friday_end = "16:30"
break_minutes = 60
friday_break_minutes = 90
"""
# A city working Monday to Saturday, 08:00-14:00 without breaks: 6 x 6 h = 36 h a week.
SIX_DAYS = (ROOT / "tests" / "fixtures" / "cities" / "six-day-week.toml").read_text("utf-8")


def _profile(tmp_path: Path, working_time: str) -> Path:
    path = tmp_path / "profile.toml"
    path.write_text(CITY + working_time, encoding="utf-8")
    return path


def _line(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), start=1) if text in line)


def test_palembang_and_the_second_city_give_exactly_the_national_week() -> None:
    national = ((450, 720), (780, 960))  # 07:30-12:00, 13:00-16:00
    friday = ((450, 690), (780, 990))  # 07:30-11:30, 13:00-16:30 (Friday prayer)
    assert (national, national, national, national, friday, (), ()) == NATIONAL_WEEK
    for path in (PALEMBANG, BUKITTINGGI):
        profile = load_profile(path)
        assert work_week(profile.working_time) == NATIONAL_WEEK
        assert settings_for(profile).work_week == NATIONAL_WEEK
    assert work_week(NATIONAL_WORKING_TIME) == NATIONAL_WEEK


def test_a_profile_without_working_time_and_the_scaffold_template_are_national(
    tmp_path: Path,
) -> None:
    assert load_profile(_profile(tmp_path, "")).working_time == NATIONAL_WORKING_TIME
    # the template of `smartindex init` names no break start: 12:00, Friday 11:30 (national)
    work = load_profile(_profile(tmp_path, NATIONAL)).working_time
    assert (work.break_start, work.friday_break_start) == (dt.time(12), dt.time(11, 30))
    assert work_week(work) == NATIONAL_WEEK


def test_keys_left_out_take_the_defaults_and_friday_follows_the_other_days(
    tmp_path: Path,
) -> None:
    # national 07:30-16:00 with 60 minutes from 12:00; Friday ends at day_end and breaks
    # break_minutes from 11:30 unless given: 07:30-11:30, 12:30-16:00 (still 7.5 h)
    text = '[working_time]\nregulation = "Perpres 21/2023"\nweek_hours = 37.5\n'
    week = work_week(load_profile(_profile(tmp_path, text)).working_time)
    assert week[:4] == NATIONAL_WEEK[:4] and week[5:] == ((), ())
    assert week[4] == ((450, 690), (750, 960))
    with pytest.raises(DataFileError, match=r"'working_time\.regulation': is missing"):
        load_profile(_profile(tmp_path, "[working_time]\nweek_hours = 37.5\n"))


def test_six_day_week_without_breaks(tmp_path: Path) -> None:
    work = load_profile(_profile(tmp_path, SIX_DAYS)).working_time
    assert work.friday_end == dt.time(14) and work.friday_break_minutes == 0
    assert work_week(work) == (((480, 840),),) * 6 + ((),)
    assert week_hours_of(work) == 36


def test_the_profile_s_week_counts_hours_and_days_of_a_ticket(tmp_path: Path) -> None:
    """A ticket received Friday 20 Dec 2024 13:00 and resolved Monday 23 Dec 09:00, counted
    with the profile's Monday-Saturday 08:00-14:00 week: Friday 13:00-14:00 (1 h), Saturday
    08:00-14:00 (6 h), Sunday none, Monday 08:00-09:00 (1 h) = 8 working hours; working days
    after the Friday up to Monday: Saturday and Monday = 2. The national week gives Friday
    13:00-16:30 (3.5 h) + Monday 07:30-09:00 (1.5 h) = 5 h and 1 working day (Monday).

    Over Christmas: Tuesday 24 Dec 12:30 to Saturday 28 Dec 10:00 is Tuesday 12:30-14:00
    (1.5 h, no lunch break), Wednesday 25 (Natal) and Thursday 26 (cuti bersama) none, Friday
    27 6 h, Saturday 28 08:00-10:00 2 h = 9.5 h, on 2 working days (27 and 28); nationally
    Tuesday 13:00-16:00 (3 h, 12:30-13:00 is the break) + Friday 7.5 h = 10.5 h, 1 day."""
    week = settings_for(load_profile(_profile(tmp_path, SIX_DAYS))).work_week
    sql = """select working_hours_between(?::timestamp, ?::timestamp),
                    working_days_between(?::timestamp, ?::timestamp)"""
    tickets = {
        ("2024-12-20 13:00", "2024-12-23 09:00"): ((8.0, 2), (5.0, 1)),
        ("2024-12-24 12:30", "2024-12-28 10:00"): ((9.5, 2), (10.5, 1)),
        ("2024-12-23 11:30", "2024-12-23 12:30"): ((1.0, 0), (0.5, 0)),  # no lunch break
    }
    for city_week, which in ((week, 0), (None, 1)):
        con = duckdb.connect()
        install_calendar(con, week=city_week)
        for (start, end), expected in tickets.items():
            hours, days = con.execute(sql, [start, end, start, end]).fetchone() or (None, None)
            assert (hours, days) == pytest.approx(expected[which]), (start, city_week)
        saturday = con.execute(
            "select is_working_day from calendar_days where date = '2024-12-21'"
        ).fetchone()
        assert saturday == (which == 0,)
        con.close()


@pytest.mark.parametrize(
    ("old", "new", "key", "message"),
    [
        # the days, hours and breaks give 37.5 h, not 40: a profile cannot contradict itself
        ("week_hours = 37.5", "week_hours = 40", "week_hours", "give 37.5 hours a week"),
        ('day_end = "16:00"', 'day_end = "07:00"', "day_end", "later than day_start 07:30"),
        (
            "break_minutes = 60\n",
            'break_minutes = 60\nbreak_start = "07:00"\n',
            "break_start",
            "60-minute break from 07:00 must lie inside the working day 07:30-16:00",
        ),
        (
            "friday_break_minutes = 90",
            'friday_break_minutes = 90\nfriday_break_start = "16:00"',
            "friday_break_start",
            "inside the working day 07:30-16:30",
        ),
        ("break_minutes = 60", "break_minutes = 62.5", "break_minutes", "whole number"),
        ('"thu", "fri"]', '"thu", "thu"]', "days", "distinct days"),
        ('"thu", "fri"]', '"thu", "jum"]', "days", "distinct days"),
        ('day_start = "07:30"', 'day_start = "7.30"', "day_start", "time of day HH:MM"),
        ('"thu", "fri"]', '"thu"]', "friday_end", "fri is not among the working days"),
        ("week_hours = 37.5", "week_hour = 37.5", "week_hour", "unknown key"),
    ],
)
def test_errors_name_the_profile_line_and_key(
    tmp_path: Path, old: str, new: str, key: str, message: str
) -> None:
    assert old in NATIONAL
    path = _profile(tmp_path, NATIONAL.replace(old, new, 1))
    with pytest.raises(DataFileError) as err:
        load_profile(path)
    text = str(err.value)
    line = _line(path, f"{key} =")
    assert text.startswith(f"{path}, line {line}: key 'working_time.{key}': "), text
    assert message in text


def test_a_shorter_week_must_say_so(tmp_path: Path) -> None:
    # Monday-Thursday only: 4 x 7.5 h = 30 h; week_hours 37.5 contradicts it
    four = NATIONAL.replace('"thu", "fri"]', '"thu"]').replace('friday_end = "16:30"\n', "")
    four = four.replace("friday_break_minutes = 90\n", "")
    with pytest.raises(DataFileError, match=r"week_hours': is 37.5 but .* give 30 hours"):
        load_profile(_profile(tmp_path, four))
    work = load_profile(_profile(tmp_path, four.replace("37.5", "30"))).working_time
    assert work_week(work)[3:] == (((450, 720), (780, 960)), (), (), ())
