"""Fixtures over the crafted frames of :mod:`crafted`."""

from __future__ import annotations

import pandas as pd
import pytest
from crafted import make_results, meta_frame

from smartindex.scoring.results import Results


@pytest.fixture
def meta() -> pd.DataFrame:
    return meta_frame()


@pytest.fixture
def results() -> Results:
    return make_results()
