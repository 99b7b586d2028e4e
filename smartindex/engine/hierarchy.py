"""Walk the framework bottom-up: weights, aggregation, coverage and ranks per level."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from smartindex.engine.aggregate import (
    AGGREGATORS,
    CROSS_SECTIONAL,
    needs_non_negative,
    needs_positive,
    present_weight,
    with_shift,
)
from smartindex.engine.framework import Framework
from smartindex.engine.method import AggregateSpec, NodeOverride, RoundingSpec, WeightsSpec
from smartindex.engine.panel import rank_desc, stack_codes, year_blocks
from smartindex.engine.rounding import round_values
from smartindex.engine.types import FloatArray
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
    matrix: FloatArray


Cols = list[int]


def raw_weights(
    framework: Framework, spec: WeightsSpec, overrides: Mapping[str, NodeOverride] | None = None
) -> pd.Series:
    """Raw weights per element for the chosen scheme, then per-node weight overrides."""
    scheme: str | Mapping[str, float] = spec.values if spec.method == "mapping" else spec.method
    w = static_weights(framework, scheme)
    for code, o in (overrides or {}).items():
        if o.weight is not None:
            w[code] = float(o.weight)
    return w


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


def _check_domain(
    x: FloatArray, plan: LevelPlan, rows: pd.Index, name: str, cols: Cols, *, strict: bool
) -> None:
    """Raise a one-line error naming the child, unit and year outside the function's domain."""
    member = plan.matrix[:, cols].sum(axis=1) > 0
    bad = np.argwhere(((x <= 0) if strict else (x < 0)) & member[None, :])
    if len(bad):
        r, c = bad[0]
        need, label = ("> 0", f"{name} mean") if strict else (">= 0", name)
        raise MethodError(
            f"aggregate: {label} needs values {need} but {plan.children[c]!r} is {x[r, c]:.6g} "
            f"for {rows[r]}; set aggregate.geometric_shift or normalise to a positive range"
        )


def parent_functions(
    plan: LevelPlan, spec: AggregateSpec, overrides: Mapping[str, NodeOverride] | None = None
) -> dict[str, list[int]]:
    """Aggregator name -> column indices of the level's parents that use it."""
    out: dict[str, list[int]] = {}
    for j, parent in enumerate(plan.parents):
        o = (overrides or {}).get(parent)
        name = o.aggregate if o is not None and o.aggregate else spec.at(plan.level)
        out.setdefault(name, []).append(j)
    return out


def apply_function(
    x: FloatArray,
    w: FloatArray,
    name: str,
    *,
    p: float,
    shift: float,
    blocks: list[slice],
) -> FloatArray:
    """One aggregator on x (… rows x children) and w (… children x parents).

    Cross-sectional functions (Copeland) run per year block; a shift s gives M(x + s) - s.
    """
    fn = AGGREGATORS[name]
    fn = with_shift(fn, shift) if shift else fn
    params = {"p": p} if name == "generalised" else {}
    if name not in CROSS_SECTIONAL:
        return fn(x, w, **params)
    out = np.full((*x.shape[:-1], w.shape[-1]), np.nan)
    for blk in blocks:
        out[..., blk, :] = fn(x[..., blk, :], w, **params)
    return out


