"""build_index: Raw → Denominated → Imputed → Screened → Treated → Normalised → Aggregated."""

from __future__ import annotations

from importlib import metadata
from typing import Any

import numpy as np
import pandas as pd

from smartindex.engine.denominate import denominator_matrix, ratio
from smartindex.engine.framework import Framework
from smartindex.engine.hierarchy import Tree, aggregate_tree, long_scores, weights_table
from smartindex.engine.impute import IMPUTERS, impute_log
from smartindex.engine.method import MethodSpec, NormaliseSpec, TreatSpec
from smartindex.engine.normalise import NORMALISERS, Reference, orient_reference
from smartindex.engine.overrides import (
    override_log,
    treat_specs,
    validate_overrides,
    with_directions,
)
from smartindex.engine.panel import check_long, frame_checksum, to_long, to_wide, year_blocks
from smartindex.engine.result import IndexResult
from smartindex.engine.rounding import round_frame
from smartindex.engine.screen import screen
from smartindex.engine.treat import jrc, kurt, skew
from smartindex.engine.types import FloatArray
from smartindex.errors import SmartIndexError

ENGINE = "smartindex.engine/coinr-compatible"
TREAT_COLUMNS = [
    "code",
    "year",
    "method",
    "winmax",
    "action",
    "points_low",
    "points_high",
    "skew_before",
    "kurt_before",
    "skew_after",
    "kurt_after",
]


def package_version() -> str:
    """Installed smartindex version, or '0+unknown'."""
    try:
        return metadata.version("smartindex")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def _multi(index: pd.Index) -> pd.MultiIndex:
    """The (year, unit) index of a wide frame, typed as such."""
    if not isinstance(index, pd.MultiIndex):
        raise SmartIndexError("internal: expected a (year, unit) index")
    return index


def group_labels(
    index: pd.MultiIndex, groups: pd.DataFrame | None, column: str | None
) -> pd.Series | None:
    """Per-row group label for ``column`` from a long or wide groups table."""
    if groups is None or not column:
        return None
    if "group_name" in groups.columns:
        sub = groups[groups["group_name"] == column]
        table = pd.Series(sub["group_value"].to_numpy(), index=sub["unit"].astype(str))
    elif column in groups.columns:
        table = pd.Series(groups[column].to_numpy(), index=groups["unit"].astype(str))
    else:
        raise SmartIndexError(f"groups: no group column {column!r}")
    units = index.get_level_values("unit")
    return pd.Series(table.reindex(units).to_numpy(), index=index, name=column).astype(str)


def denominate(
    raw: pd.DataFrame, framework: Framework, method: MethodSpec, denominators: pd.DataFrame | None
) -> pd.DataFrame:
    """Divide indicators that name a denominator, when enabled."""
    denom_of = framework.column("denominator")[raw.columns]
    if not method.denominate.enabled or denom_of.isna().all():
        return raw.copy()
    if denominators is None:
        raise SmartIndexError("denominate is enabled but no denominators table was given")
    denom = denominator_matrix(raw, denom_of, denominators)
    return ratio(raw, denom, denom_of.notna(), method.denominate.scale)


def _treat_block(
    x: FloatArray, codes: list[str], year: int | None, specs: list[TreatSpec]
) -> tuple[FloatArray, list[dict[str, Any]]]:
    """Apply each column's treatment (the JRC rule or none) and log every column."""
    sk, ku = skew(x), kurt(x)
    out, log = x.copy(), []
    for j, (code, spec) in enumerate(zip(codes, specs, strict=True)):
        row: dict[str, Any] = {
            "code": code,
            "year": year,
            "method": spec.method,
            "winmax": spec.winmax,
            "action": "none",
            "points_low": 0,
            "points_high": 0,
            "skew_before": sk[j],
            "kurt_before": ku[j],
        }
        if spec.method == "jrc":
            res = jrc(x[:, j], spec.winmax, spec.skew_thresh, spec.kurt_thresh, spec.fallback)
            out[:, j] = res.values
            row |= {
                "action": res.action,
                "points_low": res.points_low,
                "points_high": res.points_high,
            }
        log.append(row)
    return out, log


