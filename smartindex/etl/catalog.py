"""Catalog look-ups the ETL makes per file (kept cheap: a run makes hundreds of them)."""

from __future__ import annotations

import duckdb


def has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """True when a table ``main.<name>`` exists (in any attached database, as with
    ``warehouse.connection.table_exists``). The ETL only asks about tables it creates (source
    tables, ``load_manifest``), never views, so ``duckdb_tables()`` answers it; it is about
    twice as fast as ``information_schema.tables``, which lists every table and view first."""
    row = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = ?",
        [name],
    ).fetchall()
    return bool(row and row[0][0])
