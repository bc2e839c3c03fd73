"""Typical situations (archetypes) and whether each is inside the published world numbers."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from .classification import classify
from .criteria import DEFINITIONS, EXCLUDED_1D, IOM, REFUGEE, REFUGEE_1D, SHORT_TERM, UNDESA, UNHCR, WIDER_MANDATE
from .lead_rules import _internal_only, lead_entity
from .situation import LONG_TERM_MONTHS, Situation

ARCHETYPES: dict[str, Situation] = {
    "Convention refugee (political opinion)": Situation(
        crossed_border=True,
        outside_country_of_origin=True,
        well_founded_fear=True,
        convention_ground="political opinion",
        protection_unavailable=True,
        voluntary=False,
        legal_status="recognised refugee",
        months_of_stay=48,
    ),
    "Asylum-seeker awaiting a decision (religion)": Situation(
        crossed_border=True,
        outside_country_of_origin=True,
        well_founded_fear=True,
        convention_ground="religion",
        protection_unavailable=True,
        voluntary=False,
        legal_status="asylum claim pending",
        months_of_stay=14,
    ),
    "Fled generalised violence, not persecution": Situation(
        crossed_border=True,
        outside_country_of_origin=True,
        fled_conflict_or_violence=True,
        protection_unavailable=True,
        voluntary=False,
        legal_status="regular (lawful stay)",
        months_of_stay=30,
    ),
    "Rejected asylum-seeker": Situation(
        crossed_border=True, outside_country_of_origin=True, legal_status="asylum claim rejected", months_of_stay=20
    ),
    "Stateless person in the country of birth": Situation(stateless=True, legal_status="irregular (no authorisation)"),
    "Internally displaced by conflict": Situation(
        moved_within_state=True,
        fled_conflict_or_violence=True,
        voluntary=False,
        legal_status="citizen in own country",
        months_of_stay=24,
    ),
    "Internally displaced by a flood": Situation(
        moved_within_state=True,
        fled_disaster=True,
        voluntary=False,
        legal_status="citizen in own country",
        months_of_stay=5,
    ),
    "Trafficked across a border": Situation(
        crossed_border=True,
        outside_country_of_origin=True,
        trafficked=True,
        voluntary=False,
        legal_status="irregular (no authorisation)",
        months_of_stay=10,
    ),
    "Exchange student, one semester": Situation(crossed_border=True, outside_country_of_origin=True, months_of_stay=6),
    "Labour migrant on a two-year contract": Situation(
        crossed_border=True, outside_country_of_origin=True, months_of_stay=24, for_work=True
    ),
    "Palestine refugee from Syria, now in Lebanon": Situation(
        crossed_border=True,
        outside_country_of_origin=True,
        fled_conflict_or_violence=True,
        voluntary=False,
        palestine_refugee=True,
        in_unrwa_area=True,
        months_of_stay=36,
    ),
    "Refugee who returned home": Situation(
        crossed_border=True,
        returned_to_origin=True,
        former_refugee=True,
        legal_status="citizen in own country",
        months_of_stay=14,
    ),
    "Internal migrant, village to city for work": Situation(
        moved_within_state=True, legal_status="citizen in own country", months_of_stay=36, for_work=True
    ),
    "Displaced across a border by a drought": Situation(
        crossed_border=True,
        outside_country_of_origin=True,
        fled_disaster=True,
        voluntary=False,
        legal_status="irregular (no authorisation)",
        months_of_stay=9,
    ),
}


def archetype_table(archetypes: Mapping[str, Situation] = ARCHETYPES) -> pd.DataFrame:
    """One row per archetype: status under each definition and the lead UN entity."""
    rows = {name: {**classify(s), "lead UN entity": lead_entity(s)} for name, s in archetypes.items()}
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = "situation"
    return frame


YES = "yes"


def in_world_total(definition: str, s: Situation) -> str:
    """Whether ``s`` is inside the world number the chapter shows for ``definition``.

    UNHCR: refugees under UNHCR's mandate (UNHCR statistics). IOM: international migrant
    stock plus people internally displaced by conflict (UN DESA and IDMC). UN DESA:
    international migrant stock, which counts people living outside their country of birth
    (or citizenship), refugees included. Answers start with "yes" or "no", or say that the
    data cannot tell.
    """
    status = classify(s)
    in_stock = s.crossed_border and not s.returned_to_origin and s.months_of_stay >= LONG_TERM_MONTHS
    if definition == UNHCR:
        if s.legal_status == "asylum claim pending":
            return "no: counted separately, as an asylum-seeker"
        if status[UNHCR] == EXCLUDED_1D:
            return "no: counted by UNRWA"
        if status[UNHCR] in (REFUGEE, REFUGEE_1D, WIDER_MANDATE):
            return YES
        if s.stateless:
            return "no: counted separately, as stateless"
        return "no"
    if definition == IOM:
        if in_stock:
            return "yes (migrant stock)"
        if _internal_only(s) and s.fled_conflict_or_violence:
            return "yes (conflict IDPs)"
        if _internal_only(s) and s.fled_disaster:
            return "no: disaster IDPs are outside the conflict series"
        if _internal_only(s):
            return "cannot tell: no world count of internal migrants in these data"
        if s.returned_to_origin:
            return "no: the stock leaves out people living in their own country"
        if s.crossed_border:
            return "no: too short a stay for the stock, as a rule"
        return "no"
    if definition == UNDESA:
        if in_stock:
            return YES
        if s.returned_to_origin:
            return "no: the stock leaves out people living in their own country"
        if status[UNDESA] == SHORT_TERM:
            return "no: short-term migrants are outside the stock, as a rule"
        return "no"
    raise KeyError(f"unknown definition '{definition}' (known: {', '.join(DEFINITIONS)})")
