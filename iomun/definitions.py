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

import html
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .figures import add_source_note
from .palette import MUTED_TEXT, POPULATION_COLOURS, TEXT_ACCENT

# ---------------------------------------------------------------------------------------------
# Sources


@dataclass(frozen=True)
class Source:
    """A text a rule rests on: title, the provision used, and where to read it."""

    title: str
    provision: str
    url: str


CONVENTION_1A2 = Source(
    "Convention relating to the Status of Refugees (1951)",
    "art. 1A(2): the refugee definition",
    "https://www.ohchr.org/en/instruments-mechanisms/instruments/convention-relating-status-refugees",
)
PROTOCOL_1967 = Source(
    "Protocol relating to the Status of Refugees (1967)",
    "art. I(2)-(3): the definition applies without the 1951 dateline or a geographic limit",
    "https://www.ohchr.org/en/instruments-mechanisms/instruments/protocol-relating-status-refugees",
)
CONVENTION_1C4 = Source(
    "Convention relating to the Status of Refugees (1951)",
    "art. 1C(4): refugee status ceases on voluntary re-establishment in the country left",
    CONVENTION_1A2.url,
)
CONVENTION_1D = Source(
    "Convention relating to the Status of Refugees (1951)",
    "art. 1D: Palestine refugees assisted by UNRWA are outside the Convention; "
    "if that assistance ceases they fall under it",
    CONVENTION_1A2.url,
)
CONVENTION_33 = Source(
    "Convention relating to the Status of Refugees (1951)",
    "art. 33: no return of a refugee to a territory where life or freedom is threatened",
    CONVENTION_1A2.url,
)
UNHCR_NOTE_1D = Source(
    "UNHCR, Revised Note on the Applicability of Article 1D of the 1951 Convention "
    "to Palestinian Refugees (2009)",
    "paras. 1-2: exclusion while UNRWA assists, inclusion once assistance has ceased",
    "https://www.un.org/unispal/document/auto-insert-205174/",
)
UNHCR_DECLARATORY = Source(
    "UNHCR, 'Refugees' or 'Migrants'? How word choices affect rights and lives (2023)",
    "a person is a refugee once the definition is met, before formal recognition",
    "https://www.unhcr.org/news/stories/refugees-or-migrants-how-word-choices-affect-rights-and-lives",
)
UNHCR_FAQ_2016 = Source(
    "UNHCR, 'Refugees' and 'Migrants': Frequently Asked Questions (16 March 2016)",
    "questions 1-3: why the two terms must not be used interchangeably",
    "https://www.unhcr.org/en-us/news/latest/2016/3/56e95c676/refugees-migrants-frequently-asked-questions-faqs.html",
)
UNHCR_STATUTE = Source(
    "Statute of the Office of the UN High Commissioner for Refugees, GA res. 428 (V) (1950)",
    "para. 1 (protection and voluntary repatriation), para. 6 (refugees within the mandate)",
    "https://undocs.org/A/RES/428(V)",
)
UNHCR_WIDER_MANDATE = Source(
    "UNHCR, Refugee Protection and International Migration (2007), citing the OAU Refugee "
    "Convention (1969) and the Cartagena Declaration (1984)",
    "paras. 2-3: refugees in the Convention sense, and people fleeing events that seriously "
    "threaten life or liberty, such as armed conflict and generalised violence",
    "https://docslib.org/doc/779768/unhcr-refugee-protection-and-international-migration",
)
STATELESS_1954 = Source(
    "Convention relating to the Status of Stateless Persons (1954)",
    "art. 1(1): a stateless person is not considered a national by any State under its law",
    "https://www.ohchr.org/en/instruments-mechanisms/instruments/convention-relating-status-stateless-persons",
)
UNHCR_STATELESS_MANDATE = Source(
    "UN General Assembly resolution 50/152 (1995)",
    "paras. 14-15: UNHCR's responsibilities for stateless persons",
    "https://undocs.org/A/RES/50/152",
)
IOM_DEFINITION = Source(
    "IOM, Who is a migrant? (IOM definition used in 2015-2016)",
    "anyone who moves or has moved across an international border or within a State, away "
    "from the habitual place of residence, whatever the legal status, the voluntariness, "
    "the causes or the length of stay",
    "https://weblog.iom.int/who-migrant",
)
IOM_GLOSSARY_2019 = Source(
    "IOM, Glossary on Migration, International Migration Law No. 34 (2019)",
    "entry 'Migrant': an umbrella term, not defined in international law, for a person who "
    "moves away from the usual residence, within a country or across a border",
    "https://www.iom.int/who-is-a-migrant",
)
IOM_KEY_TERMS = Source(
    "IOM, Key Migration Terms",
    "entry 'Assisted Voluntary Return and Reintegration'",
    "https://www.iom.int/key-migration-terms",
)
UN_1998_RECOMMENDATIONS = Source(
    "UN DESA Statistics Division, Recommendations on Statistics of International Migration, "
    "Revision 1 (Statistical Papers Series M No. 58 Rev. 1, 1998)",
    "definitions of 'long-term migrant' (at least 12 months in the new country of usual "
    "residence) and 'short-term migrant' (at least 3 but under 12 months, visits, holidays, "
    "business, medical treatment and pilgrimage excepted)",
    "https://unstats.un.org/unsd/publication/SeriesM/SeriesM_58rev1e.pdf",
)
UNRWA_MANDATE = Source(
    "UN General Assembly resolution 302 (IV) (1949), establishing UNRWA",
    "UNRWA's area of operations: Jordan, Lebanon, Syria, the West Bank and Gaza",
    "https://undocs.org/A/RES/302(IV)",
)
GUIDING_PRINCIPLES_IDP = Source(
    "Guiding Principles on Internal Displacement, E/CN.4/1998/53/Add.2 (1998)",
    "Introduction, para. 2: people forced to flee their homes who have not crossed an "
    "internationally recognised border",
    "https://undocs.org/E/CN.4/1998/53/Add.2",
)
IASC_CLUSTERS = Source(
    "UNHCR Emergency Handbook, Cluster Approach (IASC)",
    "UNHCR leads the protection cluster and co-leads camp coordination when conflict "
    "displaces people; IOM co-leads camp coordination when disasters do",
    "https://emergency.unhcr.org/coordination-and-communication/cluster-system/cluster-approach-iasc",
)
IOM_CLUSTERS = Source(
    "IOM, Cluster Approach",
    "IOM leads camp coordination and camp management in disaster-induced displacement",
    "https://www.iom.int/cluster-approach",
)
PALERMO_PROTOCOL = Source(
    "Protocol to Prevent, Suppress and Punish Trafficking in Persons, Especially Women and "
    "Children (2000)",
    "art. 3(a): recruitment or movement by force, coercion or deception for exploitation",
    "https://www.ohchr.org/en/instruments-mechanisms/instruments/protocol-prevent-suppress-and-punish-trafficking-persons",
)
UNODC_UNTOC = Source(
    "UNODC, UN Convention against Transnational Organized Crime and the Protocols Thereto",
    "UNODC is the custodian of the Convention and its trafficking protocol",
    "https://www.unodc.org/unodc/en/organized-crime/intro/UNTOC.html",
)
NANSEN_AGENDA = Source(
    "The Nansen Initiative, Agenda for the Protection of Cross-Border Displaced Persons in "
    "the Context of Disasters and Climate Change (2015)",
    "people displaced across borders by disasters are not refugees under the 1951 "
    "Convention, and no agency has a mandate for them",
    "https://environmentalmigration.iom.int/nansen-initiative-global-consultation-report",
)
ILO_MIGRANT_WORKERS = Source(
    "ILO Migration for Employment Convention (Revised), 1949 (No. 97), and Migrant Workers "
    "(Supplementary Provisions) Convention, 1975 (No. 143)",
    "the labour standards for migrant workers; the same basis as the ILO row of data/mandates.csv",
    "https://normlex.ilo.org/",
)
UN_IOM_AGREEMENT = Source(
    "Agreement concerning the Relationship between the UN and IOM, GA res. 70/296 (2016)",
    "IOM becomes a related organization of the UN system",
    "https://undocs.org/A/RES/70/296",
)

