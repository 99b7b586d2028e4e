"""From a city profile to the explicit ``Settings`` of a run, and finding a profile by name.

``--city`` accepts a slug (a folder ``data/cities/<slug>/profile.toml``), a path to a
``profile.toml`` or a workspace folder holding one (``smartindex init``).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from smartindex.cities.profile import CityProfile, load_profile, work_week
from smartindex.config import DEFAULT_CITIES, Settings
from smartindex.errors import SmartIndexError

PROFILE = "profile.toml"


class CityNotFoundError(SmartIndexError):
    """``--city`` names no profile, or no city can be chosen by default (a usage error)."""


def settings_for(profile: CityProfile, base: Settings | None = None, **overrides: Any) -> Settings:
    """``base`` (default: ``Settings()``) with the city of ``profile``: code, name, slug,
    time zone, bounding box, complaint channels, boundary polygons, method file and working
    week (``[working_time]``, see :func:`~smartindex.cities.profile.work_week`); then
    ``overrides`` (``None`` values are ignored)."""
    city = {
        "city_code": profile.bps_code,
        "city_name": profile.name_id,
        "city_slug": profile.slug,
        "profile_path": profile.path,
        "timezone": profile.timezone,
        "bbox": dict(profile.bbox) if profile.bbox else None,
        "complaint_channels": tuple(profile.complaint_channels) or None,
        "boundaries_path": profile.boundaries,
        "method_path": profile.method.file,
        "work_week": work_week(profile.working_time),
    }
    given = {k: v for k, v in overrides.items() if v is not None}
    return replace(base or Settings(), **{**city, **given})


def profiles(cities_dir: Path = DEFAULT_CITIES) -> dict[str, Path]:
    """slug (the folder name) -> profile path of every ``<cities_dir>/<slug>/profile.toml``."""
    return {p.parent.name: p for p in sorted(Path(cities_dir).glob(f"*/{PROFILE}"))}


def profiles_by_code(cities_dir: Path = DEFAULT_CITIES) -> dict[str, str]:
    """BPS code -> slug of every profile under ``cities_dir``."""
    return {load_profile(p).bps_code: slug for slug, p in profiles(cities_dir).items()}


def find_profile(city: str, cities_dir: Path = DEFAULT_CITIES) -> Path:
    """The profile ``city`` names: a slug under ``cities_dir``, the BPS code of one, a
    ``profile.toml`` or a folder holding one; :class:`CityNotFoundError` lists the slugs
    present otherwise."""
    known = profiles(cities_dir)
    if city in known:
        return known[city]
    if city.isdigit():
        slug = profiles_by_code(cities_dir).get(city)
        if slug is not None:
            return known[slug]
    path = Path(city)
    if path.is_dir() and (path / PROFILE).is_file():
        return path / PROFILE
    if path.is_file() and path.suffix == ".toml":
        return path
    raise CityNotFoundError(f"--city {city!r}: no such city; {choices(known, cities_dir)}")


def choices(known: dict[str, Path], cities_dir: Path = DEFAULT_CITIES) -> str:
    """One sentence listing the cities ``--city`` accepts."""
    if not known:
        return f"no profiles in {cities_dir}; give a profile.toml or a workspace folder"
    return f"choose one of {', '.join(sorted(known))} (profiles in {cities_dir}) or give a path"


def default_profile(home_code: str | None = None, cities_dir: Path = DEFAULT_CITIES) -> CityProfile:
    """The city when ``--city`` is not given: the profile whose code is ``home_code`` (the
    city the warehouse or a staged region.csv holds), else the only profile under
    ``cities_dir``."""
    known = profiles(cities_dir)
    if home_code is not None:
        for path in known.values():
            profile = load_profile(path)
            if profile.bps_code == home_code:
                return profile
        raise CityNotFoundError(
            f"give --city: the data hold city {home_code}, which has no profile in "
            f"{cities_dir}; give its profile.toml or workspace folder"
        )
    if len(known) == 1:
        return load_profile(next(iter(known.values())))
    raise CityNotFoundError(f"give --city: {choices(known, cities_dir)}")


def load_city(
    city: str | None, *, home_code: str | None = None, cities_dir: Path = DEFAULT_CITIES
) -> CityProfile:
    """The profile named by ``--city`` (slug, profile.toml or workspace folder) or, without
    one, :func:`default_profile`."""
    if city:
        return load_profile(find_profile(city, cities_dir))
    return default_profile(home_code, cities_dir)
