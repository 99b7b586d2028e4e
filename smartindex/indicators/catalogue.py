"""The indicator catalogue: parse and validate ``catalogue.toml`` into frozen dataclasses.

Every problem raises :class:`~smartindex.errors.CatalogueError` naming the offending entry.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise
from pathlib import Path
from typing import Any

import pandas as pd

from smartindex.errors import CatalogueError

DEFAULT_PATH = Path(__file__).with_name("catalogue.toml")
DIMENSIONS = ("economy", "people", "governance", "mobility", "environment", "living")
TIERS = ("core", "optional")
SOURCE_KINDS = ("service_records", "survey", "inventory", "official_statistics", "reported")
CONTRACT = ("area_code", "year", "value", "numerator", "denominator")
OPTIONAL_COLUMNS = ("n_obs", "n_valid", "official_share", "sources")
STANDARD_OPS = ("<=", ">=")
LIMIT_UNITS = ("working_days", "working_hours", "hours", "days")
ROOT = "INDEX"
ROOT_NAMES = (("id", "Indeks Kota Cerdas"), ("en", "Smart City Index"))
_CODE = re.compile(r"^[A-Z]{3}_[A-Z0-9_]+$")
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_TEXT = (
    "code",
    "name_id",
    "name_en",
    "description",
    "dimension",
    "factor",
    "unit_id",
    "unit_en",
    "tier",
    "target_reference",
    "source_kind",
)
_REQUIRED = (*_TEXT, "direction", "weight", "inputs")


@dataclass(frozen=True)
class Dimension:
    """One of Giffinger's six characteristics."""

    key: str
    prefix: str
    name_id: str
    name_en: str
    weight: float
    short_id: str = ""  # one-word label for narrow table headers (optional)
    short_en: str = ""


@dataclass(frozen=True)
class Factor:
    """A Giffinger factor inside one dimension."""

    key: str
    dimension: str
    name_id: str
    name_en: str
    weight: float


@dataclass(frozen=True)
class Macro:
    """A shared SQL helper created before the indicator queries run."""

    name: str
    sql: str
    description: str = ""


@dataclass(frozen=True)
class Band:
    """One grade of an official grading scale: ``lo <= value <= hi`` earns ``grade``."""

    lo: float
    hi: float
    grade: str
    label: str


@dataclass(frozen=True)
class TicketLimit:
    """A per-ticket time limit a standard sets (e.g. LAPOR! 3 working days)."""

    value: float
    unit: str


@dataclass(frozen=True)
class Indicator:
    """One catalogue entry: metadata plus the query that measures it."""

    code: str
    name_id: str
    name_en: str
    description: str
    dimension: str
    factor: str
    unit_id: str
    unit_en: str
    direction: int
    weight: float
    tier: str
    target_reference: str
    source_kind: str
    inputs: tuple[str, ...]
    sql: str
    standard: str = ""
    description_id: str = ""
    min_n: int | None = None
    goalposts: tuple[float, float] | None = None
    standard_value: float | None = None
    standard_op: str = ""
    standard_bands: tuple[Band, ...] = ()
    ticket_limit: TicketLimit | None = None

    def meets_standard(self, value: float) -> bool | None:
        """Whether ``value`` satisfies ``standard_value`` (None when there is none)."""
        if self.standard_value is None:
            return None
        if self.standard_op == "<=":
            return value <= self.standard_value
        return value >= self.standard_value

    def band(self, value: float) -> Band | None:
        """The grade of ``value`` on the indicator's official scale: the highest band whose
        lower bound ``value`` reaches (None below the scale or above its top)."""
        if not self.standard_bands or value > self.standard_bands[-1].hi:
            return None
        return next((b for b in reversed(self.standard_bands) if value >= b.lo), None)

    @property
    def unit(self) -> str:
        """The English unit (backward-compatible alias of ``unit_en``)."""
        return self.unit_en

    def unit_label(self, lang: str = "id") -> str:
        """The unit as printed after a value, in ``lang`` (``id`` or ``en``)."""
        return {"id": self.unit_id, "en": self.unit_en}.get(lang, self.unit_id)


