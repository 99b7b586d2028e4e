"""The app's only data access: cached, read-only loaders and the shared sidebar state.

Loaders are keyed by the warehouse path and its modification time, so a rebuilt warehouse
is picked up on the next rerun.  The warehouse path comes from ``Settings.from_env()``
(``SMARTINDEX_DB``).  Pages call these loaders and the library; they compute nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar, cast

import altair as alt
import pandas as pd
import streamlit as st

from app_pages import background, state
from smartindex.analysis import districts
from smartindex.analysis import recommend as analysis_recommend
from smartindex.analysis import scorecard as analysis_scorecard
from smartindex.analysis.scorecard import Scorecard
from smartindex.config import Settings
from smartindex.display import export, i18n
from smartindex.display import labels as views
from smartindex.display import status as status_words
from smartindex.display.status import RecView
from smartindex.errors import WarehouseError
from smartindex.scoring.results import Results, load_results, stored_city_names

QUERY_KEYS = ("lang", "home", "year", "city", "kec")  # the sidebar; pages add theirs
P = ParamSpec("P")
T = TypeVar("T")


@dataclass(frozen=True)
class View:
    """What the sidebar selected."""

    lang: str
    year: int
    city: str
    kecamatan: str | None

    @property
    def area_code(self) -> str:
        """The area_code the scorecard pages describe (a kecamatan when one is chosen)."""
        return self.kecamatan or self.city


def db_key() -> tuple[str, float, str]:
    """(warehouse path, mtime, city code): the cache key of every loader."""
    path = Settings.from_env().db_path
    mtime = path.stat().st_mtime if path.exists() else 0.0
    return str(path), mtime, str(st.session_state.get("home") or "")


@st.cache_data(show_spinner=False, max_entries=4)
def _held(path: str, mtime: float) -> dict[str, str]:
    return stored_city_names(path) if mtime else {}


def home(lang: str) -> None:
    """The city whose data the app shows (``home`` in the URL; default: the one ``smartindex
    app --city`` names, else the first); a sidebar choice when the warehouse holds several."""
    held = _held(*db_key()[:2])
    state.control("home", list(held), Settings.from_env().city_code if held else None)
    if len(held) > 1:
        label, tip = i18n.t("sidebar.home", lang), i18n.t("sidebar.home_help", lang)
        st.sidebar.selectbox(label, [*held], key="home", format_func=held.get, help=tip)


@st.cache_resource(show_spinner=False)
def warehouse(path: str, mtime: float) -> Path:
    """The warehouse file, checked once per version (the app never writes to it)."""
    if not mtime or not Path(path).is_file():
        raise WarehouseError(f"{path}: warehouse not found")
    return Path(path)


@st.cache_resource(show_spinner=False, max_entries=4)
def _results(path: str, mtime: float, city: str) -> Results:
    """One shared read-only Results per warehouse version and city (app.py warms its memo once
    the first screen is drawn: :func:`app_pages.background.warm`)."""
    return load_results(warehouse(path, mtime), city=city or None)


def results() -> Results:
    """The latest scoring run's results (cached per warehouse version)."""
    return _results(*db_key())


def results_or_stop(lang: str) -> Results:
    """Results, or a friendly message with the build command and a stopped script."""
    try:
        res = results()
        res.latest_year  # noqa: B018 - raises WarehouseError when there is nothing to show
        return res
    except Exception as exc:  # the UI boundary: a message, never a traceback
        st.title(i18n.t("app.title", lang))
        st.error(i18n.t("warehouse.missing", lang, reason=str(exc).splitlines()[0]))
        st.stop()
        raise


_LIBRARY: dict[str, Callable[..., object]] = {}


@st.cache_data(show_spinner=False, max_entries=128)
def _on_results(
    name: str, key: tuple[str, float, str], args: tuple[object, ...], kwargs: dict[str, object]
) -> object:
    return _LIBRARY[name](_results(*key), *args, **kwargs)


def on_results(fn: Callable[Concatenate[Results, P], T]) -> Callable[P, T]:
    """``fn(results, …)`` as a cached call on the current results: ``on_results(f)(year=…)``.
    Typed (a renamed library function fails at import time) and cached per warehouse
    version and arguments."""
    name = f"{fn.__module__}.{fn.__qualname__}"
    _LIBRARY[name] = fn

    def call(*args: P.args, **kwargs: P.kwargs) -> T:
        return cast(T, _on_results(name, db_key(), args, dict(kwargs)))

    return call


_scorecard = on_results(analysis_scorecard.scorecard)
score_block = on_results(analysis_scorecard.score_block)
district_table = on_results(analysis_scorecard.district_table)
inequality_table = on_results(analysis_scorecard.inequality_table)
peer_table = on_results(analysis_scorecard.peer_table)
peer_areas = on_results(analysis_scorecard.peer_areas)
trend_series = on_results(analysis_scorecard.trend_series)
_recommend = on_results(analysis_recommend.recommend)


def scorecard(*, year: int, area_code: str | None = None, lang: str) -> Scorecard:
    """The scorecard of ``area_code`` with grade words, headlines and the scale note in ``lang``."""
    return status_words.localise_scorecard(
        _scorecard(year=year, area_code=area_code, lang=lang), lang
    )


