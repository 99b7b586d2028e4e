"""A source mapping file (TOML) as a validated, immutable :class:`SourceMapping`.

The format is documented key by key in ``docs/mappings.md``. Every error is one sentence
naming the mapping file and the line of the offending key (:class:`MappingError`).
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from smartindex.errors import DataFileError
from smartindex.etl.mapping_toml import key_lines, line_of
from smartindex.etl.registry import NUMERIC, TEMPORAL, Registry, Source, load_registry

FORMATS = ("csv", "xlsx", "json")
LEVELS = ("kota", "kecamatan", "kelurahan")
# length of a BPS area code per level (kota 4 digits, kecamatan 7, kelurahan 10)
CODE_LENGTH = {"kota": 4, "kecamatan": 7, "kelurahan": 10}
RESHAPE_NAME = "\x00reshape:name"  # pseudo source columns filled by the wide -> long reshape
RESHAPE_VALUE = "\x00reshape:value"
BUILTIN_FIELDS = ("file",)  # template fields every mapping has: the data file's name
TEMPLATE_SPECS = ("", "year")

TOP_KEYS = {
    "target",
    "description",
    "input",
    "columns",
    "constants",
    "datetime",
    "values",
    "units",
    "areas",
    "reshape",
    "metadata",
}
INPUT_KEYS = {
    "format",
    "pattern",
    "delimiter",
    "encoding",
    "decimal",
    "header",
    "skip",
    "footer",
    "missing",
    "sheets",
    "records",
}
COLUMN_KEYS = {"column", "extract", "when"}
DATETIME_KEYS = {"timezone", "format", "formats"}
UNIT_KEYS = {"multiply", "divide", "by", "factors"}
AREA_KEYS = {"by", "level", "within", "on_unmatched"}
RESHAPE_KEYS = {"keep", "columns", "name_to", "value_to"}
METADATA_KEYS = {"pattern", "root", "fields"}


class MappingError(DataFileError):
    """A mapping file is invalid; the message names the file and the line of the bad key."""


@dataclass(frozen=True)
class InputSpec:
    """How the source files are read."""

    format: str
    pattern: str = "*"
    delimiter: str = ","
    encoding: str = "utf-8"
    decimal: str = "."
    header: tuple[int, ...] = (1,)
    skip: tuple[int, ...] = ()
    footer: tuple[str, ...] = ()
    missing: tuple[str, ...] = ("",)
    sheets: tuple[str, ...] = ()
    records: str = ""


@dataclass(frozen=True)
class ColumnSpec:
    """Where one canonical column comes from."""

    target: str
    source: str
    extract: re.Pattern[str] | None = None
    when: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class UnitSpec:
    """A unit conversion: a fixed factor, or a factor per unit word in another source column."""

    factor: float = 1.0
    by: str | None = None
    factors: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class AreaSpec:
    """A join of a canonical code column to the caller's area codes, by code or by name."""

    by: str
    levels: tuple[str, ...]
    within: str | None = None
    on_unmatched: str = "reject"


@dataclass(frozen=True)
class ReshapeSpec:
    """Wide -> long: every header matching ``columns`` becomes one record."""

    keep: tuple[str, ...]
    columns: re.Pattern[str]
    name_to: str
    value_to: str


@dataclass(frozen=True)
class MetadataSpec:
    """A metadata file (e.g. CKAN ``package_show``) whose fields fill templates."""

    pattern: str
    root: str = ""
    fields: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SourceMapping:
    """A validated mapping of one kind of source file onto a canonical source."""

    path: Path
    target: str
    source: Source
    input: InputSpec
    columns: tuple[ColumnSpec, ...] = ()
    constants: Mapping[str, object] = field(default_factory=dict)
    timezone: str | None = None
    formats: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    units: Mapping[str, UnitSpec] = field(default_factory=dict)
    areas: Mapping[str, AreaSpec] = field(default_factory=dict)
    reshape: ReshapeSpec | None = None
    metadata: MetadataSpec | None = None
    description: str = ""

    @property
    def name(self) -> str:
        """The mapping's name: its file name without ``.toml``."""
        return self.path.stem

    @property
    def required(self) -> tuple[str, ...]:
        """Canonical columns that must not be null (not_null and primary key)."""
        s = self.source
        need = [*s.primary_key, *s.expect.not_null]
        return tuple(c for c in s.all_columns if c in need)


