"""The ``within`` check: a code's parent in a reference table is the parent given on the row
(a kelurahan lies in the kecamatan named with it), except for records dated before that parent
unit existed (``valid_from`` of a kecamatan created by a split).
"""

from __future__ import annotations

from dataclasses import replace

import duckdb
import numpy as np
import pyarrow as pa

from smartindex.etl.catalog import has_table
from smartindex.etl.validate import Check, GxSession
from smartindex.warehouse.cities import VISIBLE_TABLES


def _q(c: str) -> str:
    return f'"{c}"'


def resolve_within(con: duckdb.DuckDBPyConnection, check: Check) -> Check:
    """Fill a ``within`` check with the (child, parent) code pairs of the referenced table.
    A child code the table does not know is left to the references check; a record dated
    before its unit's current parent existed (``valid_from``: a split) is exempt (its row
    numbers go to a temp table, see ``_run_pairs``)."""
    table, key, parent = check.params["table"], check.params["key"], check.params["parent"]
    if not has_table(con, table):
        return replace(check, params={**check.params, "pairs": ()})
    t, child, given = _q(table), _q(check.columns[0]), _q(check.columns[1])
    sql = [
        f"SELECT DISTINCT {_q(key)}, {_q(parent)} FROM {t} WHERE {_q(key)} IS NOT NULL",
        f"SELECT DISTINCT {child}, {given} FROM _typed WHERE {child} IS NOT NULL "
        f"AND {child} NOT IN (SELECT {_q(key)} FROM {t} WHERE {_q(key)} IS NOT NULL)",
    ]
    date = check.params.get("date")
    cols = {
        r[0]
        for r in con.execute(
            "SELECT column_name FROM information_schema.columns "
            f"WHERE {VISIBLE_TABLES} AND table_name = ?",
            [table],
        ).fetchall()
    }
    pairs = con.execute(" UNION ".join(sql)).fetchall()
    params = {**check.params, "pairs": tuple(sorted(pairs, key=str))}
    if date and "valid_from" in cols:
        exempt = f"_within_exempt_{check.columns[0]}"
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {exempt} AS SELECT x._row_number "
            f"FROM _typed x JOIN {t} k ON x.{child} = k.{_q(key)} "
            f"JOIN {t} p ON k.{_q(parent)} = p.{_q(key)} "
            f"WHERE CAST(x.{_q(date)} AS DATE) < p.valid_from"
        )
        params |= {"exempt": exempt}
    return replace(check, params=params)


def within_failures(con: duckdb.DuckDBPyConnection, check: Check, gx: GxSession) -> np.ndarray:
    """Row numbers failing a resolved ``within`` check. GX runs on the distinct (child,
    parent) pairs of the file (its pair check walks rows one by one in Python: millions of rows
    would take minutes); failing pairs map back to the rows holding them. Exempt rows (before
    a split) are left out."""
    child, given = _q(check.columns[0]), _q(check.columns[1])
    keep = (
        f"AND _row_number NOT IN (SELECT _row_number FROM {check.params['exempt']})"
        if "exempt" in check.params
        else ""
    )
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _pairs AS SELECT row_number() OVER () - 1 AS _g, "
        f"a, b FROM (SELECT DISTINCT {child} AS a, {given} AS b FROM _typed "
        f"WHERE {child} IS NOT NULL AND {given} IS NOT NULL {keep})"
    )
    frame = con.sql(f"SELECT a AS {child}, b AS {given} FROM _pairs ORDER BY _g").df()
    rows: list[np.ndarray] = []
    failing = (
        f"SELECT t._row_number FROM _typed t JOIN (SELECT a, b FROM _pairs SEMI JOIN _failg "
        f"USING (_g)) x ON t.{child} = x.a AND t.{given} = x.b "
        f"WHERE true {keep.replace('AND _row_number', 'AND t._row_number')}"
    )
    for _, pos in gx.failures(frame, [check]) if len(frame) else []:
        con.register("_failg", pa.table({"_g": pa.array(pos, pa.int64())}))
        try:
            found = con.execute(failing).fetchnumpy()["_row_number"]
            rows.append(np.asarray(found, dtype=np.int64))
        finally:
            con.unregister("_failg")
    return np.concatenate(rows).astype(np.int64) if rows else np.zeros(0, np.int64)