def recommend(*, year: int, lang: str, area_code: str | None = None) -> list[RecView]:
    """Ranked recommendations for ``area_code`` (default: the home city) in words."""
    return status_words.localise_recommendations(
        _recommend(year=year, lang=lang, area_code=area_code), lang
    )


rescore = on_results(background.rescore)  # the engine loads with the page that uses it
headline = on_results(analysis_scorecard.headline)
explain_change = on_results(background.explain_change)
catalogue_table = on_results(analysis_scorecard.catalogue_table)
element_names = on_results(analysis_scorecard.element_names)
inequality_history = on_results(views.inequality_history)
access = on_results(districts.access_table)
district_map_frame = on_results(districts.district_map_values)


def sidebar(res: Results, lang: str) -> View:
    """Year, city and kecamatan selectors; the selection is mirrored into the URL."""
    years = res.years[::-1]
    cities = [
        res.city,
        *sorted(
            u for u in res.regions.loc[res.regions["level"] == "kota", "area_code"] if u != res.city
        ),
    ]
    kec = res.regions.loc[
        (res.regions["level"] == "kecamatan") & (res.regions["parent"] == res.city)
    ].sort_values("name")["area_code"]
    state.control("year", years, years[0])
    state.control("city", cities, res.city)
    state.control("kec", ["", *kec], "")
    side = st.sidebar
    side.selectbox(i18n.t("sidebar.year", lang), years, key="year")
    side.selectbox(i18n.t("sidebar.city", lang), cities, key="city", format_func=res.area_name)
    home = st.session_state["city"] == res.city
    side.selectbox(
        i18n.t("sidebar.kecamatan", lang),
        ["", *kec],
        key="kec",
        disabled=not home,
        format_func=lambda u: res.area_name(u) if u else i18n.t("sidebar.all_kecamatan", lang),
    )
    side.caption(i18n.t("sidebar.run", lang, run=res.manifest.get("run_id", "?")))
    view = View(
        lang,
        int(st.session_state["year"]),
        str(st.session_state["city"]),
        (st.session_state["kec"] or None) if home else None,
    )
    st.query_params.from_dict(
        {
            "lang": view.lang,
            **({"home": res.city} if st.session_state.get("home") else {}),
            "year": str(view.year),
            "city": view.city,
            **({"kec": view.kecamatan} if view.kecamatan else {}),
        }
    )
    return view


def view() -> View:
    """The current selection (set by ``sidebar`` in app.py before the page runs)."""
    home = st.session_state.get("city") == results().city
    return View(
        str(st.session_state["lang"]),
        int(st.session_state["year"]),
        str(st.session_state["city"]),
        (st.session_state.get("kec") or None) if home else None,
    )


def table(frame: pd.DataFrame, lang: str, *, download: str = "", **kwargs: object) -> object:
    """A read-only table whose numbers read in ``lang`` and still sort numerically
    (``kwargs``: :func:`smartindex.display.labels.display_table` keywords, plus
    ``column_config``); ``download`` names it (``downloads.<name>``) and puts CSV and XLSX
    buttons of the unformatted frame under it."""
    if frame.empty:  # Streamlit's own placeholder says "empty" in every language
        return st.caption(i18n.t("warehouse.no_data", lang))
    config = kwargs.pop("column_config", None)
    shown = st.dataframe(
        views.display_table(frame, lang, **kwargs),  # type: ignore[arg-type]
        hide_index=True,
        width="stretch",
        column_config=config,
    )
    if download:
        downloads(frame, download, lang, formats=("csv", "xlsx"))
    return shown


def delta(text: str) -> str:  # Streamlit reads only "-" (not "−") as a fall
    return "-" + text[1:] if text.startswith("−") else text


def chart(figure: alt.TopLevelMixin) -> None:
    """Render an Altair chart at its own size (the size the PDF report uses too); no height
    is forced, so legends below the plot are never clipped."""
    st.altair_chart(figure, width="content")


@st.cache_data(show_spinner=False, max_entries=32)
def _export(frame: pd.DataFrame, fmt: str, about: tuple[tuple[str, str], ...] = ()) -> bytes:
    return (
        export.to_xlsx(frame, about=dict(about))
        if fmt == "xlsx"
        else export.export_bytes(frame, fmt)
    )


def downloads(
    frame: pd.DataFrame,
    name: str,
    lang: str,
    *,
    formats: tuple[str, ...] = ("csv", "xlsx", "parquet"),
    stem: str = "",
) -> None:
    """One button per format (neutralised; XLSX with a codebook; file name with ``stem`` and
    the language); bytes are made only on click (a deferred callable): the page opens fast."""
    about = (("language", lang), *((("view", stem),) if stem else ()))
    for col, fmt in zip(st.columns(len(formats)), formats, strict=True):
        col.download_button(
            f"{i18n.t(f'downloads.{name}', lang)} · {fmt.upper()}",
            data=partial(_export, frame, fmt, about),
            mime=export.MIME[fmt],
            file_name=f"{'-'.join(x for x in (name, stem, lang) if x)}.{fmt}",
            key=f"dl-{name}-{fmt}",
            on_click="ignore",
        )
