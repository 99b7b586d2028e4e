"""The typst wrapper: bundled fonts only, loud failures, preformatted JSON in."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartindex.report import FONT_DIR, REQUIRED_FONTS, ReportError, check_fonts, compile_typst


def test_bundled_fonts_and_licence_ship_with_the_package():
    for name in REQUIRED_FONTS:
        assert (FONT_DIR / name).stat().st_size > 100_000
    assert "Bitstream" in (FONT_DIR / "LICENSE-DejaVu.txt").read_text()


def test_missing_font_file_fails_loudly(tmp_path):
    (tmp_path / "DejaVuSans.ttf").write_bytes((FONT_DIR / "DejaVuSans.ttf").read_bytes())
    with pytest.raises(ReportError, match=r"DejaVuSans-Bold\.ttf"):
        check_fonts(tmp_path)


def test_unknown_font_family_fails_the_build(tmp_path):
    src = tmp_path / "x.typ"
    src.write_text('#set text(font: "Comic Nonexistent")\nHalo')
    with pytest.raises(ReportError, match="unknown font family"):
        compile_typst(src, tmp_path)


def test_bundled_font_compiles_and_reads_json(tmp_path):
    (tmp_path / "data.json").write_text('{"index": "61,2"}', encoding="utf-8")
    src = tmp_path / "x.typ"
    src.write_text('#set text(font: "DejaVu Sans")\n#let d = json("data.json")\nIndeks #d.index')
    pdf = compile_typst(src, tmp_path)
    assert pdf.startswith(b"%PDF") and b"DejaVuSans" in pdf


def test_typst_errors_become_report_errors(tmp_path: Path):
    src = tmp_path / "x.typ"
    src.write_text("#let x = (")
    with pytest.raises(ReportError, match="typst failed"):
        compile_typst(src, tmp_path)
