"""The annual report's view model: preformatted strings, tables and charts per section.

Reads only the published view models (``scorecard``, ``district_table``, ``peer_table``,
``trend_series``, ``recommend`` …) and turns their numbers into language-formatted strings;
nothing is scored here. :func:`report_model` returns ``(model, charts)``: ``model`` is the
JSON the typst template reads, ``charts`` maps a file stem to an Altair chart.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pandas as pd

from smartindex.analysis.recommend import Recommendation
from smartindex.analysis.scorecard import (
    Scorecard,
    district_table,
    trend_series,
)
from smartindex.display import charts, narrative
from smartindex.display.i18n import month_name, t
from smartindex.display.i18n import verdict_name as _verdict
from smartindex.display.labels import dimension_label
from smartindex.display.numbers import (
    MISSING,
    format_field,
    format_measure,
    format_number,
    format_percent,
    format_value,
    is_missing,
)
from smartindex.indicators.catalogue import Catalogue
from smartindex.scoring.results import INDEX_CODE, Results

CHART_W, CHART_H = 300, 210
LABEL_KEYS = ("contents", "page", "summary", "wins", "risks", "priorities", "districts",
              "district_index", "inequality", "access", "peers", "recommendations",
              "annex_quality", "sources", "annex_method", "method_steps", "indicators",
              "uncertainty", "run_manifest", "cite", "source_list")
EXTRA_LABELS = {"evidence": "col.evidence", "agency": "col.agency",
                "manifest": "quality.manifest", "quarantine": "quality.quarantine",
                "coverage": "quality.coverage"}


# --- template helpers (shared with annex and places) -----------------------------------------


def breakable(text: object, every: int = 16) -> str:
    """Allow line breaks inside identifiers and hashes (zero-width space after ``_`` and
    ``/`` and every ``every`` characters of long unbroken runs) so cells never overflow."""
    out = re.sub(r"([_/])", "\\1\u200b", str(text))
    return re.sub(rf"([^\s\u200b]{{{every}}})(?=[^\s\u200b])", "\\1\u200b", out)


def table(header: list[str], rows: list[list[Any]], widths: list[float], align: str
          ) -> dict[str, Any]:
    """A template table: header, rows of cells, relative widths, one align letter per column."""
    return {"header": header, "rows": rows, "widths": widths, "align": align}


def band_key(word: object, card: Scorecard) -> str:
    """Template colour key ``b0`` (best) … ``b4`` of a band word; ``na`` when missing."""
    words = list(card.bands[f"label_{card.lang}"])
    return f"b{words.index(word)}" if word in words else "na"


def band_cell(word: object, card: Scorecard) -> dict[str, str]:
    """A status cell: the band word (never colour alone) on its band colour."""
    text = t("status.none", card.lang) if is_missing(word) else str(word)
    return {"t": text, "band": band_key(word, card)}


def trend_word(arrow: object, verdict: object, lang: str) -> str:
    """``↑ Membaik``-style trend cell."""
    if is_missing(verdict):
        return MISSING
    return f"{arrow if not is_missing(arrow) else ''} {_verdict(str(verdict), lang)}".strip()


# --- the model --------------------------------------------------------------------------------


def labels(lang: str) -> dict[str, str]:
    """Section titles and fixed words of the template."""
    out = {k: t(f"report.{k}", lang) for k in LABEL_KEYS}
    return out | {k: t(key, lang) for k, key in EXTRA_LABELS.items()}


def meta_section(results: Results, card: Scorecard) -> dict[str, Any]:
    """Cover and running header/footer."""
    lang, run = card.lang, str(results.manifest.get("run_id", MISSING))
    method = (results.manifest.get("method") or {}).get("name", MISSING)
    today = date.today()
    generated = t("report.date", lang, day=today.day, month=month_name(today.month, lang),
                  year=today.year)
    name = t("app.name", lang)
    return {
        "title": t("report.title", lang), "series": name, "author": name,
        "city": card.unit_name, "year": str(card.year), "subtitle": t("report.subtitle", lang),
        "footer": f"{name} · {t('report.run', lang)} {run[:12]}",
        "cover_pairs": [[t("col.year", lang), str(card.year)],
                        [t("report.run", lang), run],
                        [t("report.method", lang), str(method)],
                        [t("report.generated", lang), generated]],
    }


def _indicator_line(row: dict[str, Any], lang: str) -> str:
    value = format_measure(row["value"], row.get("unit"), lang, typeset=True)
    if is_missing(row.get("achievement")):
        return t("report.indicator_value", lang, name=row["name"], value=value)
    return t("report.indicator_line", lang, name=row["name"], value=value,
             achievement=format_percent(row["achievement"], lang, 0))


def summary_section(results: Results, card: Scorecard, recs: list[Recommendation]
                    ) -> dict[str, Any]:
    """One page: index, rank, six tiles, three wins, three risks, three recommendations."""
    lang, ov = card.lang, card.overall
    series = trend_series(results, code=INDEX_CODE)
    prev = series[(series["year"] < card.year) & series["value"].notna()]
    now = series[series["year"] == card.year]
    change = now["change"].iloc[0] if len(now) else None
    lead = narrative.index_sentences(
        lang, city=card.unit_name, year=card.year, index=ov.get("score"), rank=ov.get("rank"),
        n=ov.get("n_units"), change=change,
        prev_year=int(prev["year"].iloc[-1]) if len(prev) else None)
    dims = card.dimensions
    lead += narrative.dimensions_sentence(lang, dict(zip(dims["name"], dims["score"],
                                                         strict=True)))
    rank = (t("overview.rank", lang, rank=int(ov["rank"]), n=int(ov["n_units"]))
            if not is_missing(ov.get("rank")) and not is_missing(ov.get("n_units")) else "")
    return {
        "index_label": t("overview.index", lang), "index": format_number(ov.get("score"), lang, 1),
        "rank": rank, "lead": " ".join(lead),
        "tiles": [_tile(r, card) for r in dims.to_dict("records")],
        "tile_note": t("report.tile_note", lang) + " " + card.band_note,
        "wins": [_indicator_line(r, lang) for r in card.strengths.to_dict("records")],
        "risks": [_indicator_line(r, lang) for r in card.risks.to_dict("records")],
        "recs": [r.text for r in recs[:3]] or [t("recs.none", lang)],
    }


def _tile(row: dict[str, Any], card: Scorecard) -> dict[str, str]:
    word = t("status.none", card.lang) if is_missing(row["band"]) else str(row["band"])
    return {"name": row["name"], "score": format_number(row["score"], card.lang, 1),
            "band": band_key(row["band"], card), "band_word": word,
            "arrow": "" if is_missing(row.get("arrow")) else str(row["arrow"]),
            "trend_word": trend_word("", row.get("verdict"), card.lang)}


def _indicator_table(rows: pd.DataFrame, card: Scorecard) -> dict[str, Any]:
    lang = card.lang
    header = [t(k, lang) for k in ("level.indicator", "col.value", "col.measure_unit",
                                   "col.target", "col.achievement", "col.status", "col.trend")]
    body = [[r["name"], format_value(r["value"], lang), str(r["unit"] or ""), format_value(r["target"], lang),
             format_number(r["achievement"], lang, 1), band_cell(r["band"], card),
             trend_word(r["arrow"], r["verdict"], lang)]
            for r in rows.to_dict("records")]
    return table(header, body, [4.2, 1.2, 1.5, 1.2, 1.2, 1.5, 1.6], "lrlrrll")


def _dimension_text(card: Scorecard, dim: dict[str, Any], rows: pd.DataFrame,
                    first_year: int | None) -> list[str]:
    with_target = rows.dropna(subset=["achievement"])
    ok_pct = float(card.settings.bands[1][0])
    ranked = with_target.sort_values(["achievement", "code"])
    best = ranked.iloc[-1] if len(ranked) else None
    worst = ranked.iloc[0] if len(ranked) else None
    return narrative.dimension_sentences(
        card.lang, name=dim["name"], year=card.year, score=dim["score"], rank=dim.get("rank"),
        n=dim.get("n_units"), verdict=_verdict(str(dim.get("verdict")), card.lang)
        if not is_missing(dim.get("verdict")) else None, first_year=first_year,
        n_ok=int((with_target["achievement"] >= ok_pct).sum()), n_target=len(with_target),
        ok_pct=ok_pct, best=(best["name"], best["achievement"]) if best is not None else None,
        worst=(worst["name"], worst["achievement"], _verdict(str(worst["verdict"]), card.lang))
        if worst is not None else None, n_missing=int(rows["value"].isna().sum()))


def dimension_section(results: Results, card: Scorecard, dim: dict[str, Any],
                      figures: dict[str, Any]) -> dict[str, Any]:
    """Scorecard table, trend chart, kecamatan chart and narrative of one dimension."""
    lang, code = card.lang, dim["code"]
    rows = card.indicators[card.indicators["dimension"] == code]
    series = trend_series(results, code=code).dropna(subset=["value"])
    series = series[series["year"] <= card.year]
    first = int(series["year"].min()) if len(series) else None
    figures[f"trend-{code}"] = charts.trend_chart(
        series[["year", "value"]].assign(series=card.unit_name), lang,
        y_title=t("col.score", lang), width=CHART_W, height=CHART_H)
    kec = district_table(results, year=card.year, code=code)
    figures[f"districts-{code}"] = charts.ranked_bars(
        kec.assign(label=kec["name"], value=kec["score"]), lang,
        value_title=t("col.score", lang), width=CHART_W)
    span = {"first": first or card.year, "last": card.year}
    return {
        "title": dim["name"], "narrative": _dimension_text(card, dim, rows, first),
        "table": _indicator_table(rows, card), "table_note": t("report.table_note", lang),
        "trend_chart": f"charts/trend-{code}.svg",
        "trend_caption": t("report.trend_caption", lang, name=dim["name"], city=card.unit_name,
                           **span),
        "district_chart": f"charts/districts-{code}.svg",
        "district_caption": t("report.district_caption", lang, name=dim["name"],
                              year=card.year),
    }


PRIORITY_BANDS = {1: "b4", 2: "b3", 3: "b2"}


def _evidence_one(e: dict[str, Any], lang: str) -> str:
    if e.get("indicator") and "value" in e:
        text = f"{e['indicator']}: {format_measure(e['value'], e.get('unit'), lang)}"
        if not is_missing(e.get("target")):
            text += f" ({t('col.target', lang).lower()} {format_value(e['target'], lang)})"
        return text
    skip = {"severity", "indicator", "code"}
    return ", ".join(f"{k} {format_field(k, v, lang)}" for k, v in e.items() if k not in skip)


def _evidence(records: tuple[dict[str, Any], ...], lang: str) -> str:
    more = len(records) - 3
    text = "; ".join(_evidence_one(r, lang) for r in records[:3])
    return text + (f" (+{more})" if more > 0 else "")


def _rec_title(r: Recommendation, catalogue: Catalogue, lang: str) -> str:
    area = t(f"recs.area.{r.area}", lang)
    dims = dimension_label(catalogue, r.dimension, lang) if r.dimension else ""
    return f"{area} · {dims}" if dims else area


def recommendations_section(results: Results, card: Scorecard, recs: list[Recommendation]
                            ) -> dict[str, Any]:
    """Every recommendation with its evidence and responsible agency."""
    lang = card.lang
    items = [{"title": _rec_title(r, results.catalogue, lang),
              "priority": f"{t('col.priority', lang)} {r.priority}",
              "band": PRIORITY_BANDS.get(int(r.priority), "na"), "text": r.text,
              "evidence": _evidence(tuple(r.evidence), lang) or MISSING,
              "agency": ", ".join(r.agencies) or MISSING} for r in recs]
    return {"intro": t("report.recs_intro", lang, year=card.year), "items": items,
            "none": t("recs.none", lang)}
