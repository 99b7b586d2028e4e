"""Peers: the city's rank among its peer cities, gaps to the peer median and best peer, and
the peer with the closest profile.

Everything is direction-aware: ``gap_median = (city − peer median) × direction`` and
``gap_best = (city − best peer) × direction``, so a positive gap means the city is better.
Rank 1 is best (ties share the best rank).  ``percentile`` = (n − rank)/(n − 1), 1 = best,
0 = worst; ``bottom_quartile`` is percentile ≤ 0.25.  Only the requested year is compared (a
peer without a value that year is left out and ``n`` says how many area_codes were compared).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

import numpy as np
import pandas as pd

PEER_COLUMNS = (
    "code",
    "year",
    "value",
    "rank",
    "n",
    "percentile",
    "bottom_quartile",
    "peer_median",
    "best_peer",
    "best_value",
    "gap_median",
    "gap_best",
)


def _one(areas: np.ndarray, values: np.ndarray, city: str, direction: int) -> dict[str, object]:
    """Peer statistics of one (code, year) block: ``areas`` and their non-missing ``values``."""
    is_own = areas == city
    if not is_own.any() or is_own.all():
        return {}
    v = float(values[is_own][0])
    peer_areas, peer_values = areas[~is_own], values[~is_own]
    rank = int((values * direction > v * direction).sum() + 1)
    n = len(values)
    best = int(np.argmax(peer_values * direction))
    med = float(np.median(peer_values))
    pct = (n - rank) / (n - 1)
    return {
        "value": v,
        "rank": rank,
        "n": n,
        "percentile": pct,
        "bottom_quartile": pct <= 0.25,
        "peer_median": med,
        "best_peer": peer_areas[best],
        "best_value": float(peer_values[best]),
        "gap_median": (v - med) * direction,
        "gap_best": (v - float(peer_values[best])) * direction,
    }


def peer_stats(
    values: pd.DataFrame,
    *,
    city: str,
    peers: list[str] | None = None,
    directions: Mapping[str, int] | None = None,
    year: int | None = None,
) -> pd.DataFrame:
    """Per (code, year): the city's rank and gaps among ``peers`` (default: every other area_code).

    ``values`` is long (``area_code, year, code, value``); for scores use direction +1 (default).
    """
    data = values if year is None else values[values["year"] == year]
    if peers is not None:
        data = data[data["area_code"].isin([city, *peers])]
    dirs = directions or {}
    data = data.dropna(subset=["value"])
    areas = data["area_code"].to_numpy(dtype=object)
    vals = data["value"].to_numpy(dtype=float)
    blocks = cast(dict[tuple[str, int], np.ndarray], data.groupby(["code", "year"]).indices)
    rows = [
        {"code": code, "year": yr, **stats}
        for (code, yr), at in sorted(blocks.items())
        if (stats := _one(areas[at], vals[at], city, int(dirs.get(str(code), 1))))
    ]
    out = pd.DataFrame(rows, columns=list(PEER_COLUMNS))
    return out.astype({"bottom_quartile": bool}) if len(out) else out


def closest_peer(scores: pd.DataFrame, *, city: str, year: int) -> pd.DataFrame:
    """Peers by profile distance: Euclidean distance over the dimension scores after
    z-normalising each dimension across the compared cities (NaN-aware: the root mean squared
    difference over dimensions both area_codes have, × √(number of dimensions)).

    ``scores``: long ``area_code, year, code, score`` of one level (e.g. level 3, cities).
    Returns ``peer, distance, n_dims`` sorted nearest first.
    """
    wide = scores[scores["year"] == year].pivot_table(
        index="area_code", columns="code", values="score", aggfunc="first"
    )
    if city not in wide.index or len(wide) < 2:
        return pd.DataFrame(columns=["peer", "distance", "n_dims"])
    sd = wide.std(ddof=0).replace(0, np.nan)
    z = (wide - wide.mean()) / sd
    diff = z.drop(index=city) - z.loc[city]
    n_dims = diff.notna().sum(axis=1)
    dist = np.sqrt((diff**2).mean(axis=1) * wide.shape[1])
    out = pd.DataFrame({"peer": diff.index, "distance": dist.to_numpy(), "n_dims": n_dims})
    out = out[out["n_dims"] > 0]
    return out.sort_values(["distance", "peer"]).reset_index(drop=True)
