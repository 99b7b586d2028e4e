"""Read framework and data tables (CSV or XLSX) for ``evaluate``; clear one-line errors.

Framework: generic columns (code, name, parent, direction, weight, ...) or COINr iMeta
as-is (detected by an ``iCode`` column).  Data: long (unit, year, code, value) or wide
(unit/uCode, optional uName, year/Time, ``*_group`` columns, denominator columns and
one column per indicator), e.g. COINr iData as-is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from smartindex.engine.framework import Framework
from smartindex.errors import CatalogueError, DataFileError

UNIT_COLUMNS = ("unit", "uCode")
YEAR_COLUMNS = ("year", "Time")
NAME_COLUMNS = ("name", "uName", "unit_name")


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a CSV (full float precision) or the first sheet of an XLSX file."""
    path = Path(path)
    if not path.is_file():
        raise DataFileError(path, "file not found")
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            frame = pd.read_excel(path, engine="openpyxl")
        elif path.suffix.lower() in (".csv", ".txt"):
            frame = pd.read_csv(path)
        else:
            raise DataFileError(path, "unsupported file type; use .csv or .xlsx")
    except (ValueError, OSError, pd.errors.ParserError, KeyError) as exc:
        raise DataFileError(path, f"cannot be read ({str(exc).splitlines()[0]})") from None
    if frame.empty:
        raise DataFileError(path, "has no rows")
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


@dataclass(frozen=True)
class FrameworkTable:
    """A framework plus the denominator and group names a COINr iMeta declares."""

    framework: Framework
    denominators: tuple[str, ...]
    groups: tuple[str, ...]


def read_framework(path: str | Path) -> FrameworkTable:
    """Read and validate a framework table (generic or COINr iMeta)."""
    table = read_table(path)
    try:
        if "iCode" in table.columns:
            fw = Framework.from_coinr(table)
            kind = table.get("Type", pd.Series(dtype=str)).astype(str)
            den = tuple(table.loc[kind == "Denominator", "iCode"].astype(str))
            grp = tuple(table.loc[kind == "Group", "iCode"].astype(str))
            return FrameworkTable(fw, den, grp)
        fw = Framework.from_frame(table)
    except CatalogueError as exc:
        raise CatalogueError(f"{path}: {exc}") from None
    den = tuple(sorted(fw.elements["denominator"].dropna().unique()))
    return FrameworkTable(fw, den, ())


def _first(columns: pd.Index, options: tuple[str, ...]) -> str | None:
    return next((c for c in options if c in columns), None)


def _numeric(frame: pd.DataFrame, cols: list[str], path: Path, line_offset: int) -> pd.DataFrame:
    """Coerce columns to float; name the first bad cell by line and column."""
    out = frame[cols].apply(pd.to_numeric, errors="coerce")
    bad = (
        out.isna()
        & frame[cols].notna()
        & (frame[cols].astype(str).apply(lambda s: s.str.strip()) != "")
    )
    if bad.to_numpy().any():
        row, col = next((r, c) for c in cols for r in bad.index[bad[c]])
        raise DataFileError(
            path, f"not a number: {frame.at[row, col]!r}", line=int(row) + line_offset, column=col
        )
    result: pd.DataFrame = out.astype(float)
    return result


@dataclass(frozen=True)
class DataTables:
    """Long data plus denominators and groups found in the data file."""

    data: pd.DataFrame
    denominators: pd.DataFrame | None
    groups: pd.DataFrame | None
    unit_names: pd.DataFrame | None


def read_data(path: str | Path, spec: FrameworkTable) -> DataTables:
    """Read long or wide data; wide files may carry groups and denominators."""
    path = Path(path)
    table = read_table(path)
    offset = 2
    if {"code", "value"} <= set(table.columns) and "unit" in table.columns:
        return _long_data(table, spec, path, offset)
    return _wide_data(table, spec, path, offset)


def _long_data(table: pd.DataFrame, spec: FrameworkTable, path: Path, offset: int) -> DataTables:
    if "year" not in table.columns:
        table = table.assign(year=0)
    _check_units(table, "unit", path, offset)
    table = table.assign(value=_numeric(table, ["value"], path, offset)["value"])
    _check_years(table, "year", path, offset)
    is_den = table["code"].astype(str).isin(spec.denominators)
    dens = table[is_den].rename(columns={"code": "name"})[["unit", "year", "name", "value"]]
    return DataTables(
        table.loc[~is_den, ["unit", "year", "code", "value"]],
        dens if len(dens) else None,
        None,
        None,
    )


def _check_units(table: pd.DataFrame, col: str, path: Path, offset: int) -> None:
    blank = table[col].isna() | (table[col].astype(str).str.strip() == "")
    if blank.any():
        raise DataFileError(
            path, "unit is empty", line=int(blank.index[blank][0]) + offset, column=col
        )


def plain(value: object) -> str:
    """A cell for an error message: numbers as plain numbers (2018.5), text quoted."""
    if isinstance(value, bool | np.bool_):
        return repr(bool(value))
    if isinstance(value, int | float | np.integer | np.floating):
        number = float(value)
        return str(int(number)) if number.is_integer() else repr(number)
    return repr(str(value))


def _check_years(table: pd.DataFrame, col: str, path: Path, offset: int) -> None:
    years = pd.to_numeric(table[col], errors="coerce")
    bad = years.isna() | (years != years.round())
    if bad.any():
        row = bad.index[bad][0]
        raise DataFileError(
            path,
            f"year must be an integer, got {plain(table.at[row, col])}",
            line=int(row) + offset,
            column=col,
        )


def _wide_data(table: pd.DataFrame, spec: FrameworkTable, path: Path, offset: int) -> DataTables:
    unit = _first(table.columns, UNIT_COLUMNS)
    if unit is None:
        raise DataFileError(
            path, "needs a unit column (unit or uCode), or long columns unit, year, code, value"
        )
    year = _first(table.columns, YEAR_COLUMNS)
    _check_units(table, unit, path, offset)
    table = table.assign(**{unit: table[unit].astype(str).str.strip()})
    if year is None:
        table, year = table.assign(year=0), "year"
    _check_years(table, year, path, offset)
    inds = spec.framework.indicators
    missing = [c for c in inds if c not in table.columns]
    if missing:
        raise DataFileError(path, f"no column for indicator {missing[0]!r}", column=missing[0])
    base = pd.DataFrame({"unit": table[unit], "year": table[year].astype(int)})
    values = pd.concat([base, _numeric(table, inds, path, offset)], axis=1)
    long = values.melt(id_vars=["unit", "year"], var_name="code", value_name="value")
    den_cols = [c for c in spec.denominators if c in table.columns]
    dens = None
    if den_cols:
        dvals = pd.concat([base, _numeric(table, den_cols, path, offset)], axis=1)
        dens = dvals.melt(id_vars=["unit", "year"], var_name="name", value_name="value")
    grp_cols = [c for c in table.columns if c.endswith("_group") or c in spec.groups]
    groups = table[[unit, *grp_cols]].rename(columns={unit: "unit"}).drop_duplicates("unit")
    name = _first(table.columns, NAME_COLUMNS)
    names = (
        table[[unit, name]].set_axis(["unit", "name"], axis=1).drop_duplicates("unit")
        if name
        else None
    )
    return DataTables(long, dens, groups if grp_cols else None, names)
