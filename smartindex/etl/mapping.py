"""Source mappings: real exports (Open311, CRM-style complaint exports, BPS tables, CKAN
resources ...) onto the canonical raw schemas of ``sources.toml``.

A mapping is a declarative TOML file (format: ``docs/mappings.md``; shipped ones in
``smartindex/etl/mappings/``)::

    mapping = load_mapping(Path("smartindex/etl/mappings/jakarta_crm_csv.toml"))
    mapped = apply_mapping(mapping, [Path("export.csv")], areas={"1671080": "Sukarami", ...})
    mapped.frame       # canonical columns of the target, in sources.toml order
    mapped.rejected    # file, row, column, value, reason of every record not mapped
    mapped.unmatched   # area names not found, with the nearest official name

No record is lost silently: ``rows_read == len(frame) + len(rejected)`` (one rejected row per
record, naming its first problem). Records are the data rows of CSV/XLSX tables (title, header,
blank and footnote rows are not records; a wide table gives one record per row and reshaped
column) and the objects of a JSON array.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import math
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd

from smartindex.errors import DataFileError
from smartindex.etl.mapping_read import Record, dig, read_json, read_records
from smartindex.etl.mapping_spec import (
    RESHAPE_NAME,
    RESHAPE_VALUE,
    AreaSpec,
    ColumnSpec,
    MappingError,
    SourceMapping,
    normalise_word,
    read_mapping,
)
from smartindex.etl.mapping_values import (
    BadValueError,
    area_key,
    convert,
    level_of,
    local_time,
    name_index,
    parse_datetime,
    suggest,
    text,
)
from smartindex.etl.registry import TEMPORAL, Registry

__all__ = [
    "Mapped",
    "MappingError",
    "SourceMapping",
    "Unmatched",
    "apply_mapping",
    "load_mapping",
    "required_sources",
    "shipped_mappings",
    "write_canonical",
]

MAPPINGS_DIR = Path(__file__).with_name("mappings")
REJECTED_COLUMNS = ["file", "row", "column", "value", "reason"]
DTYPES = {
    "VARCHAR": "string",
    "BOOLEAN": "boolean",
    "SMALLINT": "Int64",
    "INTEGER": "Int64",
    "BIGINT": "Int64",
    "DOUBLE": "Float64",
    "FLOAT": "Float64",
    "TIMESTAMP": "datetime64[us]",
    "DATE": "object",  # datetime.date values
}
PERSONAL_MASK = "<personal data not shown>"


@dataclass(frozen=True)
class Unmatched:
    """An area name that matched no official name: the rows it is on, the nearest name."""

    name: str
    rows: tuple[int, ...]
    suggestion: str | None


@dataclass(frozen=True)
class Mapped:
    """The canonical rows of a mapped source, and what could not be mapped."""

    target: str
    frame: pd.DataFrame
    rejected: pd.DataFrame
    unmatched: tuple[Unmatched, ...]
    rows_read: int


class _RejectedRecordError(Exception):
    """A record that cannot be mapped: the column (as the officer knows it), value, reason."""

    def __init__(self, column: str, value: object, reason: str) -> None:
        super().__init__(reason)
        self.column, self.value, self.reason = column, value, reason


@dataclass
class _Areas:
    """Area lookups of one mapping, and the names that did not match."""

    areas: Mapping[str, str]
    specs: Mapping[str, AreaSpec]
    misses: dict[tuple[str, str], tuple[str, list[int], str | None]] = field(default_factory=dict)
    indexes: dict[str, dict[str, tuple[tuple[str, str], ...]]] = field(default_factory=dict)

    def code(self, col: str, raw: object, parent: str | None) -> str | None:
        spec = self.specs[col]
        if spec.by == "code":
            code = "".join(text(raw).replace(".", "").split())
            if code in self.areas and level_of(code) in spec.levels:
                return code
            raise BadValueError(f"{text(raw)!r} is not a {'/'.join(spec.levels)} code of the city")
        if col not in self.indexes:
            self.indexes[col] = name_index(self.areas, spec.levels)
        index = self.indexes[col]
        hits = index.get(area_key(raw), ())
        if parent is not None:
            hits = tuple(h for h in hits if h[0].startswith(parent))
        if len(hits) == 1:
            return hits[0][0]
        if len(hits) > 1:
            codes = ", ".join(h[0] for h in hits)
            raise BadValueError(
                f"{text(raw)!r} names several areas ({codes}); add areas.{col}.within"
            )
        return None

    def miss(self, col: str, raw: object, row: int, parent: str | None) -> str:
        """Record an unmatched name; the rejection reason (with the suggestion)."""
        spec = self.specs[col]
        key = (col, area_key(raw))
        if key not in self.misses:
            candidates = {
                area_key(n): n
                for c, n in self.areas.items()
                if level_of(c) in spec.levels and (parent is None or c.startswith(parent))
            }
            self.misses[key] = (text(raw), [], suggest(raw, candidates))
        _, rows, hint = self.misses[key]
        rows.append(row)
        near = f" (nearest official name: {hint!r})" if hint else ""
        return f"{'/'.join(spec.levels)} {text(raw)!r} is not an official name{near}"


@dataclass
class _Context:
    mapping: SourceMapping
    source_zone: ZoneInfo
    city_zone: ZoneInfo
    areas: _Areas
    fields: Mapping[str, str]
    specs: dict[str, ColumnSpec] = field(default_factory=dict)  # in evaluation order
    constants: dict[str, object] = field(default_factory=dict)  # templates filled
    # value -> canonical value (or the reason it has none) of the columns whose result
    # depends on the value alone (value maps, area joins without `within`)
    memo: dict[str, dict[object, object]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        m = self.mapping
        self.specs = {c.target: c for c in _ordered(m)}
        self.constants = {c: _constant(self, c, v) for c, v in m.constants.items()}
        pure = set(m.values) | {c for c, a in m.areas.items() if a.within is None}
        self.memo = {c: {} for c in pure if c not in m.units}


def load_mapping(path: Path, *, registry: Registry | None = None) -> SourceMapping:
    """Read and validate a mapping file; errors name the file and the line of the bad key."""
    return read_mapping(Path(path), registry)


def shipped_mappings() -> dict[str, Path]:
    """The mappings shipped with smartindex: name -> file."""
    return {p.stem: p for p in sorted(MAPPINGS_DIR.glob("*.toml"))}


def required_sources(mappings: Iterable[SourceMapping], registry: Registry) -> tuple[str, ...]:
    """Sources that must be loaded for the mapped frames to validate, in load order: each
    target and the tables its references point at (e.g. complaints -> region)."""
    need: set[str] = set()
    todo = [m.target for m in mappings]
    while todo:
        name = todo.pop()
        if name not in need:
            need.add(name)
            todo += [t for t, _ in registry.get(name).expect.references.values()]
    return tuple(s.name for s in registry.sources if s.name in need)


def _zone(mapping: SourceMapping, name: str, what: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise MappingError(mapping.path, f"unknown {what} time zone {name!r}") from None


def _label(c: ColumnSpec, rec: Record) -> str:
    if c.source in {RESHAPE_NAME, RESHAPE_VALUE}:
        return rec.wide_column or c.target
    return c.source


def _raw(mapping: SourceMapping, c: ColumnSpec, rec: Record, row: Mapping[str, object]) -> Any:
    for other, words in c.when.items():
        if row.get(other) not in words:
            return None
    value = rec.cells.get(c.source)
    if isinstance(value, str) and value.strip() in mapping.input.missing:
        return None
    if c.extract is not None and value is not None:
        m = c.extract.search(text(value))  # no match: the value is missing (like an empty cell)
        value = m.group(1).strip() if m else None
        return None if value in mapping.input.missing else value
    return value


def _factor(ctx: _Context, col: str, rec: Record) -> float:
    unit = ctx.mapping.units.get(col)
    if unit is None:
        return 1.0
    if unit.by is None:
        return unit.factor
    word = rec.cells.get(unit.by)
    factor = unit.factors.get(normalise_word(word if word is not None else ""))
    if factor is None:
        raise BadValueError(f"unit {word!r} in column {unit.by!r} has no factor in [units.{col}]")
    return factor


def _canonical(ctx: _Context, col: str, raw: object, rec: Record, row: dict[str, Any]) -> Any:
    """One raw value -> the canonical value of ``col`` (value map, area, unit, type)."""
    m = ctx.mapping
    typ = m.source.all_columns[col]
    if col in m.values:
        canon = m.values[col].get(normalise_word(text(raw)))
        if canon is None:
            raise BadValueError(f"unknown {col} word {text(raw)!r} (not in [values.{col}])")
        raw = canon
    if col in m.areas:
        parent_col = m.areas[col].within
        parent = row.get(parent_col) if parent_col else None
        code = ctx.areas.code(col, raw, parent)
        if code is None:
            reason = ctx.areas.miss(col, raw, rec.row, parent)
            if m.areas[col].on_unmatched == "reject":
                raise BadValueError(reason)
        return code
    if typ in TEMPORAL:
        moment = parse_datetime(raw, m.formats[col])
        if typ == "DATE":
            return (
                moment.date()
                if moment.tzinfo is None
                else local_time(moment, ctx.source_zone, ctx.city_zone).date()
            )
        return local_time(moment, ctx.source_zone, ctx.city_zone)
    value = convert(raw, typ, decimal=m.input.decimal, factor=_factor(ctx, col, rec))
    allowed = m.source.expect.in_set.get(col)
    if allowed is not None and value not in allowed:
        raise BadValueError(f"{value!r} is not a canonical {col} (map it in [values.{col}])")
    return value


def _memo(ctx: _Context, col: str, raw: Any, rec: Record, row: dict[str, Any]) -> Any:
    """:func:`_canonical`, remembered per value for columns that depend on the value alone
    (an unmatched area name is still recorded for every row it is on)."""
    memo = ctx.memo.get(col)
    if memo is None or isinstance(raw, bool) or not isinstance(raw, str | int | float):
        return _canonical(ctx, col, raw, rec, row)
    if raw not in memo:
        try:
            memo[raw] = _canonical(ctx, col, raw, rec, row)
        except BadValueError as exc:
            memo[raw] = _Failed(str(exc))
            raise
        return memo[raw]
    hit = memo[raw]
    if col in ctx.mapping.areas and (hit is None or isinstance(hit, _Failed)):
        return _canonical(ctx, col, raw, rec, row)  # records the row among the unmatched
    if isinstance(hit, _Failed):
        raise BadValueError(hit.reason)
    return hit


@dataclass(frozen=True)
class _Failed:
    """A remembered conversion failure."""

    reason: str


def _constant(ctx: _Context, col: str, value: object) -> object:
    if isinstance(value, str) and ctx.mapping.source.all_columns[col] == "VARCHAR":
        return _Template().format(value, **ctx.fields)
    return value


class _Template(string.Formatter):
    """``{field}`` and ``{field:year}`` (the first four-digit year in the field)."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec == "year":
            digits = next((w[:4] for w in str(value).split("-") if len(w) == 4), "")
            return digits if digits.isdigit() else ""
        return str(value)


