"""Analyses on top of a build: group ranks, leave-one-out, sensitivity table, optimised weights.

* :func:`group_ranks` — ranks within a grouping column (COINr ``get_results(use =
  "groupranks")``).
* :func:`leave_one_out` — remove each element of a level, rebuild, report rank changes
  (COINr ``remove_elements``).
* :func:`sensitivity_table` — one alternative assumption at a time against the nominal
  ranking: units whose rank changed, units that moved more than 5 places, mean |Δrank|
  and Kendall's τ (the Blavatnik Index's table).
* :func:`optimise_weights` — COINr ``get_opt_weights``: ``balance`` makes the elements of
  a level correlate with the index in the target proportions, ``infomax`` maximises the
  sum of those correlations.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.stats import kendalltau

from smartindex.engine.framework import Framework
from smartindex.engine.kernel import (
    Choice,
    Kernel,
    level_scores,
    nominal_scores,
    normalise_key,
    normalised_matrix,
    ranks_by_block,
    top_scores,
    weight_stack,
)
from smartindex.engine.method import MethodSpec
from smartindex.engine.panel import year_blocks
from smartindex.engine.pipeline import build_index, group_labels
from smartindex.engine.result import IndexResult
from smartindex.engine.types import FloatArray
from smartindex.engine.uncertainty import UncertaintySpec
from smartindex.errors import CatalogueError, MethodError

MOVE_PLACES = 5
"""A unit 'moved' in the sensitivity table when its rank changed by more than this."""


def group_ranks(
    result: IndexResult, groups: pd.DataFrame, column: str, level: int | None = None
) -> pd.DataFrame:
    """Ranks within each group of ``column`` per year and element (1 = best, ties 'min')."""
    scores = result.scores
    if level is not None:
        scores = scores[scores["level"] == level]
    index = pd.MultiIndex.from_frame(scores[["year", "unit"]])
    labels = group_labels(index, groups, column)
    out = scores[["unit", "year", "code", "level", "score", "rank"]].copy()
    out.insert(3, "group", labels.to_numpy() if labels is not None else None)
    out["group_rank"] = out.groupby(["year", "code", "group"])["score"].rank(
        ascending=False, method="min"
    )
    return out.reset_index(drop=True)


def _comparison(nominal: FloatArray, alt: FloatArray, blocks: list[slice]) -> dict[str, float]:
    """Rank-change statistics of ``alt`` against ``nominal`` (both per row, per-year ranks)."""
    ok = ~np.isnan(nominal) & ~np.isnan(alt)
    shift = np.abs(alt - nominal)[ok]
    taus = []
    for blk in blocks:
        keep = ok[blk]
        if keep.sum() > 1:
            taus.append(kendalltau(nominal[blk][keep], alt[blk][keep]).statistic)
    return {
        "n_units": int(ok.sum()),
        "n_changed": int((shift > 0).sum()),
        "n_moved_gt5": int((shift > MOVE_PLACES).sum()),
        "mean_abs_shift": float(shift.mean()) if shift.size else float("nan"),
        "kendall_tau": float(np.mean(taus)) if taus else float("nan"),
    }


def _alternatives(kernel: Kernel, spec: UncertaintySpec) -> list[tuple[str, str, Choice]]:
    """One Choice per alternative differing from the nominal method (weights excluded)."""
    m = kernel.method
    out: list[tuple[str, str, Choice]] = []
    for name in spec.impute:
        if name != m.impute.method:
            out.append(("impute", name, Choice(impute=name)))
    if spec.winsor_max:
        for w in range(spec.winsor_max[0], spec.winsor_max[1] + 1):
            if m.treat.method != "jrc" or w != m.treat.winmax:
                out.append(("winsor_max", str(w), Choice(winmax=w)))
    for key in spec.norm_keys:
        if key != normalise_key(m.normalise):
            label = key[0] + (str(dict(key[1])) if key[1] else "")
            out.append(("normalise", label, Choice(normalise=key)))
    for name in spec.aggregate:
        if name != m.aggregate.method:
            out.append(("aggregate", name, Choice(aggregate=name)))
    return out


def sensitivity_table(kernel: Kernel, spec: UncertaintySpec) -> pd.DataFrame:
    """One row per alternative assumption (all others nominal) against the nominal ranks.

    Columns: assumption, alternative, n_units, n_changed, n_moved_gt5 (moved more than 5
    places), mean_abs_shift, kendall_tau (τ-b per year, averaged over years).  Weight
    noise is random, so it appears in the Sobol table only.
    """
    blocks = kernel.blocks
    nominal = ranks_by_block(nominal_scores(kernel)[None], blocks)[0]
    mats = [plan.matrix[None] for plan in kernel.plans]
    limit = spec.winsor_max[1] if spec.winsor_max else 0
    rows = []
    for assumption, label, choice in _alternatives(kernel, spec):
        x = normalised_matrix(kernel, choice, limit)
        scores = top_scores(kernel, x, mats, choice.aggregate, spec.geometric_shift)
        alt = ranks_by_block(scores, blocks)[0]
        rows.append(
            {"assumption": assumption, "alternative": label, **_comparison(nominal, alt, blocks)}
        )
    cols = ["assumption", "alternative", "n_units", "n_changed", "n_moved_gt5"]
    return pd.DataFrame(rows, columns=[*cols, "mean_abs_shift", "kendall_tau"])


def without(framework: Framework, code: str) -> Framework:
    """The framework with element ``code`` and everything below it removed."""
    el = framework.elements
    if code not in set(el["code"]):
        raise CatalogueError(f"leave-one-out: no element {code!r}")
    if code == framework.root:
        raise CatalogueError("leave-one-out: the root cannot be removed")
    drop, frontier = {code}, {code}
    while frontier:
        frontier = set(el.loc[el["parent"].isin(frontier), "code"]) - drop
        drop |= frontier
    return Framework.from_frame(el[~el["code"].isin(drop)].drop(columns=["level"]))


@dataclass(frozen=True)
class LeaveOneOut:
    """Per removed element: summary (mean/max |Δrank|, units changed) and every unit's ranks."""

    summary: pd.DataFrame
    ranks: pd.DataFrame


