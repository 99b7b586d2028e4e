"""The only helpers that open DuckDB connections."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from smartindex.errors import WarehouseError
from smartindex.warehouse.cities import VISIBLE_TABLES, use_city


@contextmanager
def connect(
    path: Path | str, *, read_only: bool = False, city: str | None = None, choose: bool = True
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the warehouse at the schema of ``city`` (default: the only city it holds, see
    :func:`smartindex.warehouse.cities.choose_schema`; ``choose=False``: stay in ``main``, to
    list the cities); read-only connections fail clearly when the file is missing."""
    path = Path(path)
    if read_only and str(path) != ":memory:" and not path.exists():
        raise WarehouseError(
            f"{path}: warehouse not found; build it with `smartindex etl --db {path}`"
        )
    if not read_only and str(path) != ":memory:":
        path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only)
    try:
        if choose:
            use_city(con, city)
        yield con
    finally:
        con.close()


def query_df(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | dict[str, object] | None = None
) -> pd.DataFrame:
    """Run ``sql`` with bound parameters and return a pandas frame (via Arrow: fast)."""
    frame: pd.DataFrame = con.sql(sql, params=params or None).to_arrow_table().to_pandas()
    return frame


def table_exists(con: duckdb.DuckDBPyConnection, name: str, schema: str | None = None) -> bool:
    """True when the unqualified ``name`` resolves to a table or view: a temporary one or one
    of the connection's schema (its city's, see :mod:`smartindex.warehouse.cities`); with
    ``schema``, when ``schema.name`` exists in the connected database (another city's)."""
    where = (
        VISIBLE_TABLES
        if schema is None
        else "table_catalog = current_database() and table_schema = ?"
    )
    row = con.execute(
        f"select count(*) from information_schema.tables where {where} and table_name = ?",
        [*([schema] if schema is not None else []), name],
    ).fetchall()
    return bool(row and row[0][0])
