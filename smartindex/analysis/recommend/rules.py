"""Recommendations a cabinet meeting can act on: distinct actions from ``rules.toml``.

An *action* (one ``[[action]]`` table) names a lead agency (OPD) and supporting agencies, the
indicators it moves and the *triggers* (:mod:`smartindex.analysis.recommend.conditions`) that
make it necessary, read from the status model (:mod:`smartindex.analysis.status`) of the area_code
the user chose: the home city, a peer city or a kecamatan.  Every triggered action becomes one
:class:`Recommendation` — findings on several indicators merge into the action that moves them —
with a numeric target and year (:func:`target_of`) and its evidence as sentences (locale keys
with numbers).  Ranking (docs/recommendations.md): the most urgent finding kind first
(:data:`~smartindex.analysis.recommend.conditions.KINDS`: legal breach, sangat rendah, rendah,
significant worsening, position, divide, dimension worsening, dimension position, coverage),
then the lead finding's order (e.g. lower achievement first), then more findings, then id.  The
*headline* list is every action with a needs-attention finding, at least ``headline_min`` and
at most ``headline_max`` (5..8); the rest follow.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from smartindex.analysis.recommend.conditions import (
    DIMENSION_TRIGGERS,
    KINDS,
    TRIGGERS,
    Context,
    Finding,
    build_context,
)
from smartindex.analysis.standards import default_standards
from smartindex.analysis.status import Phrase
from smartindex.analysis.trends import DEFAULT_SETTINGS, AnalysisSettings
from smartindex.errors import DataFileError
from smartindex.scoring.results import Results

DEFAULT_RULES = Path(__file__).with_name("rules.toml")
AREA_KEYS = (
    "infrastructure",
    "training",
    "data_protection",
    "collaboration",
    "complaint_sla",
    "performance",
)
ATTENTION_KINDS = KINDS[:4]
PRIORITY = {
    "breach": 1,
    "sangat_rendah": 1,
    "rendah": 1,
    "worsening": 2,
    "position": 2,
    "divide": 2,
}
"""Priority 1 (act now) .. 3 (watch) by the most urgent finding kind; others are 3."""


@dataclass(frozen=True)
class Action:
    """One declarative action of ``rules.toml``."""

    id: str
    area: str
    lead: str
    support: tuple[str, ...]
    dimension: str
    indicators: tuple[str, ...]
    triggers: tuple[str, ...]
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RuleSet:
    """The actions and the ranking settings."""

    actions: tuple[Action, ...]
    horizon: int = 2
    headline_min: int = 5
    headline_max: int = 8


@dataclass(frozen=True)
class Recommendation:
    """One action for one area and year, with its target, evidence and rank.

    ``action`` and ``sentences`` are locale keys with parameters (the faces translate them);
    ``evidence`` holds the findings' numbers; ``target`` is a plain dict (``code, value, op,
    year, source, reference, measure``).
    """

    rule_id: str
    area: str
    rank: int
    headline: bool
    priority: int
    tier: str
    area_code: str
    area_name: str
    group: str
    year: int
    lead_agency: str
    agencies: tuple[str, ...]
    dimension: str
    indicators: tuple[str, ...]
    action: Phrase
    target: dict[str, object]
    sentences: tuple[Phrase, ...]
    evidence: tuple[dict[str, object], ...]
    lang: str = "id"
    severity: float = 0.0
    scope_kind: str = "indicator"
    scope: str = ""

    def to_dict(self) -> dict[str, object]:
        """JSON-ready dict (phrases as ``{key, params}``)."""
        out = asdict(self)
        out["action"] = {"key": self.action.key, "params": dict(self.action.params)}
        out["sentences"] = [{"key": p.key, "params": dict(p.params)} for p in self.sentences]
        return out | {
            "agencies": list(self.agencies),
            "indicators": list(self.indicators),
            "evidence": list(self.evidence),
        }


# --- rules ----------------------------------------------------------------------------------


def _action(raw: Mapping[str, Any], path: Path, codes: set[str] | None) -> Action:
    aid = str(raw.get("id", "?"))
    triggers = tuple(raw.get("triggers", []))
    unknown = [t for t in triggers if t not in TRIGGERS]
    if not triggers or unknown:
        raise DataFileError(
            path,
            f"action {aid!r}: unknown or missing trigger(s) {unknown}; "
            f"choose from {sorted(TRIGGERS)}",
        )
    if raw.get("area") not in AREA_KEYS:
        raise DataFileError(path, f"action {aid!r}: unknown area {raw.get('area')!r}")
    if not raw.get("lead"):
        raise DataFileError(path, f"action {aid!r}: needs a lead agency")
    indicators = tuple(raw.get("indicators", []))
    if not indicators and not set(triggers) <= DIMENSION_TRIGGERS:
        raise DataFileError(path, f"action {aid!r}: indicator triggers need indicators")
    if codes is not None and set(indicators) - codes:
        raise DataFileError(
            path, f"action {aid!r}: unknown indicator(s) {sorted(set(indicators) - codes)}"
        )
    return Action(
        id=aid,
        area=str(raw["area"]),
        lead=str(raw["lead"]),
        support=tuple(raw.get("support", [])),
        dimension=str(raw.get("dimension", "")),
        indicators=indicators,
        triggers=triggers,
        params=dict(raw.get("params", {})),
    )


def load_rules(path: Path | str = DEFAULT_RULES, codes: set[str] | None = None) -> RuleSet:
    """Read and validate an action file (unique ids, known triggers, each indicator in at
    most one action; ``codes``: the catalogue's indicator codes, checked when given)."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DataFileError(path, f"cannot read rules: {exc}") from exc
    actions = tuple(_action(a, path, codes) for a in raw.get("action", []))
    ids = Counter(a.id for a in actions)
    owners = Counter(c for a in actions for c in a.indicators)
    dup = sorted(i for i, n in (ids + owners).items() if n > 1)
    if dup:
        raise DataFileError(path, f"duplicate action id(s) or indicator(s) in two actions: {dup}")
    s = raw.get("settings", {})
    return RuleSet(
        actions=actions,
        horizon=int(s.get("horizon", 2)),
        headline_min=int(s.get("headline_min", 5)),
        headline_max=int(s.get("headline_max", 8)),
    )


# --- targets ---------------------------------------------------------------------------------


def _op(direction: object) -> str:
    return "≤" if int(direction) < 0 else "≥"  # type: ignore[call-overload]


def _plan_target(
    ctx: Context, targets: pd.DataFrame, code: str
) -> tuple[float, int, str, str] | None:
    """The next planned target after ``ctx.year`` (else this year's, carried to next year):
    ``(value, year, source, document)``; source ``document`` or ``synthetic``.  (Arrays, not
    frame filters: called once per action, it is on the first screen's path.)"""
    if not len(targets):
        return None
    mine = np.flatnonzero(
        (targets["area_code"].to_numpy(dtype=object) == ctx.area_code)
        & (targets["code"].to_numpy(dtype=object) == code)
    )
    years = targets["year"].to_numpy(dtype=float)[mine]
    ahead = mine[years > ctx.year][np.argsort(years[years > ctx.year], kind="stable")]
    now = mine[years == ctx.year]
    if not len(ahead) and not len(now):
        return None
    row = targets.iloc[int(ahead[0] if len(ahead) else now[0])]
    year = int(row["year"]) if len(ahead) else ctx.year + 1
    synthetic = bool(row.get("is_synthetic", False))
    return (
        float(row["target"]),
        year,
        "synthetic" if synthetic else "document",
        str(row.get("document", "")),
    )


def _indicator_target(
    ctx: Context, targets: pd.DataFrame, lead: Finding, horizon: int
) -> dict[str, object]:
    row = ctx.records[str(lead["code"])]
    base: dict[str, object] = {
        "code": lead["code"],
        "op": _op(row["direction"]),
        "measure": row["unit"],
        "indicator": row["name"],
    }
    std = default_standards().by_code.get(str(lead["code"]))
    if lead["kind"] == "divide":
        return base | {
            "value": lead["threshold"],
            "op": "≤",
            "year": ctx.year + horizon,
            "source": "gini",
            "reference": "",
            "measure": "Gini",
        }
    plan = _plan_target(ctx, targets, str(lead["code"]))
    year = plan[1] if plan else ctx.year + horizon
    if row["compliance"] in ("breach", "partial") and std is not None:
        value = std.bands.bounds(std.minimum)[0] if std.bands is not None else std.value
        return base | {
            "value": value,
            "year": year,
            "source": "standard",
            "reference": std.citation,
        }
    if lead["kind"] == "position":
        return base | {
            "value": lead["median"],
            "year": ctx.year + horizon,
            "source": "median",
            "group": ctx.group,
            "reference": "",
        }
    if plan is not None:
        return base | {
            "value": plan[0],
            "year": plan[1],
            "source": plan[2],
            "reference": plan[3] if plan[2] == "document" else "",
        }
    first = pd.to_numeric(pd.Series([row.get("first")]), errors="coerce").iloc[0]
    return base | {
        "value": None if pd.isna(first) else round(float(first), 2),
        "year": year,
        "source": "trend",
        "reference": str(row.get("first_year", "")),
    }


def target_of(
    ctx: Context, targets: pd.DataFrame, findings: Sequence[Finding], horizon: int
) -> dict[str, object]:
    """The numeric target and year of an action, from its most urgent finding:

    * a legal breach → the standard (PP 22/2021 15 µg/m³, LAPOR! 100 %, IKM band B …), by the
      next planned target year (else year + horizon);
    * a position finding (bottom quartile of the group) → the group median by year + horizon;
    * kecamatan inequality → Gini ≤ the action's threshold by year + horizon;
    * else (a low grade or worsening) the next planned target of the indicator after ``year``
      (this year's target, carried to next year, when none lies ahead; synthetic targets are
      labelled ``synthetic``, never cited as a document); without a plan, the value where the
      trend started, by year + horizon;
    * dimension actions: the group median score (peer learning), the score where the decline
      started (programme review), the minimum data coverage (custodians) — by year + horizon.
    """
    lead = findings[0]
    if lead["kind"] not in ("dimension_position", "dimension_worsening", "coverage"):
        return _indicator_target(ctx, targets, lead, horizon)
    base: dict[str, object] = {
        "code": lead["code"],
        "op": "≥",
        "year": ctx.year + horizon,
        "dimension": lead["dimension"],
        "measure": "score",
    }
    if lead["kind"] == "dimension_position":
        return base | {
            "value": lead["median"],
            "source": "median",
            "group": ctx.group,
            "reference": "",
        }
    if lead["kind"] == "dimension_worsening":
        return base | {
            "value": lead["first_score"],
            "source": "trend",
            "reference": str(lead.get("first_year", "")),
        }
    return base | {
        "value": lead["minimum"],
        "source": "coverage",
        "reference": "",
        "measure": "%",
        "year": ctx.year + 1,
    }


# --- evaluation ------------------------------------------------------------------------------


def _findings(action: Action, ctx: Context) -> list[Finding]:
    found: list[Finding] = []
    for name in action.triggers:
        found += TRIGGERS[name](ctx, list(action.indicators), action.params)
    return sorted(
        found,
        key=lambda f: (
            KINDS.index(f["kind"]),
            f["order"] if f["order"] is not None else float("inf"),
            str(f["code"]),
        ),
    )


def _action_phrase(action: Action, ctx: Context, findings: Sequence[Finding]) -> Phrase:
    params: dict[str, object] = {"area_name": ctx.names.get(ctx.area_code, ctx.area_code)}
    if action.id == "peer_learning":
        best = Counter(str(f.get("best")) for f in findings).most_common(1)[0][0]
        params |= {
            "best": ctx.names.get(best, best),
            "dimensions": ", ".join(str(f["dimension"]) for f in findings),
        }
    return Phrase(f"rec.action.{action.id}", params)


def _recommendation(
    action: Action,
    ctx: Context,
    targets: pd.DataFrame,
    *,
    findings: list[Finding],
    rules: RuleSet,
    lang: str,
) -> Recommendation:
    tier = str(findings[0]["kind"])
    codes = tuple(dict.fromkeys(str(f["code"]) for f in findings))
    dimension = action.dimension or "+".join(codes)
    evidence = tuple({k: v for k, v in f.items() if k != "sentences"} for f in findings)
    return Recommendation(
        rule_id=action.id,
        area=action.area,
        rank=0,
        headline=False,
        priority=PRIORITY.get(tier, 3),
        tier=tier,
        area_code=ctx.area_code,
        area_name=ctx.names.get(ctx.area_code, ctx.area_code),
        group=ctx.group,
        year=ctx.year,
        lead_agency=action.lead,
        agencies=(action.lead, *action.support),
        dimension=dimension,
        indicators=action.indicators or codes,
        action=_action_phrase(action, ctx, findings),
        target=target_of(ctx, targets, findings, rules.horizon),
        sentences=tuple(p for f in findings for p in f["sentences"]),
        evidence=evidence,
        lang=lang,
        severity=round(1.0 - KINDS.index(tier) / len(KINDS), 4),
        scope_kind="dimension" if not action.indicators else "indicator",
        scope="+".join(codes),
    )


def evaluate(
    rules: RuleSet, ctx: Context, targets: pd.DataFrame, lang: str = "id"
) -> list[Recommendation]:
    """Every action with findings, ranked, numbered, headline list marked."""
    recs = [
        _recommendation(a, ctx, targets, findings=f, rules=rules, lang=lang)
        for a in rules.actions
        if (f := _findings(a, ctx))
    ]

    def key(r: Recommendation) -> tuple[object, ...]:
        order = r.evidence[0].get("order")
        return (
            KINDS.index(r.tier),
            order if isinstance(order, int | float) else float("inf"),
            -len(r.evidence),
            r.rule_id,
        )

    recs.sort(key=key)
    urgent = sum(r.tier in ATTENTION_KINDS for r in recs)
    n_head = min(max(urgent, rules.headline_min), rules.headline_max, len(recs))
    return [_numbered(r, i, i <= n_head) for i, r in enumerate(recs, 1)]


def _numbered(rec: Recommendation, rank: int, headline: bool) -> Recommendation:
    return Recommendation(**{**rec.__dict__, "rank": rank, "headline": headline})


def recommend(
    results: Results,
    *,
    year: int,
    lang: str = "id",
    rules: RuleSet | Path | str | None = None,
    area_code: str | None = None,
    city: str | None = None,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
) -> list[Recommendation]:
    """Ranked recommendations for ``area_code`` (a city — the home city by default — or a kecamatan)
    in ``year``; ``city`` is an alias of ``area_code``.  ``rules``: a RuleSet, a TOML path, or None
    for the packaged rules.  ``lang`` picks the language of indicator names and measure units
    inside the evidence; every sentence is a locale key (see smartindex.display.status)."""
    chosen = area_code or city or results.city
    if rules is None:  # the packaged rules: once per results, year, language, area, settings
        key = ("recommend", year, lang, chosen, settings)
        return results.memoised(key, lambda: _recommend(results, year, lang, chosen, settings))
    return _recommend(results, year, lang, chosen, settings, rules=rules)


def _recommend(
    results: Results,
    year: int,
    lang: str,
    chosen: str,
    settings: AnalysisSettings,
    *,
    rules: RuleSet | Path | str | None = None,
) -> list[Recommendation]:
    if not isinstance(rules, RuleSet):
        rules = load_rules(rules or DEFAULT_RULES, set(results.catalogue.codes))
    ctx = build_context(results, year=year, area_code=chosen, lang=lang, settings=settings)
    t = results.targets  # the area's plans only: each action's target looks up one indicator
    return evaluate(rules, ctx, t[t["area_code"] == chosen] if len(t) else t, lang)
