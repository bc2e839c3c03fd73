"""The facts of one person's situation: every field is one criterion of some definition."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

NO_GROUND = "none of the five"
CONVENTION_GROUNDS: tuple[str, ...] = (
    "race",
    "religion",
    "nationality",
    "membership of a particular social group",
    "political opinion",
)
LEGAL_STATUSES: tuple[str, ...] = (
    "regular (lawful stay)",
    "irregular (no authorisation)",
    "asylum claim pending",
    "asylum claim rejected",
    "recognised refugee",
    "citizen in own country",
)
LONG_TERM_MONTHS = 12
SHORT_TERM_MONTHS = 3


@dataclass(frozen=True)
class Situation:
    """The facts of one person's situation; every field is one criterion of some definition."""

    crossed_border: bool = False
    outside_country_of_origin: bool = False
    moved_within_state: bool = False
    stateless: bool = False
    well_founded_fear: bool = False
    convention_ground: str = NO_GROUND
    protection_unavailable: bool = False
    fled_conflict_or_violence: bool = False
    fled_disaster: bool = False
    trafficked: bool = False
    voluntary: bool = True
    legal_status: str = LEGAL_STATUSES[0]
    months_of_stay: int = 0
    visit_purpose: bool = False
    palestine_refugee: bool = False
    in_unrwa_area: bool = False
    returned_to_origin: bool = False
    former_refugee: bool = False
    for_work: bool = False

    def __post_init__(self) -> None:
        if self.convention_ground not in (NO_GROUND, *CONVENTION_GROUNDS):
            raise ValueError(f"unknown Convention ground '{self.convention_ground}'")
        if self.legal_status not in LEGAL_STATUSES:
            raise ValueError(f"unknown legal status '{self.legal_status}'")
        if self.months_of_stay < 0:
            raise ValueError("months_of_stay cannot be negative")
        if self.returned_to_origin and self.outside_country_of_origin:
            raise ValueError("a person who returned to the country of origin is not outside it")
        if self.returned_to_origin and not self.crossed_border:
            raise ValueError("a return home presupposes crossing a border")


def field_names() -> list[str]:
    """The fields of :class:`Situation`, in order (one control each)."""
    return [f.name for f in fields(Situation)]


def with_facts(situation: Situation, **facts: object) -> Situation:
    """A copy of ``situation`` with some facts changed (validated again)."""
    return replace(situation, **facts)
