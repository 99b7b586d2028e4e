"""Shared fixtures for the engine tests: the ASEM example in long form, tiny frameworks."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from smartindex.engine import Framework, MethodSpec
from smartindex.engine.tables import read_data, read_framework

ROOT = Path(__file__).resolve().parents[2]
ASEM = ROOT / "data" / "examples" / "asem"
METHODS = ROOT / "data" / "examples" / "methods"


@pytest.fixture(scope="session")
def asem_spec():
    return read_framework(ASEM / "ASEM_iMeta.csv")


@pytest.fixture(scope="session")
def asem(asem_spec):
    return read_data(ASEM / "ASEM_iData.csv", asem_spec)


@pytest.fixture(scope="session")
def asem_panel(asem_spec):
    return read_data(ASEM / "ASEM_iData_p.csv", asem_spec)


@pytest.fixture(scope="session")
def coinr_method():
    return MethodSpec.from_toml(METHODS / "coinr_default.toml")


def tiny_framework(direction_b: int = 1) -> Framework:
    """Index <- (P1 <- a, b), (P2 <- c)."""
    return Framework.from_frame(
        pd.DataFrame(
            {
                "code": ["a", "b", "c", "P1", "P2", "IDX"],
                "name": ["A", "B", "C", "Pillar 1", "Pillar 2", "Index"],
                "parent": ["P1", "P1", "P2", "IDX", "IDX", None],
                "direction": [1, direction_b, 1, 1, 1, 1],
                "weight": [1, 1, 1, 1, 1, 1],
            }
        )
    )


def tiny_data() -> pd.DataFrame:
    """Four units, one year, three indicators."""
    rows = {
        "u1": (1.0, 10.0, 5.0),
        "u2": (2.0, 20.0, 4.0),
        "u3": (3.0, 40.0, 1.0),
        "u4": (4.0, 30.0, 2.0),
    }
    return pd.DataFrame(
        [
            {"unit": u, "year": 2020, "code": c, "value": v}
            for u, vals in rows.items()
            for c, v in zip("abc", vals, strict=True)
        ]
    )
