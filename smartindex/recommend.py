"""Evidence-linked policy recommendations from declarative rules (recommendations.toml).

A rule names a *scope* (dimension / factor / indicator / index; ``"*"`` = every dimension),
a *condition* from :data:`CONDITIONS` (small named functions, no eval), a priority, the
responsible agencies (OPD) and templates in Bahasa Indonesia and English.  A condition returns
evidence records (the numbers that triggered it); a rule without evidence stays silent.  One
recommendation per rule and scope; ranked by priority, then severity.  See
docs/recommendations.md.
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

import numpy as np
import pandas as pd

from smartindex import districts, peers
from smartindex.errors import DataFileError, MethodError
from smartindex.results import INDEX_CODE, Results
from smartindex.scorecard import dimension_name, peer_units, score_block
from smartindex.targets import target_status
from smartindex.trends import DEFAULT_SETTINGS, AnalysisSettings, indicator_meta

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
IND_FIELDS = {"code", "indicator", "value", "unit"}


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


@dataclass(frozen=True)
class Context:
    """The evidence base of one year, computed once for all rules."""

    year: int
    city: str
    lang: str
    meta: pd.DataFrame
    status: pd.DataFrame       # target_status of the city (+ name, unit)
    elements: pd.DataFrame     # factor/dimension/index scores of the city with trend
    peer_ind: pd.DataFrame
    peer_agg: pd.DataFrame
    inequality: pd.DataFrame   # kecamatan inequality in `year` (+ district names)
    names: dict[str, str]      # unit code -> display name


# --- conditions: (ctx, kind, codes, params) -> evidence records with "severity" -------------


def _ind_fields(ctx: Context, rows: pd.DataFrame) -> pd.DataFrame:
    return rows.assign(indicator=rows["name"], year=ctx.year)


def _py(v: object) -> object:
    """Plain Python scalars for evidence (NaN/NA -> None, numpy -> int/float)."""
    if v is None or (not isinstance(v, str | list) and pd.isna(v)):
        return None
    return v.item() if isinstance(v, np.generic) else v


def _records(frame: pd.DataFrame, cols: list[str]) -> list[dict]:
    """Evidence records (plain Python values) of the given columns plus severity."""
    return [{k: _py(v) for k, v in row.items()}
            for row in frame[[*cols, "severity"]].to_dict("records")]


def below_target(ctx: Context, kind: str, codes: list[str], p: dict) -> list[dict]:
    """Achievement % below ``threshold`` (default 100) in the year."""
    s = ctx.status[ctx.status["code"].isin(codes)]
    s = s[s["achievement"] < p.get("threshold", 100.0)]
    s = _ind_fields(ctx, s).assign(severity=(1 - s["achievement"] / 100).clip(0, 1))
    return _records(s, [*IND_FIELDS, "year", "target", "achievement"])


def off_track(ctx: Context, kind: str, codes: list[str], p: dict) -> list[dict]:
    """Projection to the target year is off track (or one of ``statuses``)."""
    s = ctx.status[ctx.status["code"].isin(codes)]
    s = s[s["projection_status"].isin(p.get("statuses", ["off track"]))]
    s = _ind_fields(ctx, s).assign(
        severity=(1 - s["projected_achievement"] / 100).clip(0, 1).fillna(0.5),
        status=s["projection_status"], final_target=s["final_target"])
    return _records(s, [*IND_FIELDS, "year", "final_target", "target_year", "projected",
                        "projected_achievement", "status"])


def significant_worsening(ctx: Context, kind: str, codes: list[str], p: dict) -> list[dict]:
    """Indicators whose trend is worsening and significant (Mann–Kendall)."""
    s = ctx.status[ctx.status["code"].isin(codes)]
    s = s[(s["verdict"] == "worsening") & s["significant"]]
    s = _ind_fields(ctx, s).assign(severity=1 - s["p_value"])
    return _records(s, [*IND_FIELDS, "year", "first_year", "slope", "p_value"])


def value_worse_than(ctx: Context, kind: str, codes: list[str], p: dict) -> list[dict]:
    """Value worse than ``threshold`` (below it if higher is better, above it otherwise)."""
    s = ctx.status[ctx.status["code"].isin(codes) & ctx.status["value"].notna()]
    t = float(p["threshold"])
    gap = (s["value"] - t) * s["direction"]
    s = _ind_fields(ctx, s[gap < 0]).assign(threshold=t,
                                            severity=(-gap[gap < 0] / abs(t or 1)).clip(0, 1))
    return _records(s, [*IND_FIELDS, "year", "threshold"])


def bottom_quartile_peers(ctx: Context, kind: str, codes: list[str], p: dict) -> list[dict]:
    """Indicators where the city is in the bottom quartile of the peer cities."""
    s = ctx.peer_ind[ctx.peer_ind["code"].isin(codes) & ctx.peer_ind["bottom_quartile"]]
    s = s.merge(ctx.status[["code", "name", "unit"]], on="code", how="left")
    s = _ind_fields(ctx, s).assign(n_cities=s["n"], best_peer=s["best_peer"].map(ctx.names),
                                   severity=1 - s["percentile"])
    return _records(s, [*IND_FIELDS, "year", "rank", "n_cities", "peer_median", "best_peer",
                        "best_value", "gap_median"])


def district_inequality_above(ctx: Context, kind: str, codes: list[str], p: dict) -> list[dict]:
    """Inequality across kecamatan (``measure``, default gini) above ``threshold``."""
    m, t = p.get("measure", "gini"), float(p.get("threshold", 0.2))
    s = ctx.inequality[ctx.inequality["code"].isin(codes)]
    s = s[s[m] > t].merge(ctx.status[["code", "name", "unit"]], on="code", how="left")
    s = _ind_fields(ctx, s).assign(
        measure=m, inequality=s[m], threshold=t, severity=(s[m] / t - 1).clip(0, 1),
        n_districts=s["n"],
        worst_district=s["worst_unit"].map(ctx.names), best_district=s["best_unit"].map(ctx.names))
    return _records(s, ["code", "indicator", "unit", "year", "measure", "inequality",
                        "threshold", "worst_district", "best_district", "n_districts"])


def coverage_below(ctx: Context, kind: str, codes: list[str], p: dict) -> list[dict]:
    """Share of the scope's indicators with a value this year below ``threshold`` (0–1)."""
    s = ctx.status.set_index("code").reindex(codes)
    have = s["value"].notna()
    cov, t = float(have.mean()) if len(s) else 0.0, float(p.get("threshold", 0.75))
    if cov >= t or not len(codes):
        return []
    missing = ", ".join(s.loc[~have, "name"].astype(str))
    return [{"coverage": round(cov * 100, 1), "threshold": t * 100, "missing": missing,
             "n_missing": int((~have).sum()), "year": ctx.year, "severity": 1 - cov}]


