"""COINr features and index families beyond COINr, each against a hand-computed example."""

from __future__ import annotations

import numpy as np
import openpyxl
import pandas as pd
import pytest
from conftest import ASEM, METHODS, tiny_data, tiny_framework

from smartindex.engine import (
    MethodSpec,
    UncertaintySpec,
    build_index,
    compile_kernel,
    coverage_grade,
    group_ranks,
    leave_one_out,
    optimise_weights,
    round_half_up,
    run_uncertainty,
)
from smartindex.engine import aggregate as ag
from smartindex.engine.analysis import _comparison, sensitivity_table
from smartindex.engine.evaluate import run_evaluation
from smartindex.engine.kernel import nominal_scores
from smartindex.engine.normalise import NORMALISERS, Reference
from smartindex.engine.rounding import round_values
from smartindex.engine.workbook import neutralise
from smartindex.errors import DataFileError, MethodError

REF = Reference(np.array([]), np.array([]), np.array([]))


def test_copeland_by_hand():
    # weights 1, 1, 2; u1 beats the others on child 1 only (share 1/4 -> -1 each);
    # u2 beats u3 on children 1 and 3 (3/4 -> +1); u3 beats u1 (3/4) but not u2
    x = np.array([[3.0, 1, 1], [2, 2, 3], [1, 3, 2]])
    w = np.array([[1.0], [1], [2]])
    np.testing.assert_array_equal(ag.copeland(x, w)[:, 0], [-2, 2, 0])
    # a tie (share exactly 1/2) counts 0; equal values count half: u1 vs u3 = 1/4 + 1/2
    x2 = np.array([[1.0, 2], [2, 1], [1, 1]])
    np.testing.assert_array_equal(ag.copeland(x2, np.ones((2, 1)))[:, 0], [1, 1, -2])


def test_copeland_in_a_build_runs_per_year():
    data = pd.concat([tiny_data(), tiny_data().assign(year=2021)])
    m = MethodSpec.from_dict({"aggregate": {"method": "copeland"}})
    s = build_index(data, tiny_framework(), m).scores.set_index(["year", "unit", "code"])["score"]
    # P1 children a, b: u3 beats u1, u2 on both and ties u4 (one each) -> +2; u1 loses all
    assert s[(2020, "u3", "P1")] == 2 and s[(2020, "u1", "P1")] == -3
    assert s[(2021, "u3", "P1")] == s[(2020, "u3", "P1")]


def test_product_weights_ignored_and_as_exponents():
    x = np.array([[2.0, 3.0, 0.5], [2.0, 0.0, 1.0]])
    w = np.array([[1.0], [1], [2]])
    np.testing.assert_allclose(ag.product(x, w)[:, 0], [3.0, 0.0])
    # exponents k·w/Σw = 3·(1/4, 1/4, 1/2)
    expected = 2**0.75 * 3**0.75 * 0.5**1.5
    np.testing.assert_allclose(ag.product_weighted(x, w)[:, 0], [expected, 0.0])
    np.testing.assert_allclose(ag.product_weighted(x, w * 10)[:, 0], [expected, 0.0])
    np.testing.assert_allclose(ag.product_weighted(x[:1], np.ones((3, 1)))[:, 0], [3.0])


def test_product_rejects_negative_values():
    m = MethodSpec.from_dict(
        {"normalise": {"method": "zscore"}, "aggregate": {"method": "product"}}
    )
    with pytest.raises(MethodError, match="product needs values >= 0"):
        build_index(tiny_data(), tiny_framework(), m)


def test_percentile_rank_calenviroscreen_ties():
    x = np.array([[1.0], [2], [2], [3], [3]])
    np.testing.assert_allclose(NORMALISERS["percentile"](x, REF)[:, 0], [0.25, 0.5, 0.5, 1, 1])
    y = np.array([[5.0], [np.nan], [1.0]])
    out = NORMALISERS["percentile"](y, REF, scale=100)[:, 0]
    assert out[0] == 100 and np.isnan(out[1]) and out[2] == 50


def test_rounding_half_up_and_half_even():
    v = np.array([0.125, 2.675, 1.005, -0.125])
    np.testing.assert_array_equal(round_half_up(v, 2), [0.13, 2.68, 1.01, -0.13])
    np.testing.assert_array_equal(round_half_up(np.array([-2.5, 2.5]), 0), [-3, 3])
    np.testing.assert_array_equal(round_values(np.array([0.125]), 2, "half_even"), [0.12])
    assert round_values(v, None) is v


