"""``stage(dir, out_dir)``: a working folder -> a raw folder the existing ETL loads.

Writes ``region.csv`` from the profile, one canonical file per mapping (named so that the
source's pattern in sources.toml matches it: ``complaints_<mapping>.csv``, ``population.csv``),
copies canonical files from ``raw/`` as they are, and writes every rejected row to
``rejected/<mapping>.csv`` (a subfolder no source pattern matches). Nothing is lost silently:
for each mapping ``rows_read = rows_written + rows_rejected``.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from smartindex.cities.profile import REGION_COLUMNS, CityProfile, areas, load_profile, region_rows
from smartindex.errors import DataFileError
from smartindex.etl.mapping import apply_mapping
from smartindex.etl.registry import Registry, Source
from smartindex.workspace.check import PROFILE, load_mappings
from smartindex.workspace.files import canonical_files, registry_for


@dataclass(frozen=True)
class StagedFile:
    """One canonical file written into the output folder."""

    target: str
    path: Path
    via: str  # mapping file name, "profile.toml" or "canonical"
    rows_read: int
    rows_written: int
    rows_rejected: int


@dataclass(frozen=True)
class StageResult:
    """What ``stage`` wrote; ``rejected`` has file, row, column, value, reason, mapping."""

    out_dir: Path
    files: tuple[StagedFile, ...]
    rejected: pd.DataFrame

    @property
    def rows_rejected(self) -> int:
        """Rejected rows over all mappings."""
        return len(self.rejected)


def output_name(source: Source, mapping_name: str) -> str:
    """The file name a source's pattern matches: ``complaints_*.csv*`` + ``crm`` (or
    ``complaints_crm``) -> ``complaints_crm.csv``; ``population.csv`` -> ``population.csv``."""
    pattern = source.pattern.rstrip("*")
    prefix = pattern.split("*")[0]
    fill = mapping_name.removeprefix(prefix) if "*" in pattern else mapping_name
    name = pattern.replace("*", fill or mapping_name, 1).replace("*", "")
    return name if name.endswith((".csv", ".parquet", ".xlsx")) else name + ".csv"


def cell(value: Any) -> str:
    """A canonical CSV cell: empty for missing, true/false, ISO dates and times."""
    missing = value is None or value is pd.NA or value is pd.NaT
    if missing or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):  # datetime and pandas Timestamp too
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def write_rows(
    path: Path, columns: Sequence[str], rows: Sequence[Mapping[str, Any]], sep: str = ","
) -> None:
    """Write ``rows`` as a UTF-8 CSV with ``columns`` as header."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, delimiter=sep, lineterminator="\n")
        out.writerow(columns)
        out.writerows([cell(r.get(c)) for c in columns] for r in rows)


def write_frame(path: Path, source: Source, frame: pd.DataFrame) -> None:
    """Write a canonical frame in the source's declared CSV dialect (or Parquet)."""
    columns = list(source.all_columns)
    frame = frame.reindex(columns=columns)
    if path.suffix == ".parquet":
        frame.to_parquet(path, index=False)
        return
    rows: list[dict[str, Any]] = [
        {str(k): v for k, v in r.items()} for r in frame.astype(object).to_dict("records")
    ]
    if source.decimal == ",":
        rows = [{k: _decimal_comma(v) for k, v in r.items()} for r in rows]
    write_rows(path, columns, rows, sep=source.delimiter)


def _decimal_comma(value: Any) -> Any:
    return cell(value).replace(".", ",") if isinstance(value, float) else value


def _concat(parts: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate frames, leaving out empty ones (pandas warns about their dtypes)."""
    full = [p for p in parts if len(p)] or list(parts[:1])
    return pd.concat(full, ignore_index=True)


def _region(profile: CityProfile, out_dir: Path) -> StagedFile:
    rows = region_rows(profile)
    path = out_dir / "region.csv"
    write_rows(path, REGION_COLUMNS, rows)
    return StagedFile("region", path, PROFILE, len(rows), len(rows), 0)


def stage(
    folder: Path | str, out_dir: Path | str, *, registry: Registry | None = None
) -> StageResult:
    """Map a working folder into ``out_dir`` (created) as canonical raw files; raises
    DataFileError for an invalid profile or mapping (run ``smartindex check`` first)."""
    folder, out_dir = Path(folder), Path(out_dir)
    registry = registry or registry_for(folder / PROFILE)
    profile = load_profile(folder / PROFILE)
    problems: list[Any] = []
    mappings = load_mappings(folder, registry, problems)
    if problems:
        raise DataFileError(problems[0].path, problems[0].message, line=problems[0].line)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = [_region(profile, out_dir)]
    frames: dict[Path, list[pd.DataFrame]] = {}
    rejected = []
    for mapping, files in mappings:
        mapped = apply_mapping(mapping, files, areas(profile), timezone=profile.timezone)
        path = out_dir / output_name(mapping.source, mapping.name)
        frames.setdefault(path, []).append(mapped.frame)
        rejected.append(mapped.rejected.assign(mapping=mapping.path.name))
        if len(mapped.frame) + len(mapped.rejected) != mapped.rows_read:
            raise DataFileError(mapping.path, "rows were lost while mapping (a bug: please report)")
        written.append(
            StagedFile(
                mapping.target,
                path,
                mapping.path.name,
                mapped.rows_read,
                len(mapped.frame),
                len(mapped.rejected),
            )
        )
        if len(mapped.rejected):
            (out_dir / "rejected").mkdir(exist_ok=True)
            mapped.rejected.to_csv(out_dir / "rejected" / f"{mapping.name}.csv", index=False)
    by_path = {s.path: registry.get(s.target) for s in written[1:]}
    for path, parts in frames.items():
        write_frame(path, by_path[path], _concat(parts))
    claimed = {f for _, files in mappings for f in files}
    for name, paths in canonical_files(folder / "raw", registry).items():
        for src in paths:
            if src not in claimed and name != "region":
                shutil.copyfile(src, out_dir / src.name)
                written.append(StagedFile(name, out_dir / src.name, "canonical", 0, 0, 0))
    columns = ["file", "row", "column", "value", "reason", "mapping"]
    return StageResult(
        out_dir=out_dir,
        files=tuple(written),
        rejected=_concat(rejected) if rejected else pd.DataFrame(columns=columns),
    )
