"""Shareable state: every control lives in the URL and survives page and language switches.

``capture()`` runs first on every rerun (app.py): it remembers the URL the session was opened
with (a shared link) and re-assigns every tracked widget value, so Streamlit does not drop the
state of a widget that is not drawn on this run or whose label changed with the language.
A page declares a control with ``control(key, options, default)`` *before* drawing the widget
(no ``index=``/``value=`` on the widget), then ``publish(key)`` after it.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from smartindex.display import i18n

OPENED = "_url_opened"  # the query string the session was opened with
TRACKED = "_url_tracked"  # key -> True for multi-valued controls


def capture() -> None:
    """Remember the opening URL once; keep every tracked widget's value alive."""
    if OPENED not in st.session_state:
        st.session_state[OPENED] = {k: st.query_params.get_all(k) for k in st.query_params}
    for key in st.session_state.get(TRACKED, {}):
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def _from_url(raw: list[str] | None, options: Sequence[object], multi: bool) -> object:
    """The option(s) named by a URL parameter's values (None when it names none)."""
    if not raw:
        return None
    if multi:
        return [o for o in options if str(o) in raw]
    match = [o for o in options if str(o) == raw[-1]]
    return match[0] if match else None


def control(
    key: str, options: Sequence[object], default: object = None, *, multi: bool = False
) -> None:
    """Seed ``key`` from the opening URL (once) or ``default``; drop values not offered."""
    st.session_state.setdefault(TRACKED, {})[key] = multi
    fallback = (
        ([] if default is None else default)
        if multi
        else (options[0] if default is None and options else default)
    )
    if key not in st.session_state:
        seeded = _from_url(st.session_state.get(OPENED, {}).get(key), options, multi)
        st.session_state[key] = fallback if seeded is None else seeded
    value = st.session_state[key]
    if multi:
        kept = [o for o in options if o in list(value or [])]
        if kept != list(value or []):
            st.session_state[key] = kept
    elif value not in options:
        st.session_state[key] = fallback


def encode(value: object) -> str | list[str]:
    """A control's value as URL text (a list repeats the parameter: ``?p=a&p=b``)."""
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return "" if value is None else str(value)


def publish(*keys: str) -> None:
    """Write the current values of ``keys`` into the URL (empty values are left out)."""
    for key in keys:
        text = encode(st.session_state.get(key))
        if text:
            st.query_params[key] = text
        elif key in st.query_params:
            del st.query_params[key]


def language() -> str:
    """The language radio (sidebar, first: every other control is labelled in it); Bahasa
    Indonesia by default. Also captures the opening URL (:func:`capture`)."""
    capture()
    control("lang", list(i18n.LANGS), i18n.DEFAULT_LANG)
    lang = st.session_state["lang"]
    st.sidebar.radio(
        i18n.t("sidebar.lang", lang),
        i18n.LANGS,
        key="lang",
        horizontal=True,
        format_func=i18n.language_name,
    )
    return str(st.session_state["lang"])
