"""Several cities in one warehouse: each city's tables live in its own schema ``city_<code>``.

A city is keyed by its BPS code (``3273`` for Kota Bandung): the ETL writes a city's raw,
quarantine and manifest tables into ``city_3273``, scoring writes its scores and runs there,
and every reader sets that schema as the connection's default (``SET schema``), so the same
table names and catalogue queries serve every city, and ticket ids, file names and run ids of
two cities can never collide. Other cities are reached by qualified names
(``city_3578.indicator_values``: peers measured in the same warehouse).

Which city a connection reads (:func:`choose_schema`): the one asked for; without one, the only
city the warehouse holds, else an error listing them. A warehouse without city schemas whose
``main`` schema holds a ``region`` table (one built by hand, or by smartindex before several
cities per warehouse) is read as one city in ``main``; the ETL never writes into such a file.
"""

from __future__ import annotations

import duckdb

from smartindex.errors import WarehouseError

PREFIX = "city_"
MAIN = "main"
# the objects a connection's unqualified names resolve to: temporary ones, then its schema
VISIBLE_TABLES = (
    "(table_catalog = 'temp' or "
    "(table_catalog = current_database() and table_schema = current_schema()))"
)
VISIBLE_DUCKDB_TABLES = (
    "(database_name = 'temp' or "
    "(database_name = current_database() and schema_name = current_schema()))"
)


def city_schema(code: str) -> str:
    """The schema of city ``code`` (a BPS code: digits only).

    >>> city_schema("3273")
    'city_3273'
    """
    if not code.isdigit():
        raise WarehouseError(f"city code {code!r}: expected a BPS code (digits only)")
    return PREFIX + code


def cities_in(con: duckdb.DuckDBPyConnection, catalog: str | None = None) -> list[str]:
    """BPS codes of the cities the database holds (``catalog``; default the connection's own),
    in code order."""
    rows = con.execute(
        "select schema_name from duckdb_schemas() "
        "where database_name = coalesce(?, current_database()) and starts_with(schema_name, ?)",
        [catalog, PREFIX],
    ).fetchall()
    codes = (str(r[0])[len(PREFIX) :] for r in rows)
    return sorted(c for c in codes if c.isdigit())


def main_city(con: duckdb.DuckDBPyConnection, catalog: str | None = None) -> str | None:
    """For a warehouse with one city in ``main``: that city's code ('' when its region table
    names no home city); None when ``main`` holds no region table."""
    db = con.execute("select coalesce(?, current_database())", [catalog]).fetchall()[0][0]
    found = con.execute(
        "select count(*) from duckdb_tables() where database_name = ? and schema_name = 'main' "
        "and table_name = 'region'",
        [db],
    ).fetchall()
    if not found[0][0]:
        return None
    try:
        homes = con.execute(
            f'select distinct kode_wilayah from "{db}".main.region '
            "where level = 'kota' and is_home_city"
        ).fetchall()
    except duckdb.BinderException:  # a hand-built region table without is_home_city
        return ""
    return str(homes[0][0]) if len(homes) == 1 else ""


def listing(codes: list[str]) -> str:
    """The cities of a warehouse in words, for errors."""
    return "holds no city yet" if not codes else "holds city " + ", ".join(codes)


def choose_schema(
    con: duckdb.DuckDBPyConnection,
    city: str | None,
    *,
    create: bool = False,
    catalog: str | None = None,
) -> str:
    """The schema holding ``city`` (None: the only city) in ``con``'s database or ``catalog``.

    ``create``: make the schema when the city is new (the ETL's first load of a city).
    A :class:`WarehouseError` says which cities the warehouse holds when the choice fails.
    """
    present = cities_in(con, catalog)
    if city is None:
        if len(present) == 1:
            return city_schema(present[0])
        if not present:
            return MAIN
        raise WarehouseError(
            f"the warehouse holds {len(present)} cities ({', '.join(present)}); "
            "choose one with --city"
        )
    name = city_schema(city)
    if city in present:
        return name
    if not present and not create:
        held = main_city(con, catalog)
        if held is not None and held in ("", city):
            return MAIN  # one city in main (a hand-built or earlier warehouse)
        if held:
            raise WarehouseError(f"the warehouse holds city {held}, not {city}")
    if create:
        prefix = f'"{catalog}".' if catalog else ""
        con.execute(f"create schema if not exists {prefix}{name}")
        return name
    raise WarehouseError(f"the warehouse {listing(present)}, not {city}")


def use_schema(con: duckdb.DuckDBPyConnection, schema: str) -> None:
    """Make ``schema`` the default of ``con`` for names it reads and tables it creates."""
    if schema != MAIN and not (schema.startswith(PREFIX) and schema[len(PREFIX) :].isdigit()):
        raise WarehouseError(f"{schema!r}: not a city schema")
    con.execute(f"SET schema = '{schema}'")


def use_city(con: duckdb.DuckDBPyConnection, city: str | None, *, create: bool = False) -> str:
    """Choose (:func:`choose_schema`) and use the schema of ``city``; its name."""
    schema = choose_schema(con, city, create=create)
    use_schema(con, schema)
    return schema
