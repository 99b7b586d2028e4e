"""Which files of a working folder feed which canonical source.

* ``raw/<file>`` matching a source's pattern of sources.toml (e.g. ``raw/population.csv``,
  filled from ``templates/``) is already canonical;
* ``mappings/<name>.toml`` maps the files ``raw/<input.pattern>`` onto its ``target``; a mapping
  file that holds only comments (the stubs ``smartindex init`` writes) is skipped.
"""

from __future__ import annotations

import csv
import gzip
import tomllib
from dataclasses import replace
from pathlib import Path

from smartindex.errors import CatalogueError, DataFileError
from smartindex.etl.registry import ANY_CITY, Registry, Source, load_registry, read_city


def registry_for(profile_path: Path) -> Registry:
    """The source registry for the city of ``profile_path`` (its code patterns and bounding
    box; channels: the shared vocabulary plus the profile's, so that a mapping is checked
    against canonical codes and the profile's list separately); for any city when the profile
    cannot be read (``check`` reports why)."""
    vocabulary = load_registry(city=ANY_CITY).channels
    try:
        city = read_city(profile_path)
    except CatalogueError:
        city = ANY_CITY
    channels = (*vocabulary, *(c for c in city.channels if c not in vocabulary))
    return load_registry(city=replace(city, channels=channels))


def source_patterns(source: Source) -> list[str]:
    """Glob patterns of a source, as the ETL matches them (``.csv`` also matches ``.csv.gz``)."""
    return [source.pattern, *([source.pattern + ".gz"] if source.pattern.endswith(".csv") else [])]


def canonical_files(raw: Path, registry: Registry) -> dict[str, list[Path]]:
    """Source name -> files directly in ``raw`` that its pattern matches."""
    out: dict[str, list[Path]] = {}
    for source in registry.sources:
        found = {p for pat in source_patterns(source) for p in raw.glob(pat) if p.is_file()}
        if found:
            out[source.name] = sorted(found)
    return out


def csv_header(path: Path, delimiter: str) -> list[str]:
    """The first row of a (gzipped) CSV file."""
    try:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8-sig", newline="") as fh:
            return next(csv.reader(fh, delimiter=delimiter), [])
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DataFileError(path, f"cannot read the header row ({exc})", line=1) from None


def header_problems(path: Path, source: Source) -> list[str]:
    """What is wrong with a canonical CSV's header (missing or unknown columns)."""
    if path.suffix not in {".csv", ".gz"}:
        return []
    header = [h.strip() for h in csv_header(path, source.delimiter)]
    missing = [c for c in source.columns if c not in header]
    unknown = [h for h in header if h not in source.all_columns]
    problems = []
    if missing:
        problems.append(f"missing required column(s) {', '.join(missing)} of {source.name!r}")
    if unknown:
        problems.append(f"unknown column(s) {', '.join(unknown)} for {source.name!r}")
    return problems


def mapping_files(mappings: Path) -> list[Path]:
    """``mappings/*.toml`` in name order."""
    return sorted(p for p in mappings.glob("*.toml") if p.is_file()) if mappings.is_dir() else []


def is_stub(path: Path) -> bool:
    """True for a mapping file that holds only comments (nothing filled yet)."""
    try:
        return not tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False


def input_files(raw: Path, pattern: str) -> list[Path]:
    """The files of a mapping: ``raw/<pattern>``, files only, in name order."""
    return sorted(p for p in raw.glob(pattern) if p.is_file()) if raw.is_dir() else []
