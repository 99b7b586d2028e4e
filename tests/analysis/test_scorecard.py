"""The scorecard view-model and chart tables on crafted results."""

from __future__ import annotations

import dataclasses
import math

import pytest
from crafted import CITY, DIMS, KEC, meta_frame

from smartindex.analysis.scorecard import (
    closest_peers,
    district_table,
    inequality_table,
    localised_meta,
    peer_table,
    scorecard,
    trend_series,
)


def test_city_scorecard(results):
    card = scorecard(results, year=2023, lang="en")
    assert dataclasses.is_dataclass(card) and card.comparison == "cities"
    assert card.area_name == "Palembang" and card.overall["score"] == 55.0
    assert card.overall["rank"] == 3 and card.overall["n_areas"] == 4
    assert card.overall["verdict"] == "stable"
    assert card.dimensions["code"].tolist() == DIMS  # catalogue order
    env = card.dimensions.set_index("code").loc["environment"]
    assert env["score"] == 40.0 and env["verdict"] == "worsening" and env["significant"]
    assert env["arrow"] == "↓" and env["name"] == "Smart Environment"
    rows = card.indicators.set_index("code")
    assert len(rows) == len(results.catalogue.indicators)
    spbe = rows.loc["GOV_SPBE"]
    assert spbe["value"] == 3.1 and spbe["target"] == 3.5 and spbe["band"] == "tinggi"
    assert spbe["sparkline"] == [2.5, 2.7, 2.9, 3.0, 3.1] and spbe["name"] == "SPBE index"
    assert not rows.loc["LIV_PHYSICIANS", "is_reported"]
    assert rows.loc["LIV_POVERTY", "projection_status"] == "off track"
    assert card.risks["code"].iloc[0] == "ENV_PM25"  # a legal breach ranks first
    assert card.band_note == "status.note" and card.bands["key"].tolist()[0] == "sangat_tinggi"
    assert len(card.bands) == 5


def test_district_scorecard_uses_kecamatan_comparison(results):
    card = scorecard(results, year=2023, area_code=KEC[0], lang="id")
    assert card.comparison == "kecamatan" and card.area_name == "Sako"
    assert card.overall["score"] == 40.0 and card.overall["rank"] == 3
    mob = card.dimensions.set_index("code").loc["mobility"]
    assert mob["score"] == 35.0 and mob["name"] == results.catalogue.name("mobility", "id")


def test_district_table(results):
    wifi = district_table(results, year=2023, code="MOB_WIFI_DENSITY")
    assert wifi["name"].tolist() == ["Bukit Kecil", "Ilir Barat I", "Sako"]
    assert wifi["rank"].tolist() == [1, 2, 3]
    idx = district_table(results, year=2023)
    top = idx[idx["code"] == "INDEX"]
    assert top["area_code"].tolist() == [KEC[2], KEC[1], KEC[0]] and set(top["zone"]) >= {"pusat"}


def test_inequality_table(results):
    out = inequality_table(results, year=2023)
    wifi = out[(out["level"] == "indicator") & (out["code"] == "MOB_WIFI_DENSITY")].iloc[0]
    assert wifi["gini"] == pytest.approx(36 / 78) and wifi["worst_area"] == KEC[0]
    assert wifi["gini_verdict"] == "insufficient data"  # two years only
    mob = out[(out["level"] == "dimension") & (out["code"] == "mobility")].iloc[0]
    assert mob["score_range"] == 25.0


def test_peer_table_and_closest(results):
    out = peer_table(results, year=2023)
    spbe = out[out["code"] == "GOV_SPBE"].iloc[0]
    assert (
        spbe["level"] == "indicator"
        and spbe["rank"] == 4
        and spbe["gap_best"] == pytest.approx(-0.9)
    )
    mob = out[out["code"] == "mobility"].iloc[0]
    assert mob["level"] == "dimension" and mob["bottom_quartile"]
    assert set(out.loc[out["level"] == "dimension", "code"]) == set(DIMS)
    near = closest_peers(results, year=2023)
    assert len(near) == 3 and near["distance"].is_monotonic_increasing


def test_trend_series(results):
    s = trend_series(results, code="GOV_SPBE")
    assert s["year"].tolist() == [2019, 2020, 2021, 2022, 2023, 2025]
    assert s.set_index("year").loc[2025, "target"] == 4.0 and s["kind"].iloc[0] == "value"
    assert s["change"].iloc[1] == pytest.approx(0.2)
    d = trend_series(results, code="environment", area_code=CITY)
    assert d["kind"].iloc[0] == "score" and d["value"].tolist()[-1] == 40.0


def _bilingual_meta():
    """The crafted metadata with units in both languages (Indonesian marked ``id:``)."""
    meta = meta_frame()
    return meta.assign(unit_en=meta["unit"], unit_id="id:" + meta["unit"])


def test_localised_meta_picks_the_unit_of_the_language():
    ind = localised_meta(_bilingual_meta(), "id").set_index("code")
    assert ind.loc["MOB_WIFI_DENSITY", "unit"] == "id:per 100 000"
    assert ind.loc["MOB_WIFI_DENSITY", "unit_en"] == "per 100 000"
    en = localised_meta(_bilingual_meta(), "en").set_index("code")
    assert en.loc["MOB_WIFI_DENSITY", "unit"] == "per 100 000"
    single = localised_meta(meta_frame(), "id").set_index("code")  # one unit serves both
    assert (single["unit"] == single["unit_en"]).all()
    assert (single["unit_id"] == single["unit"]).all()


