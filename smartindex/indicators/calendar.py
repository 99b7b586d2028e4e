"""Indonesian working-day calendar and working-time SQL macros for complaint KPIs.

**Working time** is the city's working week (a :data:`~smartindex.config.WorkWeek`: per weekday,
the working intervals in minutes after local midnight), read from the ``[working_time]`` table of
the city profile (``smartindex.cities.work_week``) and passed to :func:`install_calendar`.
Without one, the national week :data:`NATIONAL_WEEK` applies. It follows Perpres 21/2023 (Hari
Kerja dan Jam Kerja Instansi Pemerintah dan Pegawai ASN): five working days, Monday to Friday,
and 37 h 30 min a week excluding breaks, starting 07:30 local time (the profile's time zone),
with a 60-minute break (90 minutes on Friday); it does not fix when the break starts. The
national week is :data:`SCHEDULE`, with the customary break times (12:00; Friday 11:30, before
the Friday prayer): Monday–Thursday 07:30–12:00 and 13:00–16:00, Friday 07:30–11:30 and
13:00–16:30, i.e. 7.5 working hours every working day. The shorter Ramadan week (32.5 h) is not
modelled. Working days are the days of the week with working
intervals, except the national public holidays (hari libur nasional, including election days
declared holidays by Keppres) and the cuti bersama, which civil servants (ASN) do not work.

**Holidays** come from the yearly joint decree (SKB) of the Minister of Religious Affairs, the
Minister of Manpower and the Minister for Administrative and Bureaucratic Reform on "Hari Libur
Nasional dan Cuti Bersama", as last amended; :data:`DECREES` cites each year's decree and its
amendments. Every date of 2016–2026 was checked against those decrees (as reproduced by the
government and national press); a date ending in ``?`` below could not be verified (the 2015
and 2027 lists, 21 Aug 2020) and is reported as uncertain (:func:`holiday_rows`).

Everything is set-based: ``calendar_days`` holds one row per date with the running count of
working days and of working minutes before the day (each working day counting its weekday's
minutes), so a duration is a difference of two look-ups, never a loop over tickets.
"""

from __future__ import annotations

from datetime import date

import duckdb

from smartindex.config import WorkWeek
from smartindex.errors import SmartIndexError

START_YEAR, END_YEAR = 2015, 2027
KINDS = {"L": "libur_nasional", "C": "cuti_bersama"}
WEEK_HOURS = 37.5
"""National civil-service working week, hours excluding breaks (Perpres 21/2023)."""
DAY_MINUTES = 450
"""Working minutes in every working day of the national week (7.5 h; 5 x 7.5 h =
:data:`WEEK_HOURS`)."""
SCHEDULE: dict[str, tuple[tuple[int, int], ...]] = {
    "mon_thu": ((450, 720), (780, 960)),  # 07:30-12:00, 13:00-16:00
    "fri": ((450, 690), (780, 990)),  # 07:30-11:30, 13:00-16:30
}
"""Working intervals per day type of the national week, in minutes after midnight (local time)."""
NATIONAL_WEEK: WorkWeek = (*(SCHEDULE["mon_thu"],) * 4, SCHEDULE["fri"], (), ())
"""The national working week (Monday to Sunday) used when no city week is given."""