# ---------------------------------------------------------------------------------------------
# The facts of a situation

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
    sources: tuple[Source, ...]
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
    sources: tuple[Source, ...]


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


def sources_table() -> pd.DataFrame:
    """Every source cited by a definition, a criterion or a lead rule, once."""
    seen: dict[Source, None] = {}
    for definition in DEFINITIONS.values():
        seen.update(dict.fromkeys(definition.sources))
    for criterion in CRITERIA:
        seen.update(dict.fromkeys(criterion.sources))
    for rule in LEAD_RULES:
        seen.update(dict.fromkeys(rule.sources))
    return pd.DataFrame(
        [(s.title, s.provision, s.url) for s in seen], columns=["title", "provision", "url"]
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
    sources: tuple[Source, ...]


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


# ---------------------------------------------------------------------------------------------
# Archetypes and the published world numbers


ARCHETYPES: dict[str, Situation] = {
    "Convention refugee (political opinion)": Situation(
        crossed_border=True, outside_country_of_origin=True, well_founded_fear=True,
        convention_ground="political opinion", protection_unavailable=True, voluntary=False,
        legal_status="recognised refugee", months_of_stay=48),
    "Asylum-seeker awaiting a decision (religion)": Situation(
        crossed_border=True, outside_country_of_origin=True, well_founded_fear=True,
        convention_ground="religion", protection_unavailable=True, voluntary=False,
        legal_status="asylum claim pending", months_of_stay=14),
    "Fled generalised violence, not persecution": Situation(
        crossed_border=True, outside_country_of_origin=True, fled_conflict_or_violence=True,
        protection_unavailable=True, voluntary=False, legal_status="regular (lawful stay)",
        months_of_stay=30),
    "Rejected asylum-seeker": Situation(
        crossed_border=True, outside_country_of_origin=True,
        legal_status="asylum claim rejected", months_of_stay=20),
    "Stateless person in the country of birth": Situation(
        stateless=True, legal_status="irregular (no authorisation)"),
    "Internally displaced by conflict": Situation(
        moved_within_state=True, fled_conflict_or_violence=True, voluntary=False,
        legal_status="citizen in own country", months_of_stay=24),
    "Internally displaced by a flood": Situation(
        moved_within_state=True, fled_disaster=True, voluntary=False,
        legal_status="citizen in own country", months_of_stay=5),
    "Trafficked across a border": Situation(
        crossed_border=True, outside_country_of_origin=True, trafficked=True, voluntary=False,
        legal_status="irregular (no authorisation)", months_of_stay=10),
    "Exchange student, one semester": Situation(
        crossed_border=True, outside_country_of_origin=True, months_of_stay=6),
    "Labour migrant on a two-year contract": Situation(
        crossed_border=True, outside_country_of_origin=True, months_of_stay=24, for_work=True),
    "Palestine refugee from Syria, now in Lebanon": Situation(
        crossed_border=True, outside_country_of_origin=True, fled_conflict_or_violence=True,
        voluntary=False, palestine_refugee=True, in_unrwa_area=True, months_of_stay=36),
    "Refugee who returned home": Situation(
        crossed_border=True, returned_to_origin=True, former_refugee=True,
        legal_status="citizen in own country", months_of_stay=14),
    "Internal migrant, village to city for work": Situation(
        moved_within_state=True, legal_status="citizen in own country", months_of_stay=36, for_work=True),
    "Displaced across a border by a drought": Situation(
        crossed_border=True, outside_country_of_origin=True, fled_disaster=True,
        voluntary=False, legal_status="irregular (no authorisation)", months_of_stay=9),
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


# ---------------------------------------------------------------------------------------------
# Drawing: one bar per labelled year, stacked by component, same scale in every pane

COMPONENT_COLOURS: dict[str, str] = {
    "Refugees under UNHCR's mandate": POPULATION_COLOURS["refugees"],
    "International migrant stock (UN DESA)": POPULATION_COLOURS["other_international_migrants"],
    "Internally displaced by conflict (IDMC)": POPULATION_COLOURS["idps"],
}


def draw_counts(
    bars: pd.DataFrame, title: str, source: str, ymax: float, decimals: int = 1
) -> Figure:
    """Stacked bars in millions: one bar per row of ``bars`` (its label), one stack per column.

    Totals are labelled with ``decimals`` decimals (0 for values published to the million).

    Column names must be keys of :data:`COMPONENT_COLOURS`; missing values are left out
    (no bar segment), never drawn as zero.
    """
    fig, ax = plt.subplots(figsize=(7.2, 4.2))
    positions = list(range(len(bars)))
    bottom = [0.0] * len(bars)
    for column in bars.columns:
        values = (bars[column].astype("float64") / 1e6).tolist()
        shown = [i for i, v in enumerate(values) if pd.notna(v)]
        ax.bar([positions[i] for i in shown], [values[i] for i in shown],
               bottom=[bottom[i] for i in shown], color=COMPONENT_COLOURS[column], label=column,
               width=0.55)
        bottom = [b + (values[i] if i in shown else 0.0) for i, b in enumerate(bottom)]
    for position, total in zip(positions, bottom, strict=True):
        ax.annotate(f"{total:,.{decimals}f} m", (position, total), xytext=(0, 3), textcoords="offset points",
                    ha="center", va="bottom", fontsize=10, color=TEXT_ACCENT, fontweight="bold")
    ax.set_xticks(positions, [str(label) for label in bars.index])
    ax.set_xlim(-0.7, len(bars) - 0.3)
    ax.set_ylim(0, ymax / 1e6)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 5, 10]))
    ax.grid(axis="x", visible=False)
    ax.set_ylabel("People (millions)")
    ax.set_xlabel("Year of the estimate")
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    ax.tick_params(axis="x", labelsize=9, labelcolor=MUTED_TEXT)
    ax.set_title(title, loc="left")
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    add_source_note(fig, source)
    return fig


