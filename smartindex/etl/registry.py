"""The source registry (sources.toml) as validated, immutable dataclasses."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from smartindex.config import Settings, cities_dir
from smartindex.errors import CatalogueError

DEFAULT_REGISTRY = Path(__file__).with_name("sources.toml")

TOP_KEYS = {"version", "bbox", "channels", "source"}
SOURCE_KEYS = {
    "name",
    "description",
    "pattern",
    "format",
    "delimiter",
    "decimal",
    "encoding",
    "sheet",
    "primary_key",
    "pseudonymise",
    "columns",
    "optional",
    "expect",
    "bbox_when",
}
EXPECT_KEYS = {
    "not_null",
    "between",
    "in_set",
    "regex",
    "unique",
    "order",
    "references",
    "not_future",
    "not_before",
    "within",
}
TYPES = {
    "VARCHAR",
    "BOOLEAN",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "DOUBLE",
    "FLOAT",
    "DATE",
    "TIMESTAMP",
}
NUMERIC = {"SMALLINT", "INTEGER", "BIGINT", "DOUBLE", "FLOAT"}
TEMPORAL = {"DATE", "TIMESTAMP"}
FORMATS = {"csv", "parquet", "xlsx"}
ENCODINGS = {"utf-8", "latin-1", "cp1252"}
IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")


@dataclass(frozen=True)
class Expect:
    """Declared expectations of one source (see the sources.toml header)."""

    not_null: tuple[str, ...] = ()
    between: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    in_set: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)
    regex: Mapping[str, str] = field(default_factory=dict)
    unique: tuple[tuple[str, ...], ...] = ()
    order: tuple[tuple[str, str], ...] = ()
    references: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    not_future: tuple[str, ...] = ()
    not_before: Mapping[str, dt.date] = field(default_factory=dict)
    # child column -> (parent column, referenced table, its parent column, date column or
    # None): the row of the child's code in that table (found through ``references``) names
    # the parent code; records dated before the parent unit's valid_from are exempt (a
    # kelurahan of a kecamatan created by a split lay in another kecamatan before)
    within: Mapping[str, tuple[str, str, str, str | None]] = field(default_factory=dict)


@dataclass(frozen=True)
class Source:
    """One raw data set: where its files are, how to read them, what they must satisfy."""

    name: str
    pattern: str
    columns: Mapping[str, str]
    description: str = ""
    format: str | None = None
    delimiter: str = ","
    decimal: str = "."
    encoding: str | None = None
    sheet: str | None = None
    primary_key: tuple[str, ...] = ()
    pseudonymise: tuple[str, ...] = ()
    optional: Mapping[str, str] = field(default_factory=dict)
    expect: Expect = field(default_factory=Expect)
    bbox_when: str | None = None

    @property
    def all_columns(self) -> dict[str, str]:
        """Required then optional columns, name -> DuckDB type, in table order."""
        return {**self.columns, **self.optional}


@dataclass(frozen=True)
class Registry:
    """All sources in load order plus the city bounding box."""

    sources: tuple[Source, ...]
    bbox: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    version: int = 1
    # the shared vocabulary of complaint channel codes (a profile chooses among them)
    channels: tuple[str, ...] = ()

    def get(self, name: str) -> Source:
        for s in self.sources:
            if s.name == name:
                return s
        raise CatalogueError(f"source registry: no source named {name!r}")


def _fail(name: str, msg: str) -> CatalogueError:
    return CatalogueError(f"source registry, source {name!r}: {msg}")


def _unknown(keys: set[str], allowed: set[str], name: str, where: str) -> None:
    extra = sorted(keys - allowed)
    if extra:
        raise _fail(name, f"unknown key(s) {', '.join(extra)} in {where}")


def _need_cols(name: str, cols: Mapping[str, str], used: list[str], what: str) -> None:
    for c in used:
        if c not in cols:
            raise _fail(name, f"{what} names unknown column {c!r}")


def _pair(name: str, v: Any, what: str) -> tuple[Any, Any]:
    if not (isinstance(v, list) and len(v) == 2):
        raise _fail(name, f"{what} must be a two-item list, got {v!r}")
    return v[0], v[1]


def _parse_expect(name: str, raw: Mapping[str, Any], cols: Mapping[str, str]) -> Expect:
    _unknown(set(raw), EXPECT_KEYS, name, "[source.expect]")
    between = {c: _pair(name, v, f"between.{c}") for c, v in raw.get("between", {}).items()}
    for c, (lo, hi) in between.items():
        if not all(isinstance(x, int | float) for x in (lo, hi)) or lo > hi:
            raise _fail(name, f"between.{c} needs numbers lo <= hi, got [{lo}, {hi}]")
    for c, rx in raw.get("regex", {}).items():
        try:
            re.compile(rx)
        except re.error as exc:
            raise _fail(name, f"regex.{c} {rx!r} is not a valid regular expression: {exc}") from exc
    refs = {}
    for c, target in raw.get("references", {}).items():
        table, _, col = str(target).partition(".")
        if not table or not col:
            raise _fail(name, f"references.{c} must be 'table.column', got {target!r}")
        refs[c] = (table, col)
    ex = Expect(
        not_null=tuple(raw.get("not_null", ())),
        between=between,
        in_set={c: tuple(v) for c, v in raw.get("in_set", {}).items()},
        regex=dict(raw.get("regex", {})),
        unique=tuple(tuple(u) for u in raw.get("unique", ())),
        order=tuple(_pair(name, o, "order item") for o in raw.get("order", ())),
        references=refs,
        not_future=tuple(raw.get("not_future", ())),
        not_before={c: _date(name, c, v) for c, v in raw.get("not_before", {}).items()},
        within=_within(name, raw.get("within", {}), refs),
    )
    used = [
        *ex.not_null,
        *ex.between,
        *ex.in_set,
        *ex.regex,
        *ex.references,
        *ex.not_future,
        *ex.not_before,
        *ex.within,
        *(w[0] for w in ex.within.values()),
        *(w[3] for w in ex.within.values() if w[3]),
        *(c for u in ex.unique for c in u),
        *(c for o in ex.order for c in o),
    ]
    _need_cols(name, cols, used, "[source.expect]")
    for key, temporal in (("not_future", ex.not_future), ("not_before", ex.not_before)):
        for c in temporal:
            if cols[c] not in TEMPORAL:
                raise _fail(name, f"{key} column {c!r} must be DATE or TIMESTAMP")
    unbounded = [c for c, t in cols.items() if t in TEMPORAL and c not in ex.not_before]
    if unbounded:
        raise _fail(
            name,
            f"date/time column(s) {', '.join(unbounded)} need a plausible lower "
            "bound in not_before (e.g. the year the records start)",
        )
    return ex


def _date(name: str, col: str, value: object) -> dt.date:
    """A ``not_before`` bound: a TOML date or an ISO date string."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise _fail(name, f"not_before.{col} must be a date (YYYY-MM-DD), got {value!r}") from None


