"""The scorecard view-model: everything the app and the PDF report show, computed once.

Neither the app nor the report computes anything; they call :func:`scorecard` and the table
helpers below, which return tidy frames ready to chart.  Headline scores come from
``results.scores`` (``comparison='cities'`` for the city and its peers, ``'kecamatan'`` for
districts); indicator values, targets and trends from ``results.indicator_values`` and
``results.targets``.  Bands are smartindex's own (see :class:`AnalysisSettings`), not SPBE.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from smartindex import districts, peers
from smartindex.results import INDEX_CODE, Results
from smartindex.targets import band, band_legend, target_status
from smartindex.trends import (
    DEFAULT_SETTINGS,
    AnalysisSettings,
    indicator_meta,
    trend_table,
    year_on_year,
)

DIMENSION_NAMES = {
    "economy": ("Ekonomi Cerdas", "Smart Economy"), "people": ("Masyarakat Cerdas", "Smart People"),
    "governance": ("Tata Kelola Cerdas", "Smart Governance"),
    "mobility": ("Mobilitas Cerdas", "Smart Mobility"),
    "environment": ("Lingkungan Cerdas", "Smart Environment"),
    "living": ("Kehidupan Cerdas", "Smart Living"), INDEX_CODE: ("Indeks", "Index"),
}


@dataclass(frozen=True)
class Scorecard:
    """One unit's scorecard for one year (frames are tidy; records are plain dicts)."""

    unit: str
    unit_name: str
    year: int
    lang: str
    comparison: str
    overall: dict
    dimensions: pd.DataFrame
    indicators: pd.DataFrame
    strengths: pd.DataFrame
    risks: pd.DataFrame
    bands: pd.DataFrame
    band_note: str
    settings: AnalysisSettings = field(default=DEFAULT_SETTINGS)


BAND_NOTE = {"id": "Pita status adalah pita smartindex sendiri (capaian % terhadap target), "
                   "bukan indeks SPBE.",
             "en": "Status bands are smartindex's own (achievement % of target), "
                   "not the SPBE index."}


def dimension_name(code: str, lang: str = "id") -> str:
    """Display name of a dimension code (falls back to the code)."""
    names = DIMENSION_NAMES.get(code)
    return names[0 if lang == "id" else 1] if names else code


def _unit_pairs(catalogue: object) -> pd.DataFrame:
    """``code, unit_id, unit_en`` of a catalogue or frame; a single ``unit`` serves both."""
    if isinstance(catalogue, pd.DataFrame):
        f = catalogue
    else:
        items = catalogue.indicators  # type: ignore[attr-defined]
        items = list(items.values()) if isinstance(items, Mapping) else list(items)
        f = pd.DataFrame([{c: getattr(i, c, None) for c in ("code", "unit", "unit_id", "unit_en")}
                          for i in items])
    en = f["unit_en"].fillna(f["unit"]) if "unit_en" in f else f["unit"]
    uid = f["unit_id"].fillna(en) if "unit_id" in f else en
    return pd.DataFrame({"code": f["code"], "unit_id": uid, "unit_en": en})


def localised_meta(catalogue: object | None = None, lang: str = "id") -> pd.DataFrame:
    """:func:`indicator_meta` plus ``unit_id``, ``unit_en``; ``unit`` = the unit in ``lang``
    (the measure unit printed after a value, not a territorial unit)."""
    if catalogue is None:
        from smartindex.indicators import load_catalogue

        catalogue = load_catalogue()
    meta = indicator_meta(catalogue).drop(columns=["unit"])
    meta = meta.merge(_unit_pairs(catalogue), on="code", how="left")
    return meta.assign(unit=meta["unit_id" if lang == "id" else "unit_en"])


def comparison_of(results: Results, unit: str) -> str:
    """'cities' for the home city and peers, 'kecamatan' for the home city's districts."""
    kec = districts.kecamatan_units(results.regions, results.city)["unit"] if len(
        results.regions) else pd.Series(dtype=str)
    return "kecamatan" if unit in set(kec) else "cities"


