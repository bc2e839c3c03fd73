"""The three definitions the chapter contrasts, the statuses each yields, and their named criteria.

The briefing contrasts UNHCR's narrow legal definition of a refugee with IOM's umbrella
definition of a migrant; UN DESA's statistical definition of an international migrant is the
third lens, the one behind the world migrant stock. Each definition here is a list of named
criteria with the text it comes from (title, provision, URL). The wording of every
definition is paraphrased, never quoted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from .citations import (
    CONVENTION_1A2,
    CONVENTION_1C4,
    CONVENTION_1D,
    GUIDING_PRINCIPLES_IDP,
    ILO_MIGRANT_WORKERS,
    IOM_DEFINITION,
    IOM_GLOSSARY_2019,
    NANSEN_AGENDA,
    PALERMO_PROTOCOL,
    PROTOCOL_1967,
    STATELESS_1954,
    UN_1998_RECOMMENDATIONS,
    UNHCR_DECLARATORY,
    UNHCR_NOTE_1D,
    UNHCR_STATUTE,
    UNHCR_WIDER_MANDATE,
    UNRWA_MANDATE,
    Citation,
)

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
    Criterion(
        "crossed_border",
        "crossed an international border",
        "Has crossed an international border",
        {UNHCR: NOT_PART, IOM: SETS_TYPE, UNDESA: REQUIRED},
        (IOM_DEFINITION, UN_1998_RECOMMENDATIONS),
    ),
    Criterion(
        "outside_country_of_origin",
        "outside country of nationality or habitual residence",
        "Is outside the country of nationality (if stateless: of former habitual residence)",
        {UNHCR: REQUIRED, IOM: NOT_PART, UNDESA: NOT_PART},
        (CONVENTION_1A2,),
    ),
    Criterion(
        "moved_within_state",
        "moved within a State",
        "Has moved away from home within a country",
        {UNHCR: NOT_PART, IOM: SETS_TYPE, UNDESA: NOT_PART},
        (IOM_DEFINITION, GUIDING_PRINCIPLES_IDP),
    ),
    Criterion(
        "stateless",
        "stateless",
        "Is stateless (no State counts the person as a national)",
        {UNHCR: OTHER_REFERENCE, IOM: DISREGARDED, UNDESA: NOT_PART},
        (CONVENTION_1A2, STATELESS_1954),
    ),
    Criterion(
        "well_founded_fear",
        "well-founded fear of persecution",
        "Has a well-founded fear of being persecuted",
        {UNHCR: REQUIRED, IOM: DISREGARDED, UNDESA: NOT_PART},
        (CONVENTION_1A2,),
    ),
    Criterion(
        "convention_ground",
        "Convention ground",
        "Reason for the persecution feared",
        {UNHCR: REQUIRED, IOM: DISREGARDED, UNDESA: NOT_PART},
        (CONVENTION_1A2,),
    ),
    Criterion(
        "protection_unavailable",
        "no protection from country of origin",
        "Cannot, or for fear will not, rely on the protection of the country of origin",
        {UNHCR: REQUIRED, IOM: DISREGARDED, UNDESA: NOT_PART},
        (CONVENTION_1A2,),
    ),
    Criterion(
        "fled_conflict_or_violence",
        "fled armed conflict or generalised violence",
        "Fled armed conflict or generalised violence",
        {UNHCR: WIDER_ONLY, IOM: DISREGARDED, UNDESA: NOT_PART},
        (UNHCR_WIDER_MANDATE, GUIDING_PRINCIPLES_IDP),
    ),
    Criterion(
        "fled_disaster",
        "fled a disaster",
        "Fled a disaster (flood, storm, earthquake, drought)",
        {UNHCR: NOT_PART, IOM: DISREGARDED, UNDESA: NOT_PART},
        (NANSEN_AGENDA, GUIDING_PRINCIPLES_IDP),
    ),
    Criterion(
        "trafficked",
        "trafficked",
        "Was trafficked (moved by force, coercion or deception for exploitation)",
        {UNHCR: NOT_PART, IOM: DISREGARDED, UNDESA: NOT_PART},
        (PALERMO_PROTOCOL,),
    ),
    Criterion(
        "voluntary",
        "moved voluntarily",
        "Moved voluntarily",
        {UNHCR: NOT_PART, IOM: DISREGARDED, UNDESA: NOT_PART},
        (IOM_DEFINITION,),
    ),
    Criterion(
        "legal_status",
        "legal status",
        "Legal status in the place of stay",
        {UNHCR: DISREGARDED, IOM: DISREGARDED, UNDESA: NOT_PART},
        (IOM_DEFINITION, UNHCR_DECLARATORY),
    ),
    Criterion(
        "months_of_stay",
        "duration of stay",
        "Months of stay (or intended stay) in the new place",
        {UNHCR: NOT_PART, IOM: DISREGARDED, UNDESA: SETS_TYPE},
        (IOM_DEFINITION, UN_1998_RECOMMENDATIONS),
    ),
    Criterion(
        "visit_purpose",
        "purpose is a visit",
        "Purpose is a holiday, visit, business trip, medical treatment or pilgrimage",
        {UNHCR: NOT_PART, IOM: DISREGARDED, UNDESA: EXCLUDES},
        (UN_1998_RECOMMENDATIONS,),
    ),
    Criterion(
        "palestine_refugee",
        "Palestine refugee",
        "Is a Palestine refugee (UNRWA's definition)",
        {UNHCR: EXCLUDES, IOM: NOT_PART, UNDESA: NOT_PART},
        (CONVENTION_1D, UNHCR_NOTE_1D),
    ),
    Criterion(
        "in_unrwa_area",
        "in UNRWA's area of operations",
        "Lives in UNRWA's area (Jordan, Lebanon, Syria, West Bank, Gaza)",
        {UNHCR: EXCLUDES, IOM: NOT_PART, UNDESA: NOT_PART},
        (CONVENTION_1D, UNRWA_MANDATE),
    ),
    Criterion(
        "returned_to_origin",
        "returned home",
        "Has returned to the country of origin",
        {UNHCR: EXCLUDES, IOM: SETS_TYPE, UNDESA: SETS_TYPE},
        (CONVENTION_1C4, UN_1998_RECOMMENDATIONS),
    ),
    Criterion(
        "former_refugee",
        "was a refugee",
        "Was a refugee before returning",
        {UNHCR: NOT_PART, IOM: NOT_PART, UNDESA: NOT_PART},
        (CONVENTION_1C4, UNHCR_STATUTE),
    ),
    Criterion(
        "for_work",
        "moved to work",
        "Moved to take up work (a migrant worker)",
        {UNHCR: NOT_PART, IOM: DISREGARDED, UNDESA: NOT_PART},
        (ILO_MIGRANT_WORKERS, IOM_DEFINITION),
    ),
)


def criteria_table() -> pd.DataFrame:
    """One row per criterion, one column per definition: the role the criterion plays."""
    rows = {c.name: {key: c.roles[key] for key in DEFINITIONS} for c in CRITERIA}
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = "criterion"
    return frame
