"""A city profile: one TOML file holding everything smartindex assumes about a city.

Codes, names, time zone, currency, working time, kecamatan and kelurahan with their validity
(splits and merges), boundaries, peer cities, agencies (OPD) and the complaint categories they
own, where targets come from, and the default method. See ``docs/cities.md`` for every key and
the regulation behind it. ``load_profile`` validates; every error names file, line and key.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smartindex.cities.toml import TomlFile, Where, read_toml
from smartindex.config import WorkWeek

PROFILE_VERSION = 1
TIMEZONES = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}
ZONES = ("pusat", "pinggiran")
# columns of the canonical region source (smartindex/etl/sources.toml, source "region")
REGION_COLUMNS = (
    "kode_wilayah",
    "level",
    "name",
    "parent_kode",
    "is_home_city",
    "zone",
    "area_km2",
    "lat",
    "lon",
    "valid_from",
    "valid_to",
    "source",
    "is_synthetic",
)
# BPS codes: kota 4 digits, kecamatan 7, kelurahan 10; Kemendagri: 16.71, 16.71.01, 16.71.01.1001
BPS_CODE = {"kota": r"\d{4}", "kecamatan": r"\d{7}", "kelurahan": r"\d{10}"}
KEMENDAGRI_CODE = {
    "kota": r"\d{2}\.\d{2}",
    "kecamatan": r"\d{2}\.\d{2}\.\d{2}",
    "kelurahan": r"\d{2}\.\d{2}\.\d{2}\.\d{4}",
}
NAME = re.compile(r"^[0-9A-Za-z\u00C0-\u024F][0-9A-Za-z\u00C0-\u024F .,'\u2019()/-]{0,99}$")
CATEGORY = re.compile(r"^[a-z][a-z0-9_]*$")
CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")

_TOP = {"profile_version", "city", "working_time", "targets", "method", "complaints"}
_TABLES = {"kecamatan", "kelurahan", "peer", "agency"}
_CITY = {
    "bps_code",
    "kemendagri_code",
    "name_id",
    "name_en",
    "slug",
    "province",
    "timezone",
    "currency",
    "boundaries",
    "bbox",
    "area_km2",
    "lat",
    "lon",
    "source",
    "is_synthetic",
}
_WORK = {
    "regulation",
    "week_hours",
    "days",
    "day_start",
    "day_end",
    "friday_end",
    "break_minutes",
    "friday_break_minutes",
    "break_start",
    "friday_break_start",
    "holidays",
}
_AREA = {
    "code",
    "kemendagri_code",
    "name",
    "parent",
    "zone",
    "area_km2",
    "lat",
    "lon",
    "valid_from",
    "valid_to",
    "source",
    "is_synthetic",
    "note",
}
_PEER = {"code", "name", "area_km2", "lat", "lon", "source", "is_synthetic"}
_AGENCY = {"code", "name", "short", "categories"}
_TARGETS = {"document", "period", "file", "note"}
_METHOD = {"file", "normalisation", "weights", "note"}
_COMPLAINTS = {"channels", "own_channels", "sla", "note"}
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Area:
    """A kecamatan or kelurahan; ``valid_from``/``valid_to`` bound it in time (None = open)."""

    code: str
    name: str
    level: str  # kecamatan | kelurahan
    parent: str  # the kota code for a kecamatan, the kecamatan code for a kelurahan
    kemendagri_code: str | None = None
    zone: str | None = None  # pusat | pinggiran
    area_km2: float | None = None
    lat: float | None = None
    lon: float | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None  # first day it no longer exists (exclusive)
    source: str = ""
    is_synthetic: bool = False

    def active_on(self, on: dt.date) -> bool:
        """True when the unit exists on ``on``."""
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or on < self.valid_to
        )


@dataclass(frozen=True)
class Peer:
    """A peer city the index compares against."""

    code: str
    name: str
    area_km2: float | None = None
    lat: float | None = None
    lon: float | None = None
    source: str = ""
    is_synthetic: bool = False


@dataclass(frozen=True)
class Agency:
    """A city agency (OPD) and the complaint categories it owns."""

    code: str
    name: str
    short: str
    categories: tuple[str, ...]


@dataclass(frozen=True)
class WorkingTime:
    """Civil-service working time of the city, validated (national default: Perpres 21/2023,
    37.5 h over five days). Every working day runs ``day_start``-``day_end`` less a break of
    ``break_minutes`` from ``break_start``; Friday ends at ``friday_end`` and breaks
    ``friday_break_minutes`` from ``friday_break_start``. :func:`work_week` turns it into the
    :data:`~smartindex.config.WorkWeek` the calendar uses; ``week_hours`` equals its total."""

    regulation: str
    week_hours: float
    days: tuple[str, ...]
    day_start: dt.time
    day_end: dt.time
    friday_end: dt.time
    break_minutes: int
    friday_break_minutes: int
    holidays: str
    break_start: dt.time = dt.time(12, 0)
    friday_break_start: dt.time = dt.time(11, 30)  # before the Friday prayer


@dataclass(frozen=True)
class Targets:
    """Where the city's targets come from (a planning document such as the RPJMD)."""

    document: str
    period: str = ""
    file: Path | None = None
    note: str = ""


