"""Who counts as a refugee or a migrant: three definitions as explicit, sourced rules.

The briefing contrasts UNHCR's narrow legal definition of a refugee with IOM's umbrella
definition of a migrant; UN DESA's statistical definition of an international migrant is the
third lens, the one behind the world migrant stock. Each definition here is a list of named
criteria with the text it comes from (title, provision, URL). The wording of every
definition is paraphrased, never quoted.

- :class:`Situation` holds the facts of one person's situation.
- :func:`classify` returns the status under each definition; :func:`explain` says why.
- :func:`lead_entity` names the UN entity with lead responsibility, from the ordered,
  sourced rules in :data:`LEAD_RULES` (the first rule that applies wins).
- :func:`in_world_total` says whether a situation is inside the published world number that
  the chapter uses for each definition.
- :func:`live_classifier` builds the ipywidgets explorer for readers with a kernel.

What is simplified, on purpose: the exclusion (art. 1F) and most cessation clauses (art. 1C)
of the 1951 Convention are not modelled (only return home, art. 1C(4)); regional refugee
definitions (OAU 1969, Cartagena 1984) enter only as UNHCR's wider mandate; "changes country
of usual residence" is read as "crossed a border and stays" with the stated duration. Read
literally, IOM's definition disregards the length of stay, so it does not set short visits
apart; the classifier follows the text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd

from ..sources import source_registry
from .citations import (
    CONVENTION_1A2,
    CONVENTION_1C4,
    CONVENTION_1D,
    GUIDING_PRINCIPLES_IDP,
    IASC_CLUSTERS,
    ILO_MIGRANT_WORKERS,
    IOM_CLUSTERS,
    IOM_DEFINITION,
    IOM_GLOSSARY_2019,
    IOM_KEY_TERMS,
    NANSEN_AGENDA,
    PALERMO_PROTOCOL,
    PROTOCOL_1967,
    STATELESS_1954,
    UN_1998_RECOMMENDATIONS,
    UN_IOM_AGREEMENT,
    UNHCR_DECLARATORY,
    UNHCR_NOTE_1D,
    UNHCR_STATELESS_MANDATE,
    UNHCR_STATUTE,
    UNHCR_WIDER_MANDATE,
    UNODC_UNTOC,
    UNRWA_MANDATE,
    Citation,
)
from .situation import LONG_TERM_MONTHS, NO_GROUND, SHORT_TERM_MONTHS, Situation

# ---------------------------------------------------------------------------------------------
# Definitions and criteria

UNHCR = "UNHCR"
IOM = "IOM"
UNDESA = "UN DESA"

# UNHCR statuses
REFUGEE = "refugee"
REFUGEE_1D = "refugee (art. 1D, assistance ceased)"
WIDER_MANDATE = "not a Convention refugee; within UNHCR's wider mandate"
EXCLUDED_1D = "outside the Convention while UNRWA assists (art. 1D)"
NOT_REFUGEE = "not a refugee"
# IOM statuses
MIGRANT_INTERNATIONAL = "migrant (international)"
MIGRANT_INTERNAL = "migrant (internal)"
MIGRANT_RETURN = "migrant (return migration)"
NOT_MIGRANT = "not a migrant"
# UN DESA statuses
LONG_TERM = "international migrant (long-term)"
LONG_TERM_RETURNING = "international migrant (long-term, returning citizen)"
SHORT_TERM = "international migrant (short-term)"
NOT_COUNTED = "not counted"


@dataclass(frozen=True)
class Definition:
    """One definition: who uses it, a paraphrase, its sources and the statuses it yields."""

    key: str
    name: str
    summary: str
    sources: tuple[Citation, ...]
    statuses: tuple[str, ...]
    included: frozenset[str]


DEFINITIONS: dict[str, Definition] = {
    UNHCR: Definition(
        UNHCR,
        "Refugee (1951 Convention, art. 1A(2))",
        "A person outside the country of nationality (or, if stateless, of former habitual "
        "residence) because of a well-founded fear of persecution for race, religion, "
        "nationality, membership of a particular social group or political opinion, who "
        "cannot or, owing to that fear, will not rely on that country's protection.",
        (CONVENTION_1A2, PROTOCOL_1967, CONVENTION_1D, CONVENTION_1C4, UNHCR_DECLARATORY),
        (REFUGEE, REFUGEE_1D, WIDER_MANDATE, EXCLUDED_1D, NOT_REFUGEE),
        frozenset({REFUGEE, REFUGEE_1D}),
    ),
    IOM: Definition(
        IOM,
        "Migrant (IOM's umbrella definition)",
        "Anyone who moves or has moved away from the habitual place of residence, across an "
        "international border or within a State, whatever the legal status, whether the move "
        "was voluntary, whatever its causes and however long the stay.",
        (IOM_DEFINITION, IOM_GLOSSARY_2019),
        (MIGRANT_INTERNATIONAL, MIGRANT_INTERNAL, MIGRANT_RETURN, NOT_MIGRANT),
        frozenset({MIGRANT_INTERNATIONAL, MIGRANT_INTERNAL, MIGRANT_RETURN}),
    ),
    UNDESA: Definition(
        UNDESA,
        "International migrant (UN Recommendations, 1998)",
        "A person who changes country of usual residence: long-term after a stay of at least "
        "12 months, short-term after at least 3 and under 12 months (stays for visits, "
        "holidays, business, medical treatment or pilgrimage excepted).",
        (UN_1998_RECOMMENDATIONS,),
        (LONG_TERM, LONG_TERM_RETURNING, SHORT_TERM, NOT_COUNTED),
        frozenset({LONG_TERM, LONG_TERM_RETURNING, SHORT_TERM}),
    ),
}

REQUIRED = "required"
DISREGARDED = "disregarded"
OTHER_REFERENCE = "changes the country of reference"
WIDER_ONLY = "only in UNHCR's wider mandate"
SETS_TYPE = "sets the type"
EXCLUDES = "excludes"
NOT_PART = "not part of it"


@dataclass(frozen=True)
class Criterion:
    """One named criterion: the Situation field it reads and its role in each definition."""

    field: str
    name: str
    question: str
    roles: Mapping[str, str]
    sources: tuple[Citation, ...]


CRITERIA: tuple[Criterion, ...] = (
    Criterion("crossed_border", "crossed an international border",
              "Has crossed an international border",
              {UNHCR: NOT_PART, IOM: SETS_TYPE, UNDESA: REQUIRED},
              (IOM_DEFINITION, UN_1998_RECOMMENDATIONS)),
    Criterion("outside_country_of_origin", "outside country of nationality or habitual residence",
              "Is outside the country of nationality (if stateless: of former habitual residence)",
              {UNHCR: REQUIRED, IOM: NOT_PART, UNDESA: NOT_PART},
              (CONVENTION_1A2,)),
    Criterion("moved_within_state", "moved within a State",
              "Has moved away from home within a country",
              {UNHCR: NOT_PART, IOM: SETS_TYPE, UNDESA: NOT_PART},
              (IOM_DEFINITION, GUIDING_PRINCIPLES_IDP)),
    Criterion("stateless", "stateless",
              "Is stateless (no State counts the person as a national)",
              {UNHCR: OTHER_REFERENCE, IOM: DISREGARDED, UNDESA: NOT_PART},
              (CONVENTION_1A2, STATELESS_1954)),
    Criterion("well_founded_fear", "well-founded fear of persecution",
              "Has a well-founded fear of being persecuted",
              {UNHCR: REQUIRED, IOM: DISREGARDED, UNDESA: NOT_PART},
              (CONVENTION_1A2,)),
    Criterion("convention_ground", "Convention ground",
              "Reason for the persecution feared",
              {UNHCR: REQUIRED, IOM: DISREGARDED, UNDESA: NOT_PART},
              (CONVENTION_1A2,)),
    Criterion("protection_unavailable", "no protection from country of origin",
              "Cannot, or for fear will not, rely on the protection of the country of origin",
              {UNHCR: REQUIRED, IOM: DISREGARDED, UNDESA: NOT_PART},
              (CONVENTION_1A2,)),
    Criterion("fled_conflict_or_violence", "fled armed conflict or generalised violence",
              "Fled armed conflict or generalised violence",
              {UNHCR: WIDER_ONLY, IOM: DISREGARDED, UNDESA: NOT_PART},
              (UNHCR_WIDER_MANDATE, GUIDING_PRINCIPLES_IDP)),
    Criterion("fled_disaster", "fled a disaster",
              "Fled a disaster (flood, storm, earthquake, drought)",
              {UNHCR: NOT_PART, IOM: DISREGARDED, UNDESA: NOT_PART},
              (NANSEN_AGENDA, GUIDING_PRINCIPLES_IDP)),
    Criterion("trafficked", "trafficked",
              "Was trafficked (moved by force, coercion or deception for exploitation)",
              {UNHCR: NOT_PART, IOM: DISREGARDED, UNDESA: NOT_PART},
              (PALERMO_PROTOCOL,)),
    Criterion("voluntary", "moved voluntarily",
              "Moved voluntarily",
              {UNHCR: NOT_PART, IOM: DISREGARDED, UNDESA: NOT_PART},
              (IOM_DEFINITION,)),
    Criterion("legal_status", "legal status",
              "Legal status in the place of stay",
              {UNHCR: DISREGARDED, IOM: DISREGARDED, UNDESA: NOT_PART},
              (IOM_DEFINITION, UNHCR_DECLARATORY)),
    Criterion("months_of_stay", "duration of stay",
              "Months of stay (or intended stay) in the new place",
              {UNHCR: NOT_PART, IOM: DISREGARDED, UNDESA: SETS_TYPE},
              (IOM_DEFINITION, UN_1998_RECOMMENDATIONS)),
    Criterion("visit_purpose", "purpose is a visit",
              "Purpose is a holiday, visit, business trip, medical treatment or pilgrimage",
              {UNHCR: NOT_PART, IOM: DISREGARDED, UNDESA: EXCLUDES},
              (UN_1998_RECOMMENDATIONS,)),
    Criterion("palestine_refugee", "Palestine refugee",
              "Is a Palestine refugee (UNRWA's definition)",
              {UNHCR: EXCLUDES, IOM: NOT_PART, UNDESA: NOT_PART},
              (CONVENTION_1D, UNHCR_NOTE_1D)),
    Criterion("in_unrwa_area", "in UNRWA's area of operations",
              "Lives in UNRWA's area (Jordan, Lebanon, Syria, West Bank, Gaza)",
              {UNHCR: EXCLUDES, IOM: NOT_PART, UNDESA: NOT_PART},
              (CONVENTION_1D, UNRWA_MANDATE)),
    Criterion("returned_to_origin", "returned home",
              "Has returned to the country of origin",
              {UNHCR: EXCLUDES, IOM: SETS_TYPE, UNDESA: SETS_TYPE},
              (CONVENTION_1C4, UN_1998_RECOMMENDATIONS)),
    Criterion("former_refugee", "was a refugee",
              "Was a refugee before returning",
              {UNHCR: NOT_PART, IOM: NOT_PART, UNDESA: NOT_PART},
              (CONVENTION_1C4, UNHCR_STATUTE)),
    Criterion("for_work", "moved to work",
              "Moved to take up work (a migrant worker)",
              {UNHCR: NOT_PART, IOM: DISREGARDED, UNDESA: NOT_PART},
              (ILO_MIGRANT_WORKERS, IOM_DEFINITION)),
)


def criteria_table() -> pd.DataFrame:
    """One row per criterion, one column per definition: the role the criterion plays."""
    rows = {c.name: {key: c.roles[key] for key in DEFINITIONS} for c in CRITERIA}
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = "criterion"
    return frame


def all_citations() -> list[Citation]:
    """Every citation of a definition, a criterion or a lead rule, once, in order of first use."""
    seen: dict[Citation, None] = {}
    for definition in DEFINITIONS.values():
        seen.update(dict.fromkeys(definition.sources))
    for criterion in CRITERIA:
        seen.update(dict.fromkeys(criterion.sources))
    for rule in LEAD_RULES:
        seen.update(dict.fromkeys(rule.sources))
    return list(seen)


def sources_table() -> pd.DataFrame:
    """Every citation with the title and URL of its document from the source registry."""
    registry = source_registry()
    cited = all_citations()
    unknown = sorted({c.source_id for c in cited} - set(registry.index))
    if unknown:
        raise KeyError(f"citations name sources missing from data/sources.csv: {unknown}")
    return pd.DataFrame(
        [(registry.loc[c.source_id, "title"], c.provision, registry.loc[c.source_id, "url"]) for c in cited],
        columns=["title", "provision", "url"],
    )


# ---------------------------------------------------------------------------------------------
# Classification


def convention_tests(s: Situation) -> dict[str, bool]:
    """The four cumulative conditions of art. 1A(2), each with its result."""
    return {
        "outside the country of nationality or former habitual residence": s.outside_country_of_origin,
        "well-founded fear of being persecuted": s.well_founded_fear,
        "for race, religion, nationality, social group or political opinion": (
            s.convention_ground != NO_GROUND
        ),
        "cannot or will not rely on that country's protection": s.protection_unavailable,
    }


def unhcr_status(s: Situation) -> str:
    """Status under the 1951 Convention (art. 1A(2), with art. 1D for Palestine refugees)."""
    if s.palestine_refugee and s.in_unrwa_area:
        return EXCLUDED_1D
    if s.palestine_refugee and s.outside_country_of_origin and not s.voluntary:
        return REFUGEE_1D  # left UNRWA's area for reasons beyond their control (UNHCR's reading)
    if all(convention_tests(s).values()):
        return REFUGEE
    if s.outside_country_of_origin and s.fled_conflict_or_violence:
        return WIDER_MANDATE
    return NOT_REFUGEE


def iom_status(s: Situation) -> str:
    """Status under IOM's umbrella definition: any move away from home counts."""
    if s.returned_to_origin:
        return MIGRANT_RETURN
    if s.crossed_border:
        return MIGRANT_INTERNATIONAL
    if s.moved_within_state:
        return MIGRANT_INTERNAL
    return NOT_MIGRANT