def normalise_word(text: object) -> str:
    """A status or category word for lookup: case-folded, inner whitespace collapsed."""
    return " ".join(str(text).split()).casefold()


class _Checker:
    """Raises MappingError with the line of a key path."""

    def __init__(self, path: Path, text: str) -> None:
        self.path, self.lines = path, key_lines(text)

    def fail(self, keys: tuple[str, ...], message: str) -> MappingError:
        return MappingError(self.path, message, line=line_of(self.lines, keys))

    def table(self, raw: object, keys: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(raw, dict):
            raise self.fail(keys, f"[{'.'.join(keys)}] must be a table")
        return raw

    def known(self, raw: Mapping[str, Any], allowed: set[str], keys: tuple[str, ...]) -> None:
        for k in raw:
            if k not in allowed:
                where = f"[{'.'.join(keys)}]" if keys else "the top level"
                raise self.fail(
                    (*keys, k),
                    f"unknown key {k!r} in {where} (known: {', '.join(sorted(allowed))})",
                )

    def text(self, value: object, keys: tuple[str, ...]) -> str:
        if not isinstance(value, str):
            raise self.fail(keys, f"{'.'.join(keys)} must be a string, got {value!r}")
        return value

    def texts(self, value: object, keys: tuple[str, ...]) -> tuple[str, ...]:
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(keys, f"{'.'.join(keys)} must be a list of strings, got {value!r}")
        return tuple(value)

    def column(self, source: Source, name: str, keys: tuple[str, ...]) -> str:
        if name not in source.all_columns:
            raise self.fail(
                keys,
                f"{name!r} is not a column of {source.name!r} "
                f"(columns: {', '.join(source.all_columns)})",
            )
        return name


def _input(ck: _Checker, raw: Mapping[str, Any]) -> InputSpec:
    k = ("input",)
    ck.known(raw, INPUT_KEYS, k)
    fmt = raw.get("format")
    if fmt not in FORMATS:
        raise ck.fail((*k, "format"), f"input.format must be one of {', '.join(FORMATS)}")
    delimiter = ck.text(raw.get("delimiter", ","), (*k, "delimiter"))
    if len(delimiter) != 1:
        raise ck.fail((*k, "delimiter"), "input.delimiter must be one character")
    encoding = ck.text(raw.get("encoding", "utf-8"), (*k, "encoding"))
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise ck.fail((*k, "encoding"), f"unknown encoding {encoding!r}") from None
    decimal = raw.get("decimal", ".")
    if decimal not in {".", ","}:
        raise ck.fail((*k, "decimal"), "input.decimal must be '.' or ','")
    header = raw.get("header", 1)
    header = [header] if isinstance(header, int) else header
    if (
        not isinstance(header, list)
        or not header
        or not all(isinstance(h, int) and not isinstance(h, bool) and h >= 1 for h in header)
        or header != sorted(set(header))
    ):
        raise ck.fail((*k, "header"), "input.header must be a row number >= 1 or rising list")
    records = ck.text(raw.get("records", ""), (*k, "records"))
    skip = raw.get("skip", [])
    if not isinstance(skip, list) or not all(
        isinstance(r, int) and not isinstance(r, bool) and r > header[-1] for r in skip
    ):
        raise ck.fail((*k, "skip"), "input.skip must list row numbers below the header")
    return InputSpec(
        format=fmt,
        pattern=ck.text(raw.get("pattern", "*"), (*k, "pattern")),
        delimiter=delimiter,
        encoding=encoding,
        decimal=decimal,
        header=tuple(header),
        skip=tuple(skip),
        footer=tuple(f.casefold() for f in ck.texts(raw.get("footer", []), (*k, "footer"))),
        missing=tuple(
            {"", *(m.strip() for m in ck.texts(raw.get("missing", []), (*k, "missing")))}
        ),
        sheets=ck.texts(raw.get("sheets", []), (*k, "sheets")),
        records=records,
    )


def _regex(ck: _Checker, value: object, keys: tuple[str, ...]) -> re.Pattern[str]:
    try:
        return re.compile(ck.text(value, keys))
    except re.error as exc:
        raise ck.fail(keys, f"{'.'.join(keys)} is not a valid regular expression: {exc}") from None


def _column(ck: _Checker, src: Source, target: str, raw: object) -> ColumnSpec:
    k = ("columns", target)
    ck.column(src, target, k)
    if isinstance(raw, str):
        return ColumnSpec(target, raw)
    spec = ck.table(raw, k)
    ck.known(spec, COLUMN_KEYS, k)
    extract = _regex(ck, spec["extract"], (*k, "extract")) if "extract" in spec else None
    if extract is not None and extract.groups != 1:
        raise ck.fail((*k, "extract"), "columns extract needs exactly one (group)")
    when = ck.table(spec.get("when", {}), (*k, "when"))
    for c, v in when.items():
        ck.column(src, c, (*k, "when", c))
        when[c] = ck.texts(v, (*k, "when", c))
        allowed = src.expect.in_set.get(c)
        wrong = [w for w in when[c] if allowed is not None and w not in allowed]
        if wrong:
            raise ck.fail(
                (*k, "when", c), f"when {c} = {wrong[0]!r}: not a canonical {c} (a typo?)"
            )
    return ColumnSpec(target, ck.text(spec.get("column"), (*k, "column")), extract, when)


def _datetime(
    ck: _Checker, raw: Mapping[str, Any], src: Source
) -> tuple[str | None, dict[str, str]]:
    k = ("datetime",)
    ck.known(raw, DATETIME_KEYS, k)
    zone = raw.get("timezone")
    if zone is not None:
        try:
            ZoneInfo(ck.text(zone, (*k, "timezone")))
        except (ZoneInfoNotFoundError, ValueError):
            raise ck.fail((*k, "timezone"), f"unknown time zone {zone!r}") from None
    default = ck.text(raw.get("format", "iso"), (*k, "format"))
    temporal = [c for c, t in src.all_columns.items() if t in TEMPORAL]
    formats = dict.fromkeys(temporal, default)
    for c, f in ck.table(raw.get("formats", {}), (*k, "formats")).items():
        ck.column(src, c, (*k, "formats", c))
        if c not in temporal:
            raise ck.fail((*k, "formats", c), f"{c!r} is not a DATE or TIMESTAMP column")
        formats[c] = ck.text(f, (*k, "formats", c))
    return zone, formats


def _values(ck: _Checker, raw: Mapping[str, Any], src: Source) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for col, words in raw.items():
        k = ("values", col)
        ck.column(src, col, k)
        allowed = src.expect.in_set.get(col)
        table: dict[str, str] = {}
        for word, canon in ck.table(words, k).items():
            ck.text(canon, (*k, word))
            if allowed is not None and canon not in allowed:
                raise ck.fail(
                    (*k, word),
                    f"{canon!r} is not a canonical {col} of {src.name!r} "
                    f"(allowed: {', '.join(map(str, allowed))})",
                )
            key = normalise_word(word)
            if key in table and table[key] != canon:
                raise ck.fail((*k, word), f"{word!r} is mapped twice (case and spaces ignored)")
            table[key] = canon
        out[col] = table
    return out


def _factor(ck: _Checker, value: object, keys: tuple[str, ...]) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ck.fail(keys, f"{'.'.join(keys)} must be a positive number, got {value!r}")
    return float(value)


def _units(ck: _Checker, raw: Mapping[str, Any], src: Source) -> dict[str, UnitSpec]:
    out = {}
    for col, spec in raw.items():
        k = ("units", col)
        ck.column(src, col, k)
        if src.all_columns[col] not in NUMERIC:
            raise ck.fail(k, f"unit conversion on {col!r}, which is not a numeric column")
        spec = ck.table(spec, k)
        ck.known(spec, UNIT_KEYS, k)
        if ("by" in spec) == ("multiply" in spec or "divide" in spec) or (
            "multiply" in spec and "divide" in spec
        ):
            raise ck.fail(k, f"[units.{col}] needs one of multiply, divide or by + factors")
        if "by" in spec:
            factors = ck.table(spec.get("factors"), (*k, "factors"))
            out[col] = UnitSpec(
                by=ck.text(spec["by"], (*k, "by")),
                factors={
                    normalise_word(u): _factor(ck, f, (*k, "factors", u))
                    for u, f in factors.items()
                },
            )
        elif "multiply" in spec:
            out[col] = UnitSpec(factor=_factor(ck, spec["multiply"], (*k, "multiply")))
        else:
            out[col] = UnitSpec(factor=1.0 / _factor(ck, spec["divide"], (*k, "divide")))
    return out


def _areas(ck: _Checker, raw: Mapping[str, Any], src: Source) -> dict[str, AreaSpec]:
    out = {}
    for col, spec in raw.items():
        k = ("areas", col)
        ck.column(src, col, k)
        spec = ck.table(spec, k)
        ck.known(spec, AREA_KEYS, k)
        by = spec.get("by")
        if by not in {"name", "code"}:
            raise ck.fail((*k, "by"), f"areas.{col}.by must be 'name' or 'code'")
        levels = ck.texts(spec.get("level", []), (*k, "level"))
        bad = [lv for lv in levels if lv not in LEVELS]
        if not levels or bad:
            raise ck.fail((*k, "level"), f"areas.{col}.level must be among {', '.join(LEVELS)}")
        on = spec.get("on_unmatched", "reject")
        if on not in {"reject", "null"}:
            raise ck.fail((*k, "on_unmatched"), "on_unmatched must be 'reject' or 'null'")
        within = spec.get("within")
        if within is not None:
            ck.column(src, ck.text(within, (*k, "within")), (*k, "within"))
        out[col] = AreaSpec(by=by, levels=levels, within=within, on_unmatched=on)
    for col, a in out.items():
        if a.within is not None and (a.within not in out or out[a.within].within is not None):
            raise ck.fail(
                ("areas", col, "within"), f"within names {a.within!r}, which needs its own [areas]"
            )
    return out


def _reshape(ck: _Checker, raw: Mapping[str, Any], src: Source) -> ReshapeSpec:
    k = ("reshape",)
    ck.known(raw, RESHAPE_KEYS, k)
    columns = _regex(ck, raw.get("columns"), (*k, "columns"))
    if columns.groups > 1:
        raise ck.fail((*k, "columns"), "reshape.columns may have at most one (group)")
    return ReshapeSpec(
        keep=ck.texts(raw.get("keep", []), (*k, "keep")),
        columns=columns,
        name_to=ck.column(src, ck.text(raw.get("name_to"), (*k, "name_to")), (*k, "name_to")),
        value_to=ck.column(src, ck.text(raw.get("value_to"), (*k, "value_to")), (*k, "value_to")),
    )


def _metadata(ck: _Checker, raw: Mapping[str, Any]) -> MetadataSpec:
    k = ("metadata",)
    ck.known(raw, METADATA_KEYS, k)
    fields = ck.table(raw.get("fields", {}), (*k, "fields"))
    for name, p in fields.items():
        ck.text(p, (*k, "fields", name))
        if name in BUILTIN_FIELDS:
            raise ck.fail((*k, "fields", name), f"{name!r} is a built-in template field")
    return MetadataSpec(
        pattern=ck.text(raw.get("pattern"), (*k, "pattern")),
        root=ck.text(raw.get("root", ""), (*k, "root")),
        fields=fields,
    )


def _constant(ck: _Checker, src: Source, col: str, value: object, fields: set[str]) -> object:
    k = ("constants", col)
    ck.column(src, col, k)
    typ = src.all_columns[col]
    ok = {
        "BOOLEAN": isinstance(value, bool),
        "DATE": isinstance(value, dt.date) and not isinstance(value, dt.datetime),
        "TIMESTAMP": isinstance(value, dt.datetime),
    }.get(typ, isinstance(value, int | float) if typ in NUMERIC else isinstance(value, str))
    if typ == "VARCHAR" and isinstance(value, str):
        try:
            parsed = list(string.Formatter().parse(value))
        except ValueError as exc:
            raise ck.fail(k, f"constants.{col} is not a valid template: {exc}") from None
        for _, name, spec, _ in parsed:
            if name is not None and (name not in fields or spec not in TEMPLATE_SPECS):
                raise ck.fail(
                    k,
                    f"constants.{col} uses unknown template field {{{name}}} "
                    f"(fields: {', '.join(sorted(fields))}; format: :year)",
                )
    if not ok or isinstance(value, bool) != (typ == "BOOLEAN"):
        raise ck.fail(k, f"constants.{col} = {value!r} does not fit its type {typ}")
    allowed = src.expect.in_set.get(col)
    if allowed is not None and value not in allowed:
        raise ck.fail(
            k, f"constants.{col} = {value!r} is not one of {', '.join(map(str, allowed))}"
        )
    return value


def _produced(m: SourceMapping) -> set[str]:
    out = {c.target for c in m.columns} | set(m.constants)
    if m.reshape is not None:
        out |= {m.reshape.name_to, m.reshape.value_to}
    return out


def _check_columns(ck: _Checker, m: SourceMapping) -> None:
    targets = [c.target for c in m.columns]
    if m.reshape is not None:
        targets += [m.reshape.name_to, m.reshape.value_to]
    for col in {c for c in targets if targets.count(c) > 1} | (set(targets) & set(m.constants)):
        raise ck.fail(("constants", col), f"column {col!r} is filled twice")
    produced = _produced(m)
    for section, cols in (("values", m.values), ("units", m.units), ("areas", m.areas)):
        for col in cols:
            if col not in produced:
                raise ck.fail((section, col), f"[{section}.{col}] for a column nothing fills")
    missing = [c for c in m.required if c not in produced]
    if missing:
        raise ck.fail(
            ("columns",),
            f"required column(s) {', '.join(missing)} of {m.target!r} are neither mapped nor "
            "constant",
        )
    dependent = {c.target for c in m.columns if c.when} | {
        c for c, a in m.areas.items() if a.within
    }
    for c in m.columns:
        for other in c.when:
            if other in dependent or other not in produced:
                raise ck.fail(
                    ("columns", c.target, "when", other),
                    f"when refers to {other!r}, which must be filled without a condition",
                )


def parse_mapping(path: Path, text: str, registry: Registry) -> SourceMapping:
    """Validate the mapping document ``text`` read from ``path``."""
    ck = _Checker(path, text)
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        at = re.search(r"line (\d+)", str(exc))
        raise MappingError(
            path, f"not valid TOML: {exc}", line=int(at.group(1)) if at else None
        ) from None
    ck.known(doc, TOP_KEYS, ())
    target = ck.text(doc.get("target"), ("target",))
    if target not in {s.name for s in registry.sources}:
        raise ck.fail(("target",), f"target {target!r} is not a source in sources.toml")
    src = registry.get(target)
    zone, formats = _datetime(ck, ck.table(doc.get("datetime", {}), ("datetime",)), src)
    metadata = (
        _metadata(ck, ck.table(doc["metadata"], ("metadata",))) if "metadata" in doc else None
    )
    fields = set(BUILTIN_FIELDS) | set(metadata.fields if metadata else ())
    mapping = SourceMapping(
        path=path,
        target=target,
        source=src,
        input=_input(ck, ck.table(doc.get("input"), ("input",))),
        columns=tuple(
            _column(ck, src, c, v)
            for c, v in ck.table(doc.get("columns", {}), ("columns",)).items()
        ),
        constants={
            c: _constant(ck, src, c, v, fields)
            for c, v in ck.table(doc.get("constants", {}), ("constants",)).items()
        },
        timezone=zone,
        formats=formats,
        values=_values(ck, ck.table(doc.get("values", {}), ("values",)), src),
        units=_units(ck, ck.table(doc.get("units", {}), ("units",)), src),
        areas=_areas(ck, ck.table(doc.get("areas", {}), ("areas",)), src),
        reshape=_reshape(ck, ck.table(doc["reshape"], ("reshape",)), src)
        if "reshape" in doc
        else None,
        metadata=metadata,
        description=str(doc.get("description", "")),
    )
    if mapping.reshape is not None and mapping.input.format == "json":
        raise ck.fail(("reshape",), "reshape applies to csv and xlsx tables, not json")
    _check_columns(ck, mapping)
    return mapping


def read_mapping(path: Path, registry: Registry | None = None) -> SourceMapping:
    """Read and validate the mapping file at ``path`` against ``registry`` (default: shipped)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise MappingError(path, f"cannot read mapping file: {exc}") from None
    return parse_mapping(Path(path), text, registry or load_registry())
