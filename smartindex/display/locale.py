"""The locale files, parsed once: ``locales/<lang>.toml`` for every language in ``LANGS``.

Each file holds flat string keys (``"page.overview" = "Ringkasan"``), a ``[calendar]`` table
(month and day names, the date format) and a ``[number]`` table (d3's number locale: decimal
mark, thousands mark, grouping, currency). A third language is one more file; no code changes.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smartindex.config import LANGS, check_lang

LOCALE_DIR = Path(__file__).with_name("locales")
TABLES = ("calendar", "number")


@dataclass(frozen=True)
class Locale:
    """One language: its strings, calendar words and number marks."""

    lang: str
    strings: dict[str, str]
    calendar: dict[str, Any]
    number: dict[str, Any]


def load_locale(lang: str, directory: Path = LOCALE_DIR) -> Locale:
    """Parse ``<directory>/<lang>.toml``: the tables in ``TABLES`` plus flat string keys."""
    data = tomllib.loads((directory / f"{lang}.toml").read_text("utf-8"))
    calendar, number = (data.pop(name) for name in TABLES)
    return Locale(lang, {str(k): str(v) for k, v in data.items()}, dict(calendar), dict(number))


LOCALES: dict[str, Locale] = {lang: load_locale(lang) for lang in LANGS}


def locale(lang: str) -> Locale:
    """The locale of ``lang`` (the default language for an unknown code)."""
    return LOCALES[check_lang(lang)]
