"""The first screen loads only what it shows; the other years are prepared between runs."""

from __future__ import annotations

import importlib
import subprocess
import sys
import threading
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def background(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """``app_pages.background`` (the app's directory on the path, as ``streamlit run`` has it)."""
    monkeypatch.syspath_prepend(str(ROOT))
    return importlib.import_module("app_pages.background")


def test_the_first_screen_imports_no_engine_and_no_scipy_stats() -> None:
    code = (
        "import sys\n"
        "import app_pages.common, app_pages.background\n"
        "print(sorted(m for m in ('smartindex.engine', 'scipy.stats', 'scipy.optimize')"
        " if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.splitlines()
    assert out[-1] == "[]"


def _plan(work: list) -> list[object]:
    return [
        "import"
        if step is not None and getattr(step, "func", None) is None
        else (step.keywords["year"], step.keywords["lang"])
        for step in work
    ]


def test_warm_up_prepares_the_other_language_and_the_neighbouring_years(
    background, scored_results
) -> None:
    r = scored_results
    first, last = r.years[0], r.latest_year
    plan = _plan(background.steps(r, "en", last))
    assert plan == [(last, "id")] * 2 + [(last - 1, "en")] * 2 + ["import"]  # card, recs
    mid = r.years[len(r.years) // 2]
    assert _plan(background.steps(r, "id", mid)) == [
        *[(mid, "en")] * 2,
        *[(mid - 1, "id")] * 2,
        "import",
        *[(mid + 1, "id")] * 2,
    ]
    assert _plan(background.steps(r, "id", first)) == [
        *[(first, "en")] * 2,
        "import",
        *[(first + 1, "id")] * 2,
    ]
    cities = {
        step.keywords["area_code"]
        for step in background.steps(r, "id", mid)
        if hasattr(step, "keywords")
    }
    assert cities == {r.city}


def test_a_warm_step_fills_the_memo_the_pages_read(background, scored_results) -> None:
    import dataclasses

    import pandas as pd

    from smartindex.analysis import recommend, scorecard

    r = dataclasses.replace(scored_results, memo={})
    year = r.latest_year - 1
    for step in background.steps(r, "en", year + 1)[2:4]:  # the year before, in English
        step()
    kept = len(r.memo)
    card = scorecard.scorecard(r, year=year, area_code=r.city, lang="en")
    recs = recommend.recommend(r, year=year, area_code=r.city, lang="en")
    assert len(r.memo) == kept  # nothing left to compute
    live = dataclasses.replace(scored_results, memo={})
    fresh = scorecard.scorecard(live, year=year, lang="en")
    pd.testing.assert_frame_equal(card.dimensions, fresh.dimensions)
    assert repr(card.overall) == repr(fresh.overall)
    assert recs == recommend.recommend(live, year=year, lang="en")


def test_warm_up_waits_while_a_script_runs(background) -> None:
    done = threading.Event()
    with background.script_running():
        worker = threading.Thread(target=background._run, args=([done.set],), daemon=True)
        worker.start()
        assert not done.wait(0.3)  # a page is being drawn: the warm-up does not start
    assert done.wait(10)  # the run ended: it goes on
    worker.join(10)


def test_a_failing_step_does_not_stop_the_warm_up(background) -> None:
    done = threading.Event()

    def fail() -> None:
        raise ValueError("boom")

    background._run([fail, done.set])
    assert done.is_set()
