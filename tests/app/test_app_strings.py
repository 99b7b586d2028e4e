"""No page holds a literal user-facing string: every visible word comes from ``t(...)``, the
catalogue or the data.

The rule, precisely: in ``app.py`` and ``app_pages/*.py``, a *literal* is a string constant
(or the constant part of an f-string) that contains a letter. A literal is user-facing when it
is an argument of an output call, i.e.

- any positional argument of a call whose name is a Streamlit output or widget
  (``st.title(...)``, ``col.metric(...)``, ``st.column_config.TextColumn(...)``, see
  ``OUTPUT_CALLS``), or
- a keyword argument named like a label (``title=``, ``label=``, ``help=``, ``placeholder=``,
  ``page_title=``, ``value_title=``, ``y_title=``, ``caption=``) of any call.

Arguments are searched through f-strings, ``+``, ``a if c else b``, lists, tuples and dict
*values*, but not into nested calls: ``t("page.overview", lang)`` is a call, so its key is not
a literal, and ``", ".join(names)`` joins data. Punctuation without letters (``" · "``,
``"%"``) is allowed. Example violations it catches (see the test below)::

    st.subheader("Tren tahunan")
    st.metric(f"Skor {year}", value)
    common.chart(charts.trend_chart(frame, lang, title="Index"))
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "app.py", *sorted((ROOT / "app_pages").glob("*.py"))]
OUTPUT_CALLS = {
    "title",
    "header",
    "subheader",
    "markdown",
    "caption",
    "write",
    "text",
    "code",
    "latex",
    "info",
    "warning",
    "error",
    "success",
    "exception",
    "toast",
    "metric",
    "button",
    "download_button",
    "link_button",
    "page_link",
    "form_submit_button",
    "checkbox",
    "toggle",
    "radio",
    "selectbox",
    "multiselect",
    "select_slider",
    "slider",
    "text_input",
    "text_area",
    "number_input",
    "date_input",
    "time_input",
    "file_uploader",
    "color_picker",
    "expander",
    "tabs",
    "popover",
    "status",
    "spinner",
    "dialog",
}  # st.Page's positional is a script path; its label is title= (a label keyword)
LABEL_KEYWORDS = {
    "title",
    "label",
    "help",
    "placeholder",
    "page_title",
    "value_title",
    "y_title",
    "caption",
}


def _name(call: ast.Call) -> str:
    fn = call.func
    return fn.id if isinstance(fn, ast.Name) else getattr(fn, "attr", "")


def _literals(node: ast.AST) -> list[str]:
    """Letter-bearing constants in ``node``, not looking into nested calls or dict keys."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value] if any(ch.isalpha() for ch in node.value) else []
    if isinstance(node, ast.JoinedStr):
        return [x for v in node.values if isinstance(v, ast.Constant) for x in _literals(v)]
    children: list[ast.AST] = []
    if isinstance(node, ast.BinOp):
        children = [node.left, node.right]
    elif isinstance(node, ast.IfExp):
        children = [node.body, node.orelse]
    elif isinstance(node, ast.List | ast.Tuple | ast.Set):
        children = list(node.elts)
    elif isinstance(node, ast.Dict):
        children = list(node.values)
    return [x for child in children for x in _literals(child)]


def user_facing_literals(source: str) -> list[tuple[int, str]]:
    """``(line, text)`` of every user-facing literal in a page's source (rule: module doc)."""
    found = []
    for call in ast.walk(ast.parse(source)):
        if not isinstance(call, ast.Call):
            continue
        args = (
            list(call.args)
            if (_name(call) in OUTPUT_CALLS or _name(call).endswith("Column"))
            else []
        )
        args += [k.value for k in call.keywords if k.arg in LABEL_KEYWORDS]
        found += [(call.lineno, text) for arg in args for text in _literals(arg)]
    return sorted(found)


def test_checker_catches_the_documented_violations():
    bad = (
        'st.subheader("Tren tahunan")\n'
        'st.metric(f"Skor {year}", value)\n'
        'common.chart(charts.trend_chart(frame, lang, title="Index"))\n'
        'st.column_config.TextColumn("Name", width="large")\n'
        'st.radio(t("k", lang), ["Ya", "Tidak"])\n'
    )
    assert user_facing_literals(bad) == [
        (1, "Tren tahunan"),
        (2, "Skor "),
        (3, "Index"),
        (4, "Name"),
        (5, "Tidak"),
        (5, "Ya"),
    ]


def test_checker_allows_keys_data_and_punctuation():
    fine = (
        "st.title(f\"{t('page.peers', lang)} · {name} · {year}\")\n"
        'st.subheader(t("overview.dimensions", lang))\n'
        'st.markdown("  \\n".join(lines))\n'
        'st.metric(row["name"], format_number(x, lang))\n'
        'st.selectbox(t("k", lang), codes, key="dim", format_func=names.get)\n'
        'common.table(frame, lang, labels={"name": t("col.name", lang)})\n'
        'charts.ranked_bars(frame, lang, value_title="%")\n'
    )
    assert user_facing_literals(fine) == []


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_pages_hold_no_literal_user_facing_strings(path):
    assert user_facing_literals(path.read_text("utf-8")) == []
