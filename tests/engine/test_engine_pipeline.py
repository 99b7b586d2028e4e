from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import tiny_data, tiny_framework

from smartindex.engine import MethodSpec, build_index
from smartindex.errors import MethodError, SmartIndexError


def top(result):
    return result.index().set_index("unit")


def test_tiny_build_by_hand():
    r = build_index(tiny_data(), tiny_framework())
    s = r.scores.set_index(["unit", "code"])["score"]
    # minmax 0-100: a = 0, 33.3, 66.7, 100 ; b = 0, 33.3, 100, 66.7 ; c = 100, 75, 0, 25
    assert s[("u3", "b")] == pytest.approx(100)
    assert s[("u2", "P1")] == pytest.approx(100 / 3)
    assert s[("u1", "IDX")] == pytest.approx((0 + 100) / 2)
    assert s[("u3", "IDX")] == pytest.approx((250 / 3 + 0) / 2)
    # IDX: u1 50, u2 325/6, u3 125/3, u4 325/6 -> u2, u4 tie first ('min')
    assert s[("u2", "IDX")] == pytest.approx(325 / 6) == s[("u4", "IDX")]
    assert top(r)["rank"].to_dict() == {"u1": 3, "u2": 1, "u3": 4, "u4": 1}
    assert r.scores.query("level == 2")["n_children"].max() == 2


def test_flipping_direction_mirrors_indicator_ranks():
    up = build_index(tiny_data(), tiny_framework())
    down = build_index(tiny_data(), tiny_framework(direction_b=-1))
    r_up = up.scores.query("code == 'b'").set_index("unit")["rank"]
    r_down = down.scores.query("code == 'b'").set_index("unit")["rank"]
    assert (r_up + r_down == 5).all()


def test_weights_scaled_by_constant_give_identical_scores():
    a = build_index(
        tiny_data(),
        tiny_framework(),
        MethodSpec.from_dict({"weights": {"method": "mapping", "values": {"a": 1, "b": 3}}}),
    )
    b = build_index(
        tiny_data(),
        tiny_framework(),
        MethodSpec.from_dict({"weights": {"method": "mapping", "values": {"a": 10, "b": 30}}}),
    )
    pd.testing.assert_frame_equal(a.scores, b.scores)
    eff = a.weights.set_index("code")["effective"]
    assert eff["a"] == pytest.approx(0.125) and eff["c"] == pytest.approx(0.5)


def test_missing_value_keeps_other_units_raw_values_and_renormalises():
    data = tiny_data()
    data.loc[(data.unit == "u2") & (data.code == "a"), "value"] = np.nan
    r = build_index(data, tiny_framework())
    raw = r.stages["raw"].set_index(["unit", "code"])["value"]
    assert raw[("u3", "a")] == 3.0 and np.isnan(raw[("u2", "a")])
    row = r.scores.query("unit == 'u2' and code == 'P1'").iloc[0]
    assert row["coverage"] == 0.5 and row["n_children"] == 1
    assert row["score"] == pytest.approx(100 / 3)  # b only


def test_min_coverage_makes_aggregate_nan_and_flags_it():
    data = tiny_data()
    data.loc[(data.unit == "u2") & (data.code == "a"), "value"] = np.nan
    m = MethodSpec.from_dict({"aggregate": {"min_coverage": {"2": 0.75}}})
    row = build_index(data, tiny_framework(), m).scores.query("unit == 'u2' and code == 'P1'")
    assert np.isnan(row["score"].iloc[0]) and row["low_coverage"].iloc[0]


def test_monotonicity_raising_one_value_never_lowers_scores():
    data = tiny_data()
    base = build_index(data, tiny_framework()).scores.set_index(["unit", "code"])["score"]
    data.loc[(data.unit == "u2") & (data.code == "c"), "value"] = 4.5
    more = build_index(data, tiny_framework()).scores.set_index(["unit", "code"])["score"]
    assert more[("u2", "IDX")] > base[("u2", "IDX")]


def test_geometric_on_zero_names_element_and_shift_fixes():
    m = MethodSpec.from_dict({"aggregate": {"method": "geometric"}})
    with pytest.raises(MethodError, match="geometric mean needs values > 0 but 'a'"):
        build_index(tiny_data(), tiny_framework(), m)
    m2 = MethodSpec.from_dict({"aggregate": {"method": "geometric", "geometric_shift": 1}})
    s = build_index(tiny_data(), tiny_framework(), m2).scores.set_index(["unit", "code"])
    assert s.loc[("u1", "P1"), "score"] == pytest.approx(np.sqrt(1 * 1) - 1)


