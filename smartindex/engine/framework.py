"""The framework tree: indicators (leaves) grouped into aggregates up to one root.

A :class:`Framework` is an immutable, validated table with one row per element
(``code, name, parent, direction, weight, level, type`` plus optional
``denominator, target, goalpost_lo, goalpost_hi, unit``).  Levels count from the
leaves: indicators are level 1, an aggregate is one above its highest child.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from smartindex.errors import CatalogueError

REQUIRED = ("code", "name", "parent", "direction", "weight")
OPTIONAL = ("level", "type", "denominator", "target", "goalpost_lo", "goalpost_hi", "unit")
VIRTUAL_ROOT = "INDEX"
COINR_COLUMNS = {
    "iCode": "code",
    "iName": "name",
    "Parent": "parent",
    "Direction": "direction",
    "Weight": "weight",
    "Level": "level",
    "Type": "type",
    "Denominator": "denominator",
    "Target": "target",
    "Unit": "unit",
    "goalpost_lo": "goalpost_lo",
    "goalpost_hi": "goalpost_hi",
}


def _text(col: pd.Series) -> pd.Series:
    """Strip text cells; empty strings become missing."""
    out = col.astype("string").str.strip()
    return out.mask(out == "")


def _check_columns(frame: pd.DataFrame) -> None:
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise CatalogueError(f"framework table lacks column(s) {missing}; needs {list(REQUIRED)}")


def _check_codes(el: pd.DataFrame) -> None:
    if el["code"].isna().any():
        raise CatalogueError(
            f"framework row {int(np.flatnonzero(el['code'].isna())[0]) + 1} has no code"
        )
    dup = el["code"][el["code"].duplicated()]
    if len(dup):
        raise CatalogueError(f"duplicate framework code {dup.iloc[0]!r}")
    orphans = el[el["parent"].notna() & ~el["parent"].isin(el["code"])]
    if len(orphans):
        row = orphans.iloc[0]
        raise CatalogueError(f"element {row['code']!r} has unknown parent {row['parent']!r}")


def _check_numbers(el: pd.DataFrame) -> None:
    for col in ("direction", "weight"):
        num = pd.to_numeric(el[col], errors="coerce")
        bad = el["code"][num.isna()]
        if len(bad):
            raise CatalogueError(f"element {bad.iloc[0]!r}: {col} is missing or not a number")
    bad_dir = el["code"][~el["direction"].isin([1, -1])]
    if len(bad_dir):
        raise CatalogueError(f"element {bad_dir.iloc[0]!r}: direction must be +1 or -1")
    bad_w = el["code"][~(el["weight"] > 0)]
    if len(bad_w):
        raise CatalogueError(f"element {bad_w.iloc[0]!r}: weight must be > 0")


def _check_acyclic(parent: dict[str, str | None]) -> None:
    """Walk up from every code; a revisit means a cycle."""
    for start, first in parent.items():
        seen, node = {start}, first
        while node is not None:
            if node in seen:
                raise CatalogueError(f"element {start!r} is in a parent cycle via {node!r}")
            seen.add(node)
            node = parent.get(node)


def _compute_levels(el: pd.DataFrame) -> pd.Series:
    """Level 1 for leaves, else one above the highest child (bottom-up passes)."""
    level = pd.Series(1, index=el["code"].to_numpy())
    parent = el.set_index("code")["parent"]
    for _ in range(len(el)):
        child_lv = level[parent.notna().to_numpy()].groupby(parent.dropna().to_numpy()).max()
        new = level.copy()
        new[child_lv.index] = child_lv + 1
        if new.equals(level):
            break
        level = new
    return level


def _add_root(el: pd.DataFrame) -> pd.DataFrame:
    """Add a virtual root when several elements have no parent."""
    roots = el["parent"].isna()
    if roots.sum() == 1:
        return el
    if VIRTUAL_ROOT in set(el["code"]):
        raise CatalogueError(
            f"several roots, and code {VIRTUAL_ROOT!r} is taken for the virtual root"
        )
    el = el.copy()
    el.loc[roots, "parent"] = VIRTUAL_ROOT
    root = {
        "code": VIRTUAL_ROOT,
        "name": "Index",
        "parent": pd.NA,
        "direction": 1,
        "weight": 1.0,
        "type": "Aggregate",
    }
    return pd.concat([el, pd.DataFrame([root])], ignore_index=True)


def _normalise_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Coerce types, fill optional columns, add a root, compute levels and types."""
    _check_columns(frame)
    el = frame.copy()
    for col in OPTIONAL:
        if col not in el.columns:
            el[col] = np.nan
    for col in ("code", "name", "parent", "type", "denominator", "unit"):
        el[col] = _text(el[col])
    el["name"] = el["name"].fillna(el["code"])
    _check_codes(el)
    el["direction"] = pd.to_numeric(el["direction"], errors="coerce")
    el["weight"] = pd.to_numeric(el["weight"], errors="coerce")
    _check_numbers(el)
    _check_acyclic(
        dict(zip(el["code"], el["parent"].astype(object).where(el["parent"].notna()), strict=True))
    )
    el = _add_root(el)
    has_child = el["code"].isin(el["parent"].dropna())
    declared_leaf = el["type"].str.lower().eq("indicator").fillna(False) & has_child
    if declared_leaf.any():
        raise CatalogueError(
            f"indicator {el.loc[declared_leaf, 'code'].iloc[0]!r} has children; "
            "indicators must be leaves"
        )
    el["type"] = np.where(has_child, "Aggregate", "Indicator")
    el["level"] = _compute_levels(el).to_numpy()
    for col in ("target", "goalpost_lo", "goalpost_hi"):
        el[col] = pd.to_numeric(el[col], errors="coerce")
    el["direction"] = el["direction"].astype(int)
    el["weight"] = el["weight"].astype(float)
    return el[list(REQUIRED) + list(OPTIONAL)].reset_index(drop=True)