def peer_units(results: Results) -> list[str]:
    """Peer city codes (regions: kota, not home city; else other units scored as cities)."""
    r = results.regions
    if len(r):
        return sorted(r.loc[(r["level"] == "kota") & ~r["is_home_city"].astype(bool), "unit"])
    s = results.scores
    return sorted(set(s.loc[s["comparison"] == "cities", "unit"]) - {results.city})


def _scores(results: Results, comparison: str, level: int) -> pd.DataFrame:
    s = results.scores
    if s.empty:
        return pd.DataFrame(columns=["unit", "year", "code", "score", "rank", "coverage"])
    return s[(s["comparison"] == comparison) & (s["level"] == level)]


def score_block(results: Results, unit: str, year: int, level: int,
                 settings: AnalysisSettings) -> pd.DataFrame:
    """Score, rank, n compared, coverage and score trend per element of one level."""
    comp = comparison_of(results, unit)
    s = _scores(results, comp, level)
    now = s[s["year"] == year]
    n = now.groupby("code")["unit"].nunique().rename("n_units")
    own = now[now["unit"] == unit][["code", "score", "rank", "coverage"]].merge(
        n, left_on="code", right_index=True, how="left")
    series = s[s["unit"] == unit][["unit", "year", "code", "score"]].rename(
        columns={"score": "value"})
    tr = trend_table(series, settings=settings, until=year)
    cols = ["code", "slope", "p_value", "verdict", "arrow", "significant"]
    return own.merge(tr[cols], on="code", how="left")


def indicator_rows(results: Results, *, year: int, unit: str, meta: pd.DataFrame, lang: str,
                   settings: AnalysisSettings) -> pd.DataFrame:
    """Per-indicator rows of a unit: value, target, achievement, band, trend, sparkline …"""
    iv = results.indicator_values
    own = iv[iv["unit"] == unit]
    st = target_status(own, results.targets, meta, year=year, units=[unit], settings=settings)
    rows = meta.merge(st.drop(columns=["unit", "year"]), on="code", how="left",
                      suffixes=("", "_st"))
    extra = [c for c in ("is_reported", "sources", "coverage") if c in own.columns]
    rows = rows.merge(own[own["year"] == year][["code", *extra]], on="code", how="left")
    spark = own[own["year"] <= year].sort_values("year").groupby("code")["value"].agg(list)
    rows["sparkline"] = rows["code"].map(spark).apply(lambda v: v if isinstance(v, list) else [])
    lvl1 = _scores(results, comparison_of(results, unit), 1)
    lvl1 = lvl1[(lvl1["year"] == year) & (lvl1["unit"] == unit)].set_index("code")
    rows["normalised_score"] = rows["code"].map(lvl1["score"]) if len(lvl1) else np.nan
    rows["name"] = rows["name_id" if lang == "id" else "name_en"]
    rows["band"] = rows["band_id" if lang == "id" else "band_en"]
    rows["is_reported"] = rows.get("is_reported", rows["value"].notna()).fillna(False)
    rows["year"] = year
    keep = ["code", "name", "dimension", "factor", "value", "unit", "direction", "target",
            "achievement", "band", "verdict", "arrow", "significant", "slope", "p_value",
            "projection_status", "target_year", "projected", "normalised_score", "sparkline",
            *[c for c in ("sources", "coverage") if c in rows.columns], "year", "is_reported"]
    return rows[keep].reset_index(drop=True)


def _merit(rows: pd.DataFrame) -> pd.Series:
    """Achievement % where a target exists, else the normalised score (NaN otherwise)."""
    return rows["achievement"].fillna(rows["normalised_score"])


