"""Lead responsibility in the UN system: ordered, sourced rules; the first that applies wins."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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


@dataclass(frozen=True)
class LeadRule:
    """One rule of lead responsibility: when it applies, which entity leads, and why."""

    applies_to: str
    entity: str
    test: Callable[[Situation], bool]
    sources: tuple[Citation, ...]


def _internal_only(s: Situation) -> bool:
    return s.moved_within_state and not s.crossed_border


LEAD_RULES: tuple[LeadRule, ...] = (
    LeadRule(
        "Palestine refugees in UNRWA's area of operations",
        "UNRWA",
        lambda s: s.palestine_refugee and s.in_unrwa_area,
        (UNRWA_MANDATE, CONVENTION_1D),
    ),
    LeadRule(
        "Refugees (Convention or wider mandate), asylum-seekers, Palestine refugees outside UNRWA's area",
        "UNHCR",
        lambda s: (
            s.palestine_refugee
            or unhcr_status(s) in (REFUGEE, REFUGEE_1D, WIDER_MANDATE)
            or s.legal_status in ("asylum claim pending", "recognised refugee")
        ),
        (UNHCR_STATUTE, UNHCR_WIDER_MANDATE, UNHCR_NOTE_1D),
    ),
    LeadRule("Stateless persons", "UNHCR", lambda s: s.stateless, (STATELESS_1954, UNHCR_STATELESS_MANDATE)),
    LeadRule(
        "Refugees who have returned home",
        "UNHCR",
        lambda s: s.returned_to_origin and s.former_refugee,
        (UNHCR_STATUTE,),
    ),
    LeadRule(
        "Victims of trafficking",
        "IOM (assistance to victims); UNODC (the crime)",
        lambda s: s.trafficked,
        (PALERMO_PROTOCOL, UNODC_UNTOC, UN_IOM_AGREEMENT),
    ),
    LeadRule(
        "People internally displaced by conflict or violence",
        "OCHA coordinates; UNHCR leads the protection cluster",
        lambda s: _internal_only(s) and s.fled_conflict_or_violence,
        (GUIDING_PRINCIPLES_IDP, IASC_CLUSTERS),
    ),
    LeadRule(
        "People internally displaced by disasters",
        "OCHA coordinates; IOM leads camp coordination",
        lambda s: _internal_only(s) and s.fled_disaster,
        (GUIDING_PRINCIPLES_IDP, IASC_CLUSTERS, IOM_CLUSTERS),
    ),
    LeadRule(
        "Internal migrants who moved by choice",
        "none (IOM works on internal migration)",
        _internal_only,
        (IOM_DEFINITION,),
    ),
    LeadRule(
        "People displaced across a border by a disaster",
        "none: no UN mandate (IOM assists in practice)",
        lambda s: s.crossed_border and s.fled_disaster and not s.returned_to_origin,
        (NANSEN_AGENDA,),
    ),
    # The same coding as data/mandates.csv (ILO leads for migrant workers, IOM contributes), so
    # chapter 2's matrix and chapter 4's classifier name the same lead.
    LeadRule(
        "International migrant workers",
        "ILO (labour standards); IOM contributes",
        lambda s: s.crossed_border and s.for_work and not s.returned_to_origin,
        (ILO_MIGRANT_WORKERS,),
    ),
    LeadRule(
        "Other international migrants, including returning migrants and rejected asylum-seekers",
        "IOM",
        lambda s: s.crossed_border,
        (UN_IOM_AGREEMENT, IOM_DEFINITION, IOM_KEY_TERMS),
    ),
    LeadRule("People who have not moved", "none (not a displacement or migration case)", lambda s: True, ()),
)


def lead_rule(situation: Situation) -> LeadRule:
    """The first rule of :data:`LEAD_RULES` that applies to ``situation``."""
    return next(rule for rule in LEAD_RULES if rule.test(situation))


def lead_entity(situation: Situation) -> str:
    """The UN entity with lead responsibility for ``situation`` (see :data:`LEAD_RULES`)."""
    return lead_rule(situation).entity
