"""Peer ranks, gaps and closest profile."""

from __future__ import annotations

import pandas as pd
import pytest

from smartindex.analysis.peers import closest_peer, peer_stats


def _frame(code: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area_code": ["c", "p1", "p2", "p3"],
            "year": 2023,
            "code": code,
            "value": [5.0, 3.0, 4.0, 6.0],
        }
    )


def test_peer_stats_higher_is_better():
    row = peer_stats(_frame("X"), city="c", directions={"X": 1}).iloc[0]
    assert (row["rank"], row["n"]) == (2, 4)
    assert row["peer_median"] == 4 and row["best_peer"] == "p3" and row["best_value"] == 6
    assert row["gap_median"] == 1 and row["gap_best"] == -1
    assert row["percentile"] == pytest.approx(2 / 3) and not row["bottom_quartile"]


def test_peer_stats_lower_is_better_and_bottom_quartile():
    row = peer_stats(_frame("Y"), city="c", directions={"Y": -1}).iloc[0]
    assert row["rank"] == 3 and row["best_peer"] == "p1"
    assert row["gap_median"] == -1 and row["gap_best"] == -2
    worst = _frame("Y").assign(value=[9.0, 3.0, 4.0, 6.0])
    assert peer_stats(worst, city="c", directions={"Y": -1}).iloc[0]["bottom_quartile"]


def test_peer_stats_ties_missing_and_peer_filter():
    f = _frame("X").assign(value=[4.0, 4.0, None, 6.0])
    row = peer_stats(f, city="c").iloc[0]
    assert row["rank"] == 2 and row["n"] == 3
    only = peer_stats(_frame("X"), city="c", peers=["p1"]).iloc[0]
    assert only["n"] == 2 and only["rank"] == 1
    assert peer_stats(_frame("X"), city="zz").empty


def test_closest_peer_by_profile():
    rows = {"c": [50, 60, 70], "near": [52, 61, 69], "far": [90, 10, 20], "mid": [40, 70, 60]}
    s = pd.DataFrame(
        [
            {"area_code": u, "year": 2023, "code": d, "score": v}
            for u, vs in rows.items()
            for d, v in zip(["a", "b", "d"], vs, strict=False)
        ]
    )
    out = closest_peer(s, city="c", year=2023)
    assert out["peer"].tolist() == ["near", "mid", "far"]
    assert out["n_dims"].tolist() == [3, 3, 3]
    assert closest_peer(s, city="c", year=1999).empty