DECREES: dict[int, tuple[str, ...]] = {
    2016: ("SKB Menag 150/2015, Menaker 2/SKB/MEN/VI/2015, MenPANRB 01/2015",),
    2017: (
        "SKB Menag 135/2016, Menaker SKB 109/2016, MenPANRB 01/SKB/MENPANRB/04/2016",
        "amended by SKB 684/2016, 302/2016, SKB/02/MENPAN-RB/11/2016 (adds 1 June, "
        "cuti bersama 2 Jan and 27-30 Jun instead of 23, 27, 28 Jun)",
        "Pilkada 15 Feb 2017 declared a holiday by Keppres",
    ),
    2018: (
        "SKB Menag 707/2017, Menaker 256/2017, MenPANRB 01/SKB/MENPAN-RB/09/2017",
        "amended by SKB 223/2018, 46/2018, 13/2018 (cuti bersama Idul Fitri 11-14, 18-20 Jun)",
        "Pilkada 27 Jun 2018 declared a holiday by Keppres",
    ),
    2019: (
        "SKB Menag 617/2018, Menaker 262/2018, MenPANRB 16/2018",
        "Pemilu 17 Apr 2019 declared a holiday by Keppres",
    ),
    2020: (
        "SKB Menag 728/2019, Menaker 213/2019, MenPANRB 01/2019",
        "amended four times, incl. SKB 391/2020, 02/2020, 02/2020 (Idul Fitri cuti bersama "
        "moved to 28-31 Dec; 28 Oct added), SKB 440/2020, 03/2020, 03/2020 and SKB "
        "744/2020, 05/2020, 06/2020 (28-30 Dec removed; 24 and 31 Dec remain)",
        "Pilkada 9 Dec 2020 declared a holiday by Keppres",
    ),
    2021: (
        "SKB Menag 642/2020, Menaker 4/2020, MenPANRB 4/2020",
        "amended by SKB 281/2021, 1/2021, 1/2021 (cuti bersama only 12 May and 24 Dec)",
        "amended by SKB 712/2021, 1/2021, 3/2021 (Tahun Baru Islam 11 Aug, Maulid 20 Oct, "
        "cuti bersama 24 Dec removed)",
    ),
    2022: (
        "SKB Menag 963/2021, Menaker 3/2021, MenPANRB 4/2021",
        "amended by SKB 375/2022, 1/2022, 1/2022 (cuti bersama 29 Apr, 4-6 May; no cuti "
        "bersama at Christmas)",
    ),
    2023: (
        "SKB Menag 1066/2022, Menaker 3/2022, MenPANRB 3/2022",
        "amended by SKB 327/2023, 1/2023, 1/2023 (cuti bersama Idul Fitri 19-21, 24-25 Apr)",
        "amended by SKB 624/2023, 2/2023, 2/2023 (cuti bersama Idul Adha 28 and 30 Jun)",
    ),
    2024: (
        "SKB Menag 855/2023, Menaker 3/2023, MenPANRB 4/2023",
        "Pemilu 14 Feb 2024 and Pilkada 27 Nov 2024 declared holidays by Keppres",
    ),
    2025: (
        "SKB Menag 1017/2024, Menaker 2/2024, MenPANRB 2/2024",
        "amended by SKB 933/2025, 1/2025, 3/2025 (cuti bersama 18 Aug, 80th anniversary)",
    ),
    2026: ("SKB Menag 1497/2025, Menaker 2/2025, MenPANRB 5/2025",),
}
"""Decrees behind each year's holidays (2015 and 2027 are not verified: no decree cited)."""

