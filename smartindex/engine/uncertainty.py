"""Uncertainty and sensitivity analysis of the top-level ranks (COINr ``get_sensitivity``).

Design (Saltelli 2010, as COINr ``SA_sample``/``SA_estimate``): two plain-random
N x d matrices A and B of U(0,1) draws and, for each assumption i, A_B^(i) (A with
column i from B): N(d + 2) replications.  A draw u picks the ``floor(u·m)``-th of m
discrete alternatives.  The output per replication is the mean absolute rank shift
from the nominal ranks; Sᵢ = mean(y_B·(y_ABᵢ − y_A))/V and STᵢ = Σ(y_A − y_ABᵢ)²/(2N·V)
(Jansen), V = var(y_A ∪ y_B).  Rank statistics per unit use all replications.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from smartindex.engine.aggregate import AGGREGATORS, needs_positive, present_weight
from smartindex.engine.framework import Framework
from smartindex.engine.impute import IMPUTERS
from smartindex.engine.method import MethodSpec, NormaliseSpec, TreatSpec
from smartindex.engine.pipeline import build_index
from smartindex.engine.ua_prepare import (
    Prepared,
    level_matrices,
    normalised_matrix,
    prepare,
    ranks_by_block,
)
from smartindex.errors import MethodError

ORDER = ("impute", "winsor_max", "normalise", "weights", "aggregate")


def _names(key: str, values: object, registry: Mapping[str, object]) -> tuple[str, ...]:
    items = tuple(values) if isinstance(values, list | tuple) else (values,)
    for v in items:
        if v not in registry:
            raise MethodError(
                f"uncertainty.{key}: {v!r} is not known; allowed: {', '.join(registry)}"
            )
    return tuple(str(v) for v in items)


@dataclass(frozen=True)
class UncertaintySpec:
    """Uncertain assumptions; an empty / zero entry is held at its nominal value.

    ``winsor_max = (lo, hi)`` varies the JRC Winsorisation limit over the integers lo..hi;
    ``weights_noise = f`` perturbs every weight by U(−f, +f)·w (``weights_sets`` draws);
    ``geometric_shift = "auto"`` shifts normalised values to a minimum of 1 when a
    geometric or harmonic mean meets values <= 0 (else a number, or None to fail).
    """

    normalise: tuple[str, ...] = ()
    aggregate: tuple[str, ...] = ()
    impute: tuple[str, ...] = ()
    winsor_max: tuple[int, int] | None = None
    weights_noise: float = 0.0
    weights_sets: int = 100
    geometric_shift: float | str | None = "auto"

    def __post_init__(self) -> None:
        from smartindex.engine.normalise import NORMALISERS

        object.__setattr__(self, "normalise", _names("normalise", self.normalise, NORMALISERS))
        object.__setattr__(self, "aggregate", _names("aggregate", self.aggregate, AGGREGATORS))
        object.__setattr__(self, "impute", _names("impute", self.impute, IMPUTERS))
        if self.winsor_max is not None:
            lo, hi = (int(v) for v in self.winsor_max)
            if not 0 <= lo <= hi:
                raise MethodError("uncertainty.winsor_max must be [lo, hi] with 0 <= lo <= hi")
            object.__setattr__(self, "winsor_max", (lo, hi))
        if not 0 <= float(self.weights_noise) < 1:
            raise MethodError("uncertainty.weights_noise must be within [0, 1)")
        if self.geometric_shift not in ("auto", None) and not isinstance(
            self.geometric_shift, int | float
        ):
            raise MethodError("uncertainty.geometric_shift must be 'auto', a number or absent")

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> UncertaintySpec:
        """Build from a mapping; unknown keys raise MethodError naming the key."""
        allowed = set(cls.__dataclass_fields__)
        for key in d:
            if key not in allowed:
                raise MethodError(
                    f"uncertainty.{key} is not a known setting; "
                    f"allowed: {', '.join(sorted(allowed))}"
                )
        return cls(**dict(d))

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
        out: dict[str, list[Any]] = {
            "impute": list(self.impute),
            "normalise": list(self.normalise),
            "aggregate": list(self.aggregate),
            "winsor_max": list(range(self.winsor_max[0], self.winsor_max[1] + 1))
            if self.winsor_max
            else [],
            "weights": list(range(self.weights_sets)) if self.weights_noise > 0 else [],
        }
        return {k: out[k] for k in ORDER if len(out[k]) > 0}


@dataclass(frozen=True)
class UncertaintyResult:
    """Rank statistics per unit-year, Sobol indices per assumption, and the run table."""

    ranks: pd.DataFrame
    sobol: pd.DataFrame
    runs: pd.DataFrame
    samples: np.ndarray = field(repr=False)
    spec: UncertaintySpec
    n: int
    seed: int


def design(n: int, d: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Stacked sample [A; B; A_B^(1); ...; A_B^(d)] (N(d+2) x d) and block labels."""
    a, b = rng.random((n, d)), rng.random((n, d))
    blocks, labels = [a, b], ["A"] * n + ["B"] * n
    for i in range(d):
        ab = a.copy()
        ab[:, i] = b[:, i]
        blocks.append(ab)
        labels += [f"AB{i}"] * n
    return np.vstack(blocks), np.array(labels)


