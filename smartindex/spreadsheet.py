"""Spreadsheet safety (kernel): no exported cell, header or index label can start a formula.

A text that begins with ``= + - @``, a tab, a carriage return or a full-width ``＝ ＋ － ＠`` is
prefixed with ``'`` (OWASP "CSV injection"). Used by every writer of CSV/XLSX files: the
engine's evaluation workbook and the faces' downloads.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise_cell(value: object) -> object:
    """``'=1+1`` for a formula-like string; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def plain_value(value: object) -> object:
    """Lists / dicts / arrays as JSON text (spreadsheets hold scalars only)."""
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    if hasattr(value, "tolist") and not isinstance(value, str | bytes):
        return json.dumps(value.tolist(), ensure_ascii=False, default=str)
    return value


def _is_text(col: pd.Series[Any]) -> bool:
    dtype = col.dtype
    return bool(
        pd.api.types.is_object_dtype(dtype)
        or pd.api.types.is_string_dtype(dtype)
        or isinstance(dtype, pd.CategoricalDtype)
    )


def _label(value: object) -> object:
    """A header or index label: tuples (MultiIndex) element by element."""
    if isinstance(value, tuple):
        return tuple(neutralise_cell(v) for v in value)
    return neutralise_cell(value)


def _with_index_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """A named index is data: it becomes ordinary columns (an unnamed one is dropped)."""
    if any(name is not None for name in frame.index.names):
        return frame.reset_index()
    return frame


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (every text dtype, categories included), headers
    and index labels cannot start a spreadsheet formula; a named index becomes columns."""
    out = _with_index_columns(frame).copy()
    for i in range(out.shape[1]):
        col = out.iloc[:, i]
        if _is_text(col):
            safe = col.astype(object).map(
                lambda v: neutralise_cell(plain_value(v)), na_action="ignore"
            )
            out.isetitem(i, safe.to_numpy(dtype=object))
    labels = [_label(c) for c in out.columns]
    out.columns = (
        pd.MultiIndex.from_tuples([tuple(c) for c in labels])  # type: ignore[arg-type]
        if isinstance(out.columns, pd.MultiIndex)
        else pd.Index(labels, dtype=object)
    )
    return out