@dataclass(frozen=True)
class Framework:
    """A validated framework tree; build with :meth:`from_frame` or :meth:`from_coinr`."""

    elements: pd.DataFrame = field(repr=False)

    @classmethod
    def from_frame(cls, elements: pd.DataFrame) -> Framework:
        """Validate a generic element table (code, name, parent, direction, weight, ...)."""
        return cls(_normalise_table(elements))

    @classmethod
    def from_coinr(cls, imeta: pd.DataFrame) -> Framework:
        """Read a COINr ``iMeta`` table; Group/Denominator/Other rows are not tree elements."""
        if "iCode" not in imeta.columns or "Type" not in imeta.columns:
            raise CatalogueError("COINr iMeta needs columns iCode and Type")
        tree = imeta[imeta["Type"].isin(["Indicator", "Aggregate"])]
        renamed = tree.rename(columns=COINR_COLUMNS)
        keep = [c for c in renamed.columns if c in REQUIRED + OPTIONAL]
        return cls.from_frame(renamed[keep].drop(columns=["level", "type"], errors="ignore"))

    @cached_property
    def indicators(self) -> list[str]:
        """Leaf codes, in table order."""
        el = self.elements
        return el.loc[el["type"] == "Indicator", "code"].tolist()

    @cached_property
    def aggregates(self) -> list[str]:
        """Aggregate codes ordered bottom-up (by level, then table order)."""
        el = self.elements[self.elements["type"] == "Aggregate"]
        return el.sort_values("level", kind="stable")["code"].tolist()

    @cached_property
    def levels(self) -> list[int]:
        """Distinct levels, 1 (indicators) to the root's level."""
        return sorted(self.elements["level"].unique().tolist())

    @cached_property
    def root(self) -> str:
        """The single top element."""
        return str(self.elements.loc[self.elements["parent"].isna(), "code"].iloc[0])

    def column(self, name: str) -> pd.Series:
        """One column of the element table indexed by code."""
        return self.elements.set_index("code")[name]

    def children(self, code: str) -> list[str]:
        """Direct children of ``code`` in table order."""
        el = self.elements
        return el.loc[el["parent"] == code, "code"].tolist()

    def codes_at(self, level: int) -> list[str]:
        """Element codes at one level."""
        el = self.elements
        return el.loc[el["level"] == level, "code"].tolist()

    @cached_property
    def digest(self) -> str:
        """sha256 of the canonical (sorted, CSV) element table."""
        canon = self.elements.sort_values("code").to_csv(index=False, float_format="%.17g")
        return hashlib.sha256(canon.encode()).hexdigest()
