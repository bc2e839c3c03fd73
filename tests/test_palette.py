"""The palette stays distinguishable for colour-blind readers.

Colour-vision deficiency is simulated with the matrices of Machado, Oliveira and Fernandes
(2009, severity 1.0) in linear RGB; distances are CIE76 in CIELAB. Every pair of population
colours, and the two agency colours, must stay at least 15 apart under normal vision and
protanopia, deuteranopia and tritanopia. Every colour a figure or pane uses comes from
``iomun/palette.py`` or, for a population group, ``iomun/population_groups.py`` (checked below by
reading the package and the notebooks' code), so these checks see them all.
"""

from __future__ import annotations

import ast
import itertools
import re

import numpy as np
import pytest
from code_sources import package_and_chapter_code

from iomun import palette
from iomun.palette import AGENCY_COLOURS, POPULATION_COLOURS, ROLE_COLOURS

MACHADO = {
    "normal": np.eye(3),
    "protanopia": np.array(
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
    ),
    "deuteranopia": np.array(
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
    ),
    "tritanopia": np.array(
        [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]]
    ),
}
MIN_DISTANCE = 15.0
# The migrant stock and the migrants outside the refugee groups (the stock minus those groups) share
# one grey: no chart draws both.
SHARED_GREY = {"migrant_stock", "other_international_migrants"}


def _linear_rgb(hex_colour: str) -> np.ndarray:
    srgb = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def _lab(linear: np.ndarray) -> np.ndarray:
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ linear
    xyz = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def _distance(a: str, b: str, vision: str) -> float:
    simulate = MACHADO[vision]
    return float(
        np.linalg.norm(_lab(np.clip(simulate @ _linear_rgb(a), 0, 1)) - _lab(np.clip(simulate @ _linear_rgb(b), 0, 1)))
    )


@pytest.mark.parametrize("vision", MACHADO)
@pytest.mark.parametrize(
    "colours", [POPULATION_COLOURS, AGENCY_COLOURS, ROLE_COLOURS], ids=["populations", "agencies", "roles"]
)
def test_every_pair_stays_apart(colours: dict[str, str], vision: str) -> None:
    close = [
        (a, b, round(_distance(ca, cb, vision), 1))
        for (a, ca), (b, cb) in itertools.combinations(colours.items(), 2)
        if _distance(ca, cb, vision) < MIN_DISTANCE and {a, b} != SHARED_GREY
    ]
    assert not close, f"colours too close under {vision}: {close}"


def test_simulation_detects_a_red_green_pair() -> None:
    """The check can fail: pure red and green collapse under deuteranopia."""
    assert _distance("#FF0000", "#00FF00", "normal") > 50
    assert _distance("#D00000", "#8A9A00", "deuteranopia") < MIN_DISTANCE


def test_only_the_stock_and_its_remainder_share_a_colour() -> None:
    by_colour: dict[str, set[str]] = {}
    for group, colour in POPULATION_COLOURS.items():
        by_colour.setdefault(colour, set()).add(group)
    assert [groups for groups in by_colour.values() if len(groups) > 1] == [SHARED_GREY]


def test_unhcr_population_colours_are_kept() -> None:
    assert POPULATION_COLOURS["refugees"] == "#0072BC"
    assert POPULATION_COLOURS["idps"] == "#32C189"


# A colour written in code: a hex literal, or one of matplotlib's and CSS's common names.
COLOUR_LITERAL = re.compile(r"#[0-9A-Fa-f]{6}\b|^(white|black|gr[ae]y|red|green|blue|orange)$")


def _colour_literals(source: str) -> list[str]:
    """Colour literals among the string constants of ``source`` (comments are not read)."""
    return [
        node.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and COLOUR_LITERAL.search(node.value)
    ]


COLOUR_HOMES = ("palette.py", "population_groups.py")  # the two modules that define colours


def test_every_colour_comes_from_the_palette() -> None:
    found = {
        name: hits
        for name, source in package_and_chapter_code(skip=COLOUR_HOMES).items()
        if (hits := _colour_literals(source))
    }
    assert not found, (
        "colours written outside iomun/palette.py and iomun/population_groups.py "
        f"(add them there, where the checks see them): {found}"
    )


def test_the_literal_scan_finds_a_colour() -> None:
    """The scan can fail: it finds hex and named colours in strings, inside f-strings too."""
    assert sorted(_colour_literals('ax.plot(x, color="#D25A45")\nf"<p style=\'color:#00FF00\'>{x}</p>"')) == [
        "#D25A45",
        "<p style='color:#00FF00'>",
    ]
    assert _colour_literals('ax.grid(color="white")') == ["white"]


def test_text_colours_are_in_the_palette_module() -> None:
    for name in ("TEXT_ACCENT", "MUTED_TEXT", "NEUTRAL_FILL", "BACKGROUND", "INK", "ALERT_TEXT"):
        assert re.fullmatch(r"#[0-9A-F]{6}", getattr(palette, name)), name
