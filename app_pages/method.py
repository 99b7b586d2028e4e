"""Metode / Method & sensitivity: the method and catalogue in plain words; change normalisation,
dimension weights and aggregation and watch scores and ranks move; Monte Carlo rank intervals."""

from __future__ import annotations

import streamlit as st

from app_pages import common, state
from smartindex.analysis import whatif
from smartindex.display import charts, method_text
from smartindex.display.i18n import dimension_name, format_number, t
from smartindex.display.labels import choice_label, column_label
from smartindex.errors import SmartIndexError

v = common.view()
res = common.results()
st.title(t("page.method", v.lang))
st.write(t("method.intro", v.lang))
with st.expander(t("method.current", v.lang)):
    spec = res.manifest.get("method") or {}
    st.markdown(method_text.method_markdown(spec, v.lang))  # each stage in words
    st.json(spec, expanded=False)  # the exact spec, as recorded with the scores
with st.expander(t("method.catalogue", v.lang)):
    cat = common.catalogue_table(lang=v.lang)
    common.table(
        cat, v.lang, labels={c: column_label(c, v.lang) for c in cat}, decimals={"weight": 1}
    )

method = whatif.published_method(res)
left, right = st.columns(2)
norm = whatif.NORMALISE_CHOICES
state.control(
    "wi_norm", norm, method.normalise.method if method.normalise.method in norm else norm[0]
)
normalise = left.selectbox(
    t("method.normalise", v.lang),
    norm,
    key="wi_norm",
    format_func=lambda k: choice_label("normalise", k, v.lang),
)
agg = whatif.aggregate_choices(normalise)  # only pairs that can be computed are offered
state.control("wi_agg", agg, method.aggregate.method if method.aggregate.method in agg else agg[0])
aggregate = right.selectbox(
    t("method.aggregate", v.lang),
    agg,
    key="wi_agg",
    format_func=lambda k: choice_label("aggregate", k, v.lang),
)
if aggregate in whatif.POSITIVE_AGGREGATES:
    st.caption(t(f"page.method_positive.{normalise}", v.lang))
st.markdown(f"**{t('method.weights', v.lang)}**")
steps = [round(0.1 * i, 1) for i in range(1, 31)]
keys = [f"wi_{d}" for d in whatif.DIMENSIONS]
for key in keys:
    state.control(key, steps, 1.0)
weights = tuple(
    (
        d,
        col.select_slider(
            dimension_name(res.catalogue, d, v.lang),
            steps,
            key=key,
            format_func=lambda x: format_number(x, v.lang),
        ),
    )
    for col, d, key in zip(st.columns(len(whatif.DIMENSIONS)), whatif.DIMENSIONS, keys, strict=True)
)
state.publish("wi_norm", "wi_agg", *keys)
st.subheader(t("method.whatif", v.lang))
try:
    scores = common.rescore(normalise=normalise, aggregate=aggregate, weights=weights)
except SmartIndexError:  # one translated sentence, never a traceback
    st.warning(
        t(
            "page.method_error",
            v.lang,
            normalise=choice_label("normalise", normalise, v.lang),
            aggregate=choice_label("aggregate", aggregate, v.lang),
        )
    )
else:
    moved = whatif.compare_index(res, scores, year=v.year)
    common.chart(charts.change_chart(moved, v.lang, title=t("method.whatif", v.lang)))
    cols = {
        "label": t("col.city", v.lang),
        **{c: t(f"col.{c}", v.lang) for c in ("before", "after", "rank_before", "rank_after")},
        "rank_change": t("method.rank_change", v.lang),
    }
    common.table(
        moved,
        v.lang,
        labels=cols,
        decimals={"rank_before": 0, "rank_after": 0, "rank_change": 0},
        download="whatif",
    )

unc = res.uncertainty
unc = unc[(unc["comparison"] == "cities") & (unc["year"] == v.year)] if len(unc) else unc
st.subheader(t("method.uncertainty", v.lang))
if len(unc):
    common.chart(
        charts.rank_interval_chart(
            unc.assign(label=[res.area_name(u) for u in unc["area_code"]]), v.lang
        )
    )
sens = res.sensitivity
sens = sens[sens["comparison"] == "cities"] if len(sens) else sens
st.subheader(t("method.sensitivity", v.lang))
if len(sens):
    common.chart(
        charts.sensitivity_bars(
            sens.assign(
                assumption=[choice_label("assumption", a, v.lang) for a in sens["assumption"]]
            ),
            v.lang,
        )
    )
