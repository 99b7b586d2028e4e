"""The annual PDF report: ``build_report(results, year=…, lang=…)``; ``build`` is the only module
that imports the PDF engine (typst)."""

from __future__ import annotations

from smartindex.report.build import (
    FONT_DIR,
    REQUIRED_FONTS,
    ReportError,
    build_report,
    check_fonts,
    compile_typst,
)

__all__ = [
    "FONT_DIR",
    "REQUIRED_FONTS",
    "ReportError",
    "build_report",
    "check_fonts",
    "compile_typst",
]
