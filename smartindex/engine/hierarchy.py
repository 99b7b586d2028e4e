"""Walk the framework bottom-up: weights, aggregation, coverage and ranks per level."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from smartindex.engine.aggregate import AGGREGATORS, needs_positive, present_weight, with_shift
from smartindex.engine.framework import Framework
from smartindex.engine.method import AggregateSpec, WeightsSpec
from smartindex.engine.panel import rank_desc
from smartindex.engine.weights import (
    effective,
    pca_weights,
    renormalise,
    static_weights,
    weight_matrix,
)
from smartindex.errors import MethodError


@dataclass(frozen=True)
class LevelPlan:
    """Children, parents and the child x parent weight matrix of one level."""

    level: int
    children: list[str]
    parents: list[str]
    matrix: np.ndarray


def raw_weights(framework: Framework, spec: WeightsSpec) -> pd.Series:
    """Raw weights per element for the chosen scheme."""
    scheme = spec.values if spec.method == "mapping" else spec.method
    return static_weights(framework, scheme)


def level_plan(framework: Framework, level: int, w: pd.Series) -> LevelPlan:
    """Plan one level from renormalised weights ``w``."""
    parents = framework.codes_at(level)
    parent_of = framework.column("parent")
    children = parent_of.index[parent_of.isin(parents)].tolist()
    return LevelPlan(level, children, parents, weight_matrix(children, parents, parent_of, w))


def _pca_update(
    w: pd.Series, framework: Framework, x: pd.DataFrame, parents: list[str]
) -> pd.Series:
    w = w.copy()
    for p in parents:
        kids = framework.children(p)
        w[kids] = pca_weights(x[kids].to_numpy())
    return w


def _check_positive(x: np.ndarray, plan: LevelPlan, rows: pd.Index, name: str) -> None:
    bad = np.argwhere(x <= 0)
    if len(bad):
        r, c = bad[0]
        child = plan.children[c]
        raise MethodError(
            f"aggregate: {name} mean needs values > 0 but {child!r} is {x[r, c]:.6g} "
            f"for {rows[r]}; set aggregate.geometric_shift or normalise to a positive range"
        )


def aggregate_level(
    x: np.ndarray, plan: LevelPlan, spec: AggregateSpec, rows: pd.Index
) -> tuple[np.ndarray, np.ndarray]:
    """Scores and coverage (share of child weight present) of one level's parents."""
    name = spec.at(plan.level)
    fn = AGGREGATORS[name]
    params = {"p": spec.p} if name == "generalised" else {}
    if needs_positive(name, spec.p):
        shift = spec.geometric_shift or 0.0
        _check_positive(x + shift, plan, rows, name)
        fn = with_shift(fn, shift) if shift else fn
    values = fn(x, plan.matrix, **params)
    coverage = present_weight(x, plan.matrix) / plan.matrix.sum(axis=0)
    values = np.where(coverage >= spec.coverage_at(plan.level) - 1e-12, values, np.nan)
    values[coverage == 0] = np.nan
    return values, coverage


def aggregate_tree(
    normalised: pd.DataFrame, framework: Framework, weights: WeightsSpec, spec: AggregateSpec
) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """Scores and coverage for every element (wide), plus the renormalised weights used."""
    scores = normalised.copy()
    coverage = pd.DataFrame(1.0, index=normalised.index, columns=normalised.columns)
    w = raw_weights(framework, weights)
    for level in framework.levels[1:]:
        parents = framework.codes_at(level)
        if weights.method == "pca":
            kids = [c for p in parents for c in framework.children(p)]
            w = _pca_update(w, framework, scores[kids], parents)
        plan = level_plan(framework, level, renormalise(w, framework))
        vals, cov = aggregate_level(scores[plan.children].to_numpy(), plan, spec, scores.index)
        scores = pd.concat([scores, pd.DataFrame(vals, scores.index, plan.parents)], axis=1)
        coverage = pd.concat([coverage, pd.DataFrame(cov, scores.index, plan.parents)], axis=1)
    return scores, coverage, renormalise(w, framework)


def present_children(scores: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """Number of children with a value, per row and aggregate (0 for indicators)."""
    parent_of = framework.column("parent")
    kids = parent_of.dropna()
    counts = scores[kids.index].notna().T.groupby(kids.to_numpy()).sum().T
    return counts.reindex(columns=scores.columns, fill_value=0)


def long_scores(
    scores: pd.DataFrame, coverage: pd.DataFrame, framework: Framework, spec: AggregateSpec
) -> pd.DataFrame:
    """Tidy scores: unit, year, code, level, score, rank, coverage, n_children, low_coverage."""

    def stack(frame: pd.DataFrame, name: str) -> pd.Series:
        return frame.rename_axis(columns="code").stack(future_stack=True).rename(name)

    n_kids = present_children(scores, framework)
    out = pd.concat(
        [stack(scores, "score"), stack(coverage, "coverage"), stack(n_kids, "n_children")], axis=1
    ).reset_index()
    level = framework.column("level")
    out["level"] = level[out["code"]].to_numpy().astype(int)
    floors = out["level"].map({lv: spec.coverage_at(lv) for lv in framework.levels}).to_numpy()
    out["low_coverage"] = (out["level"] > 1) & (out["coverage"] < floors - 1e-12)
    out["rank"] = rank_desc(out, ["year", "code"])
    cols = [
        "unit",
        "year",
        "code",
        "level",
        "score",
        "rank",
        "coverage",
        "n_children",
        "low_coverage",
    ]
    out = out[cols].sort_values(["level", "code", "year", "unit"], kind="stable")
    return out.reset_index(drop=True)


def weights_table(w: pd.Series, framework: Framework) -> pd.DataFrame:
    """code, parent, level, weight (within parent), effective (product to the root)."""
    el = framework.elements.set_index("code")
    out = pd.DataFrame({"parent": el["parent"], "level": el["level"], "weight": w[el.index]})
    out["effective"] = effective(w, framework)
    return out.rename_axis("code").reset_index()
