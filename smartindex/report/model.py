"""The report's model: the template's data and the charts, assembled from the sections."""

from __future__ import annotations

from typing import Any

from smartindex.analysis.recommend import recommend
from smartindex.analysis.scorecard import scorecard
from smartindex.config import check_lang
from smartindex.report import annex as report_annex
from smartindex.report.places import districts_section, peers_section
from smartindex.report.sections import (
    dimension_section,
    labels,
    meta_section,
    recommendations_section,
    summary_section,
)
from smartindex.scoring.results import Results


def report_model(results: Results, *, year: int, lang: str = "id",
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The template's data and the charts for ``year`` in ``lang``."""
    lang = check_lang(lang)
    card = scorecard(results, year=year, lang=lang)
    recs = list(recommend(results, year=year, lang=lang))
    figures: dict[str, Any] = {}
    model = {
        "lang": lang,
        "labels": labels(lang),
        "meta": meta_section(results, card),
        "summary": summary_section(results, card, recs),
        "dimensions": [dimension_section(results, card, row, figures)
                       for row in card.dimensions.to_dict("records")],
        "recommendations": recommendations_section(results, card, recs),
    }
    model["districts"] = districts_section(results, card, figures)
    model["peers"] = peers_section(results, card, figures)
    model["quality"] = report_annex.quality_section(results, card)
    model["method"] = report_annex.method_section(results, card)
    model["cite"] = report_annex.cite_section(results, card)
    return model, figures
