"""The report's model: the template's data and the charts, assembled from the sections."""

from __future__ import annotations

from typing import Any

from smartindex.analysis.recommend import recommend
from smartindex.analysis.scorecard import scorecard
from smartindex.config import check_lang
from smartindex.display.status import localise_recommendations, localise_scorecard
from smartindex.report import annex as report_annex
from smartindex.report import pages
from smartindex.report.places import districts_section, peers_section
from smartindex.report.provenance import data_basis
from smartindex.report.sections import (
    dimension_section,
    labels,
    meta_section,
    recommendations_section,
    summary_section,
    typeset,
)
from smartindex.scoring.results import Results


def report_model(
    results: Results,
    *,
    year: int,
    lang: str = "id",
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The template's data and the charts for ``year`` in ``lang``."""
    lang = check_lang(lang)
    card = localise_scorecard(scorecard(results, year=year, lang=lang))  # grade words
    recs = localise_recommendations(recommend(results, year=year, lang=lang), lang)
    figures: dict[str, Any] = {}
    meta = meta_section(results, card)
    meta["basis"] = data_basis(results, year=year, lang=lang)
    model: dict[str, Any] = {
        "lang": lang,
        "labels": labels(lang),
        "meta": meta,
        "summary": summary_section(results, card, recs),
        "scorecard": pages.scorecard_section(results, card),
        "change": pages.change_section(results, card, figures),
        "dimensions": [
            dimension_section(results, card, row, figures)
            for row in card.dimensions.to_dict("records")
        ],
        "recommendations": recommendations_section(results, card, recs),
    }
    model["districts"] = districts_section(results, card, figures) | {
        "map": pages.district_map(results, card, figures)
    }
    model["recs_annex"] = pages.recommendation_annex(results, recs, lang)
    model["facts"] = pages.fact_sheets(results, card, figures)
    model["peers"] = peers_section(results, card, figures)
    model["quality"] = report_annex.quality_section(results, card)
    model["method"] = report_annex.method_section(results, card)
    model["cite"] = report_annex.cite_section(results, card)
    return typeset(model), figures
