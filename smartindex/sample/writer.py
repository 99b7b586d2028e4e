"""Byte-deterministic writers: CSV (optionally gzip with mtime 0) and Parquet."""

from __future__ import annotations

import gzip
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq


def _decimal_comma(tbl: pa.Table) -> pa.Table:
    """Render float columns as strings with a decimal comma (Indonesian export style)."""
    for i, field in enumerate(tbl.schema):
        if pa.types.is_floating(field.type):
            text = pc.replace_substring(pc.cast(tbl.column(i), pa.string()), ".", ",")
            tbl = tbl.set_column(i, field.name, text)
    return tbl


def write_csv(tbl: pa.Table, path: Path, *, delimiter: str = ",", decimal: str = ".") -> Path:
    """Write ``tbl`` as CSV (header unquoted, fields quoted only when needed); .gz compresses."""
    if decimal == ",":
        tbl = _decimal_comma(tbl)
    header = (delimiter.join(tbl.column_names) + "\n").encode()
    opts = pacsv.WriteOptions(
        include_header=False, delimiter=delimiter, quoting_style="needed", batch_size=65536
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as raw:
        if path.suffix == ".gz":
            with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6) as gz:
                gz.write(header)
                pacsv.write_csv(tbl, gz, opts)
        else:
            raw.write(header)
            pacsv.write_csv(tbl, raw, opts)
    return path


def write_parquet(tbl: pa.Table, path: Path) -> Path:
    """Write ``tbl`` as Parquet (zstd, no pandas metadata)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(
        tbl.replace_schema_metadata(None), path, compression="zstd", write_statistics=True
    )
    return path
