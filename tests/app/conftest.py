"""App fixtures: the app runs on the real fixture warehouse (``scored_warehouse``: sample ->
ETL -> score, built once per session in tests/conftest.py); never on a hand-made one."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture
def app(scored_warehouse: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """The app after its first run (overview, Bahasa Indonesia) on the fixture warehouse."""
    monkeypatch.setenv("SMARTINDEX_DB", str(scored_warehouse))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception[0].value
    return at


@pytest.fixture(scope="session")
def scored_warehouse(request: pytest.FixtureRequest) -> Path:
    """The session's fixture warehouse, or an already built one named by
    ``SMARTINDEX_TEST_WAREHOUSE`` (the same sample -> ETL -> score build, made earlier with
    ``tests/conftest.py:build_scored_warehouse``; saves minutes when iterating on the app)."""
    import os

    built = os.environ.get("SMARTINDEX_TEST_WAREHOUSE")
    if built and Path(built).is_file():
        return Path(built)
    return Path(request.getfixturevalue("scored_warehouse"))  # the parent fixture
