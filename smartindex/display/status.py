"""Words for the status model and the recommendations (``smartindex.analysis.status``,
``smartindex.analysis.recommend``): the analysis layer returns keys and numbers, this module
turns them into sentences in the user's language from the locale files.

>>> grade_word("sangat_rendah", "en")
'Very low'
>>> phrase_text(Phrase("status.clause.last", {"n": 7, "group": "cities"}), "en")
'last of 7 peer cities'
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from smartindex.analysis.recommend import Recommendation
from smartindex.analysis.scorecard import Scorecard
from smartindex.analysis.status import Phrase
from smartindex.display.i18n import t
from smartindex.display.numbers import MISSING, as_number, format_number, format_value
from smartindex.errors import MethodError

INTEGER_KEYS = {"year", "first_year", "rank", "n", "n_graded", "target_year"}
PERCENT_KEYS = ("value", "target", "standard", "median", "best_value")


def grade_word(key: object, lang: str) -> str:
    """``sangat_tinggi`` → ``Sangat tinggi`` / ``Very high``; no grade → ``Tanpa target``."""
    if not isinstance(key, str) or not key:
        return t("status.grade.tanpa_target", lang)
    return t(f"status.grade.{key}", lang)


def tone_word(tone: object, lang: str) -> str:
    """``good`` → ``On track`` …"""
    return t(f"status.tone.{tone}", lang) if isinstance(tone, str) else MISSING


def band_range(lower: float, upper: float, lang: str) -> str:
    """A grade's bounds as printed in Permendagri 86/2017: ``≥ 91%``, ``76–90%``, ``≤ 50%``."""
    lo = format_number(lower, lang, 0)
    if not np.isfinite(upper):
        return f"≥ {lo}%"
    if lower <= 0:
        return f"≤ {format_number(upper - 1, lang, 0)}%"
    return f"{lo}–{format_number(upper - 1, lang, 0)}%"


def scale_text(bands: pd.DataFrame, lang: str) -> str:
    """The grade scale with its bounds: ``Sangat tinggi ≥ 91%, Tinggi 76–90%, …``."""
    return ", ".join(
        t(
            "status.scale_item",
            lang,
            grade=grade_word(r["key"], lang),
            range=band_range(float(r["lower"]), float(r["upper"]), lang),
        )
        for r in bands.to_dict("records")
    )


def _number_text(key: str, number: float, lang: str) -> str:
    """A numeric parameter: p-values as ``= 0,012`` / ``< 0,001``, years and counts plain,
    small slopes with two significant digits, other numbers by size."""
    if key == "p_value":
        small = number < 0.001
        return ("< " if small else "= ") + format_number(0.001 if small else number, lang, 3)
    if key in INTEGER_KEYS:
        return str(int(number))
    if key == "slope" and 0 < abs(number) < 0.1:
        return format_number(number, lang, 1 - int(np.floor(np.log10(abs(number)))))
    return format_value(number, lang)


def param_text(key: str, value: object, lang: str) -> str:
    """One sentence parameter in ``lang``: grade and group keys translated, text as given,
    numbers by :func:`_number_text`; missing values as an en dash."""
    if key == "grade" and isinstance(value, str):
        return grade_word(value, lang)
    if key == "group" and isinstance(value, str):
        return t(f"status.group.{value}", lang)
    number = None if isinstance(value, bool | str) else as_number(value)
    if number is None:
        return MISSING if value is None or isinstance(value, float) else str(value)
    return _number_text(key, number, lang)


def _tidy(text: str) -> str:
    text = re.sub(r"\s+([,.;:)])", r"\1", re.sub(r" {2,}", " ", text))
    return text.strip()


def phrase_text(phrase: Phrase | Sequence[Any], lang: str) -> str:
    """A :class:`Phrase` (key, params) as a sentence in ``lang``; a ``%`` measure unit is
    attached to its numbers (``19,8%``)."""
    key, params = phrase[0], dict(phrase[1])
    percent = params.get("unit") == "%"
    text = {k: param_text(k, v, lang) for k, v in params.items()}
    if percent:
        text = {
            k: (v + "%" if k in PERCENT_KEYS and v != MISSING else v) for k, v in text.items()
        } | {"unit": ""}
    return _tidy(t(str(key), lang, **text))