def _ordered(m: SourceMapping) -> list[ColumnSpec]:
    """Columns without conditions first (``when`` and ``within`` read them)."""
    dependent = {c for c, a in m.areas.items() if a.within}
    specs = list(m.columns)
    if m.reshape is not None:
        specs += [
            ColumnSpec(m.reshape.name_to, RESHAPE_NAME),
            ColumnSpec(m.reshape.value_to, RESHAPE_VALUE),
        ]
    return sorted(specs, key=lambda c: bool(c.when) or c.target in dependent)


def _map_record(ctx: _Context, rec: Record) -> dict[str, Any]:
    m = ctx.mapping
    row: dict[str, Any] = dict(ctx.constants)
    specs = ctx.specs
    for c in specs.values():
        try:
            raw = _raw(m, c, rec, row)
            row[c.target] = None if raw is None else _memo(ctx, c.target, raw, rec, row)
        except BadValueError as exc:
            reason = str(exc)
            if c.target in m.source.pseudonymise:  # never quote personal data
                reason = f"the value of personal column {c.target} does not map (not shown)"
            raise _RejectedRecordError(_label(c, rec), rec.cells.get(c.source), reason) from None
    for col in m.required:
        if row.get(col) is None:
            spec = specs.get(col)
            label = _label(spec, rec) if spec else col
            raw = rec.cells.get(spec.source) if spec else None
            raise _RejectedRecordError(label, raw, f"{col} is required and {label!r} is empty")
    return row


