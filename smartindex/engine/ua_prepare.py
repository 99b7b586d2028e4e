"""Precomputation for the uncertainty analysis: shared stages, caches and weight plans.

Stages that no assumption touches (denomination, screening) run once; each distinct
(imputer, treatment, normaliser) combination is normalised once and cached, so the
replications only differ by matrix products over weight matrices.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from smartindex.engine.framework import Framework
from smartindex.engine.hierarchy import LevelPlan, level_plan
from smartindex.engine.impute import IMPUTERS
from smartindex.engine.method import MethodSpec
from smartindex.engine.panel import check_long, to_wide, year_blocks
from smartindex.engine.pipeline import denominate, group_labels, normalise, treat
from smartindex.engine.result import IndexResult


@dataclass(frozen=True)
class Prepared:
    """Everything the replications share."""

    framework: Framework
    denominated: pd.DataFrame
    labels: pd.Series | None
    keep: np.ndarray
    rows: pd.MultiIndex
    blocks: list[slice]
    nominal_rank: np.ndarray
    plans: list[LevelPlan]
    levels: list[int]
    parent_of: pd.Series
    weight_codes: list[str]
    base_weights: pd.Series
    targets: pd.DataFrame | None
    cache: dict[Any, np.ndarray] = field(default_factory=dict)


def prepare(
    data: pd.DataFrame,
    framework: Framework,
    method: MethodSpec,
    nominal: IndexResult,
    *,
    denominators: pd.DataFrame | None = None,
    groups: pd.DataFrame | None = None,
    targets: pd.DataFrame | None = None,
) -> Prepared:
    """Run the shared stages once and collect the nominal ranks and weights."""
    long = check_long(data)
    codes = framework.indicators
    den = denominate(
        to_wide(long[long["code"].isin(codes)], codes), framework, method, denominators
    )
    keep = nominal.screening["included"].to_numpy()
    rows = den.index[keep]
    top = nominal.scores[nominal.scores["code"] == framework.root]
    nominal_rank = top.set_index(["year", "unit"])["rank"].reindex(rows).to_numpy(dtype=float)
    w = nominal.weights.set_index("code")["weight"]
    w = w[framework.column("parent").notna().reindex(w.index)]
    plans = [level_plan(framework, lv, w) for lv in framework.levels[1:]]
    return Prepared(
        framework,
        den,
        group_labels(den.index, groups, method.impute.group),
        keep,
        rows,
        year_blocks(rows),
        nominal_rank,
        plans,
        framework.levels[1:],
        framework.column("parent"),
        list(w.index),
        w,
        targets,
    )


def normalised_matrix(prep: Prepared, method: MethodSpec) -> np.ndarray:
    """Normalised indicator matrix for one (imputer, treatment, normaliser) choice, cached."""
    key = (
        method.impute,
        method.treat,
        method.normalise.method,
        tuple(sorted(method.normalise.params.items())),
    )
    if key not in prep.cache:
        imp_key = ("impute", method.impute.method)
        if imp_key not in prep.cache:
            imp = IMPUTERS[method.impute.method](prep.denominated, prep.labels)
            prep.cache[imp_key] = imp[prep.keep]
        treated, _ = treat(prep.cache[imp_key], method.treat, method.normalise.scope)
        normd = normalise(treated, prep.framework, method.normalise, prep.targets)
        prep.cache[key] = normd.to_numpy()
    return prep.cache[key]


def renormalise_sets(wsets: np.ndarray, codes: list[str], parent_of: pd.Series) -> np.ndarray:
    """Renormalise each row of ``wsets`` (sets x codes) within parents, vectorised."""
    parents = parent_of[codes].to_numpy()
    uniq, inv = np.unique(parents.astype(str), return_inverse=True)
    onehot = np.zeros((len(codes), len(uniq)))
    onehot[np.arange(len(codes)), inv] = 1.0
    return wsets / ((wsets @ onehot) @ onehot.T)


def level_matrices(prep: Prepared, wsets: np.ndarray) -> list[np.ndarray]:
    """Per level: (sets x children x parents) weight matrices from renormalised sets."""
    wn = renormalise_sets(wsets, prep.weight_codes, prep.parent_of)
    pos = {c: i for i, c in enumerate(prep.weight_codes)}
    out = []
    for plan in prep.plans:
        col = {p: j for j, p in enumerate(plan.parents)}
        rows = np.arange(len(plan.children))
        cols = np.array([col[prep.parent_of[c]] for c in plan.children])
        mats = np.zeros((len(wn), len(plan.children), len(plan.parents)))
        mats[:, rows, cols] = wn[:, [pos[c] for c in plan.children]]
        out.append(mats)
    return out


def ranks_by_block(scores: np.ndarray, blocks: list[slice]) -> np.ndarray:
    """Ranks (1 = best, ties 'min') of runs x rows scores within each year block."""
    out = np.full(scores.shape, np.nan)
    for blk in blocks:
        s = scores[:, blk]
        r = rankdata(np.where(np.isnan(s), np.inf, -s), method="min", axis=1)
        out[:, blk] = np.where(np.isnan(s), np.nan, r)
    return out