def pick(u: np.ndarray, m: int) -> np.ndarray:
    """Index of the alternative chosen by draws ``u`` among ``m`` equal-width bins."""
    return np.minimum((u * m).astype(int), m - 1)


def sobol(y: np.ndarray, n: int, names: list[str]) -> pd.DataFrame:
    """First-order (Saltelli 2010) and total (Jansen) indices from stacked outputs."""
    ya, yb = y[:n], y[n : 2 * n]
    var = np.var(np.concatenate([ya, yb]), ddof=1)
    rows = []
    for i, name in enumerate(names):
        yab = y[(2 + i) * n : (3 + i) * n]
        with np.errstate(divide="ignore", invalid="ignore"):
            s = np.mean(yb * (yab - ya)) / var
            st = np.sum((ya - yab) ** 2) / (2 * n) / var
        rows.append({"assumption": name, "first_order": s, "total_order": st})
    return pd.DataFrame(rows)


def noisy_weight_sets(
    base: pd.Series, noise: float, k: int, rng: np.random.Generator
) -> np.ndarray:
    """k perturbed copies of the base weights: w·(1 + U(−noise, noise))."""
    return base.to_numpy() * (1 + rng.uniform(-noise, noise, size=(max(k, 1), len(base))))


def _shift(x: np.ndarray, name: str, spec: UncertaintySpec, method: MethodSpec) -> float:
    if not needs_positive(name, method.aggregate.p):
        return 0.0
    if method.aggregate.geometric_shift is not None:
        return float(method.aggregate.geometric_shift)
    if spec.geometric_shift == "auto":
        return float(max(0.0, 1.0 - np.nanmin(x)))
    return float(spec.geometric_shift or 0.0)


def aggregate_batch(
    x: np.ndarray,
    mats: list[np.ndarray],
    name: str,
    *,
    shift: float,
    method: MethodSpec,
    levels: list[int],
) -> np.ndarray:
    """Top-level scores (runs x rows) for one normalised matrix and a batch of weights."""
    fn = AGGREGATORS[name]
    params = {"p": method.aggregate.p} if name == "generalised" else {}
    cur = x[None] + shift
    for lv, w in zip(levels, mats, strict=True):
        vals = fn(cur, w, **params)
        cov = present_weight(cur, w) / w.sum(axis=1, keepdims=True)
        cur = np.where(cov >= method.aggregate.coverage_at(lv) - 1e-12, vals, np.nan)
    return cur[..., 0] - shift


def _method_for(method: MethodSpec, choice: dict[str, Any]) -> MethodSpec:
    m = method
    if "impute" in choice:
        m = replace(m, impute=replace(m.impute, method=choice["impute"]))
    if "winsor_max" in choice:
        m = replace(
            m,
            treat=TreatSpec(
                **{**m.treat.__dict__, "method": "jrc", "winmax": choice["winsor_max"]}
            ),
        )
    if "normalise" in choice and choice["normalise"] != m.normalise.method:
        params = {"lo": 0.0, "hi": 100.0} if choice["normalise"] == "minmax" else {}
        m = replace(m, normalise=NormaliseSpec(choice["normalise"], params, m.normalise.scope))
    return m


