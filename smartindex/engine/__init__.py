"""Composite-indicator engine: framework tree, method spec, build, audit, uncertainty.

>>> from smartindex.engine import Framework, MethodSpec, build_index
>>> result = build_index(data, Framework.from_frame(elements), MethodSpec())
"""

from __future__ import annotations

from smartindex.engine.aggregate import AGGREGATORS
from smartindex.engine.audit import Audit, audit
from smartindex.engine.framework import Framework
from smartindex.engine.impute import IMPUTERS
from smartindex.engine.method import MethodSpec
from smartindex.engine.normalise import NORMALISERS
from smartindex.engine.pipeline import build_index
from smartindex.engine.result import IndexResult
from smartindex.engine.screen import SCREENS
from smartindex.engine.treat import TREATERS
from smartindex.engine.uncertainty import UncertaintyResult, UncertaintySpec, uncertainty

__all__ = [
    "AGGREGATORS",
    "IMPUTERS",
    "NORMALISERS",
    "SCREENS",
    "TREATERS",
    "Audit",
    "Framework",
    "IndexResult",
    "MethodSpec",
    "UncertaintyResult",
    "UncertaintySpec",
    "audit",
    "build_index",
    "uncertainty",
]
