"""Weights: raw weights per element, renormalised within each parent.

Named schemes: ``framework`` (the framework's weight column), ``equal`` (1 for every
element), ``pca`` (data-driven, see :func:`pca_weights`), or a mapping
``{code: weight}`` that overrides the framework weights of the codes it names.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from smartindex.engine.framework import Framework
from smartindex.errors import MethodError

SCHEMES = ("framework", "equal", "pca")


def static_weights(framework: Framework, scheme: str | Mapping[str, float]) -> pd.Series:
    """Raw weight per element code (``pca`` starts from equal; refined at aggregation)."""
    w = framework.column("weight").astype(float)
    if isinstance(scheme, Mapping):
        unknown = sorted(set(scheme) - set(w.index))
        if unknown:
            raise MethodError(f"weights: unknown code {unknown[0]!r} in the weight mapping")
        bad = [k for k, v in scheme.items() if not float(v) > 0]
        if bad:
            raise MethodError(f"weights: weight of {bad[0]!r} must be > 0")
        w = w.copy()
        for code, value in scheme.items():
            w[code] = float(value)
        return w
    if scheme in ("equal", "pca"):
        return pd.Series(1.0, index=w.index)
    return w


def renormalise(w: pd.Series, framework: Framework) -> pd.Series:
    """Divide each weight by the sum of its siblings' weights (root keeps 1)."""
    parent = framework.column("parent")
    total = w.groupby(parent.fillna("")).transform("sum")
    return (w / total).rename("weight")


def effective(w: pd.Series, framework: Framework) -> pd.Series:
    """Product of renormalised weights from the root down to each element."""
    parent = framework.column("parent")
    level = framework.column("level")
    eff = pd.Series(1.0, index=w.index)
    for lv in sorted(level.unique(), reverse=True):
        codes = level.index[(level == lv) & parent.notna()]
        eff[codes] = w[codes].to_numpy() * eff[parent[codes]].to_numpy()
    return eff.rename("effective")


def pca_weights(x: np.ndarray) -> np.ndarray:
    """Squared first-principal-component loadings of standardised children, summing to 1.

    Uses complete rows only; PC1 of the correlation matrix.  Squaring makes every
    weight non-negative (COINr's raw loadings can be negative).  With fewer than
    three complete rows, one child, or a degenerate matrix, equal weights are returned.
    """
    k = x.shape[1]
    rows = x[~np.isnan(x).any(axis=1)]
    sd = rows.std(axis=0, ddof=1) if len(rows) > 1 else np.zeros(k)
    if k < 2 or len(rows) < 3 or np.any(sd == 0):
        return np.full(k, 1.0 / k)
    corr = np.corrcoef(rows, rowvar=False)
    vals, vecs = np.linalg.eigh(corr)
    sq = vecs[:, np.argmax(vals)] ** 2
    out: np.ndarray = sq / sq.sum()
    return out


def weight_matrix(
    children: list[str], parents: list[str], parent_of: pd.Series, w: pd.Series
) -> np.ndarray:
    """Children x parents matrix holding each child's weight in its parent's column."""
    col = {p: j for j, p in enumerate(parents)}
    parent = parent_of.to_dict()
    mat = np.zeros((len(children), len(parents)))
    rows = np.arange(len(children))
    cols = np.array([col[parent[c]] for c in children], dtype=int)
    mat[rows, cols] = w.reindex(children).to_numpy(dtype=float)
    return mat
