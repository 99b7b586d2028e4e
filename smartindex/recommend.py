"""Evidence-linked policy recommendations from declarative rules (recommendations.toml).

A rule names a *scope* (dimension / factor / indicator / index; ``"*"`` = every dimension),
a *condition* by name (small functions in :mod:`smartindex.recommend_conditions`, no eval), a
priority, the responsible agencies (OPD) and templates in Bahasa Indonesia and English.  A
condition returns evidence records (the numbers that triggered it, units in the report
language); a rule without evidence stays silent.  One recommendation per rule and scope; ranked
by priority, then severity.  See docs/recommendations.md.
"""

from __future__ import annotations

import json
import math
import numbers
import string
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from smartindex.errors import DataFileError, MethodError
from smartindex.recommend_conditions import (
    CONDITION_FIELDS,
    CONDITIONS,
    IND_FIELDS,
    Condition,
    Context,
    build_context,
)
from smartindex.results import INDEX_CODE, Results
from smartindex.scorecard import dimension_name, localised_meta
from smartindex.trends import DEFAULT_SETTINGS, AnalysisSettings

DEFAULT_RULES = Path(__file__).with_name("recommendations.toml")
SCOPE_KINDS = ("indicator", "factor", "dimension", "index")
AREAS = {
    "infrastructure": ("Infrastruktur wilayah pinggiran",
                       "Infrastructure for peripheral districts"),
    "training": ("Pelatihan berkelanjutan ASN", "Continuous training of civil servants"),
    "data_protection": ("Regulasi & keamanan perlindungan data",
                        "Data-protection regulation and security"),
    "collaboration": ("Kolaborasi dunia usaha & perguruan tinggi",
                      "Collaboration with business and universities"),
    "complaint_sla": ("SLA penanganan pengaduan", "Complaint-handling SLA"),
    "performance": ("Kinerja dimensi", "Dimension performance"),
}
COMMON_FIELDS = {"scope", "year", "n", "indicators", "city", "area"}
__all__ = ["AREAS", "COMMON_FIELDS", "CONDITIONS", "CONDITION_FIELDS", "DEFAULT_RULES", "FORMATS",
           "IND_FIELDS", "Condition", "Context", "Recommendation", "Rule", "build_context",
           "evaluate", "fmt_field", "fmt_value", "format_recommendations", "load_rules",
           "recommend", "render"]


@dataclass(frozen=True)
class Rule:
    """One declarative rule (see recommendations.toml)."""

    id: str
    area: str
    scope_kind: str
    scope: tuple[str, ...]
    condition: str
    priority: int
    agencies: tuple[str, ...]
    text_id: str
    text_en: str
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Recommendation:
    """A triggered rule with its evidence (records of plain numbers, units, years, names)."""

    rule_id: str
    area: str
    scope_kind: str
    scope: str
    dimension: str
    priority: int
    severity: float
    agencies: tuple[str, ...]
    text: str
    lang: str
    evidence: tuple[dict, ...]

    def to_dict(self) -> dict:
        """JSON-ready dict."""
        return asdict(self) | {"agencies": list(self.agencies), "evidence": list(self.evidence)}


# --- rules -------------------------------------------------------------------------------


