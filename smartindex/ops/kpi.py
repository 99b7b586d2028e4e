"""The annual complaint KPIs measured on the live store, by the catalogue's own engine.

The live ``complaints`` view has the annual table's columns, so ``measure`` runs the catalogue's
queries unchanged: the live figures and the annual ones share one definition per indicator,
including the working week working hours and days are counted on (the city's
``Settings.work_week``, as in the annual run).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from smartindex.config import WorkWeek
from smartindex.errors import WarehouseError
from smartindex.indicators.catalogue import Catalogue, load_catalogue
from smartindex.indicators.measure import measure
from smartindex.ops.store import Store, attach, with_retry
from smartindex.warehouse.cities import choose_schema

SOURCE_TABLE = "complaints"


def complaint_codes(catalogue: Catalogue) -> list[str]:
    """Codes of the indicators that read the complaint tickets."""
    return [i.code for i in catalogue.indicators if SOURCE_TABLE in i.inputs]


def live_connection(
    store: Store, warehouse: Path, city: str | None = None
) -> duckdb.DuckDBPyConnection:
    """In-memory DuckDB: the warehouse's tables of ``city`` (default: the only city it holds;
    read-only) with ``complaints`` from the store."""
    if not Path(warehouse).is_file():
        raise WarehouseError(f"{warehouse}: warehouse not found")
    con = duckdb.connect()
    path = str(warehouse).replace("'", "''")
    con.execute(f"attach '{path}' as wh (read_only)")
    schema = choose_schema(con, city, catalog="wh")
    names = [
        r[0]
        for r in con.execute(
            "select table_name from information_schema.tables where table_catalog = 'wh' "
            "and table_schema = ?",
            [schema],
        ).fetchall()
    ]
    for name in names:
        if name != SOURCE_TABLE:
            con.execute(
                f'create or replace temp view "{name}" as select * from wh.{schema}."{name}"'
            )
    attach(con, store)
    return con


def measure_live(
    store: Store,
    warehouse: Path,
    catalogue: Catalogue | None = None,
    *,
    week: WorkWeek | None = None,
    city: str | None = None,
) -> pd.DataFrame:
    """The complaint indicators (``measure``'s long table) on the live tickets of ``city``
    (default: the only city the warehouse holds), working hours and days counted on ``week``
    (the city's ``Settings.work_week``; None = the national one)."""
    cat = catalogue or load_catalogue()

    def read() -> pd.DataFrame:
        con = live_connection(store, warehouse, city)
        try:
            return measure(con, cat, codes=complaint_codes(cat), week=week)
        finally:
            con.close()

    return with_retry(read)