def strengths_and_risks(rows: pd.DataFrame, n: int = 3) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Top ``n`` strengths and risks by achievement (or normalised score); significant
    worsening indicators rank first among the risks."""
    r = rows.assign(merit=_merit(rows))
    cols = ["code", "name", "dimension", "value", "unit", "year", "target", "achievement",
            "band", "verdict", "significant", "normalised_score", "merit"]
    strengths = r.dropna(subset=["merit"]).sort_values(["merit", "code"],
                                                       ascending=[False, True]).head(n)[cols]
    worse = (r["verdict"] == "worsening") & r["significant"].fillna(False).astype(bool)
    risks = r[worse | r["merit"].notna()].assign(_w=~worse)
    risks = risks.sort_values(["_w", "merit", "code"], na_position="last").head(n)[cols]
    return strengths.reset_index(drop=True), risks.reset_index(drop=True)


def _achievement_by_dimension(rows: pd.DataFrame) -> pd.Series:
    """Mean achievement % per dimension, each indicator capped at 100 (over-achievement on
    one indicator does not hide a shortfall on another)."""
    return rows.assign(a=rows["achievement"].clip(upper=100.0)).groupby("dimension")["a"].mean()


def scorecard(results: Results, *, year: int, unit: str | None = None, lang: str = "id",
              catalogue: object | None = None,
              settings: AnalysisSettings = DEFAULT_SETTINGS) -> Scorecard:
    """Build the scorecard of ``unit`` (default: the home city) for ``year``."""
    unit = unit or results.city
    meta = localised_meta(catalogue, lang)
    rows = indicator_rows(results, year=year, unit=unit, meta=meta, lang=lang, settings=settings)
    ach = _achievement_by_dimension(rows)
    dims = score_block(results, unit, year, 3, settings)
    dims = pd.DataFrame({"code": list(dict.fromkeys([*meta["dimension"]]))}).merge(
        dims, on="code", how="left")
    dims["name"] = dims["code"].map(lambda c: dimension_name(c, lang))
    dims["achievement"] = dims["code"].map(ach)
    dims["band"] = band(dims["achievement"], settings, lang)
    idx = score_block(results, unit, year, 4, settings)
    overall = idx.iloc[0].to_dict() if len(idx) else {"code": INDEX_CODE}
    overall["achievement"] = float(np.nanmean(dims["achievement"])) if dims[
        "achievement"].notna().any() else float("nan")
    overall["band"] = band(overall["achievement"], settings, lang)[0]
    strengths, risks = strengths_and_risks(rows)
    return Scorecard(unit=unit, unit_name=results.unit_name(unit), year=year, lang=lang,
                     comparison=comparison_of(results, unit), overall=overall, dimensions=dims,
                     indicators=rows, strengths=strengths, risks=risks,
                     bands=band_legend(settings), band_note=BAND_NOTE.get(lang, BAND_NOTE["en"]),
                     settings=settings)


# --- tables for charts -------------------------------------------------------------------


def district_table(results: Results, *, year: int, code: str | None = None,
                   catalogue: object | None = None) -> pd.DataFrame:
    """Districts: with ``code`` the indicator's kecamatan values (direction-aware rank, 1 =
    best); without, the kecamatan index and dimension scores (comparison='kecamatan')."""
    kec = districts.kecamatan_units(results.regions, results.city)
    if code is not None and code not in (INDEX_CODE, *DIMENSION_NAMES):
        meta = indicator_meta(catalogue).set_index("code")
        d = int(meta["direction"].get(code, 1))
        out = districts.district_values(results.indicator_values, results.regions,
                                        city=results.city, year=year, code=code)
        out["rank"] = (out["value"] * d).rank(ascending=False, method="min")
        return out.sort_values(["rank", "unit"]).reset_index(drop=True)
    s = results.scores
    s = s[(s["comparison"] == "kecamatan") & (s["year"] == year) & (s["level"] >= 3)]
    if code is not None:
        s = s[s["code"] == code]
    out = s[["unit", "year", "code", "level", "score", "rank", "coverage"]].merge(
        kec, on="unit", how="left")
    return out.sort_values(["level", "code", "rank", "unit"], ascending=[False, True, True,
                                                                          True]).reset_index(drop=True)


def inequality_table(results: Results, *, year: int, catalogue: object | None = None,
                     settings: AnalysisSettings = DEFAULT_SETTINGS) -> pd.DataFrame:
    """Inequality across the kecamatan per indicator (with the Gini trend up to ``year``)
    and per dimension (``level`` column: indicator / dimension)."""
    meta = indicator_meta(catalogue)
    dirs = dict(zip(meta["code"], meta["direction"], strict=True))
    vals = districts.district_values(results.indicator_values, results.regions,
                                     city=results.city)
    vals = vals[vals["year"] <= year]
    ind = districts.inequality(vals, dirs)
    trend = districts.inequality_trend(ind, settings=settings)
    dim = districts.dimension_inequality(ind, meta, _scores(results, "kecamatan", 3))
    cur = ind[ind["year"] == year].merge(
        trend[["code", "slope", "verdict", "significant"]].rename(
            columns={"slope": "gini_slope", "verdict": "gini_verdict"}), on="code", how="left")
    cur = cur.merge(meta[["code", "dimension", "name_id", "name_en"]], on="code", how="left")
    dim = dim[dim["year"] == year].rename(columns={"dimension": "code"}).assign(
        dimension=lambda f: f["code"])
    return pd.concat([cur.assign(level="indicator"), dim.assign(level="dimension")],
                     ignore_index=True)


def peer_table(results: Results, *, year: int, catalogue: object | None = None
               ) -> pd.DataFrame:
    """The city among its peers per indicator (raw values) and per dimension and index
    (scores, comparison='cities'); ``level`` says which.  Positive gaps = city better."""
    meta = localised_meta(catalogue, "en")
    dirs = dict(zip(meta["code"], meta["direction"], strict=True))
    others = peer_units(results)
    ind = peers.peer_stats(results.indicator_values, city=results.city, peers=others,
                           directions=dirs, year=year)
    cols = ["code", "dimension", "name_id", "name_en", "unit", "unit_id", "unit_en"]
    ind = ind.merge(meta[cols], on="code", how="left").assign(level="indicator")
    sc = results.scores
    sc = sc[(sc["comparison"] == "cities") & (sc["level"] >= 3)].rename(columns={"score": "value"})
    agg = peers.peer_stats(sc, city=results.city, peers=others, year=year)
    agg = agg.assign(level=np.where(agg["code"] == INDEX_CODE, "index", "dimension"),
                     dimension=agg["code"])
    return pd.concat([agg, ind], ignore_index=True)


def closest_peers(results: Results, *, year: int) -> pd.DataFrame:
    """Peers by profile distance over normalised dimension scores (nearest first)."""
    return peers.closest_peer(_scores(results, "cities", 3), city=results.city, year=year)


def trend_series(results: Results, *, code: str, unit: str | None = None) -> pd.DataFrame:
    """Chart-ready series ``year, value, target, change, pct_change, kind`` of an indicator
    (raw values) or a dimension/index score (kind = 'score')."""
    unit = unit or results.city
    iv = results.indicator_values
    if code in set(iv["code"]):
        data, kind = iv[(iv["unit"] == unit) & (iv["code"] == code)], "value"
    else:
        s = results.scores
        data = s[(s["comparison"] == comparison_of(results, unit)) & (s["unit"] == unit)
                 & (s["code"] == code)].rename(columns={"score": "value"})
        kind = "score"
    out = trend_long(data[["unit", "year", "code", "value"]])
    t = results.targets
    tg = t[(t["unit"] == unit) & (t["code"] == code)][["year", "target"]] if len(t) else None
    out = out.merge(tg, on="year", how="outer") if tg is not None else out.assign(target=np.nan)
    return out.assign(kind=kind, code=code, unit=unit).sort_values("year").reset_index(drop=True)


def trend_long(data: pd.DataFrame) -> pd.DataFrame:
    """``year, value, change, pct_change`` of one series."""
    return year_on_year(data)[["year", "value", "change", "pct_change"]]
