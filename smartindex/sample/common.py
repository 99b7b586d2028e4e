"""Shared helpers of the sample generator: random streams, time arithmetic, Arrow building."""

from __future__ import annotations

import tomllib
import zlib
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import cast, overload

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from smartindex.indicators.calendar import holiday_rows

GENERATOR = "smartindex sample generator v1"
SYN = f"synthetic: {GENERATOR}"
BBOX_LAT = (-3.12, -2.84)
BBOX_LON = (104.60, 104.92)
WORK_START_H, WORK_END_H = 8, 16
HOUR = np.timedelta64(3600, "s")

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]
TimeArray = NDArray[np.datetime64]  # datetime64[s] or [D]


@dataclass(frozen=True)
class Spec:
    """What one generator run needs: scale, seed and the inclusive year range."""

    scale: float
    seed: int
    first: int
    last: int

    @property
    def years(self) -> range:
        return range(self.first, self.last + 1)


def stream(seed: int, *key: object) -> np.random.Generator:
    """Independent random stream for (seed, key…): files never share draw order."""
    words = [zlib.crc32(str(k).encode()) for k in key]
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=tuple(words)))


@cache
def registry_columns() -> dict[str, list[str]]:
    """Column order of every raw source as declared in smartindex/etl/sources.toml."""
    text = resources.files("smartindex.etl").joinpath("sources.toml").read_text("utf-8")
    reg = tomllib.loads(text)
    return {s["name"]: list(s["columns"]) for s in reg["source"]}


@cache
def holidays() -> TimeArray:
    """National holidays and cuti bersama (datetime64[D]) from the project calendar."""
    return np.array(sorted({r[0] for r in holiday_rows()}), dtype="M8[D]")


def to_working_time(t: TimeArray) -> TimeArray:
    """Move each timestamp forward to the next working moment (08–16 WIB, working days)."""
    day = t.astype("M8[D]")
    tod = (t - day).astype(np.int64)
    late = tod >= WORK_END_H * 3600
    rolled = np.busday_offset(day, 0, roll="forward", holidays=holidays())
    bump = ((rolled == day) & late).astype(np.int64)
    nxt = np.busday_offset(rolled, bump, roll="forward", holidays=holidays())
    start = nxt.astype("M8[s]") + np.timedelta64(WORK_START_H * 3600, "s")
    same = (nxt == day) & ~late
    return np.where(same & (tod > WORK_START_H * 3600), t, start)


def add_working_hours(t: TimeArray, hours: FloatArray) -> TimeArray:
    """t + a duration in working hours (vectorised; NaT stays NaT)."""
    nat = np.isnat(t)
    t0 = to_working_time(np.where(nat, np.datetime64("2020-01-06T08:00:00"), t))
    day = t0.astype("M8[D]")
    span = (WORK_END_H - WORK_START_H) * 3600
    total = (
        (t0 - day).astype(np.int64) - WORK_START_H * 3600 + np.round(hours * 3600).astype(np.int64)
    )
    days, rem = np.divmod(total, span)
    out_day = np.busday_offset(day, days, roll="forward", holidays=holidays())
    out = out_day.astype("M8[s]") + (rem + WORK_START_H * 3600).astype("m8[s]")
    return np.where(nat, np.datetime64("NaT", "s"), out)


def lognormal(
    rng: np.random.Generator, median: FloatArray | float, sigma: float, n: int
) -> FloatArray:
    """Log-normal draws with the given median (long right tail)."""
    return cast(FloatArray, np.asarray(median) * np.exp(sigma * rng.standard_normal(n)))


def year_dates(rng: np.random.Generator, year: int, month: IntArray) -> TimeArray:
    """Uniform random second within the given months of ``year`` (datetime64[s])."""
    m0 = (np.datetime64(f"{year}-01", "M") + (month - 1)).astype("M8[D]")
    m1 = (np.datetime64(f"{year}-01", "M") + month).astype("M8[D]")
    secs = ((m1 - m0).astype(np.int64) * 86400 * rng.random(month.size)).astype(np.int64)
    return cast(TimeArray, m0.astype("M8[s]") + secs.astype("m8[s]"))