# date kind name  (L = libur nasional, C = cuti bersama; trailing "?" = not verified)
_DAYS = """
2015-01-01 L Tahun Baru Masehi?|2015-01-03 L Maulid Nabi Muhammad SAW?
2015-02-19 L Tahun Baru Imlek?|2015-03-21 L Hari Suci Nyepi?|2015-04-03 L Wafat Isa Almasih?
2015-05-01 L Hari Buruh Internasional?|2015-05-14 L Kenaikan Isa Almasih?
2015-05-16 L Isra Mikraj?|2015-06-02 L Hari Raya Waisak?|2015-07-16 C Cuti bersama Idul Fitri?
2015-07-17 L Idul Fitri?|2015-07-18 L Idul Fitri?|2015-07-20 C Cuti bersama Idul Fitri?
2015-07-21 C Cuti bersama Idul Fitri?|2015-08-17 L Hari Kemerdekaan RI?|2015-09-24 L Idul Adha?
2015-10-14 L Tahun Baru Islam?|2015-12-09 L Pilkada serentak?
2015-12-24 L Maulid Nabi Muhammad SAW?|2015-12-25 L Hari Raya Natal?
2016-01-01 L Tahun Baru Masehi|2016-02-08 L Tahun Baru Imlek|2016-03-09 L Hari Suci Nyepi
2016-03-25 L Wafat Isa Almasih|2016-05-01 L Hari Buruh Internasional
2016-05-05 L Kenaikan Isa Almasih|2016-05-06 L Isra Mikraj|2016-05-22 L Hari Raya Waisak
2016-07-04 C Cuti bersama Idul Fitri|2016-07-05 C Cuti bersama Idul Fitri|2016-07-06 L Idul Fitri
2016-07-07 L Idul Fitri|2016-07-08 C Cuti bersama Idul Fitri|2016-08-17 L Hari Kemerdekaan RI
2016-09-12 L Idul Adha|2016-10-02 L Tahun Baru Islam|2016-12-12 L Maulid Nabi Muhammad SAW
2016-12-25 L Hari Raya Natal|2016-12-26 C Cuti bersama Natal
2017-01-01 L Tahun Baru Masehi|2017-01-02 C Cuti bersama Tahun Baru|2017-01-28 L Tahun Baru Imlek
2017-02-15 L Pilkada serentak|2017-03-28 L Hari Suci Nyepi|2017-04-14 L Wafat Isa Almasih
2017-04-24 L Isra Mikraj|2017-05-01 L Hari Buruh Internasional|2017-05-11 L Hari Raya Waisak
2017-05-25 L Kenaikan Isa Almasih|2017-06-01 L Hari Lahir Pancasila
2017-06-25 L Idul Fitri|2017-06-26 L Idul Fitri
2017-06-27 C Cuti bersama Idul Fitri|2017-06-28 C Cuti bersama Idul Fitri
2017-06-29 C Cuti bersama Idul Fitri|2017-06-30 C Cuti bersama Idul Fitri
2017-08-17 L Hari Kemerdekaan RI|2017-09-01 L Idul Adha|2017-09-21 L Tahun Baru Islam
2017-12-01 L Maulid Nabi Muhammad SAW|2017-12-25 L Hari Raya Natal|2017-12-26 C Cuti bersama Natal
2018-01-01 L Tahun Baru Masehi|2018-02-16 L Tahun Baru Imlek|2018-03-17 L Hari Suci Nyepi
2018-03-30 L Wafat Isa Almasih|2018-04-14 L Isra Mikraj|2018-05-01 L Hari Buruh Internasional
2018-05-10 L Kenaikan Isa Almasih|2018-05-29 L Hari Raya Waisak|2018-06-01 L Hari Lahir Pancasila
2018-06-11 C Cuti bersama Idul Fitri|2018-06-12 C Cuti bersama Idul Fitri
2018-06-13 C Cuti bersama Idul Fitri|2018-06-14 C Cuti bersama Idul Fitri|2018-06-15 L Idul Fitri
2018-06-16 L Idul Fitri|2018-06-18 C Cuti bersama Idul Fitri|2018-06-19 C Cuti bersama Idul Fitri
2018-06-20 C Cuti bersama Idul Fitri|2018-06-27 L Pilkada serentak|2018-08-17 L Hari Kemerdekaan RI
2018-08-22 L Idul Adha|2018-09-11 L Tahun Baru Islam|2018-11-20 L Maulid Nabi Muhammad SAW
2018-12-24 C Cuti bersama Natal|2018-12-25 L Hari Raya Natal
2019-01-01 L Tahun Baru Masehi|2019-02-05 L Tahun Baru Imlek|2019-03-07 L Hari Suci Nyepi
2019-04-03 L Isra Mikraj|2019-04-17 L Pemilihan Umum|2019-04-19 L Wafat Isa Almasih
2019-05-01 L Hari Buruh Internasional|2019-05-19 L Hari Raya Waisak
2019-05-30 L Kenaikan Isa Almasih|2019-06-01 L Hari Lahir Pancasila
2019-06-03 C Cuti bersama Idul Fitri|2019-06-04 C Cuti bersama Idul Fitri|2019-06-05 L Idul Fitri
2019-06-06 L Idul Fitri|2019-06-07 C Cuti bersama Idul Fitri|2019-08-11 L Idul Adha
2019-08-17 L Hari Kemerdekaan RI|2019-09-01 L Tahun Baru Islam|2019-11-09 L Maulid Nabi Muhammad SAW
2019-12-24 C Cuti bersama Natal|2019-12-25 L Hari Raya Natal
2020-01-01 L Tahun Baru Masehi|2020-01-25 L Tahun Baru Imlek|2020-03-22 L Isra Mikraj
2020-03-25 L Hari Suci Nyepi|2020-04-10 L Wafat Isa Almasih|2020-05-01 L Hari Buruh Internasional
2020-05-07 L Hari Raya Waisak|2020-05-21 L Kenaikan Isa Almasih|2020-05-24 L Idul Fitri
2020-05-25 L Idul Fitri|2020-06-01 L Hari Lahir Pancasila|2020-07-31 L Idul Adha
2020-08-17 L Hari Kemerdekaan RI|2020-08-20 L Tahun Baru Islam
2020-08-21 C Cuti bersama Tahun Baru Islam?
2020-10-28 C Cuti bersama Maulid Nabi|2020-10-29 L Maulid Nabi Muhammad SAW
2020-10-30 C Cuti bersama Maulid Nabi|2020-12-09 L Pilkada serentak|2020-12-24 C Cuti bersama Natal
2020-12-25 L Hari Raya Natal|2020-12-31 C Cuti bersama pengganti Idul Fitri
2021-01-01 L Tahun Baru Masehi|2021-02-12 L Tahun Baru Imlek|2021-03-11 L Isra Mikraj
2021-03-14 L Hari Suci Nyepi|2021-04-02 L Wafat Isa Almasih|2021-05-01 L Hari Buruh Internasional
2021-05-12 C Cuti bersama Idul Fitri
2021-05-13 L Kenaikan Isa Almasih; Idul Fitri|2021-05-14 L Idul Fitri|2021-05-26 L Hari Raya Waisak
2021-06-01 L Hari Lahir Pancasila|2021-07-20 L Idul Adha|2021-08-11 L Tahun Baru Islam
2021-08-17 L Hari Kemerdekaan RI|2021-10-20 L Maulid Nabi Muhammad SAW|2021-12-25 L Hari Raya Natal
2022-01-01 L Tahun Baru Masehi|2022-02-01 L Tahun Baru Imlek|2022-02-28 L Isra Mikraj
2022-03-03 L Hari Suci Nyepi|2022-04-15 L Wafat Isa Almasih|2022-04-29 C Cuti bersama Idul Fitri
2022-05-01 L Hari Buruh Internasional|2022-05-02 L Idul Fitri|2022-05-03 L Idul Fitri
2022-05-04 C Cuti bersama Idul Fitri|2022-05-05 C Cuti bersama Idul Fitri
2022-05-06 C Cuti bersama Idul Fitri|2022-05-16 L Hari Raya Waisak|2022-05-26 L Kenaikan Isa Almasih
2022-06-01 L Hari Lahir Pancasila|2022-07-09 L Idul Adha|2022-07-30 L Tahun Baru Islam
2022-08-17 L Hari Kemerdekaan RI|2022-10-08 L Maulid Nabi Muhammad SAW|2022-12-25 L Hari Raya Natal
2023-01-01 L Tahun Baru Masehi|2023-01-22 L Tahun Baru Imlek|2023-01-23 C Cuti bersama Imlek
2023-02-18 L Isra Mikraj|2023-03-22 L Hari Suci Nyepi|2023-03-23 C Cuti bersama Nyepi
2023-04-07 L Wafat Isa Almasih|2023-04-19 C Cuti bersama Idul Fitri
2023-04-20 C Cuti bersama Idul Fitri
2023-04-21 C Cuti bersama Idul Fitri|2023-04-22 L Idul Fitri|2023-04-23 L Idul Fitri
2023-04-24 C Cuti bersama Idul Fitri|2023-04-25 C Cuti bersama Idul Fitri
2023-05-01 L Hari Buruh Internasional|2023-05-18 L Kenaikan Isa Almasih
2023-06-01 L Hari Lahir Pancasila|2023-06-02 C Cuti bersama Waisak|2023-06-04 L Hari Raya Waisak
2023-06-28 C Cuti bersama Idul Adha|2023-06-29 L Idul Adha|2023-06-30 C Cuti bersama Idul Adha
2023-07-19 L Tahun Baru Islam|2023-08-17 L Hari Kemerdekaan RI|2023-09-28 L Maulid Nabi Muhammad SAW
2023-12-25 L Hari Raya Natal|2023-12-26 C Cuti bersama Natal
2024-01-01 L Tahun Baru Masehi|2024-02-08 L Isra Mikraj|2024-02-09 C Cuti bersama Imlek
2024-02-10 L Tahun Baru Imlek|2024-02-14 L Pemilihan Umum|2024-03-11 L Hari Suci Nyepi
2024-03-12 C Cuti bersama Nyepi|2024-03-29 L Wafat Isa Almasih|2024-03-31 L Hari Paskah
2024-04-08 C Cuti bersama Idul Fitri|2024-04-09 C Cuti bersama Idul Fitri|2024-04-10 L Idul Fitri
2024-04-11 L Idul Fitri|2024-04-12 C Cuti bersama Idul Fitri|2024-04-15 C Cuti bersama Idul Fitri
2024-05-01 L Hari Buruh Internasional|2024-05-09 L Kenaikan Isa Almasih
2024-05-10 C Cuti bersama Kenaikan Isa Almasih|2024-05-23 L Hari Raya Waisak
2024-05-24 C Cuti bersama Waisak|2024-06-01 L Hari Lahir Pancasila|2024-06-17 L Idul Adha
2024-06-18 C Cuti bersama Idul Adha|2024-07-07 L Tahun Baru Islam|2024-08-17 L Hari Kemerdekaan RI
2024-09-16 L Maulid Nabi Muhammad SAW|2024-11-27 L Pilkada serentak|2024-12-25 L Hari Raya Natal
2024-12-26 C Cuti bersama Natal
2025-01-01 L Tahun Baru Masehi|2025-01-27 L Isra Mikraj|2025-01-28 C Cuti bersama Imlek
2025-01-29 L Tahun Baru Imlek|2025-03-28 C Cuti bersama Nyepi|2025-03-29 L Hari Suci Nyepi
2025-03-31 L Idul Fitri|2025-04-01 L Idul Fitri|2025-04-02 C Cuti bersama Idul Fitri
2025-04-03 C Cuti bersama Idul Fitri|2025-04-04 C Cuti bersama Idul Fitri
2025-04-07 C Cuti bersama Idul Fitri|2025-04-18 L Wafat Isa Almasih|2025-04-20 L Hari Paskah
2025-05-01 L Hari Buruh Internasional|2025-05-12 L Hari Raya Waisak|2025-05-13 C Cuti bersama Waisak
2025-05-29 L Kenaikan Isa Almasih|2025-05-30 C Cuti bersama Kenaikan Isa Almasih
2025-06-01 L Hari Lahir Pancasila|2025-06-06 L Idul Adha|2025-06-09 C Cuti bersama Idul Adha
2025-06-27 L Tahun Baru Islam|2025-08-17 L Hari Kemerdekaan RI|2025-08-18 C Cuti bersama HUT RI
2025-09-05 L Maulid Nabi Muhammad SAW|2025-12-25 L Hari Raya Natal|2025-12-26 C Cuti bersama Natal
2026-01-01 L Tahun Baru Masehi|2026-01-16 L Isra Mikraj|2026-02-16 C Cuti bersama Imlek
2026-02-17 L Tahun Baru Imlek|2026-03-18 C Cuti bersama Nyepi|2026-03-19 L Hari Suci Nyepi
2026-03-20 C Cuti bersama Idul Fitri|2026-03-21 L Idul Fitri|2026-03-22 L Idul Fitri
2026-03-23 C Cuti bersama Idul Fitri|2026-03-24 C Cuti bersama Idul Fitri
2026-04-03 L Wafat Isa Almasih|2026-04-05 L Hari Paskah|2026-05-01 L Hari Buruh Internasional
2026-05-14 L Kenaikan Isa Almasih|2026-05-15 C Cuti bersama Kenaikan Isa Almasih
2026-05-27 L Idul Adha|2026-05-28 C Cuti bersama Idul Adha|2026-05-31 L Hari Raya Waisak
2026-06-01 L Hari Lahir Pancasila|2026-06-16 L Tahun Baru Islam|2026-08-17 L Hari Kemerdekaan RI
2026-08-25 L Maulid Nabi Muhammad SAW|2026-12-24 C Cuti bersama Natal|2026-12-25 L Hari Raya Natal
2027-01-01 L Tahun Baru Masehi?|2027-01-05 L Isra Mikraj?|2027-02-06 L Tahun Baru Imlek?
2027-03-08 L Hari Suci Nyepi?|2027-03-10 L Idul Fitri?|2027-03-11 L Idul Fitri?
2027-03-26 L Wafat Isa Almasih?|2027-03-28 L Hari Paskah?|2027-05-01 L Hari Buruh Internasional?
2027-05-06 L Kenaikan Isa Almasih?|2027-05-17 L Idul Adha?|2027-05-20 L Hari Raya Waisak?
2027-06-01 L Hari Lahir Pancasila?|2027-06-06 L Tahun Baru Islam?
2027-08-15 L Maulid Nabi Muhammad SAW?
2027-08-17 L Hari Kemerdekaan RI?|2027-12-25 L Hari Raya Natal?
"""