@dataclass(frozen=True)
class Method:
    """The default method: a method TOML (None = the packaged default) and its summary."""

    file: Path | None
    normalisation: str
    weights: str
    note: str = ""


@dataclass(frozen=True)
class CityProfile:
    """Everything smartindex assumes about one city, validated."""

    path: Path
    bps_code: str
    kemendagri_code: str
    name_id: str
    name_en: str
    slug: str
    province: str
    timezone: str
    currency: str
    working_time: WorkingTime
    kecamatan: tuple[Area, ...]
    kelurahan: tuple[Area, ...]
    peers: tuple[Peer, ...]
    agencies: tuple[Agency, ...]
    targets: Targets
    method: Method
    boundaries: Path | None = None
    bbox: Mapping[str, tuple[float, float]] | None = None
    complaint_channels: tuple[str, ...] = ()
    # the city's own channels (e.g. a city app), not in the shared vocabulary of sources.toml
    own_channels: tuple[str, ...] = ()
    sla: str = ""
    area_km2: float | None = None
    lat: float | None = None
    lon: float | None = None
    source: str = ""
    is_synthetic: bool = False

    @property
    def tz_abbreviation(self) -> str:
        """WIB, WITA or WIT."""
        return TIMEZONES[self.timezone]

    @property
    def units(self) -> tuple[Area, ...]:
        """Kecamatan then kelurahan."""
        return (*self.kecamatan, *self.kelurahan)


# ---------------------------------------------------------------- typed getters


def _table(f: TomlFile, where: Where, allowed: set[str]) -> Mapping[str, Any]:
    value: Any = f.doc
    for part in where:
        if isinstance(value, dict) and isinstance(part, str):
            value = value.get(part)
        elif isinstance(value, list) and isinstance(part, int):
            value = value[part]
    if not isinstance(value, dict):
        raise f.error(where, "is missing" if value is None else "must be a table")
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise f.error((*where, unknown[0]), f"unknown key (allowed: {', '.join(sorted(allowed))})")
    return value


def _str(
    f: TomlFile, t: Mapping[str, Any], where: Where, key: str, *, default: str | None = None
) -> str:
    value = t.get(key, default)
    if not isinstance(value, str) or (default is None and not value.strip()):
        raise f.error((*where, key), "must be a non-empty text" if key in t else "is missing")
    return value


def _opt_str(f: TomlFile, t: Mapping[str, Any], where: Where, key: str) -> str | None:
    value = t.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise f.error((*where, key), "must be a text")
    return value


def _num(
    f: TomlFile, t: Mapping[str, Any], where: Where, key: str, bounds: tuple[float, float]
) -> float | None:
    lo, hi = bounds
    value = t.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not lo <= value <= hi:
        raise f.error((*where, key), f"must be a number between {lo:g} and {hi:g}, got {value!r}")
    return float(value)


def _bool(f: TomlFile, t: Mapping[str, Any], where: Where, key: str) -> bool:
    value = t.get(key, False)
    if not isinstance(value, bool):
        raise f.error((*where, key), f"must be true or false, got {value!r}")
    return value


