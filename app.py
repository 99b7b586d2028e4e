"""smartindex dashboard: the frame shared by every page (config, sidebar, navigation).

Run from the repository root: ``streamlit run app.py`` (reads ``SMARTINDEX_DB``, default
``data/warehouse.duckdb``, read-only).  Each page is a short script in ``app_pages/``.
"""

from __future__ import annotations

import streamlit as st

from app_pages import background, common, state
from smartindex.display.i18n import t

PAGES = (  # (file, title key); no icons: Streamlit fetches material icons from the web
    ("overview", "page.overview"),
    ("dimension", "page.dimension"),
    ("districts", "page.districts"),
    ("peers", "page.peers"),
    ("trends", "page.trends"),
    ("change", "page.change"),
    ("recommendations", "page.recommendations"),
    ("method", "page.method"),
    ("quality", "page.quality"),
    ("operations", "page.operations"),
    ("downloads", "page.downloads"),
)
# Phone layout (390 px): a chart wider than the screen scrolls inside its own box instead of
# being cut off or widening the page; headline numbers shrink to fit. Print view (the browser's
# Print, or Streamlit's menu > Print): only the page's content, full width, blocks unbroken.
SCREEN_CSS = """<style>
[data-testid="stVegaLiteChart"], [data-testid="stFullScreenFrame"] {max-width: 100%;
  overflow-x: auto;}
@media (max-width: 640px) {[data-testid="stMetricValue"] {font-size: 1.5rem;}}
@media print {
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"],
  [data-testid="stDecoration"], [data-testid="stDownloadButton"],
  [data-testid="stBaseButton-secondary"],
  [data-testid="stSidebarCollapsedControl"] {display: none !important;}
  [data-testid="stMainBlockContainer"] {max-width: 100% !important; padding: 0.5rem !important;}
  [data-testid="stVegaLiteChart"], [data-testid="stMetric"], [data-testid="stAlert"],
  [data-testid="stDataFrame"], [data-testid="stTable"] {break-inside: avoid;}
}
</style>"""

st.set_page_config(page_title=t("app.name"), layout="wide")  # default favicon: no fetch
st.html(SCREEN_CSS)
with background.script_running():  # the warm-up below never competes with a page
    lang = state.language()
    common.home(lang)  # the city whose data are shown, when the warehouse holds several
    results = common.results_or_stop(lang)
    shown = common.sidebar(results, lang)
    st.sidebar.caption(t("app.subtitle", lang))
    pages = [
        st.Page(f"app_pages/{name}.py", title=t(key, lang), url_path=name, default=(i == 0))
        for i, (name, key) in enumerate(PAGES)
    ]
    st.navigation(pages).run()
background.warm(results, lang, shown.year)  # next years, other language: after drawing
