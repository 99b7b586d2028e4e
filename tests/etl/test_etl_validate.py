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
