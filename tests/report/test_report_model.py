"""The report's view model: preformatted strings only, numbers equal to the library's."""

from __future__ import annotations

import re

import pytest

from smartindex.analysis.recommend import AREA_KEYS
from smartindex.analysis.scorecard import scorecard
from smartindex.display.i18n import format_number, locale_strings, t
from smartindex.display.method_text import STAGE_ORDER
from smartindex.indicators import load_catalogue
from smartindex.report import annex, places, sections
from smartindex.report.model import report_model
from smartindex.report.sections import breakable, typeset_text


def leaves(node):
    """Every leaf value except the tables' layout widths (numbers by design)."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k != "widths":
                yield from leaves(v)
    elif isinstance(node, list):
        for v in node:
            yield from leaves(v)
    else:
        yield node


@pytest.fixture(scope="module")
def model_en(scored_results, scored_warehouse):
    return report_model(scored_results, year=scored_results.latest_year, lang="en")


def test_model_holds_only_preformatted_strings(model_en):
    model, _ = model_en
    kinds = {type(x).__name__ for x in leaves(model)}
    assert kinds <= {"str", "bool", "NoneType"}, kinds


def test_model_index_and_tiles_equal_the_scorecard(model_en, scored_results):
    model, figures = model_en
    card = scorecard(scored_results, year=scored_results.latest_year, lang="en")
    assert model["summary"]["index"] == format_number(card.overall["score"], "en", 1)
    tiles = {tile["name"]: tile["score"] for tile in model["summary"]["tiles"]}
    for row in card.dimensions.to_dict("records"):
        assert tiles[row["name"]] == format_number(row["score"], "en", 1)
    assert len(model["dimensions"]) == len(card.dimensions)
    assert {f"trend-{c}" for c in card.dimensions["code"]} <= set(figures)
    assert len(model["summary"]["wins"]) == len(card.strengths) > 0
    assert len(model["summary"]["risks"]) == len(card.risks) > 0


def test_every_table_row_has_one_cell_per_column(model_en):
    model, _ = model_en
    tables = [d["table"] for d in model["dimensions"]]
    tables += [
        model["districts"]["index_table"],
        model["peers"]["table"],
        model["method"]["indicator_table"],
        model["quality"]["coverage_table"],
    ]
    for tbl in tables:
        assert len(tbl["widths"]) == len(tbl["header"]) == len(tbl["align"])
        assert all(len(row) == len(tbl["header"]) for row in tbl["rows"])


def test_breakable_adds_break_points_only():
    text = "expect_column_values_to_be_between"
    assert breakable(text).replace("\u200b", "") == text
    assert breakable(text).count("\u200b") == text.count("_")
    assert "\u200b" in breakable("f" * 64, 32)


@pytest.fixture(scope="module")
def model_id(scored_results, scored_warehouse):
    return report_model(scored_results, year=scored_results.latest_year, lang="id")


def _unit_cells(tbl, lang):
    col = tbl["header"].index(t("col.measure_unit", lang))
    return [row[col] for row in tbl["rows"]]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_units_are_printed_in_the_report_language(lang, model_id, model_en):
    model, _ = model_id if lang == "id" else model_en
    cat = load_catalogue()
    # typeset: "per 1 000" keeps its number on the line (no-break spaces)
    assert _unit_cells(model["method"]["indicator_table"], lang) == [
        typeset_text(i.unit_label(lang)) for i in cat.indicators
    ]
    shown = {c for d in model["dimensions"] for c in _unit_cells(d["table"], lang)}
    assert shown and shown <= {typeset_text(i.unit_label(lang)) for i in cat.indicators}
    if lang == "id":
        english = {"per resident", "working hours", "Rp million", "years", "index"}
        assert not english & shown
        assert "per penduduk" in shown


KEY_LIKE = re.compile(r"[a-z_]+(\.[a-z0-9_]+)+")


def untranslated(model: dict, prefixes: set[str]) -> list[str]:
    """Leaves that look like a locale key (``t`` echoes unknown keys), e.g. ``report.stage.x``."""
    return [
        x
        for x in leaves(model)
        if isinstance(x, str) and KEY_LIKE.fullmatch(x) and x.split(".")[0] in prefixes
    ]


def test_untranslated_finds_echoed_keys():
    assert untranslated({"a": ["report.stage.xyz", "data.csv", "Ringkasan"]}, {"report"}) == [
        "report.stage.xyz"
    ]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_visible_string_of_the_model_is_translated(lang, model_id, model_en):
    model, _ = {"id": model_id, "en": model_en}[lang]
    prefixes = {k.split(".")[0] for k in locale_strings(lang)}
    assert untranslated(model, prefixes) == []
    assert model["labels"] == {k: v for k, v in model["labels"].items() if v != k}
    assert model["meta"]["author"] == "smartindex"


def test_fixed_label_keys_of_the_report_exist():
    known = locale_strings("en")
    keys = [f"report.stage.{s}" for s in STAGE_ORDER] + list(annex.DIRECTIONS.values())
    keys += [f"report.asset.{a}" for a in places.ASSETS]
    keys += [f"recs.area.{a}" for a in AREA_KEYS]
    keys += [f"report.{k}" for k in sections.LABEL_KEYS] + list(sections.EXTRA_LABELS.values())
    assert [k for k in keys if k not in known] == []