def _placeholders(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def _rule(raw: dict, path: Path) -> Rule:
    """One validated rule from its TOML table."""
    rid = raw.get("id", "?")
    scope = raw.get("scope", {})
    if len(scope) != 1 or next(iter(scope)) not in SCOPE_KINDS:
        raise DataFileError(path, f"rule {rid!r}: scope needs exactly one of {SCOPE_KINDS}")
    kind, codes = next(iter(scope.items()))
    cond = raw.get("condition")
    if cond not in CONDITIONS:
        raise DataFileError(path, f"rule {rid!r}: unknown condition {cond!r}; "
                                  f"choose from {sorted(CONDITIONS)}")
    if raw.get("area") not in AREAS:
        raise DataFileError(path, f"rule {rid!r}: unknown area {raw.get('area')!r}")
    allowed = COMMON_FIELDS | CONDITION_FIELDS[cond]
    for key in ("text_id", "text_en"):
        extra = _placeholders(raw.get(key, "")) - allowed
        if not raw.get(key) or extra:
            raise DataFileError(path, f"rule {rid!r}: {key} is empty or uses unknown "
                                      f"placeholder(s) {sorted(extra)}")
    return Rule(id=rid, area=raw["area"], scope_kind=kind,
                scope=tuple([codes] if isinstance(codes, str) else codes), condition=cond,
                priority=int(raw.get("priority", 2)), agencies=tuple(raw.get("agencies", [])),
                text_id=raw["text_id"], text_en=raw["text_en"], params=raw.get("params", {}))


def load_rules(path: Path | str = DEFAULT_RULES) -> list[Rule]:
    """Read and validate a rule file (unique ids, known conditions and placeholders)."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DataFileError(path, f"cannot read rules: {exc}") from exc
    rules = [_rule(r, path) for r in raw.get("rule", [])]
    ids = [r.id for r in rules]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        raise DataFileError(path, f"duplicate rule id(s) {sorted(dup)}")
    return rules


def _scopes(rule: Rule, meta: pd.DataFrame) -> list[tuple[str, list[str]]]:
    """(scope label, indicator codes or element codes) pairs; '*' expands per dimension."""
    if rule.scope_kind == "index":
        return [(INDEX_CODE, meta["code"].tolist())]
    col = {"indicator": "code", "factor": "factor", "dimension": "dimension"}[rule.scope_kind]
    if rule.scope == ("*",):
        return [(d, [d]) for d in dict.fromkeys(meta[col])]
    return [("+".join(rule.scope), list(rule.scope))]


def _codes(rule: Rule, element: list[str], meta: pd.DataFrame) -> list[str]:
    """Indicator codes of a scope (element-level conditions get the element codes too)."""
    if rule.scope_kind in ("indicator", "index"):
        return element
    col = "factor" if rule.scope_kind == "factor" else "dimension"
    if rule.condition.startswith("score_"):
        return element
    return meta.loc[meta[col].isin(element), "code"].tolist()


# --- context, rendering ------------------------------------------------------------------


def fmt_value(v: object, lang: str = "id") -> str:
    """Numbers with ≤ 2 decimals (Indonesian: decimal comma, dot thousands); text as is."""
    if isinstance(v, bool) or not isinstance(v, numbers.Real):
        return "" if v is None else str(v)
    if math.isnan(v):
        return "–"
    text = f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}"
    return text.translate(str.maketrans(",.", ".,")) if lang == "id" else text


def fmt_field(key: str, v: object, lang: str) -> str:
    """Years and counts as plain integers; everything else through :func:`fmt_value`."""
    if key.endswith("year") and isinstance(v, numbers.Real) and not math.isnan(v):
        return str(int(v))
    return fmt_value(v, lang)


def _scope_name(rule: Rule, label: str, meta: pd.DataFrame, lang: str) -> str:
    if rule.scope_kind == "dimension" or label == INDEX_CODE:
        return dimension_name(label, lang)
    if rule.scope_kind == "indicator":
        col = "name_id" if lang == "id" else "name_en"
        names = meta.set_index("code")[col]
        return ", ".join(str(names.get(c, c)) for c in label.split("+"))
    return label.replace("_", " ")


def render(rule: Rule, evidence: list[dict], ctx: Context, scope_name: str) -> str:
    """Fill the rule's template from the most severe evidence record and common fields."""
    top = evidence[0]
    names = [str(e["indicator"]) for e in evidence if e.get("indicator")]
    area = AREAS[rule.area][0 if ctx.lang == "id" else 1]
    fields = {"scope": scope_name, "year": ctx.year, "n": len(evidence),
              "indicators": ", ".join(dict.fromkeys(names)) or scope_name,
              "city": ctx.names.get(ctx.city, ctx.city), "area": area, **top}
    text = rule.text_id if ctx.lang == "id" else rule.text_en
    return text.format_map({k: fmt_field(k, v, ctx.lang) for k, v in fields.items()})


def _dimension(rule: Rule, label: str, meta: pd.DataFrame) -> str:
    if rule.scope_kind == "dimension":
        return label
    if rule.scope_kind == "index":
        return INDEX_CODE
    col = "code" if rule.scope_kind == "indicator" else "factor"
    dims = meta.loc[meta[col].isin(label.split("+")), "dimension"].unique()
    return "+".join(dims) if len(dims) else ""


def evaluate(rules: Sequence[Rule], ctx: Context) -> list[Recommendation]:
    """Run every rule over every scope; keep those with evidence; dedupe; rank."""
    out: dict[tuple[str, str, str], Recommendation] = {}
    for rule in rules:
        for label, element in _scopes(rule, ctx.meta):
            ev = CONDITIONS[rule.condition](ctx, rule.scope_kind,
                                            _codes(rule, element, ctx.meta), rule.params)
            key = (rule.id, rule.scope_kind, label)
            if not ev or key in out:
                continue
            ev = sorted(ev, key=lambda e: -(e.get("severity") or 0.0))
            name = _scope_name(rule, label, ctx.meta, ctx.lang)
            out[key] = Recommendation(
                rule_id=rule.id, area=rule.area, scope_kind=rule.scope_kind, scope=label,
                dimension=_dimension(rule, label, ctx.meta), priority=rule.priority,
                severity=round(float(ev[0].get("severity") or 0.0), 4), agencies=rule.agencies,
                text=render(rule, ev, ctx, name), lang=ctx.lang, evidence=tuple(ev))
    ranked = sorted(out.values(), key=lambda r: (r.priority, -r.severity, r.rule_id, r.scope))
    return distinct_findings(ranked, {rule.id: rule.condition for rule in rules})


def distinct_findings(ranked: Sequence[Recommendation], conditions: dict[str, str]
                      ) -> list[Recommendation]:
    """One recommendation per finding (condition x scope): the highest-ranked one wins, so a
    specific rule's advice replaces a generic rule's advice on the same evidence."""
    seen: set[tuple[str, str, str]] = set()
    kept = []
    for rec in ranked:
        finding = (conditions[rec.rule_id], rec.scope_kind, rec.scope)
        if finding not in seen:
            seen.add(finding)
            kept.append(rec)
    return kept


def recommend(results: Results, *, year: int, lang: str = "id",
              rules: Sequence[Rule] | Path | str | None = None, city: str | None = None,
              catalogue: object | None = None,
              settings: AnalysisSettings = DEFAULT_SETTINGS) -> list[Recommendation]:
    """Ranked, evidence-linked recommendations for ``city`` (default: results.city) in ``year``.

    ``rules``: a rule list, a TOML path, or None for the default rule set.
    """
    if rules is None or isinstance(rules, str | Path):
        rules = load_rules(rules or DEFAULT_RULES)
    meta = localised_meta(catalogue, lang)
    ctx = build_context(results, year=year, lang=lang, city=city or results.city, meta=meta,
                        settings=settings)
    return evaluate(rules, ctx)


# --- output ------------------------------------------------------------------------------

_HEAD = {"id": ("No", "Prioritas", "Bidang", "OPD", "Rekomendasi", "Bukti"),
         "en": ("No", "Priority", "Area", "Agency", "Recommendation", "Evidence")}


def _evidence_line(e: dict, lang: str) -> str:
    keys = [k for k in e if k not in ("severity", "indicator")]
    return "; ".join(f"{k}={fmt_field(k, e[k], lang)}" for k in keys)


def _markdown(recs: Sequence[Recommendation], lang: str) -> str:
    h = _HEAD.get(lang, _HEAD["en"])
    lines = []
    for i, r in enumerate(recs, 1):
        area = AREAS[r.area][0 if lang == "id" else 1]
        lines += [f"### {i}. {area} — {', '.join(r.agencies)}", "",
                  f"**{h[1]}:** {r.priority} · `{r.rule_id}` · {r.scope}", "", r.text, "",
                  *[f"- {_evidence_line(e, lang)}" for e in r.evidence], ""]
    return "\n".join(lines)


def _table(recs: Sequence[Recommendation], lang: str) -> str:
    h = _HEAD.get(lang, _HEAD["en"])
    rows = [" | ".join(h[:5])]
    for i, r in enumerate(recs, 1):
        area = AREAS[r.area][0 if lang == "id" else 1]
        rows.append(" | ".join([str(i), str(r.priority), area, ", ".join(r.agencies), r.text]))
    return "\n".join(rows)


FORMATS: dict[str, Callable[[Sequence[Recommendation], str], str]] = {
    "table": _table, "md": _markdown,
    "json": lambda recs, lang: json.dumps([r.to_dict() for r in recs], ensure_ascii=False,
                                          indent=2, default=str),
}


def format_recommendations(recs: Sequence[Recommendation], fmt: str = "table",
                           lang: str = "id") -> str:
    """Render recommendations as ``table`` (plain text), ``json`` or ``md``."""
    if fmt not in FORMATS:
        raise MethodError(f"unknown format {fmt!r}; choose from {sorted(FORMATS)}")
    return FORMATS[fmt](recs, lang)
