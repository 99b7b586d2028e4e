"""Recommendation rules: fire on crafted data, silent otherwise, evidence = the tables."""

from __future__ import annotations

import json
import string

import pytest
from conftest import CITY, DIMS, make_results, meta_frame

from smartindex.analysis.districts import gini
from smartindex.analysis.recommend import (
    AREAS,
    COMMON_FIELDS,
    CONDITION_FIELDS,
    CONDITIONS,
    format_recommendations,
    load_rules,
    recommend,
)
from smartindex.errors import DataFileError, MethodError

EXPECTED = {"infra_wifi_divide", "dimension_worsening", "env_air_worsening", "liv_poverty",
            "data_spbe_target", "sla_dispatch_6h", "infra_mobility_peers", "training_spbe",
            "data_coverage", "dimension_peers"}


def _recs(results=None, lang="id", **kw):
    return recommend(results or make_results(), year=2023, lang=lang, catalogue=meta_frame(),
                     **kw)


def _by_id(recs):
    return {(r.rule_id, r.scope): r for r in recs}


def test_default_rules_cover_dimensions_and_study_areas():
    rules = load_rules()
    assert len(rules) >= 25
    assert {"infrastructure", "training", "data_protection", "collaboration",
            "complaint_sla"} <= {r.area for r in rules}
    assert set(CONDITIONS) == set(CONDITION_FIELDS)
    prefixes = {"ECO": "economy", "PEO": "people", "GOV": "governance", "MOB": "mobility",
                "ENV": "environment", "LIV": "living"}
    covered = set()
    for r in rules:
        if r.scope_kind == "indicator":
            covered |= {prefixes[c.split("_")[0]] for c in r.scope}
        elif r.scope_kind == "dimension":
            covered |= set(DIMS) if r.scope == ("*",) else set(r.scope)
    named = {prefixes[c.split("_")[0]] for r in load_rules() if r.scope_kind == "indicator"
             for c in r.scope}
    assert covered == set(DIMS) and named == set(DIMS)  # each dimension has specific advice


def test_rules_fire_on_crafted_data():
    recs = _recs()
    assert {r.rule_id for r in recs} == EXPECTED
    assert all(r.evidence for r in recs)
    assert [r.priority for r in recs] == sorted(r.priority for r in recs)
    silent = {"eco_unemployment", "collab_innovation", "people_internet_divide",
              "sla_verify_3wd", "training_digital_literacy"}
    assert not silent & {r.rule_id for r in recs}


def test_evidence_matches_tables():
    res = make_results()
    recs = _by_id(_recs(res))
    iv = res.indicator_values.set_index(["unit", "year", "code"])["value"]
    ev = recs[("sla_dispatch_6h", "GOV_DISPATCH_6H")].evidence[0]
    assert ev["value"] == iv[(CITY, 2023, "GOV_DISPATCH_6H")] == 80 and ev["threshold"] == 90
    wifi = next(r for (rid, _), r in recs.items() if rid == "infra_wifi_divide").evidence[0]
    assert wifi["inequality"] == pytest.approx(gini([1, 2, 10]))
    assert (wifi["worst_district"], wifi["best_district"]) == ("Sako", "Bukit Kecil")
    spbe = recs[("training_spbe", "GOV_SPBE")].evidence[0]
    assert (spbe["rank"], spbe["n_cities"], spbe["peer_median"]) == (4, 4, 3.8)
    assert spbe["best_peer"] == "Medan" and spbe["best_value"] == 4.0
    target = recs[("data_spbe_target", "GOV_SPBE")].evidence[0]
    assert target["target"] == 3.5 and target["achievement"] == pytest.approx(3.1 / 3.5 * 100)
    pov = recs[("liv_poverty", "LIV_POVERTY")].evidence[0]
    assert pov["target_year"] == 2025 and pov["projected"] == pytest.approx(11.4)
    cov = recs[("data_coverage", "living")].evidence[0]
    assert cov["coverage"] == 50.0 and cov["n_missing"] == 1
    json.dumps([r.to_dict() for r in recs.values()])  # plain Python values only


