"""Tables to CSV, XLSX and Parquet bytes, safe to open in a spreadsheet.

Text cells that begin with ``=``, ``+``, ``-``, ``@`` (or a tab / carriage return) are
prefixed with an apostrophe in the spreadsheet formats (CSV, XLSX), so a spreadsheet shows
them as text instead of running them as formulas (OWASP "CSV injection").  Numbers are never
touched.  Parquet is a typed format that spreadsheets do not evaluate: it keeps the values
exactly.  Used by the app's download buttons and by the CLI.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd

from smartindex.errors import SmartIndexError

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}


def neutralise_cell(value: object) -> object:
    """``'=1+1`` for a formula-like string; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _plain(value: object) -> object:
    """Lists / dicts / arrays as JSON text (spreadsheets hold scalars only)."""
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    if hasattr(value, "tolist") and not isinstance(value, str | bytes):
        return json.dumps(value.tolist(), ensure_ascii=False, default=str)
    return value


def _is_text(col: pd.Series) -> bool:
    return col.dtype == object or isinstance(col.dtype, pd.StringDtype)


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells cannot start a spreadsheet formula."""
    out = frame.copy()
    for name in out.columns:
        if _is_text(out[name]):
            out[name] = out[name].map(lambda v: neutralise_cell(_plain(v)), na_action="ignore")
    return out


def _naive_times(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop time-zone info (XLSX cannot store it); times are kept as UTC wall clock."""
    out = frame.copy()
    for name in out.columns:
        if isinstance(out[name].dtype, pd.DatetimeTZDtype):
            out[name] = out[name].dt.tz_convert("UTC").dt.tz_localize(None)
    return out


def to_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with BOM, so spreadsheets detect the encoding), neutralised."""
    return neutralise(frame).to_csv(index=False).encode("utf-8-sig")


def to_xlsx(frame: pd.DataFrame, *, sheet: str = "data") -> bytes:
    """One-sheet XLSX workbook, neutralised."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        _naive_times(neutralise(frame)).to_excel(writer, sheet_name=sheet[:31], index=False)
    return buf.getvalue()


def to_parquet(frame: pd.DataFrame) -> bytes:
    """Parquet bytes (values kept exactly; nested cells as JSON text)."""
    out = frame.copy()
    for name in out.columns:
        if out[name].dtype == object:
            out[name] = out[name].map(_plain, na_action="ignore")
    buf = io.BytesIO()
    out.to_parquet(buf, index=False)
    return buf.getvalue()


EXPORTERS: dict[str, Callable[[pd.DataFrame], bytes]] = {
    "csv": to_csv, "xlsx": to_xlsx, "parquet": to_parquet}


def export_bytes(frame: pd.DataFrame, fmt: str) -> bytes:
    """``frame`` in format ``fmt`` (csv | xlsx | parquet)."""
    if fmt not in EXPORTERS:
        raise SmartIndexError(f"unknown export format {fmt!r}; choose from {', '.join(EXPORTERS)}")
    return EXPORTERS[fmt](frame)


def write_export(frame: pd.DataFrame, path: Path | str) -> Path:
    """Write ``frame`` to ``path``; the format comes from the file extension."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(export_bytes(frame, path.suffix.lstrip(".").lower()))
    return path


def export_tables(tables: Mapping[str, pd.DataFrame], fmt: str) -> dict[str, bytes]:
    """Several named tables in one format: ``{name: bytes}``."""
    return {name: export_bytes(frame, fmt) for name, frame in tables.items()}


def _evidence_text(evidence: object) -> str:
    items = list(evidence or [])
    return " | ".join("; ".join(f"{k}={v}" for k, v in dict(e).items() if k != "severity")
                      for e in items)


def recommendations_frame(recs: object) -> pd.DataFrame:
    """One row per recommendation (rank, priority, dimension, area, agencies, text, evidence)
    from :func:`smartindex.analysis.recommend.recommend` output (any objects with those attributes)."""
    cols = ["rank", "rule_id", "priority", "severity", "dimension", "area", "scope_kind",
            "scope", "agencies", "text", "evidence"]
    rows = [{"rank": i, "rule_id": r.rule_id, "priority": r.priority, "severity": r.severity,
             "dimension": r.dimension, "area": r.area, "scope_kind": r.scope_kind,
             "scope": r.scope, "agencies": "; ".join(r.agencies), "text": r.text,
             "evidence": _evidence_text(r.evidence)}
            for i, r in enumerate(recs or [], 1)]  # type: ignore[attr-defined]
    return pd.DataFrame(rows, columns=cols)
