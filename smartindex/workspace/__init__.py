"""A city's working folder: ``init`` scaffolds it, ``check`` validates it before anything is
loaded, ``stage`` turns it into a raw folder the ETL loads."""

from __future__ import annotations

from smartindex.workspace.check import (
    CheckReport,
    Finding,
    IndicatorStatus,
    check_workspace,
    enabling_sources,
    format_report,
    indicator_status,
)
from smartindex.workspace.scaffold import init_workspace
from smartindex.workspace.stage import StagedFile, StageResult, stage

__all__ = [
    "CheckReport",
    "Finding",
    "IndicatorStatus",
    "StageResult",
    "StagedFile",
    "check_workspace",
    "enabling_sources",
    "format_report",
    "indicator_status",
    "init_workspace",
    "stage",
]
