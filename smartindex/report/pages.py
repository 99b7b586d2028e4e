"""Report pages added for a publishable annual report: the one-page scorecard, the kecamatan
map, the headline/annex split of the recommendations and the indicator fact sheets.

Numbers come from the status model's scorecard (:mod:`smartindex.analysis.scorecard`), the
published scores and uncertainty ranks; nothing is scored here.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from smartindex.analysis.change import explain_change
from smartindex.analysis.districts import district_map_values
from smartindex.analysis.scorecard import Scorecard
from smartindex.display import charts, maps
from smartindex.display.i18n import t
from smartindex.display.numbers import (
    MISSING,
    as_number,
    format_count,
    format_measure,
    format_number,
    format_percent,
    format_signed,
    is_missing,
)
from smartindex.display.status import RecView, band_range
from smartindex.errors import SmartIndexError
from smartindex.indicators.access import kecamatan_areas
from smartindex.report.linechart import line_chart
from smartindex.report.provenance import basis_word, source_line, source_note
from smartindex.report.sections import (
    band_cell,
    definition,
    graded_cells,
    rec_title,
    table,
    trend_word,
)
from smartindex.scoring.results import INDEX_CODE, Results

MAP_W, MAP_H = 380, 300
ATTENTION_SHOWN = 8
DIRECTION_KEYS = {True: "report.direction_up", False: "report.direction_down"}


# --- the scorecard page ------------------------------------------------------------------------


def _score_row(results: Results, code: str, year: int) -> dict[str, float | None]:
    s = results.scores
    hit = s[
        (s["comparison"] == "cities")
        & (s["area_code"] == results.city)
        & (s["code"] == code)
        & (s["year"] == year)
    ]
    if hit.empty:
        return {"score": None, "rank": None}
    row = hit.iloc[0]
    return {"score": as_number(row["score"]), "rank": as_number(row["rank"])}


def rank_interval(results: Results, year: int) -> tuple[float, float] | None:
    """The index rank's 5–95 % Monte Carlo interval of the home city in ``year``."""
    u = results.uncertainty
    if u.empty:
        return None
    hit = u[(u["comparison"] == "cities") & (u["area_code"] == results.city) & (u["year"] == year)]
    if hit.empty:
        return None
    return float(hit["q05"].iloc[0]), float(hit["q95"].iloc[0])


def _rank_change(now: float | None, before: float | None, lang: str) -> str:
    """Places gained (+, rank number fell) or lost (−)."""
    if now is None or before is None:
        return MISSING
    return format_signed(before - now, lang, 0)


def scorecard_rows(results: Results, card: Scorecard) -> list[dict[str, Any]]:
    """Index and dimensions: score and rank this year and last year (numbers, not text)."""
    prev = card.year - 1
    rows: list[dict[Any, Any]] = [
        {"code": INDEX_CODE, "name": t("level.index", card.lang), **card.overall}
    ]
    rows += card.dimensions.to_dict("records")
    out = []
    for r in rows:
        before = _score_row(results, str(r["code"]), prev)
        out.append(
            {
                "code": str(r["code"]),
                "name": str(r["name"]),
                "score": as_number(r.get("score")),
                "rank": as_number(r.get("rank")),
                "n_areas": as_number(r.get("n_areas")),
                "prev_score": before["score"],
                "prev_rank": before["rank"],
                "band": r.get("band"),
                "arrow": r.get("arrow"),
                "verdict": r.get("verdict"),
            }
        )
    return out


def _thresholds(card: Scorecard) -> dict[str, Any]:
    lang = card.lang
    rows = []
    for b in card.bands.to_dict("records"):
        rng = band_range(float(b["lower"]), float(b["upper"]), lang)
        rows.append([band_cell(b[f"label_{lang}"], card), rng])
    header = [t("col.status", lang), t("report.sc.threshold", lang)]
    return table(header, rows, [1.4, 1.6], "ll") | {
        "source": source_note("report.src.thresholds", lang)
    }


