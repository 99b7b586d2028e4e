"""Uncertainty and sensitivity analysis of the top-level ranks (COINr ``get_sensitivity``).

Design (Saltelli 2010, as COINr ``SA_sample``/``SA_estimate``): two plain-random
N x d matrices A and B of U(0,1) draws and, for each assumption i, A_B^(i) (A with
column i from B): N(d + 2) replications.  A draw u picks the ``floor(u·m)``-th of m
discrete alternatives.  The output per replication is the mean absolute rank shift
from the nominal ranks; Sᵢ = mean(y_B·(y_ABᵢ − y_A))/V and STᵢ = Σ(y_A − y_ABᵢ)²/(2N·V)
(Jansen), V = var(y_A ∪ y_B); bootstrap confidence intervals resample the N rows of the
design.  Rank statistics per unit use all replications.

Replications run on a compiled :class:`~smartindex.engine.kernel.Kernel`: every
distinct (imputer, Winsorisation limit, normaliser) is normalised once, and all the
replications that share it and an aggregator are scored in one batch.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from smartindex.engine.aggregate import AGGREGATORS
from smartindex.engine.framework import Framework
from smartindex.engine.impute import IMPUTERS
from smartindex.engine.kernel import (
    Choice,
    Kernel,
    auto_shift,
    chain_function,
    chain_scores,
    compile_kernel,
    effective_matrices,
    nominal_scores,
    normalise_key,
    normalised_matrix,
    ranks_by_block,
    top_scores,
    weight_stack,
)
from smartindex.engine.method import MethodSpec, NormaliseSpec
from smartindex.engine.pipeline import NormKey
from smartindex.engine.types import FloatArray, IntArray
from smartindex.errors import MethodError, SmartIndexError

ORDER = ("impute", "winsor_max", "normalise", "weights", "aggregate")
DEFAULT_PARAMS: dict[str, dict[str, float]] = {"minmax": {"lo": 0.0, "hi": 100.0}}


def _names(key: str, values: object, registry: Mapping[str, object]) -> tuple[str, ...]:
    items = tuple(values) if isinstance(values, list | tuple) else (values,)
    for v in items:
        if v not in registry:
            raise MethodError(
                f"uncertainty.{key}: {v!r} is not known; allowed: {', '.join(registry)}"
            )
    return tuple(str(v) for v in items)


def _norm_choice(item: object) -> NormKey:
    """``"zscore"`` or ``{method = "zscore", params = {m = 10, s = 2}}`` -> (method, params)."""
    if isinstance(item, str):
        name, params = item, DEFAULT_PARAMS.get(item, {})
    elif isinstance(item, Mapping) and "method" in item:
        name, params = str(item["method"]), dict(item.get("params", {}))
    else:
        raise MethodError(f"uncertainty.normalise: {item!r} is neither a name nor a table")
    try:
        return normalise_key(NormaliseSpec(name, params))
    except MethodError as exc:
        raise MethodError(f"uncertainty.{exc}") from None


def _label(key: NormKey) -> str:
    name, params = key
    inner = ", ".join(f"{k}={v:g}" if isinstance(v, float | int) else f"{k}={v}" for k, v in params)
    return f"{name}({inner})" if inner else name


@dataclass(frozen=True)
class UncertaintySpec:
    """Uncertain assumptions (an empty / zero entry is held at its nominal value) and the run.

    ``normalise``: names or ``{method, params}`` tables (e.g. min-max [1, 100], z-score
    (10, 2)); ``aggregate``, ``impute``: names; ``winsor_max = [lo, hi]``: the JRC limit
    over lo..hi; ``weights_noise = f``: weights become w·(1 + U(−f, f)) for elements at
    ``weights_levels`` (levels of the weighted elements, default all), drawn as
    ``weights_sets`` sets; ``n``, ``seed``; ``bootstrap``: resamples for the Sobol
    confidence intervals (``confidence`` level); ``diagnostic``: keep every replication's
    settings, weights and ranks; ``geometric_shift = "auto"`` lifts normalised values to a
    minimum of 1 for a geometric or harmonic replication that meets values <= 0.
    """

    normalise: tuple[Any, ...] = ()
    aggregate: tuple[str, ...] = ()
    impute: tuple[str, ...] = ()
    winsor_max: tuple[int, int] | None = None
    weights_noise: float = 0.0
    weights_levels: tuple[int, ...] = ()
    weights_sets: int = 100
    geometric_shift: float | str | None = "auto"
    n: int = 500
    seed: int = 2026
    bootstrap: int = 200
    confidence: float = 0.90
    diagnostic: bool = False
    norm_keys: tuple[NormKey, ...] = field(default=(), init=False, repr=False)

    def __post_init__(self) -> None:
        items = self.normalise if isinstance(self.normalise, list | tuple) else (self.normalise,)
        object.__setattr__(self, "normalise", tuple(items))
        object.__setattr__(self, "norm_keys", tuple(_norm_choice(v) for v in items))
        object.__setattr__(self, "aggregate", _names("aggregate", self.aggregate, AGGREGATORS))
        object.__setattr__(self, "impute", _names("impute", self.impute, IMPUTERS))
        object.__setattr__(self, "weights_levels", tuple(int(v) for v in self.weights_levels))
        if self.winsor_max is not None:
            lo, hi = (int(v) for v in self.winsor_max)
            if not 0 <= lo <= hi:
                raise MethodError("uncertainty.winsor_max must be [lo, hi] with 0 <= lo <= hi")
            object.__setattr__(self, "winsor_max", (lo, hi))
        if not 0 <= float(self.weights_noise) < 1:
            raise MethodError("uncertainty.weights_noise must be within [0, 1)")
        if int(self.n) < 2 or int(self.weights_sets) < 1 or int(self.bootstrap) < 0:
            raise MethodError("uncertainty: n >= 2, weights_sets >= 1 and bootstrap >= 0")
        if not 0 < float(self.confidence) < 1:
            raise MethodError("uncertainty.confidence must be within (0, 1)")
        if self.geometric_shift not in ("auto", None) and not isinstance(
            self.geometric_shift, int | float
        ):
            raise MethodError("uncertainty.geometric_shift must be 'auto', a number or absent")

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> UncertaintySpec:
        """Build from a mapping; unknown keys raise MethodError naming the key."""
        allowed = sorted(set(cls.__dataclass_fields__) - {"norm_keys"})
        for key in d:
            if key not in allowed:
                raise MethodError(
                    f"uncertainty.{key} is not a known setting; allowed: {', '.join(allowed)}"
                )
        try:
            return cls(**dict(d))
        except (TypeError, ValueError) as exc:
            raise MethodError(f"[uncertainty]: {exc}") from None

    @classmethod
    def from_toml(cls, path: str | Path) -> UncertaintySpec:
        """Read ``[uncertainty]`` (or the top level) of a TOML file."""
        try:
            with open(path, "rb") as fh:
                raw = tomllib.load(fh)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise MethodError(f"{path}: cannot read uncertainty file ({exc})") from None
        return cls.from_dict(raw.get("uncertainty", raw))

    def choices(self, method: MethodSpec) -> dict[str, list[Any]]:
        """Alternatives per varied assumption, in a fixed order (only those varied)."""
        winsor = self.winsor_max
        out: dict[str, list[Any]] = {
            "impute": list(self.impute),
            "winsor_max": list(range(winsor[0], winsor[1] + 1)) if winsor else [],
            "normalise": list(self.norm_keys),
            "weights": list(range(self.weights_sets)) if self.weights_noise > 0 else [],
            "aggregate": list(self.aggregate),
        }
        return {k: out[k] for k in ORDER if len(out[k]) > 0}


@dataclass(frozen=True)
class UncertaintyResult:
    """Rank statistics per unit-year, Sobol indices per assumption, and the run table.

    ``runs`` has one row per replication: its block of the design, the alternative picked
    for each assumption and the mean rank shift.  In diagnostic mode ``replicates`` holds
    every replication's score and rank per unit (long) and ``weight_sets`` every weight
    set drawn (set x code); ``held`` lists the assumptions kept at their nominal value.
    """

    ranks: pd.DataFrame
    sobol: pd.DataFrame
    runs: pd.DataFrame
    samples: FloatArray = field(repr=False)
    spec: UncertaintySpec
    n: int
    seed: int
    replicates: pd.DataFrame | None = None
    weight_sets: pd.DataFrame | None = None
    held: tuple[str, ...] = ()

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table by name (for export)."""
        out = {
            "uncertainty_ranks": self.ranks,
            "uncertainty_sobol": self.sobol,
            "uncertainty_runs": self.runs,
        }
        if self.replicates is not None:
            out["uncertainty_replicates"] = self.replicates
        if self.weight_sets is not None:
            out["uncertainty_weight_sets"] = self.weight_sets
        return out


