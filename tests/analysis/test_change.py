"""Why did it change: the decomposition sums exactly to the change (hand-computed nodes, the
engine's own aggregators, the fixture warehouse's published scores), ranks and peers."""

from __future__ import annotations

import math

import numpy as np
import pytest

from smartindex.analysis.change import effective_weights, explain_change, node_terms
from smartindex.engine import MethodSpec
from smartindex.engine.aggregate import AGGREGATORS, with_shift
from smartindex.errors import MethodError
from smartindex.scoring.results import INDEX_CODE


def test_arithmetic_node_by_hand():
    # weights 1 and 3 -> effective 0.25 and 0.75; a moves 10 -> 30, b stays 20
    part = node_terms(
        "arithmetic",
        {"a": 1.0, "b": 3.0},
        {"a": 10.0, "b": 20.0},
        {"a": 30.0, "b": 20.0},
        parent=(17.5, 22.5),
    )
    assert part.multiplier == {"a": 0.25, "b": 0.75}
    assert part.weight_effect == {"a": 0.0, "b": 0.0}
    assert part.multiplier["a"] * 20.0 == 5.0 == 22.5 - 17.5
    assert part.residual == 0.0


def test_a_child_missing_in_one_year_is_a_weight_effect():
    # year a: a=10, b=20 (equal weights) -> 15; year b: only b=20 -> 20
    part = node_terms(
        "arithmetic", {"a": 1.0, "b": 1.0}, {"a": 10.0, "b": 20.0}, {"b": 20.0}, parent=(15.0, 20.0)
    )
    # a: x̄ = 10, Δe = -0.5 -> -5; b: x̄ = 20, Δe = +0.5 -> +10; value effects 0
    assert part.weight_effect == pytest.approx({"a": -5.0, "b": 10.0})
    assert sum(part.weight_effect.values()) == pytest.approx(5.0)
    assert part.residual == pytest.approx(0.0)


@pytest.mark.parametrize(
    "name,shift",
    [
        ("arithmetic", 0.0),
        ("geometric", 0.0),
        ("harmonic", 0.0),
        ("geometric", 1.0),
        ("harmonic", 0.5),
    ],
)
def test_every_mean_splits_exactly_against_the_engine(name, shift):
    rng = np.random.default_rng(7)
    w = {f"c{i}": float(x) for i, x in enumerate(rng.uniform(0.5, 2.0, 5))}
    xa = {k: float(x) for k, x in zip(w, rng.uniform(1, 100, 5), strict=True)}
    xb = {k: float(x) for k, x in zip(w, rng.uniform(1, 100, 5), strict=True)}
    del xb["c4"]  # coverage changes too: c4 missing in year b
    fn = with_shift(AGGREGATORS[name], shift) if shift else AGGREGATORS[name]

    def engine(x):
        row = np.array([[x.get(k, np.nan) for k in w]])
        return float(fn(row, np.array([[v] for v in w.values()]))[0, 0])

    pa, pb = engine(xa), engine(xb)
    part = node_terms(name, w, xa, xb, parent=(pa, pb), shift=shift)
    dx = {k: xb.get(k, xa[k]) - xa[k] for k in w}
    total = sum(part.multiplier[k] * dx[k] + part.weight_effect[k] for k in w)
    assert math.isclose(total, pb - pa, abs_tol=1e-9)
    assert abs(part.residual) < 1e-9


def test_index_change_decomposes_exactly_on_the_published_scores(scored_results):
    res = scored_results
    kec = res.regions.loc[res.regions["level"] == "kecamatan", "area_code"].iloc[0]
    years = res.years
    for area_code in (res.city, kec):
        for code in (INDEX_CODE, "environment", "economy"):
            c = explain_change(
                res, area_code=area_code, year_a=years[0], year_b=years[-1], code=code
            )
            assert abs(c.contributions["contribution"].sum() + c.residual - c.change) < 1e-9
            assert abs(c.residual) < 1e-9
            stored = res.scores.query(
                "area_code == @area_code and code == @code and comparison == @c.comparison"
            )
            by_year = dict(zip(stored["year"], stored["score"], strict=True))
            assert c.score_b - c.score_a == pytest.approx(by_year[years[-1]] - by_year[years[0]])


def test_contribution_is_effective_weight_times_normalised_change(scored_results):
    res = scored_results
    a, b = res.years[-2], res.years[-1]
    c = explain_change(res, area_code=res.city, year_a=a, year_b=b)
    rows = c.contributions[c.contributions["kind"] == "value"]
    same = rows[np.isclose(rows["weight_a"], rows["weight_b"])]
    assert len(same) > 0
    expected = same["weight_a"] * (same["normalised_b"] - same["normalised_a"])
    assert np.allclose(same["contribution"], expected, atol=1e-12)
    # effective weights of one year sum to 1 over the index's indicators
    xa = dict(zip(rows["code"], rows["normalised_a"], strict=True))
    assert sum(rows["weight_a"]) == pytest.approx(1.0)
    assert len(xa) == len(rows)


def test_rank_change_and_peers(scored_results):
    res = scored_results
    a, b = res.years[0], res.years[-1]
    c = explain_change(res, area_code=res.city, year_a=a, year_b=b)
    ranks = res.scores.query("comparison == 'cities' and code == @INDEX_CODE")
    own = ranks[ranks["area_code"] == res.city].set_index("year")["rank"]
    assert c.rank_change == own[a] - own[b]  # positive = moved up
    assert set(c.peers["area_code"]) == set(ranks["area_code"])
    moved = c.peers[c.peers["moved"]]
    assert (moved["rank_a"] != moved["rank_b"]).all()
    assert list(c.peers["rank_b"].dropna()) == sorted(c.peers["rank_b"].dropna())


def test_effective_weights_renormalise_over_present_leaves():
    tree = (
        {"INDEX": 1.0, "d1": 1.0, "d2": 1.0, "i1": 1.0, "i2": 3.0, "i3": 1.0},
        {"INDEX": ["d1", "d2"], "d1": ["i1", "i2"], "d2": ["i3"]},
        {"INDEX": 4, "d1": 3, "d2": 3, "i1": 1, "i2": 1, "i3": 1},
    )
    full = effective_weights("INDEX", {"d1": 1, "d2": 1, "i1": 1, "i2": 1, "i3": 1}, tree)
    assert full == {"i1": 0.125, "i2": 0.375, "i3": 0.5}
    partial = effective_weights("INDEX", {"d1": 1, "d2": 1, "i2": 1, "i3": 1}, tree)
    assert partial == {"i2": 0.5, "i3": 0.5}


def test_other_aggregators_are_refused(scored_results):
    spec = MethodSpec.from_dict({"aggregate": {"method": "copeland"}})
    res = scored_results
    with pytest.raises(MethodError):
        explain_change(
            res, area_code=res.city, year_a=res.years[0], year_b=res.years[-1], method=spec
        )
