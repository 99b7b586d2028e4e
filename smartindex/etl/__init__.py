"""Validated, lossless, transactional ETL of raw city files into the DuckDB warehouse.

``run_etl(settings)`` reads sources.toml, validates every matched file (types in DuckDB,
expectations with Great Expectations), quarantines invalid rows with their line numbers
(header = line 1, first data row = line 2) and publishes the warehouse by an atomic file swap.
Great Expectations is imported only when a file is actually validated.
"""

from __future__ import annotations

from smartindex.etl.progress import EtlReport, FileReport
from smartindex.etl.registry import Registry, Source, load_registry
from smartindex.etl.run import run_etl

__all__ = ["EtlReport", "FileReport", "Registry", "Source", "load_registry", "run_etl"]
