"""City profiles: one TOML file per city holding every city-specific assumption."""

from __future__ import annotations

from smartindex.cities.profile import (
    NATIONAL_WORKING_TIME,
    REGION_COLUMNS,
    TIMEZONES,
    Agency,
    Area,
    CityProfile,
    Method,
    Peer,
    Targets,
    WorkingTime,
    areas,
    category_owners,
    load_profile,
    region_rows,
    timezone_for_code,
    week_hours_of,
    work_week,
)
from smartindex.cities.settings import (
    CityNotFoundError,
    default_profile,
    find_profile,
    load_city,
    profiles,
    settings_for,
)

__all__ = [
    "NATIONAL_WORKING_TIME",
    "REGION_COLUMNS",
    "TIMEZONES",
    "Agency",
    "Area",
    "CityNotFoundError",
    "CityProfile",
    "Method",
    "Peer",
    "Targets",
    "WorkingTime",
    "areas",
    "category_owners",
    "default_profile",
    "find_profile",
    "load_city",
    "load_profile",
    "profiles",
    "region_rows",
    "settings_for",
    "timezone_for_code",
    "week_hours_of",
    "work_week",
]
