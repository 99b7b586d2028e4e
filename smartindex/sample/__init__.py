"""``smartindex sample``: a deterministic, realistic raw data set for Kota Palembang.

``write_sample(out_dir, scale=, seed=, years=)`` writes every raw file the registry
(smartindex/etl/sources.toml) declares, plus ``sample_manifest.json`` listing rows and injected
defects. Each file draws from its own random stream, so files never depend on each other's
draw order; the same arguments always give byte-identical files.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pyarrow as pa

from smartindex.errors import SmartIndexError
from smartindex.sample import (
    egov,
    infrastructure,
    official,
    sensors,
    services,
    survey,
    targets,
    transit,
)
from smartindex.sample.common import GENERATOR, Spec
from smartindex.sample.defects import Result
from smartindex.sample.geography import population_table, region_table
from smartindex.sample.writer import write_csv, write_parquet

__all__ = ["SampleError", "write_sample"]
MANIFEST = "sample_manifest.json"
COMPRESS_UP_TO_SCALE = 2.0


class SampleError(SmartIndexError):
    """Bad arguments for the sample generator."""


def _check(scale: float, seed: int, years: tuple[int, int]) -> Spec:
    if not isinstance(scale, int | float) or not scale > 0:
        raise SampleError(f"scale must be a positive number, got {scale!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise SampleError(f"seed must be a non-negative integer, got {seed!r}")
    try:
        first, last = (int(y) for y in years)
    except (TypeError, ValueError):
        raise SampleError(f"years must be a pair (first, last), got {years!r}") from None
    if first > last:
        raise SampleError(f"years are reversed: {first} > {last}")
    if first < 2000 or last > 2100:
        raise SampleError(f"years must lie within 2000-2100, got {first}-{last}")
    return Spec(float(scale), seed, first, last)


def _static(spec: Spec) -> dict[str, Callable[[], pa.Table | Result]]:
    return {
        "region.csv": lambda: region_table(spec.seed),
        "population.csv": lambda: population_table(spec),
        "official_stats.csv": lambda: official.official_stats(spec),
        "egov_services.csv": egov.services_table,
        "wifi_hotspots.csv": lambda: infrastructure.wifi(spec),
        "cctv_cameras.csv": lambda: infrastructure.cctv(spec),
        "fiber_segments.csv": lambda: infrastructure.fiber(spec),
        "bts_sites.csv": lambda: infrastructure.bts(spec),
        "aq_sensors.csv": lambda: sensors.sensors_table(spec),
        "aq_readings.parquet": lambda: sensors.readings(spec),
        "transit_routes.csv": lambda: transit.routes_table(spec),
        "transit_stops.csv": lambda: transit.stops_table(spec),
        "transit_ridership.csv": lambda: transit.ridership_table(spec),
        "targets.csv": lambda: targets.targets(spec),
        "peer_indicator_values.csv": lambda: targets.peer_values(spec),
    }


def _yearly(spec: Spec, ext: str) -> dict[str, Callable[[], Result]]:
    out: dict[str, Callable[[], Result]] = {}
    for y in spec.years:
        out[f"complaints_{y}{ext}"] = partial(services.complaints, spec, y)
        out[f"egov_transactions_{y}{ext}"] = partial(egov.transactions, spec, y)
        out[f"survey_responses_{y}.csv"] = partial(survey.responses, spec, y)
    return out


def _write(path: Path, tbl: pa.Table) -> None:
    if path.suffix == ".parquet":
        write_parquet(tbl, path)
    elif path.name == "official_stats.csv":
        write_csv(tbl, path, delimiter=";", decimal=",")
    else:
        write_csv(tbl, path)


def write_sample(
    out_dir: Path,
    *,
    scale: float = 1.0,
    seed: int = 2026,
    years: tuple[int, int] = (2016, 2025),
    compress: bool | None = None,
) -> list[Path]:
    """Write the sample raw files into ``out_dir``; returns the paths written (manifest last).

    ``compress`` gzips the per-year complaint and e-gov transaction files (``.csv.gz``, mtime 0);
    the default compresses up to scale 2 (the bundled size budget) and writes plain CSV above.
    """
    spec = _check(scale, seed, years)
    ext = ".csv.gz" if (scale <= COMPRESS_UP_TO_SCALE if compress is None else compress) else ".csv"
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    files: dict[str, dict[str, Any]] = {}
    written: list[Path] = []
    for name, make in {**_static(spec), **_yearly(spec, ext)}.items():
        made = make()
        res = made if isinstance(made, Result) else Result(made)
        path = out_dir / name
        _write(path, res.table)
        written.append(path)
        files[name] = {"rows": res.table.num_rows, "defects": res.defects} | (
            {"notes": res.notes} if res.notes else {}
        )
    manifest = {
        "generator": GENERATOR,
        "seed": spec.seed,
        "scale": spec.scale,
        "years": [spec.first, spec.last],
        "row_numbers": "1-based data rows (header excluded: file line = row + 1)",
        "files": files,
    }
    path = out_dir / MANIFEST
    path.write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    written.append(path)
    return written
