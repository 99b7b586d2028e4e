"""build_index: Raw → Denominated → Imputed → Screened → Treated → Normalised → Aggregated."""

from __future__ import annotations

from importlib import metadata

import numpy as np
import pandas as pd

from smartindex.engine.denominate import denominator_matrix, ratio
from smartindex.engine.framework import Framework
from smartindex.engine.hierarchy import aggregate_tree, long_scores, weights_table
from smartindex.engine.impute import IMPUTERS, impute_log
from smartindex.engine.method import MethodSpec, NormaliseSpec, TreatSpec
from smartindex.engine.normalise import NORMALISERS, Reference, orient_reference
from smartindex.engine.panel import check_long, frame_checksum, to_long, to_wide, year_blocks
from smartindex.engine.result import IndexResult
from smartindex.engine.screen import screen
from smartindex.engine.treat import TREATERS, fails, kurt, skew
from smartindex.errors import SmartIndexError

ENGINE = "smartindex.engine/coinr-compatible"
TREAT_COLUMNS = [
    "code",
    "year",
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
    out = ratio(raw, denom, method.denominate.scale)
    return out.replace([np.inf, -np.inf], np.nan)


def _treat_block(
    x: np.ndarray, codes: list[str], year: object, spec: TreatSpec
) -> tuple[np.ndarray, list[dict]]:
    """Treat one block column by column where the JRC rule fails; log every column."""
    sk, ku = skew(x), kurt(x)
    bad = fails(sk, ku, spec.skew_thresh, spec.kurt_thresh)
    out, log = x.copy(), []
    for j, code in enumerate(codes):
        row = {
            "code": code,
            "year": year,
            "action": "none",
            "points_low": 0,
            "points_high": 0,
            "skew_before": sk[j],
            "kurt_before": ku[j],
        }
        if bad[j]:
            res = TREATERS["jrc"](
                x[:, j], spec.winmax, spec.skew_thresh, spec.kurt_thresh, spec.fallback
            )
            out[:, j] = res.values
            row |= {
                "action": res.action,
                "points_low": res.points_low,
                "points_high": res.points_high,
            }
        log.append(row)
    return out, log


def treat(wide: pd.DataFrame, spec: TreatSpec, scope: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Apply the treatment per year (or pooled) and return values and the treatment log."""
    if spec.method == "none" or wide.empty:
        return wide.copy(), pd.DataFrame(columns=TREAT_COLUMNS)
    x, codes = wide.to_numpy(), list(wide.columns)
    blocks = year_blocks(wide.index) if scope == "per_year" else [slice(0, len(wide))]
    years = wide.index.get_level_values("year")
    out, logs = np.empty_like(x), []
    for blk in blocks:
        year = int(years[blk.start]) if scope == "per_year" else None
        out[blk], log = _treat_block(x[blk], codes, year, spec)
        after_sk, after_ku = skew(out[blk]), kurt(out[blk])
        for j, row in enumerate(log):
            row |= {"skew_after": after_sk[j], "kurt_after": after_ku[j]}
        logs.extend(log)
    log = pd.DataFrame(logs, columns=TREAT_COLUMNS)
    log["year"] = log["year"].astype("Int64")
    return pd.DataFrame(out, index=wide.index, columns=wide.columns), log


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


def _norm_groups(spec: NormaliseSpec, codes: list[str]) -> dict[tuple, list[int]]:
    """Column indices grouped by (method, params) after per-indicator overrides."""
    groups: dict[tuple, list[int]] = {}
    for j, code in enumerate(codes):
        o = spec.overrides.get(code, {"method": spec.method, "params": spec.params})
        key = (o["method"], tuple(sorted(o.get("params", {}).items())))
        groups.setdefault(key, []).append(j)
    return groups


def normalise(
    wide: pd.DataFrame, framework: Framework, spec: NormaliseSpec, targets: pd.DataFrame | None
) -> pd.DataFrame:
    """Orient by direction once, then normalise per year (or pooled) by column group."""
    codes = list(wide.columns)
    direction = framework.column("direction")[codes].to_numpy(dtype=float)
    lo = framework.column("goalpost_lo")[codes].to_numpy(dtype=float)
    hi = framework.column("goalpost_hi")[codes].to_numpy(dtype=float)
    ref = orient_reference(direction, target_matrix(wide, framework, targets), lo, hi)
    x = wide.to_numpy() * direction
    blocks = year_blocks(wide.index) if spec.scope == "per_year" else [slice(0, len(wide))]
    out = np.full(x.shape, np.nan)
    for (name, params), cols in _norm_groups(spec, codes).items():
        fn = NORMALISERS[name]
        for blk in blocks:
            r = Reference(ref.target[blk][:, cols], ref.goal_lo[cols], ref.goal_hi[cols])
            out[blk, cols] = fn(x[blk][:, cols], r, **dict(params))
    return pd.DataFrame(out, index=wide.index, columns=codes)


def _flagged(wide: pd.DataFrame, flag: pd.DataFrame | None, name: str) -> pd.DataFrame:
    long = to_long(wide)
    if flag is not None:
        long[name] = to_long(flag.astype(float))["value"].to_numpy() > 0
    return long


def _manifest(method: MethodSpec, framework: Framework, inputs: dict) -> dict:
    return {
        "method": method.to_dict(),
        "method_digest": method.digest,
        "framework_digest": framework.digest,
        "input_checksum": frame_checksum(inputs),
        "version": package_version(),
        "engine": ENGINE,
    }


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
    long = check_long(data)
    codes = framework.indicators
    raw = to_wide(long[long["code"].isin(codes)], codes)
    den = denominate(raw, framework, method, denominators)
    labels = group_labels(den.index, groups, method.impute.group)
    imp = IMPUTERS[method.impute.method](den, labels)
    log_screen = screen(
        den if method.screen.basis == "denominated" else imp,
        method.screen.by,
        method.screen.threshold,
    )
    kept = imp[log_screen["included"].to_numpy()]
    treated, log_treat = treat(kept, method.treat, method.normalise.scope)
    normd = normalise(treated, framework, method.normalise, targets)
    scores, coverage, w = aggregate_tree(normd, framework, method.weights, method.aggregate)
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
    return IndexResult(
        framework=framework,
        method=method,
        stages=stages,
        scores=long_scores(scores, coverage, framework, method.aggregate),
        treatment=log_treat,
        screening=log_screen,
        imputation=impute_log(den, imp, method.impute.method),
        weights=weights_table(w, framework),
        manifest=_manifest(method, framework, inputs),
        notes=notes,
    )