@dataclass(frozen=True)
class Catalogue:
    """The validated catalogue; ``digest`` identifies its content."""

    version: str
    digest: str
    dimensions: tuple[Dimension, ...]
    factors: tuple[Factor, ...]
    indicators: tuple[Indicator, ...]
    macros: tuple[Macro, ...] = ()
    title: str = ""

    @property
    def codes(self) -> list[str]:
        """Indicator codes in catalogue order."""
        return [ind.code for ind in self.indicators]

    @cached_property
    def _names(self) -> dict[str, dict[str, str]]:
        elements: list[Dimension | Factor | Indicator] = [*self.dimensions, *self.factors]
        names = {getattr(e, "key", ""): {"id": e.name_id, "en": e.name_en} for e in elements}
        names.update({i.code: {"id": i.name_id, "en": i.name_en} for i in self.indicators})
        names[ROOT] = dict(ROOT_NAMES)
        return names

    def name(self, code: str, lang: str = "id") -> str:
        """Display name of any element (index, dimension, factor, indicator) in ``lang``;
        the catalogue is the only source of these names. Unknown codes echo the code."""
        names = self._names.get(code)
        return names.get(lang, names["id"]) if names else code

    def short_name(self, code: str, lang: str = "id") -> str:
        """One-word label of a dimension (``short_id`` / ``short_en``) in ``lang``; the full
        :meth:`name` when the catalogue gives none."""
        dim = next((d for d in self.dimensions if d.key == code), None)
        short = {"id": dim.short_id, "en": dim.short_en}.get(lang, "") if dim else ""
        return short or self.name(code, lang)

    def indicator(self, code: str) -> Indicator:
        """The indicator with ``code``."""
        for ind in self.indicators:
            if ind.code == code:
                return ind
        raise CatalogueError(f"indicator {code!r} is not in the catalogue")

    def for_dimension(self, key: str) -> tuple[Indicator, ...]:
        """Indicators of one dimension, in catalogue order."""
        if key not in {d.key for d in self.dimensions}:
            raise CatalogueError(f"unknown dimension {key!r}; known: {list(DIMENSIONS)}")
        return tuple(ind for ind in self.indicators if ind.dimension == key)

    def to_framework_frame(self) -> pd.DataFrame:
        """Element table for the engine: index → dimensions → factors → indicators."""
        return framework_frame(self)


def _need(entry: Mapping[str, Any], keys: tuple[str, ...], where: str) -> None:
    missing = [k for k in keys if k not in entry or entry[k] in ("", None)]
    if missing:
        raise CatalogueError(f"{where}: missing {', '.join(missing)}")


