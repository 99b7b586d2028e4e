"""Recommendations: distinct actions with a lead agency, a numeric target and year, the
indicators they move and evidence — crafted data for exact values, the sample warehouse for the
defects of issue 10 (section 4)."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from crafted import KEC, make_results

from smartindex.analysis.recommend import (
    AREA_KEYS,
    KINDS,
    TRIGGERS,
    Recommendation,
    load_rules,
    recommend,
)
from smartindex.display.i18n import t
from smartindex.errors import DataFileError
from smartindex.indicators import load_catalogue


def _by_id(recs: list[Recommendation]) -> dict[str, Recommendation]:
    return {r.rule_id: r for r in recs}


def test_each_indicator_is_moved_by_exactly_one_action():
    cat = load_catalogue()
    rules = load_rules(codes=set(cat.codes))
    owners = Counter(c for a in rules.actions for c in a.indicators)
    assert set(owners) == set(cat.codes) and set(owners.values()) == {1}
    assert {a.area for a in rules.actions} <= set(AREA_KEYS)
    assert all(a.lead and set(a.triggers) <= set(TRIGGERS) for a in rules.actions)
    assert 5 <= rules.headline_min <= rules.headline_max <= 8


def test_bad_rule_files(tmp_path):
    bad = tmp_path / "r.toml"
    base = 'id = "x"\narea = "training"\nlead = "Diskominfo"\nindicators = ["GOV_SPBE"]\n'
    bad.write_text("[[action]]\n" + base + 'triggers = ["nope"]\n')
    with pytest.raises(DataFileError, match="trigger"):
        load_rules(bad)
    bad.write_text(("[[action]]\n" + base + 'triggers = ["attention"]\n') * 2)
    with pytest.raises(DataFileError, match="duplicate"):
        load_rules(bad)
    bad.write_text(
        "[[action]]\n" + base.replace('lead = "Diskominfo"\n', "") + 'triggers = ["attention"]\n'
    )
    with pytest.raises(DataFileError, match="lead"):
        load_rules(bad)
    bad.write_text("[[action]]\n" + base + 'triggers = ["attention"]\n')
    with pytest.raises(DataFileError, match="unknown indicator"):
        load_rules(bad, codes={"ENV_PM25"})


def test_crafted_air_quality_leads_with_the_legal_standard():
    recs = recommend(make_results(), year=2023, lang="en")
    assert recs and recs[0].rule_id == "air_quality" and recs[0].tier == "breach"
    air = recs[0]
    assert air.lead_agency == "DLH" and air.agencies[0] == "DLH"
    assert air.target["code"] == "ENV_PM25" and air.target["value"] == 15.0
    assert air.target["op"] == "≤" and air.target["source"] == "standard"
    assert air.target["year"] == 2025  # no PM2.5 target ahead: year + horizon
    keys = [p.key for p in air.sentences]
    assert keys == ["rec.evidence.breach", "rec.evidence.worsening"]  # no PM2.5 target
    assert air.sentences[0].params["value"] == 31 and air.sentences[0].params["standard"] == 15
    assert [r.rank for r in recs] == list(range(1, len(recs) + 1))
    json.dumps([r.to_dict() for r in recs])  # plain values only


def test_crafted_targets_by_finding_kind():
    recs = _by_id(recommend(make_results(), year=2023, lang="en"))
    spbe = recs["spbe"]  # SPBE last of four cities -> position finding -> peer median
    assert spbe.tier == "position" and spbe.priority == 2
    assert spbe.target == {
        "code": "GOV_SPBE",
        "op": "≥",
        "measure": spbe.target["measure"],
        "indicator": spbe.target["indicator"],
        "value": 3.8,
        "year": 2025,
        "source": "median",
        "group": "cities",
        "reference": "",
    }
    wifi = recs["digital_infrastructure"]  # kecamatan Gini of [1, 2, 10] = 0.46 > 0.2
    assert wifi.tier == "divide" and wifi.target["value"] == 0.2 and wifi.target["op"] == "≤"
    review = recs["programme_review"]  # environment 60 -> 40, significant decline
    assert review.target["value"] == 60.0 and review.target["reference"] == "2019"
    learn = recs["peer_learning"]  # mobility 30 and environment 40 in the bottom quartile
    assert {p.params["code"] for p in learn.sentences} == {"mobility", "environment"}
    assert learn.action.params["best"] == "Surabaya"


def test_kecamatan_and_peer_units_get_their_own_recommendations():
    res = make_results()
    kec = recommend(res, year=2023, area_code=KEC[0], lang="en")
    assert (
        kec and {r.area_code for r in kec} == {KEC[0]} and {r.group for r in kec} == {"kecamatan"}
    )
    assert {r.area_name for r in kec} == {"Sako"}
    peer = recommend(res, year=2023, area_code="3578", lang="en")
    assert {r.area_code for r in peer} <= {"3578"}
    assert "air_quality" not in {r.rule_id for r in peer}  # the peer has no PM2.5 value


# --- issue 10 defects on the sample data ----------------------------------------------------


@pytest.fixture(scope="module")
def recs_2025(scored_results):
    return recommend(scored_results, year=2025, lang="en")


def test_recommendations_are_distinct_actions(recs_2025):
    ids = [r.rule_id for r in recs_2025]
    assert len(ids) == len(set(ids))
    moved = Counter(c for r in recs_2025 for c in r.indicators)
    assert moved["GOV_SPBE"] <= 1 and moved["GOV_FIRST_RESPONSE_WH"] <= 1  # SPBE once, …
    learn = [r for r in recs_2025 if r.rule_id == "peer_learning"]
    assert len(learn) <= 1  # one "learn from the best peer", whatever the dimensions
    peers_named = [r for r in recs_2025 if "best" in r.action.params]
    assert len(peers_named) <= 1


def test_headline_list_has_five_to_eight_ranked_actions(recs_2025):
    head = [r for r in recs_2025 if r.headline]
    assert 5 <= len(head) <= 8 and recs_2025[: len(head)] == head
    assert [KINDS.index(r.tier) for r in recs_2025] == sorted(
        KINDS.index(r.tier) for r in recs_2025
    )
    codes = {c for r in head for c in r.indicators}
    assert {
        "ENV_PM25",
        "GOV_FIRST_RESPONSE_WH",
        "GOV_DISPATCH_6H",
        "PEO_DIGITAL_LITERACY",
    } <= codes  # consistent with the status model


def test_every_recommendation_is_actionable(recs_2025, scored_results):
    assert recs_2025
    for r in recs_2025:
        assert r.lead_agency and r.agencies[0] == r.lead_agency, r.rule_id
        assert isinstance(r.target["value"], int | float), r.rule_id
        assert isinstance(r.target["year"], int) and r.target["year"] > 2025, r.rule_id
        assert r.indicators and r.sentences, r.rule_id
        assert r.area_code == scored_results.city and r.area_name == "Kota Palembang"


def test_synthetic_targets_are_never_cited_as_documents(recs_2025, scored_results):
    tg = scored_results.targets
    assert tg["is_synthetic"].all()
    sources = {r.target["source"] for r in recs_2025}
    assert "document" not in sources and "synthetic" in sources
    assert all(r.target["reference"] == "" for r in recs_2025 if r.target["source"] == "synthetic")


def test_rising_pm25_is_answered_at_the_source(recs_2025):
    air = _by_id(recs_2025)["air_quality"]
    assert air.rank == 1 and air.tier == "breach" and air.target["value"] == 15.0
    for lang in ("id", "en"):
        text = t(air.action.key, lang).lower()
        assert text != air.action.key and "sensor" not in text


def test_kecamatan_selection_is_labelled_with_the_kecamatan(scored_results):
    reg = scored_results.regions
    area_code = reg.loc[reg["name"] == "Sukarami", "area_code"].iloc[0]
    recs = recommend(scored_results, year=2025, area_code=area_code, lang="id")
    assert recs and {(r.area_code, r.area_name, r.group) for r in recs} == {
        (area_code, "Sukarami", "kecamatan")
    }
    positions = [p for r in recs for p in r.sentences if p.key == "rec.evidence.position"]
    assert all(p.params["n"] <= 18 and p.params["group"] == "kecamatan" for p in positions)
    assert "divide" not in {r.tier for r in recs}  # inequality across kecamatan: city only


def test_a_peer_city_gets_its_own_recommendations(scored_results, recs_2025):
    peer = "1275"  # Kota Medan
    recs = recommend(scored_results, year=2025, area_code=peer, lang="en")
    assert recs and {r.area_code for r in recs} == {peer}
    iv = scored_results.indicator_values
    own = iv[(iv["area_code"] == peer) & (iv["year"] == 2025)].set_index("code")["value"]
    for r in recs:
        for p in r.sentences:
            if "code" in p.params and p.params["code"] in own.index and "value" in p.params:
                assert p.params["value"] == pytest.approx(own[p.params["code"]], abs=0.01)
    assert [r.rule_id for r in recs] != [r.rule_id for r in recs_2025]


def _plan_by_frame_filters(ctx, targets, code):
    """The plan lookup written with frame filters (the reference the array version keeps)."""
    t = targets[(targets["area_code"] == ctx.area_code) & (targets["code"] == code)]
    if t.empty:
        return None
    ahead = t[t["year"] > ctx.year].sort_values("year")
    now = t[t["year"] == ctx.year]
    if not len(ahead) and not len(now):
        return None
    row = ahead.iloc[0] if len(ahead) else now.iloc[0]
    synthetic = bool(row.get("is_synthetic", False))
    return (
        float(row["target"]),
        int(row["year"]) if len(ahead) else ctx.year + 1,
        "synthetic" if synthetic else "document",
        str(row.get("document", "")),
    )


def test_plan_target_picks_the_next_plan_as_frame_filters_do(scored_results):
    from types import SimpleNamespace

    from smartindex.analysis.recommend.rules import _plan_target

    t = scored_results.targets
    assert len(t)
    areas = sorted(set(t["area_code"]))[:3]
    years = [min(t["year"]) - 1, *sorted(set(t["year"])), max(t["year"]) + 1]
    found = 0
    for area in areas:
        for year in years:
            ctx = SimpleNamespace(area_code=area, year=int(year))
            for code in sorted(set(t["code"])):
                got = _plan_target(ctx, t, code)
                assert got == _plan_by_frame_filters(ctx, t, code), (area, year, code)
                found += got is not None
    assert found > 0  # plans ahead, this year's carried over, and none