def _attention(results: Results, card: Scorecard) -> dict[str, Any]:
    lang = card.lang
    shown = card.attention.head(ATTENTION_SHOWN)
    cells, marks = graded_cells(shown, card)
    rows = [
        [
            str(r["name"]),
            format_measure(r["value"], r.get("unit"), lang, typeset=True),
            format_measure(r["target"], "", lang, typeset=True),
            format_percent(r["achievement"], lang, 0),
            cell,
            trend_word(r.get("arrow"), r.get("verdict"), lang),
        ]
        for r, cell in zip(shown.to_dict("records"), cells, strict=True)
    ]
    header = [
        t(k, lang)
        for k in (
            "level.indicator",
            "col.value",
            "col.target",
            "col.achievement",
            "col.status",
            "col.trend",
        )
    ]
    return table(header, rows, [4.0, 1.4, 1.0, 1.5, 1.5, 1.4], "lrrrll") | {"marks": marks}


def scorecard_section(results: Results, card: Scorecard) -> dict[str, Any]:
    """One page: index and dimensions this year vs last, rank and its change and interval,
    grades with their thresholds, and the needs-attention list."""
    lang, prev = card.lang, card.year - 1
    body = []
    for r in scorecard_rows(results, card):
        rank = (
            t(
                "col.rank_of",
                lang,
                rank=format_number(r["rank"], lang, 0),
                n=format_number(r["n_areas"], lang, 0),
            )
            if r["rank"] is not None and r["n_areas"] is not None
            else MISSING
        )
        change = (
            format_signed(r["score"] - r["prev_score"], lang)
            if r["score"] is not None and r["prev_score"] is not None
            else MISSING
        )
        body.append(
            [
                {"t": r["name"], "b": r["code"] == INDEX_CODE},
                format_number(r["prev_score"], lang, 1),
                {"t": format_number(r["score"], lang, 1), "b": True},
                change,
                format_number(r["prev_rank"], lang, 0),
                rank,
                _rank_change(r["rank"], r["prev_rank"], lang),
                band_cell(r["band"], card),
                trend_word(r["arrow"], r["verdict"], lang),
            ]
        )
    header = [
        t("col.dimension", lang),
        t("report.sc.score_year", lang, year=prev),
        t("report.sc.score_year", lang, year=card.year),
        t("report.sc.change", lang),
        t("report.sc.rank_year", lang, year=prev),
        t("report.sc.rank_year", lang, year=card.year),
        t("report.sc.rank_change", lang),
        t("col.status", lang),
        t("col.trend", lang),
    ]
    interval = rank_interval(results, card.year)
    rank_note = (
        t(
            "report.sc.interval_fixed"
            if interval and interval[0] == interval[1]
            else "report.sc.interval",
            lang,
            rank=format_number(card.overall.get("rank"), lang, 0),
            lo=format_number(interval[0], lang, 0),
            hi=format_number(interval[1], lang, 0),
        )
        if interval
        else ""
    )
    years = [y for y in (prev, card.year) if y in results.years]
    return {
        "intro": t("report.sc.intro", lang, year=card.year, prev=prev),
        "table": table(header, body, [2.5, 0.9, 0.9, 1.25, 1.1, 1.1, 0.9, 1.4, 1.5], "lrrrrrrll")
        | {"source": source_line(results, lang=lang, years=years, scores=True)},
        "rank_note": rank_note,
        "headline": str(card.overall.get("headline_text") or ""),
        "thresholds": _thresholds(card),
        "threshold_note": card.band_note,
        "attention": _attention(results, card)
        | {"source": source_line(results, lang=lang, years=[card.year], targets=True)},
        "attention_note": t(
            "report.sc.attention_note" if len(card.attention) else "report.sc.attention_none",
            lang,
            n=format_count(len(card.attention), lang),
            k=format_count(min(ATTENTION_SHOWN, len(card.attention)), lang),
        ),
    }


# --- why the index changed -------------------------------------------------------------------


CHANGE_SHOWN = 10


