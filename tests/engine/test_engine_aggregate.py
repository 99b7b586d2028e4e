from __future__ import annotations

import numpy as np
import pytest

from smartindex.engine import aggregate as ag

X = np.array([[1.0, 2.0, 3.0]])


def w(*vals):
    return np.array(vals, dtype=float).reshape(-1, 1)


def test_coinr_reference_values():
    assert ag.geometric(X, w(1, 1, 1))[0, 0] == pytest.approx(6 ** (1 / 3))
    assert ag.geometric(X, w(1, 1, 2))[0, 0] == pytest.approx((1 * 2 * 3**2) ** (1 / 4))
    assert ag.harmonic(X, w(2, 1, 1))[0, 0] == pytest.approx(4 / (2 + 1 / 2 + 1 / 3))
    assert ag.generalised(X, w(1, 1, 1), p=1)[0, 0] == pytest.approx(2)
    assert ag.arithmetic(X, w(1, 1, 2))[0, 0] == pytest.approx(9 / 4)


def test_generalised_limits():
    assert ag.generalised(X, w(2, 1, 1), p=-1)[0, 0] == pytest.approx(
        ag.harmonic(X, w(2, 1, 1))[0, 0]
    )
    assert ag.generalised(X, w(1, 1, 1), p=0)[0, 0] == pytest.approx(6 ** (1 / 3))


def test_missing_child_renormalises_weights():
    x = np.array([[1.0, np.nan, 3.0]])
    assert ag.arithmetic(x, w(1, 5, 3))[0, 0] == pytest.approx((1 + 9) / 4)
    assert ag.present_weight(x, w(1, 5, 3))[0, 0] == 4


def test_several_parents_at_once_and_batches():
    mat = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    out = ag.arithmetic(np.array([[2.0, 4.0, 7.0]]), mat)
    np.testing.assert_allclose(out, [[3.0, 7.0]])
    batch = np.stack([mat, mat * np.array([[3.0], [1.0], [1.0]])])
    np.testing.assert_allclose(
        ag.arithmetic(np.array([[2.0, 4.0, 7.0]]), batch)[:, 0, 0], [3.0, 2.5]
    )


def test_weights_scale_invariant():
    x = np.array([[1.0, 5.0, 2.0], [3.0, np.nan, 9.0]])
    for name in ag.AGGREGATORS:
        np.testing.assert_allclose(
            ag.AGGREGATORS[name](x, w(1, 2, 3)), ag.AGGREGATORS[name](x, w(7, 14, 21))
        )


def test_shift_keeps_constants():
    fn = ag.with_shift(ag.geometric, 1.0)
    assert fn(np.array([[0.0, 0.0]]), w(1, 1))[0, 0] == pytest.approx(0.0)
    assert fn(np.array([[0.0, 3.0]]), w(1, 1))[0, 0] == pytest.approx(1.0)
