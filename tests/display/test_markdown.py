"""Issue 16 item 8: data strings shown by the app render literally, never as Markdown/HTML."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from smartindex.display.markdown import escape_markdown
from smartindex.warehouse.cities import use_city

APP = str(Path(__file__).resolve().parents[2] / "app.py")
IMAGE = "![x](http://127.0.0.1:9/a.png)"


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        (IMAGE, "\\!\\[x\\]\\(http\\://127.0.0.1\\:9/a.png\\)"),
        ("<img src=http://127.0.0.1:9/b.png>", "\\<img src=http\\://127.0.0.1\\:9/b.png\\>"),
        (
            "**bold** _it_ `code` ~~x~~ | a |",
            "\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\~\\~x\\~\\~ \\| a \\|",
        ),
        ("- a\n+ b\n> c\n2) d", "\\- a\n\\+ b\n\\> c\n2\\) d"),
        ("Ilir Barat II", "Ilir Barat II"),  # ordinary names are unchanged
        ("9/10 Ulu", "9/10 Ulu"),
        ("1.234,57", "1.234,57"),  # numbers are not list markers
        (None, ""),
    ],
)
def test_escape_markdown(text: object, escaped: str) -> None:
    assert escape_markdown(text) == escaped


def _markdown_texts(at: AppTest) -> list[str]:
    out: list[str] = []

    def walk(node: object) -> None:
        for child in getattr(node, "children", {}).values():
            if getattr(child, "type", "") in {
                "markdown",
                "title",
                "header",
                "subheader",
                "caption",
            }:
                out.append(str(child.value))
            walk(child)

    walk(at.main)
    return out


def test_hostile_region_name_is_shown_as_text_on_the_recommendations_page(
    scored_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The name reaches the warehouse only by going around the ETL (which quarantines it):
    the page must still not render it as an image the browser would fetch."""
    db = tmp_path / "warehouse.duckdb"
    shutil.copyfile(scored_warehouse, db)
    con = duckdb.connect(str(db))
    use_city(con, None)  # the warehouse's only city
    try:
        con.execute("UPDATE region SET name = ? WHERE kode_wilayah = '1671'", [IMAGE])
    finally:
        con.close()
    monkeypatch.setenv("SMARTINDEX_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page("app_pages/recommendations.py").run()
    assert not at.exception, at.exception[0].value if at.exception else ""
    shown = _markdown_texts(at)
    assert any(escape_markdown(IMAGE) in s for s in shown), shown[:3]
    assert not [s for s in shown if IMAGE in s]
