"""A compiled build for many replications: numpy only, stages cached, batches of weights.

:func:`compile_kernel` runs the stages no uncertain assumption touches (reading,
denomination, the nominal screening) once, like :func:`~smartindex.engine.build_index`,
and keeps plain arrays.  A replication is a :class:`Choice` (imputer, Winsorisation
limit, normaliser, aggregator) plus a weight set; :func:`top_scores` evaluates a whole
stack of weight sets for one choice in one batch of matrix products.  Treated and
normalised matrices are cached per choice, and each indicator's Winsorisation
trajectory is recorded once (:func:`smartindex.engine.treat.trajectory`), so varying
``winmax`` costs a look-up.

Every stage calls the same functions as the plain build (treatment trajectory,
normaliser core, :func:`~smartindex.engine.hierarchy.combine_level`), so a replication
with the nominal settings equals the nominal build (tested).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from smartindex.engine.aggregate import needs_positive
from smartindex.engine.framework import Framework
from smartindex.engine.hierarchy import (
    LevelPlan,
    combine_level,
    level_plan,
    parent_functions,
    raw_weights,
)
from smartindex.engine.impute import IMPUTERS
from smartindex.engine.method import MethodSpec, NormaliseSpec, TreatSpec
from smartindex.engine.normalise import Reference
from smartindex.engine.overrides import treat_specs, validate_overrides, with_directions
from smartindex.engine.panel import check_long, to_wide, year_blocks
from smartindex.engine.pipeline import (
    NormKey,
    _multi,
    _norm_groups,
    denominate,
    group_labels,
    normalise_array,
    orientation,
    stage_blocks,
)
from smartindex.engine.rounding import round_frame, round_values
from smartindex.engine.screen import screen
from smartindex.engine.treat import Trajectory, outcome, trajectory
from smartindex.engine.types import BoolArray, FloatArray, IntArray
from smartindex.engine.weights import renormalise


@dataclass(frozen=True)
class Choice:
    """One replication's discrete assumptions (None = the nominal method's setting)."""

    impute: str | None = None
    winmax: int | None = None
    normalise: NormKey | None = None
    aggregate: str | None = None


@dataclass
class Kernel:
    """Arrays shared by every replication of one data set, framework and method."""

    framework: Framework
    method: MethodSpec
    denominated: pd.DataFrame
    labels: pd.Series | None
    keep: BoolArray
    rows: pd.MultiIndex
    codes: list[str]
    treat: list[TreatSpec]
    direction: FloatArray
    reference: Reference
    plans: list[LevelPlan]
    weight_codes: list[str]
    base_weights: FloatArray
    parent_index: IntArray
    cache: dict[Any, Any] = field(default_factory=dict)

    @property
    def blocks(self) -> list[slice]:
        """Year blocks of the screened rows (ranks are per year)."""
        return year_blocks(self.rows)

    @property
    def levels(self) -> list[int]:
        """Aggregation levels, bottom-up."""
        return [plan.level for plan in self.plans]


def compile_kernel(
    data: pd.DataFrame,
    framework: Framework,
    method: MethodSpec,
    *,
    denominators: pd.DataFrame | None = None,
    groups: pd.DataFrame | None = None,
    targets: pd.DataFrame | None = None,
) -> Kernel:
    """Run the shared stages once (as :func:`build_index` does) and keep plain arrays."""
    validate_overrides(method.overrides, framework)
    framework = with_directions(framework, method.overrides)
    long = check_long(data)
    codes = framework.indicators
    raw = to_wide(long[long["code"].isin(codes)], codes)
    rnd = method.rounding
    den = round_frame(denominate(raw, framework, method, denominators), rnd.denominated, rnd.mode)
    labels = group_labels(_multi(den.index), groups, method.impute.group)
    kernel_stub = _imputed(den, labels, method.impute.method, method)
    log = screen(
        den if method.screen.basis == "denominated" else kernel_stub,
        method.screen.by,
        method.screen.threshold,
        coverage=den,
        min_grade=method.screen.min_grade,
    )
    keep = log["included"].to_numpy()
    rows = den.index[keep]
    direction, ref = orientation(den[keep], framework, targets)
    w = raw_weights(framework, method.weights, method.overrides)
    wn = renormalise(w, framework)
    plans = [level_plan(framework, lv, wn) for lv in framework.levels[1:]]
    weighted = framework.column("parent").dropna()
    codes_w = list(weighted.index)
    kernel = Kernel(
        framework=framework,
        method=method,
        denominated=den,
        labels=labels,
        keep=keep,
        rows=rows,  # type: ignore[arg-type]
        codes=codes,
        treat=treat_specs(codes, method.treat, method.overrides),
        direction=direction,
        reference=ref,
        plans=plans,
        weight_codes=codes_w,
        base_weights=w[codes_w].to_numpy(dtype=float),
        parent_index=_parent_index(codes_w, weighted),
    )
    kernel.cache[("imputed", method.impute.method)] = kernel_stub.to_numpy()[keep]
    return kernel


def _imputed(
    den: pd.DataFrame, labels: pd.Series | None, name: str, method: MethodSpec
) -> pd.DataFrame:
    imp = IMPUTERS[name](den, labels)
    return round_frame(imp, method.rounding.imputed, method.rounding.mode)


def _parent_index(codes: list[str], parent_of: pd.Series) -> IntArray:
    _, inv = np.unique(parent_of[codes].astype(str).to_numpy(), return_inverse=True)
    out: IntArray = inv.astype(np.int64)
    return out


def imputed_matrix(kernel: Kernel, name: str) -> FloatArray:
    """Screened, imputed indicator matrix for one imputer (cached)."""
    key = ("imputed", name)
    if key not in kernel.cache:
        imp = _imputed(kernel.denominated, kernel.labels, name, kernel.method)
        kernel.cache[key] = imp.to_numpy()[kernel.keep]
    out: FloatArray = kernel.cache[key]
    return out


def _trajectories(
    kernel: Kernel, name: str, x: FloatArray, blocks: list[slice], limit: int
) -> dict[tuple[int, int], Trajectory]:
    """Winsorisation trajectory per (block, column), recorded up to ``limit`` points."""
    key = ("trajectory", name)
    have = kernel.cache.get(key)
    if have is not None and have[0] >= limit:
        out: dict[tuple[int, int], Trajectory] = have[1]
        return out
    trajs = {
        (b, j): trajectory(x[blk, j], limit, spec.skew_thresh, spec.kurt_thresh)
        for b, blk in enumerate(blocks)
        for j, spec in enumerate(kernel.treat)
        if spec.method == "jrc"
    }
    kernel.cache[key] = (limit, trajs)
    return trajs


def treated_matrix(kernel: Kernel, name: str, winmax: int | None, limit: int = 0) -> FloatArray:
    """Treated matrix for one imputer and Winsorisation limit (cached).

    ``winmax`` replaces the limit of every column that uses the method's ``[treat]``
    spec; columns with a per-node treat override keep their own settings.
    """
    key = ("treated", name, winmax)
    if key in kernel.cache:
        cached: FloatArray = kernel.cache[key]
        return cached
    x = imputed_matrix(kernel, name)
    blocks = stage_blocks(kernel.rows, kernel.method.normalise.scope)
    limits = [_limit(kernel, spec, winmax) for spec in kernel.treat]
    trajs = _trajectories(kernel, name, x, blocks, max([limit, *limits]))
    out = x.copy()
    for (b, j), tr in trajs.items():
        blk, spec = blocks[b], kernel.treat[j]
        out[blk, j] = outcome(x[blk, j], tr, limits[j], spec.fallback).values
    rnd = kernel.method.rounding
    kernel.cache[key] = round_values(out, rnd.treated, rnd.mode)
    result: FloatArray = kernel.cache[key]
    return result


def _limit(kernel: Kernel, spec: TreatSpec, winmax: int | None) -> int:
    base = kernel.method.treat
    return int(winmax) if winmax is not None and spec is base else int(spec.winmax)


def normalise_key(spec: NormaliseSpec) -> NormKey:
    """Hashable (method, params) of a normaliser choice."""
    return (spec.method, tuple(sorted(spec.params.items())))


def normalised_matrix(kernel: Kernel, choice: Choice, limit: int = 0) -> FloatArray:
    """Normalised indicator matrix for one choice (cached)."""
    name = choice.impute or kernel.method.impute.method
    key = ("normalised", name, choice.winmax, choice.normalise)
    if key not in kernel.cache:
        x = treated_matrix(kernel, name, choice.winmax, limit) * kernel.direction
        spec = kernel.method.normalise
        if choice.normalise is not None and choice.normalise != normalise_key(spec):
            method, params = choice.normalise
            spec = NormaliseSpec(method, dict(params), spec.scope)
        groups = _norm_groups(spec, kernel.codes)
        blocks = stage_blocks(kernel.rows, spec.scope)
        out = normalise_array(x, kernel.reference, groups, blocks)
        rnd = kernel.method.rounding
        kernel.cache[key] = round_values(out, rnd.normalised, rnd.mode)
    result: FloatArray = kernel.cache[key]
    return result


def weight_stack(kernel: Kernel, sets: FloatArray) -> list[FloatArray]:
    """Per level: (sets x children x parents) matrices from raw weight sets (sets x codes)."""
    onehot = np.eye(int(kernel.parent_index.max()) + 1)[kernel.parent_index]
    wn = sets / ((sets @ onehot) @ onehot.T)
    pos = {c: i for i, c in enumerate(kernel.weight_codes)}
    parent_of = kernel.framework.column("parent")
    out = []
    for plan in kernel.plans:
        col = {p: j for j, p in enumerate(plan.parents)}
        r = np.arange(len(plan.children))
        c = np.array([col[parent_of[ch]] for ch in plan.children])
        mats = np.zeros((len(sets), len(plan.children), len(plan.parents)))
        mats[:, r, c] = wn[:, [pos[ch] for ch in plan.children]]
        out.append(mats)
    return out


def auto_shift(x: FloatArray, name: str, method: MethodSpec, mode: float | str | None) -> float:
    """Shift for a geometric/harmonic replication: the method's, else lift min(x) to 1."""
    if not needs_positive(name, method.aggregate.p):
        return 0.0
    if method.aggregate.geometric_shift is not None:
        return float(method.aggregate.geometric_shift)
    if mode == "auto":
        return float(max(0.0, 1.0 - np.nanmin(x)))
    return float(mode or 0.0)


