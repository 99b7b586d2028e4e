"""Smart Environment: the shared measurement engine bound to the ``environment`` dimension."""

from __future__ import annotations

from smartindex.indicators.catalogue import Catalogue, Indicator
from smartindex.indicators.measure import Connection, measure_dimension, pd

DIMENSION = "environment"


def indicators(catalogue: Catalogue) -> tuple[Indicator, ...]:
    return catalogue.for_dimension(DIMENSION)


def measure(con: Connection, catalogue: Catalogue) -> pd.DataFrame:
    return measure_dimension(con, catalogue, DIMENSION)
