"""Achievement, bands and projections."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from smartindex.analysis.targets import (
    achievement,
    band,
    band_legend,
    projection_status,
    target_status,
)
from smartindex.analysis.trends import AnalysisSettings
from smartindex.errors import MethodError


def test_achievement_directions():
    assert achievement(80, 100, 1) == pytest.approx(80)
    assert achievement(6, 5, -1) == pytest.approx(80)  # (2*5 - 6) / 5
    ratio = AnalysisSettings(negative_achievement="ratio")
    assert achievement(6, 5, -1, ratio) == pytest.approx(500 / 6)
    assert math.isnan(achievement(5, 0, 1)) and math.isnan(achievement(np.nan, 5, 1))
    assert achievement(300, 100, 1) == pytest.approx(150)  # capped
    assert achievement(20, 5, -1) == 0  # clipped at 0
    with pytest.raises(MethodError):
        achievement(1, 1, -1, AnalysisSettings(negative_achievement="nope"))


def test_grades_follow_permendagri_86_2017_bounds():
    """91 / 76 / 66 / 51 lower bounds (Permendagri 86/2017); keys, never words."""
    got = band([120, 91, 90.9, 76, 75.9, 66, 65.9, 51, 50.9, 0, np.nan])
    assert list(got) == [
        "sangat_tinggi",
        "sangat_tinggi",
        "tinggi",
        "tinggi",
        "sedang",
        "sedang",
        "rendah",
        "rendah",
        "sangat_rendah",
        "sangat_rendah",
        None,
    ]
    two = AnalysisSettings(bands=((50.0, "atas"), (float("-inf"), "bawah")))
    assert list(band([49, 50], two)) == ["bawah", "atas"]
    legend = band_legend()
    assert legend["key"].tolist() == [
        "sangat_tinggi",
        "tinggi",
        "sedang",
        "rendah",
        "sangat_rendah",
    ]
    assert legend["lower"].tolist() == [91.0, 76.0, 66.0, 51.0, 0.0]
    assert legend["upper"].tolist()[1:] == [91.0, 76.0, 66.0, 51.0]


def test_projection_status_thresholds():
    got = projection_status(
        [100, 95, 89, np.nan, 120], [5, 5, 5, 5, 2], [True, True, True, True, True]
    )
    assert list(got) == [
        "on track",
        "at risk",
        "off track",
        "insufficient data",
        "insufficient data",
    ]
    assert projection_status([100], [5], [False])[0] == "no target"


def test_target_status_on_and_off_track(results, meta):
    st = target_status(
        results.indicator_values, results.targets, meta, year=2023, area_codes=["1671"]
    ).set_index("code")
    pov = st.loc["LIV_POVERTY"]
    assert pov["target"] == 11.0 and pov["target_year"] == 2025
    assert pov["achievement"] == pytest.approx((2 * 11 - 11.6) / 11 * 100)
    assert pov["projected"] == pytest.approx(11.4)
    assert pov["projection_status"] == "off track"
    unemp = st.loc["ECO_UNEMPLOYMENT"]
    assert unemp["projected"] == pytest.approx(5.0) and unemp["projection_status"] == "on track"
    spbe = st.loc["GOV_SPBE"]
    assert spbe["achievement"] == pytest.approx(3.1 / 3.5 * 100)
    assert spbe["band"] == "tinggi"  # 88.6 %
    assert st.loc["ENV_PM25", "projection_status"] == "no target"
    assert st.loc["ENV_PM25", "verdict"] == "worsening"


def test_target_status_fit_anchor_and_missing_value(results, meta):
    fit = AnalysisSettings(projection_anchor="fit")
    st = target_status(
        results.indicator_values,
        results.targets,
        meta,
        year=2023,
        area_codes=["1671"],
        settings=fit,
    ).set_index("code")
    assert st.loc["ECO_UNEMPLOYMENT", "projected"] == pytest.approx(5.0)
    values = results.indicator_values
    values = values[~((values["code"] == "GOV_SPBE") & (values["year"] == 2023))]
    st = target_status(values, results.targets, meta, year=2023, area_codes=["1671"]).set_index(
        "code"
    )
    assert math.isnan(st.loc["GOV_SPBE", "value"]) and pd.isna(st.loc["GOV_SPBE", "band"])
