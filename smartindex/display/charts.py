"""Altair charts from tidy frames: the same pure functions serve the app and the PDF report.

Every function takes a tidy frame (columns named in its docstring) and ``lang`` and returns a
finished ``alt.Chart`` (or layer / facet) carrying Vega's ``config.locale`` for ``lang``, so
numbers read ``1.234,5`` in Bahasa Indonesia and ``1,234.5`` in English everywhere.
No chart encodes meaning by colour alone: status, series and the home city also carry a word,
a shape or a dash.  Nothing is fetched: maps are points on centroids, no tiles.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import altair as alt
import pandas as pd

from smartindex.display.i18n import t, vega_locale

WIDTH = 520
FONT = "DejaVu Sans, sans-serif"
HOME_COLOUR = "#D55E00"
PEER_COLOUR = "#4d4d4d"
LINE_COLOUR = "#2166ac"
NUMBER = ",.1f"
# ranked bars: the home area, the best and the worst end, each with a mark besides its colour
TONE_COLOURS = {"": LINE_COLOUR, "home": HOME_COLOUR, "best": "#009E73", "worst": "#E69F00"}
TONE_MARKS = {"home": "◆ ", "best": "▲ ", "worst": "▼ "}
LABEL_LIMIT = 260  # px of an axis label before Vega truncates it with "…"
CITY_PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#000000",
    "#F0E442",
    "#999999",
)
"""Okabe–Ito (colour-blind safe) for peer cities, in code order; the home city is always
:data:`HOME_COLOUR` (vermillion, also Okabe–Ito), so a city keeps its colour on every page."""


def city_colours(regions: pd.DataFrame, home: str) -> dict[str, str]:
    """Display name -> colour of every city (``regions``: ``area_code, level, name``): the home
    city vermillion, the others by code order from :data:`CITY_PALETTE`."""
    kota = regions[regions["level"] == "kota"].sort_values("area_code")
    names = dict(zip(kota["area_code"], kota["name"], strict=True))
    others = [u for u in names if u != home]
    out = {names[u]: CITY_PALETTE[i % len(CITY_PALETTE)] for i, u in enumerate(others)}
    return {names.get(home, home): HOME_COLOUR, **out}


def _colour_scale(colours: Mapping[str, str] | None, shown: Iterable[object]) -> alt.Scale:
    """A fixed name -> colour scale for the names ``shown`` (Okabe–Ito when unknown)."""
    if not colours:
        return alt.Scale(range=list(CITY_PALETTE))
    names = [str(n) for n in dict.fromkeys(shown)]
    extra = iter(CITY_PALETTE)
    return alt.Scale(domain=names, range=[colours.get(n) or next(extra) for n in names])


def finish(chart: alt.TopLevelMixin, lang: str) -> alt.TopLevelMixin:
    """Apply the locale of ``lang`` and the house look (call once, on the outermost chart)."""
    finished: alt.TopLevelMixin = (
        chart.configure(locale=vega_locale(lang), font=FONT)
        .configure_view(stroke=None)
        .configure_axis(
            labelFontSize=11, titleFontSize=11, grid=True, gridOpacity=0.4, labelLimit=LABEL_LIMIT
        )
        .configure_title(anchor="start", limit=0)
        .configure_legend(orient="bottom", labelFontSize=11, titleFontSize=11)
    )
    return finished


def _frame(frame: pd.DataFrame, needed: tuple[str, ...]) -> pd.DataFrame:
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise ValueError(f"chart frame lacks column(s) {missing}")
    return frame.reset_index(drop=True)


def trend_chart(
    frame: pd.DataFrame,
    lang: str,
    *,
    title: str = "",
    y_title: str = "",
    width: int = WIDTH,
    height: int = 300,
    colours: Mapping[str, str] | None = None,
) -> alt.TopLevelMixin:
    """Lines over years: ``year, value`` [+ ``series`` label] [+ ``target`` per year, dashed].
    Several series: one colour and one point shape each, named in a legend (``colours``:
    series -> colour, e.g. :func:`city_colours`, so a city keeps its colour everywhere)."""
    data = _frame(frame, ("year", "value"))
    if "series" not in data:
        data = data.assign(series=y_title or t("col.value", lang))
    x = alt.X("year:O", title=t("col.year", lang), axis=alt.Axis(labelAngle=0))
    y = alt.Y(
        "value:Q",
        title=y_title or t("col.value", lang),
        axis=alt.Axis(format=NUMBER),
        scale=alt.Scale(zero=False),
    )
    many = data["series"].nunique() > 1
    legend = alt.Legend(orient="bottom", columns=2) if many else None
    series = alt.Color(
        "series:N",
        title=t("col.series", lang),
        legend=legend,
        scale=_colour_scale(colours, data["series"]) if many else alt.Scale(range=[LINE_COLOUR]),
    )
    tip = [
        alt.Tooltip("series:N", title=t("col.series", lang)),
        alt.Tooltip("year:O", title=t("col.year", lang)),
        alt.Tooltip("value:Q", format=NUMBER, title=t("col.value", lang)),
    ]
    base = alt.Chart(data).encode(x=x)
    layers = [
        base.mark_line(strokeWidth=2).encode(y=y, color=series),
        base.mark_point(filled=True, size=60).encode(  # shape + colour: one merged legend
            y=y,
            color=series,
            shape=alt.Shape("series:N", title=t("col.series", lang), legend=legend),
            tooltip=tip,
        ),
    ]
    if "target" in data and data["target"].notna().any():
        goal = alt.Chart(data.dropna(subset=["target"]).drop_duplicates("year")).encode(x=x)
        ty = alt.Y("target:Q", axis=alt.Axis(format=NUMBER))
        layers += [
            goal.mark_line(strokeDash=[6, 4], color="#555555").encode(y=ty),
            goal.transform_window(r="rank()", sort=[alt.SortField("year", "descending")])
            .transform_filter("datum.r == 1")
            .mark_text(align="left", dx=6, color="#333333")
            .encode(y=ty, text=alt.value(t("chart.target", lang))),
        ]
    chart = alt.layer(*layers).properties(title=title, width=width, height=height)
    return finish(chart, lang)


def sparkline(
    frame: pd.DataFrame, lang: str, *, width: int = 110, height: int = 28
) -> alt.TopLevelMixin:
    """Tiny axis-free line of ``year, value`` with the last point marked."""
    data = _frame(frame, ("year", "value")).dropna(subset=["value"])
    base = alt.Chart(data).encode(
        x=alt.X("year:O", axis=None), y=alt.Y("value:Q", axis=None, scale=alt.Scale(zero=False))
    )
    last = (
        base.transform_window(r="rank()", sort=[alt.SortField("year", "descending")])
        .transform_filter("datum.r == 1")
        .mark_point(filled=True, size=25, color=LINE_COLOUR)
    )
    chart = alt.layer(base.mark_line(color=LINE_COLOUR), last).properties(
        width=width, height=height
    )
    return finish(chart, lang)


def dimension_bars(
    frame: pd.DataFrame, lang: str, *, title: str = "", width: int = WIDTH
) -> alt.TopLevelMixin:
    """Scores 0–100 per ``label`` (+ ``status`` word shown as text, + optional ``target`` tick)."""
    data = _frame(frame, ("label", "score"))
    data = data.assign(status=data.get("status", ""))
    y = alt.Y("label:N", sort=None, title=None)
    x = alt.X(
        "score:Q",
        title=t("col.score", lang),
        scale=alt.Scale(domain=[0, 100]),
        axis=alt.Axis(format=",.0f"),
    )
    base = alt.Chart(data).encode(y=y)
    bars = base.mark_bar(color=LINE_COLOUR, opacity=0.85).encode(
        x=x,
        tooltip=[
            alt.Tooltip("label:N", title=t("col.name", lang)),
            alt.Tooltip("score:Q", format=NUMBER, title=t("col.score", lang)),
            alt.Tooltip("status:N", title=t("col.status", lang)),
        ],
    )
    text = (
        base.mark_text(align="left", dx=4)
        .encode(x=x, text=alt.Text("caption:N"))
        .transform_calculate(
            caption=f"format(datum.score, '{NUMBER}') + (datum.status ? ' · ' + datum.status : '')"
        )
    )
    layers = [bars, text]
    if "target" in data and data["target"].notna().any():
        layers.append(
            base.mark_tick(color="#111111", thickness=2, size=18).encode(
                x=alt.X("target:Q"),
                tooltip=[alt.Tooltip("target:Q", format=NUMBER, title=t("col.target", lang))],
            )
        )
    return finish(
        alt.layer(*layers).properties(title=title, width=width, height=alt.Step(28)), lang
    )


def ranked_bars(
    frame: pd.DataFrame,
    lang: str,
    *,
    title: str = "",
    value_title: str = "",
    width: int = WIDTH,
    number: str = NUMBER,
    domain: tuple[float, float] | None = None,
) -> alt.TopLevelMixin:
    """Bars of ``label, value`` sorted best first; optional boolean ``highlight`` gets a ◆ mark,
    an optional ``tone`` column (``best`` / ``worst``) a ▲ / ▼ mark and its own colour, so the
    two ends never share one (``number``: d3 format of the values, e.g. ``",.0f"``; ``domain``
    fixes the value axis, e.g. 0–100 for scores, with five whole-number ticks)."""
    data = _frame(frame, ("label", "value"))
    highlight = data["highlight"] if "highlight" in data else pd.Series(False, index=data.index)
    tones = data["tone"].fillna("") if "tone" in data else pd.Series("", index=data.index)
    data = data.assign(
        tone=[tone or ("home" if h else "") for tone, h in zip(tones, highlight, strict=True)]
    )
    data = data.assign(
        caption=[
            TONE_MARKS.get(tone, "") + str(lbl)
            for lbl, tone in zip(data["label"], data["tone"], strict=True)
        ]
    )
    order = list(data.sort_values("value", ascending=False, kind="stable")["caption"])
    y = alt.Y("caption:N", sort=order, title=None)  # explicit: a colour field would stack
    fixed: dict[str, Any] = {}
    if domain is not None:
        step = (domain[1] - domain[0]) / 4
        fixed = {
            "scale": alt.Scale(domain=list(domain), nice=False),
            "axis": alt.Axis(format=",.0f", values=[domain[0] + i * step for i in range(5)]),
        }
    x = alt.X(
        "value:Q",
        title=value_title or t("col.value", lang),
        stack=None,
        **({"axis": alt.Axis(format=number)} | fixed),
    )
    colour = alt.Color(
        "tone:N",
        scale=alt.Scale(domain=list(TONE_COLOURS), range=list(TONE_COLOURS.values())),
        legend=None,
    )
    base = alt.Chart(data).encode(y=y, x=x)
    bars = base.mark_bar().encode(
        color=colour,
        tooltip=[
            alt.Tooltip("label:N", title=t("col.name", lang)),
            alt.Tooltip("value:Q", format=number, title=value_title or t("col.value", lang)),
        ],
    )
    text = base.mark_text(align="left", dx=3).encode(text=alt.Text("value:Q", format=number))
    return finish(
        alt.layer(bars, text).properties(title=title, width=width, height=alt.Step(20)), lang
    )


def district_map(
    frame: pd.DataFrame,
    lang: str,
    *,
    title: str = "",
    value_title: str = "",
    width: int = WIDTH,
    height: int = 420,
) -> alt.TopLevelMixin:
    """Points on centroids (``label, lat, lon, value``), size and shade by value, named."""
    data = _frame(frame, ("label", "lat", "lon", "value")).dropna(subset=["lat", "lon"])
    legend = value_title or t("col.value", lang)
    base = alt.Chart(data).encode(longitude="lon:Q", latitude="lat:Q")
    points = base.mark_circle(opacity=0.85, stroke="#222222", strokeWidth=0.8).encode(
        size=alt.Size(
            "value:Q",
            title=legend,
            scale=alt.Scale(range=[60, 900]),
            legend=alt.Legend(format=NUMBER),
        ),
        color=alt.Color(
            "value:Q",
            title=legend,
            scale=alt.Scale(scheme="blues"),
            legend=alt.Legend(format=NUMBER),
        ),
        tooltip=[
            alt.Tooltip("label:N", title=t("col.name", lang)),
            alt.Tooltip("value:Q", format=NUMBER, title=legend),
        ],
    )
    names = base.mark_text(dy=-12, fontSize=9, color="#222222").encode(text="label:N")
    chart = (
        alt.layer(points, names)
        .project(type="mercator")
        .properties(title=title, width=width, height=height)
    )
    return finish(chart, lang)


def peer_chart(
    frame: pd.DataFrame,
    lang: str,
    *,
    title: str = "",
    value_title: str = "",
    width: int = WIDTH,
    colours: Mapping[str, str] | None = None,
) -> alt.TopLevelMixin:
    """Dot plot per ``label``: one dot per ``city`` (``value``) on its own line within the row
    (no overlap); ``is_home`` is a large diamond; ``colours``: city -> colour."""
    data = _frame(frame, ("label", "city", "value", "is_home"))
    data = data.assign(role=[t("chart.home" if h else "chart.peer", lang) for h in data["is_home"]])
    vt = value_title or t("col.score", lang)
    chart = (
        alt.Chart(data)
        .mark_point(filled=True, opacity=0.9)
        .encode(
            y=alt.Y("label:N", sort=None, title=None),
            yOffset=alt.YOffset("city:N"),
            x=alt.X("value:Q", title=vt, axis=alt.Axis(format=NUMBER, labelOverlap=True)),
            shape=alt.Shape(
                "role:N",
                title=None,
                legend=alt.Legend(orient="right"),
                scale=alt.Scale(
                    domain=[t("chart.home", lang), t("chart.peer", lang)],
                    range=["diamond", "circle"],
                ),
            ),
            size=alt.condition("datum.is_home", alt.value(220), alt.value(70)),
            color=alt.Color(
                "city:N",
                title=t("col.city", lang),
                legend=alt.Legend(orient="right"),
                scale=_colour_scale(colours, sorted(data["city"])),
            ),
            tooltip=[
                alt.Tooltip("city:N", title=t("col.city", lang)),
                alt.Tooltip("label:N", title=t("col.name", lang)),
                alt.Tooltip("value:Q", format=NUMBER, title=vt),
            ],
        )
    )
    # with yOffset the step is one city's line within a row: a row is at least 20 px high,
    # so that every row keeps its label when few cities have a value
    height = alt.Step(max(10, -(-20 // max(1, data["city"].nunique()))))
    return finish(chart.properties(title=title, width=width, height=height), lang)


def rank_interval_chart(
    frame: pd.DataFrame, lang: str, *, title: str = "", width: int = WIDTH
) -> alt.TopLevelMixin:
    """Rank uncertainty: ``label, nominal_rank, q05, q95`` (+ ``median_rank``) per area."""
    data = _frame(frame, ("label", "nominal_rank", "q05", "q95"))
    y = alt.Y("label:N", sort=alt.SortField("nominal_rank"), title=None)
    x_title = t("col.rank", lang)
    base = alt.Chart(data).encode(y=y)
    rule = base.mark_rule(strokeWidth=3, color="#9ecae1").encode(
        x=alt.X("q05:Q", title=x_title, scale=alt.Scale(zero=False), axis=alt.Axis(format="d")),
        x2="q95:Q",
    )
    point = base.mark_point(shape="diamond", filled=True, size=90, color=HOME_COLOUR).encode(
        x="nominal_rank:Q",
        tooltip=[
            alt.Tooltip("label:N", title=t("col.name", lang)),
            alt.Tooltip("nominal_rank:Q", title=t("chart.nominal_rank", lang)),
            alt.Tooltip("q05:Q", format=",.0f", title=t("col.q05", lang)),
            alt.Tooltip("q95:Q", format=",.0f", title=t("col.q95", lang)),
        ],
    )
    height = alt.Step(24)
    return finish(alt.layer(rule, point).properties(title=title, width=width, height=height), lang)


def inequality_chart(
    frame: pd.DataFrame, lang: str, *, title: str = "", width: int = WIDTH
) -> alt.TopLevelMixin:
    """Inequality measures over years: ``year, measure, value``, one small panel per measure."""
    data = _frame(frame, ("year", "measure", "value"))
    chart = (
        alt.Chart(data)
        .mark_line(point=True, color=LINE_COLOUR)
        .encode(
            x=alt.X("year:O", title=t("col.year", lang), axis=alt.Axis(labelAngle=0)),
            y=alt.Y(
                "value:Q",
                title=None,
                scale=alt.Scale(zero=True, nice=True),
                axis=alt.Axis(format=",.3~g", tickCount=4),
            ),
            tooltip=[
                alt.Tooltip("measure:N", title=t("col.measure", lang)),
                alt.Tooltip("year:O", title=t("col.year", lang)),
                alt.Tooltip("value:Q", format=",.3f", title=t("col.value", lang)),
            ],
        )
        .properties(width=width // 2 - 30, height=140)
    )
    faceted = (
        chart.facet(facet=alt.Facet("measure:N", title=None), columns=2)
        .resolve_scale(y="independent")
        .properties(title=title)
    )
    return finish(faceted, lang)


def sensitivity_bars(
    frame: pd.DataFrame, lang: str, *, title: str = "", width: int = WIDTH
) -> alt.TopLevelMixin:
    """Sobol-style indices per ``assumption``: ``first_order`` and ``total`` side by side."""
    data = _frame(frame, ("assumption", "first_order", "total"))
    names = {"first_order": t("chart.first_order", lang), "total": t("chart.total", lang)}
    long = data.melt(id_vars="assumption", value_vars=list(names), var_name="kind")
    long["kind"] = long["kind"].map(names)
    base = alt.Chart(long).encode(
        y=alt.Y("assumption:N", title=None),
        yOffset=alt.YOffset("kind:N"),
        x=alt.X(
            "value:Q",
            title=t("chart.sensitivity_axis", lang),
            scale=alt.Scale(domain=[0, 1]),
            axis=alt.Axis(format=",.1f"),
        ),
    )
    chart = base.mark_bar().encode(
        color=alt.Color(
            "kind:N",
            title=None,
            legend=alt.Legend(orient="bottom"),
            scale=alt.Scale(range=[LINE_COLOUR, "#9ecae1"]),
        ),
        tooltip=[
            alt.Tooltip("assumption:N", title=t("report.assumption", lang)),
            alt.Tooltip("kind:N", title=t("col.measure", lang)),
            alt.Tooltip("value:Q", format=",.3f", title=t("col.value", lang)),
        ],
    )
    height = alt.Step(16)  # with yOffset the step is one bar within an assumption's row
    return finish(chart.properties(title=title, width=width, height=height), lang)


def change_chart(
    frame: pd.DataFrame, lang: str, *, title: str = "", width: int = WIDTH
) -> alt.TopLevelMixin:
    """Before/after dumbbell per ``label``: ``before, after`` (e.g. what-if re-scoring)."""
    data = _frame(frame, ("label", "before", "after"))
    y = alt.Y("label:N", sort=alt.SortField("after", order="descending"), title=None)
    base = alt.Chart(data).encode(y=y)
    rule = base.mark_rule(color="#999999").encode(
        x=alt.X("before:Q", title=t("col.score", lang), axis=alt.Axis(format=NUMBER)), x2="after:Q"
    )
    kinds = [t("col.before", lang), t("col.after", lang)]
    key = alt.Scale(domain=kinds, range=[PEER_COLOUR, HOME_COLOUR])
    shapes = alt.Scale(domain=kinds, range=["circle", "diamond"])
    before = (
        base.transform_calculate(kind=json.dumps(kinds[0]))
        .mark_point(size=60, filled=False)
        .encode(
            x="before:Q",
            color=alt.Color("kind:N", title=None, scale=key),
            shape=alt.Shape("kind:N", title=None, scale=shapes),
        )
    )
    after = (
        base.transform_calculate(kind=json.dumps(kinds[1]))
        .mark_point(filled=True, size=90)
        .encode(
            color=alt.Color("kind:N", title=None, scale=key),
            shape=alt.Shape("kind:N", title=None, scale=shapes),
            x="after:Q",
            tooltip=[
                alt.Tooltip("label:N", title=t("col.name", lang)),
                alt.Tooltip("before:Q", format=NUMBER, title=t("col.before", lang)),
                alt.Tooltip("after:Q", format=NUMBER, title=t("col.after", lang)),
            ],
        )
    )
    height = alt.Step(24)
    return finish(
        alt.layer(rule, before, after).properties(title=title, width=width, height=height), lang
    )


RISE_COLOUR = "#2166ac"  # blue / orange: told apart with every colour-vision deficiency
FALL_COLOUR = "#e08214"


def contribution_chart(
    frame: pd.DataFrame, lang: str, *, title: str = "", value_title: str = "", width: int = WIDTH
) -> alt.TopLevelMixin:
    """Horizontal bars of ``label, contribution`` (points of the score), largest effect first;
    rises blue with ▲, falls orange with ▼ (direction read from the word too, not colour
    alone), the value printed at the bar's end."""
    data = _frame(frame, ("label", "contribution"))
    rise, fall = t("chart.rise", lang), t("chart.fall", lang)
    data = data.assign(
        direction=[rise if c >= 0 else fall for c in data["contribution"]],
        caption=[
            ("▲ " if c >= 0 else "▼ ") + str(lbl)
            for lbl, c in zip(data["label"], data["contribution"], strict=True)
        ],
        order=-data["contribution"].abs(),
    )
    vt = value_title or t("chart.points", lang)
    base = alt.Chart(data).encode(
        y=alt.Y("caption:N", sort=list(data.sort_values("order")["caption"]), title=None),
        x=alt.X("contribution:Q", title=vt, axis=alt.Axis(format="+,.2f")),
    )
    bars = base.mark_bar().encode(
        color=alt.Color(
            "direction:N",
            title=None,
            legend=alt.Legend(orient="bottom"),
            scale=alt.Scale(domain=[rise, fall], range=[RISE_COLOUR, FALL_COLOUR]),
        ),
        tooltip=[
            alt.Tooltip("label:N", title=t("col.name", lang)),
            alt.Tooltip("contribution:Q", format="+,.3f", title=vt),
        ],
    )
    text = base.mark_text(align="left", dx=3).encode(
        text=alt.Text("contribution:Q", format="+,.2f")
    )
    zero = base.mark_rule(color="#4d4d4d").encode(x=alt.datum(0))  # one dataset only
    return finish(
        alt.layer(bars, text, zero).properties(title=title, width=width, height=alt.Step(22)), lang
    )


