from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from smartindex.engine import UncertaintySpec, uncertainty
from smartindex.engine.uncertainty import design, pick, sobol
from smartindex.errors import MethodError

SPEC = UncertaintySpec.from_dict(
    {
        "normalise": ["minmax", "zscore", "rank"],
        "aggregate": ["arithmetic", "geometric"],
        "weights_noise": 0.25,
        "winsor_max": [1, 5],
    }
)


def _run(asem, asem_spec, coinr_method, seed=7):
    return uncertainty(
        asem.data,
        asem_spec.framework,
        coinr_method,
        SPEC,
        n=60,
        seed=seed,
        denominators=asem.denominators,
        groups=asem.groups,
    )


def test_reproducible_and_sensible(asem, asem_spec, coinr_method):
    a = _run(asem, asem_spec, coinr_method)
    b = _run(asem, asem_spec, coinr_method)
    pd.testing.assert_frame_equal(a.ranks, b.ranks)
    pd.testing.assert_frame_equal(a.sobol, b.sobol)
    assert len(a.runs) == 60 * (4 + 2)
    nom = a.ranks["nominal_rank"]
    inside = (nom >= a.ranks["q05"]) & (nom <= a.ranks["q95"])
    assert inside.mean() > 0.8
    assert list(a.sobol["assumption"]) == ["winsor_max", "normalise", "weights", "aggregate"]
    assert (a.sobol["total_order"] >= -0.05).all()
    c = _run(asem, asem_spec, coinr_method, seed=8)
    assert not a.runs["mean_rank_shift"].equals(c.runs["mean_rank_shift"])


def test_design_shape_and_columns():
    sample, labels = design(4, 3, np.random.default_rng(0))
    assert sample.shape == (20, 3) and list(labels[:5]) == ["A"] * 4 + ["B"]
    ab1 = sample[12:16]
    np.testing.assert_array_equal(ab1[:, 1], sample[4:8, 1])
    np.testing.assert_array_equal(ab1[:, [0, 2]], sample[:4, [0, 2]])
    np.testing.assert_array_equal(pick(np.array([0.0, 0.49, 0.5, 0.999]), 2), [0, 0, 1, 1])


def test_sobol_on_additive_model():
    # y = 2·x1 + x2 (uniform): S1 = 4/5, S2 = 1/5
    n = 20000
    sample, _ = design(n, 2, np.random.default_rng(1))
    y = 2 * sample[:, 0] + sample[:, 1]
    s = sobol(y, n, ["x1", "x2"]).set_index("assumption")
    assert s.loc["x1", "first_order"] == pytest.approx(0.8, abs=0.05)
    assert s.loc["x2", "total_order"] == pytest.approx(0.2, abs=0.05)


def test_spec_validation():
    with pytest.raises(MethodError, match=r"uncertainty\.normalise\.method = 'mm'"):
        UncertaintySpec.from_dict({"normalise": ["mm"]})
    with pytest.raises(MethodError, match=r"uncertainty\.noise is not a known setting"):
        UncertaintySpec.from_dict({"noise": 1})
    with pytest.raises(MethodError, match="winsor_max"):
        UncertaintySpec.from_dict({"winsor_max": [5, 1]})
