"""The annual report as a city would publish it (issue 13): honest about its data basis,
sourced under every table, numbers equal to the warehouse's and the library's, fully
Indonesian in the id edition, no near-empty pages, a clean PDF structure, and one-line
failures for a year without data or an unwritable output."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from PIL import Image

from smartindex.analysis.scorecard import scorecard
from smartindex.display.i18n import t
from smartindex.display.numbers import format_count, format_number, format_signed
from smartindex.display.status import localise_scorecard
from smartindex.report import build_report
from smartindex.report.annex import quarantined_rows, reason_text
from smartindex.report.build import ReportError, check_output, tidy_pdf
from smartindex.report.model import report_model
from smartindex.report.provenance import data_basis, is_secondary, source_line, source_list
from smartindex.report.sections import graded_cells, typeset_text
from smartindex.warehouse.cities import use_city

LANGS = ("id", "en")
# words of the report's own vocabulary that must never appear in the Indonesian edition (raw
# source texts are quoted as recorded, so plain function words are not listed)
ENGLISH_WORDS = (
    "Source",
    "Sources",
    "Table",
    "Figure",
    "Foreword",
    "Contents",
    "Page",
    "Annex",
    "Summary",
    "Scorecard",
    "Score",
    "Rank",
    "Achievement",
    "Trend",
    "Improving",
    "Worsening",
    "Stable",
    "rows",
    "quarantined",
    "loaded",
    "Expectation",
    "Run",
    "run",
    "Manifest",
    "Recommendation",
    "Recommendations",
    "Evidence",
    "Agency",
    "Priority",
    "Peer",
    "peers",
    "Districts",
    "Coverage",
    "Definition",
    "Value",
    "Year",
    "Index",
    "Very",
    "High",
    "Low",
    "Medium",
    "higher",
    "lower",
    "better",
    "worse",
    "ranks",
    "indicators",
    "missing",
    "value",
    "required",
    "duplicate",
    "outside",
    "before",
    "None",
    "False",
    "Example",
)
MIN_INK = 0.025  # share of non-white pixels a page needs at 70 dpi (no near-empty pages)
needs_poppler = pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="poppler-utils (pdftotext, pdftoppm) not installed"
)


@pytest.fixture(scope="module")
def pdfs(scored_results, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("publication")
    year = scored_results.latest_year
    return {lang: build_report(scored_results, year=year, lang=lang, out_dir=out) for lang in LANGS}


@pytest.fixture(scope="module")
def models(scored_results) -> dict[str, dict]:
    year = scored_results.latest_year
    return {lang: report_model(scored_results, year=year, lang=lang)[0] for lang in LANGS}


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def tables(node):
    """Every table dict (``header`` + ``rows``) of the model."""
    if isinstance(node, dict):
        if "header" in node and "rows" in node:
            yield node
        for v in node.values():
            yield from tables(v)
    elif isinstance(node, list):
        for v in node:
            yield from tables(v)


# --- honesty -----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_every_table_has_a_source_line(models, lang):
    label = t("report.src.label", lang)
    found = list(tables(models[lang]))
    assert len(found) >= 15
    unsourced = [tb["header"] for tb in found if not str(tb.get("source", "")).startswith(label)]
    assert unsourced == []


@pytest.mark.parametrize("lang", LANGS)
def test_every_chart_has_a_source_line(models, lang):
    m, label = models[lang], t("report.src.label", lang)
    lines = [m["districts"]["chart_source"], m["districts"]["map"]["source"]]
    lines += [m["peers"]["chart_source"]]
    lines += [d["district_source"] for d in m["dimensions"]]
    lines += [d["trend_source"] for d in m["dimensions"] if d["trend_chart"]]
    lines += [f["source"] for f in m["facts"]]
    assert all(line.startswith(label) for line in lines)


@pytest.mark.parametrize("lang", LANGS)
def test_cover_states_the_synthetic_share_in_words(models, scored_results, lang):
    basis = models[lang]["meta"]["basis"]
    assert basis, "the sample warehouse is synthetic: the cover must say so"
    iv = scored_results.indicator_values
    own = iv[(iv["area_code"] == scored_results.city) & (iv["year"] == scored_results.latest_year)]
    synthetic = 100 * (1 - own["official_share"].fillna(0).mean())
    assert f"{format_number(synthetic, lang, 0)}%" in basis


def test_all_official_data_need_no_basis_statement(scored_results):
    iv = scored_results.indicator_values.assign(official_share=1.0, is_synthetic=False)
    tg = scored_results.targets.assign(is_synthetic=False)
    official = dataclasses.replace(scored_results, indicator_values=iv, targets=tg)
    assert data_basis(official, year=scored_results.latest_year, lang="id") is None


def test_synthetic_targets_are_never_cited_as_rpjmd_documents(scored_results):
    line = source_line(scored_results, lang="id", years=[scored_results.latest_year], targets=True)
    assert t("report.src.targets_synthetic", "id") in line
    listed = source_list(scored_results, "en")
    assert not [s for s in listed["official"] if "RPJMD" in s or "synthetic" in s.lower()]
    assert not [s for s in listed["official"] if is_secondary(s)]


def test_secondary_texts_are_recognised():
    assert is_secondary("BPS / Wikipedia mirrors (area)")
    assert is_secondary("area from memory, unverified")
    assert is_secondary("BPS, Sensus Penduduk 2020 (via id.wikipedia, Daftar kota)")
    assert not is_secondary("BPS, Kota Palembang Dalam Angka 2024")


# --- correct numbers ---------------------------------------------------------------------------


def test_quarantine_count_is_the_warehouses_rows_not_failed_checks(
    scored_results, scored_warehouse, models
):
    with duckdb.connect(str(scored_warehouse), read_only=True) as con:
        use_city(con, None)  # the warehouse's only city
        rows = con.execute("select sum(rows_quarantined) from load_current").fetchone()[0]
        checks = con.execute("select count(*) from quarantine").fetchone()[0]
    assert quarantined_rows(scored_results) == rows
    assert rows <= checks
    text = models["en"]["quality"]["quarantine_text"]
    assert text.startswith(format_count(rows, "en", typeset=True) + " rows")
    header = models["en"]["quality"]["quarantine_table"]["header"]
    assert header[0] == t("report.file", "en")


@pytest.mark.parametrize("lang", LANGS)
def test_scorecard_numbers_equal_the_library(models, scored_results, lang):
    year = scored_results.latest_year
    card = scorecard(scored_results, year=year, lang=lang)
    rows = models[lang]["scorecard"]["table"]["rows"]
    expected = [card.overall["score"], *card.dimensions["score"]]
    assert [r[2]["t"] for r in rows] == [format_number(x, lang, 1) for x in expected]
    s = scored_results.scores
    prev = s[
        (s["comparison"] == "cities")
        & (s["area_code"] == scored_results.city)
        & (s["year"] == year - 1)
        & (s["code"] == "INDEX")
    ]["score"].iloc[0]
    assert rows[0][1] == format_number(prev, lang, 1)
    thresholds = models[lang]["scorecard"]["thresholds"]["rows"]
    assert thresholds[0][1] == "≥ 91%" and len(thresholds) == 5  # Permendagri 86/2017


def test_quarantine_reasons_read_as_indonesian():
    assert reason_text("missing value in a required column", "id") == "kolom wajib kosong"
    assert reason_text("outside [0, 24]", "id") == "di luar rentang 0 sampai 24"
    assert reason_text("resolved_at before created_at", "id").endswith("daripada created_at")
    assert reason_text("something new", "id") == "something new"


# --- typography --------------------------------------------------------------------------------


def test_typeset_keeps_thousands_together_and_sets_signs():
    nbsp = "\u00a0"
    assert typeset_text("per 1 000 penduduk") == f"per{nbsp}1{nbsp}000 penduduk"
    assert typeset_text("skor >= 4") == "skor ≥ 4"
    assert typeset_text("RPJMD 2019-2023") == "RPJMD 2019–2023"
    assert typeset_text("2016 2017") == "2016 2017"


# --- the PDF -----------------------------------------------------------------------------------


def test_tidy_pdf_blanks_suspects_false_keeping_offsets():
    raw = b"<</Type/Catalog/MarkInfo<</Marked true/Suspects false>>>>\nxref"
    tidy = tidy_pdf(raw)
    assert len(tidy) == len(raw) and b"Suspects" not in tidy


@needs_poppler
@pytest.mark.parametrize("lang", LANGS)
def test_pdfinfo_and_pdffonts_report_no_syntax_error(pdfs, lang):
    for tool in ("pdfinfo", "pdffonts"):
        run = subprocess.run([tool, str(pdfs[lang])], capture_output=True, text=True, check=True)
        assert "Error" not in run.stderr, run.stderr


@needs_poppler
def test_id_edition_holds_no_english_report_vocabulary(pdfs):
    text = pdf_text(pdfs["id"])
    words = set(re.findall(r"[A-Za-z]+", text))
    assert sorted(words & set(ENGLISH_WORDS)) == []
    assert "Laporan Tahunan Kota Cerdas Palembang" in " ".join(text.split())
    for key in ("report.foreword", "report.src.label"):
        assert t(key, "id") in text


@needs_poppler
@pytest.mark.parametrize("lang", LANGS)
def test_no_page_is_near_empty(pdfs, lang, tmp_path):
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", str(pdfs[lang]), str(tmp_path / "p")], check=True
    )
    thin = {}
    for png in sorted(tmp_path.glob("p-*.png")):
        grey = np.asarray(Image.open(png).convert("L"))
        ink = float((grey < 235).mean())
        if ink <= MIN_INK:
            thin[png.name] = round(ink, 4)
    assert thin == {}


# --- robustness --------------------------------------------------------------------------------


def test_first_year_has_no_single_point_trend(scored_results):
    first = scored_results.years[0]
    model, charts = report_model(scored_results, year=first, lang="en")
    assert all(d["trend_chart"] is None for d in model["dimensions"])
    assert not [k for k in charts if k.startswith("trend-")]
    assert f"{first}–{first}" not in str(model)


def test_a_year_without_data_is_refused_before_any_work(scored_results, tmp_path):
    with pytest.raises(ReportError, match="2030: no data"):
        build_report(scored_results, year=2030, out_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_an_existing_file_as_output_folder_is_refused(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ReportError, match=re.escape(str(blocker))):
        check_output(blocker / "palembang-2025-id.pdf")


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "smartindex.cli", "report", *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_cli_refuses_a_year_without_data_in_one_line(scored_warehouse, tmp_path):
    run = _cli("--db", str(scored_warehouse), "--year", "2030", "--out", str(tmp_path))
    assert run.returncode == 1
    assert run.stderr.count("\n") == 1 and "2030" in run.stderr


def test_cli_unwritable_output_is_one_line_naming_the_path(scored_warehouse, tmp_path):
    blocker = tmp_path / "exists.pdf"
    blocker.write_text("x")
    for out in (blocker, Path("/proc/smartindex-no-such-dir")):
        run = _cli("--db", str(scored_warehouse), "--year", "2025", "--out", str(out))
        assert run.returncode == 1, run.stderr
        assert run.stderr.count("\n") == 1 and str(out) in run.stderr


def test_why_the_index_changed_sums_to_the_change(models, scored_results):
    change = models["en"]["change"]
    assert change is not None
    rows = change["table"]["rows"]
    total = rows[-1][-1]["t"]
    s = scored_results.scores
    own = s[
        (s["comparison"] == "cities")
        & (s["area_code"] == scored_results.city)
        & (s["code"] == "INDEX")
    ].set_index("year")["score"]
    year = scored_results.latest_year
    assert total == format_signed(own[year] - own[year - 1], "en", 2)
    assert change["table"]["source"].startswith(t("report.src.label", "en"))


# --- read as a reader would (issue 13, after looking at every page) ---------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_method_annex_reads_as_sentences_not_config(models, lang):
    steps = dict(models[lang]["method"]["steps"])
    texts = [v for k, v in steps.items() if k != t("report.method", lang)]
    assert texts, steps
    for text in texts:
        plain = text.replace("\u200b", "")
        assert " = " not in plain and not re.search(r"\b(None|False|True)\b", plain), plain
    # the default method scores a unit with >= 75 % of its data: the sentence says so
    screen = steps[t("report.stage.screen", lang)].replace("\u200b", "")
    assert "75%" in screen


@pytest.mark.parametrize("lang", LANGS)
def test_run_time_is_printed_to_the_second(models, lang):
    pairs = dict(models[lang]["method"]["manifest_pairs"])
    shown = pairs[t("report.manifest.created_at", lang)].replace("\u200b", "")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", shown), shown


@pytest.mark.parametrize("lang", LANGS)
def test_marked_status_cells_and_their_note_go_together(models, lang):
    """A † status (graded against a legal standard) always comes with the line naming the
    standard, and a table without one has no such line."""
    for table in tables(models[lang]):
        marked = [c for row in table["rows"] for c in row if isinstance(c, dict) and "†" in c["t"]]
        note = table.get("marks", "")
        assert bool(marked) == bool(note), (table["header"], note)
        if marked:
            assert note.startswith("†") and note.count("(") >= len(marked)


@pytest.mark.parametrize("lang", LANGS)
def test_tiles_state_rank_next_to_grade(models, scored_results, lang):
    card = scorecard(scored_results, year=scored_results.latest_year, lang=lang)
    tiles = {tile["name"]: tile for tile in models[lang]["summary"]["tiles"]}
    for dim in card.dimensions.to_dict("records"):
        expected = t(
            "report.tile_rank",
            lang,
            rank=format_number(dim["rank"], lang, 0),
            n=format_number(dim["n_areas"], lang, 0),
        )
        assert tiles[dim["name"]]["position"] == expected


def test_district_tables_follow_the_chapter_order(models, scored_results):
    card = scorecard(scored_results, year=scored_results.latest_year, lang="en")
    shown = [row[0] for row in models["en"]["districts"]["inequality_table"]["rows"]]
    assert shown == [n for n in card.dimensions["name"] if n in shown]


def test_district_basis_counts_the_kecamatan_indicators(models, scored_results):
    """The sentence says on how many indicators each district dimension score rests, counted
    here from the published kecamatan scores."""
    s = scored_results.scores
    year = scored_results.latest_year
    have = set(
        s.loc[(s["comparison"] == "kecamatan") & (s["level"] == 1) & (s["year"] == year), "code"]
    )
    narrative = " ".join(models["en"]["districts"]["narrative"])
    for dim in scored_results.catalogue.dimensions:
        codes = [i.code for i in scored_results.catalogue.indicators if i.dimension == dim.key]
        name = scored_results.catalogue.name(dim.key, "en")
        n = sum(c in have for c in codes)
        assert f"{name} {n} of {len(codes)}" in narrative


def test_a_value_at_target_but_over_the_legal_limit_says_why_it_is_graded_low(scored_results):
    """PM2.5 at its (synthetic) target of 25 µg/m³ is 100 % achieved yet breaches PP 22/2021
    (≤ 15): the status cell is marked and the note gives the limit and the regulation."""
    card = localise_scorecard(scorecard(scored_results, year=scored_results.latest_year, lang="id"))
    rows = pd.DataFrame(
        [
            {
                "name": "Rata-rata tahunan PM2.5",
                "band": "Sangat rendah",
                "grade_basis": "standard",
                "standard_value": 15.0,
                "standard_op": "<=",
                "unit": "µg/m³",
                "standard_citation": "PP 22/2021 Lampiran VII",
            },
            {"name": "Lain", "band": "Tinggi", "grade_basis": "target", "unit": "%"},
        ]
    )
    cells, note = graded_cells(rows, card)
    assert [c["t"] for c in cells] == ["Sangat rendah †", "Tinggi"]
    assert note.startswith("† Dinilai terhadap standar hukum")
    assert "Rata-rata tahunan PM2.5 ≤ 15,0 µg/m³ (PP 22/2021 Lampiran VII)" in note
    assert graded_cells(rows.iloc[1:], card)[1] == ""