def _date(f: TomlFile, t: Mapping[str, Any], where: Where, key: str) -> dt.date | None:
    value = t.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise f.error((*where, key), f"must be a date written YYYY-MM-DD, got {value!r}")
    return value


def _code(f: TomlFile, t: Mapping[str, Any], where: Where, key: str, pattern: str) -> str:
    value = _str(f, t, where, key)
    if not re.fullmatch(pattern, value):
        raise f.error((*where, key), f"{value!r} is not a code of the form {pattern}")
    return value


def _name(f: TomlFile, t: Mapping[str, Any], where: Where, key: str) -> str:
    value = _str(f, t, where, key)
    if not NAME.match(value):
        raise f.error(
            (*where, key), f"{value!r} may hold only letters, digits, spaces and . , ' ( ) / -"
        )
    return value


def _clock(f: TomlFile, t: Mapping[str, Any], where: Where, key: str) -> dt.time:
    value = t.get(key)
    if isinstance(value, dt.time) and not (value.second or value.microsecond or value.tzinfo):
        return value
    if not isinstance(value, str) or not CLOCK.match(value):
        raise f.error((*where, key), f"must be a time of day HH:MM, got {value!r}")
    return dt.time.fromisoformat(value)


def _clock_or(
    f: TomlFile, t: Mapping[str, Any], where: Where, key: str, default: dt.time
) -> dt.time:
    return _clock(f, t, where, key) if key in t else default


def _list(f: TomlFile, t: Mapping[str, Any], where: Where, key: str) -> tuple[str, ...]:
    value = t.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise f.error((*where, key), "must be a list of texts")
    return tuple(value)


def _path(f: TomlFile, t: Mapping[str, Any], where: Where, key: str) -> Path | None:
    value = _opt_str(f, t, where, key)
    return None if value is None else (f.path.parent / value)


def _items(f: TomlFile, name: str) -> list[Any]:
    value = f.doc.get(name, [])
    if not isinstance(value, list):
        raise f.error((name,), f"must be written as [[{name}]] tables")
    return value


# ---------------------------------------------------------------- sections


def _area(f: TomlFile, where: Where, level: str, city: str) -> Area:
    t = _table(f, where, _AREA)
    code = _code(f, t, where, "code", BPS_CODE[level])
    if level == "kecamatan":
        parent = city
        if "parent" in t and t["parent"] != city:
            raise f.error((*where, "parent"), f"a kecamatan's parent is the city {city}")
    else:
        parent = _code(f, t, where, "parent", BPS_CODE["kecamatan"])
    if level == "kecamatan" and not code.startswith(parent):
        raise f.error((*where, "code"), f"code {code} does not start with the city's {parent}")
    kemendagri = _opt_str(f, t, where, "kemendagri_code")
    if kemendagri is not None and not re.fullmatch(KEMENDAGRI_CODE[level], kemendagri):
        raise f.error((*where, "kemendagri_code"), f"{kemendagri!r} is not a Kemendagri code")
    zone = _opt_str(f, t, where, "zone")
    if zone is not None and zone not in ZONES:
        raise f.error((*where, "zone"), f"must be one of {', '.join(ZONES)}, got {zone!r}")
    area = Area(
        code=code,
        name=_name(f, t, where, "name"),
        level=level,
        parent=parent,
        kemendagri_code=kemendagri,
        zone=zone,
        area_km2=_num(f, t, where, "area_km2", (0.01, 5000)),
        lat=_num(f, t, where, "lat", (-90, 90)),
        lon=_num(f, t, where, "lon", (-180, 180)),
        valid_from=_date(f, t, where, "valid_from"),
        valid_to=_date(f, t, where, "valid_to"),
        source=_str(f, t, where, "source", default=""),
        is_synthetic=_bool(f, t, where, "is_synthetic"),
    )
    if area.valid_from and area.valid_to and area.valid_to <= area.valid_from:
        raise f.error((*where, "valid_to"), "must be after valid_from")
    return area


