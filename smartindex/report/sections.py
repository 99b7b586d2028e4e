"""The annual report's view model: preformatted strings, tables and charts per section.

Reads only the published view models (``scorecard``, ``district_table``, ``peer_table``,
``trend_series``, ``recommend`` …) and turns their numbers into language-formatted strings;
nothing is scored here. :func:`report_model` returns ``(model, charts)``: ``model`` is the
JSON the typst template reads, ``charts`` maps a file stem to an Altair chart.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from datetime import date
from typing import Any

import pandas as pd

from smartindex.analysis.scorecard import (
    Scorecard,
    district_table,
    trend_series,
)
from smartindex.display import charts, narrative
from smartindex.display.i18n import month_name, rank_text, t
from smartindex.display.i18n import verdict_name as _verdict
from smartindex.display.labels import dimension_label
from smartindex.display.numbers import (
    MISSING,
    format_measure,
    format_number,
    format_percent,
    format_value,
    is_missing,
)
from smartindex.display.status import RecView
from smartindex.indicators.catalogue import Catalogue
from smartindex.report.linechart import line_chart
from smartindex.report.provenance import source_line
from smartindex.scoring.results import INDEX_CODE, Results

Row = dict[Hashable, Any]  # one record of a frame (``frame.to_dict("records")``)
CHART_W, CHART_H = 300, 210
DISTRICT_W = 170
LABEL_KEYS = (
    "contents",
    "page",
    "summary",
    "wins",
    "risks",
    "priorities",
    "districts",
    "district_index",
    "inequality",
    "access",
    "peers",
    "recommendations",
    "annex_quality",
    "sources",
    "annex_method",
    "method_steps",
    "indicators",
    "uncertainty",
    "run_manifest",
    "cite",
    "source_list",
    "scorecard",
    "scorecard_table",
    "thresholds",
    "attention",
    "dimensions",
    "table",
    "figure",
    "basis_title",
    "facts",
    "facts_intro",
    "recs_annex",
    "sensitivity",
    "change",
)
EXTRA_LABELS = {
    "evidence": "col.evidence",
    "target": "col.target",
    "agency": "col.agency",
    "manifest": "quality.manifest",
    "quarantine": "quality.quarantine",
    "coverage": "quality.coverage",
}


# --- template helpers (shared with annex and places) -----------------------------------------

TEXT_LANG = "en"
"""The language of the catalogue's ``description`` and the method spec's ``description``;
another edition prints them only from a ``description_<lang>`` field, else says where the full
text is (never an English paragraph in the Indonesian report)."""


def standard_text(text: str, lang: str) -> str:
    """A standard's citation; in an edition other than ``TEXT_LANG`` without the explanatory
    parentheses and glosses, which the catalogue writes in English."""
    if lang == TEXT_LANG:
        return text
    bare = re.sub(r"\s*\([^()]*\)", "", text)
    parts = [part.split(": ")[0].strip() for part in bare.split("; ")]
    return "; ".join(p for i, p in enumerate(parts) if i == 0 or p[:1].isupper())


def definition(indicator: Any, lang: str) -> str:
    """The indicator's definition in ``lang`` (``description_<lang>``, else the catalogue text
    when it is in ``lang``, else a pointer to the catalogue entry)."""
    own = str(getattr(indicator, f"description_{lang}", "") or "")
    if own:
        return own
    if lang == TEXT_LANG and indicator.description:
        return str(indicator.description)
    return t("report.definition_pending", lang, code=indicator.code)


NBSP = "\u00a0"
_TYPESET = (
    (re.compile(r"(?<=\d) (?=\d{3}(?!\d))"), NBSP),  # 1 000: never broken across lines
    (re.compile(r"(?<=\S) ?>= ?(?=\S)"), " ≥ "),
    (re.compile(r"(?<=\S) ?<= ?(?=\S)"), " ≤ "),
    (re.compile(r"(?<=\b(?:19|20)\d\d)-(?=(?:19|20)\d\d\b)"), "–"),  # 2019–2023
    (re.compile(r"(?<=\d) ?%(?= )"), "%"),
    (re.compile(r"(?<=per) (?=\d)"), NBSP),  # "per 1 000" stays on one line
)


def typeset_text(text: str) -> str:
    """Typographic fixes of a visible string: no-break thousands, ≥ ≤, year ranges with –."""
    for pattern, repl in _TYPESET:
        text = pattern.sub(repl, text)
    return text


def typeset(value: Any) -> Any:
    """:func:`typeset_text` applied to every string of the template model (paths untouched)."""
    if isinstance(value, str):
        return value if value.startswith("charts/") else typeset_text(value)
    if isinstance(value, dict):
        return {k: typeset(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [typeset(v) for v in value]
    return value


def breakable(text: object, every: int = 16) -> str:
    """Allow line breaks inside identifiers and hashes (zero-width space after ``_`` and
    ``/`` and every ``every`` characters of long unbroken runs) so cells never overflow."""
    out = re.sub(r"([_/])", "\\1\u200b", str(text))
    return re.sub(rf"([^\s\u200b]{{{every}}})(?=[^\s\u200b])", "\\1\u200b", out)


def table(
    header: list[str], rows: list[list[Any]], widths: list[float], align: str
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


BASIS_MARK = "†"


def graded_cells(rows: pd.DataFrame, card: Scorecard) -> tuple[list[dict[str, str]], str]:
    """Status cells of indicator rows, those graded against a legal standard marked ``†``,
    and the line naming those standards (empty when none): a value can meet its target and
    still be graded low because it breaches the law (PM2.5 at target 25 against ≤ 15)."""
    cells, items = [], []
    for r in rows.to_dict("records"):
        cell = band_cell(r["band"], card)
        if r.get("grade_basis") == "standard":
            cell = cell | {"t": f"{cell['t']} {BASIS_MARK}"}
            limit, unit = r.get("standard_value"), r.get("unit") or ""
            value = "" if is_missing(limit) else format_value(limit, card.lang)
            rule = f" {r.get('standard_op')} {value} {unit}" if value else ""
            items.append(f"{r['name']}{rule.rstrip()} ({r.get('standard_citation')})")
        cells.append(cell)
    note = t("report.basis_note", card.lang, mark=BASIS_MARK, items="; ".join(items))
    return cells, typeset_text(note) if items else ""


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


def _date(day: date, lang: str) -> str:
    return t("report.date", lang, day=day.day, month=month_name(day.month, lang), year=day.year)


def data_cutoff(results: Results) -> date | None:
    """The day the last input file was loaded (the report's data cut-off)."""
    for frame in (results.load_current, results.load_manifest):
        col = next((c for c in ("finished_at", "started_at") if c in frame.columns), None)
        if col and len(frame):
            stamp = pd.to_datetime(frame[col], errors="coerce").max()
            if not pd.isna(stamp):
                return date(stamp.year, stamp.month, stamp.day)
    return None


def meta_section(results: Results, card: Scorecard) -> dict[str, Any]:
    """Cover, foreword and running header/footer."""
    lang, run = card.lang, str(results.manifest.get("run_id", MISSING))
    method = (results.manifest.get("method") or {}).get("name", MISSING)
    name = t("app.name", lang)
    city = card.area_name.removeprefix("Kota ")  # "Kota Cerdas Bogor", not "… Kota Bogor"
    title = t("report.full_title", lang, city=city, year=card.year)
    cutoff = data_cutoff(results)
    cutoff_text = _date(cutoff, lang) if cutoff else MISSING
    return {
        "title": title,
        "short_title": t("report.title", lang),
        "series": name,
        "author": name,
        "city": card.area_name,
        "year": str(card.year),
        "subtitle": t("report.subtitle", lang),
        "footer": f"{title} · {t('report.run', lang)} {run[:12]}",
        "cover_pairs": [
            [t("report.publisher", lang), t("report.publisher_name", lang, city=card.area_name)],
            [t("report.period", lang), t("report.period_text", lang, year=card.year)],
            [t("report.cutoff", lang), cutoff_text],
            [t("report.run", lang), run],
            [t("report.method", lang), str(method)],
            [t("report.generated", lang), _date(date.today(), lang)],
        ],
        "foreword_title": t("report.foreword", lang),
        "foreword": [
            t(f"report.foreword_{i}", lang, city=card.area_name, year=card.year, cutoff=cutoff_text)
            for i in (1, 2, 3)
        ],
    }


def _indicator_line(row: Row, lang: str) -> str:
    value = format_measure(row["value"], row.get("unit"), lang, typeset=True)
    if is_missing(row.get("achievement")):
        return t("report.indicator_value", lang, name=row["name"], value=value)
    return t(
        "report.indicator_line",
        lang,
        name=row["name"],
        value=value,
        achievement=format_percent(row["achievement"], lang, 0),
    )


def summary_section(results: Results, card: Scorecard, recs: list[RecView]) -> dict[str, Any]:
    """One page: index, rank, six tiles, three wins, three risks, three recommendations."""
    lang, ov = card.lang, card.overall
    series = trend_series(results, code=INDEX_CODE)
    prev = series[(series["year"] < card.year) & series["value"].notna()]
    now = series[series["year"] == card.year]
    change = now["change"].iloc[0] if len(now) else None
    lead = narrative.index_sentences(
        lang,
        city=card.area_name,
        year=card.year,
        index=ov.get("score"),
        rank=ov.get("rank"),
        n=ov.get("n_areas"),
        change=change,
        prev_year=int(prev["year"].iloc[-1]) if len(prev) else None,
    )
    dims = card.dimensions
    lead += narrative.dimensions_sentence(lang, dict(zip(dims["name"], dims["score"], strict=True)))
    rank = rank_text(ov.get("rank"), ov.get("n_areas"), lang)
    return {
        "index_label": t("overview.index", lang),
        "index": format_number(ov.get("score"), lang, 1),
        "rank": "" if rank == MISSING else rank,
        "lead": " ".join(lead),
        "tiles": [_tile(r, card) for r in dims.to_dict("records")],
        "tile_note": t("report.tile_note", lang) + " " + card.band_note,
        "wins": [_indicator_line(r, lang) for r in card.strengths.to_dict("records")],
        "risks": [_indicator_line(r, lang) for r in card.risks.to_dict("records")],
        "recs": [r.text for r in recs[:3]] or [t("recs.none", lang)],
    }


def _tile(row: Row, card: Scorecard) -> dict[str, str]:
    word = t("status.none", card.lang) if is_missing(row["band"]) else str(row["band"])
    return {
        "name": row["name"],
        "score": format_number(row["score"], card.lang, 1),
        "band": band_key(row["band"], card),
        "band_word": word,
        "arrow": "" if is_missing(row.get("arrow")) else str(row["arrow"]),
        "trend_word": trend_word("", row.get("verdict"), card.lang),
        # grade, trend and position side by side: a high grade never hides a last place
        "position": ""
        if is_missing(row.get("rank"))
        else t(
            "report.tile_rank",
            card.lang,
            rank=format_number(row["rank"], card.lang, 0),
            n=format_number(row.get("n_areas"), card.lang, 0),
        ),
    }


def _indicator_table(rows: pd.DataFrame, card: Scorecard) -> dict[str, Any]:
    lang = card.lang
    header = [
        t(k, lang)
        for k in (
            "level.indicator",
            "col.value",
            "col.measure_unit",
            "col.target",
            "col.achievement",
            "col.status",
            "col.trend",
        )
    ]
    cells, marks = graded_cells(rows, card)
    body = [
        [
            r["name"],
            format_value(r["value"], lang),
            str(r["unit"] or ""),  # the measurement unit (catalogue), not an area code
            format_value(r["target"], lang),
            format_number(r["achievement"], lang, 1),
            cell,
            trend_word(r["arrow"], r["verdict"], lang),
        ]
        for r, cell in zip(rows.to_dict("records"), cells, strict=True)
    ]
    return table(header, body, [3.6, 1.1, 1.4, 1.1, 1.5, 1.6, 1.6], "lrlrrll") | {"marks": marks}


def _dimension_text(
    card: Scorecard, dim: Row, rows: pd.DataFrame, first_year: int | None
) -> list[str]:
    with_target = rows.dropna(subset=["achievement"])
    ok_pct = float(card.settings.bands[1][0])
    ranked = with_target.sort_values(["achievement", "code"])
    best = ranked.iloc[-1] if len(ranked) else None
    worst = ranked.iloc[0] if len(ranked) else None
    return narrative.dimension_sentences(
        card.lang,
        name=dim["name"],
        year=card.year,
        score=dim["score"],
        rank=dim.get("rank"),
        n=dim.get("n_areas"),
        verdict=_verdict(str(dim.get("verdict")), card.lang)
        if not is_missing(dim.get("verdict"))
        else None,
        first_year=first_year,
        n_ok=int((with_target["achievement"] >= ok_pct).sum()),
        n_target=len(with_target),
        ok_pct=ok_pct,
        best=(best["name"], best["achievement"]) if best is not None else None,
        worst=(worst["name"], worst["achievement"], _verdict(str(worst["verdict"]), card.lang))
        if worst is not None
        else None,
        n_missing=int(rows["value"].isna().sum()),
    )


def dimension_section(
    results: Results, card: Scorecard, dim: Row, figures: dict[str, Any]
) -> dict[str, Any]:
    """Scorecard table, trend chart, kecamatan chart and narrative of one dimension."""
    lang, code = card.lang, dim["code"]
    rows = card.indicators[card.indicators["dimension"] == code]
    codes = list(rows["code"])
    series = trend_series(results, code=code).dropna(subset=["value"])
    series = series[series["year"] <= card.year]
    first = int(series["year"].min()) if len(series) else None
    years = [int(y) for y in series["year"]] or [card.year]
    trend = None
    if len(series) >= 2:  # one point is not a trend: the table carries the single year
        figures[f"trend-{code}"] = line_chart(
            series[["year", "value"]],
            y_title=t("col.score", lang),
            domain=(0.0, 100.0),
            width=CHART_W,
            height=CHART_H - 40,
        )
        trend = f"charts/trend-{code}.svg"
    kec = district_table(results, year=card.year, code=code)
    has_kec = bool(kec["score"].notna().any())
    if has_kec:  # no empty axis drawn for a dimension without kecamatan scores
        figures[f"districts-{code}"] = charts.ranked_bars(
            kec.assign(label=kec["name"], value=kec["score"]),
            lang,
            value_title=t("report.kec_score", lang),
            width=DISTRICT_W,  # narrow: the chart is scaled to half a page, its labels stay legible
            domain=(0.0, 100.0),
        )
    span = {"first": first or card.year, "last": card.year}
    table_source = source_line(results, lang=lang, codes=codes, years=[card.year], targets=True)
    return {
        "title": dim["name"],
        "narrative": _dimension_text(card, dim, rows, first),
        "table": _indicator_table(rows, card) | {"source": table_source},
        "table_note": t("report.table_note", lang),
        "trend_chart": trend,
        "trend_caption": t(
            "report.trend_caption", lang, name=dim["name"], city=card.area_name, **span
        )
        if trend
        else t("report.fact.one_year", lang),
        "trend_source": source_line(results, lang=lang, codes=codes, years=years, scores=True),
        "district_chart": f"charts/districts-{code}.svg" if has_kec else None,
        "district_caption": t("report.district_caption", lang, name=dim["name"], year=card.year)
        if has_kec
        else t("report.district_none", lang, name=dim["name"], year=card.year),
        "district_source": source_line(
            results,
            lang=lang,
            codes=codes,
            years=[card.year],
            area_codes=list(kec["area_code"]),
            scores=True,
        ),
    }


PRIORITY_BANDS = {1: "b4", 2: "b3", 3: "b2"}


def rec_title(r: RecView, catalogue: Catalogue, lang: str) -> str:
    area = t(f"recs.area.{r.area}", lang)
    dims = dimension_label(catalogue, r.dimension, lang) if r.dimension else ""
    return f"{area} · {dims}" if dims else area


def recommendations_section(
    results: Results, card: Scorecard, recs: list[RecView]
) -> dict[str, Any]:
    """The headline recommendations, each with target, evidence and responsible agency (the
    rest are in the annex)."""
    lang = card.lang
    items = [
        {
            "title": rec_title(r, results.catalogue, lang),
            "priority": f"{t('col.priority', lang)} {r.priority}",
            "band": PRIORITY_BANDS.get(int(r.priority), "na"),
            "text": r.text,
            "target": r.target_text or MISSING,
            "evidence": " ".join(r.evidence_text) or MISSING,
            "agency": ", ".join(r.agencies) or MISSING,
        }
        for r in recs
        if r.headline
    ]
    return {
        "intro": t("report.recs_intro", lang, year=card.year),
        "items": items,
        "none": t("recs.none", lang),
        "source": t("report.rec.source", lang),
    }
