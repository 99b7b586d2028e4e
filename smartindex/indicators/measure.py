"""Measure indicators: run each catalogue query in DuckDB into the long table ``indicator_values``.

Columns of the result: code, area_code (kode_wilayah), area_level (kota | kecamatan), year, value,
numerator, denominator, n_obs, coverage, is_reported, is_synthetic, official_share, sources,
inputs, load_ids.

* ``coverage`` is the share of the records behind a value that carried the data the value needs
  (``n_valid / n_obs`` from the query: e.g. valid sensor-days of all sensor-days, respondents who
  answered of all respondents, months of ridership reported of 12). Queries that return no
  ``n_valid`` (official statistics, inventories, SLA rates where a missing timestamp is a
  breach) have coverage 1. Reported peer values have coverage NULL (unknown).
* ``is_reported`` marks values taken from ``peer_indicator_values``; they are used only where the
  catalogue query gives no value for that code, area_code and year.
* Values are rounded to 10 decimals so that results do not depend on the order of parallel
  floating-point sums (measure is deterministic).
* Provenance: ``official_share`` is the share (0-1) of the records behind the value that are
  official figures (``is_synthetic = false`` in the raw data) and ``sources`` names their
  publisher, document and year (the raw ``source`` texts). Queries may return both (the
  ``stat_*`` macros do, row by row); otherwise they come from the indicator's first input table
  (the records the value is built from). ``is_synthetic`` is true unless the value rests wholly
  on official figures (official_share = 1). Reported peer values carry their own row's.
* ``inputs`` are the catalogue ``inputs`` (tables read); ``load_ids`` the distinct ``_load_id``
  lineage values (load_manifest ids) found in those tables, comma-joined.
* Working hours and days (complaint service levels) follow the city's working week
  (``week``, from ``Settings.work_week``, i.e. the profile's ``[working_time]``; None = the
  national week of Perpres 21/2023, see :mod:`smartindex.indicators.calendar`).
* Complaint SLA rates are right-censored per extract: ``extract_times`` (a temporary view of
  ``load_manifest.extracted_at`` per load id) gives each raw file's cut-off.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb
import pandas as pd

from smartindex.config import WorkWeek
from smartindex.errors import CatalogueError, WarehouseError
from smartindex.indicators.calendar import calendar_installed, install_calendar
from smartindex.indicators.catalogue import CONTRACT, OPTIONAL_COLUMNS, Catalogue, Indicator
from smartindex.warehouse.cities import VISIBLE_TABLES
from smartindex.warehouse.connection import table_exists

Connection = duckdb.DuckDBPyConnection
COLUMNS = (
    "code",
    "area_code",
    "area_level",
    "year",
    "value",
    "numerator",
    "denominator",
    "n_obs",
    "coverage",
    "is_reported",
    "is_synthetic",
    "official_share",
    "sources",
    "inputs",
    "load_ids",
)
MAX_SOURCES = 3
REPORTED_TABLE = "peer_indicator_values"
_EMPTY_RESULT = pd.DataFrame({c: pd.Series(dtype="float64") for c in CONTRACT})
_EMPTY_PEERS = """
create or replace temp view peer_indicator_values as
select null::varchar as kode_wilayah, null::integer as year, null::varchar as indicator_code,
       null::double as value, null::boolean as is_synthetic, null::varchar as source
where false
"""
_EXTRACT_TIMES = """
create or replace temp view extract_times as
select load_id, max(extracted_at) as extracted_at
from load_manifest
where status in ('loaded', 'replaced')
group by load_id
"""
_NO_EXTRACT_TIMES = """
create or replace temp view extract_times as
select null::varchar as load_id, null::timestamp as extracted_at
where false
"""
_FINISH = """
with computed as (
    select c.code, c.area_code, c.year, c.value, c.numerator, c.denominator, c.n_obs,
           case when c.n_valid is null then 1.0
                when c.n_obs > 0 then least(greatest(c.n_valid / c.n_obs, 0.0), 1.0)
           end as coverage,
           false as is_reported, coalesce(c.official_share, l.official_share) as official_share,
           coalesce(c.sources, l.sources) as sources, l.inputs, l.load_ids
    from _si_computed c
    left join _si_lineage l on l.code = c.code
    where c.value is not null and isfinite(c.value)
), reported as (
    select p.indicator_code as code, p.kode_wilayah as area_code, p.year, p.value,
           null::double as numerator, null::double as denominator, null::bigint as n_obs,
           null::double as coverage, true as is_reported,
           case when p.is_synthetic then 0.0 when not p.is_synthetic then 1.0 end
               as official_share,
           p.source as sources, ? as inputs, ? as load_ids
    from peer_indicator_values p
    where p.indicator_code in (select unnest(?::varchar[]))
      and p.value is not null
      and not exists (
          select 1 from computed c
          where c.code = p.indicator_code and c.area_code = p.kode_wilayah and c.year = p.year)
), combined as (
    select * from computed
    union all
    select * from reported
)
select m.code, m.area_code, r.level as area_level, m.year::integer as year,
       round(m.value, 10) as value, round(m.numerator, 10) as numerator,
       round(m.denominator, 10) as denominator, m.n_obs, round(m.coverage, 10) as coverage,
       m.is_reported, coalesce(m.official_share < 1, true) as is_synthetic,
       round(m.official_share, 10) as official_share, m.sources, m.inputs, m.load_ids
