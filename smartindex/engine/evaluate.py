"""``evaluate``: bring your own framework and data, get every table of a full build.

``run_evaluation(framework_path, data_path, out_dir, method_path=None, options=None)``
reads the tables, builds the index, audits it, runs the analyses the method file's
``[uncertainty]`` / ``[evaluate]`` sections (or ``options``) ask for, and writes one CSV
per table, ``manifest.json`` and ``evaluation.xlsx`` (a README sheet, then one sheet
per table).  Text cells, headers and index labels that a spreadsheet would read as a
formula get a leading ' (see :mod:`smartindex.engine.workbook`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import pandas as pd

from smartindex.engine.analysis import (
    group_ranks,
    leave_one_out,
    optimise_weights,
    sensitivity_table,
)
from smartindex.engine.audit import Audit, audit
from smartindex.engine.kernel import compile_kernel
from smartindex.engine.method import MethodSpec
from smartindex.engine.pipeline import build_index
from smartindex.engine.result import STAGES, IndexResult
from smartindex.engine.screen import GRADES
from smartindex.engine.tables import DataTables, read_data, read_framework
from smartindex.engine.uncertainty import UncertaintyResult, UncertaintySpec, run_uncertainty
from smartindex.engine.workbook import (
    flatten_mapping,
    write_csvs,
    write_json,
    write_workbook,
)
from smartindex.errors import DataFileError, MethodError, SmartIndexError
from smartindex.spreadsheet import neutralise

LONG_ONLY = ("scores_long", "uncertainty_replicates")
"""Tables written as CSV only (the workbook has the same numbers per level, or too many)."""
OPTIMISE_TYPES = ("balance", "infomax")


@dataclass(frozen=True)
class EvaluateOptions:
    """Analyses of ``evaluate`` (``[evaluate]`` in the method file, or CLI flags).

    ``uncertainty``: run the ``[uncertainty]`` section (None = when the file has one);
    ``n`` / ``seed`` / ``diagnostic`` override that section; ``sensitivity``: the
    one-at-a-time table (with uncertainty); ``group_by``: grouping columns for group
    ranks; ``leave_one_out``: a level whose elements are removed one at a time;
    ``optimise``: ``balance`` or ``infomax`` weights for ``optimise_level`` (default:
    the level below the index).
    """

    uncertainty: bool | None = None
    n: int | None = None
    seed: int | None = None
    diagnostic: bool | None = None
    sensitivity: bool = True
    group_by: tuple[str, ...] = ()
    leave_one_out: int | None = None
    optimise: str | None = None
    optimise_level: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "group_by", tuple(str(g) for g in self.group_by))
        if self.optimise is not None and self.optimise not in OPTIMISE_TYPES:
            raise MethodError(f"evaluate.optimise must be one of {', '.join(OPTIMISE_TYPES)}")

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> EvaluateOptions:
        """Build from a mapping; unknown keys raise MethodError naming the key."""
        allowed = [f.name for f in fields(cls)]
        for key in d:
            if key not in allowed:
                raise MethodError(
                    f"evaluate.{key} is not a known setting; allowed: {', '.join(allowed)}"
                )
        return cls(**dict(d))

    def merged(self, **cli: Any) -> EvaluateOptions:
        """These options with every CLI value that was given (not None / empty) on top."""
        given = {k: v for k, v in cli.items() if v not in (None, (), [])}
        return replace(self, **given)


@dataclass(frozen=True)
class MethodFile:
    """A method file's build spec, uncertainty spec (if any) and evaluate options."""

    method: MethodSpec
    uncertainty: UncertaintySpec | None
    options: EvaluateOptions


def read_method_file(path: str | Path | None) -> MethodFile:
    """Read a method TOML with its optional ``[uncertainty]`` and ``[evaluate]`` sections."""
    if path is None:
        return MethodFile(MethodSpec(), None, EvaluateOptions())
    try:
        with open(path, "rb") as fh:
            raw = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise MethodError(f"{path}: cannot read method file ({exc})") from None
    ua = raw.get("uncertainty")
    return MethodFile(
        MethodSpec.from_dict(raw),
        UncertaintySpec.from_dict(ua) if ua else None,
        EvaluateOptions.from_dict(raw.get("evaluate", {})),
    )


