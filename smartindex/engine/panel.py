"""Helpers shared by the stages: long <-> wide frames, year blocks, ranks, checksums.

The pipeline works on *wide* frames: index ``(year, unit)`` sorted by year then unit,
one column per indicator.  Every year is one contiguous block of rows, so a
cross-sectional function runs once per year on a units x indicators matrix.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable

import numpy as np
import pandas as pd

from smartindex.errors import SmartIndexError

KEYS = ["unit", "year", "code"]


def check_long(data: pd.DataFrame, name: str = "data") -> pd.DataFrame:
    """Validate a long frame (unit, year, code, value) and return a clean copy."""
    missing = [c for c in [*KEYS, "value"] if c not in data.columns]
    if missing:
        raise SmartIndexError(
            f"{name}: missing column(s) {missing}; expected unit, year, code, value"
        )
    out = data[[*KEYS, "value"]].copy()
    if out["unit"].isna().any() or out["code"].isna().any():
        raise SmartIndexError(f"{name}: unit and code must be given in every row")
    out["unit"] = out["unit"].astype(str)
    out["code"] = out["code"].astype(str)
    out["year"] = pd.to_numeric(out["year"], errors="coerce")
    if out["year"].isna().any():
        raise SmartIndexError(f"{name}: year must be an integer in every row")
    out["year"] = out["year"].astype(int)
    out["value"] = pd.to_numeric(out["value"], errors="coerce").astype(float)
    dup = out.duplicated(KEYS)
    if dup.any():
        u, y, c = out.loc[dup, KEYS].iloc[0]
        raise SmartIndexError(f"{name}: duplicate rows for unit {u!r}, year {y}, code {c!r}")
    return out


def to_wide(long: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """Pivot long data to the full (year, unit) x codes grid, NaN where absent."""
    wide = long.pivot(index=["year", "unit"], columns="code", values="value")
    years = sorted(long["year"].unique())
    units = sorted(long["unit"].unique())
    grid = pd.MultiIndex.from_product([years, units], names=["year", "unit"])
    return wide.reindex(index=grid, columns=codes).astype(float)


def stack_codes(wide: pd.DataFrame) -> pd.Series:
    """Stack the code columns of a wide frame into a Series (missing cells kept)."""
    stacked = wide.rename_axis(columns="code").stack(future_stack=True)
    if not isinstance(stacked, pd.Series):
        raise SmartIndexError("internal: stacking a wide frame did not give a Series")
    return stacked


def to_long(wide: pd.DataFrame, value: str = "value") -> pd.DataFrame:
    """Unpivot a wide (year, unit) x codes frame to unit, year, code, value."""
    out = stack_codes(wide).rename(value).reset_index()
    return out[["unit", "year", "code", value]]


def year_blocks(index: pd.MultiIndex) -> list[slice]:
    """Contiguous row slices, one per year, of a year-sorted index."""
    years = index.get_level_values("year").to_numpy()
    cuts = np.flatnonzero(np.diff(years)) + 1
    bounds = np.concatenate([[0], cuts, [len(years)]])
    return [slice(int(a), int(b)) for a, b in itertools.pairwise(bounds)]


def by_block(
    x: np.ndarray, blocks: list[slice], fn: Callable[..., np.ndarray], **kwargs: object
) -> np.ndarray:
    """Apply a column-wise ``fn`` to each row block (year) and stack the results."""
    out = np.full(x.shape, np.nan)
    for blk in blocks:
        sliced = {
            k: (v[blk] if isinstance(v, np.ndarray) and v.shape[0] == x.shape[0] else v)
            for k, v in kwargs.items()
        }
        out[blk] = fn(x[blk], **sliced)
    return out


def rank_desc(scores: pd.DataFrame, by: list[str], col: str = "score") -> pd.Series:
    """Rank ``col`` within groups, 1 = highest, ties share the lowest rank ('min')."""
    return scores.groupby(by, sort=False)[col].rank(ascending=False, method="min")


def _column_bytes(col: pd.Series) -> bytes:
    """Canonical bytes of one column: float64 little-endian for numbers, else UTF-8 text."""
    if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
        return np.ascontiguousarray(col.to_numpy(dtype="<f8", na_value=np.nan)).tobytes()
    codes, uniques = pd.factorize(col.astype(object).map(str, na_action="ignore"))
    return "\x1f".join(map(str, uniques)).encode() + codes.astype("<i8").tobytes()


def frame_checksum(frames: dict[str, pd.DataFrame | None]) -> str:
    """sha256 over each frame's columns (sorted by name) with rows in sorted order."""
    h = hashlib.sha256()
    for name in sorted(frames):
        frame = frames[name]
        h.update(name.encode())
        if frame is None:
            continue
        canon = frame[sorted(frame.columns, key=str)]
        canon = canon.sort_values(list(canon.columns), kind="stable").reset_index(drop=True)
        for col in canon.columns:
            h.update(str(col).encode() + b"\x1e" + _column_bytes(canon[col]))
    return h.hexdigest()
