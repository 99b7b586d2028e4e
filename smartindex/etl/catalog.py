"""Catalog look-ups the ETL makes per file (kept cheap: a run makes hundreds of them)."""

from __future__ import annotations

import duckdb

from smartindex.warehouse.cities import VISIBLE_DUCKDB_TABLES


def has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """True when the unqualified ``name`` resolves to a table (a temporary one or one of the
    connection's schema: its city's, as with ``warehouse.connection.table_exists``). The ETL
    only asks about tables it creates (source tables, ``load_manifest``), never views, so
    ``duckdb_tables()`` answers it; it is about twice as fast as ``information_schema.tables``,
    which lists every table and view first."""
    row = con.execute(
        f"SELECT count(*) FROM duckdb_tables() WHERE {VISIBLE_DUCKDB_TABLES} AND table_name = ?",
        [name],
    ).fetchall()
    return bool(row and row[0][0])