def headline_text(clauses: Iterable[Phrase], contrast: bool, lang: str) -> str:
    """The clauses joined: ``targets met …, but last of 7 peer cities; score worsening``."""
    parts = [phrase_text(c, lang) for c in clauses]
    if not parts:
        return MISSING
    joiner = t("status.join.but" if contrast else "status.join.and", lang)
    text = parts[0] + (joiner + t("status.join.and", lang).join(parts[1:]) if parts[1:] else "")
    return text[:1].upper() + text[1:]


def compliance_text(row: Mapping[str, Any], lang: str) -> str:
    """The legal standard of an indicator row and whether it is met (empty when none)."""
    if not isinstance(row.get("standard_id"), str):
        return ""
    word = (
        t(f"status.compliance.{row['compliance']}", lang)
        if isinstance(row.get("compliance"), str)
        else MISSING
    )
    if row.get("standard_kind") == "bands":
        std = t(
            "status.standard_band",
            lang,
            minimum=row.get("standard_minimum") or MISSING,
            band=row.get("standard_band") or MISSING,
            citation=row["standard_citation"],
        )
    else:
        op = "≤" if int(row.get("direction", 1)) < 0 else "≥"
        std = t(
            "status.standard",
            lang,
            op=op,
            value=format_value(row["standard_value"], lang),
            unit=row.get("unit") or "",
            citation=row["standard_citation"],
        )
    return _tidy(f"{std}: {word}")


# --- scorecards --------------------------------------------------------------------------


def localise_scorecard(card: Scorecard, lang: str | None = None) -> Scorecard:
    """A copy of ``card`` whose ``band`` columns hold grade words, ``bands`` carries
    ``label_id``/``label_en``, ``band_note`` is the printed scale note, and dimensions and the
    overall record gain ``headline_text`` and ``tone_word``."""
    lang = lang or card.lang
    bands = card.bands.assign(
        **{f"label_{x}": [grade_word(k, x) for k in card.bands["key"]] for x in ("id", "en")}
    )

    def words(frame: pd.DataFrame) -> pd.DataFrame:
        if "band" not in frame or frame.empty:
            return frame
        shown = pd.Series(
            [grade_word(b, lang) if isinstance(b, str) else None for b in frame["band"]],
            index=frame.index,
            dtype=object,
        )
        return frame.assign(band=shown)

    dims = words(card.dimensions)
    if "headline" in dims:
        dims = dims.assign(
            headline_text=[
                headline_text(h, bool(c), lang)
                for h, c in zip(dims["headline"], dims["contrast"], strict=True)
            ],
            tone_word=[tone_word(x, lang) for x in dims["tone"]],
        ).drop(columns=["headline"])  # phrases stay in the analysis card; tables need text
    overall = dict(card.overall)
    if isinstance(overall.get("band"), str):
        overall["band"] = grade_word(overall["band"], lang)
    if "headline" in overall:
        overall["headline_text"] = headline_text(
            overall["headline"],  # type: ignore[arg-type]
            bool(overall.get("contrast")),
            lang,
        )
        overall["tone_word"] = tone_word(overall.get("tone"), lang)
    return dataclasses.replace(
        card,
        lang=lang,
        overall=overall,
        dimensions=dims,
        indicators=words(card.indicators),
        strengths=words(card.strengths),
        risks=words(card.risks),
        attention=words(card.attention),
        bands=bands,
        band_note=t(card.band_note, lang, scale=scale_text(card.bands, lang)),
    )


# --- recommendations ---------------------------------------------------------------------


@dataclass(frozen=True)
class RecView:
    """A recommendation in words (the attributes the faces read, all text in ``lang``)."""

    rank: int
    headline: bool
    priority: int
    rule_id: str
    area: str
    dimension: str
    lead_agency: str
    agencies: tuple[str, ...]
    area_code: str
    area_name: str
    year: int
    text: str
    target_text: str
    evidence_text: tuple[str, ...]
    evidence: tuple[dict[str, object], ...]
    indicators: tuple[str, ...]
    scope_kind: str
    scope: str
    severity: float
    lang: str


