"""Catalogue invariants and validation errors that name the offending entry."""

from __future__ import annotations

import copy
import re
import shutil
import tomllib
from pathlib import Path

import pytest

from smartindex.engine.framework import Framework
from smartindex.errors import CatalogueError
from smartindex.indicators import DIMENSIONS, catalogue_from_dict, load_catalogue
from smartindex.indicators.catalogue import DEFAULT_PATH
from smartindex.indicators.docs import COMPLAINT_KPIS, catalogue_markdown, main

ROOT = Path(__file__).parents[2]


@pytest.fixture(scope="module")
def raw() -> dict:
    return tomllib.loads(DEFAULT_PATH.read_text(encoding="utf-8"))


def test_catalogue_has_the_documented_codes_exactly(catalogue):
    doc = (ROOT / "docs" / "indicator-codes.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| ([A-Z]{3}_[A-Z0-9_]+) \|", doc, re.M))
    assert len(documented) == 54
    assert set(catalogue.codes) == documented


def test_catalogue_invariants(catalogue):
    assert len(catalogue.indicators) >= 45
    assert len(set(catalogue.codes)) == len(catalogue.codes)
    assert {d.key for d in catalogue.dimensions} == set(DIMENSIONS)
    assert {i.dimension for i in catalogue.indicators} == set(DIMENSIONS)
    assert len({i.factor for i in catalogue.indicators}) >= 25
    factor_dim = {f.key: f.dimension for f in catalogue.factors}
    for ind in catalogue.indicators:
        assert factor_dim[ind.factor] == ind.dimension
        assert ind.code.startswith(ind.dimension[:3].upper() + "_")
        assert ind.direction in (1, -1) and ind.weight > 0 and ind.sql
        assert ind.inputs and ind.target_reference


def test_docs_match_the_codes_directions(catalogue):
    doc = (ROOT / "docs" / "indicator-codes.md").read_text(encoding="utf-8")
    for code, sign in re.findall(r"^\| ([A-Z]{3}_[A-Z0-9_]+) \|.*\| ([+−]) \|[^|]*\|$", doc, re.M):
        assert catalogue.indicator(code).direction == (1 if sign == "+" else -1), code


def test_for_dimension_and_unknown_dimension(catalogue):
    gov = catalogue.for_dimension("governance")
    assert {i.code for i in gov} >= {"GOV_VERIFIED_3WD", "GOV_IKM", "GOV_SPBE"}
    assert all(i.dimension == "governance" for i in gov)
    with pytest.raises(CatalogueError, match="smart_branding"):
        catalogue.for_dimension("smart_branding")


def test_framework_frame_builds_an_engine_framework(catalogue):
    frame = catalogue.to_framework_frame()
    assert {
        "code",
        "name",
        "parent",
        "direction",
        "weight",
        "level",
        "type",
        "unit",
        "name_id",
        "name_en",
    } <= set(frame.columns)
    fw = Framework.from_frame(frame)
    assert fw.root == "INDEX"
    assert fw.levels == [1, 2, 3, 4]
    assert fw.indicators == catalogue.codes
    assert set(fw.children("INDEX")) == set(DIMENSIONS)
    assert fw.column("parent")["GOV_VERIFIED_3WD"] == "public_services"
    assert fw.column("direction")["ENV_PM25"] == -1
    assert fw.column("goalpost_hi")["GOV_SPBE"] == 5.0
    # declared factors without indicators (e.g. education_facilities) stay out of the tree
    assert "education_facilities" not in set(frame["code"])


def test_digest_is_deterministic_and_content_based(catalogue, raw, tmp_path):
    again = load_catalogue()
    assert again.digest == catalogue.digest and len(catalogue.digest) == 64
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    folder = shutil.copytree(DEFAULT_PATH.parent, tmp_path / "indicators")
    copy_path = folder / "cat.toml"
    copy_path.write_text("# a comment does not change the content\n" + text, encoding="utf-8")
    assert load_catalogue(copy_path).digest == catalogue.digest
    changed = copy.deepcopy(raw)
    changed["indicator"][0]["weight"] = 2.0
    assert catalogue_from_dict(changed, DEFAULT_PATH.parent).digest != catalogue.digest
    query = folder / "economy" / "eco_new_business.sql"
    query.write_text(query.read_text(encoding="utf-8") + "limit 0\n", encoding="utf-8")
    assert load_catalogue(copy_path).digest != catalogue.digest  # the SQL files count too
    assert catalogue.version == raw["version"]


