"""One palette for the whole book: a fixed colour per population group and per agency.

Population groups follow UNHCR's data-visualisation guidance (refugees, asylum-seekers,
IDPs, stateless, others in need of international protection), so readers who know
UNHCR's charts read ours the same way. Groups UNHCR's guidance does not colour were
added so that every pair stays apart under protanopia, deuteranopia and tritanopia
(simulated, CIELAB distance of at least 15; ``tests/test_palette.py`` checks it).
Figures also label lines directly, so colour is never the only cue.
"""

from __future__ import annotations

POPULATION_COLOURS: dict[str, str] = {
    "refugees": "#0072BC",
    "asylum_seekers": "#6CD8FD",
    "idps": "#32C189",
    "stateless": "#FFC740",
    "other_in_need_of_international_protection": "#D25A45",
    "palestine_refugees": "#762A83",
    "other_international_migrants": "#8C8C8C",
}

AGENCY_COLOURS: dict[str, str] = {"UNHCR": "#0072BC", "IOM": "#E69F00"}

TEXT_ACCENT = "#18375F"
MUTED_TEXT = "#4D4D4D"
NEUTRAL_FILL = "#A6A6A6"

ROLE_COLOURS: dict[str, str] = {
    "none found": "#F2F2F2",
    "contributes": "#9ECAE1",
    "coordinates": "#4292C6",
    "lead": "#08306B",
}
"""A light-to-dark blue ramp for the mandate matrix: the darker, the larger the role."""

BACKGROUND = "#FFFFFF"  # the figures' background: hollow markers and separating lines
INK = "#000000"  # labels on light fills
ALERT_TEXT = "#D25A45"  # a message that something cannot be (the live classifier's contradictions)
