"""Ringkasan / Overview, the first screen: the index with its change and rank change (with the
rank interval), the six dimensions with achievement grade, relative position and trend kept
apart, what needs attention, and the top recommendations for the selected area."""

from __future__ import annotations

import streamlit as st

from app_pages import common
from smartindex.display import charts
from smartindex.display.i18n import format_number, format_percent, rank_text, t, trend_text
from smartindex.display.markdown import escape_markdown as md
from smartindex.display.numbers import format_signed
from smartindex.display.status import grade_word

v = common.view()
card = common.scorecard(year=v.year, area_code=v.area_code, lang=v.lang)
head = common.headline(area_code=v.area_code, year=v.year)
st.title(f"{card.area_name} · {v.year}")
if head.synthetic_share > 0:
    st.warning(
        t("page.synthetic", v.lang, share=format_percent(100 * head.synthetic_share, v.lang, 0))
    )

o = card.overall
since = t("page.since", v.lang, year=head.previous_year) if head.previous_year else None
interval = t(
    "page.rank_interval",
    v.lang,
    low=format_number(head.rank_low, v.lang, 0),
    high=format_number(head.rank_high, v.lang, 0),
)
cols = st.columns(3)
cols[0].metric(
    t("overview.index", v.lang),
    format_number(head.score, v.lang),
    delta=common.delta(format_signed(head.change, v.lang)) if since else None,
    help=since,
)
cols[1].metric(
    t("col.rank", v.lang),
    rank_text(head.rank, head.n_areas, v.lang),
    delta=(
        common.delta(t("page.places", v.lang, n=format_signed(head.rank_change, v.lang, 0)))
        if since and head.rank_change == head.rank_change
        else None
    ),
    help=interval,
    delta_color="off" if head.rank_change == 0 else "normal",  # no rise or fall: no colour,
    delta_arrow="off" if head.rank_change == 0 else "auto",  # no arrow
)
cols[2].metric(t("page.grade", v.lang), grade_word(o.get("grade"), v.lang), help=card.band_note)
TONE_BOX = {"good": st.success, "poor": st.warning, "mixed": st.info}  # the status model's tone
if o.get("headline_text"):
    TONE_BOX.get(str(o.get("tone")), st.info)(str(o["headline_text"]))
st.caption(
    f"{interval} · {t('col.trend', v.lang)}: "
    f"{trend_text(o.get('arrow'), o.get('verdict'), o.get('significant'), v.lang)}"
)

st.subheader(t("overview.dimensions", v.lang))
dims = card.dimensions.to_dict("records")
tiles = [col for _ in range(0, len(dims), 3) for col in st.columns(3)]  # row by row (phones)
for i, d in enumerate(dims):
    with tiles[i].container(border=True):
        st.metric(d["name"], format_number(d["score"], v.lang))
        ach = (
            format_percent(d["achievement"], v.lang, 0)
            if d["achievement"] == d["achievement"]
            else None
        )
        st.markdown(
            f"**{t('page.grade', v.lang)}:** {grade_word(d['grade'], v.lang)}"
            f"{f' ({ach})' if ach else ''}  \n"
            f"**{t('page.position', v.lang)}:** {rank_text(d['rank'], d['n_areas'], v.lang)}  \n"
            f"**{t('col.trend', v.lang)}:** "
            f"{trend_text(d['arrow'], d['verdict'], d['significant'], v.lang)}"
        )
        if d.get("headline_text"):  # grade and position read together: never "good" if last
            st.caption(str(d["headline_text"]))
bars = card.dimensions.rename(columns={"name": "label"}).assign(
    status=[grade_word(g, v.lang) for g in card.dimensions["grade"]]
)
common.chart(
    charts.dimension_bars(bars.fillna({"score": 0}), v.lang, title=t("overview.dimensions", v.lang))
)

st.subheader(t("page.attention", v.lang))
need = card.attention.head(5)
if len(need):
    common.table(
        need.assign(
            grade=[grade_word(g, v.lang) for g in need["grade"]],
            why=[t(f"page.tier.{x}", v.lang) for x in need["tier"]],
        ),
        v.lang,
        labels={
            "name": t("col.name", v.lang),
            "why": t("page.why", v.lang),
            "value": t("col.value", v.lang),
            "achievement": t("col.achievement", v.lang),
            "grade": t("page.grade", v.lang),
        },
        decimals={"value": 2, "achievement": 0},
    )
else:
    st.info(t("page.attention_none", v.lang))
common.downloads(card.indicators, "scorecard", v.lang, formats=("csv", "xlsx"), stem=v.area_code)

st.subheader(t("page.top_recs", v.lang, area=md(card.area_name)))
recs = common.recommend(year=v.year, lang=v.lang, area_code=v.area_code)
for i, rec in enumerate(recs[:3], 1):
    st.markdown(
        f"**{i}.** {md(rec.text)}  \n*{t('col.agency', v.lang)}: {md(', '.join(rec.agencies))}*"
    )
if not recs:
    st.info(t("recs.none", v.lang))
