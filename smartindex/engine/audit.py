"""Statistical audit of a build: indicator statistics, correlations, Cronbach's alpha, PCA.

Statistics follow COINr's ``get_stats`` (bias-corrected skewness and excess kurtosis,
sample sd).  Correlations, alpha and PCA use the element scores pooled over all years
(normalised indicators and aggregate scores), one table per aggregate's children.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as st

from smartindex.engine.result import IndexResult
from smartindex.engine.treat import fails, kurt, skew


@dataclass(frozen=True)
class Audit:
    """Audit tables (all tidy frames)."""

    stats: pd.DataFrame
    correlations: pd.DataFrame
    parent_correlations: pd.DataFrame
    cronbach: pd.DataFrame
    pca_variance: pd.DataFrame
    pca_loadings: pd.DataFrame

    def tables(self) -> dict[str, pd.DataFrame]:
        """All tables by name (for export)."""
        return {
            "audit_stats": self.stats,
            "audit_correlations": self.correlations,
            "audit_parent_correlations": self.parent_correlations,
            "audit_cronbach": self.cronbach,
            "audit_pca_variance": self.pca_variance,
            "audit_pca_loadings": self.pca_loadings,
        }


def column_stats(
    wide: pd.DataFrame, skew_thresh: float = 2.0, kurt_thresh: float = 3.5
) -> pd.DataFrame:
    """Per-column min, max, mean, median, sd, skew, kurt, availability, n_zero, outlier."""
    x = wide.to_numpy(dtype=float)
    sk, ku = skew(x), kurt(x)
    out = pd.DataFrame(
        {
            "min": wide.min(),
            "max": wide.max(),
            "mean": wide.mean(),
            "median": wide.median(),
            "sd": wide.std(ddof=1),
            "skew": sk,
            "kurt": ku,
            "availability": wide.notna().mean(),
            "n_zero": (wide == 0).sum(),
            "n_unique": wide.nunique(),
        }
    )
    out["outlier"] = fails(sk, ku, skew_thresh, kurt_thresh)
    return out.rename_axis("code").reset_index()


def indicator_stats(result: IndexResult, stage: str = "denominated") -> pd.DataFrame:
    """Indicator statistics per year on one stage (default: before imputation)."""
    long = result.stages[stage]
    treat = result.method.treat
    parts = []
    for year, grp in long.groupby("year", sort=True):
        wide = grp.pivot(index="unit", columns="code", values="value")
        wide = wide[[c for c in result.framework.indicators if c in wide.columns]]
        tab = column_stats(wide, treat.skew_thresh, treat.kurt_thresh)
        parts.append(tab.assign(year=year))
    out = pd.concat(parts, ignore_index=True)
    return out[["code", "year", *[c for c in out.columns if c not in ("code", "year")]]]


def pearson(x: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Pairwise-complete Pearson r, two-sided p-value and n for every column pair."""
    r = x.corr(method="pearson")
    present = x.notna().astype(float)
    n = present.T @ present
    with np.errstate(divide="ignore", invalid="ignore"):
        t = r * np.sqrt((n - 2) / (1 - r**2))
        p = 2 * st.t.sf(np.abs(t), n - 2)
    pvals = pd.DataFrame(np.where(np.abs(r) >= 1 - 1e-15, 0.0, p), index=r.index, columns=r.columns)
    return r, pvals, n


def _wide_scores(result: IndexResult) -> pd.DataFrame:
    return result.scores.pivot(index=["year", "unit"], columns="code", values="score")


def _pairs(parent: str, r: pd.DataFrame, p: pd.DataFrame, n: pd.DataFrame) -> pd.DataFrame:
    tri = np.triu(np.ones(r.shape, dtype=bool), k=1)
    a, b = np.nonzero(tri)
    return pd.DataFrame(
        {
            "parent": parent,
            "code_a": r.index[a],
            "code_b": r.columns[b],
            "r": r.to_numpy()[a, b],
            "p_value": p.to_numpy()[a, b],
            "n": n.to_numpy()[a, b].astype(int),
        }
    )


def correlations(result: IndexResult) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Within-parent pairwise correlations and child-with-parent correlations."""
    wide, fw = _wide_scores(result), result.framework
    within, with_parent = [], []
    for parent in fw.aggregates:
        kids = fw.children(parent)
        r, p, n = pearson(wide[kids])
        within.append(_pairs(parent, r, p, n))
        r2, p2, n2 = pearson(wide[[*kids, parent]])
        with_parent.append(
            pd.DataFrame(
                {
                    "parent": parent,
                    "code": kids,
                    "r": r2[parent][kids].to_numpy(),
                    "p_value": p2[parent][kids].to_numpy(),
                    "n": n2[parent][kids].to_numpy().astype(int),
                }
            )
        )
    return pd.concat(within, ignore_index=True), pd.concat(with_parent, ignore_index=True)


def cronbach_alpha(x: np.ndarray) -> float:
    """k/(k-1)·(1 - Σ var(xᵢ)/var(Σ xᵢ)) on complete rows; NaN if k < 2 or < 2 rows."""
    rows = x[~np.isnan(x).any(axis=1)]
    k = x.shape[1]
    if k < 2 or len(rows) < 2:
        return float("nan")
    total = rows.sum(axis=1).var(ddof=1)
    return float(k / (k - 1) * (1 - rows.var(axis=0, ddof=1).sum() / total))


def pca(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Eigenvalues (descending) and loadings (columns = components) of the correlation
    matrix of complete rows; each component's sign makes its loadings sum positive."""
    rows = x[~np.isnan(x).any(axis=1)]
    k = x.shape[1]
    if k < 2 or len(rows) < 3:
        return np.full(k, np.nan), np.full((k, k), np.nan)
    vals, vecs = np.linalg.eigh(np.corrcoef(rows, rowvar=False))
    order = np.argsort(vals)[::-1]
    vals, vecs = vals[order], vecs[:, order]
    signs = np.where(vecs.sum(axis=0) < 0, -1.0, 1.0)
    return vals, vecs * signs


def multivariate(result: IndexResult) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Cronbach alpha, PCA variance explained and PCA loadings per aggregate."""
    wide, fw = _wide_scores(result), result.framework
    alpha, var, load = [], [], []
    for parent in fw.aggregates:
        kids = fw.children(parent)
        x = wide[kids].to_numpy(dtype=float)
        alpha.append({"parent": parent, "n_children": len(kids), "alpha": cronbach_alpha(x)})
        vals, vecs = pca(x)
        share = vals / np.nansum(vals) if np.isfinite(vals).all() else vals
        var.append(
            pd.DataFrame(
                {
                    "parent": parent,
                    "component": np.arange(1, len(kids) + 1),
                    "eigenvalue": vals,
                    "share": share,
                    "cumulative": np.cumsum(share),
                }
            )
        )
        load.append(
            pd.DataFrame(
                {
                    "parent": parent,
                    "code": kids,
                    "pc1": vecs[:, 0],
                    "pc2": vecs[:, 1] if len(kids) > 1 else np.nan,
                }
            )
        )
    return (
        pd.DataFrame(alpha),
        pd.concat(var, ignore_index=True),
        pd.concat(load, ignore_index=True),
    )


def audit(result: IndexResult, stage: str = "denominated") -> Audit:
    """Run every audit table on a build (statistics on ``stage``)."""
    within, with_parent = correlations(result)
    alpha, var, load = multivariate(result)
    return Audit(indicator_stats(result, stage), within, with_parent, alpha, var, load)
