"""Report annexes: data quality, methodology (from the catalogue and the run's method spec),
sources and citation. Everything is read from the result object; nothing is recomputed.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from smartindex.analysis.scorecard import Scorecard
from smartindex.display.i18n import dimension_name, language_name, t
from smartindex.display.labels import choice_label, timestamp_text
from smartindex.display.method_text import method_steps
from smartindex.display.numbers import (
    MISSING,
    format_count,
    format_number,
    format_percent,
    is_missing,
)
from smartindex.report.provenance import (
    basis_word,
    official_shares,
    source_line,
    source_list,
    source_note,
)
from smartindex.report.sections import breakable, definition, standard_text, table
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


def _status(status: object, lang: str) -> str:
    """A load status in words (``report.load.<status>``; unknown ones as recorded)."""
    key = f"report.load.{status}"
    text = t(key, lang)
    return str(status) if text == key else text


def _manifest_table(results: Results, lang: str) -> dict[str, Any]:
    lm = results.load_manifest
    cols = [(c, key) for names, key in MANIFEST_COLUMNS if (c := _pick(lm, names))]
    header = [t(key, lang) for _, key in cols]
    rows = [
        [_status(r[c], lang) if c == "status" else _cell(r[c], lang) for c, _ in cols]
        for r in lm.to_dict("records")
    ]
    widths = [3.0 if c in ("source_file", "file_path", "file") else 1.6 for c, _ in cols]
    align = "".join("r" if c.startswith(("rows", "n_")) else "l" for c, _ in cols)
    return table(header or [MISSING], rows, widths or [1.0], align or "l")


_REASONS = (  # ETL reason texts (English, from smartindex.etl) -> report.reason.<key>
    (re.compile(r"^duplicate primary key; first occurrence at line (?P<line>\d+)$"), "duplicate"),
    (re.compile(r"^no matching (?P<ref>\S+)$"), "no_match"),
    (re.compile(r"^outside \[(?P<lo>[^,\]]+), (?P<hi>[^\]]+)\]$"), "outside"),
    (re.compile(r"^missing value in a required column$"), "missing"),
    (re.compile(r"^(?P<b>\w+) before (?P<a>\w+)$"), "before"),
    (re.compile(r"^not a valid (?P<type>\w+)$"), "type"),
    (re.compile(r"^exact duplicate of line (?P<line>\d+)$"), "exact_duplicate"),
    (re.compile(r"^date/time in the future$"), "future"),
    (re.compile(r"^(?P<col>\w+) outside the city bounding box (?P<box>\[.*\])$"), "bbox"),
)


def reason_text(reason: object, lang: str) -> str:
    """A quarantine reason in ``lang`` (known ETL phrasings; others as recorded)."""
    text = str(reason)
    for pattern, key in _REASONS:
        match = pattern.match(text)
        if match:
            return t(f"report.reason.{key}", lang, **match.groupdict())
    return text[:120]


def check_name(expectation: object, lang: str) -> str:
    """A validation check in words (``report.check.<name>``; unknown names as recorded)."""
    key = f"report.check.{expectation}"
    text = t(key, lang)
    return breakable(str(expectation)) if text == key else text


def quarantined_rows(results: Results) -> int:
    """Rows the warehouse holds in quarantine (rows, not failed checks: a row failing two
    checks counts once): the sum of ``load_current.rows_quarantined``."""
    lc = results.load_current
    if "rows_quarantined" in lc.columns and len(lc):
        return int(pd.to_numeric(lc["rows_quarantined"], errors="coerce").fillna(0).sum())
    return 0


def _quarantine_table(results: Results, lang: str) -> dict[str, Any] | None:
    q = results.quarantine_summary
    if q.empty:
        return None
    header = [
        t(k, lang)
        for k in (
            "report.file",
            "report.check",
            "col.columns",
            "report.failed_checks",
            "col.example_reason",
        )
    ]
    rows = [
        [
            breakable(Path(str(r["source_file"])).name),
            check_name(r["expectation"], lang),
            breakable(str(r["columns"]).replace(",", ", ")),
            format_count(r["n_rows"], lang, typeset=True),
            reason_text(r["example_reason"], lang),
        ]
        for r in q.head(QUARANTINE_ROWS).to_dict("records")
    ]
    return table(header, rows, [2.4, 2.4, 1.6, 1, 3.2], "lllrl") | {
        "source": source_note("report.src.quarantine", lang)
    }


def _coverage_table(results: Results, card: Scorecard) -> dict[str, Any]:
    lang = card.lang
    order = {d: i for i, d in enumerate(card.dimensions["code"])}
    rows = card.indicators.assign(_o=card.indicators["dimension"].map(order))
    rows = rows.sort_values(["_o", "code"])
    shares = official_shares(results, card.year)
    header = [
        t("level.indicator", lang),
        t("col.dimension", lang),
        t("col.coverage", lang),
        t("report.fact.basis", lang),
    ]
    body = [
        [
            r["name"],
            dimension_name(results.catalogue, r["dimension"], lang),
            format_percent(
                100 * r["coverage"] if not is_missing(r.get("coverage")) else None, lang, 0
            ),
            basis_word(shares.get(str(r["code"])), lang),
        ]
        for r in rows.to_dict("records")
    ]
    return table(header, body, [4, 2, 1.2, 3], "llrl")


def quality_section(results: Results, card: Scorecard) -> dict[str, Any]:
    """Sources and load manifest, quarantined rows and why, coverage per indicator."""
    lang = card.lang
    q = results.quarantine_summary
    n_files = int(q["source_file"].nunique()) if len(q) else 0
    text = t(
        "report.quarantine_text",
        lang,
        n=format_count(quarantined_rows(results), lang, typeset=True),
        files=format_count(n_files, lang),
        checks=format_count(int(q["n_rows"].sum()) if len(q) else 0, lang, typeset=True),
    )
    if len(q) > QUARANTINE_ROWS:
        text += " " + t("report.quarantine_top", lang, k=QUARANTINE_ROWS)
    return {
        "intro": t("report.quality_intro", lang) + " " + t("quality.survey", lang),
        "sources_table": _manifest_table(results, lang)
        | {"source": source_note("report.src.manifest", lang)},
        "manifest_table": None,
        "quarantine_text": text,
        "quarantine_table": _quarantine_table(results, lang),
        "coverage_table": _coverage_table(results, card)
        | {"source": source_line(results, lang=lang, years=[card.year], area_codes=[results.city])},
    }


def _method_steps(results: Results, lang: str) -> list[list[str]]:
    method = dict(results.manifest.get("method") or {})
    steps = [[label, breakable(text, 40)] for label, text in method_steps(method, lang)]
    desc = " ".join(str(method.get(f"description_{lang}") or "").split())
    if not desc:
        city = results.area_name(results.city).removeprefix("Kota ")
        desc = t("report.method_summary", lang, city=city)
    return [[t("report.method", lang), f"{method.get('name', '')}: {desc}"], *steps]


def _catalogue_rows(results: Results, lang: str) -> list[list[str]]:
    out = []
    for i in results.catalogue.indicators:
        name = results.catalogue.name(i.code, lang)
        # a target reference is no standard (targets: see the fact sheets)
        standard = standard_text(i.standard, lang) if i.standard else MISSING
        direction = t(DIRECTIONS[i.direction], lang) if i.direction in DIRECTIONS else ""
        text = f"{name}. {definition(i, lang)}"
        out.append([breakable(i.code), text, i.unit_label(lang), direction, str(standard)])
    return out


def _uncertainty_table(results: Results, card: Scorecard) -> dict[str, Any] | None:
    u = results.uncertainty
    if u.empty:
        return None
    u = u[(u["comparison"] == "cities") & (u["year"] == card.year)]
    header = [
        t("col.city", card.lang),
        t("chart.nominal_rank", card.lang),
        t("col.median_rank", card.lang),
        t("chart.interval", card.lang),
    ]
    rows = [
        [
            results.area_name(r["area_code"]),
            format_number(r["nominal_rank"], card.lang, 0),
            format_number(r["median_rank"], card.lang, 1),
            f"{format_number(r['q05'], card.lang, 0)}–{format_number(r['q95'], card.lang, 0)}",
        ]
        for r in u.to_dict("records")
    ]
    return table(header, rows, [3, 1.3, 1.3, 1.3], "lrrr") | {
        "source": source_note("report.src.uncertainty", card.lang, run=_run(results))
    }


def _sensitivity_table(results: Results, lang: str) -> dict[str, Any] | None:
    s = results.sensitivity
    if s.empty:
        return None
    s = s[s["comparison"] == "cities"]
    header = [t("report.assumption", lang), t("chart.first_order", lang), t("chart.total", lang)]
    rows = [
        [
            choice_label("assumption", str(r["assumption"]), lang),
            format_number(r["first_order"], lang, 3),
            format_number(r["total"], lang, 3),
        ]
        for r in s.to_dict("records")
    ]
    return table(header, rows, [3, 1.3, 1.3], "lrr") | {
        "source": source_note("report.src.uncertainty", lang, run=_run(results))
    }


def _run(results: Results) -> str:
    return str(results.manifest.get("run_id", MISSING))[:12]


def _manifest_pairs(results: Results, lang: str) -> list[list[str]]:
    m = results.manifest
    keys = (
        "run_id",
        "created_at",
        "package_version",
        "method_digest",
        "catalogue_version",
        "catalogue_digest",
        "framework_digest",
    )
    shown = {k: timestamp_text(m[k]) + " UTC" if k == "created_at" else m.get(k) for k in keys}
    pairs = [
        [t(f"report.manifest.{k}", lang), breakable(shown[k], 32)]
        for k in keys
        if not is_missing(shown[k])
    ]
    checks = m.get("input_checksums") or {}
    pairs += [
        [breakable(Path(str(f)).name), "sha256 " + breakable(sha, 32)]
        for f, sha in sorted(checks.items())
    ]
    return pairs


def method_section(results: Results, card: Scorecard) -> dict[str, Any]:
    """Indicator list, method steps, uncertainty and sensitivity, run manifest."""
    lang = card.lang
    header = [
        t("col.code", lang),
        f"{t('level.indicator', lang)} / {t('report.definition', lang).lower()}",
        t("col.measure_unit", lang),
        t("report.direction", lang),
        t("report.standard", lang),
    ]
    return {
        "intro": t("report.method_intro", lang, run=results.manifest.get("run_id", MISSING)),
        "steps": _method_steps(results, lang),
        "indicator_table": table(
            header, _catalogue_rows(results, lang), [2.3, 5, 1.4, 1.6, 2.4], "lllll"
        )
        | {"source": source_note("report.src.catalogue", lang)},
        "uncertainty_text": [t("report.uncertainty_text", lang)],
        "uncertainty_table": _uncertainty_table(results, card),
        "sensitivity_table": _sensitivity_table(results, lang),
        "manifest_pairs": _manifest_pairs(results, lang),
    }


def cite_section(results: Results, card: Scorecard) -> dict[str, Any]:
    """How to cite the report and the list of data sources."""
    lang, m = card.lang, results.manifest
    method = (m.get("method") or {}).get("name", MISSING)
    citation = t(
        "report.citation",
        lang,
        gen_year=date.today().year,
        title=t("report.title", lang),
        city=card.area_name,
        year=card.year,
        lang_name=language_name(lang),
        run=m.get("run_id", MISSING),
        method=method,
    )
    listed = source_list(results, lang)
    return {
        "intro": t("report.cite_intro", lang),
        "citation": citation,
        "as_recorded": t("report.src.as_recorded", lang),
        "official_title": t("report.src.official_title", lang),
        "official": listed["official"] or [MISSING],
        "secondary_title": t("report.src.secondary_title", lang),
        "secondary": listed["secondary"],
        "synthetic_title": t("report.src.synthetic_title", lang),
        "synthetic": listed["synthetic"],
        "licence": t("report.licence", lang),
    }
