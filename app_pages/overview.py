"""Ringkasan / Overview: the index, six dimension tiles, strengths, risks, top recommendations."""

from __future__ import annotations

import streamlit as st

from app_pages import common
from smartindex.display import charts
from smartindex.display.i18n import (
    band_light,
    format_number,
    format_percent,
    rank_text,
    t,
    trend_text,
)

v = common.view()
card = common.scorecard(year=v.year, unit=v.unit, lang=v.lang)
legend = list(card.bands[f"label_{v.lang}"])
st.title(f"{card.unit_name} · {v.year}")
st.caption(card.band_note)

o = card.overall
cols = st.columns(4)
cols[0].metric(t("overview.index", v.lang), format_number(o.get("score"), v.lang))
cols[1].metric(t("col.status", v.lang), band_light(o.get("band"), legend, lang=v.lang))
cols[2].metric(t("col.rank", v.lang), t("col.rank_of", v.lang,
                                        rank=format_number(o.get("rank"), v.lang, 0),
                                        n=format_number(o.get("n_units"), v.lang, 0)))
cols[3].metric(t("col.coverage", v.lang), format_percent(100 * (o.get("coverage") or 0), v.lang))
st.caption(f"{t('col.trend', v.lang)}: "
           f"{trend_text(o.get('arrow'), o.get('verdict'), o.get('significant'), v.lang)}")

st.subheader(t("overview.dimensions", v.lang))
tiles = st.columns(3)
for i, d in enumerate(card.dimensions.to_dict("records")):
    with tiles[i % 3].container(border=True):
        cov = format_percent(100 * (d["coverage"] or 0), v.lang)
        st.metric(d["name"], format_number(d["score"], v.lang))
        st.markdown(f"{band_light(d['band'], legend, markdown=True, lang=v.lang)}  \n"
                    f"{trend_text(d['arrow'], d['verdict'], d['significant'], v.lang)}  \n"
                    f"{rank_text(d['rank'], d['n_units'], v.lang)} · "
                    f"{t('overview.coverage', v.lang, coverage=cov)}")
bars = card.dimensions.rename(columns={"name": "label", "band": "status"})
common.chart(charts.dimension_bars(bars.fillna({"score": 0}), v.lang,
                                   title=t("overview.dimensions", v.lang)))

shown = {"name": t("col.name", v.lang), "value": t("col.value", v.lang),
         "unit": t("col.measure_unit", v.lang), "achievement": t("col.achievement", v.lang),
         "band": t("col.status", v.lang)}
for frame, key in ((card.strengths, "overview.strengths"), (card.risks, "overview.risks")):
    st.subheader(t(key, v.lang))  # stacked, not side by side: long names stay readable
    common.table(frame.assign(band=[band_light(b, legend, lang=v.lang) for b in frame["band"]]),
                 v.lang, labels=shown, decimals={"value": 2})

st.subheader(t("overview.top_recs", v.lang))
recs = common.recommend(year=v.year, lang=v.lang)
for i, rec in enumerate(recs[:3], 1):
    st.markdown(f"**{i}.** {rec.text}  \n*{t('col.agency', v.lang)}: {', '.join(rec.agencies)}*")
if not recs:
    st.info(t("recs.none", v.lang))
