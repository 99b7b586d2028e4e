"""Deterministic injection of real-world defects, recorded for sample_manifest.json.

A *plan* maps a defect kind to (count, eligible-mask function, apply function). In-place kinds
edit chosen rows; duplicate kinds insert a copy right after the original (as a double submission
would). Row numbers in the manifest are 1-based data rows of the written file (header excluded,
so file line = row + 1).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from smartindex.errors import SmartIndexError
from smartindex.sample.common import BoolArray, IntArray

Apply = Callable[[pa.Table, IntArray, np.random.Generator], pa.Table]
Eligible = Callable[[pa.Table], BoolArray]
DUPLICATES = ("exact_duplicate", "duplicate_key")


@dataclass
class Kind:
    """One defect kind: how many, which rows qualify, how to break them."""

    count: int
    apply: Apply | None = None
    eligible: Eligible | None = None
    note: bool = False  # recorded but not a defect (e.g. formula-like text kept as text)


@dataclass
class Result:
    table: pa.Table
    defects: dict[str, dict[str, Any]] = field(default_factory=dict)
    notes: dict[str, dict[str, Any]] = field(default_factory=dict)


def counts(n: int, rate: float, kinds: list[str], minimum_rows: int = 40) -> dict[str, int]:
    """Per-kind counts: ``rate`` of n each (at least one) when the table is big enough."""
    if n < minimum_rows:
        return dict.fromkeys(kinds, 0)
    return {k: max(1, round(n * rate)) for k in kinds}


def set_cells(
    tbl: pa.Table, col: str, rows: IntArray, values: pa.Array | Sequence[object]
) -> pa.Table:
    """Replace tbl[col][rows] (rows sorted ascending) with values (nulls allowed)."""
    i = tbl.schema.get_field_index(col)
    column = tbl.column(i).combine_chunks()
    mask = np.zeros(len(column), dtype=bool)
    mask[rows] = True
    vals = values if isinstance(values, pa.Array) else pa.array(values, column.type)
    return tbl.set_column(
        i, col, pc.replace_with_mask(column, pa.array(mask), vals.cast(column.type))
    )


def set_null(col: str) -> Apply:
    return lambda t, rows, rng: set_cells(
        t, col, rows, pa.nulls(rows.size, t.schema.field(col).type)
    )


def not_null(col: str) -> Eligible:
    return lambda t: pc.is_valid(t.column(col)).to_numpy(zero_copy_only=False)


def future_year(col: str) -> Apply:
    """Typo in the year (2025 -> 2052): a date far in the future."""

    def apply(t: pa.Table, rows: IntArray, rng: np.random.Generator) -> pa.Table:
        v = t.column(col).combine_chunks().take(pa.array(rows)).to_numpy(zero_copy_only=False)
        unit = np.datetime_data(v.dtype)[0]
        years = v.astype("M8[Y]").astype(int) + 1970
        swapped = 2000 + (years % 10) * 10 + (years // 10) % 10
        target = np.where(swapped > years + 5, swapped, years + 40)
        out = v + ((target - years) * 365.25 * 86400).astype("m8[s]").astype(f"m8[{unit}]")
        return set_cells(t, col, rows, pa.array(out))

    return apply


def _pick(tbl: pa.Table, kinds: dict[str, Kind], rng: np.random.Generator) -> dict[str, IntArray]:
    used = np.zeros(tbl.num_rows, dtype=bool)
    chosen: dict[str, IntArray] = {}
    for name, k in kinds.items():
        ok = ~used if k.eligible is None else k.eligible(tbl) & ~used
        pool = np.flatnonzero(ok)
        take = min(k.count, pool.size)
        rows = np.sort(rng.choice(pool, take, replace=False)) if take else np.array([], int)
        used[rows] = True
        chosen[name] = rows
    return chosen


def inject(
    tbl: pa.Table, kinds: dict[str, Kind], rng: np.random.Generator, key: list[str]
) -> Result:
    """Apply ``kinds`` to ``tbl``; returns the new table and what was injected where."""
    chosen = _pick(tbl, kinds, rng)
    for name, k in kinds.items():
        if name not in DUPLICATES and k.apply is not None and chosen[name].size:
            tbl = k.apply(tbl, chosen[name], rng)
    n = tbl.num_rows
    src = [np.arange(n)]
    flag = [np.zeros(n, dtype=np.int64)]
    extra = []
    for j, name in enumerate(DUPLICATES, start=1):
        rows = chosen.get(name, np.array([], int))
        src.append(rows)
        flag.append(np.full(rows.size, j))
        copy = tbl.take(pa.array(rows))
        if name == "duplicate_key" and rows.size:
            copy = _apply_of(kinds[name], name)(copy, np.arange(rows.size), rng)
        extra.append(copy)
    order = np.lexsort((np.concatenate(flag), np.concatenate(src)))
    full = pa.concat_tables([tbl, *extra]).take(pa.array(order))
    pos = np.empty(order.size, dtype=np.int64)
    pos[order] = np.arange(order.size)
    out = Result(full)
    offset = n
    for name in DUPLICATES:
        rows = chosen.get(name, np.array([], int))
        if name in kinds:
            new = pos[offset : offset + rows.size]
            out.defects[name] = _entry(full, new, key) | {"original_rows": (pos[rows] + 1).tolist()}
        offset += rows.size
    for name, k in kinds.items():
        if name in DUPLICATES:
            continue
        target = out.notes if k.note else out.defects
        target[name] = _entry(full, pos[chosen[name]], key)
    return out


def _apply_of(kind: Kind, name: str) -> Apply:
    """The apply function of ``kind``; a kind that edits copied rows must have one."""
    if kind.apply is None:
        raise SmartIndexError(f"defect kind {name!r} needs an apply function")
    return kind.apply


def _entry(tbl: pa.Table, positions: IntArray, key: list[str]) -> dict[str, Any]:
    sub = tbl.take(pa.array(positions, pa.int64()))
    keys = [
        list(map(_plain, vals))
        for vals in zip(*(sub.column(c).to_pylist() for c in key), strict=True)
    ]
    return {
        "count": int(positions.size),
        "rows": (positions + 1).tolist(),
        "keys": [k[0] if len(k) == 1 else k for k in keys],
    }


def _plain(v: object) -> object:
    return v.isoformat() if hasattr(v, "isoformat") else v
