"""Templated report sentences from numbers (no scoring)."""

from __future__ import annotations

import math

from smartindex.display import narrative


def test_index_sentences_format_numbers_per_language():
    id_ = narrative.index_sentences(
        "id",
        city="Kota Palembang",
        year=2024,
        index=1234.56,
        rank=2,
        n=7,
        change=-0.44,
        prev_year=2023,
    )
    assert id_ == [
        "Kota Palembang meraih 1.234,6 dari 100 pada indeks kota cerdas 2024, "
        "peringkat 2 dari 7 kota yang dibandingkan.",
        "Dibanding 2023 indeks turun 0,4 poin.",
    ]
    en = narrative.index_sentences(
        "en", city="Palembang", year=2024, index=61.0, change=0.02, prev_year=2023
    )
    assert en == [
        "Palembang scored 61.0 of 100 on the smart city index in 2024.",
        "Compared with 2023 the index was unchanged.",
    ]


def test_missing_numbers_drop_sentences():
    assert narrative.index_sentences("en", city="X", year=2024, index=math.nan) == []
    assert narrative.dimensions_sentence("en", {"A": math.nan, "B": 50.0}) == []
    assert narrative.peer_sentences("en", city="X", rank=None, n=7) == []


def test_dimension_sentences_name_best_and_worst():
    out = narrative.dimension_sentences(
        "en",
        name="Smart Mobility",
        year=2024,
        score=48.26,
        rank=5,
        n=7,
        verdict="Improving",
        first_year=2019,
        n_ok=2,
        n_target=5,
        best=("Stops", 120.0),
        worst=("Road deaths", 40.5, "Worsening"),
        n_missing=1,
    )
    assert out == [
        "Smart Mobility scored 48.3 of 100 in 2024 (rank 5 of 7 cities).",
        "Direction of the score since 2019: Improving.",
        "2 of 5 indicators with a target reach at least 76% of it.",
        "Highest achievement: Stops (120.0% of target).",
        "Needs attention: Road deaths (40.5% of target; trend worsening).",
        "Indicators without a value for 2024: 1.",
    ]


def test_district_and_peer_sentences():
    d = narrative.district_sentences(
        "id",
        best=("Ilir Timur I", 71.0),
        worst=("Gandus", 30.25),
        gini=0.123,
        cv=0.4,
        most_unequal=("Mobilitas Cerdas", 0.31),
    )
    assert d[0] == "Indeks kecamatan berkisar dari 30,2 (Gandus) hingga 71,0 (Ilir Timur I)."
    assert "0,12" in d[1] and "0,31" in d[2]
    p = narrative.peer_sentences(
        "en", city="Palembang", rank=3, n=7, closest="Medan", above=20, below=30
    )
    assert p == [
        "Among the 7 compared cities, Palembang ranks 3 on the index.",
        "The city with the most similar dimension profile is Medan.",
        "Against the peer median: 20 indicators above, 30 below.",
    ]
