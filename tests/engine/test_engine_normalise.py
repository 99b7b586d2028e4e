from __future__ import annotations

import numpy as np
import pytest

from smartindex.engine import normalise as nz

X = np.array([[1.0], [2.0], [4.0], [np.nan], [5.0]])


def ref(target=np.nan, lo=np.nan, hi=np.nan, direction=1.0):
    return nz.orient_reference(
        np.array([direction]), np.array([[target]]), np.array([lo]), np.array([hi])
    )


def col(y):
    return y[:, 0]


def test_minmax_default_and_custom_range():
    np.testing.assert_allclose(col(nz.minmax(X, ref())), [0, 25, 75, np.nan, 100])
    np.testing.assert_allclose(col(nz.minmax(X, ref(), lo=1, hi=11)), [1, 3.5, 8.5, np.nan, 11])


def test_zscore_uses_sample_sd():
    # mean 3, sample sd sqrt(10/3)
    sd = np.sqrt(10 / 3)
    np.testing.assert_allclose(col(nz.zscore(X, ref())), [-2 / sd, -1 / sd, 1 / sd, np.nan, 2 / sd])
    np.testing.assert_allclose(col(nz.zscore(X, ref(), m=100, s=10))[0], 100 - 20 / sd)


def test_rank_prank_borda_with_ties():
    x = np.array([[3.0], [1.0], [3.0], [2.0], [np.nan]])
    np.testing.assert_array_equal(col(nz.rank(x, ref())), [3, 1, 3, 2, np.nan])
    np.testing.assert_allclose(col(nz.prank(x, ref())), [2 / 3, 0, 2 / 3, 1 / 3, np.nan])
    np.testing.assert_array_equal(col(nz.borda(x, ref())), [2, 0, 2, 1, np.nan])


def test_dist2max_fracmax():
    np.testing.assert_allclose(col(nz.dist2max(X, ref())), [0, 0.25, 0.75, np.nan, 1])
    np.testing.assert_allclose(col(nz.fracmax(X, ref())), [0.2, 0.4, 0.8, np.nan, 1])


def test_dist2target_cap_and_direction():
    np.testing.assert_allclose(col(nz.dist2target(X, ref(target=3))), [0, 0.5, 1, np.nan, 1])
    np.testing.assert_allclose(col(nz.dist2target(X, ref(target=3), cap=False))[2], 1.5)
    # direction -1, target 2: (max - x)/(max - target) on the raw scale
    neg = nz.dist2target(-X, ref(target=2, direction=-1), cap=False)
    np.testing.assert_allclose(col(neg), [4 / 3, 1, 1 / 3, np.nan, 0])


def test_goalposts_coinr_values():
    x = np.array([[1.0], [11.0], [-1.0]])
    np.testing.assert_allclose(col(nz.goalposts(x, ref(lo=0, hi=10))), [0.1, 1.0, 0.0])
    np.testing.assert_allclose(col(nz.goalposts(x, ref(lo=0, hi=10), scale=100))[0], 10.0)
    # lower is better: (x - hi)/(lo - hi)
    np.testing.assert_allclose(
        col(nz.goalposts(-x, ref(lo=0, hi=10, direction=-1))), [0.9, 0.0, 1.0]
    )


def test_constant_column_minmax_is_nan():
    assert np.isnan(nz.minmax(np.ones((3, 1)), ref())).all()


@pytest.mark.parametrize("name", sorted(nz.NORMALISERS))
def test_monotone_non_decreasing(name):
    x = np.array([[1.0], [2.0], [3.0], [7.0], [20.0]])
    y = col(nz.NORMALISERS[name](x, ref(target=10, lo=0, hi=25)))
    assert np.all(np.diff(y) >= -1e-12)
