"""The method spec of a scoring run in words (the report's method annex, the app's method
page): one sentence per stage from the locale files, numbers in the reader's language; a
choice without a sentence of its own is listed as ``parameter = value`` so nothing is hidden.

>>> step_text("treat", {"method": "none"}, "en")
'No outlier treatment.'
>>> step_text("screen", {"basis": "imputed", "by": "na", "threshold": 0.75}, "id")
'Unit dinilai hanya bila sekurang-kurangnya 75% datanya tersedia (dihitung setelah imputasi).'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from smartindex.display.i18n import t
from smartindex.display.numbers import format_number, number_locale

Spec = Mapping[str, Any]


def spec_text(spec: object, lang: str) -> str:
    """A spec value as ``key = value; …`` with ``lang``'s decimal mark (the fallback)."""
    if isinstance(spec, Mapping):
        return "; ".join(
            f"{k} = {spec_text(v, lang)}" for k, v in spec.items() if v not in ({}, [], None)
        )
    if isinstance(spec, list | tuple):
        return " · ".join(spec_text(v, lang) for v in spec)
    if isinstance(spec, float):
        return f"{spec:g}".replace(".", str(number_locale(lang)["decimal"]))
    return str(spec)


def _share(x: object, lang: str) -> str:
    return format_number(100 * float(x), lang, 0) + "%"  # type: ignore[arg-type]


def _num(x: object, lang: str) -> str:
    return spec_text(float(x), lang)  # type: ignore[arg-type]


def _level(level: object, lang: str) -> str:
    key = f"mtext.level.{level}"
    text = t(key, lang)
    return t("mtext.level.n", lang, n=level) if text == key else text


def _impute(s: Spec, lang: str) -> str | None:
    group = s.get("group")
    if s.get("method") == "linear" and not group:
        return t("mtext.impute.linear", lang)
    if s.get("method") == "none":
        return t("mtext.impute.none", lang)
    return None


def _screen(s: Spec, lang: str) -> str | None:
    if s.get("by") != "na" or s.get("basis") not in ("imputed", "raw"):
        return None
    text = t(
        "mtext.screen",
        lang,
        share=_share(s.get("threshold", 0), lang),
        basis=t(f"mtext.screen.basis.{s['basis']}", lang),
    )
    grade = s.get("min_grade")
    return text if not grade else text[:-1] + t("mtext.screen.grade", lang, grade=grade) + "."


def _treat(s: Spec, lang: str) -> str | None:
    if s.get("method") == "none":
        return t("mtext.treat.none", lang)
    if s.get("method") != "jrc":
        return None
    return t(
        "mtext.treat.jrc",
        lang,
        skew=_num(s.get("skew_thresh"), lang),
        kurt=_num(s.get("kurt_thresh"), lang),
        winmax=int(s.get("winmax", 0)),
        fallback=s.get("fallback", ""),
    )


def _denominate(s: Spec, lang: str) -> str | None:
    if not s.get("enabled"):
        return t("mtext.denominate.off", lang)
    return t("mtext.denominate.on", lang, scale=_num(s.get("scale", 1.0), lang))


def _normalise(s: Spec, lang: str) -> str | None:
    params, scope = s.get("params") or {}, s.get("scope")
    if s.get("method") != "minmax" or scope not in ("pooled", "per_year") or s.get("overrides"):
        return None
    return t(
        "mtext.normalise.minmax",
        lang,
        lo=_num(params.get("lo", 0.0), lang),
        hi=_num(params.get("hi", 100.0), lang),
        scope=t(f"mtext.normalise.scope.{scope}", lang),
    )


def _weights(s: Spec, lang: str) -> str | None:
    if s.get("values"):
        return None
    key = f"mtext.weights.{s.get('method')}"
    text = t(key, lang)
    return None if text == key else text


def _aggregate(s: Spec, lang: str) -> str | None:
    key = f"aggregate.{s.get('method')}"
    name = t(key, lang)
    if name == key or s.get("by_level") or s.get("geometric_shift") is not None:
        return None
    floors = [
        t("mtext.aggregate.floor", lang, level=_level(k, lang), share=_share(v, lang))
        for k, v in sorted((s.get("min_coverage") or {}).items(), key=lambda kv: int(kv[0]))
    ]
    text = t("mtext.aggregate", lang, method=name)
    return text if not floors else text[:-1] + "; " + "; ".join(floors) + "."


STEPS: dict[str, Callable[[Spec, str], str | None]] = {
    "impute": _impute,
    "screen": _screen,
    "treat": _treat,
    "denominate": _denominate,
    "normalise": _normalise,
    "weights": _weights,
    "aggregate": _aggregate,
}


def step_text(stage: str, spec: object, lang: str) -> str:
    """One method stage as a sentence in ``lang`` (``parameter = value`` when the choice has no
    sentence, e.g. a custom aggregator or per-indicator overrides)."""
    describe = STEPS.get(stage)
    sentence = describe(spec, lang) if describe and isinstance(spec, Mapping) else None
    return sentence or spec_text(spec, lang)


STAGE_ORDER = (*STEPS, "uncertainty")
"""The method's stages in the order they run; label key ``report.stage.<stage>``."""


def method_steps(spec: Mapping[str, Any], lang: str) -> list[tuple[str, str]]:
    """``(stage label, sentence)`` for each stage of a method spec, in the order they run."""
    return [
        (t(f"report.stage.{k}", lang), step_text(k, spec[k], lang))
        for k in STAGE_ORDER
        if k in spec
    ]


def method_markdown(spec: Mapping[str, Any], lang: str) -> str:
    """The stages as a Markdown list (the app's method page)."""
    return "\n".join(f"- **{label}**: {text}" for label, text in method_steps(spec, lang))
