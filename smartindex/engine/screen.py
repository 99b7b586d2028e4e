"""Screening: keep a unit in a year only if enough of its indicators are present.

``availability`` is the share of indicators with a value; a unit-year is included when
``availability >= threshold`` (and, with ``min_grade``, when its data-coverage grade is at
least that grade).  Screened-out unit-years stay in the screening log.

The data-coverage grade of a unit-year is the share of its indicators that have a value
*before imputation*, cut at fixed bounds (:data:`GRADES`): A ≥ 95 %, B ≥ 90 % (COINr's
ASEM screening threshold), C ≥ 75 % (Giffinger's rule), D ≥ 65 % (the JRC rule of
thumb for a unit), E ≥ 50 %, F below 50 %.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from smartindex.engine.types import FloatArray


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

GRADES: dict[str, float] = {"A": 0.95, "B": 0.90, "C": 0.75, "D": 0.65, "E": 0.50, "F": 0.0}
"""Lower bound of the share of indicators present for each data-coverage grade."""


def coverage_grade(share: FloatArray | pd.Series) -> pd.Series:
    """Grade A-F of each coverage share (see :data:`GRADES`); NaN shares grade F."""
    values = np.nan_to_num(np.asarray(share, dtype=float), nan=0.0)
    bounds = np.array(list(GRADES.values()))
    letters = np.array(list(GRADES))
    pos = np.argmax(values[:, None] >= bounds[None, :] - 1e-12, axis=1)
    index = share.index if isinstance(share, pd.Series) else None
    return pd.Series(letters[pos], index=index, name="grade")


def grade_at_least(grades: pd.Series, floor: str) -> pd.Series:
    """True where a grade is ``floor`` or better (A is best)."""
    order = {g: i for i, g in enumerate(GRADES)}
    return grades.map(order) <= order[floor]


def screen(
    wide: pd.DataFrame,
    by: str,
    threshold: float,
    *,
    coverage: pd.DataFrame | None = None,
    min_grade: str | None = None,
) -> pd.DataFrame:
    """Screening log: unit, year, availability, coverage, grade, included.

    ``coverage`` is the data before imputation (default: ``wide``); it sets the grade.
    """
    avail = SCREENS[by](wide)
    share = by_na(wide if coverage is None else coverage)
    log = avail.rename("availability").reset_index()
    log["coverage"] = share.to_numpy()
    log["grade"] = coverage_grade(share).to_numpy()
    ok = np.asarray(avail.to_numpy() >= threshold - 1e-12)
    if min_grade is not None:
        ok &= grade_at_least(log["grade"], min_grade).to_numpy()
    log["included"] = ok
    return log[["unit", "year", "availability", "coverage", "grade", "included"]]
