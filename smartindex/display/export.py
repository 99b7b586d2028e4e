"""Tables to CSV, XLSX and Parquet bytes, safe to open in a spreadsheet.

Text that begins with ``=``, ``+``, ``-``, ``@`` (or a tab / carriage return, or a full-width
``＝ ＋ － ＠``) is prefixed with an apostrophe in the spreadsheet formats (CSV, XLSX), so a
spreadsheet shows it as text instead of running it as a formula (OWASP "CSV injection"). That
holds for every cell of every text-like dtype (object, string, pyarrow string, category),
for column headers and for index labels and names (a named index is written as columns).
Numbers are never touched. Parquet is a typed format that spreadsheets do not evaluate: it
keeps the values exactly. Used by the app's download buttons and by the CLI.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from smartindex.errors import SmartIndexError
from smartindex.spreadsheet import neutralise, plain_value

MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}


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


def codebook(frame: pd.DataFrame, about: Mapping[str, object] | None = None) -> pd.DataFrame:
    """One row per column of ``frame`` (``column, type, filled, min, max``), preceded by the
    ``about`` facts (e.g. language, year, area_code) as ``column = fact`` rows."""
    rows: list[dict[str, object]] = [
        {"column": k, "type": str(v)} for k, v in (about or {}).items()
    ]
    for name in frame.columns:
        col = frame[name]
        numeric = pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col)
        rows.append(
            {
                "column": str(name),
                "type": str(col.dtype),
                "filled": int(col.notna().sum()),
                "min": col.min() if numeric and col.notna().any() else None,
                "max": col.max() if numeric and col.notna().any() else None,
            }
        )
    return pd.DataFrame(rows, columns=["column", "type", "filled", "min", "max"])


def _fit(sheet: Any, frame: pd.DataFrame) -> None:
    """Column widths from the header and the first 500 values; the header row frozen."""
    sheet.freeze_panes = "A2"
    for i, name in enumerate(frame.columns):
        texts = [str(name), *(str(x) for x in frame[name].head(500))]
        letter = sheet.cell(row=1, column=i + 1).column_letter
        sheet.column_dimensions[letter].width = min(60, max(len(x) for x in texts) + 2)


def to_xlsx(
    frame: pd.DataFrame, *, sheet: str = "data", about: Mapping[str, object] | None = None
) -> bytes:
    """XLSX workbook, neutralised: the data sheet (fitted widths, frozen header) and a
    ``codebook`` sheet describing every column (:func:`codebook`)."""
    buf = io.BytesIO()
    data = _naive_times(neutralise(frame))
    book = neutralise(codebook(frame, about))
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        data.to_excel(writer, sheet_name=sheet[:31], index=False)
        book.to_excel(writer, sheet_name="codebook", index=False)
        _fit(writer.sheets[sheet[:31]], data)
        _fit(writer.sheets["codebook"], book)
    return buf.getvalue()


def to_parquet(frame: pd.DataFrame) -> bytes:
    """Parquet bytes (values kept exactly; nested cells as JSON text)."""
    out = frame.copy()
    for name in out.columns:
        if out[name].dtype == object:
            out[name] = out[name].map(plain_value, na_action="ignore")
    buf = io.BytesIO()
    out.to_parquet(buf, index=False)
    return buf.getvalue()


EXPORTERS: dict[str, Callable[[pd.DataFrame], bytes]] = {
    "csv": to_csv,
    "xlsx": to_xlsx,
    "parquet": to_parquet,
}


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


def _evidence_text(evidence: Iterable[Mapping[str, object]] | None) -> str:
    return " | ".join(
        "; ".join(f"{k}={v}" for k, v in dict(e).items() if k != "severity")
        for e in (evidence or [])
    )


def recommendations_frame(recs: Iterable[Any] | None) -> pd.DataFrame:
    """One row per recommendation (rank, priority, dimension, area, agencies, text, evidence)
    from :func:`smartindex.analysis.recommend.recommend` output (any objects with those
    attributes)."""
    cols = [
        "rank",
        "rule_id",
        "priority",
        "severity",
        "dimension",
        "area",
        "scope_kind",
        "scope",
        "agencies",
        "text",
        "evidence",
    ]
    rows = [
        {
            "rank": i,
            "rule_id": r.rule_id,
            "priority": r.priority,
            "severity": r.severity,
            "dimension": r.dimension,
            "area": r.area,
            "scope_kind": r.scope_kind,
            "scope": r.scope,
            "agencies": "; ".join(r.agencies),
            "text": r.text,
            "evidence": " | ".join((r.target_text, *r.evidence_text))
            if hasattr(r, "evidence_text")  # a RecView: the target and evidence sentences
            else _evidence_text(r.evidence),
        }
        for i, r in enumerate(recs or [], 1)
    ]
    return pd.DataFrame(rows, columns=cols)
