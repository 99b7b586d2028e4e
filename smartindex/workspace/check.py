"""``smartindex check DIR``: validate a working folder before anything is loaded.

It reads the profile, every filled mapping and the files they point at (mapping them in memory,
writing nothing) and canonical files placed in ``raw/``; then it tells, per catalogue
indicator, whether the sources present can compute it and which missing sources would.
*Problems* make the folder invalid (exit 1): a profile or mapping error, an unreadable file, a
canonical file with a wrong header, a file claimed by two mappings. *Warnings* do not: rows a
mapping rejects (they are listed by ``stage`` and never loaded silently), area names not in
the profile, a mapping without files yet.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from smartindex.cities.profile import CityProfile, areas, load_profile
from smartindex.cities.toml import line_of
from smartindex.errors import DataFileError, SmartIndexError
from smartindex.etl.mapping import Mapped, SourceMapping, apply_mapping, load_mapping
from smartindex.etl.registry import Registry
from smartindex.indicators.catalogue import Catalogue, load_catalogue
from smartindex.workspace.files import (
    canonical_files,
    header_problems,
    is_stub,
    mapping_files,
    registry_for,
)

PROFILE = "profile.toml"
MAX_REJECTED_SHOWN = 5  # per mapping; the rest are counted


@dataclass(frozen=True)
class Finding:
    """One problem or warning: the file, the line when known, and one sentence."""

    path: Path
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}, line {self.line}" if self.line is not None else str(self.path)
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class SourceFiles:
    """The files feeding one canonical source through one mapping (or as canonical files)."""

    target: str
    via: str  # the mapping file's name, or "canonical"
    files: tuple[Path, ...]
    rows_read: int = 0
    rows_mapped: int = 0
    rows_rejected: int = 0


@dataclass(frozen=True)
class IndicatorStatus:
    """Whether the sources present can compute one indicator, and what it lacks."""

    code: str
    name_en: str
    dimension: str
    inputs: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def computable(self) -> bool:
        """True when every input table would be present."""
        return not self.missing


@dataclass(frozen=True)
class CheckReport:
    """Everything ``smartindex check`` found."""

    folder: Path
    profile: CityProfile | None
    problems: tuple[Finding, ...]
    warnings: tuple[Finding, ...]
    sources: tuple[SourceFiles, ...]
    indicators: tuple[IndicatorStatus, ...]

    @property
    def ok(self) -> bool:
        """True when nothing is invalid (indicators may still be missing)."""
        return not self.problems

    @property
    def available(self) -> frozenset[str]:
        """Canonical sources that would be present after staging."""
        return frozenset(s.target for s in self.sources if s.files)

    @property
    def computable(self) -> tuple[str, ...]:
        """Codes of the indicators the folder can compute."""
        return tuple(i.code for i in self.indicators if i.computable)


# ---------------------------------------------------------------- pure parts


def indicator_status(catalogue: Catalogue, available: Iterable[str]) -> list[IndicatorStatus]:
    """Per indicator: computable or not, and the input tables it lacks."""
    have = set(available)
    return [
        IndicatorStatus(
            code=ind.code,
            name_en=ind.name_en,
            dimension=ind.dimension,
            inputs=ind.inputs,
            missing=tuple(t for t in ind.inputs if t not in have),
        )
        for ind in catalogue.indicators
    ]


def enabling_sources(statuses: Sequence[IndicatorStatus]) -> dict[str, list[str]]:
    """Missing source -> the indicators that lack it, most useful first."""
    out: dict[str, list[str]] = {}
    for s in statuses:
        for table in s.missing:
            out.setdefault(table, []).append(s.code)
    return dict(sorted(out.items(), key=lambda kv: (-len(kv[1]), kv[0])))


def mapped_findings(via: Path, mapped: Mapped) -> list[Finding]:
    """Warnings for the area names a mapping could not match (once per name, at the file and
    first line it is on) and the other rows it rejects."""
    found = []
    rejected = mapped.rejected
    for u in mapped.unmatched:
        hint = f"; did you mean {u.suggestion!r}?" if u.suggestion else ""
        rows = ", ".join(str(r) for r in u.rows[:10]) + (" ..." if len(u.rows) > 10 else "")
        on = rejected[rejected["value"] == u.name]
        path = Path(str(on["file"].iloc[0])) if len(on) else via
        found.append(
            Finding(
                path,
                f"area name {u.name!r} is not in the profile (line(s) {rows}, {via.name}){hint}",
                line=u.rows[0] if u.rows and len(on) else None,
            )
        )
    others = rejected[~rejected["value"].isin({u.name for u in mapped.unmatched})]
    for rec in others.head(MAX_REJECTED_SHOWN).itertuples(index=False):
        found.append(
            Finding(
                Path(str(rec.file)),
                f"row rejected by {via.name}, column {rec.column!r}: {rec.reason}",
                line=int(str(rec.row)),
            )
        )
    if len(others) > MAX_REJECTED_SHOWN:
        more = len(others) - MAX_REJECTED_SHOWN
        found.append(Finding(via, f"{more} more rejected rows (stage writes them all)"))
    return found


def profile_findings(
    profile: CityProfile, registry: Registry
) -> tuple[list[Finding], list[Finding]]:
    """Profile values the registry does not know (problems) and a missing boundary file
    (warning): agency categories and complaint channels must be canonical codes."""
    text = profile.path.read_text(encoding="utf-8")
    allowed = registry.get("complaints").expect.in_set
    problems, warnings = [], []
    for i, agency in enumerate(profile.agencies):
        for category in agency.categories:
            if category not in allowed.get("category", (category,)):
                problems.append(
                    Finding(
                        profile.path,
                        f"key 'agency[{i + 1}].categories': {category!r} is not a complaint "
                        "category of sources.toml",
                        line_of(text, ("agency", i, "categories")),
                    )
                )
    vocabulary = {*registry.channels, *profile.own_channels}
    for channel in profile.complaint_channels:
        if vocabulary and channel not in vocabulary:
            problems.append(
                Finding(
                    profile.path,
                    f"key 'complaints.channels': {channel!r} is not a complaint channel of "
                    "sources.toml",
                    line_of(text, ("complaints", "channels")),
                )
            )
    if profile.boundaries is not None and not profile.boundaries.is_file():
        warnings.append(
            Finding(
                profile.path,
                f"key 'city.boundaries': {profile.boundaries} not found (maps stay empty)",
                line_of(text, ("city", "boundaries")),
            )
        )
    return problems, warnings


# ---------------------------------------------------------------- the folder


def _profile(folder: Path, problems: list[Finding]) -> CityProfile | None:
    try:
        return load_profile(folder / PROFILE)
    except DataFileError as exc:
        problems.append(Finding(Path(str(exc.path)), _reason(exc), exc.line))
    return None


def _reason(exc: DataFileError) -> str:
    """The message of a DataFileError without its ``path, line N:`` prefix."""
    text = str(exc)
    prefix = str(exc.path) + (f", line {exc.line}" if exc.line is not None else "")
    return text.removeprefix(prefix).removeprefix(": ") if text.startswith(prefix) else text


def _finding(exc: SmartIndexError, fallback: Path) -> Finding:
    if isinstance(exc, DataFileError):
        return Finding(Path(str(exc.path)), _reason(exc), exc.line)
    return Finding(fallback, str(exc))


def claimed_files(raw: Path, mapping: SourceMapping) -> list[Path]:
    """Files under ``raw/`` (any depth) whose name matches the mapping's input pattern (and its
    metadata file, when it has one)."""
    patterns = [mapping.input.pattern, *([mapping.metadata.pattern] if mapping.metadata else [])]
    if not raw.is_dir():
        return []
    return sorted(
        p
        for p in raw.rglob("*")
        if p.is_file() and any(fnmatch.fnmatch(p.name, pat) for pat in patterns)
    )


def load_mappings(
    folder: Path, registry: Registry, problems: list[Finding]
) -> list[tuple[SourceMapping, list[Path]]]:
    """Every filled mapping with its files; errors and doubly claimed files are problems."""
    out = []
    owner: dict[Path, Path] = {}
    for path in mapping_files(folder / "mappings"):
        if is_stub(path):
            continue
        try:
            mapping = load_mapping(path, registry=registry)
        except SmartIndexError as exc:
            problems.append(_finding(exc, path))
            continue
        files = claimed_files(folder / "raw", mapping)
        for f in files:
            if f in owner:
                problems.append(
                    Finding(f, f"matched by both {owner[f].name} and {path.name}; narrow a pattern")
                )
            owner.setdefault(f, path)
        out.append((mapping, files))
    return out


def _canonical(
    folder: Path, registry: Registry, claimed: set[Path], problems: list[Finding]
) -> list[SourceFiles]:
    out = []
    for name, files in canonical_files(folder / "raw", registry).items():
        mine = tuple(f for f in files if f not in claimed)
        for f in mine:
            try:
                problems += [Finding(f, m, 1) for m in header_problems(f, registry.get(name))]
            except DataFileError as exc:
                problems.append(_finding(exc, f))
        if mine:
            out.append(SourceFiles(target=name, via="canonical", files=mine))
    return out


def _apply(
    mapping: SourceMapping, files: list[Path], profile: CityProfile | None
) -> tuple[SourceFiles, list[Finding], list[Finding]]:
    """Map a mapping's files in memory: (what it gives, problems, warnings)."""
    empty = SourceFiles(target=mapping.target, via=mapping.path.name, files=())
    if not files:
        return (
            empty,
            [],
            [Finding(mapping.path, f"no file in raw/ matches {mapping.input.pattern!r}")],
        )
    if profile is None:
        return SourceFiles(mapping.target, mapping.path.name, tuple(files)), [], []
    try:
        mapped = apply_mapping(mapping, files, areas(profile), timezone=profile.timezone)
    except SmartIndexError as exc:
        return empty, [_finding(exc, mapping.path)], []
    given = SourceFiles(
        target=mapping.target,
        via=mapping.path.name,
        files=tuple(files),
        rows_read=mapped.rows_read,
        rows_mapped=len(mapped.frame),
        rows_rejected=len(mapped.rejected),
    )
    if given.rows_mapped == 0:
        given = SourceFiles(mapping.target, mapping.path.name, (), mapped.rows_read, 0, 0)
    return given, [], mapped_findings(mapping.path, mapped)


