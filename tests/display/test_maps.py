"""Choropleth maps: polygons, "no data", highlight, attribution, nothing fetched, PNG render."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from smartindex.display import maps
from smartindex.etl.boundaries import read_boundaries
from smartindex.etl.registry import load_registry
from smartindex.sample import facts

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
NO_VALUE = ("1671011", "1671022", "1671041", "1671061", "1671071", "1671081")
HIGHLIGHT = "1671040"  # Ilir Barat I: 6 kelurahan

SHIPPED_BOUNDARIES = Path("data/boundaries/palembang/kelurahan.geojson")  # the bundled city's


@pytest.fixture(scope="module")
def shapes() -> pd.DataFrame:
    """The shipped boundaries as ``Results.shapes`` holds them."""
    raw = read_boundaries(ROOT / SHIPPED_BOUNDARIES, load_registry().bbox)
    return raw.rename(columns={"kode_wilayah": "area_code", "parent_kode": "parent"})


@pytest.fixture(scope="module")
def values() -> pd.DataFrame:
    """18 kecamatan, 6 of them without a value (as PM2.5 in the sample)."""
    kec = facts.KECAMATAN
    frame = pd.DataFrame(
        {
            "area_code": [k.code for k in kec],
            "name": [k.name for k in kec],
            "value": np.linspace(12.34, 80.0, len(kec)),
        }
    )
    frame.loc[frame["area_code"].isin(NO_VALUE), "value"] = np.nan
    return frame.assign(direction=-1, measure_unit="µg/m³")


def spec_of(
    shapes: pd.DataFrame, values: pd.DataFrame, lang: str = "id", highlight: str | None = HIGHLIGHT
) -> dict[str, Any]:
    chart = maps.district_map(shapes, values, lang=lang, measure="PM2.5", highlight=highlight)
    spec: dict[str, Any] = chart.to_dict()
    return spec


def geo_layers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        layer
        for layer in spec["layer"]
        if (layer["mark"] if isinstance(layer["mark"], str) else layer["mark"]["type"])
        == "geoshape"
    ]


def rows(spec: dict[str, Any], layer: dict[str, Any]) -> list[dict[str, Any]]:
    """A layer's rows: the top-level dataset it names (the map's datasets are attached once)."""
    data = layer["data"]
    found: list[dict[str, Any]] = (
        data["values"] if "values" in data else spec["datasets"][data["name"]]
    )
    return found


def filled(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        f
        for layer in geo_layers(spec)
        if layer["mark"].get("filled", True)
        for f in rows(spec, layer)
    ]


def test_one_geoshape_feature_per_polygon(shapes: pd.DataFrame, values: pd.DataFrame) -> None:
    features = filled(spec_of(shapes, values))
    assert len(features) == len(shapes) == 107
    assert sorted(f["properties"]["name"] for f in features) == sorted(shapes["name"])
    assert {f["geometry"]["type"] for f in features} <= {"Polygon", "MultiPolygon"}


def test_no_data_is_drawn_and_labelled(shapes: pd.DataFrame, values: pd.DataFrame) -> None:
    for lang, label in (("id", "Tidak ada data"), ("en", "No data")):
        spec = spec_of(shapes, values, lang)
        grey = [f for f in filled(spec) if f["properties"]["value"] is None]
        expected = shapes["parent"].isin(NO_VALUE).sum()  # kelurahan of the 6 kecamatan
        assert len(grey) == expected == 29
        assert {f["properties"]["value_text"] for f in grey} == {label}
        layer = next(
            la
            for la in geo_layers(spec)
            if la["encoding"].get("color", {}).get("field") == "properties.status"
        )
        assert layer["encoding"]["color"]["scale"] == {
            "domain": [label],
            "range": [maps.NO_DATA_FILL],
        }
        assert layer["mark"]["strokeDash"] == [3, 2]


def test_values_formatted_per_language_and_direction_stated(
    shapes: pd.DataFrame, values: pd.DataFrame
) -> None:
    first = values.iloc[0]  # Ilir Barat II = 12.34
    for lang, text, better in (
        ("id", "12,3 µg/m³", "lebih rendah lebih baik"),
        ("en", "12.3 µg/m³", "lower is better"),
    ):
        spec = spec_of(shapes, values, lang)
        own = [f for f in filled(spec) if f["properties"]["kecamatan"] == first["area_code"]]
        assert {f["properties"]["value_text"] for f in own} == {text}
        legend = next(
            la
            for la in geo_layers(spec)
            if la["encoding"].get("color", {}).get("field") == "properties.value"
        )
        assert legend["encoding"]["color"]["title"] == ["µg/m³", f"({better})"]
        assert legend["encoding"]["color"]["scale"]["scheme"] == "viridis"


def test_selected_kecamatan_is_outlined(shapes: pd.DataFrame, values: pd.DataFrame) -> None:
    spec = spec_of(shapes, values, "en")
    thick = [la for la in geo_layers(spec) if la["mark"].get("strokeWidth") == 3.0]
    assert len(thick) == 1
    (feature,) = rows(spec, thick[0])
    assert feature["properties"] == {"kecamatan": HIGHLIGHT}
    assert spec["title"]["subtitle"] == "Thick outline: Ilir Barat I"
    assert not [
        la
        for la in geo_layers(spec_of(shapes, values, "en", None))
        if la["mark"].get("strokeWidth") == 3.0
    ]


def test_nothing_fetched_and_attribution_printed(
    shapes: pd.DataFrame, values: pd.DataFrame
) -> None:
    spec = spec_of(shapes, values)
    # Altair stamps the "$schema" identifier on every spec; Vega reads it, never fetches it
    assert spec.pop("$schema").startswith("https://vega.github.io/schema/vega-lite/")
    text = json.dumps(spec) + "".join(json.dumps(rows(spec, la)) for la in spec["layer"])
    assert "http://" not in text and "https://" not in text and '"url"' not in text
    assert spec["projection"]["type"] == "mercator"
    note = [la for la in spec["layer"] if la["mark"]["type"] == "text"]
    assert note[0]["mark"]["text"] == [
        "Batas wilayah: cahyadsn/wilayah_boundaries (MIT License, © 2024 Cahya DSN)",
        "Badan Informasi Geospasial (BIG)",
    ]


def square(x: float, y: float) -> str:
    ring = [[x, y], [x, y + 1], [x + 1, y + 1], [x + 1, y], [x, y]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def test_borders_drop_lines_inside_a_kecamatan() -> None:
    # three area_code squares in a row: A and B in kecamatan K1, C in K2
    shapes = pd.DataFrame(
        {
            "area_code": ["A", "B", "C"],
            "level": "kelurahan",
            "name": ["A", "B", "C"],
            "parent": ["K1", "K1", "K2"],
            "geometry": [square(0, 0), square(1, 0), square(2, 0)],
        }
    )
    borders = maps.kecamatan_borders(shapes)
    k1 = {tuple(sorted(s)) for s in borders["K1"]}
    assert ((1.0, 0.0), (1.0, 1.0)) not in k1  # the A|B line lies inside K1
    assert ((2.0, 0.0), (2.0, 1.0)) in k1 and len(k1) == 6  # 2+2 long sides, 2 ends
    assert ((2.0, 0.0), (2.0, 1.0)) in {tuple(sorted(s)) for s in borders["K2"]}
    assert len(borders["K2"]) == 4


def test_unshared_edge_inside_a_kecamatan_is_not_a_border() -> None:
    # B's left edge has an extra vertex, so it is not shared with A edge for edge
    a = square(0, 0)
    b = json.dumps(
        {"type": "Polygon", "coordinates": [[[1, 0], [1, 0.5], [1, 1], [2, 1], [2, 0], [1, 0]]]}
    )
    shapes = pd.DataFrame(
        {
            "area_code": ["A", "B"],
            "level": "kelurahan",
            "name": ["A", "B"],
            "parent": ["K1", "K1"],
            "geometry": [a, b],
        }
    )
    border = {tuple(sorted(s)) for s in maps.kecamatan_borders(shapes)["K1"]}
    assert not any(p[0] == 1.0 and q[0] == 1.0 for p, q in border)
    assert len(border) == 6


def test_without_shapes_the_chart_says_so(values: pd.DataFrame) -> None:
    spec = maps.district_map(pd.DataFrame(), values, lang="en", measure="PM2.5").to_dict()
    assert "No boundaries in the warehouse" in json.dumps(spec)


@pytest.mark.slow
def test_renders_to_png_in_both_languages(shapes: pd.DataFrame, values: pd.DataFrame) -> None:
    vl_convert = pytest.importorskip("vl_convert")
    ARTIFACTS.mkdir(exist_ok=True)
    for lang in ("id", "en"):
        png = vl_convert.vegalite_to_png(spec_of(shapes, values, lang), scale=1.5)
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000
        (ARTIFACTS / f"map-{lang}.png").write_bytes(png)
