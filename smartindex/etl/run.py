"""``run_etl``: plan the raw files, load the changed ones into a copy, swap it in atomically."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb

from smartindex.config import Settings
from smartindex.errors import DataFileError, WarehouseError
from smartindex.etl.boundaries import BoundaryPlan, load_boundaries, plan_boundaries
from smartindex.etl.load import (
    RawFile,
    create_views,
    current_sha,
    ensure_meta,
    ensure_table,
    load_files,
    sha256_file,
)
from smartindex.etl.progress import EtlReport, FileReport, progress_bar
from smartindex.etl.registry import Registry, RegistryCity, load_registry, registry_city
from smartindex.etl.validate import GxSession, build_checks
from smartindex.warehouse import swap_write
from smartindex.warehouse.cities import cities_in, city_schema, main_city, use_schema
from smartindex.warehouse.connection import connect
from smartindex.warehouse.swap import clean_leftovers, scratch_dir

MEMORY_LIMIT = "2GB"  # DuckDB spills to disk beyond this; keeps the peak RSS bounded
# WAL size that triggers a checkpoint within the load (DuckDB's default, 16 MB, checkpoints
# several times while the bundled data load; swap_write checkpoints once at the end anyway)
CHECKPOINT_THRESHOLD = "256MB"


def discover(
    registry: Registry, raw_dir: Path, on_listed: Callable[[list[Path]], None] | None = None
) -> list[RawFile]:
    """Files per source in registry order (references need their target loaded first).

    ``on_listed`` is called with the matched paths before they are checksummed.
    """
    if not raw_dir.is_dir():
        raise DataFileError(raw_dir, "raw data directory not found")
    listed = []
    for source in registry.sources:
        patterns = [source.pattern]
        if source.pattern.endswith(".csv"):  # gzipped CSV matches too
            patterns.append(source.pattern + ".gz")
        paths = {p for pat in patterns for p in raw_dir.glob(pat) if p.is_file()}
        listed += [(path, source) for path in sorted(paths)]
    if on_listed is not None:
        on_listed([path for path, _ in listed])
    return [
        RawFile(
            path,
            path.relative_to(raw_dir).as_posix(),
            source,
            sha256_file(path),
            path.stat().st_size,
        )
        for path, source in listed
    ]


def _warm_up_if_stale(gx: GxSession, db_path: Path) -> Callable[[list[Path]], None]:
    """Start importing GX while the files are checksummed (hashlib releases the GIL) when
    something probably needs loading: no warehouse yet, or a raw file modified after it."""

    def check(paths: list[Path]) -> None:
        try:
            stamp = db_path.stat().st_mtime
        except OSError:
            stamp = None
        if stamp is None or any(p.stat().st_mtime >= stamp for p in paths):
            gx.warm_up()

    return check


def raw_home_city(raw_dir: Path) -> str | None:
    """The home city code of ``raw_dir/region.csv`` (its one ``kota`` row with
    ``is_home_city`` true), if any: a staged folder says its city."""
    path = Path(raw_dir) / "region.csv"
    if not path.is_file():
        return None
    with path.open(encoding="utf-8", newline="") as fh:
        homes = {
            row.get("kode_wilayah") or ""
            for row in csv.DictReader(fh)
            if row.get("level") == "kota" and (row.get("is_home_city") or "").lower() == "true"
        }
    return homes.pop() if len(homes) == 1 else None


def city_of_run(city: RegistryCity, raw_dir: Path) -> str:
    """The BPS code whose schema the files load into: the profile's, else the raw region.csv's
    home city."""
    code = city.code if city.code.isdigit() else raw_home_city(raw_dir)
    if code is None:
        raise DataFileError(
            Path(raw_dir) / "region.csv",
            "cannot tell which city the files are about: give --city (a profile) or a "
            "region.csv with one home city (level kota, is_home_city true)",
        )
    return code


def _already_loaded(db_path: Path, files: list[RawFile], code: str) -> set[str]:
    """Relative paths whose current checksum matches their latest load into city ``code``,
    which succeeded (a file restored after a failed load is loaded again, so the manifest's
    latest row for it says what the warehouse holds)."""
    if not db_path.exists():
        return set()
    try:
        with connect(db_path, read_only=True, choose=False) as con:
            if code not in cities_in(con):
                if main_city(con) is not None:
                    raise WarehouseError(
                        f"{db_path}: holds one city in schema main (a warehouse of smartindex "
                        "before several cities per warehouse, or one built by hand); load into "
                        "a new --db, or remove this file and run `smartindex etl` again"
                    )
                return set()
            use_schema(con, city_schema(code))
            return {f.rel for f in files if current_sha(con, f.rel) == f.sha256}
    except duckdb.Error as exc:
        raise WarehouseError(
            f"{db_path}: not a readable DuckDB warehouse ({str(exc).splitlines()[0][:200]})"
        ) from exc


def _skipped(f: RawFile) -> FileReport:
    return FileReport(f.path, f.source.name, "skipped", sha256=f.sha256)


def _load_all(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    registry: Registry,
    todo: list[RawFile],
    progress: bool | None,
    *,
    gx: GxSession,
) -> dict[str, FileReport]:
    con.execute(f"SET threads = {int(settings.threads)}")
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    con.execute("SET enable_progress_bar = false")  # DuckDB's bar would write to stdout
    con.execute("SET TimeZone = ?", [settings.timezone])  # offsets convert to the city's zone
    # ``con`` is a scratch copy: swap_write fsyncs it once before publishing it (and discards it
    # after any failure), so the per-commit fsyncs of every file's transaction buy nothing.
    con.execute("SET fsync_mode = 'NONE'")
    con.execute(f"SET checkpoint_threshold = '{CHECKPOINT_THRESHOLD}'")
    ensure_meta(con)
    reports: dict[str, FileReport] = {}
    gx.warm_up()  # if not started yet: GX's import overlaps with staging the first file
    checks = {s.name: build_checks(s, registry.bbox) for s in registry.sources}

    def fresh() -> Iterator[RawFile]:
        tables: set[str] = set()
        for f in progress_bar(todo, total=len(todo), enabled=progress):
            if current_sha(con, f.rel) == f.sha256:  # loaded by a concurrent run meanwhile
                reports[f.rel] = _skipped(f)
                continue
            if f.source.name not in tables:  # once per source: the query takes milliseconds
                ensure_table(con, f.source)
                tables.add(f.source.name)
            yield f

    for f, rep in load_files(
        con, fresh(), checks, gx, key=settings.pseudonym_key, scratch=scratch_dir(settings.db_path)
    ):
        reports[f.rel] = rep
    create_views(con)
    return reports


def run_etl(
    settings: Settings,
    *,
    raw_dir: Path | None = None,
    registry_path: Path | None = None,
    progress: bool | None = None,
) -> EtlReport:
    """Validate and load every raw file the registry matches; see docs/etl.md.

    Unchanged files (same sha256 as their last successful load) are skipped; a changed file
    replaces its own previous rows; new files append. All changes are published together by an
    atomic swap of the warehouse file; nothing is written when every file is unchanged.
    """
    city = registry_city(settings)  # the profile's code, bbox, channels and polygons
    registry = load_registry(registry_path, city=city)
    gx = GxSession(timezone=settings.timezone)
    raw = Path(raw_dir) if raw_dir is not None else settings.raw_dir
    files = discover(registry, raw, _warm_up_if_stale(gx, settings.db_path))
    code = city_of_run(city, raw)  # the files load into this city's schema
    done = _already_loaded(settings.db_path, files, code)
    todo = [f for f in files if f.rel not in done]
    reports: dict[str, FileReport] = {}
    leftovers: list[int] = []
    shapes = (
        plan_boundaries(settings.db_path, city.boundaries, registry.bbox, code)
        if city.boundaries is not None
        else BoundaryPlan(
            False, ("no boundary file in the city profile; maps will show no shapes",)
        )
    )
    notes = list(shapes.notes)  # boundary problems are warnings: maps then show no shapes
    if todo or shapes.due:
        settings.db_path.parent.mkdir(parents=True, exist_ok=True)
        with swap_write(
            settings.db_path, city=code, create=True, on_leftovers=leftovers.append
        ) as con:
            reports = _load_all(con, settings, registry, todo, progress, gx=gx) if todo else {}
            if city.boundaries is not None:
                notes = load_boundaries(con, city.boundaries, registry.bbox)
    elif settings.db_path.parent.is_dir():
        leftovers.append(clean_leftovers(settings.db_path))
    return EtlReport(
        [reports.get(f.rel) or _skipped(f) for f in files],
        db_path=settings.db_path,
        leftovers_removed=sum(leftovers),
        notes=notes,
    )