def leave_one_out(
    data: pd.DataFrame,
    framework: Framework,
    method: MethodSpec | None = None,
    level: int = 2,
    **build_kwargs: Any,
) -> LeaveOneOut:
    """Remove each element of ``level`` in turn, rebuild (every stage) and compare ranks."""
    method = method or MethodSpec()
    if level not in framework.levels[:-1]:
        raise MethodError(f"leave-one-out: level must be one of {framework.levels[:-1]}")
    base = build_index(data, framework, method, **build_kwargs).index()
    key = ["year", "unit"]
    parts, summary = [], []
    for code in framework.codes_at(level):
        fw = without(framework, code)
        kept = {c: o for c, o in method.overrides.items() if c in set(fw.elements["code"])}
        m = MethodSpec(**{**method.__dict__, "overrides": kept})
        alt = build_index(data, fw, m, **build_kwargs).index().set_index(key)["rank"]
        frame = base.set_index(key)[["rank"]].rename(columns={"rank": "nominal_rank"})
        frame["rank"] = alt.reindex(frame.index)
        frame["shift"] = frame["rank"] - frame["nominal_rank"]
        parts.append(frame.reset_index().assign(removed=code))
        abs_shift = frame["shift"].abs()
        summary.append(
            {
                "removed": code,
                "level": level,
                "mean_abs_shift": float(abs_shift.mean()),
                "max_abs_shift": float(abs_shift.max()),
                "n_changed": int((abs_shift > 0).sum()),
            }
        )
    ranks = pd.concat(parts, ignore_index=True)
    ranks = ranks[["removed", "unit", "year", "nominal_rank", "rank", "shift"]]
    return LeaveOneOut(pd.DataFrame(summary), ranks)


def _correlations(kernel: Kernel, x: FloatArray, sets: FloatArray, level: int) -> FloatArray:
    """Pearson r of each element at ``level`` with the root (pooled rows), per weight set."""
    mats = weight_stack(kernel, sets)
    scores = level_scores(kernel, x, mats)
    pos = kernel.levels.index(level)
    elements, root = scores[pos][0], scores[-1][0][:, 0]
    ok = ~np.isnan(elements).any(axis=1) & ~np.isnan(root)
    return np.array([np.corrcoef(col[ok], root[ok])[0, 1] for col in elements.T])


@dataclass(frozen=True)
class OptimisedWeights:
    """Optimised weights of one level and the correlations they give."""

    weights: pd.DataFrame
    converged: bool
    objective: float


def optimise_weights(
    kernel: Kernel,
    level: int,
    optype: str = "balance",
    itarg: Sequence[float] | None = None,
    tol: float = 1e-8,
) -> OptimisedWeights:
    """COINr ``get_opt_weights`` for the elements at ``level`` (their weights sum to 1).

    ``balance``: minimise mean((t − r/Σr)²) where r are the elements' correlations with the
    index and t the normalised targets ``itarg`` (default equal); ``infomax``: maximise Σr.
    Nelder-Mead from the targets (balance) or the current weights (infomax), weights kept
    positive by taking |w|.  COINr stops early (``reltol = 0.1``) and minimises the log
    of the same quantity; we converge to ``tol``, so values differ in the 2nd decimal.
    """
    if level not in kernel.levels or level == kernel.levels[-1]:
        raise MethodError(f"optimise_weights: level must be one of {kernel.levels[:-1]}")
    if optype not in ("balance", "infomax"):
        raise MethodError("optimise_weights: optype must be 'balance' or 'infomax'")
    codes = kernel.framework.codes_at(level)
    idx = [kernel.weight_codes.index(c) for c in codes]
    target = np.ones(len(codes)) if itarg is None else np.asarray(itarg, dtype=float)
    if target.shape != (len(codes),) or not (target > 0).all():
        raise MethodError(f"optimise_weights: itarg needs {len(codes)} positive values")
    target = target / target.sum()
    x = normalised_matrix(kernel, Choice())

    def sets_of(w: FloatArray) -> FloatArray:
        s = kernel.base_weights.copy()
        s[idx] = np.abs(w) / np.abs(w).sum()
        return s[None]

    def objective(w: FloatArray) -> float:
        r = _correlations(kernel, x, sets_of(w), level)
        if optype == "infomax":
            return -float(r.sum())
        return float(np.mean((target - r / r.sum()) ** 2))

    start = target if optype == "balance" else kernel.base_weights[idx]
    res = minimize(objective, start, method="Nelder-Mead", options={"xatol": tol, "fatol": tol})
    best = sets_of(res.x)[0][idx]
    r = _correlations(kernel, x, sets_of(res.x), level)
    table = pd.DataFrame(
        {
            "code": codes,
            "level": level,
            "weight": best,
            "correlation": r,
            "share": r / r.sum(),
            "target": target if optype == "balance" else np.nan,
        }
    )
    return OptimisedWeights(table, bool(res.success), float(res.fun))


__all__ = [
    "LeaveOneOut",
    "OptimisedWeights",
    "group_ranks",
    "leave_one_out",
    "optimise_weights",
    "sensitivity_table",
    "without",
    "year_blocks",
]