def test_rules_silent_on_good_data():
    res = make_results()
    iv = res.indicator_values.copy()
    good = iv["unit"].eq(CITY) & iv["code"].eq("GOV_DISPATCH_6H")
    iv.loc[good, "value"] = 95.0
    iv.loc[iv["unit"].str.len().eq(7) & iv["code"].eq("MOB_WIFI_DENSITY"), "value"] = 10.0
    ids = {r.rule_id for r in _recs(make_results(iv))}
    assert "sla_dispatch_6h" not in ids and "infra_wifi_divide" not in ids
    assert "liv_poverty" in ids


def test_both_languages_render_without_placeholders():
    for lang in ("id", "en"):
        for r in _recs(lang=lang):
            assert "{" not in r.text and "}" not in r.text and r.lang == lang
    for rule in load_rules():  # every template formats with the declared fields
        fields = dict.fromkeys(COMMON_FIELDS | CONDITION_FIELDS[rule.condition], "x")
        for text in (rule.text_id, rule.text_en):
            names = {f for _, f, _, _ in string.Formatter().parse(text) if f}
            assert names <= set(fields), rule.id
            text.format_map(fields)


def test_dedupe_by_rule_and_scope():
    rules = [r for r in load_rules() if r.id == "sla_dispatch_6h"]
    recs = _recs(rules=rules * 2)
    assert len(recs) == 1


def test_bad_rule_files(tmp_path):
    bad = tmp_path / "r.toml"
    base = ('[[rule]]\nid = "x"\narea = "training"\nscope = {indicator = "GOV_SPBE"}\n'
            'priority = 1\nagencies = ["Diskominfo"]\n')
    bad.write_text(base + 'condition = "nope"\ntext_id = "a"\ntext_en = "b"\n')
    with pytest.raises(DataFileError, match="unknown condition"):
        load_rules(bad)
    bad.write_text(base + 'condition = "below_target"\ntext_id = "{oops}"\ntext_en = "b"\n')
    with pytest.raises(DataFileError, match="oops"):
        load_rules(bad)
    bad.write_text(base.replace("indicator", "district") + 'condition = "below_target"\n'
                   'text_id = "a"\ntext_en = "b"\n')
    with pytest.raises(DataFileError, match="scope"):
        load_rules(bad)


def test_format_recommendations():
    recs = _recs(lang="en")
    table = format_recommendations(recs, "table", "en")
    lines = table.splitlines()
    assert lines[0].startswith("No | Priority") and len(lines) == len(recs) + 1
    md = format_recommendations(recs, "md", "en")
    assert md.startswith("### 1.") and "year=2023" in md
    data = json.loads(format_recommendations(recs, "json", "en"))
    assert data[0]["evidence"] and data[0]["area"] in AREAS
    assert "2023" in format_recommendations(recs, "table", "id")
    with pytest.raises(MethodError):
        format_recommendations(recs, "xml", "en")


def test_evidence_and_text_use_the_unit_of_the_language():
    meta = meta_frame()
    meta = meta.assign(unit_en=meta["unit"], unit_id="id:" + meta["unit"])
    for lang, prefix in (("id", "id:"), ("en", "")):
        recs = recommend(make_results(), year=2023, lang=lang, catalogue=meta)
        units = {e["unit"] for r in recs for e in r.evidence if "unit" in e}
        assert units and all(u.startswith(prefix) for u in units), (lang, units)
        if lang == "en":
            assert not any(u.startswith("id:") for u in units)
    wifi = next(r for r in recommend(make_results(), year=2023, lang="id", catalogue=meta)
                if r.rule_id == "infra_wifi_divide")
    assert wifi.evidence[0]["unit"] == "id:per 100 000"


def test_one_recommendation_per_finding():
    recs = _recs()
    conditions = {rule.id: rule.condition for rule in load_rules()}
    findings = [(conditions[r.rule_id], r.scope_kind, r.scope) for r in recs]
    assert len(findings) == len(set(findings))
    mobility_peers = [r.rule_id for r in recs if r.scope == "mobility"
                      and conditions[r.rule_id] == "score_bottom_quartile"]
    assert mobility_peers == ["infra_mobility_peers"]  # the specific advice wins


def test_real_warehouse_recommendations_are_distinct_and_evidenced(scored_results):
    recs = recommend(scored_results, year=scored_results.latest_year, lang="en")
    assert recs and all(r.evidence for r in recs)
    conditions = {rule.id: rule.condition for rule in load_rules()}
    findings = [(conditions[r.rule_id], r.scope_kind, r.scope) for r in recs]
    assert len(findings) == len(set(findings))