def _within(
    name: str, raw: Mapping[str, Any], refs: Mapping[str, tuple[str, str]]
) -> dict[str, tuple[str, str, str, str | None]]:
    """``within = { child = ["parent", "table.parent_column", "date_column"?] }``; the child
    needs a reference into that table."""
    out = {}
    for child, v in raw.items():
        if not (isinstance(v, list) and len(v) in {2, 3}):
            raise _fail(name, f"within.{child} must be [parent, 'table.column', date?], got {v!r}")
        parent, target, *when = v
        table, _, tcol = str(target).partition(".")
        if child not in refs or refs[child][0] != table or not tcol:
            raise _fail(
                name,
                f"within.{child} needs references.{child} into {table!r} and a "
                f"'table.column' target, got {target!r}",
            )
        out[child] = (str(parent), table, tcol, str(when[0]) if when else None)
    return out


def _check_types(name: str, cols: Mapping[str, str]) -> None:
    for c, t in cols.items():
        if not IDENT.match(c):
            raise _fail(name, f"column name {c!r} must match {IDENT.pattern}")
        if t not in TYPES:
            raise _fail(name, f"column {c!r} has unknown type {t!r} (known: {sorted(TYPES)})")


def _check_options(name: str, raw: Mapping[str, Any], cols: Mapping[str, str]) -> None:
    if raw.get("format") is not None and raw["format"] not in FORMATS:
        raise _fail(name, f"format {raw['format']!r} not one of {sorted(FORMATS)}")
    if len(raw.get("delimiter", ",")) != 1:
        raise _fail(name, "delimiter must be one character")
    if raw.get("decimal", ".") not in {".", ","}:
        raise _fail(name, "decimal must be '.' or ','")
    if raw.get("encoding") is not None and raw["encoding"] not in ENCODINGS:
        raise _fail(name, f"encoding {raw['encoding']!r} not one of {sorted(ENCODINGS)}")
    _need_cols(name, cols, list(raw.get("primary_key", ())), "primary_key")
    _need_cols(name, cols, list(raw.get("pseudonymise", ())), "pseudonymise")
    for c in raw.get("pseudonymise", ()):
        if cols[c] != "VARCHAR":
            raise _fail(name, f"pseudonymised column {c!r} must be VARCHAR")
    if raw.get("bbox_when") is not None and cols.get(raw["bbox_when"]) != "BOOLEAN":
        raise _fail(name, "bbox_when must name a BOOLEAN column")


