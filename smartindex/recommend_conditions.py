"""The named conditions of the recommendation rules (the ``condition`` key of a rule).

Each condition is a small pure function ``(ctx, kind, codes, params) -> evidence records``: it
reads the precomputed :class:`Context` of one year and returns the numbers that triggered it,
each with a ``severity`` in 0–1 (empty: the rule stays silent).  Chosen by name from
:data:`CONDITIONS`; :data:`CONDITION_FIELDS` lists the template placeholders each provides.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from smartindex import districts, peers
from smartindex.results import INDEX_CODE, Results
from smartindex.scorecard import peer_units, score_block
from smartindex.targets import target_status
from smartindex.trends import AnalysisSettings

IND_FIELDS = {"code", "indicator", "value", "unit"}
"""Placeholders of every indicator-level condition (``unit`` = the measure unit in ``lang``)."""


@dataclass(frozen=True)
class Context:
    """The evidence base of one year, computed once for all rules."""

    year: int
    city: str
    lang: str
    meta: pd.DataFrame
    status: pd.DataFrame       # target_status of the city (+ name, measure unit in lang)
    elements: pd.DataFrame     # factor/dimension/index scores of the city with trend
    peer_ind: pd.DataFrame
    peer_agg: pd.DataFrame
    inequality: pd.DataFrame   # kecamatan inequality in `year` (+ district names)
    names: dict[str, str]      # unit code -> display name


def _ind_fields(ctx: Context, rows: pd.DataFrame) -> pd.DataFrame:
    return rows.assign(indicator=rows["name"], year=ctx.year)


def _py(v: object) -> object:
    """Plain Python scalars for evidence (NaN/NA -> None, numpy -> int/float)."""
    if v is None or (not isinstance(v, str | list) and pd.isna(v)):
        return None
    return v.item() if isinstance(v, np.generic) else v


def _records(frame: pd.DataFrame, cols: list[str]) -> list[dict]:
    """Evidence records (plain Python values) of the given columns plus severity."""
    return [{k: _py(v) for k, v in row.items()}
            for row in frame[[*cols, "severity"]].to_dict("records")]


def below_target(ctx: Context, kind: str, codes: list[str], p: dict) -> list[dict]:
    """Achievement % below ``threshold`` (default 100) in the year."""
    s = ctx.status[ctx.status["code"].isin(codes)]
    s = s[s["achievement"] < p.get("threshold", 100.0)]
    s = _ind_fields(ctx, s).assign(severity=(1 - s["achievement"] / 100).clip(0, 1))
    return _records(s, [*IND_FIELDS, "year", "target", "achievement"])


def off_track(ctx: Context, kind: str, codes: list[str], p: dict) -> list[dict]:
    """Projection to the target year is off track (or one of ``statuses``)."""
    s = ctx.status[ctx.status["code"].isin(codes)]
    s = s[s["projection_status"].isin(p.get("statuses", ["off track"]))]
    s = _ind_fields(ctx, s).assign(
        severity=(1 - s["projected_achievement"] / 100).clip(0, 1).fillna(0.5),
        status=s["projection_status"], final_target=s["final_target"])
    return _records(s, [*IND_FIELDS, "year", "final_target", "target_year", "projected",
                        "projected_achievement", "status"])


def significant_worsening(ctx: Context, kind: str, codes: list[str], p: dict) -> list[dict]:
    """Indicators whose trend is worsening and significant (Mann–Kendall)."""
    s = ctx.status[ctx.status["code"].isin(codes)]
    s = s[(s["verdict"] == "worsening") & s["significant"]]
    s = _ind_fields(ctx, s).assign(severity=1 - s["p_value"])
    return _records(s, [*IND_FIELDS, "year", "first_year", "slope", "p_value"])


def value_worse_than(ctx: Context, kind: str, codes: list[str], p: dict) -> list[dict]:
    """Value worse than ``threshold`` (below it if higher is better, above it otherwise)."""
    s = ctx.status[ctx.status["code"].isin(codes) & ctx.status["value"].notna()]
    t = float(p["threshold"])
    gap = (s["value"] - t) * s["direction"]
    s = _ind_fields(ctx, s[gap < 0]).assign(threshold=t,
                                            severity=(-gap[gap < 0] / abs(t or 1)).clip(0, 1))
    return _records(s, [*IND_FIELDS, "year", "threshold"])


def bottom_quartile_peers(ctx: Context, kind: str, codes: list[str], p: dict) -> list[dict]:
    """Indicators where the city is in the bottom quartile of the peer cities."""
    s = ctx.peer_ind[ctx.peer_ind["code"].isin(codes) & ctx.peer_ind["bottom_quartile"]]
    s = s.merge(ctx.status[["code", "name", "unit"]], on="code", how="left")
    s = _ind_fields(ctx, s).assign(n_cities=s["n"], best_peer=s["best_peer"].map(ctx.names),
                                   severity=1 - s["percentile"])
    return _records(s, [*IND_FIELDS, "year", "rank", "n_cities", "peer_median", "best_peer",
                        "best_value", "gap_median"])


def district_inequality_above(ctx: Context, kind: str, codes: list[str], p: dict) -> list[dict]:
    """Inequality across kecamatan (``measure``, default gini) above ``threshold``."""
    m, t = p.get("measure", "gini"), float(p.get("threshold", 0.2))
    s = ctx.inequality[ctx.inequality["code"].isin(codes)]
    s = s[s[m] > t].merge(ctx.status[["code", "name", "unit"]], on="code", how="left")
    s = _ind_fields(ctx, s).assign(
        measure=m, inequality=s[m], threshold=t, severity=(s[m] / t - 1).clip(0, 1),
        n_districts=s["n"],
        worst_district=s["worst_unit"].map(ctx.names), best_district=s["best_unit"].map(ctx.names))
    return _records(s, ["code", "indicator", "unit", "year", "measure", "inequality",
                        "threshold", "worst_district", "best_district", "n_districts"])


def coverage_below(ctx: Context, kind: str, codes: list[str], p: dict) -> list[dict]:
    """Share of the scope's indicators with a value this year below ``threshold`` (0–1)."""
    s = ctx.status.set_index("code").reindex(codes)
    have = s["value"].notna()
    cov, t = float(have.mean()) if len(s) else 0.0, float(p.get("threshold", 0.75))
    if cov >= t or not len(codes):
        return []
    missing = ", ".join(s.loc[~have, "name"].astype(str))
    return [{"coverage": round(cov * 100, 1), "threshold": t * 100, "missing": missing,
             "n_missing": int((~have).sum()), "year": ctx.year, "severity": 1 - cov}]