def result_tables(result: IndexResult, checks: Audit) -> dict[str, pd.DataFrame]:
    """Every build table by name (file stem and sheet name, <= 31 characters)."""
    tables = {f"stage_{name}": result.stages[name] for name in STAGES}
    tables["scores_long"] = result.scores
    for lv in result.framework.levels:
        tables[f"scores_level{lv}"] = result.level(lv).reset_index()
        tables[f"ranks_level{lv}"] = result.ranks(lv).reset_index()
    tables |= {
        "index": result.index(),
        "treatment": result.treatment,
        "screening": result.screening,
        "imputation": result.imputation,
        "weights": result.weights,
        "framework": result.framework.elements,
        "method": pd.DataFrame(flatten_mapping(result.method.to_dict()), columns=["key", "value"]),
    }
    if len(result.overrides):
        tables["overrides"] = result.overrides
    tables |= checks.tables()
    return tables


@dataclass(frozen=True)
class EvaluationOutput:
    """Where everything was written, plus the in-memory result, audit and analyses."""

    out_dir: Path
    files: dict[str, Path]
    result: IndexResult
    audit: Audit
    uncertainty: UncertaintyResult | None = None
    tables: dict[str, pd.DataFrame] | None = None


def _uncertainty_spec(spec: UncertaintySpec, opts: EvaluateOptions) -> UncertaintySpec:
    changes = {k: getattr(opts, k) for k in ("n", "seed", "diagnostic")}
    changes = {k: v for k, v in changes.items() if v is not None}
    return replace(spec, **changes) if changes else spec


def analysis_tables(
    tables: DataTables,
    result: IndexResult,
    spec: UncertaintySpec | None,
    opts: EvaluateOptions,
) -> tuple[dict[str, pd.DataFrame], UncertaintyResult | None]:
    """Tables of the analyses ``opts`` asks for (uncertainty, sensitivity, LOO, …)."""
    out: dict[str, pd.DataFrame] = {}
    kw = {"denominators": tables.denominators, "groups": tables.groups}
    run_ua = opts.uncertainty if opts.uncertainty is not None else spec is not None
    ua: UncertaintyResult | None = None
    need_kernel = run_ua or opts.optimise is not None
    kernel = (
        compile_kernel(tables.data, result.framework, result.method, **kw) if need_kernel else None
    )
    if run_ua and kernel is not None:
        if spec is None:
            raise MethodError(
                "evaluate: uncertainty asked for, but the method has no [uncertainty]"
            )
        ua = run_uncertainty(kernel, _uncertainty_spec(spec, opts))
        out |= ua.tables()
        if opts.sensitivity:
            out["sensitivity"] = sensitivity_table(kernel, ua.spec)
    for column in opts.group_by:
        if tables.groups is None:
            raise MethodError(f"evaluate: group ranks by {column!r} need group columns in the data")
        out[f"group_ranks_{column}"[:31]] = group_ranks(result, tables.groups, column)
    if opts.leave_one_out is not None:
        loo = leave_one_out(tables.data, result.framework, result.method, opts.leave_one_out, **kw)
        out["leave_one_out"], out["leave_one_out_ranks"] = loo.summary, loo.ranks
    if opts.optimise is not None and kernel is not None:
        level = opts.optimise_level or result.framework.levels[-2]
        out[f"weights_{opts.optimise}"] = optimise_weights(kernel, level, opts.optimise).weights
    return out, ua


