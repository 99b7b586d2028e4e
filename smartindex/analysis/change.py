"""Why did it change? An exact decomposition of a score's change between two years.

The index (or a dimension, or a factor) of one area in year ``a`` and year ``b`` is split into
the contributions of its indicators, taking into account the published normalisation (the
stored level-1 scores *are* the normalised, treated, imputed indicator values) and the
effective weights of each year.

The decomposition, node by node
-------------------------------
A parent ``P`` aggregates its present children ``x_c`` with weights renormalised over the
children present that year, ``e_c = w_c / Σ_present w`` (``e_c = 0`` for a missing child).
Writing ``ē = (e_a + e_b)/2``, ``x̄ = (x_a + x_b)/2`` and ``Δ`` for *b minus a*:

* arithmetic mean, ``P = Σ e_c x_c``: the two-factor Shapley split of each product,
  ``Δ(e x) = ē Δx + x̄ Δe``, is exact, so ``ΔP = Σ_c (ē_c Δx_c) + Σ_c (x̄_c Δe_c)``: a
  **value effect** (the indicator moved) and a **weight effect** (its effective weight moved,
  e.g. because a sibling was missing in one year or the weights were changed between runs).
  When every weight is the same in both years the weight effects are zero and the index is
  linear in the normalised values: ``contribution_i = effective weight_i × Δ value_i``.
* geometric mean, ``ln P = Σ e_c ln x_c``: the same split in logarithms, carried back to
  points with the logarithmic mean ``L(p, q) = (p - q)/(ln p - ln q)`` (LMDI), which is exact:
  ``ΔP = L(P_b, P_a) Σ_c [ē_c Δx_c / L(x_cb, x_ca) + mean(ln x_c) Δe_c]``.
* harmonic mean, ``1/P = Σ e_c / x_c``:
  ``ΔP = P_a P_b Σ_c [ē_c Δx_c / (x_ca x_cb) - mean(1/x_c) Δe_c]``.
* a shift ``s`` (``aggregate.geometric_shift``: ``M(x + s) - s``) is applied to ``x`` and ``P``.

Each child's change ``Δx_c`` enters its parent with a multiplier (``ē_c`` for the arithmetic
mean), so the change of a child factor or dimension is decomposed the same way and its parts
are carried up with the product of the multipliers on the path.  Every step is an identity, so
the indicator contributions plus the weight effects sum exactly to the change of the stored
score (``residual`` reports what the stored scores do not reproduce, e.g. published rounding;
0 up to floating point otherwise).  A child present in one year only keeps its one value in
both years (``Δx = 0``): its whole effect is a weight (coverage) effect.

Per-year normalisation (``normalise.scope = per_year``) is honoured as published: a normalised
value can then move because the other area_codes moved, and its contribution says so.  Other
aggregators (generalised means, products, Copeland) have no exact additive split here and
raise :class:`smartindex.errors.MethodError`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from smartindex.analysis.scorecard import Headline, headline  # noqa: F401 - re-exported: the first screen's numbers
from smartindex.engine import MethodSpec
from smartindex.engine.aggregate import needs_positive
from smartindex.errors import MethodError
from smartindex.indicators.catalogue import ROOT
from smartindex.scoring.results import INDEX_CODE, Results

DECOMPOSABLE = ("arithmetic", "geometric", "harmonic")


@dataclass(frozen=True)
class Change:
    """The change of ``code`` for ``area_code`` from ``year_a`` to ``year_b``.

    ``contributions``: ``code, kind ('value' | 'weight'), name, dimension, normalised_a,
    normalised_b, weight_a, weight_b, raw_a, raw_b, contribution`` (one ``value`` row per
    indicator, one ``weight`` row per element whose effective weight changed), largest
    absolute contribution first.  ``peers``: ``area_code, name, score_a, score_b, change, rank_a,
    rank_b, rank_change, moved`` (rank change positive = moved up).
    """

    area_code: str
    code: str
    comparison: str
    year_a: int
    year_b: int
    score_a: float
    score_b: float
    rank_a: float
    rank_b: float
    contributions: pd.DataFrame
    peers: pd.DataFrame
    residual: float

    @property
    def change(self) -> float:
        """``score_b - score_a``."""
        return self.score_b - self.score_a

    @property
    def rank_change(self) -> float:
        """Places moved up (positive) or down (negative); NaN when a rank is missing."""
        return self.rank_a - self.rank_b


@dataclass(frozen=True)
class _Node:
    """Per-child terms of one parent: value multipliers and weight effects."""

    multiplier: dict[str, float]
    weight_effect: dict[str, float]
    residual: float


def _logmean(p: float, q: float) -> float:
    """Logarithmic mean L(p, q) = (p - q)/(ln p - ln q); L(p, p) = p."""
    if p <= 0 or q <= 0:
        raise MethodError("logarithmic mean needs positive values")
    if math.isclose(p, q, rel_tol=1e-12, abs_tol=0.0):
        return (p + q) / 2
    return (p - q) / (math.log(p) - math.log(q))


def _reconstruct(name: str, x: np.ndarray, e: np.ndarray, shift: float) -> float:
    """The aggregator applied to present children (``e`` sums to 1 over them)."""
    if name == "arithmetic":
        return float(np.sum(e * x))
    if name == "geometric":
        return float(np.exp(np.sum(e * np.log(x + shift)))) - shift
    return float(1.0 / np.sum(e / (x + shift))) - shift


def _terms(
    name: str,
    x: tuple[np.ndarray, np.ndarray],
    e: tuple[np.ndarray, np.ndarray],
    parent: tuple[float, float],
    shift: float,
) -> tuple[np.ndarray, np.ndarray]:
    """(multiplier of Δx_c, weight effect) per child for one aggregator (module doc)."""
    (xa, xb), (ea, eb) = x, e
    ebar, de = (ea + eb) / 2, eb - ea
    if name == "arithmetic":
        return ebar, (xa + xb) / 2 * de
    sa, sb = xa + shift, xb + shift
    pa, pb = parent[0] + shift, parent[1] + shift
    if name == "geometric":
        big = _logmean(pb, pa)
        small = np.array([_logmean(q, p) for p, q in zip(sa, sb, strict=True)])
        return big * ebar / small, big * (np.log(sa) + np.log(sb)) / 2 * de
    return pa * pb * ebar / (sa * sb), -pa * pb * (1 / sa + 1 / sb) / 2 * de


Scores = dict[str, float]
"""Stored scores of one area and year by element code (present elements only)."""
Tree = tuple[dict[str, float], dict[str, list[str]], dict[str, int]]
"""(weight, children, level) per element code."""


def _effective(weights: Sequence[float], present: Sequence[bool]) -> np.ndarray:
    w = np.where(np.asarray(present, dtype=bool), np.asarray(weights, dtype=float), 0.0)
    total = w.sum()
    return w / total if total > 0 else w


def node_terms(
    name: str,
    weights: Mapping[str, float],
    xa: Scores,
    xb: Scores,
    *,
    parent: tuple[float, float],
    shift: float = 0.0,
) -> _Node:
    """Decompose one parent's change over its children (``weights``: child -> weight;
    ``xa``/``xb``: the children present in each year; ``parent``: its two stored scores)."""
    kids = [k for k in weights if k in xa or k in xb]
    w = [weights[k] for k in kids]
    ea = _effective(w, [k in xa for k in kids])
    eb = _effective(w, [k in xb for k in kids])
    fa = np.array([xa.get(k, xb.get(k, np.nan)) for k in kids], dtype=float)
    fb = np.array([xb.get(k, xa.get(k, np.nan)) for k in kids], dtype=float)
    mult, weff = _terms(name, (fa, fb), (ea, eb), parent, shift)
    pa, pb = np.array([k in xa for k in kids]), np.array([k in xb for k in kids])
    fitted = (_reconstruct(name, fa[pa], ea[pa], shift), _reconstruct(name, fb[pb], eb[pb], shift))
    residual = (parent[1] - parent[0]) - (fitted[1] - fitted[0])
    return _Node(
        dict(zip(kids, map(float, mult), strict=True)),
        dict(zip(kids, map(float, weff), strict=True)),
        float(residual),
    )


def _tree(results: Results, method: MethodSpec) -> Tree:
    """Weights, children and level per element code, the root renamed to :data:`INDEX_CODE`."""
    frame = results.catalogue.to_framework_frame()
    codes = [INDEX_CODE if c == ROOT else str(c) for c in frame["code"]]
    parents = [INDEX_CODE if p == ROOT else p for p in frame["parent"]]
    if method.weights.method not in ("framework", "mapping"):
        raise MethodError(
            f"change: weights.method = {method.weights.method!r} is not "
            "decomposable from the published scores"
        )
    chosen = (
        {k: float(v) for k, v in method.weights.values.items()}
        if method.weights.method == "mapping"
        else {}
    )
    weights = {c: chosen.get(c, float(w)) for c, w in zip(codes, frame["weight"], strict=True)}
    children: dict[str, list[str]] = {}
    for code, parent in zip(codes, parents, strict=True):
        if isinstance(parent, str):
            children.setdefault(parent, []).append(code)
    levels = {c: int(lv) for c, lv in zip(codes, frame["level"], strict=True)}
    return weights, children, levels


def _aggregator(method: MethodSpec, level: int) -> tuple[str, float]:
    name = method.aggregate.at(level)
    if name not in DECOMPOSABLE:
        raise MethodError(f"change: the {name} aggregator has no exact additive split")
    shift = (method.aggregate.geometric_shift or 0.0) if needs_positive(name) else 0.0
    return name, float(shift)


def comparison_of(results: Results, area_code: str) -> str:
    """The comparison set ``area_code`` is scored in (``cities`` for cities, else ``kecamatan``)."""
    level = results.regions.loc[results.regions["area_code"] == area_code, "level"]
    return "kecamatan" if len(level) and level.iloc[0] == "kecamatan" else "cities"


def _year_scores(results: Results, comparison: str, year: int) -> pd.DataFrame:
    s = results.scores
    return s[(s["comparison"] == comparison) & (s["year"] == year)]


def _decompose(
    code: str, xa: Scores, xb: Scores, tree: Tree, method: MethodSpec
) -> tuple[dict[tuple[str, str], float], float]:
    """Contributions ``{(code, kind): value}`` and the residual of ``code``'s change."""
    weights, children, level = tree
    out: dict[tuple[str, str], float] = {}
    residual = 0.0
    stack: list[tuple[str, float]] = [(code, 1.0)]
    while stack:
        node, scale = stack.pop()
        kids = {k: weights[k] for k in children.get(node, [])}
        name, shift = _aggregator(method, level[node])
        part = node_terms(name, kids, xa, xb, parent=(xa[node], xb[node]), shift=shift)
        residual += scale * part.residual
        for kid, mult in part.multiplier.items():
            if part.weight_effect[kid]:
                key = (kid, "weight")
                out[key] = out.get(key, 0.0) + scale * part.weight_effect[kid]
            both = kid in xa and kid in xb
            if level[kid] == 1:
                dx = xb[kid] - xa[kid] if both else 0.0
                out[(kid, "value")] = out.get((kid, "value"), 0.0) + scale * mult * dx
            elif both:
                stack.append((kid, scale * mult))
    return out, residual


