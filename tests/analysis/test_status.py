"""The status model: grades, legal standards, position, trend, headlines, needs attention.

Crafted results (conftest) for hand-computed cases; the session warehouse (sample data) for
the defects reported in issue 10.
"""

from __future__ import annotations

import pandas as pd
import pytest
from crafted import CITY, KEC, make_results

from smartindex.analysis.scorecard import scorecard
from smartindex.analysis.standards import NO_GRADE, default_standards, load_standards
from smartindex.analysis.status import (
    BREACH_CAP,
    GOOD_GRADES,
    headline,
    indicator_status,
    needs_attention,
    strengths,
)
from smartindex.errors import DataFileError

GRADES = ("sangat_tinggi", "tinggi", "sedang", "rendah", "sangat_rendah")


def _rows(results=None, year=2023, area_code=None):
    return indicator_status(results or make_results(), year=year, area_code=area_code).set_index(
        "code"
    )


def test_scale_is_permendagri_86_2017_data():
    scale = default_standards().scale
    assert scale.keys == GRADES
    assert [b.lower for b in scale.bands] == [91.0, 76.0, 66.0, 51.0, 0.0]
    assert "Permendagri 86/2017" in scale.source
    assert scale.bounds("tinggi") == (76.0, 91.0)
    assert list(scale.grade([91, 90.99, 50.99, 51, float("nan")])) == [
        "sangat_tinggi",
        "tinggi",
        "sangat_rendah",
        "rendah",
        None,
    ]


def test_legal_standards_come_from_the_catalogue_with_citations():
    std = default_standards().by_code
    pm = std["ENV_PM25"]
    assert (pm.kind, pm.value, pm.op) == ("limit", 15.0, "<=")
    assert pm.citation.startswith("PP 22/2021") and "ISO" not in pm.citation
    for code in ("GOV_VERIFIED_3WD", "GOV_FOLLOWUP_5WD"):
        lapor = std[code]
        assert (lapor.kind, lapor.value, lapor.breach_below) == ("service_level", 100.0, 90.0)
        assert "Perpres 76/2013" in lapor.citation and "PermenPANRB 62/2018" in lapor.citation
    assert "GOV_FIRST_RESPONSE_WH" not in std  # a median: no national limit
    ikm = std["GOV_IKM"]
    assert ikm.kind == "bands" and ikm.minimum == "B" and "14/2017" in ikm.citation
    assert list(ikm.bands.grade([88.31, 88.3, 76.61, 76.6, 64.99])) == ["A", "B", "B", "C", "D"]


def test_citations_read_the_same_in_every_language():
    """A citation is the regulation and clause only: the catalogue's English gloss after ": "
    ("PM2.5 annual mean 15 µg/m³") never reaches an Indonesian sentence."""
    std = default_standards().by_code
    assert std["ENV_PM25"].citation == (
        "PP 22/2021 (Penyelenggaraan Perlindungan dan Pengelolaan Lingkungan Hidup) "
        "Lampiran VII, baku mutu udara ambien"
    )
    for s in std.values():
        assert ": " not in s.citation and "annual" not in s.citation, s.citation


def test_bad_standards_file(tmp_path):
    bad = tmp_path / "s.toml"
    bad.write_text(
        '[achievement_scale]\ngrades = [{key = "a", lower = 1.0}, {key = "b", lower = 5.0}]\n'
    )
    with pytest.raises(DataFileError, match="best first"):
        load_standards(bad)
    bad.write_text(
        '[achievement_scale]\ngrades = [{key = "a", lower = 1.0}]\n'
        '[policy]\nservice_level_breach_below = "x"\n'
    )
    with pytest.raises(DataFileError, match="breach_below"):
        load_standards(bad)


def test_pm25_breach_is_graded_against_the_standard():
    """PM2.5 31 µg/m³ vs the PP 22/2021 annual limit 15: a breach, (2·15 − 31)/15 < 0 → 0 %."""
    pm = _rows().loc["ENV_PM25"]
    assert pm["value"] == 31 and pm["standard_value"] == 15.0
    assert pm["compliance"] == "breach" and pm["grade"] == "sangat_rendah"
    assert pm["grade_basis"] == "standard" and pm["graded_achievement"] == 0.0
    assert pm["grade_lower"] == 0.0 and pm["grade_upper"] == 51.0  # printed with the grade


