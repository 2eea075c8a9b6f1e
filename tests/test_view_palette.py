"""The view's palette under simulated colour-vision deficiency: no two categories that share a
shape may collide, and the polarity colours stay apart.

Simulation: Machado, Oliveira and Fernandes (2009), "A physiologically-based model for simulation
of color vision deficiency" (IEEE TVCG 15(6)), their matrices for severity 1.0 (dichromacy),
applied to linear sRGB. Difference: CIE76 ΔE in CIELAB (D65). The evaluation that asked for this
(../shared/reports/view-2026-11.md) counted ΔE < 12 as "hard to tell apart"; we require ΔE ≥ 20,
because graph nodes are small marks, and the difference needed to tell colours apart grows
several-fold as marks shrink (Stone, Szafir and Setlur 2014, "An engineering model for color
difference as a function of size", Color and Imaging Conference).
"""
from __future__ import annotations

import itertools
import json
import math

import pytest

from exograph.paths import TEMPLATES_DIR

MACHADO_2009 = {
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900)),
}
VISIONS = {"normal": ((1, 0, 0), (0, 1, 0), (0, 0, 1)), **MACHADO_2009}
THRESHOLD = 20.0
STYLES = json.loads((TEMPLATES_DIR / "styles.json").read_text(encoding="utf-8"))


def linear(hex_colour: str) -> tuple[float, ...]:
    channels = (int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return tuple(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)


def lab(rgb: tuple[float, ...]) -> tuple[float, float, float]:
    r, g, b = (min(1.0, max(0.0, c)) for c in rgb)
    x, y, z = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * b, \
        (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    f = [t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116 for t in (x, y, z)]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def seen(hex_colour: str, vision: str) -> tuple[float, float, float]:
    rgb = linear(hex_colour)
    return lab(tuple(sum(m * c for m, c in zip(row, rgb)) for row in VISIONS[vision]))


def delta_e(a: str, b: str, vision: str) -> float:
    return math.dist(seen(a, vision), seen(b, vision))


def test_simulation_matches_known_values():
    assert seen("#ffffff", "deuteranopia") == pytest.approx((100, 0, 0), abs=0.6)  # white stays white
    assert delta_e("#2e7d32", "#c62828", "normal") == pytest.approx(101, abs=2)  # the report's old polarity pair
    assert delta_e("#2e7d32", "#c62828", "deuteranopia") == pytest.approx(16, abs=3)


@pytest.mark.parametrize("vision", list(VISIONS))
def test_no_two_categories_sharing_a_shape_collide(vision):
    by_shape: dict[str, list[tuple[str, str]]] = {}
    for name, style in STYLES["categories"].items():
        by_shape.setdefault(style["shape"], []).append((name, style["color"]))
    collisions = [(a, b, round(delta_e(x, y, vision), 1))
                  for members in by_shape.values() for (a, x), (b, y) in itertools.combinations(members, 2)
                  if delta_e(x, y, vision) < THRESHOLD]
    assert collisions == []


OKABE_ITO = {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}


def test_few_hues_and_shapes_carry_the_families():
    colours = {style["color"] for style in STYLES["categories"].values()}
    shapes = {style["shape"] for style in STYLES["categories"].values()}
    assert colours <= OKABE_ITO | {"#999999"} and shapes == set(STYLES["glyphs"])


def test_look_alike_shapes_share_no_colour():  # a dot and a hexagon are hard to tell apart at 8 px
    colours = {shape: {style["color"] for style in STYLES["categories"].values() if style["shape"] == shape}
               for shape in ("dot", "hexagon")}
    assert colours["dot"].isdisjoint(colours["hexagon"])


@pytest.mark.parametrize("vision", list(VISIONS))
def test_the_selection_stands_apart_from_every_edge_colour(vision):
    edge_colours = [style["color"] for style in STYLES["polarity"].values()] + [STYLES["edge"]["color"]]
    assert min(delta_e(STYLES["highlight"], colour, vision) for colour in edge_colours) >= THRESHOLD
    assert min(delta_e(STYLES["highlight_dark"], colour, vision) for colour in edge_colours) >= THRESHOLD


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio."""
    lum = [0.2126 * r + 0.7152 * g + 0.0722 * b for r, g, b in (linear(a), linear(b))]
    return (max(lum) + 0.05) / (min(lum) + 0.05)


def test_node_borders_show_on_both_backgrounds():  # WCAG 1.4.11: graphical objects at least 3:1
    assert contrast(STYLES["border"], "#ffffff") >= 3 and contrast(STYLES["border_dark"], "#0d1117") >= 3


@pytest.mark.parametrize("vision", list(VISIONS))
def test_polarity_colours_stay_apart(vision):
    polarity = STYLES["polarity"]
    assert delta_e(polarity["positive"]["color"], polarity["negative"]["color"], vision) >= THRESHOLD
    assert polarity["negative"]["dashes"] and polarity["negative"]["arrow"] != polarity["positive"]["arrow"]  # a cue besides colour
