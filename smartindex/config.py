"""Explicit settings. ``Settings.from_env`` is the only place that reads the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

DEFAULT_DB = Path("data/warehouse.duckdb")
DEFAULT_RAW = Path("data/raw")
DEFAULT_REPORTS = Path("reports")
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

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Settings from ``SMARTINDEX_*`` environment variables, then explicit overrides."""
        env = os.environ
        base = cls(
            db_path=Path(env.get("SMARTINDEX_DB", DEFAULT_DB)),
            raw_dir=Path(env.get("SMARTINDEX_RAW", DEFAULT_RAW)),
            reports_dir=Path(env.get("SMARTINDEX_REPORTS", DEFAULT_REPORTS)),
            pseudonym_key=env.get("SMARTINDEX_PSEUDONYM_KEY", DEMO_PSEUDONYM_KEY),
        )
        clean = {
            k: (Path(v) if k.endswith(("_path", "_dir")) else v)
            for k, v in overrides.items()
            if v is not None
        }
        return replace(base, **clean)