def test_breach_caps_a_lenient_target_grade():
    """A lenient local target (40 µg/m³) reads 'met', the standard does not: value 16 is 93 %
    of the standard by the difference rule but breaches it, so the grade is capped."""
    res = make_results()
    iv = res.indicator_values.copy()
    iv.loc[
        (iv["area_code"] == CITY) & (iv["code"] == "ENV_PM25") & (iv["year"] == 2023), "value"
    ] = 16
    tg = pd.concat(
        [
            res.targets,
            pd.DataFrame([{"code": "ENV_PM25", "area_code": CITY, "year": 2023, "target": 40.0}]),
        ]
    )
    res = make_results(iv)
    res = type(res)(**{**res.__dict__, "targets": tg})
    pm = _rows(res).loc["ENV_PM25"]
    assert pm["target_grade"] == "sangat_tinggi"  # (2·40 − 16)/40 = 160 % → capped 150
    assert pm["standard_achievement"] == pytest.approx((30 - 16) / 15 * 100)
    assert pm["compliance"] == "breach" and pm["grade"] == BREACH_CAP
    assert pm["grade"] not in GOOD_GRADES


def test_no_target_no_grade_and_position_kept_apart():
    rows = _rows()
    wifi = rows.loc["MOB_WIFI_DENSITY"]
    assert wifi["grade"] == NO_GRADE and pd.isna(wifi["achievement"])
    spbe = rows.loc["GOV_SPBE"]  # 3.1 of 3.5 = 88.6 % → tinggi; last of four cities
    assert spbe["grade"] == "tinggi" and spbe["grade_basis"] == "target"
    assert (spbe["rank"], spbe["n_areas"], spbe["group"]) == (4, 4, "cities")
    assert spbe["verdict"] == "improving" and spbe["improving"]


def test_needs_attention_order_and_strengths():
    rows = _rows().reset_index()
    att = needs_attention(rows)
    assert att["code"].iloc[0] == "ENV_PM25" and att["tier"].iloc[0] == "breach"
    assert set(att["tier"]) <= {"breach", "sangat_rendah", "rendah", "worsening"}
    assert "GOV_SPBE" not in set(att["code"])  # tinggi and improving
    good = strengths(rows)
    assert set(good["grade"]) <= {"sangat_tinggi"} and "ENV_PM25" not in set(good["code"])


@pytest.mark.parametrize(
    ("grade", "rank", "worse", "tone", "contrast"),
    [
        ("sangat_tinggi", 7, False, "mixed", True),  # targets met, but last of 7
        ("sangat_tinggi", 1, True, "mixed", True),  # first, but worsening
        ("sangat_tinggi", 2, False, "good", False),
        ("sangat_tinggi", 4, False, "good", False),  # the median rank of 7
        ("sangat_tinggi", 5, False, "mixed", True),  # below the median: a reservation
        ("rendah", 1, False, "poor", False),
        (NO_GRADE, 7, False, "poor", False),
        ("sedang", 3, False, "mixed", False),
        ("tinggi", 7, True, "poor", True),  # two concerns: last and worsening
    ],
)
def test_headline_never_good_when_last_or_worsening(grade, rank, worse, tone, contrast):
    got_tone, got_contrast, clauses = headline(
        grade, 95.0, rank=rank, n=7, group="cities", worsening=worse, improving=False, n_breach=0
    )
    assert (got_tone, got_contrast) == (tone, contrast)
    keys = [c.key for c in clauses]
    if rank == 7:
        assert "status.clause.last" in keys
        assert clauses[keys.index("status.clause.last")].params == {
            "rank": 7,
            "n": 7,
            "group": "cities",
        }


def test_crafted_scorecard_dimensions():
    card = scorecard(make_results(), year=2023, lang="en")
    env = card.dimensions.set_index("code").loc["environment"]
    assert env["verdict"] == "worsening" and env["significant"] and env["tone"] == "poor"
    assert env["n_breach"] == 1
    kec = scorecard(make_results(), year=2023, area_code=KEC[0], lang="en")
    assert kec.comparison == "kecamatan" and kec.overall["group"] == "kecamatan"


# --- issue 10 defects on the sample data ----------------------------------------------------


@pytest.fixture(scope="module")
def city_card(scored_results):
    return scorecard(scored_results, year=2025, lang="en")


