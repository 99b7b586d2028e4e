from __future__ import annotations

import re

import pandas as pd
import pytest
from conftest import tiny_framework

from smartindex.engine import Framework
from smartindex.errors import CatalogueError


def _frame(**over):
    base = {
        "code": ["a", "b", "P"],
        "name": ["A", "B", "P"],
        "parent": ["P", "P", None],
        "direction": [1, -1, 1],
        "weight": [1.0, 2.0, 1.0],
    }
    base.update(over)
    return pd.DataFrame(base)


def test_tree_accessors():
    fw = tiny_framework()
    assert fw.indicators == ["a", "b", "c"]
    assert fw.levels == [1, 2, 3]
    assert fw.root == "IDX"
    assert fw.children("P1") == ["a", "b"]
    assert fw.aggregates == ["P1", "P2", "IDX"]
    assert len(fw.digest) == 64


def test_digest_is_content_based():
    assert tiny_framework().digest == tiny_framework().digest
    assert tiny_framework().digest != tiny_framework(direction_b=-1).digest


def test_virtual_root_added_for_several_roots():
    fw = Framework.from_frame(_frame(parent=["P", None, None]))
    assert fw.root == "INDEX"
    assert sorted(fw.children("INDEX")) == ["P", "b"]


@pytest.mark.parametrize(
    ("over", "needle"),
    [
        ({"code": ["a", "a", "P"]}, "duplicate framework code 'a'"),
        ({"parent": ["P", "Q", None]}, "'b' has unknown parent 'Q'"),
        ({"direction": [1, 0, 1]}, "'b': direction must be +1 or -1"),
        ({"weight": [1.0, 0.0, 1.0]}, "'b': weight must be > 0"),
        ({"weight": [1.0, "x", 1.0]}, "'b': weight is missing or not a number"),
    ],
)
def test_bad_frameworks_name_the_entry(over, needle):
    with pytest.raises(CatalogueError, match=re.escape(needle)):
        Framework.from_frame(_frame(**over))


def test_cycle_is_named():
    frame = pd.DataFrame(
        {
            "code": ["a", "P", "Q"],
            "name": ["a", "P", "Q"],
            "parent": ["P", "Q", "P"],
            "direction": 1,
            "weight": 1,
        }
    )
    with pytest.raises(CatalogueError, match="cycle"):
        Framework.from_frame(frame)


def test_indicator_with_children_rejected():
    frame = _frame(type=["Indicator", "Indicator", "Indicator"])
    with pytest.raises(CatalogueError, match="'a' has parent 'P', which is an Indicator"):
        Framework.from_frame(frame)


def test_missing_column():
    with pytest.raises(CatalogueError, match="lacks column"):
        Framework.from_frame(_frame().drop(columns="weight"))


def test_from_coinr_asem(asem_spec):
    fw = asem_spec.framework
    assert len(fw.indicators) == 49
    assert len(fw.codes_at(2)) == 8 and len(fw.codes_at(3)) == 2
    assert fw.root == "Index" and fw.levels == [1, 2, 3, 4]
    assert set(asem_spec.denominators) == {"Area", "Energy", "GDP", "Population"}
    assert fw.column("denominator").notna().sum() == 17
