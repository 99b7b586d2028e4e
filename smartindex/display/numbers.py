"""The one number formatter of the app, the report, the charts and the sentences.

Marks come from the ``[number]`` table of each locale file, so ``1.234,5`` in Bahasa Indonesia
and ``1,234.5`` in English; missing values (None, NaN, NA, text) render as an en dash.

>>> format_number(1234.5, "id"), format_number(1234.5, "en")
('1.234,5', '1,234.5')
>>> format_percent(12.5, "id"), format_signed(-0.25, "en", 2), format_count(12000, "id")
('12,5%', '−0.25', '12.000')
>>> format_value(3.876, "id"), format_value(61.23, "en"), format_value(12345.6, "en")
('3,88', '61.2', '12,346')
>>> format_measure(3.876, "per 100 000", "id"), format_measure(12.5, "%", "en")
('3,88 per 100 000', '12.5%')
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import pandas as pd

from smartindex.config import DEFAULT_LANG
from smartindex.display.locale import locale

MISSING = "–"
NO_BREAK_SPACE = "\u00a0"
SIGNS = ("−", "±", "+")  # negative, zero, positive (a real minus sign, not a hyphen)


def is_missing(x: object) -> bool:
    """True for None, NA, NaN and the empty string (text is a value, not missing)."""
    if x is None or x is pd.NA or (isinstance(x, str) and not x):
        return True
    return isinstance(x, numbers.Real) and math.isnan(float(x))


def as_number(x: object) -> float | None:
    """``x`` as a float, or None when it is missing or not a number."""
    if isinstance(x, bool) or is_missing(x):
        return None
    try:
        value = float(x)  # type: ignore[arg-type]  # numpy scalars, Decimal, numeric text
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


def number_locale(lang: str = DEFAULT_LANG) -> dict[str, Any]:
    """d3's number locale of ``lang`` (``decimal``, ``thousands``, ``grouping``, ``currency``)."""
    return dict(locale(lang).number)


def _marks(lang: str, typeset: bool) -> dict[int, str]:
    number = locale(lang).number
    thousands = str(number["thousands"])
    if typeset and thousands.isspace():
        thousands = NO_BREAK_SPACE  # a typeset number never breaks across lines
    return str.maketrans({",": thousands, ".": str(number["decimal"])})


def format_number(
    x: object, lang: str = DEFAULT_LANG, decimals: int = 1, *, typeset: bool = False
) -> str:
    """``x`` with ``decimals`` places and ``lang``'s marks; missing → en dash.

    ``typeset``: text set by the PDF engine, where a space thousands mark becomes a no-break
    space."""
    value = as_number(x)
    if value is None:
        return MISSING
    return f"{value:,.{decimals}f}".translate(_marks(lang, typeset))


def format_count(x: object, lang: str = DEFAULT_LANG, *, typeset: bool = False) -> str:
    """An integer count with a thousands mark (``12.000``)."""
    return format_number(x, lang, 0, typeset=typeset)


def auto_decimals(x: object) -> int:
    """Places for a measured value by its size: 0 from 1 000, 1 from 10, else 2."""
    value = abs(as_number(x) or 0.0)
    return 0 if value >= 1000 else 1 if value >= 10 else 2


def format_value(x: object, lang: str = DEFAULT_LANG, *, typeset: bool = False) -> str:
    """A measured value with places by its size (``3,88``, ``61,2``, ``12.346``)."""
    return format_number(x, lang, auto_decimals(x), typeset=typeset)


def format_percent(x: object, lang: str = DEFAULT_LANG, decimals: int = 1) -> str:
    """A percentage given in percent units (``12.5`` → ``12,5%`` / ``12.5%``)."""
    text = format_number(x, lang, decimals)
    return text if text == MISSING else text + "%"


def format_signed(x: object, lang: str = DEFAULT_LANG, decimals: int = 1) -> str:
    """A change with an explicit sign (``+1,5`` / ``−0,3`` / ``±0,0``)."""
    value = as_number(x)
    if value is None:
        return MISSING
    return SIGNS[(value > 0) - (value < 0) + 1] + format_number(abs(value), lang, decimals)


def format_measure(
    x: object, unit: object, lang: str = DEFAULT_LANG, *, typeset: bool = False
) -> str:
    """A value and its unit of measure: ``12,5%`` or ``3,88 per 100 000``."""
    unit = "" if is_missing(unit) else str(unit)
    space = "" if unit in ("", "%") else " "
    return format_value(x, lang, typeset=typeset) + space + unit


def format_field(key: str, x: object, lang: str = DEFAULT_LANG) -> str:
    """One evidence field: years as plain integers (``2025``), whole numbers without places,
    other numbers with two; text as it is."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        return "" if x is None else str(x)
    if math.isnan(float(x)):
        return MISSING
    if key.endswith("year"):
        return str(int(float(x)))
    return format_number(x, lang, 0 if float(x).is_integer() else 2)
