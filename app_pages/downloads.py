"""Unduh / Downloads: scores, indicator values and recommendations as CSV, XLSX and Parquet,
and the annual PDF report when it has been built."""

from __future__ import annotations

import streamlit as st

from app_pages import common
from smartindex.config import Settings
from smartindex.display import export
from smartindex.display.i18n import format_number, t
from smartindex.report.build import report_path

v = common.view()
res = common.results()
st.title(t("page.downloads", v.lang))
st.caption(t("downloads.note", v.lang))
recs = common.recommend(year=v.year, lang=v.lang, area_code=v.area_code)
names = common.element_names(lang=v.lang)  # what is shown: the selected year, with names
area_codes = dict(zip(res.regions["area_code"], res.regions["name"], strict=True))


def named(frame):  # area_code and element names next to their codes, in the page's language
    frame = frame[frame["year"] == v.year]
    return frame.assign(area_name=frame["area_code"].map(area_codes), name=frame["code"].map(names))


tables = {
    "scores": named(res.scores),
    "values": named(res.indicator_values),
    "recs": export.recommendations_frame(recs),
}
for name, frame in tables.items():
    st.subheader(t(f"downloads.{name}", v.lang))
    st.caption(
        t(
            "downloads.size",
            v.lang,
            rows=format_number(len(frame), v.lang, 0),
            cols=format_number(len(frame.columns), v.lang, 0),
        )
    )
    common.downloads(frame, name, v.lang, stem=f"{res.area_name(v.area_code)}-{v.year}")

st.subheader(t("downloads.pdf", v.lang))
pdf = report_path(res, year=v.year, lang=v.lang, out_dir=Settings.from_env().reports_dir)
if pdf.is_file():
    st.download_button(
        f"{pdf.name}",
        pdf.read_bytes(),
        file_name=pdf.name,
        mime="application/pdf",
        key="dl-pdf",
        on_click="ignore",
    )
else:
    st.info(t("downloads.no_pdf", v.lang, year=v.year))