_CALENDAR_SQL = """
create or replace temp table calendar_days as
with days as (
    select cast(d as date) as date
    from range(cast(? as timestamp), cast(? as timestamp) + interval 1 day, interval 1 day) as r(d)
), listed as (
    select unnest(?::date[]) as date, unnest(?::varchar[]) as kind, unnest(?::varchar[]) as name
), holidays as (
    select date, string_agg(name, '; ' order by name) as holiday_name,
           min(kind) as holiday_kind
    from listed group by date
), marked as (
    select days.date, holidays.holiday_name, holidays.holiday_kind,
           holidays.date is null and list_extract(?::integer[], isodow(days.date)) > 0
               as is_working_day,
           list_extract(?::integer[], isodow(days.date)) as day_minutes
    from days left join holidays on holidays.date = days.date
)
select date, is_working_day, holiday_name, holiday_kind,
       cast(sum(is_working_day::integer) over (order by date) as integer) as working_day_no,
       cast(sum(is_working_day::integer * day_minutes) over (order by date)
            - is_working_day::integer * day_minutes as bigint) as work_minutes_before
from marked
order by date
"""


def _day_minutes_sql(intervals: tuple[tuple[int, int], ...]) -> str:
    """SQL: working minutes of the day of ``p_ts`` up to ``p_ts``, for one day type."""
    return " + ".join(
        f"least(greatest(minute_of_day(p_ts) - {a}, 0), {b - a})" for a, b in intervals
    )