def design(n: int, d: int, rng: np.random.Generator) -> tuple[FloatArray, Any]:
    """Stacked sample [A; B; A_B^(1); ...; A_B^(d)] (N(d+2) x d) and block labels."""
    a, b = rng.random((n, d)), rng.random((n, d))
    blocks, labels = [a, b], ["A"] * n + ["B"] * n
    for i in range(d):
        ab = a.copy()
        ab[:, i] = b[:, i]
        blocks.append(ab)
        labels += [f"AB{i}"] * n
    return np.vstack(blocks), np.array(labels)


def pick(u: FloatArray, m: int) -> IntArray:
    """Index of the alternative chosen by draws ``u`` among ``m`` equal-width bins."""
    out: IntArray = np.minimum((u * m).astype(np.int64), m - 1)
    return out


def _indices(y: FloatArray, n: int, d: int, rows: IntArray) -> tuple[FloatArray, FloatArray]:
    """First-order and total indices per resample: ``rows`` is (resamples x N) design rows."""
    ya, yb = y[:n][rows], y[n : 2 * n][rows]
    var = np.var(np.concatenate([ya, yb], axis=-1), axis=-1, ddof=1)
    yab = np.stack([y[(2 + i) * n : (3 + i) * n][rows] for i in range(d)], axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        first = np.mean(yb[..., None] * (yab - ya[..., None]), axis=-2) / var[..., None]
        total = np.sum((ya[..., None] - yab) ** 2, axis=-2) / (2 * rows.shape[-1]) / var[..., None]
    return first, total


def sobol(
    y: FloatArray,
    n: int,
    names: list[str],
    *,
    bootstrap: int = 0,
    confidence: float = 0.90,
    rng: np.random.Generator | None = None,
) -> pd.DataFrame:
    """First-order (Saltelli 2010) and total (Jansen) indices with bootstrap intervals."""
    d = len(names)
    first, total = _indices(y, n, d, np.arange(n)[None])
    out = pd.DataFrame({"assumption": names, "first_order": first[0], "total_order": total[0]})
    if bootstrap > 0:
        gen = rng or np.random.default_rng(0)
        f, t = _indices(y, n, d, gen.integers(0, n, (bootstrap, n)))
        lo, hi = (1 - confidence) / 2, 1 - (1 - confidence) / 2
        quantile = np.nanquantile if np.isnan(f).any() or np.isnan(t).any() else np.quantile
        out["first_lo"], out["first_hi"] = quantile(f, [lo, hi], axis=0)
        out["total_lo"], out["total_hi"] = quantile(t, [lo, hi], axis=0)
    return out


def noisy_weight_sets(
    kernel: Kernel, noise: float, k: int, levels: Sequence[int], rng: np.random.Generator
) -> FloatArray:
    """k perturbed copies of the base weights, w·(1 + U(−noise, noise)) at ``levels``."""
    base = kernel.base_weights
    level = kernel.framework.column("level")[kernel.weight_codes].to_numpy()
    touched = np.isin(level, list(levels)) if levels else np.ones(len(base), dtype=bool)
    u = rng.uniform(-noise, noise, size=(max(k, 1), len(base)))
    out: FloatArray = base * (1 + np.where(touched, u, 0.0))
    return out


def _runs_table(
    picks: dict[str, IntArray], choices: dict[str, list[Any]], labels: Any
) -> pd.DataFrame:
    cols: dict[str, Any] = {"run": np.arange(len(labels)), "block": labels}
    for k, v in picks.items():
        values = [_label(c) if k == "normalise" else c for c in choices[k]]
        cols[k] = np.asarray(values, dtype=object)[v]
    return pd.DataFrame(cols)


@dataclass(frozen=True)
class Batch:
    """Replications sharing one normalised matrix and aggregator."""

    choice: Choice
    runs: IntArray


def _batches(picks: dict[str, IntArray], choices: dict[str, list[Any]], n_runs: int) -> list[Batch]:
    keys = [k for k in ("impute", "winsor_max", "normalise", "aggregate") if k in picks]
    if not keys:
        return [Batch(Choice(), np.arange(n_runs))]
    codes = np.stack([picks[k] for k in keys], axis=1)
    uniq, inv = np.unique(codes, axis=0, return_inverse=True)
    out = []
    for g, row in enumerate(uniq):
        pickd = {k: choices[k][int(i)] for k, i in zip(keys, row, strict=True)}
        choice = Choice(
            impute=pickd.get("impute"),
            winmax=pickd.get("winsor_max"),
            normalise=pickd.get("normalise"),
            aggregate=pickd.get("aggregate"),
        )
        out.append(Batch(choice, np.flatnonzero(inv.ravel() == g)))
    return out


def score_runs(
    kernel: Kernel,
    batches: list[Batch],
    mats: list[FloatArray],
    wsel: IntArray,
    *,
    n_runs: int,
    shift_mode: float | str | None,
) -> FloatArray:
    """Root scores (runs x rows), one batched evaluation per distinct choice.

    When the tree is one quasi-arithmetic mean throughout (:func:`chain_function`), a
    batch is a single product with the effective weights of each replication's set.
    """
    out = np.full((n_runs, len(kernel.rows)), np.nan)
    limit = max((b.choice.winmax or 0) for b in batches)
    weff = effective_matrices(mats)
    p = kernel.method.aggregate.p
    for batch in batches:
        x = normalised_matrix(kernel, batch.choice, limit)
        name = chain_function(kernel, x, batch.choice.aggregate)
        if name is not None:
            shift = auto_shift(x, name, kernel.method, shift_mode)
            out[batch.runs] = chain_scores(x, weff[wsel[batch.runs]], name, p, shift)
            continue
        stack = [m[wsel[batch.runs]] for m in mats]
        out[batch.runs] = top_scores(kernel, x, stack, batch.choice.aggregate, shift_mode)
    return out


def rank_stats(ranks: FloatArray, nominal: FloatArray, rows: pd.MultiIndex) -> pd.DataFrame:
    """Nominal, mean, median, Q5 and Q95 rank per unit-year."""
    q = np.nanquantile(ranks, [0.05, 0.5, 0.95], axis=0)
    out = rows.to_frame(index=False)[["unit", "year"]]
    out["nominal_rank"] = nominal
    out["mean_rank"] = np.nanmean(ranks, axis=0)
    out["median_rank"], out["q05"], out["q95"] = q[1], q[0], q[2]
    return out.sort_values(["year", "nominal_rank", "unit"], kind="stable").reset_index(drop=True)


def _replicates(scores: FloatArray, ranks: FloatArray, rows: pd.MultiIndex) -> pd.DataFrame:
    n_runs, n_rows = scores.shape
    keys = rows.to_frame(index=False)
    return pd.DataFrame(
        {
            "run": np.repeat(np.arange(n_runs), n_rows),
            "unit": np.tile(keys["unit"].to_numpy(), n_runs),
            "year": np.tile(keys["year"].to_numpy(), n_runs),
            "score": scores.ravel(),
            "rank": ranks.ravel(),
        }
    )


def _weight_table(kernel: Kernel, sets: FloatArray) -> pd.DataFrame:
    frame = pd.DataFrame(sets, columns=kernel.weight_codes)
    return frame.rename_axis("weight_set").reset_index()


def run_uncertainty(kernel: Kernel, spec: UncertaintySpec) -> UncertaintyResult:
    """The analysis on a compiled kernel (see the module docstring)."""
    choices = spec.choices(kernel.method)
    if not choices:
        raise MethodError("uncertainty: the spec varies nothing")
    n = int(spec.n)
    rng = np.random.default_rng(spec.seed)
    sample, labels = design(n, len(choices), rng)
    picks = {k: pick(sample[:, i], len(v)) for i, (k, v) in enumerate(choices.items())}
    k = spec.weights_sets if spec.weights_noise > 0 else 1
    sets = noisy_weight_sets(kernel, spec.weights_noise, k, spec.weights_levels, rng)
    mats = weight_stack(kernel, sets)
    wsel = picks.get("weights", np.zeros(len(labels), dtype=np.int64))
    batches = _batches(picks, choices, len(labels))
    scores = score_runs(
        kernel, batches, mats, wsel, n_runs=len(labels), shift_mode=spec.geometric_shift
    )
    nominal = ranks_by_block(nominal_scores(kernel)[None], kernel.blocks)[0]
    ranks = ranks_by_block(scores, kernel.blocks)
    runs = _runs_table(picks, choices, labels)
    runs["mean_rank_shift"] = np.nanmean(np.abs(ranks - nominal[None]), axis=1)
    sob = sobol(
        runs["mean_rank_shift"].to_numpy(),
        n,
        list(choices),
        bootstrap=spec.bootstrap,
        confidence=spec.confidence,
        rng=rng,
    )
    held = tuple(a for a in ORDER if a not in choices)
    diag = spec.diagnostic
    return UncertaintyResult(
        ranks=rank_stats(ranks, nominal, kernel.rows),
        sobol=sob,
        runs=runs,
        samples=ranks,
        spec=spec,
        n=n,
        seed=int(spec.seed),
        replicates=_replicates(scores, ranks, kernel.rows) if diag else None,
        weight_sets=_weight_table(kernel, sets) if diag else None,
        held=held,
    )


def uncertainty(
    data: pd.DataFrame,
    framework: Framework,
    method: MethodSpec | None,
    spec: UncertaintySpec,
    *,
    n: int | None = None,
    seed: int | None = None,
    progress: object = None,
    **build_kwargs: Any,
) -> UncertaintyResult:
    """Monte Carlo over ``spec``'s assumptions; rank intervals and Sobol indices.

    ``n`` and ``seed`` override the spec's; ``progress`` is accepted for compatibility
    and ignored (the batched run takes well under a second).  ``build_kwargs`` are
    ``denominators``, ``groups`` and ``targets`` as for :func:`build_index`.
    """
    del progress
    overrides: dict[str, Any] = {}
    if n is not None:
        overrides["n"] = n
    if seed is not None:
        overrides["seed"] = seed
    if overrides:
        spec = UncertaintySpec.from_dict({**_spec_dict(spec), **overrides})
    try:
        kernel = compile_kernel(data, framework, method or MethodSpec(), **build_kwargs)
    except TypeError as exc:
        raise SmartIndexError(f"uncertainty: {exc}") from None
    return run_uncertainty(kernel, spec)


def _spec_dict(spec: UncertaintySpec) -> dict[str, Any]:
    return {k: getattr(spec, k) for k in spec.__dataclass_fields__ if k != "norm_keys"}