def test_rounding_per_stage_feeds_next_level():
    m = MethodSpec.from_dict({"rounding": {"normalised": 0, "aggregated": 1}})
    s = build_index(tiny_data(), tiny_framework(), m).scores.set_index(["unit", "code"])["score"]
    # a: 0, 33.3, 66.7, 100 -> 0, 33, 67, 100; b: 0, 33, 100, 67
    assert s[("u2", "a")] == 33 and s[("u3", "a")] == 67
    assert s[("u3", "P1")] == 83.5  # (67 + 100)/2
    assert s[("u3", "IDX")] == 41.8  # (83.5 + 0)/2 = 41.75 -> 41.8 (half up)
    plain = build_index(tiny_data(), tiny_framework()).scores.set_index(["unit", "code"])
    assert plain.loc[("u2", "a"), "score"] == pytest.approx(100 / 3, abs=1e-12)


def test_coverage_grade_bounds():
    shares = pd.Series([1.0, 0.95, 0.94, 0.90, 0.80, 0.70, 0.60, 0.40, np.nan])
    assert coverage_grade(shares).tolist() == list("AABBCDEFF")


def test_grade_as_inclusion_rule():
    data = tiny_data()
    data.loc[(data.unit == "u2") & (data.code.isin(["a", "b"])), "value"] = np.nan
    m = MethodSpec.from_dict({"screen": {"min_grade": "C"}})
    r = build_index(data, tiny_framework(), m)
    log = r.screening.set_index("unit")
    assert log.at["u2", "grade"] == "F" and not log.at["u2", "included"]
    assert sorted(r.index()["unit"]) == ["u1", "u3", "u4"]
    assert set(r.index()["grade"]) == {"A"}


def test_overrides_take_effect():
    m = MethodSpec.from_dict(
        {"overrides": {"b": {"weight": 3, "direction": -1}, "P1": {"aggregate": "harmonic"}}}
    )
    m = MethodSpec.from_dict(
        {
            "aggregate": {"geometric_shift": 1},
            "overrides": {"b": {"weight": 3, "direction": -1}, "P1": {"aggregate": "harmonic"}},
        }
    )
    r = build_index(tiny_data(), tiny_framework(), m)
    s = r.scores.set_index(["unit", "code"])["score"]
    # b reversed: u3 (40) is now worst -> 0; u1 (10) best -> 100
    assert s[("u3", "b")] == 0 and s[("u1", "b")] == 100
    # P1 for u3: weighted harmonic of a + 1 = 200/3 + 1 and b + 1 = 1 (weights 1, 3), minus 1
    expected = 4 / (1 / (200 / 3 + 1) + 3 / 1) - 1
    assert s[("u3", "P1")] == pytest.approx(expected)
    assert r.overrides["applied"].all() and len(r.overrides) == 3
    assert r.functions["P1"] == "harmonic" and r.functions["IDX"] == "arithmetic"


@pytest.mark.parametrize(
    ("overrides", "needle"),
    [
        ({"zz": {"weight": 2}}, "no element with code 'zz'"),
        ({"a": {"aggregate": "geometric"}}, "'a' is an indicator"),
        ({"P1": {"direction": -1}}, "'P1' is an aggregate"),
        ({"P1": {"treat": "none"}}, "'P1' is an aggregate"),
    ],
)
def test_overrides_that_cannot_apply_raise(overrides, needle):
    with pytest.raises(MethodError, match=needle):
        build_index(tiny_data(), tiny_framework(), MethodSpec.from_dict({"overrides": overrides}))


def test_override_overwritten_by_pca_is_reported():
    m = MethodSpec.from_dict({"weights": {"method": "pca"}, "overrides": {"a": {"weight": 5}}})
    with pytest.raises(MethodError, match=r"overrides\.a\.weight did not take effect"):
        build_index(tiny_data(), tiny_framework(), m)


def test_treat_override_per_indicator():
    x = [*range(1, 21), 200, 400]
    data = pd.DataFrame(
        {"unit": [f"u{i}" for i in range(22)], "year": 2020, "code": "a", "value": x}
    )
    data = pd.concat([data, data.assign(code="b")])
    fw = tiny_framework().elements.query("code != 'c' and code != 'P2'")
    from smartindex.engine import Framework

    m = MethodSpec.from_dict(
        {"treat": {"method": "jrc"}, "overrides": {"b": {"treat": {"winmax": 1}}}}
    )
    r = build_index(data, Framework.from_frame(fw.drop(columns=["level", "type"])), m)
    log = r.treatment.set_index("code")
    assert log.at["a", "action"] == "winsorised" and log.at["a", "points_high"] == 2
    assert log.at["b", "action"] == "log_CT" and log.at["b", "winmax"] == 1


