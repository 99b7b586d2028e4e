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


COINR_TYPES = ("Indicator", "Aggregate", "Group", "Denominator", "Other")


def _check_coinr_parents(imeta: pd.DataFrame, kind: pd.Series, tree: pd.DataFrame) -> None:
    """A tree element's parent must be an Aggregate row, not a Group/Denominator/Other."""
    kind_of = dict(zip(imeta["iCode"].astype(str), kind, strict=True))
    for code, par in zip(tree["iCode"], tree["Parent"], strict=True):
        if pd.isna(par) or str(par).strip() == "":
            continue
        ptype = kind_of.get(str(par).strip())
        if ptype is not None and ptype not in ("Indicator", "Aggregate"):
            raise CatalogueError(
                f"element {code!r} has parent {par!r}, which is a {ptype} row, not an aggregate"
            )


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


def _cycle_from(start: str, parent: dict[str, str | None]) -> list[str] | None:
    """The cycle reached by walking up from ``start`` (its members in walk order), if any."""
    path: list[str] = [start]
    node = parent.get(start)
    while node is not None:
        if node in path:
            return path[path.index(node) :]
        path.append(node)
        node = parent.get(node)
    return None


def _check_acyclic(parent: dict[str, str | None]) -> None:
    """Walk up from every code; a revisit means a cycle, named by all its members."""
    for start in parent:
        cycle = _cycle_from(start, parent)
        if cycle:
            loop = " -> ".join([*cycle, cycle[0]])
            raise CatalogueError(f"parent cycle among elements {sorted(cycle)}: {loop}")


def _check_types(el: pd.DataFrame) -> None:
    """Declared types must agree with the tree: indicators are leaves, aggregates are not."""
    declared = el["type"].str.lower().fillna("")
    kind = dict(zip(el["code"], declared, strict=True))
    for code, par in zip(el["code"], el["parent"], strict=True):
        if pd.notna(par) and kind.get(str(par)) == "indicator":
            raise CatalogueError(
                f"element {code!r} has parent {par!r}, which is an Indicator; "
                "only aggregates can have children"
            )
    has_child = el["code"].isin(el["parent"].dropna())
    empty = el.loc[declared.eq("aggregate") & ~has_child, "code"]
    if len(empty):
        raise CatalogueError(f"aggregate {empty.iloc[0]!r} has no children")


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
    _check_types(el)
    _check_acyclic(
        dict(zip(el["code"], el["parent"].astype(object).where(el["parent"].notna()), strict=True))
    )
    el = _add_root(el)
    has_child = el["code"].isin(el["parent"].dropna())
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
        """Read a COINr ``iMeta`` table, honouring its ``Type`` column.

        Indicator rows must be leaves and Aggregate rows must have children; Group,
        Denominator and Other rows are not tree elements, so naming one as a parent is
        an error.
        """
        if "iCode" not in imeta.columns or "Type" not in imeta.columns:
            raise CatalogueError("COINr iMeta needs columns iCode and Type")
        kind = imeta["Type"].astype("string").str.strip()
        unknown = sorted(set(kind.dropna()) - set(COINR_TYPES))
        if unknown or kind.isna().any():
            bad = unknown[0] if unknown else "(empty)"
            raise CatalogueError(f"iMeta Type {bad!r} is not one of {', '.join(COINR_TYPES)}")
        tree = imeta[kind.isin(["Indicator", "Aggregate"]).to_numpy()]
        _check_coinr_parents(imeta, kind, tree)
        renamed = tree.rename(columns=COINR_COLUMNS)
        keep = [c for c in renamed.columns if c in REQUIRED + OPTIONAL]
        return cls.from_frame(renamed[keep].drop(columns=["level"], errors="ignore"))

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

    @cached_property
    def _by_code(self) -> pd.DataFrame:
        return self.elements.set_index("code")

    def column(self, name: str) -> pd.Series:
        """One column of the element table indexed by code (a copy: safe to modify)."""
        return self._by_code[name].copy()

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
