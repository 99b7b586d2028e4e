"""Inequality measures against known values."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from smartindex.analysis.districts import (
    best_worst_ratio,
    cv,
    district_values,
    gini,
    inequality,
    inequality_trend,
)


def test_gini_known_values():
    assert gini([1, 1, 1, 1]) == 0
    assert gini([0, 0, 0, 1]) == pytest.approx(0.75)  # no n/(n-1) correction
    assert gini([1, 2, 10]) == pytest.approx(36 / 78)
    assert math.isnan(gini([5])) and math.isnan(gini([-1, 2])) and math.isnan(gini([0, 0]))
    assert gini([1, np.nan, 1]) == 0


def test_theil_cv_ratio():
    from smartindex.analysis.districts import theil

    assert theil([2, 2, 2]) == pytest.approx(0)
    assert theil([0, 0, 0, 1]) == pytest.approx(math.log(4))
    assert cv([1, 3]) == pytest.approx(0.5)
    assert best_worst_ratio([2, 8, 4]) == pytest.approx(4)
    assert math.isnan(best_worst_ratio([0, 3]))


def test_inequality_direction_aware_best_worst():
    f = pd.DataFrame(
        {
            "area_code": ["a", "b", "c"] * 2,
            "year": 2023,
            "code": ["UP"] * 3 + ["DOWN"] * 3,
            "value": [1, 2, 10, 1, 2, 10.0],
        }
    )
    out = inequality(f, {"UP": 1, "DOWN": -1}).set_index("code")
    assert out.loc["UP", "best_area"] == "c" and out.loc["UP", "worst_area"] == "a"
    assert out.loc["DOWN", "best_area"] == "a" and out.loc["DOWN", "worst_area"] == "c"
    assert out.loc["UP", "gini"] == pytest.approx(36 / 78) and out.loc["UP", "n"] == 3


def test_inequality_trend_rising_gini_is_worsening():
    ind = pd.DataFrame(
        {"code": "X", "year": [2019, 2020, 2021, 2022], "gini": [0.1, 0.2, 0.3, 0.4]}
    )
    row = inequality_trend(ind).iloc[0]
    assert row["verdict"] == "worsening" and row["measure"] == "gini"


def test_district_values_only_home_kecamatan(results):
    out = district_values(
        results.indicator_values, results.regions, city="1671", year=2023, code="MOB_WIFI_DENSITY"
    )
    assert out["value"].tolist() == [1, 2, 10] and set(out["zone"]) == {"pinggiran", "pusat"}


def test_district_map_values_lists_every_kecamatan_with_gaps_as_nan(results):
    from smartindex.analysis.districts import district_map_values

    wifi = district_map_values(results, year=2023, code="MOB_WIFI_DENSITY")
    assert wifi[["area_code", "name"]].values.tolist() == [
        ["1671010", "Sako"],
        ["1671020", "Ilir Barat I"],
        ["1671030", "Bukit Kecil"],
    ]
    assert wifi["value"].tolist() == [1, 2, 10]
    assert set(wifi["direction"]) == {1} and set(wifi["measure_unit"]) == {"per 100 000"}
    # no kecamatan has a poverty value: all three listed, without data; lower is better
    poverty = district_map_values(results, year=2023, code="LIV_POVERTY")
    assert len(poverty) == 3 and poverty["value"].isna().all()
    assert set(poverty["direction"]) == {-1}
    # scores: the kecamatan comparison, higher is better, no area_code of measure
    index = district_map_values(results, year=2023, code="INDEX")
    assert index["value"].tolist() == [40.0, 50.0, 65.0]
    assert set(index["direction"]) == {1} and set(index["measure_unit"]) == {""}
    mobility = district_map_values(results, year=2023, code="mobility")
    assert mobility["value"].tolist() == [35.0, 45.0, 60.0]