def _peers(results: Results, code: str, comparison: str, years: tuple[int, int]) -> pd.DataFrame:
    a, b = (_year_scores(results, comparison, y) for y in years)
    cols = ["area_code", "score", "rank"]
    out = a.loc[a["code"] == code, cols].merge(
        b.loc[b["code"] == code, cols], on="area_code", how="outer", suffixes=("_a", "_b")
    )
    out["change"] = out["score_b"] - out["score_a"]
    out["rank_change"] = out["rank_a"] - out["rank_b"]
    out["moved"] = out["rank_change"].fillna(0).ne(0)
    out["name"] = [results.area_name(u) for u in out["area_code"]]
    order = [
        "area_code",
        "name",
        "score_a",
        "score_b",
        "change",
        "rank_a",
        "rank_b",
        "rank_change",
        "moved",
    ]
    return out[order].sort_values(["rank_b", "name"]).reset_index(drop=True)


def _raw(results: Results, area_code: str, year: int) -> Scores:
    iv = results.indicator_values
    rows = iv[(iv["area_code"] == area_code) & (iv["year"] == year)]
    return dict(zip(rows["code"].astype(str), rows["value"].astype(float), strict=True))


def _contribution_frame(
    results: Results,
    parts: dict[tuple[str, str], float],
    *,
    sides: tuple[Scores, Scores],
    weights: tuple[Scores, Scores],
    raw: tuple[Scores, Scores],
    lang: str,
) -> pd.DataFrame:
    cat = results.catalogue
    dims = {i.code: i.dimension for i in cat.indicators}
    rows = [
        {
            "code": c,
            "kind": kind,
            "name": cat.name(c, lang),
            "dimension": cat.name(dims.get(c, c), lang),
            "normalised_a": sides[0].get(c, np.nan),
            "normalised_b": sides[1].get(c, np.nan),
            "weight_a": weights[0].get(c, 0.0),
            "weight_b": weights[1].get(c, 0.0),
            "raw_a": raw[0].get(c, np.nan),
            "raw_b": raw[1].get(c, np.nan),
            "contribution": v,
        }
        for (c, kind), v in parts.items()
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            "code",
            "kind",
            "name",
            "dimension",
            "normalised_a",
            "normalised_b",
            "weight_a",
            "weight_b",
            "raw_a",
            "raw_b",
            "contribution",
        ],
    )
    order = frame["contribution"].abs().sort_values(ascending=False, kind="stable").index
    return frame.loc[order].reset_index(drop=True)