def test_group_ranks():
    r = build_index(tiny_data(), tiny_framework())
    groups = pd.DataFrame({"unit": ["u1", "u2", "u3", "u4"], "size": ["S", "S", "L", "L"]})
    g = group_ranks(r, groups, "size", level=3).set_index("unit")
    # IDX: u1 50, u2 54.2, u3 41.7, u4 54.2
    assert g["group_rank"].to_dict() == {"u1": 2, "u2": 1, "u3": 2, "u4": 1}
    assert g.at["u3", "group"] == "L"


def test_leave_one_out_by_hand():
    loo = leave_one_out(tiny_data(), tiny_framework(), level=2)
    # without P2 the index is P1: u1 0, u2 33.3, u3 83.3, u4 83.3 -> ranks 4, 3, 1, 1
    ranks = loo.ranks.query("removed == 'P2'").set_index("unit")
    assert ranks["rank"].to_dict() == {"u1": 4, "u2": 3, "u3": 1, "u4": 1}
    row = loo.summary.set_index("removed").loc["P2"]
    assert row["mean_abs_shift"] == 1.5 and row["max_abs_shift"] == 3 and row["n_changed"] == 3


def test_sensitivity_statistics_by_hand():
    nominal = np.arange(1.0, 9.0)
    alt = np.array([8.0, 1, 2, 3, 4, 5, 6, 7])  # unit 1 drops 7 places, the rest rise 1
    out = _comparison(nominal, alt, [slice(0, 8)])
    assert out["n_changed"] == 8 and out["n_moved_gt5"] == 1
    assert out["mean_abs_shift"] == pytest.approx(14 / 8)
    assert out["kendall_tau"] == pytest.approx((21 - 7) / 28)


@pytest.fixture(scope="module")
def asem_kernel(asem, asem_spec, coinr_method):
    return compile_kernel(
        asem.data,
        asem_spec.framework,
        coinr_method,
        denominators=asem.denominators,
        groups=asem.groups,
    )


def test_kernel_nominal_equals_plain_build(asem, asem_spec, coinr_method, asem_kernel):
    r = build_index(
        asem.data,
        asem_spec.framework,
        coinr_method,
        denominators=asem.denominators,
        groups=asem.groups,
    )
    top = r.index().set_index(["year", "unit"])["score"].reindex(asem_kernel.rows)
    np.testing.assert_array_equal(nominal_scores(asem_kernel), top.to_numpy())


def test_replicates_with_nominal_settings_equal_the_build(
    asem, asem_spec, coinr_method, asem_kernel
):
    spec = UncertaintySpec.from_dict(
        {
            "normalise": ["minmax", "zscore"],
            "aggregate": ["arithmetic", "geometric"],
            "winsor_max": [4, 5],
            "n": 40,
            "seed": 3,
            "diagnostic": True,
        }
    )
    ua = run_uncertainty(asem_kernel, spec)
    runs = ua.runs
    nominal = runs[
        (runs["normalise"] == "minmax(hi=100, lo=0)")
        & (runs["aggregate"] == "arithmetic")
        & (runs["winsor_max"] == 5)
    ]["run"]
    assert len(nominal) > 0
    rep = ua.replicates[ua.replicates["run"].isin(nominal)]
    expected = pd.Series(
        nominal_scores(asem_kernel), index=asem_kernel.rows.get_level_values("unit")
    )
    nominal_rank = ua.ranks.set_index("unit")["nominal_rank"]
    for _, grp in rep.groupby("run"):
        # the batch collapses the arithmetic tree to one product with the effective
        # weights: the same sums re-associated, equal to the last bits; ranks identical
        got = grp["score"].to_numpy()
        np.testing.assert_allclose(got, expected[grp["unit"]].to_numpy(), rtol=1e-14, atol=0)
        np.testing.assert_array_equal(grp["rank"].to_numpy(), nominal_rank[grp["unit"]].to_numpy())
    assert (runs.loc[runs["run"].isin(nominal), "mean_rank_shift"] == 0).all()
    # winsor_max 4 == 5 on ASEM? Services needs 4 points, so both give the same ranks
    assert ua.held == ("impute", "weights")