def _weekday_case_sql(week: WorkWeek) -> str:
    """SQL: working minutes of the day of ``p_ts`` up to ``p_ts``, by weekday (``c.date``)."""
    whens = " ".join(
        f"when {day} then {_day_minutes_sql(intervals)}"
        for day, intervals in enumerate(week, start=1)
        if intervals
    )
    return f"case isodow(c.date) {whens} else 0 end"


def macros_sql(week: WorkWeek) -> tuple[str, ...]:
    """The working-time macros for ``week`` (see :func:`install_calendar`)."""
    return (
        """create or replace temp macro minute_of_day(p_ts) as
        60 * hour(p_ts) + minute(p_ts) + second(p_ts) / 60.0""",
        f"""create or replace temp macro working_minute_of(p_ts) as (
        select c.work_minutes_before
               + case when not c.is_working_day then 0 else {_weekday_case_sql(week)} end
        from calendar_days c where c.date = cast(p_ts as date))""",
        """create or replace temp macro working_hours_between(p_start, p_end) as
        (working_minute_of(p_end) - working_minute_of(p_start)) / 60.0""",
        """create or replace temp macro working_day_no(p_day) as (
        select c.working_day_no from calendar_days c where c.date = cast(p_day as date))""",
        """create or replace temp macro working_days_between(p_start, p_end) as
        working_day_no(p_end) - working_day_no(p_start)""",
    )


