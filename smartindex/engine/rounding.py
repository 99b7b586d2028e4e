"""Explicit rounding (``[rounding]``): the engine never rounds unless asked to.

``half_up`` rounds halves away from zero, as spreadsheets do (0.125 -> 0.13, -2.5 -> -3);
the value is first rounded to 9 decimals past the target so that binary noise such as
0.1 + 0.2 does not decide a tie.  ``half_even`` is numpy's banker's rounding.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from smartindex.engine.types import FloatArray


def round_half_up(x: FloatArray, decimals: int) -> FloatArray:
    """Round halves away from zero to ``decimals`` places; NaN stays NaN."""
    scale = 10.0**decimals
    scaled = np.round(np.asarray(x, dtype=float) * scale, 9)
    out: FloatArray = np.sign(scaled) * np.floor(np.abs(scaled) + 0.5) / scale
    return out


def round_values(x: FloatArray, decimals: int | None, mode: str = "half_up") -> FloatArray:
    """Round an array by ``mode``; ``decimals = None`` returns it unchanged."""
    if decimals is None:
        return x
    if mode == "half_even":
        out: FloatArray = np.round(x, decimals)
        return out
    return round_half_up(x, decimals)


def round_frame(frame: pd.DataFrame, decimals: int | None, mode: str = "half_up") -> pd.DataFrame:
    """A wide numeric frame rounded by :func:`round_values` (same index and columns)."""
    if decimals is None:
        return frame
    values = round_values(frame.to_numpy(dtype=float), decimals, mode)
    return pd.DataFrame(values, index=frame.index, columns=frame.columns)