def _metadata_fields(mapping: SourceMapping, meta: Path | None, data: Path) -> dict[str, str]:
    if mapping.metadata is None or meta is None:
        return {}
    try:
        doc = dig(read_json(meta), mapping.metadata.root)
    except KeyError as exc:
        raise DataFileError(meta, f"no key {exc.args[0]!r} on the metadata.root path") from None
    return {
        name: _meta_field(meta, doc, path, data) for name, path in mapping.metadata.fields.items()
    }


def _resource(meta: Path, items: object, data: Path) -> Any:
    """The resource of a CKAN package that describes ``data`` (by URL file name or name)."""
    if not isinstance(items, list) or not items:
        raise DataFileError(meta, "resources list is empty or not a list")
    if len(items) == 1:
        return items[0]
    for item in items:
        if isinstance(item, dict):
            url = str(item.get("url") or "").rsplit("/", 1)[-1]
            name = normalise_word(item.get("name") or "")
            if url == data.name or name in {normalise_word(data.name), normalise_word(data.stem)}:
                return item
    raise DataFileError(meta, f"no resource names or links to {data.name!r}")


def _meta_field(meta: Path, doc: Any, path: str, data: Path) -> str:
    for part in path.split("."):
        key = part.removesuffix("[]")
        if not isinstance(doc, dict) or key not in doc:
            raise DataFileError(meta, f"no field {path!r} (at {key!r}) that the mapping reads")
        doc = doc[key] if not part.endswith("[]") else _resource(meta, doc[key], data)
    return "" if doc is None else text(doc)


