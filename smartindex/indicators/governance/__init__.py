"""Smart Governance:
the SQL files of its indicators (one per catalogue code) and its entry points."""

from __future__ import annotations

from smartindex.indicators.dimension import DimensionMeasure

_DIMENSION = DimensionMeasure("governance")
KEY = _DIMENSION.key
indicators = _DIMENSION.indicators
measure = _DIMENSION.measure
