"""IndexResult: everything one build produced, as tidy frames plus a manifest."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from smartindex.engine.framework import Framework
from smartindex.engine.method import MethodSpec

STAGES = ("raw", "denominated", "imputed", "screened", "treated", "normalised")


@dataclass(frozen=True)
class IndexResult:
    """Output of :func:`smartindex.engine.build_index`.

    Attributes
    ----------
    stages : long frames ``unit, year, code, value`` per stage (``imputed`` / ``treated``
        carry a boolean flag column of the same name).
    scores : ``unit, year, code, level, score, rank, coverage, n_children, low_coverage``
        for every element (indicators hold their normalised value).
    treatment : ``code, year, action, points_low, points_high, skew/kurt before/after``.
    screening : ``unit, year, availability, included``.
    imputation : cells filled: ``unit, year, code, value, method``.
    weights : ``code, parent, level, weight`` (renormalised within parent), ``effective``.
    manifest : method spec and digest, framework digest, input checksum, version, engine.
    notes : deterministic remarks (e.g. indicators without any data).
    overrides : per-node overrides: ``code, setting, requested, used, applied``.
    functions : aggregator used by each aggregate code.

    ``scores`` also carries ``grade``, the unit-year's data-coverage grade (A-F).
    """

    framework: Framework
    method: MethodSpec
    stages: dict[str, pd.DataFrame]
    scores: pd.DataFrame
    treatment: pd.DataFrame
    screening: pd.DataFrame
    imputation: pd.DataFrame
    weights: pd.DataFrame
    manifest: dict[str, Any]
    notes: tuple[str, ...] = field(default=())
    overrides: pd.DataFrame = field(default_factory=pd.DataFrame)
    functions: dict[str, str] = field(default_factory=dict)

    @property
    def years(self) -> list[int]:
        """Years present in the scores."""
        return sorted(self.scores["year"].unique().tolist())

    def level(self, n: int, value: str = "score") -> pd.DataFrame:
        """Wide frame (unit, year) x codes of one level; ``value`` may be score or rank."""
        sub = self.scores[self.scores["level"] == n]
        wide = sub.pivot(index=["unit", "year"], columns="code", values=value)
        return wide[self.framework.codes_at(n)]

    def ranks(self, n: int) -> pd.DataFrame:
        """Wide ranks of one level (1 = best within the year)."""
        return self.level(n, "rank")

    def index(self) -> pd.DataFrame:
        """Top-level scores and ranks: unit, year, score, rank, coverage."""
        top = self.scores[self.scores["code"] == self.framework.root]
        return top[["unit", "year", "score", "rank", "coverage", "grade"]].reset_index(drop=True)

    def stage(self, name: str) -> pd.DataFrame:
        """One stage's long frame by name (see ``STAGES``)."""
        return self.stages[name]
