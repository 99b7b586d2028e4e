"""The source registry is validated on load: bad entries raise CatalogueError naming the source."""

from __future__ import annotations

import datetime as dt

import pytest

from smartindex.errors import CatalogueError
from smartindex.etl.registry import DEFAULT_REGISTRY, load_registry, parse_registry


def _doc(**source_over: object) -> dict:
    src = {
        "name": "demo",
        "pattern": "demo.csv",
        "primary_key": ["id"],
        "columns": {"id": "VARCHAR", "n": "INTEGER", "code": "VARCHAR"},
        "expect": {"not_null": ["id"]},
    }
    src.update(source_over)
    return {"version": 1, "source": [src]}


def test_shipped_registry_loads_in_dependency_order() -> None:
    reg = load_registry()
    names = [s.name for s in reg.sources]
    assert names[0] == "region" and len(names) == 18
    assert reg.get("complaints").pseudonymise == ("reporter_id", "reporter_name", "reporter_phone")
    assert reg.get("official_stats").decimal == ","
    assert reg.bbox["lat"] == (-3.12, -2.84)


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"colour": "red"}, "unknown key(s) colour"),
        ({"columns": {"id": "VARCHAR", "n": "INT4X"}}, "unknown type 'INT4X'"),
        ({"expect": {"regex": {"code": "^(16"}}}, "not a valid regular expression"),
        ({"expect": {"references": {"code": "nowhere.code"}}}, "unknown or later table 'nowhere'"),
        ({"expect": {"references": {"code": "demo.missing"}}}, "has no column 'missing'"),
        ({"expect": {"between": {"n": [5, 1]}}}, "lo <= hi"),
        ({"expect": {"in_set": {"ghost": ["a"]}}}, "unknown column 'ghost'"),
        ({"expect": {"maybe": ["id"]}}, "unknown key(s) maybe"),
        ({"expect": {"not_future": ["n"]}}, "must be DATE or TIMESTAMP"),
        ({"format": "json"}, "format 'json'"),
        ({"pseudonymise": ["code"], "expect": {"regex": {"code": "^1$"}}}, "pseudonymised"),
        ({"primary_key": ["nope"]}, "primary_key names unknown column 'nope'"),
        # issue 16: every date column needs a plausible lower bound; within needs a reference
        (
            {"columns": {"id": "VARCHAR", "n": "INTEGER", "code": "VARCHAR", "day": "DATE"}},
            "date/time column(s) day need a plausible lower bound",
        ),
        ({"expect": {"not_before": {"n": "2000-01-01"}}}, "not_before column 'n' must be DATE"),
        (
            {
                "columns": {"id": "VARCHAR", "n": "INTEGER", "code": "VARCHAR", "day": "DATE"},
                "expect": {"not_before": {"day": "first of May"}},
            },
            "must be a date (YYYY-MM-DD)",
        ),
        ({"expect": {"within": {"code": ["id", "demo.id"]}}}, "within.code needs references.code"),
    ],
)
def test_bad_registry_entry_names_the_source(over: dict, message: str) -> None:
    with pytest.raises(CatalogueError, match="source 'demo'") as err:
        parse_registry(_doc(**over))
    assert message in str(err.value)


def test_self_reference_is_allowed() -> None:
    reg = parse_registry(_doc(expect={"references": {"code": "demo.id"}}))
    assert reg.get("demo").expect.references == {"code": ("demo", "id")}


def test_unreadable_registry_file(tmp_path) -> None:
    bad = tmp_path / "sources.toml"
    bad.write_text(DEFAULT_REGISTRY.read_text() + "\n[[source]\n")
    with pytest.raises(CatalogueError, match="cannot read source registry"):
        load_registry(bad)


def test_not_before_accepts_toml_dates_and_iso_strings() -> None:
    cols = {"id": "VARCHAR", "n": "INTEGER", "code": "VARCHAR", "day": "DATE", "at": "TIMESTAMP"}
    reg = parse_registry(
        _doc(columns=cols, expect={"not_before": {"day": dt.date(2000, 1, 1), "at": "2010-06-30"}})
    )
    assert reg.get("demo").expect.not_before == {
        "day": dt.date(2000, 1, 1),
        "at": dt.date(2010, 6, 30),
    }