def _split_files(mapping: SourceMapping, files: Sequence[Path]) -> tuple[list[Path], Path | None]:
    meta = [
        f for f in files if mapping.metadata and fnmatch.fnmatch(f.name, mapping.metadata.pattern)
    ]
    data = [f for f in files if f not in meta]
    for f in data:
        if not fnmatch.fnmatch(f.name, mapping.input.pattern):
            raise DataFileError(
                f, f"does not match input.pattern {mapping.input.pattern!r} of {mapping.name}"
            )
    if mapping.metadata is not None and len(meta) != 1 and data:
        raise MappingError(
            mapping.path,
            f"needs exactly one metadata file matching {mapping.metadata.pattern!r}, "
            f"got {len(meta)}",
        )
    return data, meta[0] if meta else None


def _frame(rows: list[dict[str, Any]], mapping: SourceMapping) -> pd.DataFrame:
    cols = mapping.source.all_columns
    data = {c: pd.Series([r.get(c) for r in rows], dtype=DTYPES[t]) for c, t in cols.items()}
    return pd.DataFrame(data, columns=list(cols))


def apply_mapping(
    mapping: SourceMapping,
    files: Sequence[Path],
    areas: Mapping[str, str],
    timezone: str = "Asia/Jakarta",
) -> Mapped:
    """Map ``files`` onto ``mapping.target``. ``areas``: area code -> official name (kota,
    kecamatan and kelurahan of the city); ``timezone``: the city's zone (timestamps are
    stored naive in it). Files that cannot be read raise DataFileError (file, line, column)."""
    city = _zone(mapping, timezone, "city")
    source_zone = _zone(mapping, mapping.timezone, "source") if mapping.timezone else city
    data, meta = _split_files(mapping, [Path(f) for f in files])
    needed = [
        c.source for c in mapping.columns if c.source not in {RESHAPE_NAME, RESHAPE_VALUE}
    ] + [u.by for u in mapping.units.values() if u.by]
    looked_up = _Areas(areas, mapping.areas)
    rows: list[dict[str, Any]] = []
    rejected: list[dict[str, Any]] = []
    read = 0
    personal = set(mapping.source.pseudonymise)
    for path in data:
        records = read_records(path, mapping.input, needed, mapping.reshape)
        read += len(records)
        fields = {"file": path.name, **_metadata_fields(mapping, meta, path)}
        ctx = _Context(mapping, source_zone, city, looked_up, fields)
        for rec in records:
            try:
                rows.append(_map_record(ctx, rec))
            except _RejectedRecordError as r:
                hidden = r.column in personal or any(
                    c.source == r.column and c.target in personal for c in mapping.columns
                )
                value = None if r.value is None else text(r.value) or None
                rejected.append(
                    {
                        "file": rec.file,
                        "row": rec.row,
                        "column": r.column,
                        "value": PERSONAL_MASK if hidden and value else value,
                        "reason": r.reason,
                    }
                )
    unmatched = tuple(
        Unmatched(name, tuple(sorted(set(lines))), hint)
        for name, lines, hint in looked_up.misses.values()
    )
    return Mapped(
        target=mapping.target,
        frame=_frame(rows, mapping),
        rejected=pd.DataFrame(rejected, columns=REJECTED_COLUMNS).astype({"row": "int64"}),
        unmatched=unmatched,
        rows_read=read,
    )


def mapped_dtypes(mapping: SourceMapping) -> dict[str, str]:
    """The pandas dtype of every canonical column of ``mapping``'s frame."""
    return {c: DTYPES[t] for c, t in mapping.source.all_columns.items()}


def _cell_text(value: object, typ: str, decimal: str) -> str:
    """A canonical value as raw-file text (the ETL's CSV conventions)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if typ == "BOOLEAN":
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, float):
        return repr(float(value)).replace(".", decimal)
    return str(value)


def write_canonical(mapped: Mapped, path: Path, registry: Registry) -> Path:
    """Write ``mapped.frame`` as a raw CSV of its target the ETL loads as it is (the target's
    delimiter and decimal mark, ``true``/``false``, empty for null); returns ``path``."""
    source = registry.get(mapped.target)
    lines = [source.delimiter.join(source.all_columns)]
    quote = '"'
    for record in mapped.frame.itertuples(index=False):
        cells = [
            _cell_text(v, typ, source.decimal)
            for v, typ in zip(record, source.all_columns.values(), strict=True)
        ]
        lines.append(
            source.delimiter.join(
                quote + c.replace(quote, quote * 2) + quote if c else c for c in cells
            )
        )
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Path(path)
