"""What the app does after the first screen is drawn, and the library parts loaded late.

* ``explain_change`` and ``rescore`` live with the engine (and scipy); they are imported on
  first use, so the first screen never waits for them.
* ``warm(results, lang, year)`` starts, once per results, language and year shown, a thread
  that imports them and fills the library's memo (``Results.memoised``) with the home city's
  scorecard and recommendations of the year before and after, and of this year in the other
  language: a step to a neighbouring year or a language switch then only draws.  It works
  only between script runs (``script_running`` marks them) and only a few seconds' worth, so
  clicks and the browser's drawing keep the CPU.  Values are the library's own: the pages
  compute them the same way when asked first.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import TYPE_CHECKING, Any

from smartindex.analysis import recommend, scorecard
from smartindex.config import LANGS
from smartindex.scoring.results import Results

if TYPE_CHECKING:
    from smartindex.analysis.change import Change

_IDLE = threading.Condition()
_running = [0]  # scripts running now (every session)
_started: set[tuple[int, str, int]] = set()  # (id(results), language, year) warmed
_log = logging.getLogger(__name__)


def explain_change(results: Results, **kwargs: Any) -> Change:
    """:func:`smartindex.analysis.change.explain_change`, imported on first use."""
    from smartindex.analysis import change  # noqa: PLC0415 - engine and scipy, loaded late

    return change.explain_change(results, **kwargs)


def rescore(results: Results, **kwargs: Any) -> Any:
    """:func:`smartindex.analysis.whatif.rescore`, imported on first use."""
    from smartindex.analysis import whatif  # noqa: PLC0415 - engine and scipy, loaded late

    return whatif.rescore(results, **kwargs)


@contextmanager
def script_running() -> Iterator[None]:
    """Mark a script run: the warm-up thread waits until none is running."""
    with _IDLE:
        _running[0] += 1
    try:
        yield
    finally:
        with _IDLE:
            _running[0] -= 1
            _IDLE.notify_all()


def _import_late() -> None:
    from smartindex.analysis import change, whatif  # noqa: F401, PLC0415 - for later pages


def steps(results: Results, lang: str, year: int) -> list[Callable[[], object]]:
    """The warm-up after ``year`` in ``lang`` is drawn, in small steps: the home city's
    scorecard and recommendations of this year in the other language (cheap: the status model
    is shared), of the year before, then the late imports and the year after."""
    other = [(year, x) for x in LANGS if x != lang]
    before = [(y, lang) for y in (year - 1,) if y in results.years]
    after = [(y, lang) for y in (year + 1,) if y in results.years]
    return [
        *(step for y, x in (*other, *before) for step in _view(results, y, x)),
        _import_late,
        *(step for y, x in after for step in _view(results, y, x)),
    ]


def _view(results: Results, year: int, lang: str) -> list[Callable[[], object]]:
    """One overview's library values (scorecard, recommendations), computed into the memo."""
    args = {"year": year, "area_code": results.city, "lang": lang}
    return [
        partial(scorecard.scorecard, results, **args),
        partial(recommend.recommend, results, **args),
    ]


def _run(work: list[Callable[[], object]]) -> None:
    for step in work:
        with _IDLE:
            _IDLE.wait_for(lambda: _running[0] == 0)
        try:
            step()
        except Exception:  # the page computes it again and shows the error where it belongs
            _log.log(logging.WARNING, "warm-up step failed", exc_info=True)


def warm(results: Results, lang: str, year: int) -> None:
    """Start the warm-up for ``results`` in ``lang`` around ``year`` (the one on screen; once)."""
    key = (id(results), lang, year)
    with _IDLE:
        if key in _started:
            return
        _started.add(key)
    work = steps(results, lang, year)
    threading.Thread(target=_run, args=(work,), daemon=True, name="smartindex-warm").start()