def jitter(
    rng: np.random.Generator, lat: FloatArray, lon: FloatArray, sd: FloatArray | float
) -> tuple[FloatArray, FloatArray]:
    """Gaussian jitter (degrees) kept inside the city bounding box; 6 decimals."""
    la = np.clip(lat + sd * rng.standard_normal(lat.size), BBOX_LAT[0] + 0.005, BBOX_LAT[1] - 0.005)
    lo = np.clip(lon + sd * rng.standard_normal(lon.size), BBOX_LON[0] + 0.005, BBOX_LON[1] - 0.005)
    return np.round(la, 6), np.round(lo, 6)


@overload
def ramp(year: int, y0: int, v0: float, y1: int, v1: float) -> float: ...
@overload
def ramp(year: IntArray, y0: int, v0: float, y1: int, v1: float) -> FloatArray: ...
def ramp(year: int | IntArray, y0: int, v0: float, y1: int, v1: float) -> float | FloatArray:
    """Linear path from (y0, v0) to (y1, v1), flat outside."""
    return np.interp(year, [y0, y1], [v0, v1])


# ---------------------------------------------------------------- Arrow builders
def arr(values: NDArray[np.generic], type_: pa.DataType | None = None) -> pa.Array:
    """Arrow array from numpy; NaN/NaT become null."""
    values = np.asarray(values)
    mask = None
    if values.dtype.kind == "M":
        mask = np.isnat(values)
    elif values.dtype.kind == "f":
        mask = np.isnan(values)
    if mask is not None and not mask.any():
        mask = None
    return pa.array(values, type=type_, mask=mask)


def pick(labels: list[str] | NDArray[np.str_], idx: IntArray) -> pa.Array:
    """labels[idx] as an Arrow string array (idx < 0 gives null)."""
    table = pa.array(list(labels), pa.string())
    ids = pa.array(np.asarray(idx, dtype=np.int64), mask=np.asarray(idx) < 0)
    return table.take(ids)


def padded(numbers: IntArray, width: int) -> pa.Array:
    """Zero-padded decimal strings."""
    s = pc.cast(pa.array(np.asarray(numbers, dtype=np.int64)), pa.string())
    return pc.utf8_lpad(s, width=width, padding="0")


def concat(*parts: pa.Array | str) -> pa.Array:
    """Element-wise string concatenation of Arrow arrays and literals (null propagates)."""
    n = next(len(p) for p in parts if not isinstance(p, str))
    cols = [pa.array([p] * n, pa.string()) if isinstance(p, str) else p for p in parts]
    return pc.binary_join_element_wise(*cols, "")


def dates(values: list[str | None]) -> pa.Array:
    """ISO date strings (None allowed) as an Arrow date32 array."""
    return pa.array([None if v is None else date.fromisoformat(v) for v in values], pa.date32())


def const(value: object, n: int, type_: pa.DataType | None = None) -> pa.Array:
    """A constant column (string unless ``type_`` is given)."""
    type_ = type_ or pa.string()
    return pa.array([value] * n, type_) if n < 1000 else pa.repeat(pa.scalar(value, type_), n)


def table(name: str, cols: dict[str, pa.Array | NDArray[np.generic]]) -> pa.Table:
    """Arrow table with the registry's column order for source ``name``."""
    order = registry_columns()[name]
    missing = [c for c in order if c not in cols]
    if missing:
        raise KeyError(f"{name}: generator lacks columns {missing}")
    data = [
        c if isinstance(c, pa.Array | pa.ChunkedArray) else arr(c) for c in (cols[k] for k in order)
    ]
    return pa.Table.from_arrays(data, names=order)
