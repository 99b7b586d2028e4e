"""The result object the app, the report and notebooks read: tidy frames loaded from the warehouse.

Warehouse tables written by ``smartindex score`` (see ``smartindex.scoring``):

=====================  ==========================================================================
table                  columns
=====================  ==========================================================================
indicator_values       code, area_code, area_level, year, value, numerator, denominator, n_obs,
                       coverage, is_reported, sources, load_ids
scores                 run_id, comparison, area_code, year, code, level, level_name, score, rank,
                       coverage
uncertainty_ranks      run_id, comparison, area_code, year, nominal_rank, median_rank, mean_rank,
                       q05, q95
sensitivity_indices    run_id, comparison, assumption, first_order, total
audit_indicators       run_id, comparison, code, n, availability, min, max, mean, median, sd,
                       skew, kurt, outlier_flag
run_manifest           run_id, created_at, method_json, method_digest, catalogue_version,
                       catalogue_digest, framework_digest, input_checksums_json, package_version
=====================  ==========================================================================

``comparison`` is the reference set a score was normalised within: ``cities`` (the home city and
its peers) or ``kecamatan`` (the home city's districts). ``level`` counts from the leaves:
1 indicator, 2 factor, 3 dimension, 4 index (code ``INDEX``).
"""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar, cast

import duckdb
import pandas as pd

from smartindex.errors import WarehouseError
from smartindex.indicators.access import ACCESS_COLUMNS
from smartindex.indicators.catalogue import Catalogue, load_catalogue
from smartindex.warehouse.cities import cities_in, city_schema, main_city
from smartindex.warehouse.connection import connect, query_df, table_exists

LEVEL_NAMES = {1: "indicator", 2: "factor", 3: "dimension", 4: "index"}
INDEX_CODE = "INDEX"
COMPARISONS = ("cities", "kecamatan")
T = TypeVar("T")
_KEY_LOCKS: dict[tuple[int, tuple[object, ...]], threading.Lock] = {}
_KEY_LOCKS_GUARD = threading.Lock()

_QUERIES: dict[str, str] = {
    "indicator_values": "select * from indicator_values order by code, area_code, year",
    "targets": """
        select indicator_code as code, kode_wilayah as area_code, year, target, document, source,
               is_synthetic
        from targets order by code, area_code, year""",
    "regions": """
        select kode_wilayah as area_code, level, name, parent_kode as parent, is_home_city, zone,
               area_km2, lat, lon, valid_from, valid_to, source, is_synthetic
        from region order by kode_wilayah""",
    "population": """
        select kode_wilayah as area_code, year, population, households, source, is_synthetic
        from population order by area_code, year""",
    "load_manifest": "select * from load_manifest order by started_at",
    # boundary polygons for maps (smartindex.etl.boundaries): geometry is GeoJSON text
    "shapes": """
        select kode_wilayah as area_code, level, name, parent_kode as parent, geometry, source,
               licence, attribution
        from region_shapes order by kode_wilayah""",
    # one row per file: what the warehouse holds now (load_manifest is the history)
    "load_current": "select * from load_current order by source_file",
    "access": "select * from access_shares order by asset, radius_m, year, area_code",
    "quarantine_summary": """
        select table_name, source_file, expectation, columns, count(*) as n_rows,
               any_value(reason) as example_reason, any_value(row_json) as example_row
        from quarantine group by all order by n_rows desc""",
}
_RUN_QUERIES: dict[str, str] = {
    "scores": "select * exclude (run_id) from scores where run_id = ? "
    "order by comparison, level desc, code, area_code, year",
    "uncertainty": "select * exclude (run_id) from uncertainty_ranks where run_id = ? "
    "order by comparison, year, nominal_rank",
    "sensitivity": "select * exclude (run_id) from sensitivity_indices where run_id = ? "
    "order by comparison, total desc",
    "audit": "select * exclude (run_id) from audit_indicators where run_id = ? "
    "order by comparison, code",
}