def _units(f: TomlFile, city: str) -> tuple[tuple[Area, ...], tuple[Area, ...]]:
    kec = tuple(
        _area(f, ("kecamatan", i), "kecamatan", city) for i in range(len(_items(f, "kecamatan")))
    )
    kel = tuple(
        _area(f, ("kelurahan", i), "kelurahan", city) for i in range(len(_items(f, "kelurahan")))
    )
    seen: set[str] = set()
    for table, units in (("kecamatan", kec), ("kelurahan", kel)):
        for i, unit in enumerate(units):
            if unit.code in seen:
                raise f.error((table, i, "code"), f"code {unit.code} appears twice")
            seen.add(unit.code)
    kec_codes = {k.code for k in kec}
    for i, unit in enumerate(kel):
        if unit.parent not in kec_codes:
            raise f.error(("kelurahan", i, "parent"), f"no [[kecamatan]] has code {unit.parent}")
        if not unit.code.startswith(unit.parent):
            raise f.error(
                ("kelurahan", i, "code"),
                f"code {unit.code} does not start with its parent's {unit.parent}",
            )
    return kec, kel


NATIONAL_WORKING_TIME = WorkingTime(
    regulation="Perpres 21/2023 (Hari Kerja dan Jam Kerja Instansi Pemerintah dan Pegawai ASN)",
    week_hours=37.5,
    days=_DAYS[:5],
    day_start=dt.time(7, 30),
    day_end=dt.time(16, 0),
    friday_end=dt.time(16, 30),
    break_minutes=60,
    friday_break_minutes=90,
    holidays="SKB Menag, Menaker, MenPANRB: Hari Libur Nasional dan Cuti Bersama",
    break_start=dt.time(12, 0),
    friday_break_start=dt.time(11, 30),
)
"""The national civil-service default used when a profile has no [working_time] table:
Monday-Thursday 07:30-12:00 and 13:00-16:00, Friday 07:30-11:30 and 13:00-16:30."""
_FRIDAY_KEYS = ("friday_end", "friday_break_minutes", "friday_break_start")


def _minutes_of(clock: dt.time) -> int:
    return 60 * clock.hour + clock.minute


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def day_intervals(
    start: dt.time, end: dt.time, break_start: dt.time, break_minutes: int
) -> tuple[tuple[int, int], ...]:
    """A working day ``start``-``end`` less ``break_minutes`` from ``break_start``, as
    intervals in minutes after midnight."""
    a, b, pause = _minutes_of(start), _minutes_of(end), _minutes_of(break_start)
    if not break_minutes:
        return ((a, b),)
    return ((a, pause), (pause + break_minutes, b))


def work_week(work: WorkingTime) -> WorkWeek:
    """The working intervals of each weekday, Monday to Sunday (``()`` = not a working day)."""
    return tuple(
        ()
        if day not in work.days
        else day_intervals(
            work.day_start, work.friday_end, work.friday_break_start, work.friday_break_minutes
        )
        if day == "fri"
        else day_intervals(work.day_start, work.day_end, work.break_start, work.break_minutes)
        for day in _DAYS
    )


def week_hours_of(work: WorkingTime) -> float:
    """Working hours a week that the days, hours and breaks of ``work`` give."""
    return sum(b - a for day in work_week(work) for a, b in day) / 60


def _whole_minutes(f: TomlFile, t: Mapping[str, Any], where: Where, key: str, default: int) -> int:
    value = _num(f, t, where, key, (0, 240))
    if value is None:
        return default
    if value != int(value):
        raise f.error((*where, key), f"must be a whole number of minutes, got {value:g}")
    return int(value)


def _work_days(f: TomlFile, t: Mapping[str, Any], where: Where) -> tuple[str, ...]:
    if "days" not in t:
        return _DAYS[:5]
    days = _list(f, t, where, "days")
    if not days or not set(days) <= set(_DAYS) or len(set(days)) != len(days):
        raise f.error(
            (*where, "days"), f"must list distinct days among {', '.join(_DAYS)}, got {list(days)}"
        )
    return tuple(d for d in _DAYS if d in days)


