"""Administrative boundaries for maps: read and validate a GeoJSON file, publish ``region_shapes``.

The file is a FeatureCollection of kelurahan (or kecamatan) polygons in WGS84 lon/lat. Its
top-level members ``source``, ``licence`` and ``attribution`` travel with every row, so maps can
print the attribution the licence requires. Each feature needs ``properties.name``, a code
(``kode_kelurahan`` or ``kode_kecamatan``) and ``kode_bps_kecamatan``: the BPS code of its
kecamatan, which must be a kecamatan of the warehouse's ``region`` table.

Table ``region_shapes``: kode_wilayah, level, name, parent_kode, geometry (GeoJSON text), source,
licence, attribution, sha256. Problems are one line naming the file and the feature; the ETL turns
them into report warnings (maps then show no shapes), never into a failed load.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from smartindex.errors import DataFileError, SmartIndexError
from smartindex.warehouse.cities import cities_in, use_city
from smartindex.warehouse.connection import connect, table_exists

TABLE = "region_shapes"
COLUMNS = (
    "kode_wilayah",
    "level",
    "name",
    "parent_kode",
    "geometry",
    "source",
    "licence",
    "attribution",
    "sha256",
)
POLYGONS = ("Polygon", "MultiPolygon")
Bbox = Mapping[str, tuple[float, float]]


@dataclass(frozen=True)
class BoundaryPlan:
    """Whether the boundary file must be (re)published, and warnings for the ETL report."""

    due: bool
    notes: tuple[str, ...] = ()


def _feature_error(path: Path, i: int, feature: object, message: str) -> DataFileError:
    props = feature.get("properties") if isinstance(feature, dict) else None
    name = props.get("name") if isinstance(props, dict) else None
    label = f"feature {i + 1}" + (f" ({name})" if name else "")
    return DataFileError(path, f"{label}: {message}")


def _polygons(geometry: Mapping[str, Any]) -> list[Any]:
    coords = geometry.get("coordinates")
    if not isinstance(coords, list) or not coords:
        raise ValueError("geometry has no coordinates")
    return [coords] if geometry["type"] == "Polygon" else coords


def _check_ring(ring: object, bbox: Bbox) -> None:
    if not isinstance(ring, list) or len(ring) < 4:
        raise ValueError("a ring needs at least 4 positions")
    for pos in ring:
        if not (
            isinstance(pos, list)
            and len(pos) >= 2
            and all(isinstance(c, int | float) for c in pos[:2])
        ):
            raise ValueError(f"position {pos!r} is not [lon, lat]")
        for axis, value in (("lon", pos[0]), ("lat", pos[1])):
            lo, hi = bbox.get(axis, (-1e9, 1e9))
            if not lo <= value <= hi:
                raise ValueError(f"{axis} {value} outside the city's box [{lo}, {hi}]")
    if ring[0] != ring[-1]:
        raise ValueError("ring not closed (first and last positions differ)")


def _row(feature: object, bbox: Bbox) -> dict[str, str]:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise ValueError("not a GeoJSON Feature")
    props, geometry = feature.get("properties"), feature.get("geometry")
    if not isinstance(props, dict):
        raise ValueError("no properties")
    if not isinstance(geometry, dict) or geometry.get("type") not in POLYGONS:
        raise ValueError("geometry must be a Polygon or MultiPolygon")
    for polygon in _polygons(geometry):
        if not isinstance(polygon, list) or not polygon:
            raise ValueError("empty polygon")
        for ring in polygon:
            _check_ring(ring, bbox)
    level = "kelurahan" if props.get("kode_kelurahan") else "kecamatan"
    code, name = props.get(f"kode_{level}"), props.get("name")
    parent = props.get("kode_bps_kecamatan")
    for key, value in (("name", name), (f"kode_{level}", code), ("kode_bps_kecamatan", parent)):
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"property {key!r} missing or empty")
    return {
        "kode_wilayah": str(code),
        "level": level,
        "name": str(name),
        "parent_kode": str(parent),
        "geometry": json.dumps(geometry, separators=(",", ":")),
    }


def _member(path: Path, doc: Mapping[str, Any], key: str) -> str:
    value = doc.get(key)
    if not isinstance(value, str) or not value.strip():
        raise DataFileError(path, f"FeatureCollection member {key!r} missing (licence text)")
    return value


def read_boundaries(path: Path | str, bbox: Bbox) -> pd.DataFrame:
    """The file's features as rows of ``COLUMNS`` (pure reading and validation).

    Raises ``DataFileError`` (one line naming the file and the feature) for unreadable JSON, a
    document that is not a FeatureCollection, missing licence members, non-polygon geometry,
    open rings, positions outside ``bbox`` (``{"lat": (lo, hi), "lon": (lo, hi)}``) or a
    duplicated code."""
    path = Path(path)
    try:
        raw = path.read_bytes()
        doc = json.loads(raw)
    except OSError as exc:
        raise DataFileError(path, f"cannot read ({exc.strerror or exc})") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataFileError(path, f"not valid JSON ({str(exc).splitlines()[0]})") from exc
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise DataFileError(path, "not a GeoJSON FeatureCollection")
    features = doc.get("features")
    if not isinstance(features, list) or not features:
        raise DataFileError(path, "FeatureCollection has no features")
    meta = {key: _member(path, doc, key) for key in ("source", "licence", "attribution")}
    rows = []
    for i, feature in enumerate(features):
        try:
            rows.append(_row(feature, bbox))
        except ValueError as exc:
            raise _feature_error(path, i, feature, str(exc)) from exc
    frame = pd.DataFrame(rows).assign(**meta, sha256=hashlib.sha256(raw).hexdigest())
    dup = frame.loc[frame["kode_wilayah"].duplicated(), "kode_wilayah"]
    if len(dup):
        raise DataFileError(path, f"code {dup.iloc[0]!r} appears more than once")
    return frame[list(COLUMNS)]


def check_codes(shapes: pd.DataFrame, kecamatan: Sequence[str], path: Path | str) -> None:
    """Every shape's ``parent_kode`` must be one of ``kecamatan`` (the region table's codes)."""
    known = set(kecamatan)
    bad = shapes.loc[~shapes["parent_kode"].isin(known)]
    if len(bad):
        first = bad.iloc[0]
        raise DataFileError(
            path,
            f"{first['level']} {first['kode_wilayah']} ({first['name']}): "
            f"kecamatan code {first['parent_kode']!r} is not in the region table "
            f"({len(bad)} feature(s) in all)",
        )


def _region_kecamatan(con: duckdb.DuckDBPyConnection) -> list[str]:
    if not table_exists(con, "region"):
        return []
    rows = con.execute("select kode_wilayah from region where level = 'kecamatan'").fetchall()
    return [str(r[0]) for r in rows]


def _missing_note(path: Path) -> str:
    return f"{path}: boundary file not found; maps will show no shapes"


def _not_loaded(exc: Exception) -> str:
    return f"{str(exc).splitlines()[0]}; boundaries not loaded"


def _stored_sha(con: duckdb.DuckDBPyConnection) -> str | None:
    if not table_exists(con, TABLE):
        return None
    row = con.execute(f"select any_value(sha256) from {TABLE}").fetchone()
    return None if row is None or row[0] is None else str(row[0])


def plan_boundaries(db_path: Path, path: Path, bbox: Bbox, city: str | None = None) -> BoundaryPlan:
    """Due when the file exists, differs from what the warehouse holds and (for an existing
    warehouse) validates against its region table; notes explain why a file is not used."""
    if not path.is_file():
        return BoundaryPlan(False, (_missing_note(path),))
    if not db_path.exists():
        return BoundaryPlan(True)
    try:
        shapes = read_boundaries(path, bbox)
        with connect(db_path, read_only=True, choose=False) as con:
            if city is not None and city not in cities_in(con):
                return BoundaryPlan(True)  # a new city: its region table is loaded first
            use_city(con, city)
            if _stored_sha(con) == shapes["sha256"].iloc[0]:
                return BoundaryPlan(False)
            check_codes(shapes, _region_kecamatan(con), path)
    except (SmartIndexError, duckdb.Error) as exc:
        return BoundaryPlan(False, (_not_loaded(exc),))
    return BoundaryPlan(True)


def load_boundaries(con: duckdb.DuckDBPyConnection, path: Path, bbox: Bbox) -> list[str]:
    """Validate ``path`` against ``con``'s region table and replace ``region_shapes`` with it;
    returns warning lines (the table is left as it was when the file is missing or invalid)."""
    if not path.is_file():
        return [_missing_note(path)]
    try:
        shapes = read_boundaries(path, bbox)
        check_codes(shapes, _region_kecamatan(con), path)
    except SmartIndexError as exc:
        return [_not_loaded(exc)]
    con.register("_shapes", shapes)
    try:
        con.execute(f"create or replace table {TABLE} as select * from _shapes")
    finally:
        con.unregister("_shapes")
    return []
