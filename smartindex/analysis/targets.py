"""Targets: direction-aware achievement %, status bands and projection to the target year.

* Achievement (%): higher-is-better ``R/T × 100``; lower-is-better by
  ``settings.negative_achievement`` — ``difference`` ``(2T − R)/T × 100`` (SAKIP/Permendagri)
  or ``ratio`` ``T/R × 100``; clipped to ``[0, achievement_cap]``.
* Band: the grade key of the first of ``settings.bands`` whose lower bound the achievement
  reaches (the Permendagri 86/2017 scale of ``standards.toml``; legal standards are applied on
  top of it by :mod:`smartindex.analysis.status`).
* Projection: the Theil–Sen trend of the series up to ``year`` carried to the *target year*
  (the last year with a target for that area_code and code, ≥ ``year``); its achievement against
  that year's target gives *on track* (≥ 100), *at risk* (≥ 100 − at_risk_margin) or
  *off track*; fewer than ``min_points`` years give *insufficient data*; no target ahead gives
  *no target*.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from smartindex.analysis.trends import (
    DEFAULT_SETTINGS,
    AnalysisSettings,
    indicator_meta,
    trend_table,
)
from smartindex.errors import MethodError

PROJECTION_STATUSES = ("on track", "at risk", "off track", "insufficient data", "no target")


def _difference(r: np.ndarray, t: np.ndarray) -> np.ndarray:
    return np.asarray((2 * t - r) / t * 100.0, dtype=float)


def _ratio(r: np.ndarray, t: np.ndarray) -> np.ndarray:
    return np.asarray(t / r * 100.0, dtype=float)


NEGATIVE_ACHIEVEMENT: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "difference": _difference,
    "ratio": _ratio,
}


def achievement(
    value: object, target: object, direction: object, settings: AnalysisSettings = DEFAULT_SETTINGS
) -> np.ndarray:
    """Direction-aware achievement % (vectorised; NaN where value or target is missing/0)."""
    r = np.asarray(value, dtype=float)
    t = np.asarray(target, dtype=float)
    d = np.broadcast_to(np.asarray(direction, dtype=float), np.broadcast(r, t).shape)
    if settings.negative_achievement not in NEGATIVE_ACHIEVEMENT:
        raise MethodError(
            f"unknown negative_achievement {settings.negative_achievement!r}; "
            f"choose one of {sorted(NEGATIVE_ACHIEVEMENT)}"
        )
    neg = NEGATIVE_ACHIEVEMENT[settings.negative_achievement]
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(d < 0, neg(r, t), r / t * 100.0)
    out = np.where(np.isfinite(out), out, np.nan)
    upper = np.inf if settings.achievement_cap is None else settings.achievement_cap
    return np.clip(out, 0.0, upper)


def band(achievement_pct: object, settings: AnalysisSettings = DEFAULT_SETTINGS) -> np.ndarray:
    """Grade key per achievement % (object array; None where missing), e.g. ``tinggi``."""
    a = np.atleast_1d(np.asarray(achievement_pct, dtype=float))
    keys = np.array([b[1] for b in settings.bands] + [None], dtype=object)
    bounds = np.array([b[0] for b in settings.bands])
    hit = a[:, None] >= bounds[None, :]
    idx = np.where(hit.any(axis=1), hit.argmax(axis=1), len(bounds))
    return keys[np.where(np.isnan(a), len(bounds), idx)]


def band_legend(settings: AnalysisSettings = DEFAULT_SETTINGS) -> pd.DataFrame:
    """The grade table (``key, lower, upper``, best first) for legends and the report annex;
    the faces translate ``key`` (``status.grade.<key>``) and print the bounds."""
    lowers = [max(b[0], 0.0) for b in settings.bands]
    uppers = [np.inf, *lowers[:-1]]
    return pd.DataFrame({"key": [b[1] for b in settings.bands], "lower": lowers, "upper": uppers})


def projection_status(
    projected_achievement: object,
    n: object,
    has_target: object,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
) -> np.ndarray:
    """on track / at risk / off track / insufficient data / no target (vectorised)."""
    a = np.asarray(projected_achievement, dtype=float)
    conds = [
        ~np.asarray(has_target, dtype=bool),
        (np.asarray(n, dtype=float) < settings.min_points) | np.isnan(a),
        a >= 100.0,
        a >= 100.0 - settings.at_risk_margin,
    ]
    return np.select(
        conds, ["no target", "insufficient data", "on track", "at risk"], "off track"
    ).astype(object)


def _target_year(targets: pd.DataFrame, year: int) -> pd.DataFrame:
    """Per (area_code, code): this year's target and the last target year ≥ year with its target."""
    now = targets[targets["year"] == year][["area_code", "code", "target"]]
    ahead = targets[targets["year"] >= year].sort_values("year")
    final = ahead.groupby(["area_code", "code"], as_index=False).last()
    final = final[["area_code", "code", "year", "target"]]
    final = final.rename(columns={"year": "target_year", "target": "final_target"})
    return now.merge(final, on=["area_code", "code"], how="outer")


