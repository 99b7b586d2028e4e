"""The scorecard view-model: everything the app and the PDF report show, computed once.

Neither the app nor the report computes anything; they call :func:`scorecard` and the table
helpers below, which return tidy frames ready to chart.  Headline scores come from
``results.scores`` (``comparison='cities'`` for the city and its peers, ``'kecamatan'`` for
districts); indicator values, targets and trends from ``results.indicator_values`` and
``results.targets``; every status (grade, compliance, position, trend, headline) from
:mod:`smartindex.analysis.status`.  Grades, tones and headlines are keys and numbers; the
faces translate them (``smartindex.display.status``).  Names and measure area_codes come from the
catalogue in ``lang``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from smartindex.analysis import districts, peers, status
from smartindex.analysis.standards import NO_GRADE
from smartindex.analysis.targets import band_legend
from smartindex.analysis.trends import (
    DEFAULT_SETTINGS,
    AnalysisSettings,
    indicator_meta,
    trend_table,
    year_on_year,
)
from smartindex.config import check_lang
from smartindex.indicators.access import kecamatan_areas
from smartindex.indicators.catalogue import Catalogue
from smartindex.scoring.results import INDEX_CODE, Results

NOTE_KEY = "status.note"
"""Locale key of the note printed under every grade (the scale, its source, the standards)."""
N_SHOWN = 3
"""Strengths and needs-attention rows a scorecard carries for summaries (the full ranked
lists are ``Scorecard.attention`` and ``status.strengths`` of ``Scorecard.indicators``)."""


@dataclass(frozen=True)
class Scorecard:
    """One area's scorecard for one year (frames are tidy; records are plain dicts).

    ``band`` columns hold grade keys (``sangat_tinggi`` … ``sangat_rendah``; None = no target);
    ``bands`` is the grade scale (``key, lower, upper``); ``band_note`` is a locale key.
    """

    area_code: str
    area_name: str
    year: int
    lang: str
    comparison: str
    overall: dict[str, object]
    dimensions: pd.DataFrame
    indicators: pd.DataFrame
    strengths: pd.DataFrame
    risks: pd.DataFrame
    bands: pd.DataFrame
    band_note: str
    attention: pd.DataFrame = field(default_factory=pd.DataFrame)
    settings: AnalysisSettings = field(default=DEFAULT_SETTINGS)


def _unit_pairs(catalogue: Catalogue | pd.DataFrame) -> pd.DataFrame:
    """``code, unit_id, unit_en`` of a catalogue or frame; a single ``unit`` serves both."""
    if isinstance(catalogue, pd.DataFrame):
        f = catalogue
    else:
        f = pd.DataFrame(
            [
                {c: getattr(i, c, None) for c in ("code", "unit", "unit_id", "unit_en")}
                for i in catalogue.indicators
            ]
        )
    en = f["unit_en"].fillna(f["unit"]) if "unit_en" in f else f["unit"]
    uid = f["unit_id"].fillna(en) if "unit_id" in f else en
    return pd.DataFrame({"code": f["code"], "unit_id": uid, "unit_en": en})


def localised_meta(catalogue: Catalogue | pd.DataFrame, lang: str = "id") -> pd.DataFrame:
    """:func:`indicator_meta` plus ``unit_id``, ``unit_en``; ``unit`` = the unit in ``lang``
    (the measure unit printed after a value, not an area)."""
    meta = indicator_meta(catalogue).drop(columns=["unit"])
    meta = meta.merge(_unit_pairs(catalogue), on="code", how="left")
    return meta.assign(unit=meta[f"unit_{check_lang(lang)}"])


def comparison_of(results: Results, area_code: str) -> str:
    """'cities' for the home city and peers, 'kecamatan' for the home city's districts."""
    return status.comparison_group(results, area_code)[0]


def peer_areas(results: Results) -> list[str]:
    """Peer city codes (regions: kota, not home city; else other area_codes scored as cities)."""
    r = results.regions
    if len(r):
        return sorted(r.loc[(r["level"] == "kota") & ~r["is_home_city"].astype(bool), "area_code"])
    s = results.scores
    return sorted(set(s.loc[s["comparison"] == "cities", "area_code"]) - {results.city})


def _scores(results: Results, comparison: str, level: int) -> pd.DataFrame:
    s = results.scores
    if s.empty:
        return pd.DataFrame(columns=["area_code", "year", "code", "score", "rank", "coverage"])
    return s[(s["comparison"] == comparison) & (s["level"] == level)]


