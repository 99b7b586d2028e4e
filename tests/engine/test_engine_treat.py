from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from smartindex.engine import treat as tr

X = np.array([*range(1, 11), 30, 100], dtype=float)


def test_skew_kurt_match_coinr():
    assert tr.skew(X.reshape(-1, 1))[0] == pytest.approx(3.063241, abs=1e-6)
    assert tr.kurt(X.reshape(-1, 1))[0] == pytest.approx(9.741391, abs=1e-6)


def test_skew_kurt_ignore_nan_like_scipy():
    x = np.array([1.0, 2, 4, 8, np.nan, 30, 3])
    ok = x[~np.isnan(x)]
    assert tr.skew(x.reshape(-1, 1))[0] == pytest.approx(stats.skew(ok, bias=False))
    assert tr.kurt(x.reshape(-1, 1))[0] == pytest.approx(stats.kurtosis(ok, bias=False))


def test_rule_needs_both_skew_and_kurtosis():
    assert tr.fails(np.array([2.0]), np.array([3.5]), 2, 3.5)[0]
    assert not tr.fails(np.array([2.5]), np.array([3.4]), 2, 3.5)[0]
    assert not tr.fails(np.array([1.9]), np.array([10.0]), 2, 3.5)[0]
    assert tr.fails(np.array([-2.5]), np.array([4.0]), 2, 3.5)[0]


def test_winsorise_clips_highest_point_until_pass():
    # 100 -> 30 gives skew 1.71, kurt 1.82: passes after one point
    res = tr.jrc(X, winmax=5)
    assert res.action == "winsorised" and res.points_high == 1 and res.points_low == 0
    np.testing.assert_array_equal(res.values, [*range(1, 11), 30, 30])


Y = np.array([*range(1, 21), 200, 400], dtype=float)


def test_ties_clipped_together_each_point_counted_once():
    # pass 1: 400 -> 200 (1 point); pass 2: both 200s move to 20 together. Two distinct
    # points were clipped (COINr winsorise: nwin = points at the extreme = 2, not 1 + 2)
    res = tr.jrc(Y, winmax=5)
    assert res.points_high == 2
    np.testing.assert_array_equal(res.values[-3:], [20, 20, 20])


def test_winmax_one_falls_back_to_log_ct_on_original():
    res = tr.jrc(Y, winmax=1)
    assert res.action == "log_CT" and res.points_high == 0
    np.testing.assert_allclose(res.values, np.log(Y - 1 + 0.01 * 399))


def test_negative_skew_clips_low_end():
    res = tr.jrc(-Y, winmax=5)
    assert res.points_low == 2 and res.values.min() == -20


def test_passing_column_untouched():
    y = np.arange(10, dtype=float)
    res = tr.jrc(y)
    assert res.action == "none" and np.array_equal(res.values, y)


def test_log_ct_plus_mirrors():
    y = np.array([0.0, 5.0, 10.0])
    np.testing.assert_allclose(tr.log_ct_plus(y), -np.log(10.1 - y))


# one new point per pass: 30 regular values and five growing outliers; it passes after
# four points are clipped (like ASEM's Services indicator)
Z = np.array([*range(1, 31), 100, 200, 300, 400, 500], dtype=float)


def test_count_runs_1_2_3_so_winmax_5_allows_four_points():
    steps = tr.trajectory(Z, 10, 2.0, 3.5)
    assert steps.high == [0, 1, 2, 3, 4]  # the old count was 0, 1, 3, 6: log_CT at winmax 5
    assert steps.passes == [False, False, False, False, True]
    res = tr.jrc(Z, winmax=5)
    assert res.action == "winsorised" and res.points_high == 4
    np.testing.assert_array_equal(res.values[-5:], [100, 100, 100, 100, 100])
    assert tr.jrc(Z, winmax=3).action == "log_CT"


def test_select_step_stops_at_winmax_then_falls_back():
    steps = tr.trajectory(Y, 5, 2.0, 3.5)
    assert steps.passes == [False, False, True] and steps.high == [0, 1, 2]
    assert tr.select_step(steps, 1) == 1  # 1 point clipped, still failing
    res = tr.outcome(Y, steps, 1, "log_CT")
    assert res.action == "log_CT"
    assert tr.outcome(Y, steps, 2, "log_CT").action == "winsorised"