from combined m
join region r on r.kode_wilayah = m.area_code
where r.level in ('kota', 'kecamatan')
order by m.code, m.area_code, m.year
"""


def _frame(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None
) -> pd.DataFrame:
    """Run ``sql`` with bound parameters into a pandas frame."""
    return con.execute(sql, params or []).df()


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def prepare_connection(
    con: duckdb.DuckDBPyConnection, catalogue: Catalogue, *, week: WorkWeek | None = None
) -> None:
    """Create the working-day calendar and the catalogue's macros (temporary objects).

    ``week`` is the city's working week (``Settings.work_week``). Without one, a calendar
    already on ``con`` is kept (so the complaint tables published after :func:`measure` count
    the same working time), else the national week is installed.
    A macro over a table the warehouse lacks is skipped: the indicators reading that table are
    skipped too (see :func:`missing_inputs`).
    """
    if week is not None or not calendar_installed(con):
        install_calendar(con, week=week)
    con.execute(
        _EXTRACT_TIMES if _has_column(con, "load_manifest", "extracted_at") else _NO_EXTRACT_TIMES
    )
    for macro in catalogue.macros:
        try:
            con.execute(macro.sql)
        except duckdb.CatalogException:
            continue
        except duckdb.Error as exc:
            raise CatalogueError(f"macro {macro.name}: {_first_line(exc)}") from exc


def _has_column(con: duckdb.DuckDBPyConnection, table: str, column: str) -> bool:
    rows = con.execute(  # fetchall: an unfinished result would block the next register()
        "select count(*) from information_schema.columns where "
        f"{VISIBLE_TABLES} and table_name = ? and column_name = ?",
        [table, column],
    ).fetchall()
    return bool(rows and rows[0][0])


def missing_inputs(con: duckdb.DuckDBPyConnection, catalogue: Catalogue) -> dict[str, list[str]]:
    """Indicator code → its input tables absent from the warehouse (only codes lacking some)."""
    present = set(
        _frame(con, f"select table_name from information_schema.tables where {VISIBLE_TABLES}")[
            "table_name"
        ]
    )
    out = {ind.code: [t for t in ind.inputs if t not in present] for ind in catalogue.indicators}
    return {code: tables for code, tables in out.items() if tables}


def validate_queries(
    con: duckdb.DuckDBPyConnection, catalogue: Catalogue, *, week: WorkWeek | None = None
) -> None:
    """Run every query and check its contract; a missing input table is a WarehouseError."""
    missing = missing_inputs(con, catalogue)
    if missing:
        code, tables = next(iter(missing.items()))
        raise WarehouseError(
            f"indicator {code}: warehouse lacks table(s) {tables} "
            f"({len(missing)} indicator(s) affected)"
        )
    prepare_connection(con, catalogue, week=week)
    for ind in catalogue.indicators:
        run_indicator(con, ind)


def _check_contract(ind: Indicator, columns: list[str]) -> None:
    missing = [c for c in CONTRACT if c not in columns]
    extra = [c for c in columns if c not in CONTRACT + OPTIONAL_COLUMNS]
    if missing or extra:
        raise CatalogueError(
            f"indicator {ind.code}: query must return {list(CONTRACT)} "
            f"[+ {list(OPTIONAL_COLUMNS)}]; missing {missing}, extra {extra}"
        )


def _typed(ind: Indicator, raw: pd.DataFrame) -> pd.DataFrame:
    """Contract columns with fixed dtypes, the code first; n_obs/n_valid added when absent."""
    out = pd.DataFrame(
        {
            "code": pd.Series([ind.code] * len(raw), dtype="string"),
            "area_code": raw["area_code"].astype("string"),
            "year": raw["year"].astype("Int64"),
        }
    )
    for col in ("value", "numerator", "denominator"):
        out[col] = pd.to_numeric(raw[col], errors="coerce").astype("float64")
    for col in ("n_obs", "n_valid", "official_share"):
        out[col] = (
            pd.to_numeric(raw[col], errors="coerce").astype("float64")
            if col in raw.columns
            else float("nan")
        )
    out["sources"] = (
        raw["sources"].astype("string")
        if "sources" in raw.columns
        else pd.Series([pd.NA] * len(raw), dtype="string")
    )
    return out


def run_indicator(con: duckdb.DuckDBPyConnection, ind: Indicator) -> pd.DataFrame:
    """Run one indicator's query (macros must be prepared); contract-checked, typed frame."""
    try:
        result = con.execute(ind.sql)
        columns = [d[0] for d in result.description]
        _check_contract(ind, columns)
        raw = result.df()
    except duckdb.Error as exc:
        raise CatalogueError(f"indicator {ind.code}: query failed: {_first_line(exc)}") from exc
    frame = _typed(ind, raw)
    if frame["area_code"].isna().any() or frame["year"].isna().any():
        raise CatalogueError(f"indicator {ind.code}: query returned rows without area_code or year")
    if frame.duplicated(["area_code", "year"]).any():
        dup = frame[frame.duplicated(["area_code", "year"])].iloc[0]
        raise CatalogueError(
            f"indicator {ind.code}: several rows for area {dup['area_code']} year {dup['year']}"
        )
    if ind.min_n is not None:
        support = frame["n_valid"].fillna(frame["n_obs"])
        frame = frame[support.isna() | (support >= ind.min_n)]
    return frame.reset_index(drop=True)


