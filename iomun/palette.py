"""One palette for the whole book: a fixed colour per population group and per agency.

The population groups' colours are defined with the groups, in :mod:`iomun.population_groups`
(UNHCR's data-visualisation guidance, extended); every colour is checked for colour-blind readers
(simulated, CIELAB distance of at least 15; ``tests/test_palette.py``). Figures also label lines
directly, so colour is never the only cue.
"""

from __future__ import annotations

from .population_groups import GROUPS

POPULATION_COLOURS: dict[str, str] = {key: group.colour for key, group in GROUPS.items()}

AGENCY_COLOURS: dict[str, str] = {
    "UNHCR": POPULATION_COLOURS["refugees"],  # UNHCR's own blue, the refugees' colour in its guidance
    "IOM": "#E69F00",
}

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
# a message that something cannot be (the live classifier's contradictions): UNHCR's red
ALERT_TEXT = POPULATION_COLOURS["other_in_need_of_international_protection"]