def test_dist2target_with_targets_frame_and_goalpost_override():
    fw_frame = tiny_framework().elements.copy()
    fw_frame.loc[fw_frame.code == "c", ["goalpost_lo", "goalpost_hi"]] = [0, 10]
    from smartindex.engine import Framework

    fw = Framework.from_frame(fw_frame)
    m = MethodSpec.from_dict(
        {
            "normalise": {
                "method": "dist2target",
                "params": {"cap": True},
                "overrides": {"c": {"method": "goalposts", "params": {"scale": 100}}},
            }
        }
    )
    targets = pd.DataFrame({"code": ["a", "b"], "target": [2.0, 20.0]})
    s = build_index(tiny_data(), fw, m, targets=targets).scores.set_index(["unit", "code"])
    assert s.loc[("u1", "a"), "score"] == 0 and s.loc[("u4", "a"), "score"] == 1
    assert s.loc[("u2", "b"), "score"] == 1
    assert s.loc[("u1", "c"), "score"] == pytest.approx(50)


def test_pca_weights_non_negative_and_sum_to_one():
    r = build_index(
        tiny_data(), tiny_framework(), MethodSpec.from_dict({"weights": {"method": "pca"}})
    )
    w = r.weights.set_index("code")["weight"]
    assert (w >= 0).all() and w[["a", "b"]].sum() == pytest.approx(1)


def test_duplicate_rows_rejected():
    data = pd.concat([tiny_data(), tiny_data().iloc[:1]])
    with pytest.raises(SmartIndexError, match="duplicate rows for unit 'u1'"):
        build_index(data, tiny_framework())


def test_determinism_frames_and_manifest(asem, asem_spec, coinr_method):
    kw = {"denominators": asem.denominators, "groups": asem.groups}
    r1 = build_index(asem.data, asem_spec.framework, coinr_method, **kw)
    r2 = build_index(
        asem.data.sample(frac=1, random_state=3), asem_spec.framework, coinr_method, **kw
    )
    pd.testing.assert_frame_equal(r1.scores, r2.scores)
    for name in r1.stages:
        pd.testing.assert_frame_equal(r1.stages[name], r2.stages[name])
    assert r1.manifest == r2.manifest
    assert set(r1.manifest) == {
        "method",
        "method_digest",
        "framework_digest",
        "input_checksum",
        "version",
        "engine",
    }


def test_asem_coinr_default_build(asem, asem_spec, coinr_method):
    r = build_index(
        asem.data,
        asem_spec.framework,
        coinr_method,
        denominators=asem.denominators,
        groups=asem.groups,
    )
    counts = r.scores.groupby("level")["code"].nunique().to_dict()
    assert counts == {1: 49, 2: 8, 3: 2, 4: 1}
    assert r.scores["unit"].nunique() == 51
    # group-mean imputation fills every gap; denominated values are ratios
    assert r.stages["imputed"]["value"].notna().all() and r.imputation["value"].notna().all()
    raw = r.stages["raw"].set_index(["unit", "code"])["value"]
    den = r.stages["denominated"].set_index(["unit", "code"])["value"]
    gdp = asem.denominators.set_index(["unit", "name"])["value"][("AUT", "GDP")]
    assert den[("AUT", "Goods")] == pytest.approx(raw[("AUT", "Goods")] / gdp)
    norm = r.stages["normalised"]["value"]
    assert norm.min() == pytest.approx(0) and norm.max() == pytest.approx(100)
    assert (r.treatment["action"] != "none").sum() > 0
    idx = r.index()
    assert idx["score"].between(0, 100).all() and sorted(idx["rank"]) == list(range(1, 52))


def test_asem_panel_screening_46_units(asem_panel, asem_spec):
    m = MethodSpec.from_dict(
        {
            "screen": {"threshold": 0.9},
            "impute": {"method": "latest"},
            "normalise": {"scope": "pooled"},
        }
    )
    r = build_index(asem_panel.data, asem_spec.framework, m)
    per_year = r.screening.groupby("year")["included"].sum().to_dict()
    assert per_year == dict.fromkeys(range(2018, 2023), 46)
    assert len(r.screening) == 255  # screened-out units stay in the log
    assert r.index().groupby("year").size().eq(46).all()
