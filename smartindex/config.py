"""Explicit settings. ``Settings.from_env`` is the only place that reads the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

LANGS = ("id", "en")  # Bahasa Indonesia first: the default language of every face
DEFAULT_LANG = "id"
DEFAULT_DB = Path("data/warehouse.duckdb")
DEFAULT_RAW = Path("data/raw")
DEFAULT_REPORTS = Path("reports")
DEFAULT_BOUNDARIES = Path("data/boundaries/palembang/kelurahan.geojson")  # see data/README.md
DEFAULT_TIMEZONE = "Asia/Jakarta"  # WIB, Palembang's zone
# Used only when no key is configured; documented as unsafe for production in the README.
DEMO_PSEUDONYM_KEY = "smartindex-demo-key-change-me"


@dataclass(frozen=True)
class Settings:
    """Where things live and the secrets a run needs; pass it explicitly."""

    db_path: Path = DEFAULT_DB
    raw_dir: Path = DEFAULT_RAW
    reports_dir: Path = DEFAULT_REPORTS
    city_code: str = "1671"
    pseudonym_key: str = field(default=DEMO_PSEUDONYM_KEY, repr=False)
    threads: int = 2
    # the city's time zone: raw timestamps without an offset are local time in it, and
    # timestamps with an offset are converted to it at load (IANA name)
    timezone: str = DEFAULT_TIMEZONE
    # kelurahan/kecamatan polygons for maps (GeoJSON with licence members); missing = a warning
    boundaries_path: Path = DEFAULT_BOUNDARIES

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
        )
        clean: dict[str, Any] = {
            k: (Path(v) if k.endswith(("_path", "_dir")) else v)
            for k, v in overrides.items()
            if v is not None
        }
        return replace(base, **clean)


def check_lang(lang: str) -> str:
    """Return ``lang`` if supported, else the default (Bahasa Indonesia)."""
    return lang if lang in LANGS else DEFAULT_LANG