def _mutate(raw: dict, code: str, changes: dict) -> dict:
    data = copy.deepcopy(raw)
    entry = next(e for e in data["indicator"] if e["code"] == code)
    for key, value in changes.items():
        if value is None:
            entry.pop(key)
        else:
            entry[key] = value
    return data


@pytest.mark.parametrize(
    ("code", "changes", "message"),
    [
        ("ENV_PM25", {"direction": 0}, "direction"),
        ("ENV_PM25", {"weight": 0}, "weight"),
        ("ENV_PM25", {"weight": "heavy"}, "weight"),
        ("ENV_PM25", {"tier": "gold"}, "tier"),
        ("ENV_PM25", {"dimension": "climate"}, "unknown dimension"),
        ("ENV_PM25", {"dimension": "living", "factor": "health"}, "prefix"),
        ("ENV_PM25", {"factor": "weather"}, "unknown factor"),
        ("ENV_PM25", {"factor": "health"}, "belongs to 'living'"),
        ("ENV_PM25", {"sql": "   "}, "sql is empty"),
        ("ENV_PM25", {"source_kind": "gossip"}, "source_kind"),
        ("ENV_PM25", {"inputs": ["Bad Table"]}, "inputs"),
        ("ENV_PM25", {"goalposts": [55, 5]}, "goalposts"),
        ("ENV_PM25", {"min_n": 0}, "min_n"),
        ("ENV_PM25", {"code": "env_pm25"}, "code"),
        ("ENV_PM25", {"unit_id": None}, "missing unit_id"),
        ("ENV_PM25", {"unit_en": ""}, "missing unit_en"),
        ("ENV_PM25", {"unit_en": "   "}, "unit_en must be non-empty text"),
        ("ENV_PM25", {"unit_id": 3}, "unit_id must be non-empty text"),
        ("ENV_PM25", {"unit": "µg/m³"}, "replaced by unit_id"),
    ],
)
def test_validation_errors_name_the_entry(raw, code, changes, message):
    data = _mutate(raw, code, changes)
    with pytest.raises(CatalogueError) as err:
        catalogue_from_dict(data, DEFAULT_PATH.parent)
    text = str(err.value)
    assert message in text
    assert code in text or "env_pm25" in text


def test_a_catalogue_without_queries_or_a_folder_is_refused(raw, tmp_path):
    with pytest.raises(CatalogueError, match="no sql"):
        catalogue_from_dict(raw)
    folder = shutil.copytree(DEFAULT_PATH.parent, tmp_path / "indicators")
    (folder / "environment" / "env_pm25.sql").unlink()
    with pytest.raises(CatalogueError, match=r"ENV_PM25: query file .*env_pm25\.sql not found"):
        catalogue_from_dict(raw, folder)


def test_standards_are_data_and_need_their_citation(raw, catalogue):
    pm = catalogue.indicator("ENV_PM25")
    assert (pm.standard_value, pm.standard_op) == (15.0, "<=") and "PP 22/2021" in pm.standard
    assert pm.meets_standard(15.0) and not pm.meets_standard(29.4)
    ikm = catalogue.indicator("GOV_IKM")
    assert [ikm.band(v).grade for v in (25.0, 64.995, 76.61, 88.31, 100.0)] == [
        "D",
        "D",
        "B",
        "A",
        "A",
    ]
    assert ikm.band(101.0) is None and ikm.meets_standard(90.0) is None
    for code, days in (("GOV_VERIFIED_3WD", 3), ("GOV_FOLLOWUP_5WD", 5)):
        ind = catalogue.indicator(code)
        assert ind.ticket_limit is not None and ind.ticket_limit.value == days
        assert "Perpres 76/2013" in ind.standard and "PermenPANRB 62/2018" in ind.standard
    data = _mutate(raw, "ENV_PM25", {"standard": None})
    with pytest.raises(CatalogueError, match="need the `standard`"):
        catalogue_from_dict(data, DEFAULT_PATH.parent)
    data = _mutate(raw, "ENV_PM25", {"standard_op": "<"})
    with pytest.raises(CatalogueError, match="standard_op"):
        catalogue_from_dict(data, DEFAULT_PATH.parent)