class WorkWeekError(SmartIndexError):
    """A working week that is not seven days of ordered working intervals within a day."""


def week_problem(week: WorkWeek) -> str | None:
    """Why ``week`` is not a valid :data:`~smartindex.config.WorkWeek`, or None when it is."""
    if len(week) != 7:
        return f"a working week has 7 days (Monday to Sunday), got {len(week)}"
    for day, intervals in enumerate(week, start=1):
        ends = [m for interval in intervals for m in interval]
        if any(not isinstance(m, int) or isinstance(m, bool) for m in ends):
            return f"weekday {day}: interval bounds must be whole minutes"
        if any(len(interval) != 2 or interval[0] >= interval[1] for interval in intervals):
            return f"weekday {day}: every interval must be (start, end) with start < end"
        if ends != sorted(ends) or any(m < 0 or m > 24 * 60 for m in ends):
            return f"weekday {day}: intervals must be ordered, disjoint and within 00:00-24:00"
    if not any(week):
        return "a working week needs at least one working day"
    return None


def week_minutes(week: WorkWeek) -> tuple[int, ...]:
    """Working minutes of each weekday, Monday to Sunday."""
    return tuple(sum(b - a for a, b in intervals) for intervals in week)


def holiday_rows() -> list[tuple[date, str, str, bool]]:
    """Parse the holiday table into (date, kind, name, is_uncertain) tuples."""
    rows = []
    for item in _DAYS.replace("\n", "|").split("|"):
        if not item.strip():
            continue
        day, kind, name = item.strip().split(" ", 2)
        rows.append((date.fromisoformat(day), KINDS[kind], name.rstrip("?"), name.endswith("?")))
    return rows