def undesa_status(s: Situation) -> str:
    """Status under the 1998 UN Recommendations: change of country of residence and duration."""
    if not s.crossed_border:
        return NOT_COUNTED
    if s.months_of_stay >= LONG_TERM_MONTHS:
        return LONG_TERM_RETURNING if s.returned_to_origin else LONG_TERM
    if s.months_of_stay >= SHORT_TERM_MONTHS and not s.visit_purpose:
        return SHORT_TERM
    return NOT_COUNTED


_STATUS_FUNCTIONS: dict[str, Callable[[Situation], str]] = {
    UNHCR: unhcr_status,
    IOM: iom_status,
    UNDESA: undesa_status,
}


def classify(situation: Situation) -> dict[str, str]:
    """The status of ``situation`` under each definition (keys: UNHCR, IOM, UN DESA)."""
    return {key: status(situation) for key, status in _STATUS_FUNCTIONS.items()}


def is_included(definition: str, status: str) -> bool:
    """Whether ``status`` means the person falls within ``definition``."""
    return status in DEFINITIONS[definition].included


def explain(s: Situation) -> dict[str, str]:
    """One sentence per definition saying which criteria decided the status."""
    status = classify(s)
    tests = convention_tests(s)
    if status[UNHCR] == EXCLUDED_1D:
        unhcr = "Palestine refugee in UNRWA's area: art. 1D places the person outside the Convention."
    elif status[UNHCR] == REFUGEE_1D:
        unhcr = ("Palestine refugee who had to leave UNRWA's area: UNRWA's assistance has ceased, "
                 "so art. 1D brings the person under the Convention.")
    elif status[UNHCR] == REFUGEE:
        unhcr = f"All four conditions of art. 1A(2) are met (ground: {s.convention_ground})."
    else:
        missing = "; ".join(name for name, ok in tests.items() if not ok)
        unhcr = f"Art. 1A(2) fails on: {missing}."
        if s.returned_to_origin and s.former_refugee:
            unhcr += " Having gone home, the former refugee's status has ceased (art. 1C(4))."
        if status[UNHCR] == WIDER_MANDATE:
            unhcr += (" Fleeing conflict or generalised violence falls under regional definitions "
                      "and UNHCR's wider mandate instead.")
    if status[IOM] == NOT_MIGRANT:
        iom = "Has not moved away from the habitual place of residence."
    else:
        where = {MIGRANT_INTERNATIONAL: "across an international border",
                 MIGRANT_INTERNAL: "within a State",
                 MIGRANT_RETURN: "across a border and back (return migration)"}[status[IOM]]
        iom = (f"Moved {where}; legal status, voluntariness, causes and length of stay "
               "are disregarded.")
    if not s.crossed_border:
        desa = "Has not changed country of usual residence."
    elif status[UNDESA] == NOT_COUNTED:
        reason = "a visit" if s.visit_purpose and s.months_of_stay >= SHORT_TERM_MONTHS else (
            f"under {SHORT_TERM_MONTHS} months")
        desa = f"Stay of {s.months_of_stay} months is {reason}: not a migration."
    else:
        desa = f"Changed country of usual residence for {s.months_of_stay} months."
    return {UNHCR: unhcr, IOM: iom, UNDESA: desa}