def _projected(tr: pd.DataFrame, settings: AnalysisSettings) -> np.ndarray:
    """Projected value at ``target_year`` from the trend columns of ``tr``."""
    ty = tr["target_year"].astype(float).to_numpy()
    if settings.projection_anchor == "last":
        return (tr["last"] + tr["slope"] * (ty - tr["last_year"].astype(float))).to_numpy(float)
    if settings.projection_anchor == "fit":
        return (tr["intercept"] + tr["slope"] * ty).to_numpy(float)
    raise MethodError(f"unknown projection_anchor {settings.projection_anchor!r}; use last or fit")


def target_status(
    values: pd.DataFrame,
    targets: pd.DataFrame,
    meta: pd.DataFrame,
    *,
    year: int,
    area_codes: list[str] | None = None,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
) -> pd.DataFrame:
    """Status of every (area_code, code) with a value or a target in ``year``.

    Columns: area_code, code, year, value, target, achievement, band (grade key), target_year,
    final_target, projected, projected_achievement, projection_status, plus the trend columns
    (n, slope, p_value, verdict, arrow, significant …) of the series up to ``year``.
    """
    meta = indicator_meta(meta)
    vals = values if area_codes is None else values[values["area_code"].isin(area_codes)]
    tgts = targets if area_codes is None else targets[targets["area_code"].isin(area_codes)]
    dirs = dict(zip(meta["code"], meta["direction"], strict=True))
    tr = trend_table(
        vals[["area_code", "year", "code", "value"]], dirs, settings=settings, until=year
    )
    now = vals[vals["year"] == year][["area_code", "code", "value"]]
    keys = pd.concat(
        [now[["area_code", "code"]], tgts[tgts["year"] == year][["area_code", "code"]]]
    )
    out = keys.drop_duplicates().merge(now, on=["area_code", "code"], how="left")
    out = out.merge(_target_year(tgts, year), on=["area_code", "code"], how="left")
    out = out.merge(tr, on=["area_code", "code"], how="left")
    out["n"] = out["n"].fillna(0).astype(int)
    out["verdict"] = out["verdict"].fillna("insufficient data")
    out["arrow"] = out["arrow"].fillna("–")
    out["significant"] = out["significant"].astype("boolean").fillna(False).astype(bool)
    direction = out["code"].map(dirs).fillna(1).to_numpy(float)
    out.insert(2, "year", year)
    out["achievement"] = achievement(out["value"], out["target"], direction, settings)
    out["band"] = band(out["achievement"], settings)
    out["projected"] = _projected(out, settings)
    out["projected_achievement"] = achievement(
        out["projected"], out["final_target"], direction, settings
    )
    out["projection_status"] = projection_status(
        out["projected_achievement"], out["n"], out["final_target"].notna(), settings
    )
    return out.sort_values(["area_code", "code"]).reset_index(drop=True)
