"""Choropleth maps of the city's kecamatan from the shipped boundary polygons (``Results.shapes``).

Nothing is fetched: the polygons travel inline in the Vega-Lite spec, drawn with an explicit
Mercator projection and no tile server. Kelurahan polygons are filled with their kecamatan's
value (their own lines hidden); kecamatan borders are the polygon edges whose two sides lie in
different kecamatan (or on the city's edge), so no geometry library is needed to dissolve them.
Colour is viridis (colour-blind safe, monotone in lightness); the legend title states which end
is better. Kecamatan without a value are light grey with dashed lines and their own legend entry.
The licence attribution of the boundary file is printed on the map.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, Final, cast

import altair as alt
import numpy as np
import pandas as pd

from smartindex.display.charts import finish
from smartindex.display.i18n import format_value, t

WIDTH = 520
HEIGHT = 440
NO_DATA_FILL = "#e3e3e3"
NO_DATA_LINE = "#7a7a7a"
BORDER = "#ffffff"
HIGHLIGHT = "#111111"
SCHEME: Final = "viridis"
DECIMALS = 4  # drawn coordinates: 1e-4° ≈ 11 m, far below a pixel at app and report sizes
LEGEND_OFFSET = 40  # px below the map: room for the two attribution lines
SIDE_OFFSET = 3e-5  # degrees (about 3 m): how far beside an edge its two sides are probed
Point = tuple[float, float]
Segment = tuple[Point, Point]


def _rings(geometry: dict[str, Any]) -> Iterable[list[list[float]]]:
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    for polygon in polygons:
        yield from polygon


def _edge(a: list[float], b: list[float]) -> Segment:
    p, q = (float(a[0]), float(a[1])), (float(b[0]), float(b[1]))
    return (p, q) if p <= q else (q, p)


def _ring_edges(shapes: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """All ring edges as an (m, 4) array ``x1, y1, x2, y2``, the polygon row of each edge and
    the kecamatan of each polygon row."""
    edges: list[list[float]] = []
    rows: list[int] = []
    for i, text in enumerate(shapes["geometry"]):
        for ring in _rings(json.loads(text)):
            for a, b in itertools.pairwise(ring):
                edges.append([a[0], a[1], b[0], b[1]])
                rows.append(i)
    return np.asarray(edges, dtype=float), np.asarray(rows), _kecamatan_of(shapes)


def _owner(
    points: np.ndarray, edges: np.ndarray, rows: np.ndarray, kecs: list[str]
) -> list[str | None]:
    """The kecamatan whose polygon contains each point (even-odd ray casting per polygon,
    points outside the polygon's bounding box skipped), None outside every polygon."""
    owner: list[str | None] = [None] * len(points)
    for row in np.unique(rows):
        e = edges[rows == row]
        lo, hi = e[:, [0, 1]].min(axis=0), e[:, [0, 1]].max(axis=0)
        near = np.flatnonzero(((points >= lo) & (points <= hi)).all(axis=1))
        if not len(near):
            continue
        x, y = points[near, :1], points[near, 1:]
        x1, y1, x2, y2 = (e[:, k] for k in range(4))
        with np.errstate(divide="ignore", invalid="ignore"):
            cross = ((y1 > y) != (y2 > y)) & (x < x1 + (y - y1) * (x2 - x1) / (y2 - y1))
        for i in near[cross.sum(axis=1) % 2 == 1]:
            owner[int(i)] = owner[int(i)] or kecs[int(row)]
    return owner


def kecamatan_borders(shapes: pd.DataFrame) -> dict[str, list[Segment]]:
    """Border segments per kecamatan (``shapes``: ``area_code, level, parent, geometry``; a
    kecamatan-level shape is its own kecamatan).

    An edge shared by polygons of two kecamatan is a border of both; an edge shared within one
    kecamatan (a kelurahan line) is not. An unshared edge (the city's edge, or two neighbours
    whose vertices do not coincide) is a border unless the points just beside its midpoint, on
    both sides, lie in the same kecamatan."""
    return _borders(_key(shapes))


def _key(shapes: pd.DataFrame) -> tuple[tuple[str, str], ...]:
    return tuple(zip(_kecamatan_of(shapes), map(str, shapes["geometry"]), strict=True))


@functools.lru_cache(maxsize=8)
def _border_lines(polygons: tuple[tuple[str, str], ...]) -> dict[str, dict[str, Any]]:
    """Each kecamatan's border as a drawn MultiLineString (cached; do not modify)."""
    return {kec: _lines(segments) for kec, segments in _borders(polygons).items()}


@functools.lru_cache(maxsize=8)
def _borders(polygons: tuple[tuple[str, str], ...]) -> dict[str, list[Segment]]:
    """kecamatan_borders of (kecamatan, GeoJSON text) pairs; cached, since every app rerun
    draws the same shapes (callers must not modify the result)."""
    shapes = pd.DataFrame(
        {
            "area_code": [k for k, _ in polygons],
            "level": "kecamatan",
            "parent": None,
            "geometry": [g for _, g in polygons],
        }
    )
    owners: dict[Segment, list[str]] = defaultdict(list)
    for kec, text in polygons:
        for ring in _rings(json.loads(text)):
            for a, b in itertools.pairwise(ring):
                if a != b:
                    owners[_edge(a, b)].append(kec)
    lone = [seg for seg, kecs in owners.items() if len(kecs) == 1]
    if lone:
        seg = np.asarray(lone, dtype=float).reshape(len(lone), 4)
        mid = (seg[:, :2] + seg[:, 2:]) / 2
        normal = np.stack([seg[:, 1] - seg[:, 3], seg[:, 2] - seg[:, 0]], axis=1)
        normal *= SIDE_OFFSET / np.maximum(np.hypot(normal[:, 0], normal[:, 1]), 1e-12)[:, None]
        sides = _owner(np.vstack([mid + normal, mid - normal]), *_ring_edges(shapes))
        for i, segment in enumerate(lone):
            left, right = sides[i], sides[i + len(lone)]
            if left is not None and left == right:
                owners[segment] = [left, left]  # a kelurahan line: not a border
    borders: dict[str, list[Segment]] = defaultdict(list)
    for segment, kecs in owners.items():
        if len(kecs) == 1 or len(set(kecs)) > 1:
            for kec in set(kecs):
                borders[kec].append(segment)
    return dict(borders)


def _kecamatan_of(shapes: pd.DataFrame) -> list[str]:
    return [
        str(p if level == "kelurahan" else u)
        for u, level, p in zip(shapes["area_code"], shapes["level"], shapes["parent"], strict=True)
    ]


def _rounded(coords: Any) -> Any:
    """Nested GeoJSON coordinates with each ring (a list of positions) as a rounded (n, 2)
    numpy array: Altair serialises numpy arrays on a fast path (plain float lists cost a
    protocol check per number, about a second per map)."""
    if isinstance(coords[0][0], int | float):
        return np.round(np.asarray(coords, dtype=float)[:, :2], DECIMALS)
    return [_rounded(c) for c in coords]


@functools.lru_cache(maxsize=512)
def _drawn(text: str) -> dict[str, Any]:
    """A stored GeoJSON geometry with coordinates rounded for drawing (cached per polygon;
    callers must not modify it)."""
    geometry = json.loads(text)
    return {"type": geometry["type"], "coordinates": _rounded(geometry["coordinates"])}


def _lines(segments: list[Segment]) -> dict[str, Any]:
    return {"type": "MultiLineString", "coordinates": _rounded([list(s) for s in segments])}


def _number(x: object) -> float | None:
    try:
        value = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


def map_features(
    shapes: pd.DataFrame, values: pd.DataFrame, lang: str, unit: str = ""
) -> list[dict[str, Any]]:
    """One GeoJSON Feature per polygon row of ``shapes`` with properties ``kecamatan`` (code),
    ``kecamatan_name``, ``name`` (the polygon's own name), ``value`` (None = no data) and
    ``value_text`` (formatted in ``lang``, or the words for "no data")."""
    by_area = values.set_index("area_code")
    out = []
    rows = zip(_kecamatan_of(shapes), shapes["name"], shapes["geometry"], strict=True)
    for kec, name, geometry in rows:
        value = _number(by_area["value"].get(kec)) if kec in by_area.index else None
        kec_name = str(by_area["name"].get(kec, kec)) if kec in by_area.index else kec
        text = (
            t("map.no_data", lang)
            if value is None
            else format_value(value, lang) + (f" {unit}" if unit else "")
        )
        out.append(
            {
                "type": "Feature",
                "geometry": _drawn(str(geometry)),
                "properties": {
                    "kecamatan": kec,
                    "kecamatan_name": kec_name,
                    "name": str(name),
                    "value": value,
                    "value_text": text,
                },
            }
        )
    return out


def attribution(shapes: pd.DataFrame) -> str:
    """The distinct attribution texts of the shapes (from their licence members), joined."""
    texts = dict.fromkeys(str(a) for a in shapes.get("attribution", pd.Series(dtype=str)))
    return " · ".join(texts)


def _named(name: str) -> alt.NamedData:
    """A reference to one of the map's top-level datasets (see :func:`choropleth`)."""
    return alt.NamedData(name=name)


def _tooltip(lang: str) -> list[alt.Tooltip]:
    return [
        alt.Tooltip("properties.kecamatan_name:N", title=t("map.kecamatan", lang)),
        alt.Tooltip("properties.name:N", title=t("map.area", lang)),
        alt.Tooltip("properties.value_text:N", title=t("map.value", lang)),
    ]


def _filled(data: alt.NamedData, lang: str, legend_title: list[str]) -> alt.Chart:
    scale = alt.Scale(scheme=SCHEME)
    chart: alt.Chart = (
        alt.Chart(data)
        .mark_geoshape(strokeWidth=0.6)
        .encode(
            color=alt.Color(
                "properties.value:Q",
                scale=scale,
                title=legend_title,
                legend=alt.Legend(orient="bottom", gradientLength=260, offset=LEGEND_OFFSET),
            ),
            stroke=alt.Stroke("properties.value:Q", scale=scale, legend=None),
            tooltip=_tooltip(lang),
        )
    )
    return chart


def _no_data(data: alt.NamedData, label: str, lang: str) -> alt.Chart:
    chart: alt.Chart = (
        alt.Chart(data)
        .mark_geoshape(stroke=NO_DATA_LINE, strokeWidth=0.7, strokeDash=[3, 2])
        .encode(
            color=alt.Color(
                "properties.status:N",
                title=None,
                scale=alt.Scale(domain=[label], range=[NO_DATA_FILL]),
                legend=alt.Legend(
                    orient="bottom",
                    offset=LEGEND_OFFSET,
                    symbolStrokeColor=NO_DATA_LINE,
                    symbolDash=[3, 2],
                    symbolType="square",
                ),
            ),
            tooltip=_tooltip(lang),
        )
    )
    return chart


def _outline(data: alt.NamedData, colour: str, width: float) -> alt.Chart:
    chart: alt.Chart = alt.Chart(data).mark_geoshape(
        filled=False, stroke=colour, strokeWidth=width, strokeJoin="round", strokeCap="round"
    )
    return chart


def _empty(lang: str, title: str, width: int, height: int) -> alt.TopLevelMixin:
    note = (
        alt.Chart(alt.InlineData(values=[{"text": t("map.no_shapes", lang)}]))
        .mark_text(fontSize=12, color=NO_DATA_LINE)
        .encode(text="text:N")
    )
    return finish(note.properties(title=title, width=width, height=height), lang)


def choropleth(
    shapes: pd.DataFrame,
    values: pd.DataFrame,
    *,
    lang: str,
    title: str,
    unit_label: str,
    direction: int = 1,
    unit: str = "",
    highlight: str | None = None,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> alt.TopLevelMixin:
    """A choropleth of the kecamatan ``values`` (``area_code, name, value``; NaN = no data) drawn on
    ``shapes`` (``Results.shapes``: ``area_code, level, name, parent, geometry, attribution``).

    ``unit_label`` titles the legend, followed by which end is better (``direction`` 1: higher,
    −1: lower); ``unit`` follows values in tooltips; ``highlight`` (a kecamatan code) gets a
    thick outline. Without shapes the chart says so instead of drawing a map."""
    if shapes.empty:
        return _empty(lang, title, width, height)
    features = map_features(shapes, values, lang, unit)
    better = t("map.higher_better" if direction >= 0 else "map.lower_better", lang)
    no_data = t("map.no_data", lang)
    borders = _border_lines(_key(shapes))
    # the rows are attached as top-level datasets once, at the very end: Altair deep-copies
    # inline data on every method call (seconds for a hundred polygons). Streamlit keeps
    # GeoJSON datasets in the spec (tabular ones go to Arrow)
    datasets: dict[str, list[dict[str, Any]]] = {
        "map-values": [f for f in features if f["properties"]["value"] is not None],
        "map-no-data": [
            {**f, "properties": {**f["properties"], "status": no_data}}
            for f in features
            if f["properties"]["value"] is None
        ],
        "map-borders": [
            {"type": "Feature", "geometry": line, "properties": {}} for line in borders.values()
        ],
        "map-highlight": [
            {"type": "Feature", "geometry": borders[k], "properties": {"kecamatan": k}}
            for k in [highlight]
            if k in borders
        ],
    }
    named = {name: _named(name) for name, rows in datasets.items() if rows}
    layers: list[alt.Chart] = []
    if "map-values" in named:
        layers.append(_filled(named["map-values"], lang, [unit_label, f"({better})"]))
    if "map-no-data" in named:
        layers.append(_no_data(named["map-no-data"], no_data, lang))
    layers.append(_outline(named["map-borders"], BORDER, 1.4))
    if "map-highlight" in named:
        layers.append(_outline(named["map-highlight"], HIGHLIGHT, 3.0))
    layers.append(
        alt.Chart(alt.InlineData(values=[{"note": 1}])).mark_text(
            text=t("map.attribution", lang, text=attribution(shapes)).split("; "),
            x=0,
            y=height + 6,
            align="left",
            baseline="top",
            fontSize=8,
            color="#555555",
            limit=width,
        )
    )
    names = dict(zip(values["area_code"], values["name"], strict=True))
    heading = alt.TitleParams(
        title,
        subtitle=t("map.selected", lang, name=names.get(highlight, highlight))
        if highlight in borders
        else "",
    )
    chart = (
        alt.layer(*layers)
        .resolve_scale(color="independent")
        .project(type="mercator")
        .properties(title=heading, width=width, height=height)
    )
    finished: Any = finish(chart, lang)  # Altair types no ``datasets`` attribute
    finished.datasets = {name: rows for name, rows in datasets.items() if rows}
    return cast(alt.TopLevelMixin, finished)


def district_map(
    shapes: pd.DataFrame,
    frame: pd.DataFrame,
    *,
    lang: str,
    measure: str,
    highlight: str | None = None,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> alt.TopLevelMixin:
    """:func:`choropleth` of a district frame (``area_code, name, value, direction, measure_unit``,
    see ``smartindex.analysis.districts.district_map_values``) titled by ``measure``: the
    legend shows the measure's unit (scores: 0–100) and which end is better."""
    unit = str(frame["measure_unit"].iloc[0]) if len(frame) else ""
    direction = int(frame["direction"].iloc[0]) if len(frame) else 1
    return choropleth(
        shapes,
        frame,
        lang=lang,
        title=t("map.title", lang, measure=measure),
        unit_label=unit or t("map.score_unit", lang),
        direction=direction,
        unit=unit,
        highlight=highlight,
        width=width,
        height=height,
    )
