"""Screening: keep a unit in a year only if enough of its indicators are present.

``availability`` is the share of indicators with a value; a unit-year is included when
``availability >= threshold``.  Screened-out unit-years stay in the screening log.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd


def by_na(wide: pd.DataFrame) -> pd.Series:
    """Share of non-missing indicators per (year, unit)."""
    return wide.notna().mean(axis=1)


def by_na_and_zeros(wide: pd.DataFrame) -> pd.Series:
    """Share of indicators that are present and non-zero per (year, unit)."""
    return (wide.notna() & (wide != 0)).mean(axis=1)


SCREENS: dict[str, Callable[[pd.DataFrame], pd.Series]] = {
    "na": by_na,
    "na_and_zeros": by_na_and_zeros,
}
"""Registry of availability measures by name (the ``by`` key of ``[screen]``)."""


def screen(wide: pd.DataFrame, by: str, threshold: float) -> pd.DataFrame:
    """Screening log: unit, year, availability, included."""
    avail = SCREENS[by](wide)
    log = avail.rename("availability").reset_index()
    log["included"] = np.asarray(avail.to_numpy() >= threshold - 1e-12)
    return log[["unit", "year", "availability", "included"]]