def _check_day(f: TomlFile, where: Where, work: WorkingTime, friday: bool) -> None:
    """The day ends after it starts and its break lies inside it."""
    end_key, pause_key, start_key = (
        ("friday_end", "friday_break_minutes", "friday_break_start")
        if friday
        else ("day_end", "break_minutes", "break_start")
    )
    start, end = _minutes_of(work.day_start), _minutes_of(getattr(work, end_key))
    minutes, pause = getattr(work, pause_key), _minutes_of(getattr(work, start_key))
    if end <= start:
        raise f.error((*where, end_key), f"must be later than day_start {_hhmm(start)}")
    if minutes and not start < pause < pause + minutes < end:
        raise f.error(
            (*where, start_key),
            f"the {minutes}-minute break from {_hhmm(pause)} must lie inside the working day "
            f"{_hhmm(start)}-{_hhmm(end)}",
        )


def _working_time(f: TomlFile) -> WorkingTime:
    where: Where = ("working_time",)
    if "working_time" not in f.doc:
        return NATIONAL_WORKING_TIME
    t = _table(f, where, _WORK)
    days = _work_days(f, t, where)
    if "fri" not in days:
        for key in _FRIDAY_KEYS:
            if key in t:
                raise f.error((*where, key), "is given but fri is not among the working days")
    national = NATIONAL_WORKING_TIME
    pause = _whole_minutes(f, t, where, "break_minutes", national.break_minutes)
    day_end = _clock_or(f, t, where, "day_end", national.day_end)
    work = WorkingTime(
        regulation=_str(f, t, where, "regulation"),
        week_hours=_num(f, t, where, "week_hours", (1, 60)) or 0.0,
        days=days,
        day_start=_clock_or(f, t, where, "day_start", national.day_start),
        day_end=day_end,
        friday_end=_clock_or(f, t, where, "friday_end", day_end),
        break_minutes=pause,
        friday_break_minutes=_whole_minutes(f, t, where, "friday_break_minutes", pause),
        holidays=_str(f, t, where, "holidays", default=""),
        break_start=_clock_or(f, t, where, "break_start", national.break_start),
        friday_break_start=_clock_or(
            f, t, where, "friday_break_start", national.friday_break_start
        ),
    )
    if not work.week_hours:
        raise f.error((*where, "week_hours"), "is missing")
    _check_day(f, where, work, friday=False)
    if "fri" in days:
        _check_day(f, where, work, friday=True)
    given = week_hours_of(work)
    if abs(given - work.week_hours) > 1e-9:
        raise f.error(
            (*where, "week_hours"),
            f"is {work.week_hours:g} but days, day_start, day_end, friday_end and the breaks "
            f"give {given:g} hours a week",
        )
    return work


def _peers(f: TomlFile, city: str) -> tuple[Peer, ...]:
    out: list[Peer] = []
    for i in range(len(_items(f, "peer"))):
        where: Where = ("peer", i)
        t = _table(f, where, _PEER)
        code = _code(f, t, where, "code", BPS_CODE["kota"])
        if code == city or code in {p.code for p in out}:
            raise f.error((*where, "code"), f"code {code} is the city itself or appears twice")
        out.append(
            Peer(
                code=code,
                name=_name(f, t, where, "name"),
                area_km2=_num(f, t, where, "area_km2", (0.01, 5000)),
                lat=_num(f, t, where, "lat", (-90, 90)),
                lon=_num(f, t, where, "lon", (-180, 180)),
                source=_str(f, t, where, "source", default=""),
                is_synthetic=_bool(f, t, where, "is_synthetic"),
            )
        )
    return tuple(out)


def _agencies(f: TomlFile) -> tuple[Agency, ...]:
    out: list[Agency] = []
    for i in range(len(_items(f, "agency"))):
        where: Where = ("agency", i)
        t = _table(f, where, _AGENCY)
        categories = _list(f, t, where, "categories")
        bad = [c for c in categories if not CATEGORY.match(c)]
        if bad:
            raise f.error(
                (*where, "categories"), f"{bad[0]!r} is not a category code (a-z, 0-9, _)"
            )
        name = _str(f, t, where, "name")
        out.append(
            Agency(
                code=_str(f, t, where, "code"),
                name=name,
                short=_str(f, t, where, "short", default=name) or name,
                categories=categories,
            )
        )
    codes = [a.code for a in out]
    for i, code in enumerate(codes):
        if code in codes[:i]:
            raise f.error(("agency", i, "code"), f"agency code {code!r} appears twice")
    return tuple(out)


