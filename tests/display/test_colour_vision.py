"""Colour-vision check of every colour set a chart uses to tell things apart.

Dichromacy is simulated with the severity-1.0 matrices of Machado, Oliveira & Fernandes (2009),
"A physiologically-based model for simulation of color vision deficiency", IEEE TVCG 15(6),
1291-1298 (applied to linear sRGB); colours are compared in CIELAB (ΔE*ab, CIE 1976). Every
pair of a set must stay at least ``MIN_DELTA_E`` apart for normal vision and for protanopia,
deuteranopia and tritanopia (ΔE ≈ 2.3 is a just-noticeable difference; 15 is clearly apart
in a legend or on neighbouring bars). Marks (◆ ▲ ▼) and labels carry the meaning as well.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from smartindex.display.charts import (
    CITY_PALETTE,
    FALL_COLOUR,
    HOME_COLOUR,
    RISE_COLOUR,
    TONE_COLOURS,
)
from smartindex.display.operations import STATE_COLOURS

MIN_DELTA_E = 15.0
SIMULATIONS = {
    "normal": np.eye(3),
    "protanopia": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deuteranopia": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
    "tritanopia": np.array(
        [
            [1.255528, -0.076749, -0.178779],
            [-0.078411, 0.930809, 0.147602],
            [0.004733, 0.691367, 0.303900],
        ]
    ),
}
SETS = {
    "ranked bars (area, home, best, worst)": list(TONE_COLOURS.values()),
    "rise / fall": [RISE_COLOUR, FALL_COLOUR],
    "ticket states": list(STATE_COLOURS),
    "home city and six peers": [HOME_COLOUR, *CITY_PALETTE[:6]],
}


def linear_rgb(hex_colour: str) -> np.ndarray:
    c = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def lab(rgb: np.ndarray) -> np.ndarray:
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    n = xyz @ rgb / np.array([0.95047, 1.0, 1.08883])  # D65 white
    f = np.where(n > (6 / 29) ** 3, np.cbrt(n), n / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(a: str, b: str, sim: np.ndarray) -> float:
    seen = [lab(np.clip(sim @ linear_rgb(c), 0.0, 1.0)) for c in (a, b)]
    return float(np.linalg.norm(seen[0] - seen[1]))


def test_the_model_reproduces_known_values():
    assert delta_e("#000000", "#FFFFFF", SIMULATIONS["normal"]) == pytest.approx(100.0, abs=0.01)
    # pure red and green collapse for a deuteranope far more than for normal vision
    red_green = [delta_e("#FF0000", "#00FF00", SIMULATIONS[k]) for k in ("normal", "deuteranopia")]
    assert red_green[0] > 80 and red_green[1] < red_green[0] / 2


@pytest.mark.parametrize("name", list(SETS))
@pytest.mark.parametrize("vision", list(SIMULATIONS))
def test_chart_colours_stay_apart_for_every_colour_vision(name, vision):
    pairs = itertools.combinations(SETS[name], 2)
    close = [
        (a, b, round(d, 1))
        for a, b in pairs
        if (d := delta_e(a, b, SIMULATIONS[vision])) < MIN_DELTA_E
    ]
    assert not close, f"{name} under {vision}: {close}"
