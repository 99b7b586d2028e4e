"""Rekomendasi / Recommendations: ranked, evidence-linked recommendations with their agency;
filter by dimension and agency; export."""

from __future__ import annotations

import streamlit as st

from app_pages import common, state
from smartindex.display import export
from smartindex.display.i18n import t
from smartindex.display.labels import dimension_label
from smartindex.display.markdown import escape_markdown as md

v = common.view()
res = common.results()
recs = common.recommend(year=v.year, lang=v.lang, area_code=v.area_code)
st.title(f"{t('page.recommendations', v.lang)} · {md(res.area_name(v.area_code))} · {v.year}")
dims = sorted({r.dimension for r in recs if r.dimension})
agencies = sorted({a for r in recs for a in r.agencies})
state.control("rec_dims", dims, multi=True)
state.control("rec_agencies", agencies, multi=True)
left, right = st.columns(2)
pick_dims = left.multiselect(
    t("recs.filter_dimension", v.lang),
    dims,
    key="rec_dims",
    format_func=lambda d: dimension_label(res.catalogue, d, v.lang),
    placeholder=t("app.choose", v.lang),
)
pick_agencies = right.multiselect(
    t("recs.filter_agency", v.lang),
    agencies,
    key="rec_agencies",
    placeholder=t("app.choose", v.lang),
)
state.publish("rec_dims", "rec_agencies")
shown = [
    r
    for r in recs
    if (not pick_dims or r.dimension in pick_dims)
    and (not pick_agencies or set(r.agencies) & set(pick_agencies))
]
if not shown:
    st.info(t("recs.none", v.lang))
for i, r in enumerate(shown, 1):
    with st.container(border=True):
        st.markdown(
            f"**{i}. {md(dimension_label(res.catalogue, r.dimension, v.lang))}** · "
            f"{t('col.priority', v.lang)} {r.priority} · "
            f"{t('col.agency', v.lang)}: {md(', '.join(r.agencies))}"
        )
        st.markdown(md(r.text))
        st.markdown(f"**{md(r.target_text)}**")
        with st.expander(t("col.evidence", v.lang)):
            st.markdown("  \n".join(md(e) for e in r.evidence_text))
table = export.recommendations_frame(shown)
st.download_button(
    t("recs.export", v.lang),
    export.to_csv(table),
    file_name=f"recommendations-{v.year}-{v.lang}.csv",
    mime="text/csv",
    key="rec_export",
    on_click="ignore",
)