def _element(ctx: Context, kind: str, codes: list[str]) -> list[str]:
    return [INDEX_CODE] if kind == "index" else codes


def score_bottom_quartile(ctx: Context, kind: str, codes: list[str], p: dict) -> list[dict]:
    """The scope element's own score (dimension/index) in the peers' bottom quartile."""
    s = ctx.peer_agg[ctx.peer_agg["code"].isin(_element(ctx, kind, codes))
                     & ctx.peer_agg["bottom_quartile"]]
    s = s.assign(score=s["value"], n_cities=s["n"], best_peer=s["best_peer"].map(ctx.names),
                 severity=1 - s["percentile"])
    return _records(s, ["code", "year", "score", "rank", "n_cities", "best_peer"])


def score_worsening(ctx: Context, kind: str, codes: list[str], p: dict) -> list[dict]:
    """The scope element's own score has a significant worsening trend."""
    s = ctx.elements[ctx.elements["code"].isin(_element(ctx, kind, codes))]
    s = s[(s["verdict"] == "worsening") & s["significant"].fillna(False).astype(bool)]
    s = s.assign(year=ctx.year, severity=1 - s["p_value"])
    return _records(s, ["code", "year", "score", "slope", "p_value"])


Condition = Callable[[Context, str, list[str], dict], list[dict]]
CONDITIONS: dict[str, Condition] = {
    "below_target": below_target, "off_track": off_track,
    "significant_worsening": significant_worsening, "value_worse_than": value_worse_than,
    "bottom_quartile_peers": bottom_quartile_peers,
    "district_inequality_above": district_inequality_above, "coverage_below": coverage_below,
    "score_bottom_quartile": score_bottom_quartile, "score_worsening": score_worsening,
}
"""Registry of conditions by name (the ``condition`` key of a rule)."""
CONDITION_FIELDS: dict[str, set[str]] = {
    "below_target": IND_FIELDS | {"target", "achievement"},
    "off_track": IND_FIELDS | {"final_target", "target_year", "projected",
                               "projected_achievement", "status"},
    "significant_worsening": IND_FIELDS | {"first_year", "slope", "p_value"},
    "value_worse_than": IND_FIELDS | {"threshold"},
    "bottom_quartile_peers": IND_FIELDS | {"rank", "n_cities", "peer_median", "best_peer",
                                           "best_value", "gap_median"},
    "district_inequality_above": {"code", "indicator", "unit", "measure", "inequality",
                                  "threshold", "worst_district", "best_district", "n_districts"},
    "coverage_below": {"coverage", "threshold", "missing", "n_missing"},
    "score_bottom_quartile": {"code", "score", "rank", "n_cities", "best_peer"},
    "score_worsening": {"code", "score", "slope", "p_value"},
}
"""Template placeholders each condition provides (besides COMMON_FIELDS)."""


def build_context(results: Results, *, year: int, lang: str, city: str, meta: pd.DataFrame,
                  settings: AnalysisSettings) -> Context:
    """Compute every frame the conditions read, once (``meta``: localised_meta in ``lang``)."""
    iv, dirs = results.indicator_values, dict(zip(meta["code"], meta["direction"], strict=True))
    st = target_status(iv, results.targets, meta, year=year, units=[city], settings=settings)
    st = meta.rename(columns={"name_id" if lang == "id" else "name_en": "name"})[
        ["code", "name", "unit", "direction", "dimension"]].merge(
        st.drop(columns=["unit"]), on="code", how="left")  # st's unit: the kode_wilayah
    elements = pd.concat([score_block(results, city, year, lvl, settings) for lvl in (2, 3, 4)])
    others = peer_units(results)
    peer_ind = peers.peer_stats(iv, city=city, peers=others, directions=dirs, year=year)
    sc = results.scores
    sc = sc[(sc["comparison"] == "cities") & (sc["level"] >= 2)].rename(columns={"score": "value"})
    peer_agg = peers.peer_stats(sc, city=city, peers=others, year=year)
    dv = districts.district_values(iv, results.regions, city=city, year=year)
    ineq = districts.inequality(dv, dirs)
    names = {u: results.unit_name(u) for u in set(results.regions.get("unit", []))}
    return Context(year=year, city=city, lang=lang, meta=meta, status=st, elements=elements,
                   peer_ind=peer_ind, peer_agg=peer_agg, inequality=ineq, names=names)