def level_scores(
    kernel: Kernel,
    x: FloatArray,
    mats: list[FloatArray],
    aggregate: str | None = None,
    shift_mode: float | str | None = None,
) -> list[FloatArray]:
    """Scores of every aggregation level (each batch x rows x parents), bottom-up.

    ``aggregate`` replaces the aggregator at every level (per-node overrides still win);
    ``shift_mode`` as :func:`auto_shift` for geometric/harmonic replications.
    """
    spec, method = kernel.method.aggregate, kernel.method
    cur, out = x[None], []
    for plan, w in zip(kernel.plans, mats, strict=True):
        groups = parent_functions(plan, spec, method.overrides)
        if aggregate is not None:
            groups = _replace_default(plan, groups, aggregate, method)
        shifts = {n: auto_shift(x, n, method, shift_mode) for n in groups}
        floor = spec.coverage_at(plan.level)
        cur, _ = combine_level(
            cur, w, groups, p=spec.p, shifts=shifts, blocks=kernel.blocks, floor=floor
        )
        cur = round_values(cur, method.rounding.at_level(plan.level), method.rounding.mode)
        out.append(cur)
    return out


def top_scores(
    kernel: Kernel,
    x: FloatArray,
    mats: list[FloatArray],
    aggregate: str | None = None,
    shift_mode: float | str | None = None,
) -> FloatArray:
    """Root scores (batch x rows) of normalised ``x`` under a stack of weight matrices."""
    out: FloatArray = level_scores(kernel, x, mats, aggregate, shift_mode)[-1][..., 0]
    return out


