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
    table = table.drop_duplicates([*keys, "name"]).pivot(index=keys, columns="name", values="value")
    at = wide.index if keys == ["year", "unit"] else wide.index.get_level_values("unit")
    aligned = table.reindex(at)
    used = denom_of.dropna()
    out = np.full(wide.shape, np.nan)
    pos = {c: j for j, c in enumerate(wide.columns)}
    for code, name in used.items():
        if code in pos:
            out[:, pos[code]] = aligned[name].to_numpy(dtype=float)
    return pd.DataFrame(out, index=wide.index, columns=wide.columns)


def ratio(
    wide: pd.DataFrame, denom: pd.DataFrame, applies: pd.Series, scale: float = 1.0
) -> pd.DataFrame:
    """x / d · scale for the columns where ``applies``; other columns unchanged.

    A missing denominator gives a missing value (COINr: ``x / NA = NA``), never the
    undivided raw value; division by zero gives a missing value too.
    """
    x, d = wide.to_numpy(dtype=float), denom.to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        divided = x / d * scale
    divided[~np.isfinite(divided)] = np.nan
    cols = applies.reindex(wide.columns, fill_value=False).to_numpy(dtype=bool)
    out = np.where(cols[None, :], divided, x)
    return pd.DataFrame(out, index=wide.index, columns=wide.columns)


DENOMINATORS = {"ratio": ratio}
"""Registry of denomination functions by name."""
