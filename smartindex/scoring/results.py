"""The result object the app, the report and notebooks read: tidy frames loaded from the warehouse.

Warehouse tables written by ``smartindex score`` (see ``smartindex.scoring``):

=====================  ==========================================================================
table                  columns
=====================  ==========================================================================
indicator_values       code, unit, unit_level, year, value, numerator, denominator, n_obs,
                       coverage, is_reported, sources, load_ids
scores                 run_id, comparison, unit, year, code, level, level_name, score, rank,
                       coverage
uncertainty_ranks      run_id, comparison, unit, year, nominal_rank, median_rank, mean_rank,
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

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from smartindex.errors import WarehouseError
from smartindex.indicators.catalogue import Catalogue, load_catalogue
from smartindex.warehouse.connection import connect, query_df, table_exists

LEVEL_NAMES = {1: "indicator", 2: "factor", 3: "dimension", 4: "index"}
INDEX_CODE = "INDEX"
COMPARISONS = ("cities", "kecamatan")

_QUERIES: dict[str, str] = {
    "indicator_values": "select * from indicator_values order by code, unit, year",
    "targets": """
        select indicator_code as code, kode_wilayah as unit, year, target, document, source,
               is_synthetic
        from targets order by code, unit, year""",
    "regions": """
        select kode_wilayah as unit, level, name, parent_kode as parent, is_home_city, zone,
               area_km2, lat, lon, valid_from, valid_to, source, is_synthetic
        from region order by kode_wilayah""",
    "population": """
        select kode_wilayah as unit, year, population, households, source, is_synthetic
        from population order by unit, year""",
    "load_manifest": "select * from load_manifest order by started_at",
    # boundary polygons for maps (smartindex.etl.boundaries): geometry is GeoJSON text
    "shapes": """
        select kode_wilayah as unit, level, name, parent_kode as parent, geometry, source,
               licence, attribution
        from region_shapes order by kode_wilayah""",
    # one row per file: what the warehouse holds now (load_manifest is the history)
    "load_current": "select * from load_current order by source_file",
    "access": "select * from access_shares order by asset, radius_m, year, unit",
    "quarantine_summary": """
        select table_name, source_file, expectation, columns, count(*) as n_rows,
               any_value(reason) as example_reason, any_value(row_json) as example_row
        from quarantine group by all order by n_rows desc""",
}
_RUN_QUERIES: dict[str, str] = {
    "scores": "select * exclude (run_id) from scores where run_id = ? "
    "order by comparison, level desc, code, unit, year",
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

    @property
    def years(self) -> list[int]:
        """Years with at least one indicator value for the home city, ascending."""
        own = self.indicator_values[self.indicator_values["unit"] == self.city]
        return sorted(int(y) for y in own["year"].unique())

    @property
    def latest_year(self) -> int:
        """The most recent year with indicator values for the home city."""
        if not self.years:
            raise WarehouseError("no indicator values for the home city; run `smartindex score`")
        return self.years[-1]

    def unit_name(self, unit: str) -> str:
        """Display name of a unit code (falls back to the code)."""
        match = self.regions.loc[self.regions["unit"] == unit, "name"]
        return str(match.iloc[0]) if len(match) else unit


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
    city: str = "1671",
    catalogue: Catalogue | None = None,
) -> Results:
    """Load the published results of ``run_id`` (default: the latest run) read-only, with the
    catalogue they were measured with (default: the packaged one)."""
    with connect(db_path, read_only=True) as con:
        run = run_id or _latest_run(con)
        frames = {
            name: _read(con, sql) if table_exists(con, _table_of(name)) else pd.DataFrame()
            for name, sql in _QUERIES.items()
        }
        for name, sql in _RUN_QUERIES.items():
            table = sql.split(" from ")[1].split()[0]
            frames[name] = _read(con, sql, [run]) if table_exists(con, table) else pd.DataFrame()
        manifest_row = _read(con, "select * from run_manifest where run_id = ?", [run])
    if manifest_row.empty:
        raise WarehouseError(f"run {run!r} not found in run_manifest")
    manifest = _manifest_dict(manifest_row.iloc[0])
    return Results(city=city, manifest=manifest, catalogue=catalogue or load_catalogue(), **frames)


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
