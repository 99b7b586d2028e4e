"""Compare two ETL warehouses: same tables, rows, quarantine and manifest (a script, not a test).

    .venv/bin/python tests/etl/compare_warehouses.py BEFORE.duckdb AFTER.duckdb

Every table and view of every schema (``main`` and each city's ``city_<code>``) must exist
in both with the same columns and hold the same rows (a multiset: ``EXCEPT ALL`` both ways),
leaving out what differs from run to run by design: load ids (``_load_id``, ``load_id``) and
the manifest's ``started_at`` / ``finished_at``.
Prints one line per relation and exits 1 on any difference.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

PER_RUN = {"_load_id", "load_id", "started_at", "finished_at"}


def relations(con: duckdb.DuckDBPyConnection, db: str) -> dict[str, list[tuple[str, str]]]:
    """Columns (name, type) of every table and view in ``db``, keyed ``schema.table``."""
    rows = con.execute(
        "SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_catalog = ? ORDER BY table_schema, table_name, ordinal_position",
        [db],
    ).fetchall()
    out: dict[str, list[tuple[str, str]]] = {}
    for schema, table, col, typ in rows:
        out.setdefault(f"{schema}.{table}", []).append((col, typ))
    return out


def differences(before: Path, after: Path) -> list[str]:
    """One line per relation: its row count and whether it matches; problems start with '!'."""
    con = duckdb.connect()
    con.execute(f"ATTACH '{before}' AS a (READ_ONLY)")
    con.execute(f"ATTACH '{after}' AS b (READ_ONLY)")
    ra, rb = relations(con, "a"), relations(con, "b")
    lines = [f"! only in {before.name}: {t}" for t in sorted(ra.keys() - rb.keys())]
    lines += [f"! only in {after.name}: {t}" for t in sorted(rb.keys() - ra.keys())]
    for t in sorted(ra.keys() & rb.keys()):
        if ra[t] != rb[t]:
            lines.append(f"! {t}: columns differ: {ra[t]} vs {rb[t]}")
            continue
        cols = ", ".join(f'"{c}"' for c, _ in ra[t] if c not in PER_RUN)
        q = '"{}"."{}"'.format(*t.split(".", 1))
        na, nb, only_a, only_b = (
            con.execute(sql).fetchall()[0][0]
            for sql in (
                f"SELECT count(*) FROM a.{q}",
                f"SELECT count(*) FROM b.{q}",
                f"SELECT count(*) FROM (SELECT {cols} FROM a.{q} "
                f"EXCEPT ALL SELECT {cols} FROM b.{q})",
                f"SELECT count(*) FROM (SELECT {cols} FROM b.{q} "
                f"EXCEPT ALL SELECT {cols} FROM a.{q})",
            )
        )
        same = na == nb and only_a == only_b == 0
        lines.append(
            f"{'  ' if same else '! '}{t}: {na:,} vs {nb:,} rows"
            + ("" if same else f", {only_a:,} only before, {only_b:,} only after")
        )
    con.close()
    return lines


def main() -> int:
    before, after = Path(sys.argv[1]), Path(sys.argv[2])
    lines = differences(before, after)
    print("\n".join(lines))
    bad = [ln for ln in lines if ln.startswith("!")]
    print(f"{len(lines) - len(bad)} relations identical, {len(bad)} differ")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