def _weight(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise CatalogueError(f"{where}: weight must be a number > 0, got {value!r}")
    return float(value)


def _dimensions(raw: Mapping[str, Any]) -> tuple[Dimension, ...]:
    out = []
    for key, entry in raw.items():
        where = f"dimension {key!r}"
        if key not in DIMENSIONS:
            raise CatalogueError(f"{where}: not one of the six dimensions {list(DIMENSIONS)}")
        _need(entry, ("prefix", "name_id", "name_en"), where)
        out.append(
            Dimension(
                key,
                entry["prefix"],
                entry["name_id"],
                entry["name_en"],
                _weight(entry.get("weight", 1.0), where),
                str(entry.get("short_id", "")),
                str(entry.get("short_en", "")),
            )
        )
    return tuple(out)


def _factors(raw: Mapping[str, Any], dims: set[str]) -> tuple[Factor, ...]:
    out = []
    for key, entry in raw.items():
        where = f"factor {key!r}"
        _need(entry, ("dimension", "name_id", "name_en"), where)
        if not _KEY.match(key) or key in dims or key == ROOT:
            raise CatalogueError(f"{where}: key must be lower snake case and not a dimension")
        if entry["dimension"] not in dims:
            raise CatalogueError(f"{where}: unknown dimension {entry['dimension']!r}")
        out.append(
            Factor(
                key,
                entry["dimension"],
                entry["name_id"],
                entry["name_en"],
                _weight(entry.get("weight", 1.0), where),
            )
        )
    return tuple(out)


def _macros(raw: list[Mapping[str, Any]]) -> tuple[Macro, ...]:
    out, seen = [], set()
    for entry in raw:
        where = f"macro {entry.get('name', '?')!r}"
        _need(entry, ("name", "sql"), where)
        if entry["name"] in seen:
            raise CatalogueError(f"{where}: duplicate name")
        if not entry["sql"].lstrip().lower().startswith("create"):
            raise CatalogueError(f"{where}: sql must be a 'create ... macro' statement")
        seen.add(entry["name"])
        out.append(Macro(entry["name"], entry["sql"].strip(), entry.get("description", "")))
    return tuple(out)


def _check_indicator(
    entry: Mapping[str, Any], dims: Mapping[str, Dimension], factor_dim: Mapping[str, str]
) -> None:
    code = entry["code"]
    where = f"indicator {code}"
    if bad := [k for k in _TEXT if not isinstance(entry[k], str) or not entry[k].strip()]:
        raise CatalogueError(f"{where}: {', '.join(bad)} must be non-empty text")
    if not _CODE.match(code):
        raise CatalogueError(f"{where}: code must look like ECO_SOMETHING")
    if entry["dimension"] not in dims:
        raise CatalogueError(f"{where}: unknown dimension {entry['dimension']!r}")
    if not code.startswith(dims[entry["dimension"]].prefix + "_"):
        raise CatalogueError(
            f"{where}: code prefix does not match dimension "
            f"{entry['dimension']!r} ({dims[entry['dimension']].prefix}_)"
        )
    if entry["factor"] not in factor_dim:
        raise CatalogueError(f"{where}: unknown factor {entry['factor']!r}")
    if factor_dim[entry["factor"]] != entry["dimension"]:
        raise CatalogueError(
            f"{where}: factor {entry['factor']!r} belongs to "
            f"{factor_dim[entry['factor']]!r}, not {entry['dimension']!r}"
        )
    if entry["direction"] not in (1, -1) or isinstance(entry["direction"], bool):
        raise CatalogueError(f"{where}: direction must be +1 or -1")
    if entry["tier"] not in TIERS:
        raise CatalogueError(f"{where}: tier must be one of {list(TIERS)}")
    if entry["source_kind"] not in SOURCE_KINDS:
        raise CatalogueError(f"{where}: source_kind must be one of {list(SOURCE_KINDS)}")
    bad = [t for t in entry["inputs"] if not isinstance(t, str) or not _KEY.match(t)]
    if not isinstance(entry["inputs"], list) or bad:
        raise CatalogueError(f"{where}: inputs must be a list of table names")


def _options(entry: Mapping[str, Any], where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "min_n" in entry:
        if not isinstance(entry["min_n"], int) or entry["min_n"] < 1:
            raise CatalogueError(f"{where}: min_n must be a positive integer")
        out["min_n"] = entry["min_n"]
    if "goalposts" in entry:
        gp = entry["goalposts"]
        if not (isinstance(gp, list) and len(gp) == 2 and gp[0] < gp[1]):
            raise CatalogueError(f"{where}: goalposts must be [lo, hi] with lo < hi")
        out["goalposts"] = (float(gp[0]), float(gp[1]))
    return out | _standard(entry, where)


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _bands(raw: object, where: str) -> tuple[Band, ...]:
    ok = (
        isinstance(raw, list)
        and raw
        and all(
            isinstance(b, list)
            and len(b) == 4
            and _number(b[0])
            and _number(b[1])
            and b[0] <= b[1]
            and isinstance(b[2], str)
            and isinstance(b[3], str)
            for b in raw
        )
    )
    if not ok or not isinstance(raw, list):
        raise CatalogueError(f"{where}: standard_bands must be [[lo, hi, grade, label], ...]")
    bands = tuple(Band(float(b[0]), float(b[1]), b[2], b[3]) for b in sorted(raw))
    if any(a.hi >= b.lo for a, b in pairwise(bands)):
        raise CatalogueError(f"{where}: standard_bands overlap")
    return bands


def _standard(entry: Mapping[str, Any], where: str) -> dict[str, Any]:
    """standard_value / standard_op, standard_bands and ticket_limit, validated."""
    out: dict[str, Any] = {}
    if "standard_value" in entry or "standard_op" in entry:
        value, op = entry.get("standard_value"), entry.get("standard_op")
        if not _number(value) or op not in STANDARD_OPS:
            raise CatalogueError(
                f"{where}: standard_value needs a number and standard_op "
                f"one of {list(STANDARD_OPS)}"
            )
        out |= {"standard_value": float(value or 0.0), "standard_op": op}
    if "standard_bands" in entry:
        out["standard_bands"] = _bands(entry["standard_bands"], where)
    if "ticket_limit" in entry:
        lim = entry["ticket_limit"]
        if not (
            isinstance(lim, dict) and _number(lim.get("value")) and lim.get("unit") in LIMIT_UNITS
        ):
            raise CatalogueError(
                f"{where}: ticket_limit must be {{ value = n, unit = one of {list(LIMIT_UNITS)} }}"
            )
        out["ticket_limit"] = TicketLimit(float(lim["value"]), lim["unit"])
    if out and not str(entry.get("standard", "")).strip():
        raise CatalogueError(
            f"{where}: standard_value, standard_bands and ticket_limit need "
            "the `standard` they come from"
        )
    return out


def sql_path(base: Path, dimension: str, code: str) -> Path:
    """Where an indicator's query lives: ``<base>/<dimension>/<code in lower case>.sql``."""
    return base / dimension / f"{code.lower()}.sql"


def _sql(entry: Mapping[str, Any], base: Path | None, where: str) -> str:
    """The indicator's query: inline ``sql`` or its file next to the catalogue."""
    if "sql" in entry:
        text = entry["sql"]
    elif base is None:
        raise CatalogueError(f"{where}: no sql (inline, or a file next to a catalogue file)")
    else:
        path = sql_path(base, str(entry["dimension"]), str(entry["code"]))
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise CatalogueError(f"{where}: query file {path} not found") from None
    if not isinstance(text, str) or not text.strip():
        raise CatalogueError(f"{where}: sql is empty")
    return text.strip()


def _indicators(
    raw: list[Mapping[str, Any]],
    dims: Mapping[str, Dimension],
    factors: tuple[Factor, ...],
    base: Path | None,
) -> tuple[Indicator, ...]:
    factor_dim = {f.key: f.dimension for f in factors}
    out, seen = [], set()
    for n, entry in enumerate(raw, start=1):
        where = f"indicator {entry.get('code') or f'#{n}'}"
        if "unit" in entry:
            raise CatalogueError(
                f"{where}: 'unit' is replaced by unit_id (Bahasa Indonesia) and unit_en (English)"
            )
        _need(entry, _REQUIRED, where)
        if entry["code"] in seen:
            raise CatalogueError(f"{where}: duplicate code")
        seen.add(entry["code"])
        _check_indicator(entry, dims, factor_dim)
        out.append(
            Indicator(
                **{k: entry[k] for k in _TEXT},
                direction=int(entry["direction"]),
                weight=_weight(entry["weight"], where),
                inputs=tuple(entry["inputs"]),
                sql=_sql(entry, base, where),
                standard=entry.get("standard", ""),
                description_id=entry.get("description_id", ""),
                **_options(entry, where),
            )
        )
    return tuple(out)


def content_digest(data: Mapping[str, Any]) -> str:
    """sha256 of the canonical JSON form of parsed catalogue content."""
    canon = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canon.encode()).hexdigest()


def catalogue_from_dict(data: Mapping[str, Any], base: Path | None = None) -> Catalogue:
    """Validate parsed catalogue content (the structure of ``catalogue.toml``); queries not
    given inline are read from ``base/<dimension>/<code>.sql``."""
    if not isinstance(data.get("version"), str):
        raise CatalogueError("catalogue: missing version (a string)")
    dims = _dimensions(data.get("dimensions", {}))
    if not dims:
        raise CatalogueError("catalogue: no [dimensions]")
    factors = _factors(data.get("factors", {}), {d.key for d in dims})
    indicators = _indicators(data.get("indicator", []), {d.key: d for d in dims}, factors, base)
    if not indicators:
        raise CatalogueError("catalogue: no [[indicator]] entries")
    digest = content_digest({**data, "queries": {i.code: i.sql for i in indicators}})
    return Catalogue(
        version=data["version"],
        digest=digest,
        dimensions=dims,
        factors=factors,
        indicators=indicators,
        macros=_macros(data.get("macro", [])),
        title=data.get("title", ""),
    )


def load_catalogue(path: Path | str | None = None) -> Catalogue:
    """Read and validate a catalogue file (default: the packaged ``catalogue.toml``)."""
    path = Path(path) if path is not None else DEFAULT_PATH
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CatalogueError(f"{path}: catalogue file not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"{path}: not valid TOML ({exc})") from exc
    return catalogue_from_dict(data, path.parent)


def framework_frame(cat: Catalogue) -> pd.DataFrame:
    """Rows for the root, the dimensions, the factors that have indicators, the indicators."""
    used = {ind.factor for ind in cat.indicators} | {ind.dimension for ind in cat.indicators}
    root_names = dict(ROOT_NAMES)
    root = [
        (
            ROOT,
            root_names["en"],
            root_names["id"],
            root_names["en"],
            None,
            1,
            1.0,
            4,
            "Aggregate",
            None,
            None,
            None,
        )
    ]
    dims = [
        (
            d.key,
            d.name_en,
            d.name_id,
            d.name_en,
            ROOT,
            1,
            d.weight,
            3,
            "Aggregate",
            None,
            None,
            None,
        )
        for d in cat.dimensions
        if d.key in used
    ]
    facs = [
        (
            f.key,
            f.name_en,
            f.name_id,
            f.name_en,
            f.dimension,
            1,
            f.weight,
            2,
            "Aggregate",
            None,
            None,
            None,
        )
        for f in cat.factors
        if f.key in used
    ]
    inds = [
        (
            i.code,
            i.name_en,
            i.name_id,
            i.name_en,
            i.factor,
            i.direction,
            i.weight,
            1,
            "Indicator",
            i.unit_en,
            *(i.goalposts or (None, None)),
        )
        for i in cat.indicators
    ]
    cols = [
        "code",
        "name",
        "name_id",
        "name_en",
        "parent",
        "direction",
        "weight",
        "level",
        "type",
        "unit",
        "goalpost_lo",
        "goalpost_hi",
    ]
    frame = pd.DataFrame(root + dims + facs + inds, columns=cols)
    frame["goalpost_lo"] = frame["goalpost_lo"].astype(float)
    frame["goalpost_hi"] = frame["goalpost_hi"].astype(float)
    return frame