def treat(
    wide: pd.DataFrame, spec: TreatSpec, scope: str, specs: list[TreatSpec] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Apply the treatment per year (or pooled) and return values and the treatment log.

    ``specs`` gives one spec per column (per-node overrides); default ``spec`` for all.
    """
    per_col = specs or [spec] * wide.shape[1]
    if all(s.method == "none" for s in per_col) or wide.empty:
        return wide.copy(), pd.DataFrame(columns=TREAT_COLUMNS)
    x, codes = wide.to_numpy(), list(wide.columns)
    blocks = stage_blocks(_multi(wide.index), scope)
    years = wide.index.get_level_values("year")
    out, logs = np.empty_like(x), []
    for blk in blocks:
        year = int(years[blk.start]) if scope == "per_year" else None
        out[blk], log = _treat_block(x[blk], codes, year, per_col)
        after_sk, after_ku = skew(out[blk]), kurt(out[blk])
        for j, row in enumerate(log):
            row |= {"skew_after": after_sk[j], "kurt_after": after_ku[j]}
        logs.extend(log)
    frame = pd.DataFrame(logs, columns=TREAT_COLUMNS)
    frame["year"] = frame["year"].astype("Int64")
    return pd.DataFrame(out, index=wide.index, columns=wide.columns), frame


def target_matrix(
    wide: pd.DataFrame, framework: Framework, targets: pd.DataFrame | None
) -> np.ndarray:
    """Targets per cell: framework target, overridden by a (unit, year, code, target) frame."""
    base = framework.column("target")[wide.columns].to_numpy(dtype=float)
    mat = np.broadcast_to(base, wide.shape).copy()
    if targets is None or targets.empty:
        return mat
    keys = [k for k in ("year", "unit") if k in targets.columns]
    if not keys:
        per_code = targets.groupby("code")["target"].first().reindex(wide.columns)
        return np.where(per_code.isna().to_numpy(), mat, per_code.to_numpy(dtype=float))
    tab = targets.assign(**({"unit": targets["unit"].astype(str)} if "unit" in keys else {}))
    tab = tab.pivot_table(index=keys, columns="code", values="target", aggfunc="first")
    rows = wide.index.to_frame(index=False)[keys]
    aligned = rows.merge(tab.reset_index(), on=keys, how="left")
    over = aligned.reindex(columns=wide.columns).to_numpy(dtype=float)
    return np.where(np.isnan(over), mat, over)


NormKey = tuple[str, tuple[tuple[str, Any], ...]]


def _norm_groups(spec: NormaliseSpec, codes: list[str]) -> dict[NormKey, list[int]]:
    """Column indices grouped by (method, params) after per-indicator overrides."""
    groups: dict[NormKey, list[int]] = {}
    for j, code in enumerate(codes):
        o = spec.overrides.get(code, {"method": spec.method, "params": spec.params})
        key = (str(o["method"]), tuple(sorted(o.get("params", {}).items())))
        groups.setdefault(key, []).append(j)
    return groups


def normalise_array(
    x: FloatArray,
    ref: Reference,
    groups: dict[NormKey, list[int]],
    blocks: list[slice],
) -> FloatArray:
    """Normalise oriented ``x`` per row block and column group (numpy core of the stage)."""
    out = np.full(x.shape, np.nan)
    for (name, params), cols in groups.items():
        fn = NORMALISERS[name]
        for blk in blocks:
            r = Reference(ref.target[blk][:, cols], ref.goal_lo[cols], ref.goal_hi[cols])
            out[blk, cols] = fn(x[blk][:, cols], r, **dict(params))
    return out


def orientation(
    wide: pd.DataFrame, framework: Framework, targets: pd.DataFrame | None
) -> tuple[FloatArray, Reference]:
    """Directions of ``wide``'s columns and the oriented reference values of its cells."""
    codes = list(wide.columns)
    el = framework.elements.set_index("code").loc[codes]
    direction = el["direction"].to_numpy(dtype=float)
    lo = el["goalpost_lo"].to_numpy(dtype=float)
    hi = el["goalpost_hi"].to_numpy(dtype=float)
    return direction, orient_reference(direction, target_matrix(wide, framework, targets), lo, hi)


def stage_blocks(index: pd.MultiIndex, scope: str) -> list[slice]:
    """Row blocks of a cross-sectional stage: one per year, or all rows when pooled."""
    return year_blocks(index) if scope == "per_year" else [slice(0, len(index))]


def normalise(
    wide: pd.DataFrame, framework: Framework, spec: NormaliseSpec, targets: pd.DataFrame | None
) -> pd.DataFrame:
    """Orient by direction once, then normalise per year (or pooled) by column group."""
    direction, ref = orientation(wide, framework, targets)
    x = wide.to_numpy() * direction
    groups = _norm_groups(spec, list(wide.columns))
    blocks = stage_blocks(_multi(wide.index), spec.scope)
    return pd.DataFrame(normalise_array(x, ref, groups, blocks), wide.index, wide.columns)


def _flagged(wide: pd.DataFrame, flag: pd.DataFrame | None, name: str) -> pd.DataFrame:
    long = to_long(wide)
    if flag is not None:
        long[name] = to_long(flag.astype(float))["value"].to_numpy() > 0
    return long


def _manifest(
    method: MethodSpec, framework: Framework, inputs: dict[str, pd.DataFrame | None]
) -> dict[str, Any]:
    return {
        "method": method.to_dict(),
        "method_digest": method.digest,
        "framework_digest": framework.digest,
        "input_checksum": frame_checksum(inputs),
        "version": package_version(),
        "engine": ENGINE,
    }


def _rounded(wide: pd.DataFrame, method: MethodSpec, stage: str) -> pd.DataFrame:
    return round_frame(wide, method.rounding.at_stage(stage), method.rounding.mode)


def _used_settings(
    tree: Tree, framework: Framework, treatment: pd.DataFrame, specs: dict[str, TreatSpec]
) -> dict[tuple[str, str], Any]:
    """What the build actually used per (code, setting), for the override check."""
    used: dict[tuple[str, str], Any] = {}
    used |= {(c, "aggregate"): f for c, f in tree.functions.items()}
    used |= {(str(c), "weight"): float(v) for c, v in tree.given.items()}
    direction = framework.column("direction")
    used |= {(str(c), "direction"): int(v) for c, v in direction.items()}
    first = treatment.drop_duplicates("code")
    logged = dict(
        zip(first["code"], zip(first["method"], first["winmax"], strict=True), strict=True)
    )
    for code, spec in specs.items():
        if code in logged:
            name, winmax = logged[code]
            used[(code, "treat")] = (str(name), int(winmax))
        else:
            used[(code, "treat")] = ("none", spec.winmax) if spec.method == "none" else None
    return used


def build_index(
    data: pd.DataFrame,
    framework: Framework,
    method: MethodSpec | None = None,
    *,
    denominators: pd.DataFrame | None = None,
    groups: pd.DataFrame | None = None,
    targets: pd.DataFrame | None = None,
) -> IndexResult:
    """Build every stage and score every element of ``framework`` from long ``data``."""
    method = method or MethodSpec()
    validate_overrides(method.overrides, framework)
    given_framework, framework = framework, with_directions(framework, method.overrides)
    long = check_long(data)
    codes = framework.indicators
    raw = to_wide(long[long["code"].isin(codes)], codes)
    den = _rounded(denominate(raw, framework, method, denominators), method, "denominated")
    labels = group_labels(_multi(den.index), groups, method.impute.group)
    imp = _rounded(IMPUTERS[method.impute.method](den, labels), method, "imputed")
    log_screen = screen(
        den if method.screen.basis == "denominated" else imp,
        method.screen.by,
        method.screen.threshold,
        coverage=den,
        min_grade=method.screen.min_grade,
    )
    kept = imp[log_screen["included"].to_numpy()]
    specs = treat_specs(codes, method.treat, method.overrides)
    treated, log_treat = treat(kept, method.treat, method.normalise.scope, specs)
    treated = _rounded(treated, method, "treated")
    normd = _rounded(normalise(treated, framework, method.normalise, targets), method, "normalised")
    tree = aggregate_tree(
        normd,
        framework,
        method.weights,
        method.aggregate,
        overrides=method.overrides,
        rounding=method.rounding,
    )
    used = _used_settings(tree, framework, log_treat, dict(zip(codes, specs, strict=True)))
    applied = override_log(method.overrides, used, method.treat)
    stages = {
        "raw": to_long(raw),
        "denominated": to_long(den),
        "imputed": _flagged(imp, den.isna() & imp.notna(), "imputed"),
        "screened": to_long(kept),
        "treated": _flagged(treated, (treated != kept) & treated.notna(), "treated"),
        "normalised": to_long(normd),
    }
    inputs = {"data": long, "denominators": denominators, "groups": groups, "targets": targets}
    notes = tuple(f"indicator {c!r} has no data" for c in codes if raw[c].isna().all())
    scores = long_scores(tree.scores, tree.coverage, framework, method.aggregate)
    grades = log_screen.set_index(["unit", "year"])["grade"]
    scores["grade"] = grades.reindex(pd.MultiIndex.from_frame(scores[["unit", "year"]])).to_numpy()
    return IndexResult(
        framework=framework,
        method=method,
        stages=stages,
        scores=scores,
        treatment=log_treat,
        screening=log_screen,
        imputation=impute_log(den, imp, method.impute.method),
        weights=weights_table(tree.weights, framework, tree.given),
        manifest=_manifest(method, given_framework, inputs),
        notes=notes,
        overrides=applied,
        functions=tree.functions,
    )
