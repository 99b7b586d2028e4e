"""Checks built from the registry, and GX runs that crash are reported, not taken as failures."""

from __future__ import annotations

import pandas as pd
import pytest

from smartindex.etl.registry import load_registry
from smartindex.etl.validate import Check, GxSession, ValidationCrashError, build_checks

REG = load_registry()


def test_bbox_added_to_every_lat_lon_source() -> None:
    with_coords = [s for s in REG.sources if {"lat", "lon"} <= set(s.all_columns)]
    assert len(with_coords) >= 6
    for s in with_coords:
        bbox = [c for c in build_checks(s, REG.bbox) if c.kind == "bbox"]
        assert [c.columns for c in bbox] == [("lat",), ("lon",)]
        assert all(c.where == s.bbox_when for c in bbox)
    region = [c for c in build_checks(REG.get("region"), REG.bbox) if c.kind == "bbox"]
    assert {c.where for c in region} == {"is_home_city"}


def test_primary_key_columns_are_not_null_checked() -> None:
    checks = build_checks(REG.get("targets"), REG.bbox)
    nn = {c.columns[0] for c in checks if c.kind == "not_null"}
    assert {"indicator_code", "kode_wilayah", "year"} <= nn


def test_gx_positions_of_failures() -> None:
    frame = pd.DataFrame({"x": [1.0, 7.0, None, 3.0], "y": [2.0, 1.0, 5.0, None]})
    got = GxSession().failures(
        frame,
        [
            Check("between", ("x",), {"min": 1, "max": 5}),
            Check("not_null", ("x",)),
            Check("order", ("x", "y")),
        ],
    )
    assert {c.kind: pos for c, pos in got} == {"between": [1], "not_null": [2], "order": [1]}


def test_crashed_metric_raises_instead_of_failing() -> None:
    frame = pd.DataFrame({"x": ["a", "b"]})
    with pytest.raises(ValidationCrashError, match="crashed"):
        GxSession().failures(frame, [Check("between", ("x",), {"min": 1, "max": 5})])


def test_stacked_checks_map_back_to_their_columns() -> None:
    """Same-kind, same-parameter checks run as one stacked expectation; every failing
    position still maps to its own check and row (here a frame with 3 not_null, 2 equal
    betweens, one other between and two order checks)."""
    frame = pd.DataFrame(
        {
            "a": [1.0, None, 3.0, 4.0],
            "b": [None, 2.0, 9.0, None],
            "c": [1.0, 2.0, 3.0, 0.0],
            "d": ["x", None, "y", "z"],
        }
    )
    checks = [
        Check("not_null", ("a",)),
        Check("not_null", ("b",)),
        Check("not_null", ("d",)),  # object dtype: a stack of its own (of one)
        Check("between", ("a",), {"min": 1, "max": 3}),
        Check("between", ("c",), {"min": 1, "max": 3}),
        Check("between", ("b",), {"min": 0, "max": 5}),
        Check("order", ("a", "c")),
        Check("order", ("b", "c")),  # stacked with the order check above (pairs stack too)
    ]
    got = {
        (c.kind, c.columns, tuple(c.params.items())): pos
        for c, pos in GxSession().failures(frame, checks)
    }
    alone = {
        (c.kind, c.columns, tuple(c.params.items())): pos
        for check in checks
        for c, pos in GxSession().failures(frame, [check])
    }
    assert got == alone
    assert got[("not_null", ("a",), ())] == [1]
    assert got[("not_null", ("b",), ())] == [0, 3]
    assert got[("between", ("a",), (("min", 1), ("max", 3)))] == [3]
    assert got[("between", ("c",), (("min", 1), ("max", 3)))] == [3]
    assert got[("between", ("b",), (("min", 0), ("max", 5)))] == [2]
    assert got[("order", ("a", "c"), ())] == [3]
    assert got[("order", ("b", "c"), ())] == [2]