def change_section(
    results: Results, card: Scorecard, figures: dict[str, Any]
) -> dict[str, Any] | None:
    """The index change since last year split into indicator contributions that sum exactly
    (:func:`smartindex.analysis.change.explain_change`); None in the first year."""
    lang, prev = card.lang, card.year - 1
    if prev not in results.years:
        return None
    try:
        ch = explain_change(
            results, area_code=results.city, year_a=prev, year_b=card.year, lang=lang
        )
    except SmartIndexError:
        return None
    rows = ch.contributions.copy()
    rows["label"] = [
        str(n) if k == "value" else t("report.change.weight", lang, name=n)
        for n, k in zip(rows["name"], rows["kind"], strict=True)
    ]
    top = rows.head(CHANGE_SHOWN)
    rest = float(rows["contribution"].iloc[CHANGE_SHOWN:].sum())
    figures["change-index"] = charts.contribution_chart(  # the app's chart: ▲ blue, ▼ orange
        top[["label", "contribution"]], lang, value_title=t("report.change.points", lang), width=300
    )
    body = [
        [
            r["label"],
            format_number(r.get("normalised_a"), lang, 1),
            format_number(r.get("normalised_b"), lang, 1),
            format_number(100 * (as_number(r.get("weight_b")) or 0.0), lang, 1) + "%",
            {"t": format_signed(r["contribution"], lang, 2), "b": True},
        ]
        for r in top.to_dict("records")
    ]
    body.append(
        [
            t("report.change.rest", lang, n=len(rows) - len(top)),
            "",
            "",
            "",
            format_signed(rest, lang, 2),
        ]
    )
    body.append(
        [
            {"t": t("report.change.total", lang), "b": True},
            "",
            "",
            "",
            {"t": format_signed(float(rows["contribution"].sum()), lang, 2), "b": True},
        ]
    )
    header = [
        t("level.indicator", lang),
        t("report.sc.score_year", lang, year=prev),
        t("report.sc.score_year", lang, year=card.year),
        t("report.change.weight_col", lang),
        t("report.change.contribution", lang),
    ]
    src = source_line(results, lang=lang, years=[prev, card.year], scores=True)
    return {
        "intro": t(
            "report.change.intro",
            lang,
            prev=prev,
            year=card.year,
            a=format_number(ch.score_a, lang, 1),
            b=format_number(ch.score_b, lang, 1),
            change=format_signed(ch.change, lang, 1),
        ),
        "chart": "charts/change-index.svg",
        "caption": t("report.change.caption", lang, prev=prev, year=card.year, k=len(top)),
        "source": src,
        "table": table(header, body, [4.4, 1.1, 1.1, 1.1, 1.3], "lrrrr") | {"source": src},
    }


# --- the kecamatan map -------------------------------------------------------------------------


def district_map(results: Results, card: Scorecard, figures: dict[str, Any]) -> dict[str, Any]:
    """A choropleth of the kecamatan index (boundary polygons of ``Results.shapes``)."""
    lang = card.lang
    values = district_map_values(results, year=card.year, code=INDEX_CODE)
    figures["map-index"] = maps.district_map(
        results.shapes,
        values,
        lang=lang,
        measure=t("level.index", lang),
        width=MAP_W,
        height=MAP_H,
    )
    kec = list(values["area_code"])
    return {
        "chart": "charts/map-index.svg",
        "caption": t("report.map_caption", lang, year=card.year),
        "source": source_line(results, lang=lang, years=[card.year], area_codes=kec, scores=True),
        "scale_note": t(
            "report.district_scale", lang, city=card.area_name.removeprefix("Kota "), n=len(kec)
        ),
    }


# --- recommendations ---------------------------------------------------------------------------


def recommendation_annex(results: Results, recs: list[RecView], lang: str) -> dict[str, Any]:
    """The recommendations that are not headlines, as one table."""
    rest = [r for r in recs if not r.headline]
    rows = [
        [
            format_count(r.priority, lang),
            rec_title(r, results.catalogue, lang),
            r.text,
            r.target_text or MISSING,
            ", ".join(r.agencies) or MISSING,
        ]
        for r in rest
    ]
    header = [
        t("col.priority", lang),
        t("report.rec.area", lang),
        t("report.rec.action", lang),
        t("col.target", lang),
        t("col.agency", lang),
    ]
    return {
        "intro": t("report.rec.annex_intro", lang, n=format_count(len(rest), lang)),
        "table": table(header, rows, [0.9, 2, 5, 3.4, 1.4], "cllll")
        | {"source": t("report.rec.source", lang)},
    }


# --- indicator fact sheets ---------------------------------------------------------------------


def _span(years: list[int]) -> str:
    """``2016–2025``, a single ``2019``, or – without years."""
    if not years:
        return MISSING
    return str(years[0]) if years[0] == years[-1] else f"{years[0]}–{years[-1]}"


def _kecamatan_spread(results: Results, year: int) -> pd.DataFrame:
    """``code, area_code, name, value`` of the home city's kecamatan in ``year``."""
    kec = kecamatan_areas(results.regions, results.city)[["area_code", "name"]]
    iv = results.indicator_values
    own = iv[(iv["year"] == year) & iv["area_code"].isin(kec["area_code"]) & iv["value"].notna()]
    return own[["code", "area_code", "value"]].merge(kec, on="area_code")