def test_no_dimension_good_while_last_of_peers_or_worsening(city_card):
    dims = city_card.dimensions
    n_cities = int(dims["n_areas"].max())
    assert n_cities == 7
    for d in dims.to_dict("records"):
        last = d["rank"] == d["n_areas"]
        worse = d["verdict"] == "worsening" and bool(d["significant"])
        if last or worse:
            assert d["tone"] != "good", d["code"]
            if d["grade"] in GOOD_GRADES:
                assert d["contrast"], d["code"]  # "targets met, but last of 7 peer cities"
        if last:
            assert "status.clause.last" in [c.key for c in d["headline"]]


def test_no_breach_is_graded_good(city_card):
    rows = city_card.indicators
    breach = rows[rows["compliance"] == "breach"]
    assert not breach.empty
    assert not set(breach["grade"]) & set(GOOD_GRADES)


def test_pm25_breaches_pp_22_2021(city_card):
    pm = city_card.indicators.set_index("code").loc["ENV_PM25"]
    assert pm["value"] > 15.0 and pm["standard_value"] == 15.0
    assert pm["compliance"] == "breach" and pm["grade"] == "sangat_rendah"
    assert city_card.attention["code"].iloc[0] == "ENV_PM25"


def test_indicator_without_target_has_no_grade(city_card, scored_results):
    rows = city_card.indicators
    tg = scored_results.targets
    with_target = set(
        tg.loc[(tg["area_code"] == scored_results.city) & (tg["year"] == 2025), "code"]
    )
    no_target = rows[
        ~rows["code"].isin(with_target) & ~rows["code"].isin(default_standards().by_code)
    ]
    assert not no_target.empty
    assert set(no_target["grade"]) == {NO_GRADE} and no_target["band"].isna().all()


def test_lowest_grades_are_in_needs_attention(city_card):
    """First response, dispatch within 6 h and digital literacy sit in the two lowest grades
    and are listed; lower grades come first; 'good' grades that do not worsen are not."""
    rows = city_card.indicators.set_index("code")
    three = ["GOV_FIRST_RESPONSE_WH", "GOV_DISPATCH_6H", "PEO_DIGITAL_LITERACY"]
    assert set(rows.loc[three, "grade"]) <= {"rendah", "sangat_rendah"}
    att = city_card.attention
    low = set(rows.index[rows["grade"].isin(["rendah", "sangat_rendah"])])
    assert set(three) <= low <= set(att["code"])
    tiers = list(att["tier"])
    assert tiers == sorted(tiers, key=["breach", "sangat_rendah", "rendah", "worsening"].index)
    ok = rows[
        rows["grade"].isin(GOOD_GRADES) & ~rows["worsening"] & (rows["compliance"] != "breach")
    ]
    assert not set(ok.index) & set(att["code"])  # e.g. 77–82 % items are not "risks"
    assert set(city_card.risks["code"]) == set(att["code"].head(len(city_card.risks)))


def test_sukarami_mobility_is_not_excellent(scored_results):
    reg = scored_results.regions
    area_code = reg.loc[reg["name"] == "Sukarami", "area_code"].iloc[0]
    card = scorecard(scored_results, year=2025, area_code=area_code, lang="en")
    mob = card.dimensions.set_index("code").loc["mobility"]
    assert card.comparison == "kecamatan" and mob["n_areas"] == 18
    assert mob["tone"] != "good"
    if mob["rank"] > 9:  # lower half of 18 kecamatan
        assert mob["grade"] not in GOOD_GRADES or mob["contrast"]
    assert mob["grade"] == NO_GRADE or mob["n_graded"] >= mob["n_valued"] / 2


def test_status_model_is_computed_once_per_results_and_callers_get_copies():
    results = make_results()

    def models() -> int:
        return sum(key[0] == "indicator_status" for key in results.memo)

    first = indicator_status(results, year=2023)
    assert models() == 1
    first["value"] = -1.0  # a caller changing its copy does not change the memo
    again = indicator_status(results, year=2023)
    assert models() == 1 and not again["value"].eq(-1.0).any()
    scorecard(results, year=2023, lang="en")  # the other language reuses the same frame
    assert models() == 1
    indicator_status(results, year=2023, area_code=KEC[0])
    assert models() == 2
