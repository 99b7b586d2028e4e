from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from smartindex.engine.impute import IMPUTERS, impute_log

NAN = np.nan


def wide(values, years=(2020,), units=("u1", "u2", "u3", "u4")):
    idx = pd.MultiIndex.from_product([list(years), list(units)], names=["year", "unit"])
    return pd.DataFrame(values, index=idx, columns=["a", "b"], dtype=float)


W = wide([[1, NAN], [3, 10], [NAN, 20], [8, 60]])
GROUPS = pd.Series(["x", "x", "y", "y"], index=W.index)


def test_mean_median():
    assert IMPUTERS["mean"](W, None).loc[(2020, "u3"), "a"] == 4.0
    assert IMPUTERS["median"](W, None).loc[(2020, "u1"), "b"] == 20.0


def test_group_mean_median():
    out = IMPUTERS["group_mean"](W, GROUPS)
    assert out.loc[(2020, "u3"), "a"] == 8.0 and out.loc[(2020, "u1"), "b"] == 10.0
    assert IMPUTERS["group_median"](W, GROUPS).loc[(2020, "u3"), "a"] == 8.0


def test_mean_is_within_year():
    p = wide([[1, 1], [NAN, 1], [100, 1], [300, 1]], years=(2020, 2021), units=("u1", "u2"))
    assert IMPUTERS["mean"](p, None).loc[(2020, "u2"), "a"] == 1.0


PANEL = wide(
    [[NAN, 1], [NAN, NAN], [2, NAN], [NAN, NAN], [NAN, 5], [6, NAN]],
    years=(2018, 2019, 2020),
    units=("u1", "u2"),
)


def test_latest_locf_then_backfill():
    out = IMPUTERS["latest"](PANEL, None)
    # u1/a: NaN, 2, NaN -> 2, 2, 2 ; u2/a: NaN, NaN, 6 -> 6, 6, 6 (backfill)
    assert out.xs("u1", level="unit")["a"].tolist() == [2, 2, 2]
    assert out.xs("u2", level="unit")["a"].tolist() == [6, 6, 6]
    # u1/b: 1, NaN, 5 -> 1, 1, 5 ; u2/b has no value at all and stays missing
    assert out.xs("u1", level="unit")["b"].tolist() == [1, 1, 5]
    assert out.xs("u2", level="unit")["b"].isna().all()


def test_linear_in_time_and_nearest_outside():
    p = wide(
        [[NAN, 1], [2, NAN], [NAN, NAN], [NAN, NAN], [8, 9], [NAN, NAN]],
        years=(2018, 2019, 2021),
        units=("u1", "u2"),
    )
    out = IMPUTERS["linear"](p, None)
    # u1/b: 1 (2018), NaN (2019), 9 (2021) -> 1 + 8·(2019 - 2018)/(2021 - 2018)
    assert out.loc[(2019, "u1"), "b"] == pytest.approx(1 + 8 / 3)
    # u1/a: NaN, NaN, 8 -> nearest 8 ; u2/a: 2, NaN, NaN -> nearest 2
    assert out.xs("u1", level="unit")["a"].tolist() == [8, 8, 8]
    assert out.xs("u2", level="unit")["a"].tolist() == [2, 2, 2]


@pytest.mark.parametrize("name", sorted(IMPUTERS))
def test_present_cells_never_change(name):
    rng = np.random.default_rng(1)
    vals = rng.normal(size=(12, 2))
    vals[rng.random(vals.shape) < 0.3] = NAN
    w = wide(vals, years=(2018, 2019, 2020), units=("u1", "u2", "u3", "u4"))
    out = IMPUTERS[name](w, pd.Series(["x", "y"] * 6, index=w.index))
    present = w.notna()
    assert np.array_equal(out[present].to_numpy(), w[present].to_numpy(), equal_nan=True)


def test_log_lists_filled_cells_only():
    out = IMPUTERS["mean"](W, None)
    log = impute_log(W, out, "mean")
    assert set(zip(log["unit"], log["code"], strict=True)) == {("u3", "a"), ("u1", "b")}
    assert (log["method"] == "mean").all()