# --- frame adapters: view-model tables -> the chart frames above (pure, no statistics) -------


def label_units(
    frame: pd.DataFrame,
    regions: pd.DataFrame,
    *,
    value: str = "value",
    scale: float = 1.0,
    home: str | None = None,
) -> pd.DataFrame:
    """``label, lat, lon, value, highlight`` from a frame with ``area_code`` and ``value``."""
    reg = regions[["area_code", "name", "lat", "lon"]].drop_duplicates("area_code")
    out = frame.merge(reg, on="area_code", how="left", suffixes=("_src", ""))
    return pd.DataFrame(
        {
            "area_code": out["area_code"],
            "label": out["name"].fillna(out["area_code"]),
            "lat": out["lat"],
            "lon": out["lon"],
            "value": pd.to_numeric(out[value], errors="coerce") * scale,
            "highlight": out["area_code"] == home,
        }
    )


def long_measures(frame: pd.DataFrame, measures: dict[str, str]) -> pd.DataFrame:
    """``year, measure, value`` from a wide table (``measures``: column -> display label)."""
    cols = [c for c in measures if c in frame.columns]
    out = frame.melt(id_vars="year", value_vars=cols, var_name="measure")
    out["measure"] = out["measure"].map(measures)
    return out.dropna(subset=["value"]).reset_index(drop=True)


def peer_frame(
    scores: pd.DataFrame, regions: pd.DataFrame, *, city: str, year: int, names: dict[str, str]
) -> pd.DataFrame:
    """``label, city, value, is_home`` for the peer dot plot from ``area_code, year, code, score``
    rows (``names``: code -> display label, in display order)."""
    s = scores[(scores["year"] == year) & scores["code"].isin(list(names))]
    out = label_units(s, regions, value="score", home=city).assign(code=s["code"].to_numpy())
    out = out.assign(city=out["label"], label=out["code"].map(names), is_home=out["highlight"])
    order = {name: i for i, name in enumerate(names.values())}
    return out.sort_values("label", key=lambda c: c.map(order))[
        ["label", "city", "value", "is_home"]
    ].reset_index(drop=True)
