"""Catalogue invariants and validation errors that name the offending entry."""

from __future__ import annotations

import copy
import re
import tomllib
from pathlib import Path

import pytest

from smartindex.engine.framework import Framework
from smartindex.errors import CatalogueError
from smartindex.indicators import DIMENSIONS, catalogue_from_dict, load_catalogue
from smartindex.indicators.catalogue import DEFAULT_PATH

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
    assert {"code", "name", "parent", "direction", "weight", "level", "type", "unit",
            "name_id", "name_en"} <= set(frame.columns)
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
    copy_path = tmp_path / "cat.toml"
    copy_path.write_text("# a comment does not change the content\n" + text, encoding="utf-8")
    assert load_catalogue(copy_path).digest == catalogue.digest
    changed = copy.deepcopy(raw)
    changed["indicator"][0]["weight"] = 2.0
    assert catalogue_from_dict(changed).digest != catalogue.digest
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


@pytest.mark.parametrize(("code", "changes", "message"), [
    ("ENV_PM25", {"direction": 0}, "direction"),
    ("ENV_PM25", {"weight": 0}, "weight"),
    ("ENV_PM25", {"weight": "heavy"}, "weight"),
    ("ENV_PM25", {"tier": "gold"}, "tier"),
    ("ENV_PM25", {"dimension": "climate"}, "unknown dimension"),
    ("ENV_PM25", {"dimension": "living", "factor": "health"}, "prefix"),
    ("ENV_PM25", {"factor": "weather"}, "unknown factor"),
    ("ENV_PM25", {"factor": "health"}, "belongs to 'living'"),
    ("ENV_PM25", {"sql": None}, "missing sql"),
    ("ENV_PM25", {"sql": "   "}, "sql is empty"),
    ("ENV_PM25", {"source_kind": "gossip"}, "source_kind"),
    ("ENV_PM25", {"inputs": ["Bad Table"]}, "inputs"),
    ("ENV_PM25", {"goalposts": [55, 5]}, "goalposts"),
    ("ENV_PM25", {"min_n": 0}, "min_n"),
    ("ENV_PM25", {"code": "env_pm25"}, "code"),
])
def test_validation_errors_name_the_entry(raw, code, changes, message):
    data = _mutate(raw, code, changes)
    with pytest.raises(CatalogueError) as err:
        catalogue_from_dict(data)
    text = str(err.value)
    assert message in text
    assert code in text or "env_pm25" in text


def test_duplicate_code_is_named(raw):
    data = copy.deepcopy(raw)
    data["indicator"].append(copy.deepcopy(data["indicator"][3]))
    with pytest.raises(CatalogueError, match=f"{data['indicator'][3]['code']}: duplicate"):
        catalogue_from_dict(data)


def test_bad_dimension_factor_and_macro_are_named(raw):
    data = copy.deepcopy(raw)
    data["dimensions"]["branding"] = {"prefix": "BRA", "name_id": "x", "name_en": "x"}
    with pytest.raises(CatalogueError, match="dimension 'branding'"):
        catalogue_from_dict(data)
    data = copy.deepcopy(raw)
    data["factors"]["health"]["dimension"] = "weather"
    with pytest.raises(CatalogueError, match="factor 'health'"):
        catalogue_from_dict(data)
    data = copy.deepcopy(raw)
    data["macro"][0]["sql"] = "drop table region"
    with pytest.raises(CatalogueError, match="macro 'haversine_km'"):
        catalogue_from_dict(data)


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
    assert tuple(m.DIMENSION for m in modules) == DIMENSIONS
    assert sum(len(m.indicators(catalogue)) for m in modules) == len(catalogue.indicators)
