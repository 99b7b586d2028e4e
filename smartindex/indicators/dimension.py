"""One dimension of the catalogue bound to the shared measurement engine.

Each of the six dimension packages (``economy``, ``people``, ``governance``, ``mobility``,
``environment``, ``living``) holds its indicators' SQL files and exposes itself through one
:class:`DimensionMeasure`; there is no per-dimension code::

    from smartindex.indicators import environment, load_catalogue
    cat = load_catalogue()
    environment.indicators(cat)              # the catalogue entries of Smart Environment
    environment.measure(con, cat, years=[2024, 2025])
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import duckdb
import pandas as pd

from smartindex.indicators.catalogue import Catalogue, Indicator
from smartindex.indicators.measure import measure_dimension


@dataclass(frozen=True)
class DimensionMeasure:
    """The ``indicators`` and ``measure`` entry points of one dimension key."""

    key: str

    def indicators(self, catalogue: Catalogue) -> tuple[Indicator, ...]:
        """The dimension's indicators, in catalogue order."""
        return catalogue.for_dimension(self.key)

    def measure(
        self,
        con: duckdb.DuckDBPyConnection,
        catalogue: Catalogue,
        *,
        years: Iterable[int] | None = None,
    ) -> pd.DataFrame:
        """``indicator_values`` rows of the dimension's indicators (optionally some years)."""
        values = measure_dimension(con, catalogue, self.key)
        if years is None:
            return values
        return values[values["year"].isin(list(years))].reset_index(drop=True)