def effective_weights(code: str, scores: Scores, tree: Tree) -> Scores:
    """Effective weight of every leaf under ``code`` in one year: the product of the weights
    renormalised over present siblings along its path (sums to 1 over present leaves)."""
    weights, children, level = tree
    out: Scores = {}
    stack: list[tuple[str, float]] = [(code, 1.0)]
    while stack:
        node, scale = stack.pop()
        kids = [k for k in children.get(node, []) if k in scores]
        eff = _effective([weights[k] for k in kids], [True] * len(kids))
        for kid, e in zip(kids, eff, strict=True):
            if level[kid] == 1:
                out[kid] = scale * float(e)
            else:
                stack.append((kid, scale * float(e)))
    return out


def explain_change(
    results: Results,
    *,
    area_code: str,
    year_a: int,
    year_b: int,
    code: str = INDEX_CODE,
    lang: str = "id",
    method: MethodSpec | None = None,
) -> Change:
    """Decompose the change of ``code`` (index, dimension or factor) for ``area_code`` from
    ``year_a`` to ``year_b`` into indicator contributions (module doc); the published method
    unless ``method`` is given."""
    spec = method or MethodSpec.from_dict(results.manifest.get("method") or {})
    comparison = comparison_of(results, area_code)
    side: list[Scores] = []
    for year in (year_a, year_b):
        s = _year_scores(results, comparison, year)
        s = s[(s["area_code"] == area_code) & s["score"].notna()]
        side.append(dict(zip(s["code"].astype(str), s["score"].astype(float), strict=True)))
    xa, xb = side
    if code not in xa or code not in xb:
        raise MethodError(f"change: {code} of {area_code} has no score in {year_a} or {year_b}")
    tree = _tree(results, spec)
    parts, residual = _decompose(code, xa, xb, tree, spec)
    leaves = (effective_weights(code, xa, tree), effective_weights(code, xb, tree))
    frame = _contribution_frame(
        results,
        parts,
        sides=(xa, xb),
        weights=leaves,
        raw=(_raw(results, area_code, year_a), _raw(results, area_code, year_b)),
        lang=lang,
    )
    peers = _peers(results, code, comparison, (year_a, year_b))
    own = peers[peers["area_code"] == area_code]
    rank = own[["rank_a", "rank_b"]].to_numpy(float)[0] if len(own) else (np.nan, np.nan)
    return Change(
        area_code,
        code,
        comparison,
        year_a,
        year_b,
        xa[code],
        xb[code],
        float(rank[0]),
        float(rank[1]),
        frame,
        peers,
        residual,
    )