def test_localised_meta_of_the_packaged_catalogue():
    from smartindex.indicators import load_catalogue

    cat = load_catalogue()
    ind = localised_meta(cat, "id").set_index("code")
    assert len(ind) == len(cat.indicators)
    for i in cat.indicators:
        assert ind.loc[i.code, "unit"] == i.unit_label("id"), i.code
    assert ind.loc["GOV_FIRST_RESPONSE_WH", "unit"] == "jam kerja"
    assert (
        localised_meta(cat, "en").set_index("code").loc["GOV_FIRST_RESPONSE_WH", "unit"]
        == "working hours"
    )


def test_scorecard_rows_carry_the_unit_in_the_requested_language(results):
    cat = results.catalogue
    for lang in ("id", "en"):
        card = scorecard(results, year=2023, lang=lang)
        rows = card.indicators.set_index("code")
        assert rows.loc["GOV_FIRST_RESPONSE_WH", "unit"] == cat.indicator(
            "GOV_FIRST_RESPONSE_WH"
        ).unit_label(lang), lang
        assert rows.loc["GOV_SPBE", "name"] == cat.name("GOV_SPBE", lang)
        assert set(card.risks["unit"]) <= set(rows["unit"])
    peers_out = peer_table(results, year=2023)
    spbe = peers_out[peers_out["code"] == "GOV_SPBE"].iloc[0]
    assert (spbe["unit_id"], spbe["unit_en"]) == (
        cat.indicator("GOV_SPBE").unit_id,
        cat.indicator("GOV_SPBE").unit_en,
    )


# --- the first screen's numbers, computed once ------------------------------------------------


def test_headline_numbers_are_the_published_scores(scored_results):
    """Score, change, rank change and peer count of the headline, recomputed from the
    published scores for every area and year (the change module re-exports this headline)."""
    from smartindex.analysis import change
    from smartindex.analysis.scorecard import headline

    assert change.headline is headline
    s = scored_results.scores
    own = s[s["code"] == "INDEX"]
    checked = 0
    for (comparison, area), rows in own.groupby(["comparison", "area_code"]):
        rows = rows.dropna(subset=["score"]).set_index("year").sort_index()
        for year in rows.index[1:]:
            h = headline(scored_results, area_code=area, year=int(year))
            prev = rows.index[rows.index < year].max()
            assert h.score == rows.at[year, "score"]
            assert h.previous_year == prev
            assert math.isclose(h.change, rows.at[year, "score"] - rows.at[prev, "score"])
            assert h.rank_change == rows.at[prev, "rank"] - rows.at[year, "rank"]
            ranked = own[(own["comparison"] == comparison) & (own["year"] == year)]
            assert h.n_areas == int(ranked["rank"].notna().sum())
            checked += 1
    assert checked > 20  # cities and kecamatan, every year


def _fresh(results):
    return dataclasses.replace(results, memo={})


def test_scorecard_is_computed_once_and_handed_out_as_copies(scored_results):
    import pandas as pd

    r = _fresh(scored_results)
    year = r.latest_year
    first = scorecard(r, year=year, lang="en")
    kept = len(r.memo)
    first.dimensions["score"] = -1.0  # a caller changing its copy
    first.overall["grade"] = "changed"
    again = scorecard(r, year=year, area_code=r.city, lang="en")  # the same key
    assert len(r.memo) == kept  # nothing recomputed
    live = scorecard(_fresh(scored_results), year=year, lang="en")
    pd.testing.assert_frame_equal(again.dimensions, live.dimensions)
    pd.testing.assert_frame_equal(again.indicators, live.indicators)
    assert again.overall["grade"] == live.overall["grade"] != "changed"
    other = scorecard(r, year=year, lang="id")
    assert other.dimensions["name"].tolist() != again.dimensions["name"].tolist()


def test_recommendations_share_the_scorecards_rows_and_are_kept(scored_results):
    from smartindex.analysis.recommend import DEFAULT_RULES, load_rules, recommend

    r = _fresh(scored_results)
    year = r.latest_year
    scorecard(r, year=year, lang="id")
    rows = {k for k in r.memo if k[0] == "indicator_rows"}
    recs = recommend(r, year=year, lang="id")
    assert {k for k in r.memo if k[0] == "indicator_rows"} == rows  # reused, not recomputed
    assert recs == recommend(_fresh(scored_results), year=year, lang="id")  # same as live
    recs[0].target["value"] = "changed"
    assert recommend(r, year=year, lang="id")[0].target["value"] != "changed"
    rules = load_rules(DEFAULT_RULES, set(r.catalogue.codes))
    n = len(r.memo)
    assert recommend(r, year=year - 1, lang="id", rules=rules) == recommend(
        _fresh(scored_results), year=year - 1, lang="id"
    )
    assert not [k for k in list(r.memo)[n:] if k[0] == "recommend"]  # own rules: not kept
