"""Citations of the definitions: a document of the one source registry and the provision used.

Titles, publishers and URLs live in ``data/sources.csv`` (the book's one source registry);
here each citation names its ``source_id`` and the provision, paragraph or entry it rests on.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Citation:
    """A text a rule rests on: its ``source_id`` in ``data/sources.csv`` and the provision used."""

    source_id: str
    provision: str


CONVENTION_1A2 = Citation("convention_1951_refugees", "art. 1A(2): the refugee definition")
PROTOCOL_1967 = Citation(
    "protocol_1967_refugees", "art. I(2)-(3): the definition applies without the 1951 dateline or a geographic limit"
)
CONVENTION_1C4 = Citation(
    "convention_1951_refugees", "art. 1C(4): refugee status ceases on voluntary re-establishment in the country left"
)
CONVENTION_1D = Citation(
    "convention_1951_refugees",
    "art. 1D: Palestine refugees assisted by UNRWA are outside the Convention; "
    "if that assistance ceases they fall under it",
)
UNHCR_NOTE_1D = Citation(
    "unhcr_note_art1d_2009", "paras. 1-2: exclusion while UNRWA assists, inclusion once assistance has ceased"
)
UNHCR_DECLARATORY = Citation(
    "unhcr_refugees_or_migrants_2023", "a person is a refugee once the definition is met, before formal recognition"
)
UNHCR_STATUTE = Citation(
    "unhcr_statute_ga_428_v", "para. 1 (protection and voluntary repatriation), para. 6 (refugees within the mandate)"
)
UNHCR_WIDER_MANDATE = Citation(
    "oau_refugee_convention_1969",
    "art. I(2): people compelled to flee external aggression, occupation, foreign "
    "domination or events seriously disturbing public order (UNHCR's wider mandate)",
)
STATELESS_1954 = Citation(
    "convention_1954_stateless", "art. 1(1): a stateless person is not considered a national by any State under its law"
)
UNHCR_STATELESS_MANDATE = Citation("ga_res_50_152", "paras. 14-15: UNHCR's responsibilities for stateless persons")
IOM_DEFINITION = Citation(
    "iom_who_is_a_migrant_2016",
    "anyone who moves or has moved across an international border or within a State, away "
    "from the habitual place of residence, whatever the legal status, the voluntariness, "
    "the causes or the length of stay",
)
IOM_GLOSSARY_2019 = Citation(
    "iom_glossary_2019",
    "entry 'Migrant': an umbrella term, not defined in international law, for a person who "
    "moves away from the usual residence, within a country or across a border",
)
IOM_KEY_TERMS = Citation("iom_key_migration_terms", "entry 'Assisted Voluntary Return and Reintegration'")
UN_1998_RECOMMENDATIONS = Citation(
    "undesa_recommendations_1998",
    "definitions of 'long-term migrant' (at least 12 months in the new country of "
    "usual residence) and 'short-term migrant' (at least 3 but under 12 months, "
    "visits, holidays, business, medical treatment and pilgrimage excepted)",
)
UNRWA_MANDATE = Citation("ga_res_302_iv", "UNRWA's area of operations: Jordan, Lebanon, Syria, the West Bank and Gaza")
GUIDING_PRINCIPLES_IDP = Citation(
    "guiding_principles_idp_1998",
    "Introduction, para. 2: people forced to flee their homes who have not crossed "
    "an internationally recognised border",
)
IASC_CLUSTERS = Citation(
    "unhcr_emergency_handbook_clusters",
    "UNHCR leads the protection cluster and co-leads camp coordination when conflict "
    "displaces people; IOM co-leads camp coordination when disasters do",
)
IOM_CLUSTERS = Citation(
    "iom_cluster_approach", "IOM leads camp coordination and camp management in disaster-induced displacement"
)
PALERMO_PROTOCOL = Citation(
    "protocol_2000_trafficking", "art. 3(a): recruitment or movement by force, coercion or deception for exploitation"
)
UNODC_UNTOC = Citation("unodc_untoc", "UNODC is the custodian of the Convention and its trafficking protocol")
NANSEN_AGENDA = Citation(
    "nansen_agenda_2015",
    "people displaced across borders by disasters are not refugees under the 1951 "
    "Convention, and no agency has a mandate for them",
)
ILO_MIGRANT_WORKERS = Citation(
    "ilo_migrant_worker_conventions",
    "the labour standards for migrant workers; the same basis as the ILO row of data/mandates.csv",
)
UN_IOM_AGREEMENT = Citation("ga_res_70_296", "IOM becomes a related organization of the UN system")
