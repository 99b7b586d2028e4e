"""Write evaluation tables as CSV files and one XLSX workbook, safe against formula injection.

Every text cell, column header and index label that a spreadsheet would read as a formula
(starting with ``= + - @``, a tab or a carriage return) gets a leading ``'``, whatever
the column's dtype (object, string, category).  Numbers are never touched.  The
workbook's first sheet is a README listing every sheet.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from smartindex.spreadsheet import neutralise

SHEET_LIMIT = 31


def _flat(frame: pd.DataFrame) -> pd.DataFrame:
    """Index labels become ordinary columns (unless the index is a plain range)."""
    if isinstance(frame.index, pd.RangeIndex) and frame.index.name is None:
        return frame
    return frame.reset_index()


def write_csvs(tables: Mapping[str, pd.DataFrame], out_dir: Path) -> dict[str, Path]:
    """One neutralised CSV per table; returns name -> path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    for name, frame in tables.items():
        files[name] = out_dir / f"{name}.csv"
        neutralise(_flat(frame)).to_csv(files[name], index=False)
    return files


def write_json(payload: Mapping[str, Any], path: Path) -> Path:
    """Deterministic JSON (sorted keys) with a trailing newline."""
    path.write_text(json.dumps(payload, indent=2, sort_keys=True, default=str) + "\n")
    return path


def write_workbook(sheets: Mapping[str, pd.DataFrame], path: Path) -> Path:
    """One sheet per table (names cut to 31 characters); missing values are empty cells.

    Written through pandas' Excel writer, so the engine imports no spreadsheet library.
    """
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            safe = neutralise(_flat(frame))
            safe.to_excel(writer, sheet_name=name[:SHEET_LIMIT], index=False)
    return path


def flatten_mapping(d: Mapping[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """Nested mapping -> (dotted key, JSON value) rows, for the method-spec sheet."""
    rows: list[tuple[str, str]] = []
    for key, value in d.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, Mapping) and value:
            rows.extend(flatten_mapping(value, name))
        else:
            rows.append((name, json.dumps(value, default=str, sort_keys=True)))
    return rows