def _parse_source(raw: Mapping[str, Any]) -> Source:
    name = raw.get("name")
    if not isinstance(name, str) or not IDENT.match(name):
        raise CatalogueError(f"source registry: source name {name!r} must match {IDENT.pattern}")
    _unknown(set(raw), SOURCE_KEYS, name, "[[source]]")
    if not raw.get("pattern") or not raw.get("columns"):
        raise _fail(name, "needs `pattern` and [source.columns]")
    cols = {**raw["columns"], **raw.get("optional", {})}
    _check_types(name, cols)
    _check_options(name, raw, cols)
    expect = _parse_expect(name, raw.get("expect", {}), cols)
    personal = set(raw.get("pseudonymise", ()))
    within = {c for child, w in expect.within.items() for c in (child, w[0])}
    hashed = personal & {
        *expect.between,
        *expect.in_set,
        *expect.regex,
        *expect.references,
        *within,
    }
    if hashed:
        raise _fail(
            name,
            f"value checks on pseudonymised column(s) {sorted(hashed)} would "
            "see hashes; only not_null/unique/order apply to personal columns",
        )
    return Source(
        name=name,
        pattern=raw["pattern"],
        columns=dict(raw["columns"]),
        description=raw.get("description", ""),
        format=raw.get("format"),
        delimiter=raw.get("delimiter", ","),
        decimal=raw.get("decimal", "."),
        encoding=raw.get("encoding"),
        sheet=raw.get("sheet"),
        primary_key=tuple(raw.get("primary_key", ())),
        pseudonymise=tuple(raw.get("pseudonymise", ())),
        optional=dict(raw.get("optional", {})),
        expect=expect,
        bbox_when=raw.get("bbox_when"),
    )


def _check_references(sources: tuple[Source, ...]) -> None:
    """References must point at an earlier source (registry order = load order) or at itself."""
    seen: dict[str, Source] = {}
    for s in sources:
        seen[s.name] = s
        for col, (table, tcol) in s.expect.references.items():
            if table not in seen:
                raise _fail(s.name, f"references.{col} points at unknown or later table {table!r}")
            if tcol not in seen[table].all_columns:
                raise _fail(s.name, f"references.{col}: table {table!r} has no column {tcol!r}")
        for col, (_, table, tcol, _) in s.expect.within.items():
            if tcol not in seen[table].all_columns:
                raise _fail(s.name, f"within.{col}: table {table!r} has no column {tcol!r}")


def parse_registry(doc: Mapping[str, Any]) -> Registry:
    """Validate a parsed sources.toml document."""
    _unknown(set(doc), TOP_KEYS, "<top level>", "sources.toml")
    sources = tuple(_parse_source(s) for s in doc.get("source", ()))
    names = [s.name for s in sources]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise CatalogueError(f"source registry: duplicate source name(s) {dupes}")
    _check_references(sources)
    bbox = {k: _pair("<bbox>", v, f"bbox.{k}") for k, v in doc.get("bbox", {}).items()}
    if set(bbox) - {"lat", "lon"}:
        raise CatalogueError("source registry: [bbox] accepts only lat and lon")
    return Registry(
        sources=sources,
        bbox=bbox,
        version=int(doc.get("version", 1)),
        channels=tuple(str(c) for c in doc.get("channels", ())),
    )


