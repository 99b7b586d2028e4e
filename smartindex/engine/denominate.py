"""Denomination: divide indicators by a named denominator (ratio with optional scale).

``y = x / d · scale`` where ``d`` is the value of the indicator's denominator (the
framework's ``denominator`` column) for the same unit and year.  Denominators are a long
frame ``unit, year, name, value``; without a ``year`` column they apply to every year.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from smartindex.errors import SmartIndexError


def denominator_matrix(
    wide: pd.DataFrame, denom_of: pd.Series, denominators: pd.DataFrame
) -> pd.DataFrame:
    """Align denominator values with ``wide`` (NaN where an indicator has none)."""
    names = sorted(denom_of.dropna().unique())
    missing = sorted(set(names) - set(denominators["name"].astype(str)))
    if missing:
        raise SmartIndexError(f"denominators: no values for denominator {missing[0]!r}")
    keys = ["year", "unit"] if "year" in denominators.columns else ["unit"]
    table = denominators.assign(unit=denominators["unit"].astype(str))
    table = table.pivot_table(index=keys, columns="name", values="value", aggfunc="first")
    rows = wide.index.to_frame(index=False)
    aligned = rows.merge(table.reset_index(), on=keys, how="left")
    out = pd.DataFrame(np.nan, index=wide.index, columns=wide.columns)
    for code, name in denom_of.dropna().items():
        if code in out.columns:
            out[code] = aligned[name].to_numpy(dtype=float)
    return out


def ratio(wide: pd.DataFrame, denom: pd.DataFrame, scale: float = 1.0) -> pd.DataFrame:
    """x / d · scale where a denominator applies, x unchanged elsewhere."""
    with np.errstate(divide="ignore", invalid="ignore"):
        divided = wide / denom * scale
    return divided.where(denom.notna(), wide)


DENOMINATORS = {"ratio": ratio}
"""Registry of denomination functions by name."""
