"""Kecamatan / Districts: district index or any indicator as a map and a ranking; inequality
and its trend; access to public Wi-Fi and transport stops."""

from __future__ import annotations

import streamlit as st

from app_pages import common, state
from smartindex.display import charts, maps
from smartindex.display import labels as views
from smartindex.display.i18n import dimension_name, t, verdict_name
from smartindex.scoring.results import INDEX_CODE

v = common.view()
res = common.results()
st.title(f"{t('page.districts', v.lang)} · {res.area_name(res.city)} · {v.year}")
ineq = common.inequality_table(year=v.year)
ind = ineq[ineq["level"] == "indicator"]
names = {
    INDEX_CODE: t("districts.index", v.lang),
    **{
        d: dimension_name(res.catalogue, d, v.lang)
        for d in ineq.loc[ineq["level"] == "dimension", "code"]
    },
    **dict(zip(ind["code"], ind[f"name_{v.lang}"], strict=True)),
}
state.control("district_code", list(names), INDEX_CODE)
code = st.selectbox(
    t("districts.measure", v.lang), list(names), format_func=names.get, key="district_code"
)
table = common.district_table(year=v.year, code=code)
is_score = "score" in table.columns
points = charts.label_units(
    table, res.regions, value="score" if is_score else "value", home=v.kecamatan
)
left, right = st.columns(2)
with left:
    common.chart(
        maps.district_map(
            res.shapes,
            common.district_map_frame(year=v.year, code=code),
            lang=v.lang,
            measure=names[code],
            highlight=v.kecamatan,
            width=440,
            height=400,
        )
    )
with right:
    common.chart(
        charts.ranked_bars(
            points, v.lang, title=t("districts.ranked", v.lang), value_title=names[code], width=380
        )
    )
common.table(
    table,
    v.lang,
    download="districts",
    labels={
        "name": t("col.name", v.lang),
        "score" if is_score else "value": names[code],
        "rank": t("col.rank", v.lang),
    },
    decimals={"score": 1, "value": 2, "rank": 0},
)

st.subheader(t("districts.inequality", v.lang))
measures = views.inequality_labels(v.lang)
if code in set(ind["code"]):
    history = common.inequality_history(code=code, until=v.year)
    common.chart(
        charts.inequality_chart(charts.long_measures(history, measures), v.lang, title=names[code])
    )
cols = {
    f"name_{v.lang}": t("col.name", v.lang),
    **{m: x for m, x in measures.items() if m in ineq},
    "gini_verdict": t("col.trend", v.lang),
}
ind = ind.assign(gini_verdict=[verdict_name(x, v.lang) for x in ind.get("gini_verdict", [])])
common.table(ind, v.lang, labels=cols, default_decimals=3)

st.subheader(t("districts.access", v.lang))
state.control("radius", [250, 500, 1000], 500)
radius = st.select_slider(t("districts.radius", v.lang), [250, 500, 1000], key="radius")
state.publish("district_code", "radius")
shares = common.access(year=v.year, radius_m=float(radius))
asset_cols = st.columns(2)
for col, asset in zip(asset_cols, ("wifi_hotspots", "transit_stops"), strict=True):
    sub = charts.label_units(
        shares[shares["asset"] == asset], res.regions, value="share", scale=100.0, home=v.kecamatan
    )
    with col:
        st.markdown(f"**{t(f'districts.{asset}', v.lang)}**")
        common.chart(charts.ranked_bars(sub, v.lang, value_title="%", width=380))
st.caption(t("quality.survey", v.lang))
