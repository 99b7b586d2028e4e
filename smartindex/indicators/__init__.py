"""The indicator catalogue and its measurement (catalogue.toml + <dimension>/*.sql →
indicator_values). Each dimension package (``economy`` … ``living``) exposes ``indicators`` and
``measure`` over the one shared engine in ``measure.py``."""

from __future__ import annotations

from smartindex.indicators import (
    economy,
    environment,
    governance,
    living,
    mobility,
    people,
)
from smartindex.indicators.calendar import install_calendar
from smartindex.indicators.catalogue import (
    DIMENSIONS,
    Catalogue,
    Dimension,
    Factor,
    Indicator,
    catalogue_from_dict,
    load_catalogue,
)
from smartindex.indicators.measure import (
    measure,
    measure_dimension,
    measure_indicator_values,
    targets_frame,
    validate_queries,
    write_indicator_values,
)

DIMENSION_MODULES = (economy, people, governance, mobility, environment, living)

__all__ = [
    "DIMENSIONS",
    "DIMENSION_MODULES",
    "Catalogue",
    "Dimension",
    "Factor",
    "Indicator",
    "catalogue_from_dict",
    "economy",
    "environment",
    "governance",
    "install_calendar",
    "living",
    "load_catalogue",
    "measure",
    "measure_dimension",
    "measure_indicator_values",
    "mobility",
    "people",
    "targets_frame",
    "validate_queries",
    "write_indicator_values",
]
