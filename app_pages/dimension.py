"""Dimensi / Dimension: factors and indicators of one dimension; click an indicator for history."""

from __future__ import annotations

import streamlit as st

from app_pages import common, state
from smartindex.analysis.trends import DEFAULT_SETTINGS
from smartindex.display import charts
from smartindex.display import labels as views
from smartindex.display.i18n import band_light, format_number, rank_text, t, trend_text

v = common.view()
card = common.scorecard(year=v.year, area_code=v.area_code, lang=v.lang)
names = dict(zip(card.dimensions["code"], card.dimensions["name"], strict=True))
state.control("dim", list(names))
dim = st.selectbox(t("dimension.pick", v.lang), list(names), format_func=names.get, key="dim")
legend = list(card.bands[f"label_{v.lang}"])
row = card.dimensions.set_index("code").loc[dim]
st.title(f"{names[dim]} · {card.area_name} · {v.year}")
cols = st.columns([1, 1, 1, 2])  # the trend words need room
cols[0].metric(t("col.score", v.lang), format_number(row["score"], v.lang))
cols[1].metric(t("page.grade", v.lang), band_light(row["band"], legend, lang=v.lang))
cols[2].metric(t("page.position", v.lang), rank_text(row["rank"], row["n_areas"], v.lang))
cols[3].metric(
    t("col.trend", v.lang), trend_text(row["arrow"], row["verdict"], row["significant"], v.lang)
)
if row.get("headline_text"):  # grade and position read together: never "good" if last
    {"good": st.success, "poor": st.warning}.get(str(row.get("tone")), st.info)(
        str(row["headline_text"])
    )

ind = card.indicators[card.indicators["dimension"] == dim].reset_index(drop=True)
factors = common.score_block(area_code=v.area_code, year=v.year, level=2, settings=DEFAULT_SETTINGS)
factors = factors[factors["code"].isin(ind["factor"])]
st.subheader(t("dimension.factors", v.lang))
element = common.element_names(lang=v.lang)
common.chart(
    charts.dimension_bars(
        factors.assign(
            label=factors["code"].map(element).fillna(factors["code"]),
            status=[
                trend_text(a, w, s, v.lang)
                for a, w, s in zip(
                    factors["arrow"], factors["verdict"], factors["significant"], strict=True
                )
            ],
        ).fillna({"score": 0}),
        v.lang,
    )
)

st.subheader(t("dimension.indicators", v.lang))
table = ind.assign(
    status=[band_light(b, legend, lang=v.lang) for b in ind["band"]],
    trend=[
        trend_text(a, w, s, v.lang)
        for a, w, s in zip(ind["arrow"], ind["verdict"], ind["significant"], strict=True)
    ],
)
shown = [
    "name",
    "value",
    "unit",
    "target",
    "achievement",
    "status",
    "trend",
    "sparkline",
    "sources",
    "year",
]
labels = {c: c for c in shown if c in table}
cfg = {
    "name": st.column_config.TextColumn(t("col.name", v.lang), width="medium"),
    "value": t("col.value", v.lang),
    "unit": t("col.measure_unit", v.lang),
    "target": t("col.target", v.lang),
    "achievement": t("col.achievement", v.lang),
    "status": t("col.status", v.lang),
    "trend": t("col.verdict", v.lang),
    "sources": t("col.source", v.lang),
    "sparkline": st.column_config.LineChartColumn(t("col.trend", v.lang)),
    "year": t("col.year", v.lang),
}
picked = st.dataframe(
    views.display_table(table, v.lang, labels=labels, decimals={"value": 2, "target": 2}),
    column_config=cfg,
    hide_index=True,
    width="stretch",
    on_select="rerun",
    selection_mode="single-row",
    key="ind_table",
)
common.downloads(table, "scorecard", v.lang, formats=("csv", "xlsx"), stem=dim)
rows = picked.selection.rows if picked else []
codes = list(ind["code"])
labels = dict(zip(ind["code"], ind["name"], strict=True))
state.control("ind_pick", codes)
if rows:
    st.session_state["ind_pick"] = codes[rows[0]]
code = st.selectbox(t("dimension.indicator", v.lang), codes, format_func=labels.get, key="ind_pick")
state.publish("dim", "ind_pick")
series = common.trend_series(code=code, area_code=v.area_code)
unit_label = ind.set_index("code").loc[code, "unit"]
common.chart(charts.trend_chart(series, v.lang, title=labels[code], y_title=str(unit_label)))