def test_duplicate_code_is_named(raw):
    data = copy.deepcopy(raw)
    data["indicator"].append(copy.deepcopy(data["indicator"][3]))
    with pytest.raises(CatalogueError, match=f"{data['indicator'][3]['code']}: duplicate"):
        catalogue_from_dict(data, DEFAULT_PATH.parent)


def test_bad_dimension_factor_and_macro_are_named(raw):
    data = copy.deepcopy(raw)
    data["dimensions"]["branding"] = {"prefix": "BRA", "name_id": "x", "name_en": "x"}
    with pytest.raises(CatalogueError, match="dimension 'branding'"):
        catalogue_from_dict(data, DEFAULT_PATH.parent)
    data = copy.deepcopy(raw)
    data["factors"]["health"]["dimension"] = "weather"
    with pytest.raises(CatalogueError, match="factor 'health'"):
        catalogue_from_dict(data, DEFAULT_PATH.parent)
    data = copy.deepcopy(raw)
    data["macro"][0]["sql"] = "drop table region"
    with pytest.raises(CatalogueError, match="macro 'haversine_km'"):
        catalogue_from_dict(data, DEFAULT_PATH.parent)


def test_unreadable_files_raise_catalogue_error(tmp_path):
    with pytest.raises(CatalogueError, match="not found"):
        load_catalogue(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("version = [", encoding="utf-8")
    with pytest.raises(CatalogueError, match="not valid TOML"):
        load_catalogue(bad)


def test_dimension_modules_bind_their_key(catalogue):
    from smartindex.indicators import (
        economy,
        environment,
        governance,
        living,
        mobility,
        people,
    )

    modules = (economy, people, governance, mobility, environment, living)
    assert tuple(m.KEY for m in modules) == DIMENSIONS
    assert sum(len(m.indicators(catalogue)) for m in modules) == len(catalogue.indicators)


def test_every_indicator_has_its_unit_in_both_languages(catalogue):
    for ind in catalogue.indicators:
        assert ind.unit_id.strip() and ind.unit_en.strip(), ind.code
        assert ind.unit == ind.unit_en == ind.unit_label("en"), ind.code
        assert ind.unit_label("id") == ind.unit_id, ind.code
    loans = catalogue.indicator("PEO_LIBRARY_LOANS")
    assert (loans.unit_label("id"), loans.unit_label("en")) == ("per penduduk", "per resident")
    english = {"per resident", "working hours", "Rp million", "years", "index"}
    assert not english & {i.unit_id for i in catalogue.indicators}
    frame = catalogue.to_framework_frame().set_index("code")
    assert frame.loc["GOV_FIRST_RESPONSE_WH", "unit"] == "working hours"


def test_docs_catalogue_md_is_generated_from_the_catalogue(catalogue):
    path = ROOT / "docs" / "catalogue.md"
    assert path.read_text(encoding="utf-8") == catalogue_markdown(load_catalogue()), (
        "docs/catalogue.md is out of date with catalogue.toml; regenerate it with "
        "`python -m smartindex.indicators.docs > docs/catalogue.md`"
    )


def test_catalogue_markdown_lists_every_indicator_and_kpi(catalogue):
    text = catalogue_markdown(catalogue)
    rows = re.findall(r"^\| `([A-Z]{3}_[A-Z0-9_]+)` \|", text, re.M)
    assert rows == catalogue.codes
    assert text.count("### Smart ") == len(catalogue.dimensions)
    assert "| `GOV_FIRST_RESPONSE_WH` | Median working hours to first response<br>" in text
    assert "| working hours<br>*jam kerja* | − | core | service_records |" in text
    assert {code for code, _ in COMPLAINT_KPIS} <= set(catalogue.codes)


def test_docs_main_reports_a_bad_catalogue_in_one_line(tmp_path, capsys):
    assert main([str(tmp_path / "missing.toml")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error:") and "not found" in err and err.count("\n") == 1