SHEET_NOTES: dict[str, str] = {
    "stage_": "data after each stage, wide: unit, year x indicator",
    "scores_level": "scores of every element at one level (1 = normalised indicators)",
    "ranks_level": "ranks per year at one level (1 = best, ties share the lowest rank)",
    "index": "index score, rank, coverage and data-coverage grade per unit",
    "treatment": "outlier treatment per indicator: action, points clipped, skew/kurtosis",
    "screening": "availability, coverage, grade (A-F) and inclusion per unit",
    "imputation": "every imputed cell",
    "weights": "given (raw) weight, weight within parent, effective weight",
    "weights_": "optimised weights (COINr get_opt_weights) and the correlations they give",
    "framework": "the framework as used (directions after overrides)",
    "method": "the method specification, one setting per row",
    "overrides": "per-node overrides: requested, used, applied",
    "audit_": "statistical audit (statistics, correlations, Cronbach, PCA)",
    "uncertainty_ranks": "nominal, mean, median, Q5 and Q95 rank per unit",
    "uncertainty_sobol": "Sobol first-order and total indices with bootstrap intervals",
    "uncertainty_runs": "every replication: design block, alternatives picked, rank shift",
    "uncertainty_weight": "diagnostic mode: every weight set drawn",
    "sensitivity": "one alternative at a time: units changed, moved > 5, mean |Δrank|, τ",
    "group_ranks": "ranks within groups",
    "leave_one_out": "ranks with each element removed",
    "units": "unit names",
}


def readme(sheets: list[str], result: IndexResult) -> pd.DataFrame:
    """The README sheet: what every sheet holds, the digests and the grade bounds."""
    rows = [("README", "this sheet")]
    for name in sheets:
        note = next((v for k, v in SHEET_NOTES.items() if name.startswith(k)), "")
        rows.append((name[:31], note))
    man = result.manifest
    rows += [(f"manifest.{k}", str(man[k])) for k in ("method_digest", "framework_digest")]
    rows += [(f"manifest.{k}", str(man[k])) for k in ("input_checksum", "version", "engine")]
    bounds = ", ".join(f"{g} >= {b:.0%}" for g, b in GRADES.items() if b > 0)
    rows.append(("grades", f"share of indicators present before imputation: {bounds}, else F"))
    return pd.DataFrame(rows, columns=["sheet", "contents"])


def _sheet(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Stages go to the workbook wide (unit, year x codes) to keep it small and readable."""
    if name.startswith("stage_"):
        return frame.pivot(index=["unit", "year"], columns="code", values="value").reset_index()
    return frame


def write_outputs(
    tables: dict[str, pd.DataFrame], result: IndexResult, out_dir: Path
) -> dict[str, Path]:
    """Write CSVs, manifest.json and evaluation.xlsx (README first); return name -> path."""
    files = write_csvs(tables, out_dir)
    files["manifest"] = write_json(result.manifest, out_dir / "manifest.json")
    sheets = {n: _sheet(n, f) for n, f in tables.items() if n not in LONG_ONLY}
    book = {"README": readme(list(sheets), result), **sheets}
    files["workbook"] = write_workbook(book, out_dir / "evaluation.xlsx")
    return files


def run_evaluation(
    framework_path: str | Path,
    data_path: str | Path,
    out_dir: str | Path,
    *,
    method_path: str | Path | None = None,
    options: EvaluateOptions | Mapping[str, Any] | None = None,
) -> EvaluationOutput:
    """Read framework F, data D and optional method M, build, audit, analyse and write.

    ``options``: an :class:`EvaluateOptions`, or a mapping of option values (e.g. from
    CLI flags; None values are ignored) laid over the method file's ``[evaluate]``.
    """
    spec = read_framework(framework_path)
    tables = read_data(data_path, spec)
    mfile = read_method_file(method_path)
    if isinstance(options, EvaluateOptions):
        opts = options
    else:
        opts = mfile.options.merged(**dict(options or {}))
    try:
        result = build_index(
            tables.data,
            spec.framework,
            mfile.method,
            denominators=tables.denominators,
            groups=tables.groups,
        )
    except SmartIndexError as exc:
        if type(exc) is SmartIndexError:
            raise DataFileError(data_path, str(exc)) from None
        raise
    checks = audit(result)
    out = result_tables(result, checks)
    extra, ua = analysis_tables(tables, result, mfile.uncertainty, opts)
    out |= extra
    if tables.unit_names is not None:
        out["units"] = tables.unit_names
    files = write_outputs(out, result, Path(out_dir))
    return EvaluationOutput(Path(out_dir), files, result, checks, ua, out)


__all__ = [
    "EvaluateOptions",
    "EvaluationOutput",
    "MethodFile",
    "neutralise",
    "read_method_file",
    "run_evaluation",
]
