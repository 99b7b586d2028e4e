"""Scoring: measure the catalogue, run the engine, publish the results tables (the I/O shell),
and read them back as one :class:`Results` object for the faces and notebooks.
"""

from __future__ import annotations

from smartindex.scoring.publish import (
    ScoreRun,
    ScoringSetup,
    compute_scores,
    load_setup,
    prune_framework,
)
from smartindex.scoring.results import INDEX_CODE, LEVEL_NAMES, Results, load_results

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