# ---------------------------------------------------------------------------------------------
# Lead responsibility in the UN system


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
    LeadRule("Palestine refugees in UNRWA's area of operations", "UNRWA",
             lambda s: s.palestine_refugee and s.in_unrwa_area,
             (UNRWA_MANDATE, CONVENTION_1D)),
    LeadRule("Refugees (Convention or wider mandate), asylum-seekers, Palestine refugees "
             "outside UNRWA's area", "UNHCR",
             lambda s: (s.palestine_refugee or unhcr_status(s) in (REFUGEE, REFUGEE_1D, WIDER_MANDATE)
                        or s.legal_status in ("asylum claim pending", "recognised refugee")),
             (UNHCR_STATUTE, UNHCR_WIDER_MANDATE, UNHCR_NOTE_1D)),
    LeadRule("Stateless persons", "UNHCR",
             lambda s: s.stateless,
             (STATELESS_1954, UNHCR_STATELESS_MANDATE)),
    LeadRule("Refugees who have returned home", "UNHCR",
             lambda s: s.returned_to_origin and s.former_refugee,
             (UNHCR_STATUTE,)),
    LeadRule("Victims of trafficking", "IOM (assistance to victims); UNODC (the crime)",
             lambda s: s.trafficked,
             (PALERMO_PROTOCOL, UNODC_UNTOC, UN_IOM_AGREEMENT)),
    LeadRule("People internally displaced by conflict or violence",
             "OCHA coordinates; UNHCR leads the protection cluster",
             lambda s: _internal_only(s) and s.fled_conflict_or_violence,
             (GUIDING_PRINCIPLES_IDP, IASC_CLUSTERS)),
    LeadRule("People internally displaced by disasters",
             "OCHA coordinates; IOM leads camp coordination",
             lambda s: _internal_only(s) and s.fled_disaster,
             (GUIDING_PRINCIPLES_IDP, IASC_CLUSTERS, IOM_CLUSTERS)),
    LeadRule("Internal migrants who moved by choice", "none (IOM works on internal migration)",
             _internal_only,
             (IOM_DEFINITION,)),
    LeadRule("People displaced across a border by a disaster",
             "none: no UN mandate (IOM assists in practice)",
             lambda s: s.crossed_border and s.fled_disaster and not s.returned_to_origin,
             (NANSEN_AGENDA,)),
    # The same coding as data/mandates.csv (ILO leads for migrant workers, IOM contributes), so
    # chapter 2's matrix and chapter 4's classifier name the same lead.
    LeadRule("International migrant workers", "ILO (labour standards); IOM contributes",
             lambda s: s.crossed_border and s.for_work and not s.returned_to_origin,
             (ILO_MIGRANT_WORKERS,)),
    LeadRule("Other international migrants, including returning migrants and rejected "
             "asylum-seekers", "IOM",
             lambda s: s.crossed_border,
             (UN_IOM_AGREEMENT, IOM_DEFINITION, IOM_KEY_TERMS)),
    LeadRule("People who have not moved", "none (not a displacement or migration case)",
             lambda s: True,
             ()),
)


def lead_rule(situation: Situation) -> LeadRule:
    """The first rule of :data:`LEAD_RULES` that applies to ``situation``."""
    return next(rule for rule in LEAD_RULES if rule.test(situation))


def lead_entity(situation: Situation) -> str:
    """The UN entity with lead responsibility for ``situation`` (see :data:`LEAD_RULES`)."""
    return lead_rule(situation).entity
