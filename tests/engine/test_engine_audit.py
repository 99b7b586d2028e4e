from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import tiny_data, tiny_framework
from scipy import stats

from smartindex.engine import audit, build_index
from smartindex.engine.audit import column_stats, cronbach_alpha, pca, pearson


def test_column_stats_values():
    x = pd.DataFrame({"v": [*range(1, 11), 30, 100, np.nan]}, dtype=float)
    row = column_stats(x).iloc[0]
    assert row["skew"] == pytest.approx(3.063241, abs=1e-6)
    assert row["kurt"] == pytest.approx(9.741391, abs=1e-6)
    assert row["availability"] == pytest.approx(12 / 13) and row["outlier"]
    assert row["median"] == 6.5 and row["n_zero"] == 0


def test_pearson_p_values_match_scipy():
    rng = np.random.default_rng(0)
    x = pd.DataFrame(rng.normal(size=(30, 3)), columns=list("abc"))
    r, p, n = pearson(x)
    ref = stats.pearsonr(x["a"], x["b"])
    assert r.loc["a", "b"] == pytest.approx(ref.statistic)
    assert p.loc["a", "b"] == pytest.approx(ref.pvalue)
    assert n.loc["a", "b"] == 30


def test_cronbach_alpha_by_hand():
    x = np.array([[1.0, 2.0], [2.0, 3.0], [3.0, 5.0]])
    # var 1, 7/3 ; var(sum) = var(3, 5, 8) = 19/3 ; alpha = 2·(1 - (10/3)/(19/3)) = 18/19
    assert cronbach_alpha(x) == pytest.approx(18 / 19)


def test_pca_first_component():
    x = np.array([[1.0, 2.0], [2.0, 4.1], [3.0, 6.0], [4.0, 7.9]])
    vals, vecs = pca(x)
    assert vals.sum() == pytest.approx(2) and vals[0] > 1.99
    np.testing.assert_allclose(np.abs(vecs[:, 0]), [np.sqrt(0.5)] * 2, atol=1e-3)


def test_audit_tables():
    a = audit(build_index(tiny_data(), tiny_framework()))
    assert set(a.cronbach["parent"]) == {"P1", "P2", "IDX"}
    assert len(a.correlations.query("parent == 'P1'")) == 1
    assert set(a.parent_correlations.query("parent == 'IDX'")["code"]) == {"P1", "P2"}
    assert set(a.tables()) >= {"audit_stats", "audit_pca_loadings"}
    assert len(a.stats) == 3
