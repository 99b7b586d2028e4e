"""Explicit settings. ``Settings.from_env`` is the only place that reads the environment.

The city a run is about comes from a city profile (``data/cities/<slug>/profile.toml``):
``smartindex.cities.settings_for(profile, db_path=...)`` fills the city fields below. Without a
profile the city fields are empty and each step takes the city from the data (the warehouse's
``region.is_home_city``) or from the only profile under ``data/cities``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

LANGS = ("id", "en")  # Bahasa Indonesia first: the default language of every face
DEFAULT_LANG = "id"
DEFAULT_DB = Path("data/warehouse.duckdb")
DEFAULT_RAW = Path("data/raw")
DEFAULT_REPORTS = Path("reports")
DEFAULT_CITIES = Path("data/cities")  # one folder per city: <slug>/profile.toml
DEFAULT_TIMEZONE = "Asia/Jakarta"  # WIB; a profile's [city] timezone replaces it
WorkWeek = tuple[tuple[tuple[int, int], ...], ...]
"""A working week as plain data: seven entries, Monday to Sunday, each the day's working
intervals ``(start, end)`` in minutes after local midnight, without breaks (``()`` = not a
working day). A city's comes from its profile's ``[working_time]``
(``smartindex.cities.work_week``); ``smartindex.indicators.calendar.NATIONAL_WEEK`` is the
national default (Perpres 21/2023)."""
# Used only when no key is configured; documented as unsafe for production in the README.
DEMO_PSEUDONYM_KEY = "smartindex-demo-key-change-me"


@dataclass(frozen=True)
class Settings:
    """Where things live and the secrets a run needs; pass it explicitly."""

    db_path: Path = DEFAULT_DB
    raw_dir: Path = DEFAULT_RAW
    reports_dir: Path = DEFAULT_REPORTS
    # the city (from a profile, see smartindex.cities.settings_for); None = from the data
    city_code: str | None = None
    city_name: str | None = None
    city_slug: str | None = None
    profile_path: Path | None = None
    # coordinate checks of the ETL: {"lat": (south, north), "lon": (west, east)}
    bbox: Mapping[str, tuple[float, float]] | None = None
    # canonical complaint channel codes the city uses (the ETL's channel check)
    complaint_channels: tuple[str, ...] | None = None
    # the method TOML of `smartindex score` (None = the packaged default.toml)
    method_path: Path | None = None
    pseudonym_key: str = field(default=DEMO_PSEUDONYM_KEY, repr=False)
    threads: int = 2
    # the city's time zone: raw timestamps without an offset are local time in it, and
    # timestamps with an offset are converted to it at load (IANA name)
    timezone: str = DEFAULT_TIMEZONE
    # kelurahan/kecamatan polygons for maps (GeoJSON with licence members); missing = a warning
    boundaries_path: Path | None = None
    # the city's working week (profile [working_time]) for working hours and days of the
    # complaint indicators; None = the national week (indicators.calendar.NATIONAL_WEEK)
    work_week: WorkWeek | None = None

    @classmethod
    def from_env(cls, **overrides: Any) -> Settings:
        """Settings from ``SMARTINDEX_*`` environment variables, then explicit overrides
        (``None`` values are ignored; ``*_path`` / ``*_dir`` values become paths)."""
        env = os.environ
        base = cls(
            db_path=Path(env.get("SMARTINDEX_DB", DEFAULT_DB)),
            raw_dir=Path(env.get("SMARTINDEX_RAW", DEFAULT_RAW)),
            reports_dir=Path(env.get("SMARTINDEX_REPORTS", DEFAULT_REPORTS)),
            pseudonym_key=env.get("SMARTINDEX_PSEUDONYM_KEY", DEMO_PSEUDONYM_KEY),
            timezone=env.get("SMARTINDEX_TIMEZONE", DEFAULT_TIMEZONE),
            city_code=env.get("SMARTINDEX_CITY") or None,
        )
        clean: dict[str, Any] = {
            k: (Path(v) if k.endswith(("_path", "_dir")) else v)
            for k, v in overrides.items()
            if v is not None
        }
        return replace(base, **clean)


def cities_dir() -> Path:
    """Where city profiles are found: ``data/cities`` of the working folder, else that of the
    source checkout smartindex runs from (so a command run elsewhere finds the bundled city)."""
    checkout = Path(__file__).resolve().parent.parent / DEFAULT_CITIES
    return DEFAULT_CITIES if DEFAULT_CITIES.is_dir() or not checkout.is_dir() else checkout


def check_lang(lang: str) -> str:
    """Return ``lang`` if supported, else the default (Bahasa Indonesia)."""
    return lang if lang in LANGS else DEFAULT_LANG
