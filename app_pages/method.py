"""Metode / Method & sensitivity: the method and catalogue in plain words; change normalisation,
dimension weights and aggregation and watch scores and ranks move; Monte Carlo rank intervals."""

from __future__ import annotations

import streamlit as st

from app_pages import common
from smartindex import charts, whatif
from smartindex.i18n import dimension_name, t

v = common.view()
res = common.results()
st.title(t("page.method", v.lang))
st.write(t("method.intro", v.lang))
with st.expander(t("method.current", v.lang)):
    st.json(res.manifest.get("method") or {}, expanded=True)
with st.expander(t("method.catalogue", v.lang)):
    st.dataframe(common.call("whatif.catalogue_table", lang=v.lang), hide_index=True,
                 width="stretch")

method = whatif.published_method(res)
left, right = st.columns(2)
normalise = left.selectbox(t("method.normalise", v.lang), whatif.NORMALISE_CHOICES,
                           index=whatif.NORMALISE_CHOICES.index(method.normalise.method)
                           if method.normalise.method in whatif.NORMALISE_CHOICES else 0,
                           key="wi_norm")
aggregate = right.selectbox(t("method.aggregate", v.lang), whatif.AGGREGATE_CHOICES,
                            index=whatif.AGGREGATE_CHOICES.index(method.aggregate.method)
                            if method.aggregate.method in whatif.AGGREGATE_CHOICES else 0,
                            key="wi_agg")
st.markdown(f"**{t('method.weights', v.lang)}**")
dims = whatif.DIMENSIONS
sliders = st.columns(len(dims))
weights = tuple((d, col.slider(dimension_name(d, v.lang), 0.1, 3.0, 1.0, 0.1, key=f"wi_{d}"))
                for col, d in zip(sliders, dims, strict=True))
scores = common.call("whatif.rescore", normalise=normalise, aggregate=aggregate,
                     weights=weights)
moved = whatif.compare_index(res, scores, year=v.year)
st.subheader(t("method.whatif", v.lang))
common.chart(charts.change_chart(moved, v.lang, title=t("method.whatif", v.lang)))
cols = {"label": t("col.city", v.lang), "before": f"{t('col.score', v.lang)} (1)",
        "after": f"{t('col.score', v.lang)} (2)", "rank_before": f"{t('col.rank', v.lang)} (1)",
        "rank_after": f"{t('col.rank', v.lang)} (2)", "rank_change": t("method.rank_change",
                                                                        v.lang)}
st.dataframe(moved[list(cols)].rename(columns=cols).round(1), hide_index=True,
             width="stretch")

unc = res.uncertainty
unc = unc[(unc["comparison"] == "cities") & (unc["year"] == v.year)] if len(unc) else unc
st.subheader(t("method.uncertainty", v.lang))
if len(unc):
    common.chart(charts.rank_interval_chart(
        unc.assign(label=[res.unit_name(u) for u in unc["unit"]]), v.lang))
sens = res.sensitivity
sens = sens[sens["comparison"] == "cities"] if len(sens) else sens
st.subheader(t("method.sensitivity", v.lang))
if len(sens):
    common.chart(charts.sensitivity_bars(sens, v.lang))
