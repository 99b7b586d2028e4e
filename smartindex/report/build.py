"""The annual PDF report: view model -> data.json + SVG charts -> typst -> PDF.

The only module that imports the PDF engine (typst). The sections are assembled from the same
result object and view models the app reads (``smartindex.report.sections``); the template only
lays out preformatted strings. Fonts are the bundled DejaVu family (``smartindex/fonts``):
system fonts are ignored and an unknown font family fails the build.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from smartindex.display.i18n import d3_locale
from smartindex.errors import SmartIndexError
from smartindex.report.model import report_model
from smartindex.scoring.results import Results

PACKAGE_DIR = Path(__file__).resolve().parent
FONT_DIR = PACKAGE_DIR / "fonts"
TEMPLATE_DIR = PACKAGE_DIR / "templates"
TEMPLATE = "annual_report.typ"
FONT_FAMILY = "DejaVu Sans"
REQUIRED_FONTS = (
    "DejaVuSans.ttf",
    "DejaVuSans-Bold.ttf",
    "DejaVuSansCondensed.ttf",
    "DejaVuSansCondensed-Bold.ttf",
)
CHART_THREADS = 4
_FATAL_WARNINGS = ("unknown font family", "failed to load", "file not found")


class ReportError(SmartIndexError):
    """The report could not be rendered (missing font, template or chart problem)."""


def build_report(
    results: Results,
    *,
    year: int,
    lang: str = "id",
    out_dir: Path = Path("reports"),
    city_slug: str | None = None,
) -> Path:
    """Write ``<out_dir>/<city_slug>-<year>-<lang>.pdf`` for ``year`` and return its path
    (``city_slug``: the profile's slug; default from the home city's name, :func:`slug_of`).

    Fails before any work when ``year`` has no data for the city or ``out_dir`` cannot take
    the file (:class:`ReportError`, one line naming the year or the path)."""
    check_year(results, year)
    out = report_path(results, year=year, lang=lang, out_dir=out_dir, city_slug=city_slug)
    check_output(out)
    model, charts = report_model(results, year=year, lang=lang)
    pdf = render_pdf(model, charts, lang=lang)
    _write(out, pdf)
    return out


def report_path(
    results: Results, *, year: int, lang: str, out_dir: Path, city_slug: str | None = None
) -> Path:
    """``<out_dir>/<city_slug>-<year>-<lang>.pdf``; the slug defaults to :func:`slug_of` the
    home city's name (a profile's default slug)."""
    slug = city_slug or slug_of(results.area_name(results.city))
    return Path(out_dir) / f"{slug}-{year}-{lang}.pdf"


def slug_of(name: str) -> str:
    """A file-name form of a city name, without the ``Kota`` prefix.

    >>> slug_of("Kota Bukittinggi"), slug_of("Kota Padang Panjang")
    ('bukittinggi', 'padang-panjang')
    """
    words = re.sub(r"[^a-z0-9]+", "-", name.lower().removeprefix("kota ")).strip("-")
    return words or "city"


def check_year(results: Results, year: int) -> None:
    """Refuse a year without indicator values for the home city."""
    years = results.years
    if year not in years:
        have = f"{years[0]}–{years[-1]}" if years else "none"
        raise ReportError(
            f"{year}: no data for {results.area_name(results.city)} (years with data: {have})"
        )


def check_output(out: Path) -> None:
    """Create the output folder and prove a file can be written there, before the slow work."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        if out.exists() and not out.is_file():
            raise IsADirectoryError(21, "is a folder", str(out))
        with tempfile.NamedTemporaryFile(dir=out.parent, prefix=".smartindex-", suffix=".tmp"):
            pass
    except OSError as exc:
        raise ReportError(
            f"{_os_path(exc, out.parent)}: cannot write the report: {_reason(exc)}"
        ) from exc


def _write(out: Path, pdf: bytes) -> None:
    """Write ``pdf`` to ``out`` through a temporary file (never a half-written report)."""
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        tmp.write_bytes(pdf)
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ReportError(f"{_os_path(exc, out)}: cannot write the report: {_reason(exc)}") from exc


def _os_path(exc: OSError, fallback: Path) -> str:
    return str(exc.filename) if exc.filename is not None else str(fallback)


def _reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


def render_pdf(model: dict[str, Any], charts: dict[str, Any], *, lang: str) -> bytes:
    """Compile the template with ``model`` (data.json) and ``charts`` (name -> Altair chart)."""
    check_fonts()
    with tempfile.TemporaryDirectory(prefix="smartindex-report-") as tmp:
        root = Path(tmp)
        for part in TEMPLATE_DIR.glob("*.typ"):
            shutil.copy(part, root / part.name)
        (root / "charts").mkdir()
        with ThreadPoolExecutor(max_workers=CHART_THREADS) as pool:  # vl-convert runs in Rust
            svgs = pool.map(lambda chart: chart_svg(chart, lang=lang), charts.values())
            for name, svg in zip(charts, svgs, strict=True):
                (root / "charts" / f"{name}.svg").write_text(svg, "utf-8")
        (root / "data.json").write_text(json.dumps(model, ensure_ascii=False), "utf-8")
        return tidy_pdf(compile_typst(root / TEMPLATE, root))


_SUSPECTS = re.compile(rb"(/MarkInfo\s*<<\s*/Marked\s+true)(\s*/Suspects\s+false)")


def tidy_pdf(pdf: bytes) -> bytes:
    """Blank typst's ``/Suspects false`` in the catalogue's MarkInfo (false is the PDF default):
    poppler (pdfinfo, pdffonts < 23) reports a present-but-false entry as "Syntax Error:
    Suspects object is wrong type (boolean)". Same-length blanking keeps every xref offset."""
    return _SUSPECTS.sub(lambda m: m.group(1) + b" " * len(m.group(2)), pdf, count=1)


def compile_typst(source: Path, root: Path) -> bytes:
    """Compile ``source`` with the bundled fonts only; raise on font or file warnings."""
    import typst  # noqa: PLC0415 - heavy PDF engine, loaded only when a report is built

    try:
        pdf, warnings = typst.compile_with_warnings(
            str(source), root=str(root), font_paths=[str(FONT_DIR)], ignore_system_fonts=True
        )
    except Exception as exc:  # typst raises its own error type with the diagnostics
        raise ReportError(f"{source.name}: typst failed: {exc}") from exc
    fatal = [w.message for w in warnings if any(k in w.message for k in _FATAL_WARNINGS)]
    if fatal:
        raise ReportError(f"{source.name}: {'; '.join(sorted(set(fatal)))}")
    return bytes(pdf)


def check_fonts(font_dir: Path = FONT_DIR) -> None:
    """Fail loudly when a bundled font file is missing."""
    missing = [f for f in REQUIRED_FONTS if not (font_dir / f).is_file()]
    if missing:
        raise ReportError(f"{font_dir}: bundled font(s) missing: {', '.join(missing)}")


def chart_svg(chart: Any, *, lang: str) -> str:
    """Render an Altair chart (or a Vega-Lite dict) to SVG text in the bundled font."""
    import vl_convert as vlc  # noqa: PLC0415 - heavy chart renderer, loaded on first use

    _register_fonts(vlc)
    spec = chart if isinstance(chart, dict) else chart.to_dict()
    config = spec.setdefault("config", {})
    config["font"] = FONT_FAMILY
    number, time = d3_locale(lang)
    return vlc.vegalite_to_svg(spec, format_locale=number, time_format_locale=time)


@functools.cache
def _register_fonts(vlc: Any) -> None:
    vlc.register_font_directory(str(FONT_DIR))
