"""Lead responsibility in the UN system: ordered, sourced rules; the first that applies wins.

The rules say *which people* a situation concerns; *who* leads, coordinates or contributes for them
is read from ``data/mandates.csv``, the table chapter 2's mandate matrix draws, so the matrix and
chapter 4's classifier cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from .. import data
from .citations import (
    CONVENTION_1D,
    GUIDING_PRINCIPLES_IDP,
    IASC_CLUSTERS,
    ILO_MIGRANT_WORKERS,
    IOM_CLUSTERS,
    IOM_DEFINITION,
    IOM_KEY_TERMS,
    NANSEN_AGENDA,
    PALERMO_PROTOCOL,
    STATELESS_1954,
    UN_IOM_AGREEMENT,
    UNHCR_NOTE_1D,
    UNHCR_STATELESS_MANDATE,
    UNHCR_STATUTE,
    UNHCR_WIDER_MANDATE,
    UNODC_UNTOC,
    UNRWA_MANDATE,
    Citation,
)
from .classification import unhcr_status
from .criteria import REFUGEE, REFUGEE_1D, WIDER_MANDATE
from .situation import Situation

ROLE_ORDER = ("lead", "coordinates", "contributes")
_VERBS = {
    "lead": ("leads", "lead"),
    "coordinates": ("coordinates", "coordinate"),
    "contributes": ("contributes", "contribute"),
}


def roles_in_words(population_group: str, mandates: pd.DataFrame | None = None) -> str:
    """The entities of ``data/mandates.csv`` for ``population_group`` and their roles, lead first:
    "UNHCR leads; OCHA coordinates; WFP contributes", or "no UN lead; ..." when none leads."""
    mandates = data.load("mandates") if mandates is None else mandates
    rows = mandates[mandates["population_group"] == population_group]
    if rows.empty:
        raise KeyError(f"data/mandates.csv: no row for the population group {population_group!r}")
    parts = []
    for role in ROLE_ORDER:
        entities = list(dict.fromkeys(rows.loc[rows["role"] == role, "entity"]))
        if entities:
            singular, plural = _VERBS[role]
            parts.append(f"{' and '.join(entities)} {singular if len(entities) == 1 else plural}")
    return "; ".join(parts) if "lead" in set(rows["role"]) else "; ".join(["no UN lead", *parts])


@dataclass(frozen=True)
class LeadRule:
    """One rule of lead responsibility: when it applies, whose mandate it falls under, and why.

    ``population_group`` names the rows of ``data/mandates.csv`` that say who leads; a rule without
    one (no UN entity has a mandate for these people) says so in ``no_mandate``.
    """

    applies_to: str
    population_group: str | None
    test: Callable[[Situation], bool]
    sources: tuple[Citation, ...]
    no_mandate: str = ""

    def entity(self, mandates: pd.DataFrame | None = None) -> str:
        """Who leads, coordinates and contributes, from ``data/mandates.csv`` (or ``mandates``)."""
        if self.population_group is None:
            return self.no_mandate
        return roles_in_words(self.population_group, mandates)


def _internal_only(s: Situation) -> bool:
    return s.moved_within_state and not s.crossed_border


LEAD_RULES: tuple[LeadRule, ...] = (
    LeadRule(
        "Palestine refugees in UNRWA's area of operations",
        "Palestine refugees",
        lambda s: s.palestine_refugee and s.in_unrwa_area,
        (UNRWA_MANDATE, CONVENTION_1D),
    ),
    LeadRule(
        "Asylum-seekers awaiting a decision",
        "Asylum-seekers",
        lambda s: s.legal_status == "asylum claim pending",
        (UNHCR_STATUTE,),
    ),
    LeadRule(
        "Refugees (Convention or wider mandate), asylum-seekers, Palestine refugees outside UNRWA's area",
        "Refugees",
        lambda s: (
            s.palestine_refugee
            or unhcr_status(s) in (REFUGEE, REFUGEE_1D, WIDER_MANDATE)
            or s.legal_status in ("asylum claim pending", "recognised refugee")
        ),
        (UNHCR_STATUTE, UNHCR_WIDER_MANDATE, UNHCR_NOTE_1D),
    ),
    LeadRule(
        "Stateless persons", "Stateless persons", lambda s: s.stateless, (STATELESS_1954, UNHCR_STATELESS_MANDATE)
    ),
    LeadRule(
        "Refugees who have returned home",
        "Refugees",  # the Statute: voluntary repatriation
        lambda s: s.returned_to_origin and s.former_refugee,
        (UNHCR_STATUTE,),
    ),
    LeadRule(
        "Victims of trafficking",
        "Trafficked persons",
        lambda s: s.trafficked,
        (PALERMO_PROTOCOL, UNODC_UNTOC, UN_IOM_AGREEMENT),
    ),
    LeadRule(
        "People internally displaced by conflict or violence",
        "IDPs (conflict)",
        lambda s: _internal_only(s) and s.fled_conflict_or_violence,
        (GUIDING_PRINCIPLES_IDP, IASC_CLUSTERS),
    ),
    LeadRule(
        "People internally displaced by disasters",
        "IDPs (disasters)",
        lambda s: _internal_only(s) and s.fled_disaster,
        (GUIDING_PRINCIPLES_IDP, IASC_CLUSTERS, IOM_CLUSTERS),
    ),
    LeadRule(
        "Internal migrants who moved by choice",
        None,
        _internal_only,
        (IOM_DEFINITION,),
        "none (IOM works on internal migration)",
    ),
    LeadRule(
        "People displaced across a border by a disaster",
        None,
        lambda s: s.crossed_border and s.fled_disaster and not s.returned_to_origin,
        (NANSEN_AGENDA,),
        "none: no UN mandate (IOM assists in practice)",
    ),
    LeadRule(
        "International migrant workers",
        "Migrant workers",
        lambda s: s.crossed_border and s.for_work and not s.returned_to_origin,
        (ILO_MIGRANT_WORKERS,),
    ),
    LeadRule(
        "Other international migrants, including returning migrants and rejected asylum-seekers",
        "Migrants in general",
        lambda s: s.crossed_border,
        (UN_IOM_AGREEMENT, IOM_DEFINITION, IOM_KEY_TERMS),
    ),
    LeadRule("People who have not moved", None, lambda s: True, (), "none (not a displacement or migration case)"),
)


def lead_rule(situation: Situation) -> LeadRule:
    """The first rule of :data:`LEAD_RULES` that applies to ``situation``."""
    return next(rule for rule in LEAD_RULES if rule.test(situation))


def lead_entity(situation: Situation, mandates: pd.DataFrame | None = None) -> str:
    """Who leads for ``situation`` in the UN system, and who coordinates and contributes (see :data:`LEAD_RULES`)."""
    return lead_rule(situation).entity(mandates)