# ---------------------------------------------------------------------------------------------
# The live classifier (needs a kernel)

CUSTOM = "(your own case)"


class LiveClassifier(widgets.VBox):
    """Controls for every criterion and a table of the status under each definition.

    ``controls`` maps each :class:`Situation` field to its widget; ``result`` is the HTML
    widget that observers rewrite whenever a control changes; ``preset`` loads an archetype.
    """

    def __init__(self, start: str = next(iter(ARCHETYPES))) -> None:
        self.controls: dict[str, widgets.ValueWidget] = {c.field: _control(c) for c in CRITERIA}
        self.preset = widgets.Dropdown(options=[CUSTOM, *ARCHETYPES], value=CUSTOM,
                                       description="Start from:",
                                       style={"description_width": "initial"},
                                       layout=widgets.Layout(width="32em"))
        self.result = widgets.HTML()
        self._loading = False
        for control in self.controls.values():
            control.observe(self._on_control, names="value")
        self.preset.observe(self._on_preset, names="value")
        grid = widgets.GridBox(list(self.controls.values()),
                               layout=widgets.Layout(grid_template_columns="repeat(2, 1fr)",
                                                     grid_gap="2px 16px"))
        super().__init__([self.preset, grid, self.result])
        self.preset.value = start if start in ARCHETYPES else CUSTOM
        self._render()

    def situation(self) -> Situation:
        """The situation the controls describe (raises ValueError if contradictory)."""
        return Situation(**{name: control.value for name, control in self.controls.items()})

    def load(self, situation: Situation) -> None:
        """Set every control from ``situation`` and redraw once."""
        self._loading = True
        try:
            for name, control in self.controls.items():
                control.value = getattr(situation, name)
        finally:
            self._loading = False
        self._render()

    def _on_preset(self, change: dict) -> None:
        if change["new"] in ARCHETYPES:
            self.load(ARCHETYPES[change["new"]])

    def _on_control(self, _change: dict) -> None:
        if self._loading:
            return
        if self.preset.value != CUSTOM:
            self._loading = True
            self.preset.value = CUSTOM
            self._loading = False
        self._render()

    def _render(self) -> None:
        try:
            situation = self.situation()
        except ValueError as exc:
            self.result.value = f'<p style="color:#D25A45"><b>Not a possible case:</b> {html.escape(str(exc))}</p>'
            return
        self.result.value = situation_html(situation)