def check_workspace(
    folder: Path | str,
    *,
    registry: Registry | None = None,
    catalogue: Catalogue | None = None,
) -> CheckReport:
    """Check a working folder written by ``smartindex init`` (see the module docstring)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DataFileError(folder, "folder not found")
    registry = registry or registry_for(folder / PROFILE)
    catalogue = catalogue or load_catalogue()
    problems: list[Finding] = []
    warnings: list[Finding] = []
    profile = _profile(folder, problems)
    if profile is not None:
        bad, warn = profile_findings(profile, registry)
        problems += bad
        warnings += warn
    if profile is not None and not profile.kecamatan:
        warnings.append(
            Finding(
                folder / PROFILE, "no [[kecamatan]] yet: area names and codes cannot be matched"
            )
        )
    sources: list[SourceFiles] = []
    if profile is not None:
        sources.append(SourceFiles(target="region", via=PROFILE, files=(folder / PROFILE,)))
    mappings = load_mappings(folder, registry, problems)
    for mapping, files in mappings:
        given, bad, warn = _apply(mapping, files, profile)
        sources.append(given)
        problems += bad
        warnings += warn
    claimed = {f for _, files in mappings for f in files}
    sources += _canonical(folder, registry, claimed, problems)
    available = {s.target for s in sources if s.files}
    return CheckReport(
        folder=folder,
        profile=profile,
        problems=tuple(problems),
        warnings=tuple(warnings),
        sources=tuple(sources),
        indicators=tuple(indicator_status(catalogue, available)),
    )


def format_report(report: CheckReport) -> str:
    """The report as the CLI prints it on stdout (problems go to stderr separately)."""
    lines = []
    if report.profile is not None:
        p = report.profile
        lines.append(
            f"{p.name_id} ({p.bps_code}, {p.timezone} {p.tz_abbreviation}): "
            f"{len(p.kecamatan)} kecamatan, {len(p.kelurahan)} kelurahan"
        )
    lines.append("sources:")
    for s in report.sources:
        rows = f", {s.rows_mapped} rows, {s.rows_rejected} rejected" if s.rows_read else ""
        lines.append(f"  {s.target:<22} via {s.via} ({len(s.files)} files{rows})")
    for w in report.warnings:
        lines.append(f"warning: {w}")
    ok = [i for i in report.indicators if i.computable]
    lines.append(f"indicators: {len(ok)} of {len(report.indicators)} computable")
    for i in report.indicators:
        status = "computable" if i.computable else "needs " + ", ".join(i.missing)
        lines.append(f"  {i.code:<24} {status}")
    enabling = enabling_sources(report.indicators)
    if enabling:
        lines.append("missing sources, by the number of indicators that need them:")
        for table, codes in enabling.items():
            lines.append(f"  {table:<22} needed by {len(codes)}")
    verdict = "valid" if report.ok else f"invalid: {len(report.problems)} problem(s)"
    lines.append(f"{report.folder}: {verdict}")
    return "\n".join(lines)