CHAINS: dict[
    str, tuple[Callable[[FloatArray, float], FloatArray], Callable[[FloatArray, float], FloatArray]]
] = {
    "arithmetic": (lambda x, p: x, lambda y, p: y),
    "geometric": (lambda x, p: np.log(x), lambda y, p: np.exp(y)),
    "harmonic": (lambda x, p: 1.0 / x, lambda y, p: 1.0 / y),
    "generalised": (lambda x, p: x**p, lambda y, p: y ** (1.0 / p)),
}
"""Quasi-arithmetic means as (g, g⁻¹): M(x) = g⁻¹(Σ w g(x)), so a tree of one such mean
is one weighted sum in g-space with the product of the level weight matrices."""


def chain_function(kernel: Kernel, x: FloatArray, aggregate: str | None) -> str | None:
    """The one quasi-arithmetic mean used at every level, when the tree collapses to it.

    Needs no missing values (no renormalisation over present children), no per-node or
    per-level aggregator, no rounding between levels, and one shift for every level.
    """
    spec, method = kernel.method.aggregate, kernel.method
    name = aggregate or spec.method
    if name not in CHAINS or (name == "generalised" and spec.p == 0):
        return None
    if np.isnan(x).any() or (spec.by_level and aggregate is None):
        return None
    if any(o.aggregate is not None for o in method.overrides.values()):
        return None
    if any(method.rounding.at_level(lv) is not None for lv in kernel.levels):
        return None
    return name