@dataclass(frozen=True)
class Results:
    """Everything one scoring run published, as tidy frames (picklable for caches)."""

    city: str
    indicator_values: pd.DataFrame
    targets: pd.DataFrame
    scores: pd.DataFrame
    uncertainty: pd.DataFrame
    sensitivity: pd.DataFrame
    audit: pd.DataFrame
    regions: pd.DataFrame
    population: pd.DataFrame
    load_manifest: pd.DataFrame
    quarantine_summary: pd.DataFrame
    catalogue: Catalogue
    access: pd.DataFrame = field(default_factory=pd.DataFrame)
    load_current: pd.DataFrame = field(default_factory=pd.DataFrame)
    manifest: dict[str, Any] = field(default_factory=dict)
    shapes: pd.DataFrame = field(default_factory=pd.DataFrame)
    # derived values computed once per results (e.g. the status model both languages share,
    # the indicator rows the scorecard and the recommendations share); not part of equality,
    # filled only through :meth:`memoised`
    memo: dict[tuple[object, ...], object] = field(default_factory=dict, compare=False, repr=False)

    def memoised(self, key: tuple[object, ...], compute: Callable[[], T]) -> T:
        """``compute()`` once per ``key`` for these results; callers get a copy to change
        (a frame's ``copy()``, else a deep copy).  Thread-safe: a second caller of a key being
        computed (the app's warm-up thread and a page) waits for it instead of computing it too."""
        if key not in self.memo:
            with _key_lock(self, key):
                if key not in self.memo:
                    self.memo[key] = compute()
        kept = cast(T, self.memo[key])
        return cast(T, kept.copy()) if isinstance(kept, pd.DataFrame) else copy.deepcopy(kept)

    @property
    def years(self) -> list[int]:
        """Years with at least one indicator value for the home city, ascending."""
        own = self.indicator_values[self.indicator_values["area_code"] == self.city]
        return sorted(int(y) for y in own["year"].unique())

    @property
    def latest_year(self) -> int:
        """The most recent year with indicator values for the home city."""
        if not self.years:
            raise WarehouseError("no indicator values for the home city; run `smartindex score`")
        return self.years[-1]

    @cached_property
    def area_names(self) -> dict[str, str]:
        """Display name of every area code in ``regions`` (first row of a code wins)."""
        names = self.regions.drop_duplicates("area_code")
        return dict(zip(names["area_code"].astype(str), names["name"].astype(str), strict=True))

    def area_name(self, area_code: str) -> str:
        """Display name of an area code (falls back to the code)."""
        return self.area_names.get(area_code, area_code)


def _key_lock(results: Results, key: tuple[object, ...]) -> threading.Lock:
    """The lock of one memo key of one results object (keys computed inside a key's
    computation are other keys: they never wait on each other in a cycle)."""
    with _KEY_LOCKS_GUARD:
        return _KEY_LOCKS.setdefault((id(results), key), threading.Lock())


def _read(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None
) -> pd.DataFrame:
    return query_df(con, sql, params)


def _latest_run(con: duckdb.DuckDBPyConnection) -> str:
    if not table_exists(con, "run_manifest"):
        raise WarehouseError("the warehouse has no scores yet; run `smartindex score`")
    row = con.execute(
        "select run_id from run_manifest order by created_at desc, run_id desc limit 1"
    ).fetchall()
    if not row:
        raise WarehouseError("the warehouse has no scores yet; run `smartindex score`")
    return str(row[0][0])


def load_results(
    db_path: Path | str,
    *,
    run_id: str | None = None,
    city: str | None = None,
    catalogue: Catalogue | None = None,
) -> Results:
    """Load the published results of ``run_id`` (default: the latest run) read-only, with the
    catalogue they were measured with (default: the packaged one), for ``city`` (default: the
    home city the warehouse holds, :func:`home_city`)."""
    with connect(db_path, read_only=True, city=city) as con:
        run = run_id or _latest_run(con)
        frames = {
            name: _read(con, sql) if table_exists(con, _table_of(name)) else _empty(name)
            for name, sql in _QUERIES.items()
        }
        for name, sql in _RUN_QUERIES.items():
            table = sql.split(" from ")[1].split()[0]
            frames[name] = _read(con, sql, [run]) if table_exists(con, table) else pd.DataFrame()
        manifest_row = _read(con, "select * from run_manifest where run_id = ?", [run])
    if manifest_row.empty:
        raise WarehouseError(f"run {run!r} not found in run_manifest")
    manifest = _manifest_dict(manifest_row.iloc[0])
    return Results(
        city=city or home_city(frames["regions"]),
        manifest=manifest,
        catalogue=catalogue or load_catalogue(),
        **cast(dict[str, Any], frames),  # one frame per table query
    )


