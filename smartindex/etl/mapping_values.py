"""Pure value conversions of the mapping engine: numbers (decimal comma), whole numbers,
booleans, dates and times (formats, source zone -> city zone), and area names.

Every function either returns the canonical value or raises :class:`BadValueError` whose message is
the reason a data officer reads in ``Mapped.rejected``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Mapping
from zoneinfo import ZoneInfo

from smartindex.etl.registry import NUMERIC

INTEGERS = {"SMALLINT", "INTEGER", "BIGINT"}
_DOT_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_COMMA_NUMBER = re.compile(r"[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?")
_TRUE = {"true", "t", "1", "ya", "y", "yes", "benar"}
_FALSE = {"false", "f", "0", "tidak", "n", "no", "salah"}
# Indonesian month names and abbreviations -> English, for strptime's %B / %b
_MONTHS = {
    "januari": "January",
    "februari": "February",
    "pebruari": "February",
    "maret": "March",
    "mei": "May",
    "juni": "June",
    "juli": "July",
    "agustus": "August",
    "oktober": "October",
    "desember": "December",
    "agu": "Aug",
    "agt": "Aug",
    "okt": "Oct",
    "des": "Dec",
}
_MONTH_WORD = re.compile(r"[A-Za-z]+")
# prefixes written before area names ("Kec. Sukarami", "Kelurahan 8 Ulu", "Kota Bukittinggi")
_AREA_PREFIX = re.compile(
    r"^(kecamatan|kec|kelurahan|kel|desa|ds|kabupaten|kab|kota|kotamadya)\b\.?\s*", re.IGNORECASE
)


class BadValueError(ValueError):
    """A source value that cannot become a canonical value; the message is the reason."""


def number(value: object, decimal: str) -> float:
    """A finite number from a cell: numbers as they are; text with the declared decimal mark
    (with ``","`` a ``.`` groups thousands: ``1.234,5`` is 1234.5)."""
    if isinstance(value, bool):
        raise BadValueError(f"{value!r} is not a number")
    if isinstance(value, int | float):
        result = float(value)
    else:
        text = str(value).strip().replace("\u00a0", "").replace(" ", "")
        text = text.replace("\u2212", "-")  # a typographic minus
        if decimal == ",":
            if not _COMMA_NUMBER.fullmatch(text):
                raise BadValueError(f"{value!r} is not a number with decimal comma (1.234,5)")
            text = text.replace(".", "").replace(",", ".")
        elif not _DOT_NUMBER.fullmatch(text):
            raise BadValueError(f"{value!r} is not a number with decimal point (1234.5)")
        result = float(text)
    if not math.isfinite(result):
        raise BadValueError(f"{value!r} is not a finite number")
    return result


def whole(value: float) -> int:
    """``value`` as an integer when it is one (up to float rounding of a conversion)."""
    nearest = round(value)
    if abs(value - nearest) > 1e-9 * max(1.0, abs(value)):
        raise BadValueError(f"{value:g} is not a whole number")
    return int(nearest)


def boolean(value: object) -> bool:
    """true/false, ya/tidak, 1/0, yes/no."""
    if isinstance(value, bool):
        return value
    word = str(value).strip().casefold()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise BadValueError(f"{value!r} is not a yes/no value")


def text(value: object) -> str:
    """A cell as text; a whole float from a spreadsheet (``1671080.0``) without ``.0``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def _english_months(text: str) -> str:
    return _MONTH_WORD.sub(lambda m: _MONTHS.get(m.group(0).casefold(), m.group(0)), text)


def parse_datetime(value: object, fmt: str) -> dt.datetime:
    """A date/time cell: a spreadsheet datetime, ISO-8601 (``fmt = "iso"``, offset optional) or
    a ``strptime`` format (Indonesian month names accepted for ``%B``/``%b``)."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    raw = str(value).strip()
    try:
        if fmt == "iso":
            return dt.datetime.fromisoformat(raw)
        return dt.datetime.strptime(_english_months(raw), fmt)
    except ValueError:
        shown = "ISO-8601" if fmt == "iso" else fmt
        raise BadValueError(f"{raw!r} does not match the date format {shown}") from None


def local_time(moment: dt.datetime, source_zone: ZoneInfo, city_zone: ZoneInfo) -> dt.datetime:
    """Naive city-local time: an aware value converted; a naive one read in ``source_zone``."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=source_zone)
    return aware.astimezone(city_zone).replace(tzinfo=None)


def convert(value: object, typ: str, *, decimal: str, factor: float = 1.0) -> object:
    """A non-temporal cell as the canonical DuckDB type ``typ`` (numbers times ``factor``)."""
    if typ in NUMERIC:
        result = number(value, decimal) * factor
        return whole(result) if typ in INTEGERS else result
    if typ == "BOOLEAN":
        return boolean(value)
    return text(value)


# ----------------------------------------------------------------- area names


def area_key(name: object) -> str:
    """An area name for matching: case-folded, prefixes (Kecamatan/Kec./Kelurahan/Kel./Desa/
    Kota/Kabupaten) removed, punctuation as spaces, spaces collapsed."""
    words = " ".join(str(name).split())
    while True:
        stripped = _AREA_PREFIX.sub("", words, count=1)
        if stripped in {words, ""}:
            break
        words = stripped
    return " ".join(re.sub(r"[^\w]+", " ", words.casefold()).split())


def level_of(code: str) -> str | None:
    """kota | kecamatan | kelurahan from the length of a BPS code."""
    return {4: "kota", 7: "kecamatan", 10: "kelurahan"}.get(len(code))


def name_index(
    areas: Mapping[str, str], levels: tuple[str, ...]
) -> dict[str, tuple[tuple[str, str], ...]]:
    """Normalised name -> (code, official name) of every area of the given levels."""
    index: dict[str, list[tuple[str, str]]] = {}
    for code, name in areas.items():
        if level_of(code) in levels:
            index.setdefault(area_key(name), []).append((code, name))
    return {k: tuple(v) for k, v in index.items()}


def suggest(name: object, candidates: Mapping[str, str]) -> str | None:
    """The official name nearest to ``name`` (normalised key -> official name), if close."""
    close = difflib.get_close_matches(area_key(name), list(candidates), n=1, cutoff=0.6)
    return candidates[close[0]] if close else None