def target_text(target: Mapping[str, object], lang: str) -> str:
    """``Target: PM2.5 ≤ 15 µg/m³ by 2026 (legal standard: PP 22/2021 …)``."""
    source = str(target.get("source", ""))
    params = {k: param_text(k, v, lang) for k, v in target.items()}
    if source == "gini":
        head = t("rec.target.gini", lang, **params)
    elif source == "coverage":
        head = t("rec.target.coverage", lang, **params)
    elif "dimension" in target:
        head = t("rec.target.dimension", lang, **params)
    else:
        if target.get("measure") == "%":
            params |= {"value": params["value"] + "%", "measure": ""}
        head = t("rec.target.indicator", lang, **params)
    tail = t(f"rec.source.{source}", lang, **params) if source else ""
    return _tidy(head + tail)


def rec_view(rec: Recommendation, lang: str | None = None) -> RecView:
    """One recommendation in words."""
    lang = lang or rec.lang
    return RecView(
        rank=rec.rank,
        headline=rec.headline,
        priority=rec.priority,
        rule_id=rec.rule_id,
        area=rec.area,
        dimension=rec.dimension,
        lead_agency=rec.lead_agency,
        agencies=rec.agencies,
        area_code=rec.area_code,
        area_name=rec.area_name,
        year=rec.year,
        text=phrase_text(rec.action, lang),
        target_text=target_text(rec.target, lang),
        evidence_text=tuple(phrase_text(p, lang) for p in rec.sentences),
        evidence=rec.evidence,
        indicators=rec.indicators,
        scope_kind=rec.scope_kind,
        scope=rec.scope,
        severity=rec.severity,
        lang=lang,
    )


def localise_recommendations(recs: Iterable[Recommendation], lang: str) -> list[RecView]:
    """Every recommendation in words, in rank order."""
    return [rec_view(r, lang) for r in recs]


def _agencies(r: RecView, lang: str) -> str:
    lead = t("rec.lead", lang, lead=r.lead_agency)
    rest = ", ".join(r.agencies[1:])
    return f"{lead} ({t('rec.support', lang, support=rest)})" if rest else lead


def _markdown(views: Sequence[RecView], lang: str) -> str:
    lines: list[str] = []
    for i, r in enumerate(views):
        if i == 0 or views[i - 1].headline != r.headline:
            lines += [f"## {t('rec.headline' if r.headline else 'rec.more', lang)}", ""]
        lines += [
            f"### {r.rank}. {r.text}",
            "",
            f"*{t('rec.for_area', lang, area=r.area_name, year=r.year)} · {_agencies(r, lang)}*",
            "",
            f"**{r.target_text}**",
            "",
            *[f"- {e}" for e in r.evidence_text],
            "",
        ]
    return "\n".join(lines)


def _table(views: Sequence[RecView], lang: str) -> str:
    head = [t(f"rec.col.{k}", lang) for k in ("rank", "priority", "lead", "action", "target")]
    rows = [" | ".join(head)]
    rows += [
        " | ".join([str(r.rank), str(r.priority), r.lead_agency, r.text, r.target_text])
        for r in views
    ]
    return "\n".join(rows)


def _json(views: Sequence[RecView], lang: str) -> str:
    return json.dumps(
        [dataclasses.asdict(r) for r in views], ensure_ascii=False, indent=2, default=str
    )


FORMATS = {"table": _table, "md": _markdown, "json": _json}


def format_recommendations(
    recs: Iterable[Recommendation | RecView], fmt: str = "table", lang: str = "id"
) -> str:
    """Render recommendations as ``table`` (plain text), ``json`` or ``md`` in ``lang``."""
    if fmt not in FORMATS:
        raise MethodError(f"unknown format {fmt!r}; choose from {sorted(FORMATS)}")
    views = [r if isinstance(r, RecView) else rec_view(r, lang) for r in recs]
    return FORMATS[fmt](views, lang)