def _spread(kec: pd.DataFrame, direction: int, lang: str, area_code: str) -> str:
    if kec.empty:
        return t("report.fact.no_spread", lang)
    ranked = kec.assign(_k=kec["value"] * direction).sort_values(
        ["_k", "area_code"], ascending=[False, True]
    )
    best, worst = ranked.iloc[0], ranked.iloc[-1]
    return t(
        "report.fact.spread",
        lang,
        n=format_count(len(kec), lang),
        best=best["name"],
        best_value=format_measure(best["value"], area_code, lang, typeset=True),
        worst=worst["name"],
        worst_value=format_measure(worst["value"], area_code, lang, typeset=True),
    )


def fact_sheet(
    results: Results,
    card: Scorecard,
    row: dict[Any, Any],
    frames: dict[str, pd.DataFrame],
    figures: dict[str, Any],
) -> dict[str, Any]:
    """Half a page on one indicator: definition, source, series with target path, spread."""
    lang, code = card.lang, str(row["code"])
    ind = results.catalogue.indicator(code)
    area_code = ind.unit_label(lang)
    own = frames["city"][frames["city"]["code"] == code]
    targets = frames["targets"][frames["targets"]["code"] == code][["year", "target"]]
    series = own[["year", "value"]].merge(targets, on="year", how="outer").sort_values("year")
    series = series[series["year"] <= card.year]
    valued = series.dropna(subset=["value"])
    years = [int(y) for y in valued["year"]]
    chart = None
    if len(valued) >= 2:
        figures[f"fact-{code}"] = line_chart(series, y_title=area_code)
        chart = f"charts/fact-{code}.svg"
    now = own[own["year"] == card.year]
    prov = now.iloc[0].to_dict() if len(now) else {}
    coverage = as_number(prov.get("coverage"))
    text = definition(ind, lang)
    target = (
        MISSING
        if is_missing(row.get("target"))
        else format_measure(row.get("target"), area_code, lang, typeset=True)
        + (
            " " + t("report.fact.target_synthetic", lang)
            if bool(row.get("target_synthetic"))
            else ""
        )
    )
    pairs = [
        [t("report.definition", lang), text],
        [
            t("col.measure_unit", lang),
            f"{area_code} · {t(DIRECTION_KEYS[ind.direction > 0], lang)}",
        ],
        [t("col.value", lang), format_measure(row.get("value"), area_code, lang, typeset=True)],
        [t("col.target", lang), target],
        [
            t("report.fact.spread_label", lang),
            _spread(frames["kec"][frames["kec"]["code"] == code], ind.direction, lang, area_code),
        ],
        [
            t("col.coverage", lang),
            t(
                "report.fact.coverage",
                lang,
                share=format_percent(100 * coverage, lang, 0) if coverage is not None else MISSING,
                n=format_count(len(years), lang),
                span=_span(years),
            ),
        ],
        [t("report.fact.basis", lang), basis_word(prov.get("official_share"), lang)],
    ]
    caption = (
        t("report.fact.caption", lang, first=years[0], last=years[-1])
        if len(years) >= 2
        else t("report.fact.one_year", lang)
    )
    return {
        "title": str(row["name"]),
        "code": code,
        "pairs": pairs,
        "chart": chart,
        "caption": caption,
        "source": source_line(
            results, lang=lang, codes=[code], years=years or [card.year], targets=True
        ),
    }


def fact_sheets(results: Results, card: Scorecard, figures: dict[str, Any]) -> list[dict[str, Any]]:
    """One fact sheet per indicator, in the chapters' dimension order."""
    iv = results.indicator_values
    tg = results.targets
    frames = {
        "city": iv[iv["area_code"] == results.city],
        "targets": tg[tg["area_code"] == results.city]
        if len(tg)
        else pd.DataFrame(columns=["code", "year", "target"]),
        "kec": _kecamatan_spread(results, card.year),
    }
    order = {d: i for i, d in enumerate(card.dimensions["code"])}
    rows = card.indicators.assign(_o=card.indicators["dimension"].map(order))
    rows = rows.sort_values(["_o", "code"]).drop(columns="_o")
    return [fact_sheet(results, card, r, frames, figures) for r in rows.to_dict("records")]