def _load_ids(con: duckdb.DuckDBPyConnection, tables: Iterable[str]) -> dict[str, list[str]]:
    """Distinct ``_load_id`` lineage values per table (empty when the column is absent)."""
    traced = set(
        _frame(
            con,
            f"""
        select table_name from information_schema.columns
        where {VISIBLE_TABLES} and column_name = '_load_id'""",
        )["table_name"]
    )
    out: dict[str, list[str]] = {}
    for table in sorted(set(tables)):
        if table in traced:  # names come from the validated catalogue (lower snake case)
            rows = con.execute(
                f'select distinct cast(_load_id as varchar) from "{table}" '
                "where _load_id is not null order by 1"
            ).fetchall()
            out[table] = [r[0] for r in rows]
        else:
            out[table] = []
    return out


def source_text(sources: list[str]) -> str | None:
    """Distinct source texts, joined; at most ``MAX_SOURCES`` named, then a count."""
    if not sources:
        return None
    named = " | ".join(sources[:MAX_SOURCES])
    more = len(sources) - MAX_SOURCES
    return named + (f" | and {more} more" if more > 0 else "")


def table_provenance(con: duckdb.DuckDBPyConnection, table: str) -> tuple[float | None, str | None]:
    """(share of official rows, distinct ``source`` texts) of a raw table; None when unknown.
    The text of a row flagged ``is_synthetic`` is marked ``synthetic: …`` (unless it already
    is), so no face can list a non-official text among official sources."""
    if not (_has_column(con, table, "is_synthetic") and _has_column(con, table, "source")):
        return None, None
    share = con.execute(
        f'select avg(case when is_synthetic then 0.0 else 1.0 end) from "{table}"'
    ).fetchone()
    names = con.execute(
        f"""select distinct case when is_synthetic and not lower(source) like 'synthetic:%'
                                 then 'synthetic: ' || source else source end
            from "{table}" where source is not null order by 1"""
    ).fetchall()
    return (share[0] if share else None), source_text([str(r[0]) for r in names])


def lineage_frame(con: duckdb.DuckDBPyConnection, indicators: Iterable[Indicator]) -> pd.DataFrame:
    """code, inputs (tables read) and load_ids (their load ids), comma-joined, plus the fallback
    provenance (official_share, sources) of each indicator's first input table."""
    indicators = list(indicators)
    ids = _load_ids(con, [t for ind in indicators for t in ind.inputs])
    prov = {t: table_provenance(con, t) for t in {ind.inputs[0] for ind in indicators}}
    rows = [
        (
            ind.code,
            ",".join(ind.inputs),
            ",".join(sorted({i for t in ind.inputs for i in ids[t]})),
            *prov[ind.inputs[0]],
        )
        for ind in indicators
    ]
    frame = pd.DataFrame(rows, columns=["code", "inputs", "load_ids", "official_share", "sources"])
    return frame.astype(
        {
            "code": "string",
            "inputs": "string",
            "load_ids": "string",
            "official_share": "float64",
            "sources": "string",
        }
    )