@dataclass(frozen=True)
class RegistryCity:
    """What the registry needs about the city whose data it checks (from its profile).

    ``code`` fills the ``{city_code}`` placeholders of sources.toml (the code patterns),
    ``bbox`` becomes the registry's bounding box (the coordinate checks), ``channels`` fills
    ``"{complaint_channels}"`` (an empty tuple drops that check) and ``boundaries`` is the
    city's polygon file (None: no maps)."""

    code: str
    bbox: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    channels: tuple[str, ...] = ()
    boundaries: Path | None = None


ANY_CITY = RegistryCity(code=r"\d{4}")
"""No profile known: any 4-digit kota code, no bounding box, any channel."""

CITY_CODE = "{city_code}"
CHANNELS = "{complaint_channels}"


def fill_city(doc: Any, city: RegistryCity) -> Any:
    """``doc`` (a parsed sources.toml) with the city's placeholders filled (pure):

    >>> doc = {"regex": {"k": "^{city_code}[0-9]{3}$"}, "in_set": {"c": "{complaint_channels}"}}
    >>> fill_city(doc, RegistryCity("1375", channels=("lapor", "email")))
    {'regex': {'k': '^1375[0-9]{3}$'}, 'in_set': {'c': ['lapor', 'email']}}
    """
    if isinstance(doc, dict):
        out = {k: fill_city(v, city) for k, v in doc.items()}
        return {k: v for k, v in out.items() if v != [] or doc[k] != CHANNELS}
    if isinstance(doc, list):
        return [fill_city(v, city) for v in doc]
    if doc == CHANNELS:
        return list(city.channels)
    if isinstance(doc, str):
        return doc.replace(CITY_CODE, city.code)
    return doc


def read_city(profile_path: Path) -> RegistryCity:
    """The registry's view of a city profile: ``[city] bps_code``, ``bbox``, ``boundaries``
    (relative to the profile) and ``[complaints] channels``. Only these keys are read; the
    profile is validated in full by ``smartindex.cities.load_profile``."""
    try:
        doc = tomllib.loads(profile_path.read_text(encoding="utf-8"))
        city = doc["city"]
        bbox = {k: (float(v[0]), float(v[1])) for k, v in city.get("bbox", {}).items()}
        boundaries = city.get("boundaries")
        return RegistryCity(
            code=str(city["bps_code"]),
            bbox=bbox,
            channels=tuple(doc.get("complaints", {}).get("channels", ())),
            boundaries=profile_path.parent / boundaries if boundaries else None,
        )
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
        raise CatalogueError(f"{profile_path}: cannot read the city profile: {exc}") from exc


def default_city(folder: Path | None = None) -> RegistryCity:
    """The city of the only profile under ``folder`` (default: ``data/cities``, see
    :func:`smartindex.config.cities_dir`); :data:`ANY_CITY` when there are none or several."""
    found = sorted(Path(folder or cities_dir()).glob("*/profile.toml"))
    return read_city(found[0]) if len(found) == 1 else ANY_CITY


def registry_city(settings: Settings) -> RegistryCity:
    """The city of a run: the profile's values in ``settings`` (``settings_for``), else the
    only profile under ``data/cities``; ``settings.boundaries_path`` overrides the polygons."""
    if settings.city_code is None:
        city = default_city()
    else:
        city = RegistryCity(
            code=settings.city_code,
            bbox=dict(settings.bbox or {}),
            channels=tuple(settings.complaint_channels or ()),
            boundaries=settings.boundaries_path,
        )
    if settings.boundaries_path is not None:
        city = replace(city, boundaries=settings.boundaries_path)
    return city


def load_registry(path: Path | str | None = None, *, city: RegistryCity | None = None) -> Registry:
    """Read and validate ``sources.toml`` (default: the one shipped with smartindex) for
    ``city`` (default: :func:`default_city`): its placeholders filled, its bounding box set."""
    path = Path(path) if path is not None else DEFAULT_REGISTRY
    city = city or default_city()
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CatalogueError(f"{path}: cannot read source registry: {exc}") from exc
    registry = parse_registry(fill_city(doc, city))
    return registry if registry.bbox else replace(registry, bbox=dict(city.bbox))