def score_block(
    results: Results,
    area_code: str,
    year: int,
    level: int,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
) -> pd.DataFrame:
    """Score, rank, n compared, coverage and score trend per element of one level (once per
    results, area, year, level and settings: the scorecard and the recommendations share it)."""
    key = ("score_block", area_code, year, level, settings)
    return results.memoised(key, lambda: _score_block(results, area_code, year, level, settings))


def _score_block(
    results: Results, area_code: str, year: int, level: int, settings: AnalysisSettings
) -> pd.DataFrame:
    comp = comparison_of(results, area_code)
    s = _scores(results, comp, level)
    now = s[s["year"] == year]
    n = now.groupby("code")["area_code"].nunique().rename("n_areas")
    own = now[now["area_code"] == area_code][["code", "score", "rank", "coverage"]].merge(
        n, left_on="code", right_index=True, how="left"
    )
    series = s[s["area_code"] == area_code][["area_code", "year", "code", "score"]].rename(
        columns={"score": "value"}
    )
    tr = trend_table(series, settings=settings, until=year)
    cols = ["code", "slope", "p_value", "verdict", "arrow", "significant"]
    return own.merge(tr[cols], on="code", how="left")


def indicator_rows(
    results: Results,
    *,
    year: int,
    area_code: str,
    lang: str,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
) -> pd.DataFrame:
    """Per-indicator rows of an area: value, target, achievement, grade (``band``), legal
    standard and compliance, position, trend, sparkline, name and measure unit in ``lang``
    (once per results, year, area, language and settings: the scorecard and the
    recommendations share them)."""
    key = ("indicator_rows", year, area_code, lang, settings)
    return results.memoised(key, lambda: _indicator_rows(results, year, area_code, lang, settings))


def _indicator_rows(
    results: Results, year: int, area_code: str, lang: str, settings: AnalysisSettings
) -> pd.DataFrame:
    rows = status.indicator_status(results, year=year, area_code=area_code, settings=settings)
    meta = localised_meta(results.catalogue, lang)[["code", "unit"]]
    rows = rows.drop(columns=["area_code"]).merge(meta, on="code", how="left")
    iv = results.indicator_values
    own = iv[iv["area_code"] == area_code]
    extra = [c for c in ("is_reported", "sources", "coverage") if c in own.columns]
    rows = rows.merge(own[own["year"] == year][["code", *extra]], on="code", how="left")
    spark = own[own["year"] <= year].sort_values("year").groupby("code")["value"].agg(list)
    rows["sparkline"] = rows["code"].map(spark).apply(lambda v: v if isinstance(v, list) else [])
    lvl1 = _scores(results, comparison_of(results, area_code), 1)
    lvl1 = lvl1[(lvl1["year"] == year) & (lvl1["area_code"] == area_code)].set_index("code")
    rows["normalised_score"] = rows["code"].map(lvl1["score"]) if len(lvl1) else np.nan
    rows["name"] = [results.catalogue.name(c, lang) for c in rows["code"]]
    rows["band"] = [g if g != NO_GRADE else None for g in rows["grade"]]
    reported = rows["is_reported"] if "is_reported" in rows else rows["value"].notna()
    rows["is_reported"] = reported.fillna(False).astype(bool)
    return rows.assign(year=year).reset_index(drop=True)


def scorecard(
    results: Results,
    *,
    year: int,
    area_code: str | None = None,
    lang: str = "id",
    settings: AnalysisSettings = DEFAULT_SETTINGS,
) -> Scorecard:
    """Build the scorecard of ``area_code`` (default: the home city) for ``year`` (once per
    results, year, area, language and settings; callers get a copy)."""
    area = area_code or results.city
    key = ("scorecard", year, area, lang, settings)
    return results.memoised(key, lambda: _scorecard(results, year, area, lang, settings))


def _scorecard(
    results: Results, year: int, area_code: str, lang: str, settings: AnalysisSettings
) -> Scorecard:
    rows = indicator_rows(results, year=year, area_code=area_code, lang=lang, settings=settings)
    group = comparison_of(results, area_code)
    order = [d.key for d in results.catalogue.dimensions] or list(rows["dimension"])
    dims = status.dimension_status(
        rows, score_block(results, area_code, year, 3, settings), group=group, order=order
    )
    dims["name"] = [results.catalogue.name(c, lang) for c in dims["code"]]
    idx = score_block(results, area_code, year, 4, settings)
    block = idx.iloc[0].to_dict() if len(idx) else {"code": INDEX_CODE}
    overall = status.overall_status(dims, block, group=group)
    attention = status.needs_attention(rows)
    return Scorecard(
        area_code=area_code,
        area_name=results.area_name(area_code),
        year=year,
        lang=lang,
        comparison=group,
        overall=overall,
        dimensions=dims,
        indicators=rows,
        strengths=status.strengths(rows).head(N_SHOWN),
        risks=attention.head(N_SHOWN),
        bands=band_legend(settings),
        band_note=NOTE_KEY,
        attention=attention,
        settings=settings,
    )


