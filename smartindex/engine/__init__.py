"""Composite-indicator engine: framework tree, method spec, build, audit, uncertainty.

>>> from smartindex.engine import Framework, MethodSpec, build_index
>>> result = build_index(data, Framework.from_frame(elements), MethodSpec())

The engine is the pure kernel: it imports only the standard library, numpy, pandas,
scipy (and openpyxl for the workbook) plus ``smartindex.errors`` / ``smartindex.config``.
"""

from __future__ import annotations

from smartindex.engine.aggregate import AGGREGATORS
from smartindex.engine.analysis import (
    LeaveOneOut,
    OptimisedWeights,
    group_ranks,
    leave_one_out,
    optimise_weights,
    sensitivity_table,
)
from smartindex.engine.audit import Audit, audit
from smartindex.engine.framework import Framework
from smartindex.engine.impute import IMPUTERS
from smartindex.engine.kernel import Kernel, compile_kernel
from smartindex.engine.method import MethodSpec
from smartindex.engine.normalise import NORMALISERS
from smartindex.engine.pipeline import build_index
from smartindex.engine.result import IndexResult
from smartindex.engine.rounding import round_half_up
from smartindex.engine.screen import GRADES, SCREENS, coverage_grade
from smartindex.engine.treat import TREATERS
from smartindex.engine.uncertainty import (
    UncertaintyResult,
    UncertaintySpec,
    run_uncertainty,
    uncertainty,
)

__all__ = [
    "AGGREGATORS",
    "GRADES",
    "IMPUTERS",
    "NORMALISERS",
    "SCREENS",
    "TREATERS",
    "Audit",
    "Framework",
    "IndexResult",
    "Kernel",
    "LeaveOneOut",
    "MethodSpec",
    "OptimisedWeights",
    "UncertaintyResult",
    "UncertaintySpec",
    "audit",
    "build_index",
    "compile_kernel",
    "coverage_grade",
    "group_ranks",
    "leave_one_out",
    "optimise_weights",
    "round_half_up",
    "run_uncertainty",
    "sensitivity_table",
    "uncertainty",
]
