"""Pembanding / Peers: the city against its peer cities per dimension and per indicator."""

from __future__ import annotations

import streamlit as st

from app_pages import common, state
from smartindex.display import charts
from smartindex.display.i18n import t

v = common.view()
res = common.results()
card = common.scorecard(year=v.year, area_code=v.city, lang=v.lang)
st.title(f"{t('page.peers', v.lang)} · {card.area_name} · {v.year}")
city = card.area_name.removeprefix("Kota ")
st.caption(t("peers.title", v.lang, city=city))
levels = {"dimension": t("level.dimension", v.lang), "indicator": t("level.indicator", v.lang)}
state.control("peer_level", list(levels))
level = st.radio(
    t("peers.level", v.lang),
    list(levels),
    format_func=levels.get,
    horizontal=True,
    key="peer_level",
)
dims = dict(zip(card.dimensions["code"], card.dimensions["name"], strict=True))
cities = res.scores[res.scores["comparison"] == "cities"]
if level == "dimension":
    names = {"INDEX": t("level.index", v.lang), **dims}
else:
    state.control("peer_dim", list(dims))
    dim = st.selectbox(t("col.dimension", v.lang), list(dims), format_func=dims.get, key="peer_dim")
    rows = card.indicators[card.indicators["dimension"] == dim]
    names = dict(zip(rows["code"], rows["name"], strict=True))
state.publish("peer_level", *(["peer_dim"] if level == "indicator" else []))
frame = charts.peer_frame(cities, res.regions, city=v.city, year=v.year, names=names)
if frame.empty:
    st.info(t("warehouse.no_data", v.lang))
else:
    common.chart(
        charts.peer_chart(
            frame,
            v.lang,
            title=t("peers.title", v.lang, city=city),
            colours=charts.city_colours(res.regions, res.city),
        )
    )

table = common.peer_table(year=v.year)
table = table[table["code"].isin(list(names))]
show = table.assign(
    name=table["code"].map(names),
    best_peer=[res.area_name(u) for u in table["best_peer"]],
    rank=[
        t("col.rank_of", v.lang, rank=r, n=n)
        for r, n in zip(table["rank"], table["n"], strict=True)
    ],
)
cols = {
    "name": t("col.name", v.lang),
    "value": t("col.value", v.lang),
    "rank": t("col.rank", v.lang),
    "peer_median": t("col.peer_median", v.lang),
    "best_peer": t("col.best_peer", v.lang),
}
common.table(show, v.lang, labels=cols, default_decimals=2, download="peers")