@dataclass(frozen=True)
class Headline:
    """The first screen's numbers for ``area_code`` in ``year``: the index, its change and rank
    change since the previous year with data, the Monte Carlo rank interval (5-95 %) and the
    share of the index resting on synthetic (sample) data."""

    area_code: str
    year: int
    previous_year: int | None
    score: float
    change: float
    rank: float
    rank_change: float
    rank_low: float
    rank_high: float
    n_areas: int
    synthetic_share: float


def _one(frame: pd.DataFrame, column: str) -> float:
    return float(frame[column].iloc[0]) if len(frame) and column in frame else float("nan")


def headline(results: Results, *, area_code: str, year: int, code: str = INDEX_CODE) -> Headline:
    """The index of ``area_code`` in ``year`` with its change since the previous year (NaN in the
    first year), rank change (positive = moved up) and rank interval. It lives here, not in
    ``smartindex.analysis.change`` (which re-exports it), so the first screen does not import
    the change decomposition's engine and scipy."""
    level = results.regions.loc[results.regions["area_code"] == area_code, "level"]
    comparison = "kecamatan" if len(level) and level.iloc[0] == "kecamatan" else "cities"
    s = results.scores
    s = s[(s["comparison"] == comparison) & (s["code"] == code)]
    mine = s[(s["area_code"] == area_code) & s["score"].notna()]
    earlier = sorted(int(y) for y in mine["year"] if int(y) < year)
    now = mine[mine["year"] == year]
    before = mine[mine["year"] == earlier[-1]] if earlier else mine.iloc[:0]
    unc = results.uncertainty
    band = (
        unc[
            (unc["comparison"] == comparison)
            & (unc["area_code"] == area_code)
            & (unc["year"] == year)
        ]
        if len(unc)
        else unc
    )
    return Headline(
        area_code,
        year,
        earlier[-1] if earlier else None,
        _one(now, "score"),
        _one(now, "score") - _one(before, "score"),
        _one(now, "rank"),
        _one(before, "rank") - _one(now, "rank"),
        _one(band, "q05"),
        _one(band, "q95"),
        int(s.loc[s["year"] == year, "rank"].notna().sum()),
        _one(now, "synthetic_share"),
    )


# --- tables for charts -------------------------------------------------------------------


def catalogue_table(results: Results, *, lang: str = "id") -> pd.DataFrame:
    """The catalogue in plain words, in ``lang``: code, name, dimension, factor, unit,
    direction, weight (also ``smartindex.analysis.whatif.catalogue_table``)."""
    cat = results.catalogue
    names = element_names(results, lang=lang)
    rows = [
        {
            "code": i.code,
            "name": cat.name(i.code, lang),
            "dimension": cat.name(i.dimension, lang),
            "factor": names.get(i.factor, i.factor),
            "unit": i.unit_label(lang),
            "direction": "↑" if int(i.direction) > 0 else "↓",
            "weight": i.weight,
        }
        for i in cat.indicators
    ]
    return pd.DataFrame(rows)


def element_names(results: Results, *, lang: str = "id") -> dict[str, str]:
    """Display name of every framework element (index, dimensions, factors, indicators)."""
    cat = results.catalogue
    return {code: cat.name(code, lang) for code in cat.to_framework_frame()["code"]}


def district_table(results: Results, *, year: int, code: str | None = None) -> pd.DataFrame:
    """Districts: with ``code`` the indicator's kecamatan values (direction-aware rank, 1 =
    best); without, the kecamatan index and dimension scores (comparison='kecamatan')."""
    kec = kecamatan_areas(results.regions, results.city)
    elements = {INDEX_CODE, *(d.key for d in results.catalogue.dimensions)}
    if code is not None and code not in elements:
        meta = indicator_meta(results.catalogue).set_index("code")
        d = int(meta["direction"].get(code, 1))
        out = districts.district_values(
            results.indicator_values, results.regions, city=results.city, year=year, code=code
        )
        out["rank"] = (out["value"] * d).rank(ascending=False, method="min")
        return out.sort_values(["rank", "area_code"]).reset_index(drop=True)
    s = results.scores
    s = s[(s["comparison"] == "kecamatan") & (s["year"] == year) & (s["level"] >= 3)]
    if code is not None:
        s = s[s["code"] == code]
    out = s[["area_code", "year", "code", "level", "score", "rank", "coverage"]].merge(
        kec, on="area_code", how="left"
    )
    return out.sort_values(
        ["level", "code", "rank", "area_code"], ascending=[False, True, True, True]
    ).reset_index(drop=True)


