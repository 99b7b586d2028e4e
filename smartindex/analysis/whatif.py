"""What-if re-scoring for the Method page: the published method with a few choices changed.

The same engine call as ``smartindex score`` (``build_index`` on the indicator values of one
comparison set), without the uncertainty analysis and without writing anything.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from smartindex.engine import Framework, MethodSpec, build_index
from smartindex.errors import MethodError
from smartindex.scoring.publish import from_engine, prune_framework, to_engine
from smartindex.scoring.results import INDEX_CODE, Results

NORMALISE_CHOICES = ("minmax", "zscore", "rank", "prank", "dist2max", "fracmax")
AGGREGATE_CHOICES = ("arithmetic", "geometric", "harmonic")
_DEFAULT_PARAMS = {"minmax": {"lo": 0.0, "hi": 100.0}}
POSITIVE_AGGREGATES = frozenset({"geometric", "harmonic"})
"""Means defined only for values > 0 (their logarithm or reciprocal is taken)."""
POSITIVE_RANGE: dict[str, tuple[dict[str, float], float]] = {
    "minmax": ({"lo": 1.0, "hi": 100.0}, 0.0),  # [1, 100] instead of [0, 100]
    "zscore": ({"m": 100.0, "s": 10.0}, 0.0),  # mean 100, sd 10: > 0 unless z < -10
    "rank": ({}, 0.0),  # ranks start at 1
    "prank": ({}, 0.01),  # [0, 1] shifted by 0.01 (as [1, 100] is to [0, 100])
    "dist2max": ({}, 0.01),
}
"""Documented adjustment that makes a normaliser's output positive before a geometric or
harmonic mean: ``(normaliser params, aggregate.geometric_shift)``.  A shift ``s`` aggregates
``M(x + s) - s``.  ``fracmax`` (x / max) is negative for indicators where lower is better,
so it is offered with the arithmetic mean only."""


def aggregate_choices(normalise: str) -> tuple[str, ...]:
    """The aggregators offered after ``normalise`` (every pair offered is computable)."""
    return tuple(
        a for a in AGGREGATE_CHOICES if a not in POSITIVE_AGGREGATES or normalise in POSITIVE_RANGE
    )


def published_method(results: Results) -> MethodSpec:
    """The method of the published run (default spec when the manifest has none)."""
    return MethodSpec.from_dict(results.manifest.get("method") or {})


def with_choices(
    method: MethodSpec,
    *,
    normalise: str | None = None,
    aggregate: str | None = None,
    weights: Mapping[str, float] | None = None,
) -> MethodSpec:
    """``method`` with another normaliser, aggregator and/or weights for named elements."""
    spec = method.to_dict()
    if normalise and normalise != spec["normalise"]["method"]:
        spec["normalise"] |= {
            "method": normalise,
            "params": dict(_DEFAULT_PARAMS.get(normalise, {})),
        }
    if aggregate:
        spec["aggregate"] |= {"method": aggregate, "by_level": {}}
    if aggregate in POSITIVE_AGGREGATES:
        name = spec["normalise"]["method"]
        if name not in POSITIVE_RANGE:
            raise MethodError(f"aggregate: {aggregate} mean is not offered after {name}")
        params, shift = POSITIVE_RANGE[name]
        spec["normalise"]["params"] = {**spec["normalise"].get("params", {}), **params}
        spec["aggregate"]["geometric_shift"] = shift or None
    if weights:
        spec["weights"] = {"method": "mapping", "values": {k: float(v) for k, v in weights.items()}}
    return MethodSpec.from_dict(spec)


def framework_of(results: Results, comparison: str) -> tuple[Framework, pd.DataFrame]:
    """The pruned framework and the indicator values of one comparison set."""
    cat = results.catalogue
    area_codes = set(results.scores.loc[results.scores["comparison"] == comparison, "area_code"])
    iv = results.indicator_values
    data = iv[iv["area_code"].isin(area_codes)][["area_code", "year", "code", "value"]].dropna(
        subset=["value"]
    )
    elements = cat.to_framework_frame()
    return Framework.from_frame(prune_framework(elements, set(data["code"]))), data


def rescore(
    results: Results,
    *,
    normalise: str | None = None,
    aggregate: str | None = None,
    weights: tuple[tuple[str, float], ...] = (),
    comparison: str = "cities",
) -> pd.DataFrame:
    """Dimension and index scores (``area_code, year, code, level, score, rank``) under the
    published method with the given changes; ``weights`` as ``((code, weight), ...)``."""
    framework, data = framework_of(results, comparison)
    top = max(framework.levels)
    known = set(framework.codes_at(top - 1)) | {framework.root}
    method = with_choices(
        published_method(results),
        normalise=normalise,
        aggregate=aggregate,
        weights={k: w for k, w in weights if k in known},
    )
    targets = (
        results.targets[["area_code", "year", "code", "target"]] if len(results.targets) else None
    )
    built = build_index(
        to_engine(data), framework, method, targets=None if targets is None else to_engine(targets)
    )
    s = from_engine(built.scores)
    s = s.assign(level=s["code"].map(framework.column("level")))
    s = s.assign(code=s["code"].where(s["code"] != framework.root, INDEX_CODE))
    return s[s["level"] >= top - 1][
        ["area_code", "year", "code", "level", "score", "rank"]
    ].reset_index(drop=True)


def compare_index(
    results: Results, whatif: pd.DataFrame, *, year: int, comparison: str = "cities"
) -> pd.DataFrame:
    """Index score and rank per area, published vs what-if: ``area_code, label, before, after,
    rank_before, rank_after, rank_change`` (positive change = moved up)."""
    pub = results.scores
    pub = pub[
        (pub["comparison"] == comparison) & (pub["code"] == INDEX_CODE) & (pub["year"] == year)
    ][["area_code", "score", "rank"]]
    new = whatif[(whatif["code"] == INDEX_CODE) & (whatif["year"] == year)][
        ["area_code", "score", "rank"]
    ]
    out = pub.merge(new, on="area_code", how="outer", suffixes=("_before", "_after"))
    out = out.rename(columns={"score_before": "before", "score_after": "after"})
    out["rank_change"] = out["rank_before"] - out["rank_after"]
    out["label"] = [results.area_name(u) for u in out["area_code"]]
    return out.sort_values("rank_after").reset_index(drop=True)


DIMENSIONS = ("economy", "people", "governance", "mobility", "environment", "living")