def _runs_table(picks: dict[str, np.ndarray], choices: dict[str, list], labels: np.ndarray):
    table = pd.DataFrame({k: np.asarray(choices[k], dtype=object)[v] for k, v in picks.items()})
    table.insert(0, "block", labels)
    table.insert(0, "run", np.arange(len(labels)))
    return table


def uncertainty(
    data: pd.DataFrame,
    framework: Framework,
    method: MethodSpec | None,
    spec: UncertaintySpec,
    *,
    n: int = 500,
    seed: int = 2026,
    progress: bool = False,
    **build_kwargs: Any,
) -> UncertaintyResult:
    """Monte Carlo over ``spec``'s assumptions; rank intervals and Sobol indices."""
    method = method or MethodSpec()
    nominal = build_index(data, framework, method, **build_kwargs)
    choices = spec.choices(method)
    if not choices:
        raise MethodError("uncertainty: the spec varies nothing")
    rng = np.random.default_rng(seed)
    sample, labels = design(n, len(choices), rng)
    picks = {k: pick(sample[:, i], len(v)) for i, (k, v) in enumerate(choices.items())}
    prep = prepare(data, framework, method, nominal, **build_kwargs)
    k = spec.weights_sets if spec.weights_noise > 0 else 1
    wsets = noisy_weight_sets(prep.base_weights, spec.weights_noise, k, rng)
    mats = level_matrices(prep, wsets)
    runs = _runs_table(picks, choices, labels)
    scores = _score_runs(runs, picks, prep, mats, method=method, spec=spec, progress=progress)
    ranks = ranks_by_block(scores, prep.blocks)
    shift = np.nanmean(np.abs(ranks - prep.nominal_rank[None]), axis=1)
    runs["mean_rank_shift"] = shift
    stats = _rank_stats(ranks, prep)
    return UncertaintyResult(stats, sobol(shift, n, list(choices)), runs, ranks, spec, n, seed)


def _score_runs(
    runs: pd.DataFrame,
    picks: dict[str, np.ndarray],
    prep: Prepared,
    mats: list[np.ndarray],
    *,
    method: MethodSpec,
    spec: UncertaintySpec,
    progress: bool,
) -> np.ndarray:
    """Top-level scores for every run, batched by shared normalised matrix and aggregator."""
    keys = [k for k in ("impute", "winsor_max", "normalise", "aggregate") if k in picks]
    wsel = picks.get("weights", np.zeros(len(runs), dtype=int))
    out = np.full((len(runs), len(prep.rows)), np.nan)
    groups = runs.groupby(keys, sort=True).indices if keys else {(): np.arange(len(runs))}
    items = list(groups.items())
    if progress:
        from tqdm import tqdm

        items = tqdm(items, desc="uncertainty", unit="batch")
    for key, idx in items:
        choice = dict(zip(keys, key if isinstance(key, tuple) else (key,), strict=True))
        x = normalised_matrix(prep, _method_for(method, choice))
        name = choice.get("aggregate", method.aggregate.method)
        batch = [m[wsel[idx]] for m in mats]
        out[idx] = aggregate_batch(
            x, batch, name, shift=_shift(x, name, spec, method), method=method, levels=prep.levels
        )
    return out


def _rank_stats(ranks: np.ndarray, prep: Prepared) -> pd.DataFrame:
    q = np.nanquantile(ranks, [0.05, 0.5, 0.95], axis=0)
    out = prep.rows.to_frame(index=False)[["unit", "year"]]
    out["nominal_rank"] = prep.nominal_rank
    out["median_rank"], out["mean_rank"] = q[1], np.nanmean(ranks, axis=0)
    out["q05"], out["q95"] = q[0], q[2]
    return out.sort_values(["year", "nominal_rank", "unit"], kind="stable").reset_index(drop=True)
