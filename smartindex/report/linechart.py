"""The report's small line charts as plain Vega-Lite specs (the fact sheets build fifty of
them per report; Altair's object model is too slow for that). ``build.chart_svg`` renders them
with the report's locale and bundled font."""

from __future__ import annotations

from typing import Any

import pandas as pd

from smartindex.display.charts import NUMBER
from smartindex.display.numbers import as_number

FACT_W, FACT_H = 230, 110
ACCENT = "#1d4e89"


def line_chart(
    series: pd.DataFrame,
    *,
    y_title: str,
    domain: tuple[float, float] | None = None,
    width: int = FACT_W,
    height: int = FACT_H,
) -> dict[str, Any]:
    """A small Vega-Lite line of ``year, value`` with the ``target`` path dashed (when the
    frame has one); years as whole numbers with ticks that never touch; ``domain`` fixes the
    y axis (scores: 0–100, the same on every chart)."""
    rows = [
        {
            "year": int(r["year"]),
            "value": as_number(r["value"]),
            "target": as_number(r.get("target")),
        }
        for r in series.to_dict("records")
    ]
    x = {
        "field": "year",
        "type": "quantitative",
        "title": None,
        "scale": {"zero": False, "nice": False},
        "axis": {"format": "d", "tickMinStep": 1, "tickCount": 5, "labelFlush": True},
    }

    def y(field: str) -> dict[str, Any]:
        return {
            "field": field,
            "type": "quantitative",
            "title": y_title,
            "scale": {"domain": list(domain)} if domain else {"zero": False},
            "axis": {"format": NUMBER, "tickCount": 4},
        }

    layers: list[dict[str, Any]] = [
        {
            "mark": {"type": "line", "color": ACCENT, "strokeWidth": 2},
            "encoding": {"x": x, "y": y("value")},
        },
        {
            "mark": {"type": "point", "filled": True, "color": ACCENT, "size": 30},
            "encoding": {"x": x, "y": y("value")},
        },
    ]
    if any(r["target"] is not None for r in rows):
        layers.append(
            {
                "transform": [{"filter": "isValid(datum.target)"}],
                "mark": {"type": "line", "color": "#555555", "strokeDash": [5, 3]},
                "encoding": {"x": x, "y": y("target")},
            }
        )
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": rows},
        "width": width,
        "height": height,
        "layer": layers,
        "config": {
            "view": {"stroke": None},
            "axis": {"labelFontSize": 10, "titleFontSize": 10, "gridOpacity": 0.4},
        },
    }
