"""Tren / Trends: multi-year charts of any indicator, factor, dimension or the index, with
targets, optionally against the peer cities."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import common, state
from smartindex.analysis.trends import trend_table
from smartindex.display import charts
from smartindex.display.i18n import t, trend_text
from smartindex.display.status import param_text

v = common.view()
res = common.results()
card = common.scorecard(year=v.year, area_code=v.area_code, lang=v.lang)
st.title(f"{t('page.trends', v.lang)} · {card.area_name}")
levels = {k: t(f"level.{k}", v.lang) for k in ("indicator", "factor", "dimension", "index")}
state.control("trend_level", list(levels))
level = st.radio(
    t("trends.level", v.lang),
    list(levels),
    format_func=levels.get,
    horizontal=True,
    key="trend_level",
)
ind = card.indicators
elements = {
    "indicator": dict(zip(ind["code"], ind["name"], strict=True)),
    "factor": {
        f: common.element_names(lang=v.lang).get(f, f) for f in dict.fromkeys(ind["factor"])
    },
    "dimension": dict(zip(card.dimensions["code"], card.dimensions["name"], strict=True)),
    "index": {"INDEX": t("level.index", v.lang)},
}[level]
state.control(f"trend_code_{level}", list(elements))
code = st.selectbox(
    t("trends.element", v.lang), list(elements), format_func=elements.get, key=f"trend_code_{level}"
)
peers = [u for u in common.peer_areas() if v.kecamatan is None]
state.control("trend_peers", peers, multi=True)
others = st.multiselect(
    t("page.peers", v.lang),
    peers,
    format_func=res.area_name,
    key="trend_peers",
    placeholder=t("app.choose", v.lang),
)
state.publish("trend_level", f"trend_code_{level}", "trend_peers")
frames = [
    common.trend_series(code=code, area_code=u).assign(series=res.area_name(u))
    for u in [v.area_code, *others]
]
series = pd.concat(frames, ignore_index=True)
if others:  # targets are the home city's; hide them when comparing several lines
    series = series.assign(target=float("nan"))
unit = ind.set_index("code")["unit"].get(code) if level == "indicator" else None
y_title = f"{t('col.value', v.lang)} ({unit})" if unit else t("chart.score_axis", v.lang)
common.chart(
    charts.trend_chart(
        series,
        v.lang,
        title=elements[code],
        y_title=y_title,
        colours=charts.city_colours(res.regions, res.city),
    )
)

st.subheader(t("trends.stats", v.lang))
directions = dict(zip(ind["code"], ind["direction"], strict=True))
stats = trend_table(series.assign(area_code=series["series"], code=code), directions, until=v.year)
show = stats.assign(
    trend=[
        trend_text(a, w, s, v.lang)
        for a, w, s in zip(stats["arrow"], stats["verdict"], stats["significant"], strict=True)
    ]
)
cols = {
    "area_code": t("col.unit", v.lang),
    "n": t("col.n_years", v.lang),
    "trend": t("col.trend", v.lang),
    "slope": t("col.slope", v.lang),
    "p_value": t("col.p_value", v.lang),
}
show = show.assign(
    p_value=[param_text("p_value", p, v.lang).removeprefix("= ") for p in show["p_value"]]
)
common.table(show, v.lang, labels=cols, decimals={"slope": 3}, download="trends")
