"""Report annexes: data quality, methodology (from the catalogue and the run's method spec),
sources and citation. Everything is read from the result object; nothing is recomputed.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from smartindex.analysis.scorecard import Scorecard
from smartindex.display.i18n import dimension_name, language_name, t
from smartindex.display.labels import choice_label
from smartindex.display.numbers import (
    MISSING,
    format_count,
    format_number,
    format_percent,
    is_missing,
)
from smartindex.report.sections import breakable, table
from smartindex.scoring.results import Results

# (manifest column candidates, label key) of the load-manifest summary, first match wins.
MANIFEST_COLUMNS = (
    (("table_name", "source", "source_name", "table"), "col.source"),
    (("source_file", "file_path", "file"), "report.file"),
    (("rows_read", "n_read"), "quality.rows_read"),
    (("rows_loaded", "n_loaded"), "quality.rows_loaded"),
    (("rows_quarantined", "n_quarantined"), "quality.rows_quarantined"),
    (("status",), "col.status"),
)
# method-spec sections in the order of the method; label: report.stage.<section>
STAGES = ("impute", "screen", "treat", "denominate", "normalise", "weights", "aggregate",
          "uncertainty")
QUARANTINE_ROWS = 20  # the largest groups; the text gives the total
DIRECTIONS = {1: "report.direction_up", -1: "report.direction_down"}


def _pick(frame: pd.DataFrame, names: tuple[str, ...]) -> str | None:
    return next((n for n in names if n in frame.columns), None)


def _cell(x: object, lang: str) -> str:
    if is_missing(x):
        return MISSING
    if isinstance(x, int | float) and not isinstance(x, bool):
        return format_count(x, lang, typeset=True)
    text = str(x)
    return breakable(Path(text).name if "/" in text else text)


def _manifest_table(results: Results, lang: str) -> dict[str, Any]:
    lm = results.load_manifest
    cols = [(c, key) for names, key in MANIFEST_COLUMNS if (c := _pick(lm, names))]
    header = [t(key, lang) for _, key in cols]
    rows = [[_cell(r[c], lang) for c, _ in cols] for r in lm.to_dict("records")]
    widths = [3 if c in ("source_file", "file_path", "file") else 1.6 for c, _ in cols]
    align = "".join("r" if c.startswith(("rows", "n_")) else "l" for c, _ in cols)
    return table(header or [MISSING], rows, widths or [1], align or "l")


def _quarantine_table(results: Results, lang: str) -> dict[str, Any] | None:
    q = results.quarantine_summary
    if q.empty:
        return None
    header = [t(k, lang) for k in ("col.source", "col.expectation", "col.columns",
                                   "quality.rows_quarantined", "col.example_reason")]
    rows = [[breakable(r["table_name"]), breakable(r["expectation"]), breakable(r["columns"]),
             format_count(r["n_rows"], lang, typeset=True), breakable(str(r["example_reason"])[:120])]
            for r in q.head(QUARANTINE_ROWS).to_dict("records")]
    return table(header, rows, [1.6, 2.2, 1.4, 1, 3.6], "lllrl")


def _coverage_table(results: Results, card: Scorecard) -> dict[str, Any]:
    lang = card.lang
    rows = card.indicators.sort_values(["dimension", "code"])
    header = [t("level.indicator", lang), t("col.dimension", lang), t("col.coverage", lang),
              t("col.source", lang)]
    body = [[r["name"], dimension_name(results.catalogue, r["dimension"], lang),
             format_percent(100 * r["coverage"] if not is_missing(r.get("coverage")) else None,
                            lang, 0),
             breakable(_sources(r.get("sources")))] for r in rows.to_dict("records")]
    return table(header, body, [4, 2, 1.2, 3], "llrl")


def _sources(value: object) -> str:
    if isinstance(value, list | tuple) or hasattr(value, "tolist"):
        return ", ".join(str(v) for v in list(value))
    return MISSING if is_missing(value) else str(value)


def quality_section(results: Results, card: Scorecard) -> dict[str, Any]:
    """Sources and load manifest, quarantined rows and why, coverage per indicator."""
    lang = card.lang
    q = results.quarantine_summary
    n_q = int(q["n_rows"].sum()) if len(q) else 0
    return {
        "intro": t("report.quality_intro", lang) + " " + t("quality.survey", lang),
        "sources_table": _manifest_table(results, lang),
        "manifest_table": None,
        "quarantine_text": t("report.quarantine_text", lang, n=format_count(n_q, lang, typeset=True))
        + (" " + t("report.quarantine_top", lang, k=QUARANTINE_ROWS) if len(q) > QUARANTINE_ROWS
           else ""),
        "quarantine_table": _quarantine_table(results, lang),
        "coverage_table": _coverage_table(results, card),
    }


def _spec_text(spec: object) -> str:
    if isinstance(spec, dict):
        return "; ".join(f"{k} = {_spec_text(v)}" for k, v in spec.items() if v not in ({}, []))
    if isinstance(spec, list | tuple):
        return ", ".join(_spec_text(v) for v in spec)
    return str(spec)


def _method_steps(results: Results, lang: str) -> list[list[str]]:
    method = dict(results.manifest.get("method") or {})
    steps = [[t(f"report.stage.{k}", lang), breakable(_spec_text(method[k]), 40)]
             for k in STAGES if k in method]
    desc = " ".join(str(method.get("description") or "").split())
    return ([[t("report.method", lang), f"{method.get('name', '')}: {desc}"]] if desc else []) \
        + steps


def _catalogue_rows(results: Results, lang: str) -> list[list[str]]:
    out = []
    for i in results.catalogue.indicators:
        name = results.catalogue.name(i.code, lang)
        # per-language description (description_id) when the catalogue has one; else English
        definition = str(getattr(i, f"description_{lang}", "") or i.description)
        standard = i.standard or i.target_reference or MISSING
        direction = t(DIRECTIONS[i.direction], lang) if i.direction in DIRECTIONS else ""
        text = f"{name}. {definition}" if definition else str(name)
        out.append([breakable(i.code), text, i.unit_label(lang), direction,
                    str(standard)])
    return out


def _uncertainty_table(results: Results, card: Scorecard) -> dict[str, Any] | None:
    u = results.uncertainty
    if u.empty:
        return None
    u = u[(u["comparison"] == "cities") & (u["year"] == card.year)]
    header = [t("col.city", card.lang), t("chart.nominal_rank", card.lang),
              t("col.median_rank", card.lang), t("chart.interval", card.lang)]
    rows = [[results.unit_name(r["unit"]), format_number(r["nominal_rank"], card.lang, 0),
             format_number(r["median_rank"], card.lang, 1),
             f"{format_number(r['q05'], card.lang, 0)}–{format_number(r['q95'], card.lang, 0)}"]
            for r in u.to_dict("records")]
    return table(header, rows, [3, 1.3, 1.3, 1.3], "lrrr")


def _sensitivity_table(results: Results, lang: str) -> dict[str, Any] | None:
    s = results.sensitivity
    if s.empty:
        return None
    s = s[s["comparison"] == "cities"]
    header = [t("report.assumption", lang), t("chart.first_order", lang), t("chart.total", lang)]
    rows = [[choice_label("assumption", str(r["assumption"]), lang), format_number(r["first_order"], lang, 3), format_number(r["total"], lang, 3)]
            for r in s.to_dict("records")]
    return table(header, rows, [3, 1.3, 1.3], "lrr")


def _manifest_pairs(results: Results) -> list[list[str]]:
    m = results.manifest
    keys = ("run_id", "created_at", "package_version", "method_digest", "catalogue_version",
            "catalogue_digest", "framework_digest")
    pairs = [[k, breakable(m[k], 32)] for k in keys if not is_missing(m.get(k))]
    checks = m.get("input_checksums") or {}
    pairs += [[breakable(Path(str(f)).name), "sha256 " + breakable(sha, 32)]
              for f, sha in sorted(checks.items())]
    return pairs


def method_section(results: Results, card: Scorecard) -> dict[str, Any]:
    """Indicator list, method steps, uncertainty and sensitivity, run manifest."""
    lang = card.lang
    header = [t("col.code", lang), f"{t('level.indicator', lang)} / "
              f"{t('report.definition', lang).lower()}", t("col.measure_unit", lang),
              t("report.direction", lang), t("report.standard", lang)]
    return {
        "intro": t("report.method_intro", lang, run=results.manifest.get("run_id", MISSING)),
        "steps": _method_steps(results, lang),
        "indicator_table": table(header, _catalogue_rows(results, lang), [2.3, 5, 1.4, 1.6, 2.4],
                                 "lllll"),
        "uncertainty_text": [t("report.uncertainty_text", lang)],
        "uncertainty_table": _uncertainty_table(results, card),
        "sensitivity_table": _sensitivity_table(results, lang),
        "manifest_pairs": _manifest_pairs(results),
    }


def cite_section(results: Results, card: Scorecard) -> dict[str, Any]:
    """How to cite the report and the list of data sources."""
    lang, m = card.lang, results.manifest
    method = (m.get("method") or {}).get("name", MISSING)
    citation = t("report.citation", lang, gen_year=date.today().year,
                 title=t("report.title", lang), city=card.unit_name, year=card.year,
                 lang_name=language_name(lang), run=m.get("run_id", MISSING), method=method)
    sources: set[str] = set()
    for frame in (results.regions, results.population, results.targets):
        if "source" in frame.columns:
            sources |= {str(s) for s in frame["source"].dropna().unique()}
    if "document" in results.targets.columns:
        sources |= {str(s) for s in results.targets["document"].dropna().unique()}
    synthetic = any(bool(f["is_synthetic"].any()) for f in (results.regions, results.targets)
                    if "is_synthetic" in f.columns and len(f))
    return {"intro": t("report.cite_intro", lang), "citation": citation,
            "sources": sorted(sources) or [MISSING],
            "licence": t("report.licence", lang)
            + (" " + t("report.synthetic", lang) if synthetic else "")}