def combine_level(
    x: FloatArray,
    w: FloatArray,
    groups: Mapping[str, Cols],
    *,
    p: float,
    shifts: Mapping[str, float],
    blocks: list[slice],
    floor: float,
) -> tuple[FloatArray, FloatArray]:
    """Scores and coverage of one level's parents for x (… rows x children), w (… x parents).

    ``groups`` maps each aggregator to the parent columns that use it; leading batch axes
    on ``x`` and ``w`` are replications.  The plain build and the uncertainty kernel both
    aggregate through this function, so a nominal replication equals the plain build.
    """
    values = np.full(
        (*np.broadcast_shapes(x.shape[:-2], w.shape[:-2]), x.shape[-2], w.shape[-1]), np.nan
    )
    for name, cols in groups.items():
        values[..., cols] = apply_function(
            x, w[..., cols], name, p=p, shift=shifts.get(name, 0.0), blocks=blocks
        )
    if not np.isnan(x).any():
        return values, np.ones(values.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        coverage = present_weight(x, w) / w.sum(axis=-2, keepdims=True)
    values = np.where(coverage >= floor - 1e-12, values, np.nan)
    values = np.where(coverage == 0, np.nan, values)
    return values, coverage


def aggregate_level(
    x: FloatArray,
    plan: LevelPlan,
    spec: AggregateSpec,
    rows: pd.Index,
    overrides: Mapping[str, NodeOverride] | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Scores and coverage (share of child weight present) of one level's parents."""
    blocks = year_blocks(rows) if isinstance(rows, pd.MultiIndex) else [slice(0, len(rows))]
    groups = parent_functions(plan, spec, overrides)
    shifts: dict[str, float] = {}
    for name, cols in groups.items():
        strict = needs_positive(name, spec.p)
        shifts[name] = (spec.geometric_shift or 0.0) if strict else 0.0
        if strict or needs_non_negative(name):
            _check_domain(x + shifts[name], plan, rows, name, cols, strict=strict)
    return combine_level(
        x,
        plan.matrix,
        groups,
        p=spec.p,
        shifts=shifts,
        blocks=blocks,
        floor=spec.coverage_at(plan.level),
    )


@dataclass(frozen=True)
class Tree:
    """Wide scores and coverage of every element, the weights used and each function."""

    scores: pd.DataFrame
    coverage: pd.DataFrame
    weights: pd.Series
    given: pd.Series
    functions: dict[str, str]


def aggregate_tree(
    normalised: pd.DataFrame,
    framework: Framework,
    weights: WeightsSpec,
    spec: AggregateSpec,
    *,
    overrides: Mapping[str, NodeOverride] | None = None,
    rounding: RoundingSpec | None = None,
) -> Tree:
    """Aggregate level by level; ``weights`` are renormalised within parents, ``given`` raw."""
    scores = normalised.copy()
    coverage = pd.DataFrame(1.0, index=normalised.index, columns=normalised.columns)
    w = raw_weights(framework, weights, overrides)
    rnd = rounding or RoundingSpec()
    functions: dict[str, str] = {}
    for level in framework.levels[1:]:
        parents = framework.codes_at(level)
        if weights.method == "pca":
            kids = [c for p in parents for c in framework.children(p)]
            w = _pca_update(w, framework, scores[kids], parents)
        plan = level_plan(framework, level, renormalise(w, framework))
        for name, cols in parent_functions(plan, spec, overrides).items():
            functions |= {plan.parents[j]: name for j in cols}
        x = scores[plan.children].to_numpy()
        vals, cov = aggregate_level(x, plan, spec, scores.index, overrides)
        vals = round_values(vals, rnd.at_level(level), rnd.mode)
        scores = pd.concat([scores, pd.DataFrame(vals, scores.index, plan.parents)], axis=1)
        coverage = pd.concat([coverage, pd.DataFrame(cov, scores.index, plan.parents)], axis=1)
    return Tree(scores, coverage, renormalise(w, framework), w, functions)


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
        return stack_codes(frame).rename(name)

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


def weights_table(
    w: pd.Series, framework: Framework, given: pd.Series | None = None
) -> pd.DataFrame:
    """code, parent, level, given (raw), weight (within parent), effective (to the root)."""
    el = framework.elements.set_index("code")
    out = pd.DataFrame({"parent": el["parent"], "level": el["level"], "weight": w[el.index]})
    out.insert(2, "given", (given if given is not None else w)[el.index])
    out["effective"] = effective(w, framework)
    return out.rename_axis("code").reset_index()