def _city(f: TomlFile) -> Mapping[str, Any]:
    where: Where = ("city",)
    t = _table(f, where, _CITY)
    code = _code(f, t, where, "bps_code", BPS_CODE["kota"])
    kemendagri = _code(f, t, where, "kemendagri_code", KEMENDAGRI_CODE["kota"])
    if kemendagri.replace(".", "") != code:
        raise f.error((*where, "kemendagri_code"), f"{kemendagri} does not match bps_code {code}")
    timezone = _str(f, t, where, "timezone")
    if timezone not in TIMEZONES:
        raise f.error((*where, "timezone"), f"must be one of {', '.join(TIMEZONES)}")
    currency = _str(f, t, where, "currency", default="IDR")
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise f.error(
            (*where, "currency"), f"must be an ISO 4217 code such as IDR, got {currency!r}"
        )
    name_id = _name(f, t, where, "name_id")
    default = re.sub(r"[^a-z0-9]+", "-", name_id.lower().removeprefix("kota ")).strip("-")
    slug = _str(f, t, where, "slug", default=default)
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug):
        raise f.error((*where, "slug"), f"must be lower-case letters, digits and -, got {slug!r}")
    return {
        "bps_code": code,
        "kemendagri_code": kemendagri,
        "name_id": name_id,
        "name_en": _name(f, t, where, "name_en") if "name_en" in t else name_id,
        "slug": slug,
        "province": _str(f, t, where, "province", default=""),
        "timezone": timezone,
        "currency": currency,
        "boundaries": _path(f, t, where, "boundaries"),
        "bbox": _bbox(f, t, where),
        "area_km2": _num(f, t, where, "area_km2", (0.01, 5000)),
        "lat": _num(f, t, where, "lat", (-90, 90)),
        "lon": _num(f, t, where, "lon", (-180, 180)),
        "source": _str(f, t, where, "source", default=""),
        "is_synthetic": _bool(f, t, where, "is_synthetic"),
    }


def _bbox(f: TomlFile, t: Mapping[str, Any], where: Where) -> dict[str, tuple[float, float]] | None:
    value = t.get("bbox")
    if value is None:
        return None
    ok = isinstance(value, dict) and set(value) == {"lat", "lon"}
    pairs = [value[k] for k in ("lat", "lon")] if ok else []
    if not ok or not all(
        isinstance(p, list)
        and len(p) == 2
        and all(isinstance(x, int | float) for x in p)
        and p[0] < p[1]
        for p in pairs
    ):
        raise f.error((*where, "bbox"), "must be { lat = [south, north], lon = [west, east] }")
    return {
        "lat": (float(pairs[0][0]), float(pairs[0][1])),
        "lon": (float(pairs[1][0]), float(pairs[1][1])),
    }


def _targets(f: TomlFile) -> Targets:
    where: Where = ("targets",)
    t = _table(f, where, _TARGETS) if "targets" in f.doc else {}
    return Targets(
        document=_str(f, t, where, "document", default=""),
        period=_str(f, t, where, "period", default=""),
        file=_path(f, t, where, "file"),
        note=_str(f, t, where, "note", default=""),
    )


def _method(f: TomlFile) -> Method:
    where: Where = ("method",)
    t = _table(f, where, _METHOD) if "method" in f.doc else {}
    return Method(
        file=_path(f, t, where, "file"),
        normalisation=_str(f, t, where, "normalisation", default="minmax"),
        weights=_str(f, t, where, "weights", default="framework"),
        note=_str(f, t, where, "note", default=""),
    )


