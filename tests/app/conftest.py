"""App fixtures: the warehouse the app tests run on.

``app_warehouse`` is the lead's real fixture ``scored_warehouse`` (sample -> ETL -> score) once
the sample generator is importable; until then it is the crafted warehouse of
``crafted_warehouse.py`` (real engine and catalogue, hand-made values); a failing real
build is reported as a warning and the crafted warehouse is used.
"""

from __future__ import annotations

import importlib
import sys
import warnings
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


def _sample_ready() -> bool:
    try:
        return hasattr(importlib.import_module("smartindex.sample"), "write_sample")
    except ImportError:
        return False


@pytest.fixture(scope="session")
def app_warehouse(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                  ) -> Path:
    """Path of the warehouse the app reads in tests (read-only)."""
    if _sample_ready():
        try:
            return request.getfixturevalue("scored_warehouse")
        except Exception as exc:  # the pipeline is still being built: say so, keep testing
            warnings.warn(f"scored_warehouse failed ({str(exc).splitlines()[0]}); the app "
                          "tests use the crafted warehouse", stacklevel=1)
    from crafted_warehouse import build_crafted

    return build_crafted(tmp_path_factory.mktemp("crafted") / "warehouse.duckdb")
