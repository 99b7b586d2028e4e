"""Every user-facing string of the app and the report, Bahasa Indonesia first.

>>> t("page.overview", "en")
'Overview'
>>> format_number(1234.5, "id"), format_number(1234.5, "en")
('1.234,5', '1,234.5')

Strings live in ``locales/<lang>.toml`` (one file per language, the same keys in each);
``t(key, lang)`` looks a key up and fills its ``{placeholders}``. Names of dimensions,
factors and indicators are not strings here: they come from the catalogue
(:func:`dimension_name`). Numbers are formatted by :mod:`smartindex.display.numbers`
(re-exported here). ``d3_locale`` gives the d3 number / time locales for Altair.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from smartindex.config import DEFAULT_LANG, LANGS, check_lang
from smartindex.display.locale import locale
from smartindex.display.numbers import (
    MISSING,
    as_number,
    format_count,
    format_measure,
    format_number,
    format_percent,
    format_signed,
    format_value,
    number_locale,
)
from smartindex.indicators.catalogue import Catalogue

__all__ = [
    "DEFAULT_LANG",
    "LANGS",
    "LANG_NAMES",
    "MISSING",
    "band_light",
    "check_lang",
    "d3_locale",
    "dimension_name",
    "dimension_short",
    "format_count",
    "format_measure",
    "format_number",
    "format_percent",
    "format_signed",
    "format_value",
    "has",
    "language_name",
    "locale_strings",
    "month_name",
    "rank_text",
    "t",
    "trend_text",
    "vega_locale",
    "verdict_name",
]
TIME_FORMATS = {"dateTime": "%A, %e %B %Y %X", "time": "%H:%M:%S", "periods": ["AM", "PM"]}


def t(key: str, lang: str = DEFAULT_LANG, **fmt: object) -> str:
    """The string ``key`` in ``lang`` with ``{placeholders}`` filled; unknown keys echo the key."""
    text = locale(lang).strings.get(key)
    if text is None:
        return key
    return text.format(**fmt) if fmt else text


def has(key: str) -> bool:
    """True when ``key`` is a known string."""
    return key in locale(DEFAULT_LANG).strings


def locale_strings(lang: str) -> dict[str, str]:
    """A copy of every string of ``lang`` (key → text), for checks and translators."""
    return dict(locale(lang).strings)


def language_name(lang: str) -> str:
    """The name of ``lang`` in that language (``Bahasa Indonesia``, ``English``)."""
    return t("lang.name", lang)


LANG_NAMES: dict[str, str] = {lang: language_name(lang) for lang in LANGS}


def _time_locale(lang: str) -> dict[str, Any]:
    cal = locale(lang).calendar
    return {
        **TIME_FORMATS,
        "date": str(cal["date"]),
        "days": list(cal["days"]),
        "shortDays": [d[:3] for d in cal["days"]],
        "months": list(cal["months"]),
        "shortMonths": list(cal["short_months"]),
    }


def d3_locale(lang: str = DEFAULT_LANG) -> tuple[dict[str, Any], dict[str, Any]]:
    """d3 ``(number, time)`` locale dicts for ``lang`` (vl-convert's format/time locales)."""
    return number_locale(lang), _time_locale(lang)


def vega_locale(lang: str = DEFAULT_LANG) -> dict[str, Any]:
    """Vega ``config.locale`` for ``lang``: ``{"number": ..., "time": ...}``."""
    number, time = d3_locale(lang)
    return {"number": number, "time": time}


def month_name(month: int, lang: str = DEFAULT_LANG, *, short: bool = False) -> str:
    """Month name for 1..12 in ``lang``."""
    if not 1 <= int(month) <= 12:
        raise ValueError(f"month must be 1..12, got {month}")
    return str(locale(lang).calendar["short_months" if short else "months"][int(month) - 1])


def dimension_name(catalogue: Catalogue, key: str, lang: str = DEFAULT_LANG) -> str:
    """Display name of a dimension (or any element) from the catalogue (``economy`` →
    ``Ekonomi Cerdas``); unknown keys echo the key."""
    return catalogue.name(key, lang)


def dimension_short(catalogue: Catalogue, key: str, lang: str = DEFAULT_LANG) -> str:
    """One-word dimension label for narrow table headers (``economy`` → ``Ekonomi``), from the
    catalogue; the full name when the catalogue gives no short one."""
    return catalogue.short_name(key, lang)


def verdict_name(verdict: str, lang: str = DEFAULT_LANG) -> str:
    """Translated trend verdict (``improving`` → ``Membaik``)."""
    return t(f"verdict.{verdict}", lang) if has(f"verdict.{verdict}") else str(verdict)


LIGHTS = (("▲", "green"), ("▲", "green"), ("■", "orange"), ("▼", "red"), ("▼", "red"))


def band_light(
    band: object, legend: Sequence[str], *, markdown: bool = False, lang: str = DEFAULT_LANG
) -> str:
    """Status shape + word for a band label by its position in the best-first ``legend``
    (▲ good, ■ middle, ▼ poor); ``markdown`` adds Streamlit colour (never colour alone)."""
    if not isinstance(band, str) or band not in legend:
        return f"○ {t('status.none', lang)}"
    pos = min(list(legend).index(band) * len(LIGHTS) // max(len(legend), 1), len(LIGHTS) - 1)
    shape, colour = LIGHTS[pos]
    return f":{colour}[{shape} {band}]" if markdown else f"{shape} {band}"


def trend_text(
    arrow: object, verdict: object, significant: object, lang: str = DEFAULT_LANG
) -> str:
    """``↑ Membaik (signifikan)``: arrow, translated verdict and the significance word."""
    if not isinstance(verdict, str):
        return MISSING
    sig = (
        "trend.significant" if significant is True or significant == 1 else "trend.not_significant"
    )
    text = f"{arrow or ''} {verdict_name(verdict, lang)}".strip()
    return text if verdict == "insufficient data" else f"{text} ({t(sig, lang)})"


def rank_text(rank: object, n: object, lang: str = DEFAULT_LANG) -> str:
    """``Peringkat 2 dari 7``; a dash when unranked."""
    r, total = as_number(rank), as_number(n)
    if r is None or total is None:
        return MISSING
    return t("overview.rank", lang, rank=int(r), n=int(total))