def test_uncertainty_spec_from_file_sobol_ci_and_sensitivity(asem_kernel, tmp_path):
    (tmp_path / "u.toml").write_text(
        "[uncertainty]\n"
        'normalise = [{method = "minmax", params = {lo = 1.0, hi = 100.0}},'
        ' {method = "zscore", params = {m = 10.0, s = 2.0}}]\n'
        "weights_noise = 0.2\nweights_levels = [3]\nweights_sets = 7\n"
        'aggregate = ["arithmetic", "geometric"]\nn = 30\nseed = 11\nbootstrap = 50\n'
        "diagnostic = true\n"
    )
    spec = UncertaintySpec.from_toml(tmp_path / "u.toml")
    ua = run_uncertainty(asem_kernel, spec)
    assert ua.n == 30 and ua.seed == 11 and len(ua.runs) == 30 * 5
    assert set(ua.runs["normalise"]) == {"minmax(hi=100, lo=1)", "zscore(m=10, s=2)"}
    sob = ua.sobol.set_index("assumption")
    assert (sob["first_lo"] <= sob["first_hi"]).all() and (sob["total_lo"] <= sob["total_hi"]).all()
    w = ua.weight_sets.set_index("weight_set")
    # only level-3 weights (Conn, Sust) were perturbed
    assert len(w) == 7 and w["Physical"].nunique() == 1 and w["Conn"].nunique() == 7
    assert list(ua.ranks.columns) == [
        "unit",
        "year",
        "nominal_rank",
        "mean_rank",
        "median_rank",
        "q05",
        "q95",
    ]
    sens = sensitivity_table(asem_kernel, spec)
    assert set(sens["assumption"]) == {"normalise", "aggregate"}
    assert (sens["n_moved_gt5"] <= sens["n_changed"]).all()


def test_optimise_weights_balance_equalises_correlations(asem_kernel):
    opt = optimise_weights(asem_kernel, 3, "balance")
    w = opt.weights.set_index("code")
    assert w["weight"].sum() == pytest.approx(1)
    assert w.at["Conn", "correlation"] == pytest.approx(w.at["Sust", "correlation"], abs=1e-5)
    # COINr (reltol 0.1) prints Conn 0.3902, Sust 0.6098; converged: 0.385 / 0.615
    assert w.at["Conn", "weight"] == pytest.approx(0.385, abs=0.002)


def test_workbook_neutralises_headers_index_and_categories():
    f = pd.DataFrame(
        {"=h": pd.Categorical(["=a", "b"]), "s": pd.array(["+x", "y"], dtype="string")},
        index=pd.Index(["-i", "ok"], name="@n"),
    )
    out = neutralise(f)
    assert list(out.columns) == ["'@n", "'=h", "s"]
    assert out["'=h"].tolist() == ["'=a", "b"]
    assert out["s"].tolist() == ["'+x", "y"]
    assert out["'@n"].tolist() == ["'-i", "ok"]  # a named index is written as a column


def test_evaluate_with_uncertainty_writes_every_sheet(tmp_path):
    out = run_evaluation(
        ASEM / "ASEM_iMeta.csv",
        ASEM / "ASEM_iData.csv",
        tmp_path / "o",
        method_path=METHODS / "coinr_uncertainty.toml",
        options={"n": 20, "leave_one_out": 3, "diagnostic": True},
    )
    wb = openpyxl.load_workbook(out.files["workbook"], read_only=True)
    names = wb.sheetnames
    assert names[0] == "README"
    for sheet in (
        "stage_raw",
        "stage_normalised",
        "method",
        "weights",
        "audit_stats",
        "uncertainty_ranks",
        "uncertainty_sobol",
        "uncertainty_runs",
        "sensitivity",
        "leave_one_out",
        "group_ranks_GDPpc_group",
        "uncertainty_weight_sets",
    ):
        assert sheet in names, sheet
    header = next(wb["weights"].iter_rows(values_only=True))
    assert "given" in header and "effective" in header
    assert out.uncertainty is not None and out.uncertainty.n == 20
    assert "uncertainty_replicates" in out.files  # CSV only


def test_non_integer_year_is_a_plain_number(tmp_path):
    frame = tiny_framework().elements.drop(columns=["level", "type"])
    frame.to_csv(tmp_path / "f.csv", index=False)
    pd.DataFrame(
        {"unit": ["u1", "u2"], "year": [2018.5, 2019], "a": [1, 2], "b": [1, 2], "c": [1, 2]}
    ).to_csv(tmp_path / "d.csv", index=False)
    with pytest.raises(DataFileError, match=r"year must be an integer, got 2018\.5$"):
        run_evaluation(tmp_path / "f.csv", tmp_path / "d.csv", tmp_path / "o")