def _choose(catalogue: Catalogue, codes: Iterable[str] | None) -> list[Indicator]:
    if codes is None:
        return list(catalogue.indicators)
    return [catalogue.indicator(code) for code in dict.fromkeys(codes)]


def measure(
    con: duckdb.DuckDBPyConnection,
    catalogue: Catalogue,
    *,
    codes: Iterable[str] | None = None,
    week: WorkWeek | None = None,
) -> pd.DataFrame:
    """Measure the catalogue (or ``codes``) on the warehouse behind ``con``: the long table.

    ``week``: the city's working week for working hours and days (``Settings.work_week``;
    None = see :func:`prepare_connection`).
    Indicators whose input tables are absent give no rows (list them with ``missing_inputs``).
    """
    chosen = _choose(catalogue, codes)
    if not chosen:
        raise CatalogueError("measure: no indicator codes selected")
    prepare_connection(con, catalogue, week=week)
    missing = missing_inputs(con, catalogue)
    computed = pd.concat(
        [run_indicator(con, ind) for ind in chosen if ind.code not in missing]
        + [_typed(chosen[0], _EMPTY_RESULT)],
        ignore_index=True,
    )
    if not table_exists(con, REPORTED_TABLE):
        con.execute(_EMPTY_PEERS)
    peer_ids = _load_ids(con, [REPORTED_TABLE])[REPORTED_TABLE]
    con.register("_si_computed", computed)
    con.register("_si_lineage", lineage_frame(con, chosen))
    try:
        frame = _frame(
            con, _FINISH, [REPORTED_TABLE, ",".join(peer_ids), [ind.code for ind in chosen]]
        )
    finally:
        con.unregister("_si_computed")
        con.unregister("_si_lineage")
    frame["n_obs"] = frame["n_obs"].round().astype("Int64")
    return frame[list(COLUMNS)]


def measure_dimension(
    con: duckdb.DuckDBPyConnection, catalogue: Catalogue, dimension: str
) -> pd.DataFrame:
    """Measure the indicators of one dimension."""
    return measure(con, catalogue, codes=[i.code for i in catalogue.for_dimension(dimension)])


def write_indicator_values(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame) -> None:
    """Store ``frame`` as the table ``indicator_values`` (replacing it)."""
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise CatalogueError(f"indicator_values frame lacks column(s) {missing}")
    con.register("_si_values", frame[list(COLUMNS)])
    try:
        con.execute("create or replace table indicator_values as select * from _si_values")
    finally:
        con.unregister("_si_values")


def measure_indicator_values(
    con: duckdb.DuckDBPyConnection,
    catalogue: Catalogue,
    *,
    codes: Iterable[str] | None = None,
    week: WorkWeek | None = None,
) -> pd.DataFrame:
    """Measure and store ``indicator_values``; returns the frame."""
    frame = measure(con, catalogue, codes=codes, week=week)
    write_indicator_values(con, frame)
    return frame


def targets_frame(
    con: duckdb.DuckDBPyConnection, catalogue: Catalogue | None = None
) -> pd.DataFrame:
    """Targets as ``area_code, year, code, target`` (empty when the warehouse has none)."""
    if not table_exists(con, "targets"):
        return pd.DataFrame(
            {
                "area_code": pd.Series(dtype="string"),
                "year": pd.Series(dtype="Int64"),
                "code": pd.Series(dtype="string"),
                "target": pd.Series(dtype="float64"),
            }
        )
    frame = _frame(
        con,
        """
        select t.kode_wilayah as area_code, t.year, t.indicator_code as code, t.target
        from targets t
        where t.target is not null
        order by code, area_code, year""",
    )
    if catalogue is not None:
        frame = frame[frame["code"].isin(catalogue.codes)].reset_index(drop=True)
    return frame


def excluded_complaints(con: duckdb.DuckDBPyConnection, catalogue: Catalogue) -> pd.DataFrame:
    """Rejected, returned ('bukan wewenang') and duplicate tickets per area and year, reported
    apart (``complaints.outcomes`` gives every outcome with shares of all tickets received)."""
    prepare_connection(con, catalogue)
    return _frame(
        con,
        """
        select c.area_code, c.year, c.status, count(*) as tickets
        from complaint_records() c
        where c.status in ('rejected', 'returned', 'duplicate')
        group by c.area_code, c.year, c.status
        order by c.area_code, c.year, c.status""",
    )
