"""Words of the status model and recommendations: every key in both languages, sentences
without raw keys, thresholds printed with the grades."""

from __future__ import annotations

import re
import string

import pytest

from smartindex.analysis.recommend import load_rules, recommend
from smartindex.analysis.scorecard import scorecard
from smartindex.analysis.standards import default_standards
from smartindex.analysis.status import Phrase
from smartindex.analysis.targets import band_legend
from smartindex.display import i18n
from smartindex.display.status import (
    format_recommendations,
    headline_text,
    localise_recommendations,
    localise_scorecard,
    phrase_text,
    scale_text,
    target_text,
)

RAW = re.compile(r"\{|\}|\b(p_value|slope|score_|rec\.|status\.|sangat_|tanpa_target)\b")


def test_every_action_and_grade_has_words_in_both_languages():
    for lang in ("id", "en"):
        strings = i18n.locale_strings(lang)
        for action in load_rules().actions:
            assert f"rec.action.{action.id}" in strings, (lang, action.id)
        for key in default_standards().scale.keys:
            assert f"status.grade.{key}" in strings


def test_scale_is_printed_with_its_bounds():
    assert scale_text(band_legend(), "en") == (
        "Very high ≥ 91%, High 76–90%, Medium 66–75%, Low 51–65%, Very low ≤ 50%"
    )
    assert scale_text(band_legend(), "id").startswith("Sangat tinggi ≥ 91%, Tinggi 76–90%")


def test_headline_says_but_when_achievement_and_position_disagree():
    clauses = [
        Phrase("status.clause.targets_met", {"grade": "tinggi", "achievement": 85.04}),
        Phrase("status.clause.last", {"rank": 7, "n": 7, "group": "cities"}),
    ]
    assert headline_text(clauses, True, "en") == (
        "Targets met: achievement High (85.0% of target), but last of 7 peer cities"
    )
    assert headline_text(clauses, True, "id") == (
        "Target tercapai: capaian Tinggi (85,0% dari target), tetapi terakhir dari 7 kota "
        "pembanding"
    )


def test_evidence_sentence_formats_numbers_and_percent_units():
    p = Phrase(
        "rec.evidence.grade",
        {
            "indicator": "Dispatch",
            "value": 19.8497,
            "unit": "%",
            "year": 2025,
            "target": 85.0,
            "achievement": 23.35,
            "grade": "sangat_rendah",
        },
    )
    assert phrase_text(p, "en") == (
        "Dispatch: 19.8% in 2025 against a target of 85.0%, 23.4% achieved (grade Very low)."
    )
    assert phrase_text(p, "id") == (
        "Dispatch: 19,8% pada 2025 dari target 85,0%, capaian 23,4% (kategori Sangat rendah)."
    )
    w = Phrase(
        "rec.evidence.worsening",
        {
            "indicator": "PM2.5",
            "first_year": 2016,
            "slope": 0.0123,
            "unit": "µg/m³",
            "p_value": 0.00008,
        },
    )
    assert "p < 0.001" in phrase_text(w, "en") and "0.012 µg/m³" in phrase_text(w, "en")


def test_synthetic_target_is_labelled_synthetic():
    tgt = {
        "code": "X",
        "indicator": "Dispatch",
        "op": "≥",
        "value": 85.0,
        "measure": "%",
        "year": 2026,
        "source": "synthetic",
        "reference": "",
    }
    assert target_text(tgt, "en") == (
        "Target: Dispatch — ≥ 85.0% by 2026 (synthetic sample target, not an RPJMD document)"
    )


@pytest.fixture(scope="module")
def recs(scored_results):
    return recommend(scored_results, year=2025, lang="en")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_recommendations_read_as_sentences(scored_results, lang):
    views = localise_recommendations(recommend(scored_results, year=2025, lang=lang), lang)
    assert views
    for v in views:
        for text in (v.text, v.target_text, *v.evidence_text):
            assert text and not RAW.search(text), (v.rule_id, text)
        assert v.evidence_text and re.search(r"\d", v.target_text)
        assert "projected" not in " ".join(v.evidence_text).lower()
        assert "diproyeksikan" not in " ".join(v.evidence_text).lower()
    md = format_recommendations(views, "md", lang)
    assert md.count("### ") == len(views) and "Kota Palembang, 2025" in md
    table = format_recommendations(views, "table", lang).splitlines()
    assert len(table) == len(views) + 1


def test_localised_scorecard_prints_grades_and_note(scored_results):
    card = localise_scorecard(scorecard(scored_results, year=2025, lang="en"))
    assert card.bands["label_en"].tolist()[0] == "Very high"
    assert "Permendagri 86/2017" in card.band_note and "≥ 91%" in card.band_note
    legend = set(card.bands["label_en"])
    assert set(card.dimensions["band"].dropna()) <= legend
    for text in card.dimensions["headline_text"]:
        assert not RAW.search(text)
    fields = {f for _, f, _, _ in string.Formatter().parse(card.band_note) if f}
    assert not fields
