"""The annual PDF report built on the fixture warehouse, in both languages."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from smartindex.analysis.scorecard import scorecard
from smartindex.display.i18n import format_number, t
from smartindex.report import build_report

LANGS = ("id", "en")
SECTION_KEYS = (
    "report.summary",
    "report.districts",
    "report.peers",
    "report.recommendations",
    "report.annex_quality",
    "report.annex_method",
    "report.cite",
    "report.contents",
)

pytestmark = pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="poppler-utils (pdftotext, pdftoppm) not installed"
)


@pytest.fixture(scope="module")
def reports(scored_results, scored_warehouse, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("reports")
    year = scored_results.latest_year
    return {lang: build_report(scored_results, year=year, lang=lang, out_dir=out) for lang in LANGS}


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages")))


@pytest.mark.parametrize("lang", LANGS)
def test_report_file_name_and_size(reports, scored_results, lang):
    path = reports[lang]
    assert path.name == f"palembang-{scored_results.latest_year}-{lang}.pdf"
    assert path.read_bytes().startswith(b"%PDF") and path.stat().st_size > 50_000


@pytest.mark.parametrize("lang", LANGS)
def test_report_holds_every_section_title_city_and_year(reports, scored_results, lang):
    text = " ".join(pdf_text(reports[lang]).split())
    card = scorecard(scored_results, year=scored_results.latest_year, lang=lang)
    titles = [t(k, lang) for k in SECTION_KEYS] + list(card.dimensions["name"])
    missing = [title for title in titles if title not in text]
    assert not missing, missing
    assert "Palembang" in text and str(scored_results.latest_year) in text


@pytest.mark.parametrize("lang", LANGS)
def test_report_numbers_equal_the_library_results(reports, scored_results, lang):
    text = pdf_text(reports[lang])
    card = scorecard(scored_results, year=scored_results.latest_year, lang=lang)
    index = format_number(card.overall["score"], lang, 1)
    assert index in text
    for score in card.dimensions["score"].dropna():
        assert format_number(score, lang, 1) in text
    sep = "," if lang == "id" else "."
    assert f"{int(card.overall['score'])}{sep}" in index


@pytest.mark.parametrize("lang", LANGS)
def test_report_embeds_every_chart(reports, scored_results, lang):
    data = reports[lang].read_bytes()
    n_dims = len(scorecard(scored_results, year=scored_results.latest_year).dimensions)
    n_facts = len(scored_results.catalogue.indicators)
    # trend + district per dimension, district index, map, peers, index change (from the
    # second year); one series per fact sheet
    assert 2 * n_dims + 3 <= data.count(b"/S/Figure") <= 2 * n_dims + 4 + n_facts
    text = pdf_text(reports[lang])
    assert text.count(t("col.score", lang)) >= 2 * n_dims  # axis titles drawn as text


@pytest.mark.parametrize("lang", LANGS)
def test_report_page_count_is_sane(reports, lang):
    assert 15 <= page_count(reports[lang]) <= 60


def test_report_pages_are_not_blank(reports, tmp_path):
    subprocess.run(
        ["pdftoppm", "-png", "-r", "30", str(reports["en"]), str(tmp_path / "p")], check=True
    )
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) == page_count(reports["en"])
    for png in pages:
        variance = ImageStat.Stat(Image.open(png).convert("L")).var[0]
        assert variance > 20, f"{png.name} looks blank (variance {variance:.1f})"