def inequality_table(
    results: Results, *, year: int, settings: AnalysisSettings = DEFAULT_SETTINGS
) -> pd.DataFrame:
    """Inequality across the kecamatan per indicator (with the Gini trend up to ``year``)
    and per dimension (``level`` column: indicator / dimension)."""
    meta = indicator_meta(results.catalogue)
    dirs = dict(zip(meta["code"], meta["direction"], strict=True))
    vals = districts.district_values(results.indicator_values, results.regions, city=results.city)
    vals = vals[vals["year"] <= year]
    ind = districts.inequality(vals, dirs)
    trend = districts.inequality_trend(ind, settings=settings)
    dim = districts.dimension_inequality(ind, meta, _scores(results, "kecamatan", 3))
    cur = ind[ind["year"] == year].merge(
        trend[["code", "slope", "verdict", "significant"]].rename(
            columns={"slope": "gini_slope", "verdict": "gini_verdict"}
        ),
        on="code",
        how="left",
    )
    cur = cur.merge(meta[["code", "dimension", "name_id", "name_en"]], on="code", how="left")
    dim = (
        dim[dim["year"] == year]
        .rename(columns={"dimension": "code"})
        .assign(dimension=lambda f: f["code"])
    )
    return pd.concat(
        [cur.assign(level="indicator"), dim.assign(level="dimension")], ignore_index=True
    )


def peer_table(results: Results, *, year: int) -> pd.DataFrame:
    """The city among its peers per indicator (raw values) and per dimension and index
    (scores, comparison='cities'); ``level`` says which.  Positive gaps = city better."""
    meta = localised_meta(results.catalogue, "en")
    dirs = dict(zip(meta["code"], meta["direction"], strict=True))
    others = peer_areas(results)
    ind = peers.peer_stats(
        results.indicator_values, city=results.city, peers=others, directions=dirs, year=year
    )
    cols = ["code", "dimension", "name_id", "name_en", "unit", "unit_id", "unit_en"]
    ind = ind.merge(meta[cols], on="code", how="left").assign(level="indicator")
    sc = results.scores
    sc = sc[(sc["comparison"] == "cities") & (sc["level"] >= 3)].rename(columns={"score": "value"})
    agg = peers.peer_stats(sc, city=results.city, peers=others, year=year)
    agg = agg.assign(
        level=np.where(agg["code"] == INDEX_CODE, "index", "dimension"), dimension=agg["code"]
    )
    return pd.concat([agg, ind], ignore_index=True)


def closest_peers(results: Results, *, year: int) -> pd.DataFrame:
    """Peers by profile distance over normalised dimension scores (nearest first)."""
    return peers.closest_peer(_scores(results, "cities", 3), city=results.city, year=year)


def trend_series(results: Results, *, code: str, area_code: str | None = None) -> pd.DataFrame:
    """Chart-ready series ``year, value, target, change, pct_change, kind`` of an indicator
    (raw values) or a dimension/index score (kind = 'score')."""
    area_code = area_code or results.city
    iv = results.indicator_values
    if code in set(iv["code"]):
        data, kind = iv[(iv["area_code"] == area_code) & (iv["code"] == code)], "value"
    else:
        s = results.scores
        data = s[
            (s["comparison"] == comparison_of(results, area_code))
            & (s["area_code"] == area_code)
            & (s["code"] == code)
        ].rename(columns={"score": "value"})
        kind = "score"
    out = trend_long(data[["area_code", "year", "code", "value"]])
    t = results.targets
    tg = (
        t[(t["area_code"] == area_code) & (t["code"] == code)][["year", "target"]]
        if len(t)
        else None
    )
    out = out.merge(tg, on="year", how="outer") if tg is not None else out.assign(target=np.nan)
    return (
        out.assign(kind=kind, code=code, area_code=area_code)
        .sort_values("year")
        .reset_index(drop=True)
    )


def trend_long(data: pd.DataFrame) -> pd.DataFrame:
    """``year, value, change, pct_change`` of one series."""
    return year_on_year(data)[["year", "value", "change", "pct_change"]]