def install_calendar(
    con: duckdb.DuckDBPyConnection,
    *,
    week: WorkWeek | None = None,
    start_year: int = START_YEAR,
    end_year: int = END_YEAR,
) -> None:
    """Create the temporary ``calendar_days`` table and the working-time macros for ``week``
    (the city's working week, ``Settings.work_week``; None = :data:`NATIONAL_WEEK`).

    Macros: ``working_hours_between(a, b)`` (working hours of ``week`` on working days: the
    national week gives 7.5 per day),
    ``working_days_between(a, b)`` (working days after the day of ``a`` up to and including the
    day of ``b``: the SLA "within n working days" holds when it is ``<= n``).
    Timestamps outside the calendar years give NULL. An invalid week raises
    :class:`WorkWeekError`.
    """
    week = NATIONAL_WEEK if week is None else week
    problem = week_problem(week)
    if problem:
        raise WorkWeekError(f"working week: {problem}")
    rows = holiday_rows()
    minutes = list(week_minutes(week))
    params = [
        f"{start_year}-01-01",
        f"{end_year}-12-31",
        [r[0] for r in rows],
        [r[1] for r in rows],
        [r[2] + (" (belum terverifikasi)" if r[3] else "") for r in rows],
        minutes,
        minutes,
    ]
    con.execute(_CALENDAR_SQL, params)
    for macro in macros_sql(week):
        con.execute(macro)


def calendar_installed(con: duckdb.DuckDBPyConnection) -> bool:
    """True when ``con`` already holds the ``calendar_days`` of :func:`install_calendar`."""
    rows = con.execute(
        "select count(*) from duckdb_tables() where temporary and table_name = 'calendar_days'"
    ).fetchall()
    return bool(rows and rows[0][0])
