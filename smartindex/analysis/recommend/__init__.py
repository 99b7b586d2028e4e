"""Policy recommendations: declarative actions (``rules.toml``) triggered by findings of the
status model (``conditions.py``); ``rules.py`` merges, targets and ranks them."""

from __future__ import annotations

from smartindex.analysis.recommend.conditions import (
    KINDS,
    TRIGGERS,
    Context,
    Finding,
    build_context,
)
from smartindex.analysis.recommend.rules import (
    AREA_KEYS,
    DEFAULT_RULES,
    Action,
    Recommendation,
    RuleSet,
    evaluate,
    load_rules,
    recommend,
    target_of,
)

__all__ = [
    "AREA_KEYS",
    "DEFAULT_RULES",
    "KINDS",
    "TRIGGERS",
    "Action",
    "Context",
    "Finding",
    "Recommendation",
    "RuleSet",
    "build_context",
    "evaluate",
    "load_rules",
    "recommend",
    "target_of",
]