def _element(ctx: Context, kind: str, codes: list[str]) -> list[str]:
    return [INDEX_CODE] if kind == "index" else codes


def score_bottom_quartile(ctx: Context, kind: str, codes: list[str], p: dict) -> list[dict]:
    """The scope element's own score (dimension/index) in the peers' bottom quartile."""
    s = ctx.peer_agg[ctx.peer_agg["code"].isin(_element(ctx, kind, codes))
                     & ctx.peer_agg["bottom_quartile"]]
    s = s.assign(score=s["value"], n_cities=s["n"], best_peer=s["best_peer"].map(ctx.names),
                 severity=1 - s["percentile"])
    return _records(s, ["code", "year", "score", "rank", "n_cities", "best_peer"])


def score_worsening(ctx: Context, kind: str, codes: list[str], p: dict) -> list[dict]:
    """The scope element's own score has a significant worsening trend."""
    s = ctx.elements[ctx.elements["code"].isin(_element(ctx, kind, codes))]
    s = s[(s["verdict"] == "worsening") & s["significant"].fillna(False).astype(bool)]
    s = s.assign(year=ctx.year, severity=1 - s["p_value"])
    return _records(s, ["code", "year", "score", "slope", "p_value"])


Condition = Callable[[Context, str, list[str], dict], list[dict]]
CONDITIONS: dict[str, Condition] = {
    "below_target": below_target, "off_track": off_track,
    "significant_worsening": significant_worsening, "value_worse_than": value_worse_than,
    "bottom_quartile_peers": bottom_quartile_peers,
    "district_inequality_above": district_inequality_above, "coverage_below": coverage_below,
    "score_bottom_quartile": score_bottom_quartile, "score_worsening": score_worsening,
}
"""Registry of conditions by name (the ``condition`` key of a rule)."""
CONDITION_FIELDS: dict[str, set[str]] = {
    "below_target": IND_FIELDS | {"target", "achievement"},
    "off_track": IND_FIELDS | {"final_target", "target_year", "projected",
                               "projected_achievement", "status"},
    "significant_worsening": IND_FIELDS | {"first_year", "slope", "p_value"},
    "value_worse_than": IND_FIELDS | {"threshold"},
    "bottom_quartile_peers": IND_FIELDS | {"rank", "n_cities", "peer_median", "best_peer",
                                           "best_value", "gap_median"},
    "district_inequality_above": {"code", "indicator", "unit", "measure", "inequality",
                                  "threshold", "worst_district", "best_district", "n_districts"},
    "coverage_below": {"coverage", "threshold", "missing", "n_missing"},
    "score_bottom_quartile": {"code", "score", "rank", "n_cities", "best_peer"},
    "score_worsening": {"code", "score", "slope", "p_value"},
}
"""Template placeholders each condition provides (besides COMMON_FIELDS)."""


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


