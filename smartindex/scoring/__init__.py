"""Scoring: measure the catalogue, run the engine, publish the results tables (the I/O shell),
and read them back as one :class:`Results` object for the faces and notebooks.

The publishing names are loaded on first use (PEP 562): reading results (the app, the report)
never imports the engine and scipy that only scoring needs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from smartindex.scoring.results import INDEX_CODE, LEVEL_NAMES, Results, load_results

if TYPE_CHECKING:
    from smartindex.scoring.publish import (
        ScoreRun,
        ScoringSetup,
        compute_scores,
        load_setup,
        prune_framework,
    )

_PUBLISH = frozenset(
    {"ScoreRun", "ScoringSetup", "compute_scores", "load_setup", "prune_framework"}
)

__all__ = [
    "INDEX_CODE",
    "LEVEL_NAMES",
    "Results",
    "ScoreRun",
    "ScoringSetup",
    "compute_scores",
    "load_results",
    "load_setup",
    "prune_framework",
]


def __getattr__(name: str) -> object:
    """``smartindex.scoring.compute_scores`` and the other publishing names, imported lazily."""
    if name in _PUBLISH:
        return getattr(importlib.import_module("smartindex.scoring.publish"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
