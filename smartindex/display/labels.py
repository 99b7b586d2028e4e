"""View-models for the app: small pure functions between the library's results and a page.

Tables keep their numbers numeric.  :func:`display_table` wraps a frame in a pandas ``Styler``
whose *display* text follows the language (``1.234,5`` in Bahasa Indonesia, ``1,234.5`` in
English) while the data underneath stay numbers, so a table still sorts numerically when a
column header is clicked.  Streamlit's ``NumberColumn(format=...)`` cannot express this: its
printf formats know neither a decimal comma nor a thousands separator, and ``"localized"``
follows the browser, not the app's language switch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pandas as pd
from pandas.io.formats.style import Styler

from smartindex.analysis.districts import district_values, inequality
from smartindex.analysis.trends import indicator_meta
from smartindex.display.i18n import dimension_name, has, t
from smartindex.display.markdown import escape_markdown
from smartindex.display.numbers import (
    MISSING,
    as_number,
    format_field,
    format_number,
    is_missing,
    number_locale,
)
from smartindex.indicators.catalogue import Catalogue
from smartindex.scoring.results import Results

INEQUALITY_MEASURES = ("gini", "theil", "cv", "best_worst_ratio")


def inequality_history(results: Results, *, code: str, until: int | None = None) -> pd.DataFrame:
    """Inequality across the home city's kecamatan of indicator ``code`` per year (up to
    ``until``): ``code, year, n, mean, gini, theil, cv, best_worst_ratio, best_area,
    worst_area`` (empty when the indicator has no district values)."""
    meta = indicator_meta(results.catalogue)
    values = district_values(
        results.indicator_values, results.regions, city=results.city, code=code
    )
    if until is not None:
        values = values[values["year"] <= until]
    if values["value"].notna().sum() == 0:
        return pd.DataFrame(
            columns=["code", "year", "n", "mean", *INEQUALITY_MEASURES, "best_area", "worst_area"]
        )
    dirs = dict(zip(meta["code"], meta["direction"], strict=True))
    return inequality(values, dirs).sort_values("year").reset_index(drop=True)


def inequality_labels(lang: str) -> dict[str, str]:
    """Display names of the inequality measures (column -> label)."""
    return {m: t(f"ineq.{m}", lang) for m in INEQUALITY_MEASURES}


def dimension_label(catalogue: Catalogue, key: object, lang: str) -> str:
    """A dimension name from the catalogue; composite keys (``economy+people``) join their
    parts with `` + ``."""
    if not isinstance(key, str) or not key:
        return MISSING
    return " + ".join(dimension_name(catalogue, part, lang) for part in key.split("+"))


def column_label(key: str, lang: str) -> str:
    """``col.<key>`` in ``lang`` when known, else the key itself (``area_code`` next to a value
    is its measurement unit)."""
    key = "measure_unit" if key == "unit" else key
    return t(f"col.{key}", lang) if has(f"col.{key}") else key


def evidence_lines(evidence: Iterable[Mapping[str, object]], lang: str) -> list[str]:
    """One markdown line per evidence record: ``**Label:** value · …`` with numbers in
    ``lang``'s format (:func:`~smartindex.display.numbers.format_field`: years plain).  Text,
    not a table: a record is one short row, and a table per recommendation makes the page
    slow."""
    return [
        " · ".join(
            f"**{column_label(k, lang)}:** {escape_markdown(format_field(k, x, lang))}"
            for k, x in dict(e).items()
            if x is not None
        )
        for e in evidence
    ]


def choice_label(kind: str, key: str, lang: str) -> str:
    """Translated name of a method choice (``normalise``/``aggregate``/``assumption``)."""
    name = f"{kind}.{key}"
    text = t(name, lang)
    return key if text == name else text


def number_format(lang: str, decimals: int) -> dict[str, Any]:
    """``Styler.format`` keywords for ``lang``: decimal mark, thousands mark, precision."""
    number = number_locale(lang)
    return {
        "decimal": number["decimal"],
        "thousands": number["thousands"],
        "precision": decimals,
        "na_rep": MISSING,
    }


def display_table(
    frame: pd.DataFrame,
    lang: str,
    *,
    labels: Mapping[str, str] | None = None,
    decimals: Mapping[str, int] | None = None,
    default_decimals: int = 1,
    plain: Iterable[str] = ("year",),
) -> Styler:
    """``frame`` (only the ``labels`` columns, renamed, when given) as a Styler for display.

    Numeric columns stay numeric; their text uses ``lang``'s marks with ``decimals[col]``
    places (integers: 0, floats: ``default_decimals``).  ``plain`` columns (years, codes)
    are shown without a thousands mark; missing values show as an en dash.
    """
    data = frame if labels is None else frame[[c for c in labels if c in frame]]
    text = [c for c in data.columns if data[c].dtype.kind not in "iufM"]
    if text:  # the browser draws a missing text cell as "None" whatever the Styler says
        data = data.assign(**{str(c): data[c].map(_text) for c in text})
    decimals, plain = dict(decimals or {}), set(plain)
    styler = data.rename(columns=dict(labels or {})).style
    for col in data.columns:
        shown = (labels or {}).get(col, col)
        kind = data[col].dtype.kind
        if col in plain and kind in "iuf":
            styler = styler.format("{:.0f}", subset=[shown], na_rep=MISSING)
        elif kind in "iuf":
            places = decimals.get(col, 0 if kind in "iu" else default_decimals)
            styler = styler.format(_fixed(lang, places), subset=[shown])
        elif kind == "M":
            styler = styler.format(timestamp_text, subset=[shown])
        else:
            styler = styler.format(_text, subset=[shown])
    return styler.hide(axis="index")


def _fixed(lang: str, places: int) -> Callable[[object], str]:
    """A number with ``places`` in ``lang``; a value that rounds to zero never reads ``-0,00``."""

    def fmt(x: object) -> str:
        value = as_number(x)
        return MISSING if value is None else format_number(round(value, places) + 0.0, lang, places)

    return fmt


def timestamp_text(x: object) -> str:
    """A timestamp to the second (no microseconds); missing → en dash."""
    return (
        MISSING
        if is_missing(x) or x is pd.NaT
        else pd.Timestamp(x).strftime(  # type: ignore[arg-type]
            "%Y-%m-%d %H:%M:%S"
        )
    )


def _text(x: object) -> str:
    """Text as it is; missing (None, NaN, the literal ``None``) → en dash; a yes/no flag as
    ✓ / ✗ (no English ``True``/``False`` in a Bahasa table)."""
    if isinstance(x, bool) or type(x).__name__ == "bool_":
        return "✓" if x else "✗"
    return MISSING if is_missing(x) or x is pd.NaT or str(x) in ("None", "nan") else str(x)


def coded(frame: pd.DataFrame, column: str, prefix: str, lang: str) -> pd.DataFrame:
    """``frame`` with the codes of ``column`` replaced by their words ``<prefix>.<code>`` in
    ``lang``; a code without a word stays as it is (shown, never hidden)."""
    if column not in frame:
        return frame
    words = {c: t(f"{prefix}.{c}", lang) for c in frame[column].dropna().unique()}
    return frame.assign(
        **{
            column: [
                w if (w := words.get(c)) and w != f"{prefix}.{c}" else c for c in frame[column]
            ]
        }
    )