def build_context(results: Results, *, year: int, lang: str, city: str, meta: pd.DataFrame,
                  settings: AnalysisSettings) -> Context:
    """Compute every frame the conditions read, once."""
    iv, dirs = results.indicator_values, dict(zip(meta["code"], meta["direction"], strict=True))
    st = target_status(iv, results.targets, meta, year=year, units=[city], settings=settings)
    st = meta.rename(columns={"name_id" if lang == "id" else "name_en": "name"})[
        ["code", "name", "unit", "direction", "dimension"]].merge(
        st.drop(columns=["unit"]), on="code", how="left")
    elements = pd.concat([score_block(results, city, year, lvl, settings) for lvl in (2, 3, 4)])
    others = peer_units(results)
    peer_ind = peers.peer_stats(iv, city=city, peers=others, directions=dirs, year=year)
    sc = results.scores
    sc = sc[(sc["comparison"] == "cities") & (sc["level"] >= 2)].rename(columns={"score": "value"})
    peer_agg = peers.peer_stats(sc, city=city, peers=others, year=year)
    dv = districts.district_values(iv, results.regions, city=city, year=year)
    ineq = districts.inequality(dv, dirs)
    names = {u: results.unit_name(u) for u in set(results.regions.get("unit", []))}
    return Context(year=year, city=city, lang=lang, meta=meta, status=st, elements=elements,
                   peer_ind=peer_ind, peer_agg=peer_agg, inequality=ineq, names=names)


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
    return sorted(out.values(), key=lambda r: (r.priority, -r.severity, r.rule_id, r.scope))


def recommend(results: Results, *, year: int, lang: str = "id",
              rules: Sequence[Rule] | Path | str | None = None, city: str | None = None,
              catalogue: object | None = None,
              settings: AnalysisSettings = DEFAULT_SETTINGS) -> list[Recommendation]:
    """Ranked, evidence-linked recommendations for ``city`` (default: results.city) in ``year``.

    ``rules``: a rule list, a TOML path, or None for the default rule set.
    """
    if rules is None or isinstance(rules, str | Path):
        rules = load_rules(rules or DEFAULT_RULES)
    meta = indicator_meta(catalogue)
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
