"""The indicator catalogue and its measurement (catalogue.toml → indicator_values)."""

from __future__ import annotations

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
    write_indicator_values,
)

__all__ = [
    "DIMENSIONS",
    "Catalogue",
    "Dimension",
    "Factor",
    "Indicator",
    "catalogue_from_dict",
    "install_calendar",
    "load_catalogue",
    "measure",
    "measure_dimension",
    "measure_indicator_values",
    "targets_frame",
    "write_indicator_values",
]
