"""Trend statistics against hand-computed cases."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from smartindex.analysis.trends import (
    AnalysisSettings,
    cagr,
    indicator_meta,
    mann_kendall,
    theil_sen,
    trend_table,
    verdict,
    year_on_year,
)
from smartindex.errors import CatalogueError


def test_mann_kendall_monotone_series_by_hand():
    s, var, p = mann_kendall(np.array([1, 2, 3, 4, 5.0]))
    assert s == 10
    assert var == pytest.approx(5 * 4 * 15 / 18)
    z = (10 - 1) / math.sqrt(5 * 4 * 15 / 18)
    assert p == pytest.approx(2 * (1 - stats.norm.cdf(z)))
    assert p == pytest.approx(0.0275, abs=5e-4)


def test_mann_kendall_ties_and_nan():
    s, var, p = mann_kendall(np.array([1, 2, np.nan, 2, 3.0]))
    assert s == 5  # pairs: +,+,+,0,+,+
    assert var == pytest.approx((4 * 3 * 13 - 2 * 1 * 9) / 18)
    assert p == pytest.approx(2 * stats.norm.sf(4 / math.sqrt(138 / 18)))


def test_theil_sen_median_of_pairwise_slopes():
    slope, _ = theil_sen(np.arange(2019, 2024), np.array([1, 2, 4, 4, 10.0]))
    assert slope == pytest.approx(1.75)
    assert math.isnan(theil_sen(np.array([2020]), np.array([1.0]))[0])


def test_cagr():
    assert cagr(100, 121, 2) == pytest.approx(0.10)
    assert math.isnan(cagr(0, 5, 2))
    assert math.isnan(cagr(5, 6, 0))


def test_verdict_is_direction_aware():
    assert verdict(1.0, 10.0, +1, 5) == "improving"
    assert verdict(1.0, 10.0, -1, 5) == "worsening"
    assert verdict(0.05, 10.0, +1, 5) == "stable"  # 0.5 % per year <= 1 %
    assert verdict(1.0, 10.0, +1, 2) == "insufficient data"
    loose = AnalysisSettings(stable_tolerance=0.2)
    assert verdict(1.0, 10.0, +1, 5, loose) == "stable"


def test_year_on_year_change():
    f = pd.DataFrame(
        {"area_code": "a", "code": "X", "year": [2020, 2021, 2022], "value": [100.0, 110.0, 99.0]}
    )
    out = year_on_year(f)
    assert out["change"].tolist()[1:] == pytest.approx([10.0, -11.0])
    assert out["pct_change"].tolist()[1:] == pytest.approx([10.0, -10.0])
    assert math.isnan(out["pct_change"].iloc[0])


def test_trend_table_worsening_pollution_is_significant():
    f = pd.DataFrame(
        {
            "area_code": "1671",
            "code": "ENV_PM25",
            "year": range(2019, 2024),
            "value": [20, 22, 25, 28, 31.0],
        }
    )
    row = trend_table(f, {"ENV_PM25": -1}).iloc[0]
    assert row["verdict"] == "worsening" and row["significant"]
    assert row["arrow"] == "↑"
    assert row["slope"] == pytest.approx(3.0)
    assert row["mk_s"] == 10 and row["n"] == 5
    assert row["cagr"] == pytest.approx((31 / 20) ** 0.25 - 1)


def test_trend_table_insufficient_and_until():
    f = pd.DataFrame(
        {
            "area_code": "u",
            "code": "X",
            "year": [2020, 2021, 2022, 2023],
            "value": [1.0, np.nan, 2.0, 3.0],
        }
    )
    row = trend_table(f, until=2022).iloc[0]
    assert row["n"] == 2 and row["verdict"] == "insufficient data"
    assert not row["significant"] and math.isnan(row["p_value"])
    assert trend_table(f.iloc[:0]).empty


def test_indicator_meta_from_frame_and_bad_direction(meta):
    out = indicator_meta(meta)
    assert out.set_index("code").loc["ENV_PM25", "direction"] == -1
    with pytest.raises(CatalogueError):
        indicator_meta(meta.assign(direction="sideways"))
