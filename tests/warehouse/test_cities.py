"""Several cities in one warehouse: the choice of a city's schema (warehouse.cities)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from smartindex.errors import WarehouseError
from smartindex.warehouse import connect, swap_write, table_exists
from smartindex.warehouse.cities import choose_schema, cities_in, city_schema, main_city


def _region(con: duckdb.DuckDBPyConnection, table: str, code: str) -> None:
    con.execute(
        f"create table {table} as select ? as kode_wilayah, 'kota' as level, 'Kota ' || ? "
        "as name, true as is_home_city",
        [code, code],
    )


def test_a_city_schema_is_named_by_its_bps_code() -> None:
    assert city_schema("1671") == "city_1671"
    with pytest.raises(WarehouseError, match="expected a BPS code"):
        city_schema("1671; drop table x")


def test_without_a_city_the_only_one_is_chosen_else_the_cities_are_listed() -> None:
    con = duckdb.connect()
    assert choose_schema(con, None) == "main"  # empty: nothing chosen yet
    assert choose_schema(con, "1671", create=True) == "city_1671"
    assert choose_schema(con, None) == "city_1671" and cities_in(con) == ["1671"]
    choose_schema(con, "1375", create=True)
    assert cities_in(con) == ["1375", "1671"]
    with pytest.raises(WarehouseError, match=r"holds 2 cities \(1375, 1671\); choose one"):
        choose_schema(con, None)
    assert choose_schema(con, "1375") == "city_1375"
    with pytest.raises(WarehouseError, match="holds city 1375, 1671, not 3273"):
        choose_schema(con, "3273")


def test_a_warehouse_with_one_city_in_main_is_read_as_that_city() -> None:
    con = duckdb.connect()
    _region(con, "region", "1671")
    assert main_city(con) == "1671"
    assert choose_schema(con, None) == choose_schema(con, "1671") == "main"
    with pytest.raises(WarehouseError, match="holds city 1671, not 1375"):
        choose_schema(con, "1375")


def test_names_resolve_in_the_city_s_schema_only(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    for code in ("1375", "1671"):
        with swap_write(db, city=code, create=True) as con:
            _region(con, "region", code)
            if code == "1671":
                con.execute("create table complaints as select 1 as ticket")
    with connect(db, read_only=True, city="1375") as con:
        assert con.execute("select name from region").fetchall() == [("Kota 1375",)]
        assert not table_exists(con, "complaints")  # Palembang's table is not Bukittinggi's
        assert table_exists(con, "complaints", "city_1671")  # but named, it is found
        assert not table_exists(con, "complaints", "city_1375")
    with connect(db, read_only=True, city="1671") as con:
        assert con.execute("select name from region").fetchall() == [("Kota 1671",)]
        assert table_exists(con, "complaints")
    with pytest.raises(WarehouseError, match="holds 2 cities"), connect(db, read_only=True):
        pass