def stored_cities(db_path: Path | str) -> list[str]:
    """BPS codes of the cities a warehouse holds (read-only; see
    :mod:`smartindex.warehouse.cities`), or [] when there is no warehouse or no city yet."""
    return list(stored_city_names(db_path))


def stored_city_names(db_path: Path | str) -> dict[str, str]:
    """BPS code -> name (``region.name`` of its home row; the code when there is none) of every
    city a warehouse holds, in code order; {} when there is no warehouse or no city yet."""
    if not Path(db_path).is_file():
        return {}
    try:
        with connect(db_path, read_only=True, choose=False) as con:
            schemas = {code: city_schema(code) for code in cities_in(con)}
            held = None if schemas else main_city(con)
            schemas = schemas or ({held: "main"} if held else {})
            return {code: _city_name(con, schema, code) for code, schema in schemas.items()}
    except (duckdb.Error, WarehouseError):  # not a warehouse: the command itself says so
        return {}


def _city_name(con: duckdb.DuckDBPyConnection, schema: str, code: str) -> str:
    try:
        row = con.execute(
            f"select any_value(name) from {schema}.region where kode_wilayah = ?", [code]
        ).fetchall()
    except duckdb.CatalogException:  # no region file loaded yet
        return code
    return str(row[0][0] or code)


def home_city(regions: pd.DataFrame) -> str:
    """The code of the home city in ``regions`` (``area_code, level, is_home_city``): the one
    ``kota`` row with ``is_home_city`` (a city's schema holds one).

    >>> home_city(pd.DataFrame({"area_code": ["1375", "1371", "1375010"],
    ...     "level": ["kota", "kota", "kecamatan"], "is_home_city": [True, False, True]}))
    '1375'
    """
    if regions.empty or "is_home_city" not in regions:
        raise WarehouseError("the warehouse has no region table; run `smartindex etl`")
    home = regions.loc[
        (regions["level"] == "kota") & regions["is_home_city"].fillna(False).astype(bool),
        "area_code",
    ]
    codes = sorted({str(c) for c in home})
    if len(codes) != 1:
        found = ", ".join(codes) or "none"
        raise WarehouseError(
            f"region: expected one home city (level kota, is_home_city true), found {found}"
        )
    return codes[0]


# the columns of frames whose table a city may lack (no targets, no boundaries ...): the faces
# filter them by column, so an absent table is an empty frame with its columns
_COLUMNS = {
    "targets": ["code", "area_code", "year", "target", "document", "source", "is_synthetic"],
    "population": ["area_code", "year", "population", "households", "source", "is_synthetic"],
    "shapes": [
        *("area_code", "level", "name", "parent", "geometry", "source", "licence", "attribution")
    ],
    "access": [*ACCESS_COLUMNS],
}


def _empty(name: str) -> pd.DataFrame:
    """The frame of an absent table: no rows, its columns when known."""
    return pd.DataFrame(columns=_COLUMNS.get(name, []))


def _table_of(name: str) -> str:
    return {
        "regions": "region",
        "quarantine_summary": "quarantine",
        "access": "access_shares",
        "shapes": "region_shapes",
    }.get(name, name)


def _manifest_dict(row: pd.Series) -> dict[str, Any]:
    out = {str(k): (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}
    for key in ("method_json", "uncertainty_json", "input_checksums_json"):
        if isinstance(out.get(key), str):
            out[key.removesuffix("_json")] = json.loads(out.pop(key))
    return out
