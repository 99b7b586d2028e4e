"""``evaluate``: bring your own framework and data, get every table of a full build.

``run_evaluation(framework_path, data_path, out_dir, method_path=None)`` reads the
tables, builds the index, audits it and writes one CSV per table, ``manifest.json``
and ``evaluation.xlsx`` (one sheet per table).  Text cells that a spreadsheet would
read as a formula (starting with = + - @, tab or carriage return) get a leading '.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from smartindex.engine.audit import Audit, audit
from smartindex.engine.method import MethodSpec
from smartindex.engine.pipeline import build_index
from smartindex.engine.result import STAGES, IndexResult
from smartindex.engine.tables import read_data, read_framework
from smartindex.errors import DataFileError, SmartIndexError

LONG_ONLY = ("scores_long",)
"""Tables written as CSV only (the workbook has the same numbers per level)."""
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix ' to text cells starting like a formula; numbers are untouched."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            s = out[col]
            risky = s.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_START))
            out[col] = s.where(~risky, "'" + s.astype(str))
    return out


def result_tables(result: IndexResult, checks: Audit) -> dict[str, pd.DataFrame]:
    """Every output table by name (file stem and sheet name, <= 31 characters)."""
    tables = {f"stage_{name}": result.stages[name] for name in STAGES}
    tables["scores_long"] = result.scores
    for lv in result.framework.levels:
        tables[f"scores_level{lv}"] = result.level(lv).reset_index()
        tables[f"ranks_level{lv}"] = result.ranks(lv).reset_index()
    tables |= {
        "treatment": result.treatment,
        "screening": result.screening,
        "imputation": result.imputation,
        "weights": result.weights,
        "framework": result.framework.elements,
    }
    tables |= checks.tables()
    return tables


@dataclass(frozen=True)
class EvaluationOutput:
    """Where everything was written, plus the in-memory result and audit."""

    out_dir: Path
    files: dict[str, Path]
    result: IndexResult
    audit: Audit


def write_outputs(tables: dict[str, pd.DataFrame], manifest: dict, out_dir: Path) -> dict:
    """Write CSVs, manifest.json and evaluation.xlsx; return name -> path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    safe = {name: neutralise(frame) for name, frame in tables.items()}
    for name, frame in safe.items():
        files[name] = out_dir / f"{name}.csv"
        frame.to_csv(files[name], index=False)
    files["manifest"] = out_dir / "manifest.json"
    files["manifest"].write_text(json.dumps(manifest, indent=2, sort_keys=True, default=str) + "\n")
    files["workbook"] = out_dir / "evaluation.xlsx"
    write_workbook({n: f for n, f in safe.items() if n not in LONG_ONLY}, files["workbook"])
    return files


def _sheet_frame(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Stages go to the workbook wide (unit, year x codes) to keep it small and readable."""
    if name.startswith("stage_"):
        return frame.pivot(index=["unit", "year"], columns="code", values="value").reset_index()
    return frame


def write_workbook(tables: dict[str, pd.DataFrame], path: Path) -> None:
    """One sheet per table (streamed, write-only); missing values become empty cells."""
    wb = Workbook(write_only=True)
    for name, frame in tables.items():
        sheet = _sheet_frame(name, frame)
        ws = wb.create_sheet(title=name[:31])
        ws.append([str(c) for c in sheet.columns])
        cells = sheet.astype(object).where(sheet.notna(), None)
        for row in cells.itertuples(index=False, name=None):
            ws.append([v.item() if hasattr(v, "item") else v for v in row])
    wb.save(path)


def run_evaluation(
    framework_path: str | Path,
    data_path: str | Path,
    out_dir: str | Path,
    *,
    method_path: str | Path | None = None,
) -> EvaluationOutput:
    """Read framework F, data D and optional method M, build, audit and write every table."""
    spec = read_framework(framework_path)
    tables = read_data(data_path, spec)
    method = MethodSpec.from_toml(method_path) if method_path else MethodSpec()
    try:
        result = build_index(
            tables.data,
            spec.framework,
            method,
            denominators=tables.denominators,
            groups=tables.groups,
        )
    except SmartIndexError as exc:
        if type(exc) is SmartIndexError:
            raise DataFileError(data_path, str(exc)) from None
        raise
    checks = audit(result)
    out = result_tables(result, checks)
    if tables.unit_names is not None:
        out["units"] = tables.unit_names
    files = write_outputs(out, result.manifest, Path(out_dir))
    return EvaluationOutput(Path(out_dir), files, result, checks)