def parse_profile(f: TomlFile) -> CityProfile:
    """Validate a parsed profile (see :func:`load_profile`)."""
    unknown = sorted(set(f.doc) - _TOP - _TABLES)
    if unknown:
        raise f.error((unknown[0],), "unknown key or table")
    if f.doc.get("profile_version", PROFILE_VERSION) != PROFILE_VERSION:
        raise f.error(("profile_version",), f"this smartindex reads version {PROFILE_VERSION}")
    city = _city(f)
    complaints = _table(f, ("complaints",), _COMPLAINTS) if "complaints" in f.doc else {}
    kec, kel = _units(f, city["bps_code"])
    return CityProfile(
        path=f.path,
        working_time=_working_time(f),
        kecamatan=kec,
        kelurahan=kel,
        peers=_peers(f, city["bps_code"]),
        agencies=_agencies(f),
        targets=_targets(f),
        method=_method(f),
        complaint_channels=_list(f, complaints, ("complaints",), "channels"),
        own_channels=_list(f, complaints, ("complaints",), "own_channels"),
        sla=_str(f, complaints, ("complaints",), "sla", default=""),
        **city,
    )


def load_profile(path: Path | str) -> CityProfile:
    """Read and validate a city profile TOML; errors name the file, the line and the key."""
    return parse_profile(read_toml(Path(path)))


# ---------------------------------------------------------------- views


def areas(profile: CityProfile, on: dt.date | None = None) -> dict[str, str]:
    """The city and the kecamatan and kelurahan that exist on ``on`` (all of them when None),
    code -> official name (what a mapping matches area names and codes against)."""
    units = {u.code: u.name for u in profile.units if on is None or u.active_on(on)}
    return {profile.bps_code: profile.name_id, **units}


def region_rows(profile: CityProfile) -> list[dict[str, Any]]:
    """The profile as rows of the canonical ``region`` source: the city, its kecamatan and
    kelurahan, then the peer cities (columns :data:`REGION_COLUMNS`)."""
    city = {
        "kode_wilayah": profile.bps_code,
        "level": "kota",
        "name": profile.name_id,
        "parent_kode": None,
        "is_home_city": True,
        "zone": None,
        "area_km2": profile.area_km2,
        "lat": profile.lat,
        "lon": profile.lon,
        "valid_from": None,
        "valid_to": None,
        "source": profile.source,
        "is_synthetic": profile.is_synthetic,
    }
    units = [
        {
            "kode_wilayah": u.code,
            "level": u.level,
            "name": u.name,
            "parent_kode": u.parent,
            "is_home_city": True,
            "zone": u.zone,
            "area_km2": u.area_km2,
            "lat": u.lat,
            "lon": u.lon,
            "valid_from": u.valid_from,
            "valid_to": u.valid_to,
            "source": u.source,
            "is_synthetic": u.is_synthetic,
        }
        for u in profile.units
    ]
    peers = [
        {
            **dict.fromkeys(REGION_COLUMNS),
            "kode_wilayah": p.code,
            "level": "kota",
            "name": p.name,
            "is_home_city": False,
            "area_km2": p.area_km2,
            "lat": p.lat,
            "lon": p.lon,
            "source": p.source,
            "is_synthetic": p.is_synthetic,
        }
        for p in profile.peers
    ]
    return [city, *units, *peers]


def category_owners(profile: CityProfile) -> dict[str, tuple[str, ...]]:
    """Complaint category -> the agencies (short names) that own it."""
    out: dict[str, list[str]] = {}
    for agency in profile.agencies:
        for category in agency.categories:
            out.setdefault(category, []).append(agency.short)
    return {c: tuple(a) for c, a in out.items()}


# provinces (first two digits of the BPS code) by time zone (Keppres 41/1987)
_WITA = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
_WIT = {"81", "82", "91", "92", "93", "94", "95", "96", "97"}


def timezone_for_code(bps_code: str) -> str:
    """The time zone of a city from its province code: WITA for Bali, Nusa Tenggara, South,
    East and North Kalimantan and Sulawesi; WIT for Maluku and Papua; WIB elsewhere."""
    province = bps_code[:2]
    if province in _WITA:
        return "Asia/Makassar"
    return "Asia/Jayapura" if province in _WIT else "Asia/Jakarta"


__all__ = [
    "NATIONAL_WORKING_TIME",
    "REGION_COLUMNS",
    "TIMEZONES",
    "Agency",
    "Area",
    "CityProfile",
    "Method",
    "Peer",
    "Targets",
    "WorkingTime",
    "areas",
    "category_owners",
    "day_intervals",
    "load_profile",
    "parse_profile",
    "region_rows",
    "timezone_for_code",
    "week_hours_of",
    "work_week",
]