def effective_matrices(mats: list[FloatArray]) -> FloatArray:
    """(sets x indicators) effective weights: the product of the level matrices."""
    out = mats[0]
    for w in mats[1:]:
        out = out @ w
    result: FloatArray = out[..., 0]
    return result


def chain_scores(x: FloatArray, weff: FloatArray, name: str, p: float, shift: float) -> FloatArray:
    """Root scores (sets x rows) of a collapsed tree: g⁻¹(g(x + s) @ w_eff) − s."""
    g, g_inv = CHAINS[name]
    with np.errstate(divide="ignore", invalid="ignore"):
        out: FloatArray = (g_inv(g(x + shift, p) @ weff.T, p) - shift).T
    return out


def _replace_default(
    plan: LevelPlan, groups: dict[str, list[int]], name: str, method: MethodSpec
) -> dict[str, list[int]]:
    """Move the parents without a per-node aggregate override to ``name``."""
    fixed = {
        j
        for j, p in enumerate(plan.parents)
        if p in method.overrides and method.overrides[p].aggregate is not None
    }
    out: dict[str, list[int]] = {}
    for fn, cols in groups.items():
        for j in cols:
            out.setdefault(fn if j in fixed else name, []).append(j)
    return out


def ranks_by_block(scores: FloatArray, blocks: list[slice]) -> FloatArray:
    """Ranks (1 = best, ties 'min') of batch x rows scores within each year block."""
    out = np.full(scores.shape, np.nan)
    for blk in blocks:
        s = scores[:, blk]
        r = rankdata(np.where(np.isnan(s), np.inf, -s), method="min", axis=1)
        out[:, blk] = np.where(np.isnan(s), np.nan, r)
    return out


def nominal_scores(kernel: Kernel) -> FloatArray:
    """Root scores of the nominal replication (one row per screened unit-year)."""
    x = normalised_matrix(kernel, Choice())
    out: FloatArray = top_scores(kernel, x, [plan.matrix[None] for plan in kernel.plans])[0]
    return out