def _control(criterion: Criterion) -> widgets.ValueWidget:
    default = getattr(Situation(), criterion.field)
    layout = widgets.Layout(width="auto")
    if criterion.field == "convention_ground":
        return widgets.Dropdown(options=[NO_GROUND, *CONVENTION_GROUNDS], value=default,
                                description=criterion.question, layout=layout,
                                style={"description_width": "initial"})
    if criterion.field == "legal_status":
        return widgets.Dropdown(options=list(LEGAL_STATUSES), value=default,
                                description=criterion.question, layout=layout,
                                style={"description_width": "initial"})
    if criterion.field == "months_of_stay":
        return widgets.IntSlider(value=default, min=0, max=120, description=criterion.question,
                                 layout=layout, style={"description_width": "initial"})
    return widgets.Checkbox(value=default, description=criterion.question, indent=False,
                            layout=layout)


def situation_html(situation: Situation) -> str:
    """An HTML table: status and reason under each definition, then the lead entity."""
    status = classify(situation)
    reasons = explain(situation)
    rule = lead_rule(situation)
    rows = "".join(
        f"<tr><th style='text-align:left'>{html.escape(DEFINITIONS[key].name)}</th>"
        f"<td><b>{html.escape(status[key])}</b></td><td>{html.escape(reasons[key])}</td></tr>"
        for key in DEFINITIONS
    )
    return (
        "<table><thead><tr><th>Definition</th><th>Status</th><th>Why</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
        f"<p><b>Lead UN entity:</b> {html.escape(rule.entity)} "
        f"<span style='color:{MUTED_TEXT}'>(rule: {html.escape(rule.applies_to)})</span></p>"
    )


def live_classifier(start: str = next(iter(ARCHETYPES))) -> LiveClassifier:
    """The live explorer, starting from archetype ``start``."""
    return LiveClassifier(start)


def field_names() -> list[str]:
    """The fields of :class:`Situation`, in order (one control each)."""
    return [f.name for f in fields(Situation)]


def with_facts(situation: Situation, **facts: object) -> Situation:
    """A copy of ``situation`` with some facts changed (validated again)."""
    return replace(situation, **facts)
