"""smartindex: smart-city scorecards, evaluations and annual reports from a city's raw data.

The public API, the same one the CLI, the Streamlit app and the PDF report use::

    import smartindex as si
    settings = si.Settings(db_path="data/warehouse.duckdb")
    si.run_etl(settings)                      # raw files -> validated DuckDB warehouse
    si.compute_scores(settings)               # indicators -> scores, ranks, audit, uncertainty
    results = si.load_results(settings.db_path)
    card = si.scorecard(results, year=results.latest_year, lang="en")
    recs = si.recommend(results, year=results.latest_year, lang="en")
    si.build_report(results, year=results.latest_year, lang="en")

Names are imported lazily, so ``import smartindex`` stays fast and light.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from smartindex.config import Settings
from smartindex.errors import (
    CatalogueError,
    DataFileError,
    MethodError,
    SmartIndexError,
    WarehouseError,
)

_LAZY = {
    "write_sample": "smartindex.sample",
    "load_profile": "smartindex.cities.profile",
    "settings_for": "smartindex.cities.settings",
    "load_mapping": "smartindex.etl.mapping",
    "apply_mapping": "smartindex.etl.mapping",
    "run_etl": "smartindex.etl",
    "load_registry": "smartindex.etl",
    "load_catalogue": "smartindex.indicators",
    "measure": "smartindex.indicators",
    "compute_scores": "smartindex.scoring",
    "load_results": "smartindex.scoring.results",
    "Results": "smartindex.scoring.results",
    "Framework": "smartindex.engine",
    "MethodSpec": "smartindex.engine",
    "build_index": "smartindex.engine",
    "audit": "smartindex.engine",
    "uncertainty": "smartindex.engine",
    "run_evaluation": "smartindex.engine.evaluate",
    "scorecard": "smartindex.analysis.scorecard",
    "recommend": "smartindex.analysis.recommend",
    "build_report": "smartindex.report",
}

__all__ = [  # noqa: PLE0604 - the lazy names are strings too
    "CatalogueError",
    "DataFileError",
    "MethodError",
    "Settings",
    "SmartIndexError",
    "WarehouseError",
    *_LAZY,
]

if TYPE_CHECKING:  # pragma: no cover
    from smartindex.scoring.results import Results, load_results  # noqa: F401


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'smartindex' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
