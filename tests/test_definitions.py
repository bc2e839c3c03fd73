"""The definitions explorer: every criterion, the edge cases, lead entities, the live widget."""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.colors import to_rgba

from iomun import definitions as d
from iomun.definitions import IOM, UNDESA, UNHCR, archetypes, citations, classification, explorer, lead_rules
from iomun.definitions import criteria as cr
from iomun.definitions import situation as sit
from iomun.definitions.classification import classify
from iomun.definitions.lead_rules import lead_entity
from iomun.definitions.situation import Situation
from iomun.population_groups import GROUPS

REFUGEE = d.ARCHETYPES["Convention refugee (political opinion)"]


def _walk(widget: widgets.Widget) -> list[widgets.Widget]:
    found = [widget]
    for child in getattr(widget, "children", ()):
        found += _walk(child)
    return found


# --- the data: criteria, definitions, sources ------------------------------------------------


def test_every_fact_is_one_named_criterion_with_a_role_in_every_definition() -> None:
    assert [c.field for c in cr.CRITERIA] == sit.field_names()
    for criterion in cr.CRITERIA:
        assert set(criterion.roles) == set(d.DEFINITIONS), criterion.name
        assert criterion.sources, f"{criterion.name} cites no source"


def test_every_source_has_title_provision_and_url() -> None:
    table = d.sources_table()
    assert not table.duplicated().any()
    assert table["url"].str.startswith("https://").all()
    assert (table["title"].str.len() > 0).all() and (table["provision"].str.len() > 0).all()


def test_definitions_cite_their_texts() -> None:
    assert citations.CONVENTION_1A2 in d.DEFINITIONS[UNHCR].sources
    assert citations.IOM_DEFINITION in d.DEFINITIONS[IOM].sources
    assert citations.UN_1998_RECOMMENDATIONS in d.DEFINITIONS[UNDESA].sources


def test_criteria_table_shows_roles() -> None:
    table = d.criteria_table()
    assert list(table.columns) == [UNHCR, IOM, UNDESA]
    assert table.loc["well-founded fear of persecution", UNHCR] == cr.REQUIRED
    assert table.loc["duration of stay", IOM] == cr.DISREGARDED
    assert table.loc["duration of stay", UNDESA] == cr.SETS_TYPE
    assert table.loc["crossed an international border", UNDESA] == cr.REQUIRED


def test_classify_returns_a_known_status_for_every_definition() -> None:
    for situation in d.ARCHETYPES.values():
        status = classify(situation)
        assert list(status) == [UNHCR, IOM, UNDESA]
        for key, value in status.items():
            assert value in d.DEFINITIONS[key].statuses


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        ({"convention_ground": "economic hardship"}, "Convention ground"),
        ({"legal_status": "tourist"}, "legal status"),
        ({"months_of_stay": -1}, "negative"),
        ({"crossed_border": True, "outside_country_of_origin": True, "returned_to_origin": True}, "not outside"),
        ({"returned_to_origin": True}, "crossing a border"),
    ],
)
def test_impossible_situations_are_refused(facts: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Situation(**facts)


# --- UNHCR: art. 1A(2), 1C(4), 1D ------------------------------------------------------------


def test_convention_refugee_meets_all_four_conditions() -> None:
    assert all(classification.convention_tests(REFUGEE).values())
    assert classify(REFUGEE)[UNHCR] == cr.REFUGEE


@pytest.mark.parametrize(
    "facts",
    [
        {"outside_country_of_origin": False},
        {"well_founded_fear": False},
        {"convention_ground": sit.NO_GROUND},
        {"protection_unavailable": False},
    ],
    ids=["outside", "fear", "ground", "protection"],
)
def test_each_condition_of_article_1a2_is_necessary(facts: dict) -> None:
    assert classify(sit.with_facts(REFUGEE, **facts))[UNHCR] == cr.NOT_REFUGEE


@pytest.mark.parametrize("ground", sit.CONVENTION_GROUNDS)
def test_each_convention_ground_suffices(ground: str) -> None:
    assert classify(sit.with_facts(REFUGEE, convention_ground=ground))[UNHCR] == cr.REFUGEE


def test_refugee_status_does_not_depend_on_crossing_or_recognition() -> None:
    sur_place = sit.with_facts(REFUGEE, crossed_border=False, legal_status="regular (lawful stay)")
    assert classify(sur_place)[UNHCR] == cr.REFUGEE
    pending = d.ARCHETYPES["Asylum-seeker awaiting a decision (religion)"]
    assert classify(pending)[UNHCR] == cr.REFUGEE
    assert d.in_world_total(UNHCR, pending).startswith("no: counted separately, as an asylum-seeker")
    assert lead_entity(pending).startswith("UNHCR leads")


def test_everyone_counted_under_a_definition_is_in_it() -> None:
    assert d.is_included(UNHCR, cr.REFUGEE) and not d.is_included(UNHCR, cr.WIDER_MANDATE)
    assert d.is_included(IOM, cr.MIGRANT_INTERNAL) and not d.is_included(IOM, cr.NOT_MIGRANT)
    assert d.is_included(UNDESA, cr.SHORT_TERM) and not d.is_included(UNDESA, cr.NOT_COUNTED)


# --- IOM: any move counts; legal status, voluntariness, causes, duration disregarded --------


@pytest.mark.parametrize(
    "facts",
    [
        {"voluntary": True},
        {"legal_status": "irregular (no authorisation)"},
        {"legal_status": "asylum claim rejected"},
        {"months_of_stay": 0},
        {"months_of_stay": 120},
        {"well_founded_fear": False, "convention_ground": sit.NO_GROUND, "fled_disaster": True},
        {"trafficked": True},
        {"stateless": True},
    ],
)
def test_iom_disregards_status_voluntariness_causes_and_duration(facts: dict) -> None:
    assert classify(sit.with_facts(REFUGEE, **facts))[IOM] == cr.MIGRANT_INTERNATIONAL


def test_iom_counts_moves_across_and_within_borders() -> None:
    assert classify(Situation(crossed_border=True))[IOM] == cr.MIGRANT_INTERNATIONAL
    assert classify(Situation(moved_within_state=True))[IOM] == cr.MIGRANT_INTERNAL
    assert classify(Situation())[IOM] == cr.NOT_MIGRANT
    assert classify(d.ARCHETYPES["Refugee who returned home"])[IOM] == cr.MIGRANT_RETURN


# --- UN DESA: change of country of residence, by duration ------------------------------------


@pytest.mark.parametrize(
    ("months", "expected"),
    [
        (0, cr.NOT_COUNTED),
        (2, cr.NOT_COUNTED),
        (3, cr.SHORT_TERM),
        (11, cr.SHORT_TERM),
        (12, cr.LONG_TERM),
        (60, cr.LONG_TERM),
    ],
)
def test_undesa_duration_thresholds(months: int, expected: str) -> None:
    assert classify(Situation(crossed_border=True, months_of_stay=months))[UNDESA] == expected


def test_undesa_excepts_visits_from_short_term_migration_only() -> None:
    assert classify(Situation(crossed_border=True, visit_purpose=True, months_of_stay=6))[UNDESA] == cr.NOT_COUNTED
    assert classify(Situation(crossed_border=True, visit_purpose=True, months_of_stay=12))[UNDESA] == cr.LONG_TERM


def test_undesa_needs_a_change_of_country() -> None:
    assert classify(Situation(moved_within_state=True, months_of_stay=60))[UNDESA] == cr.NOT_COUNTED


# --- the edge cases ---------------------------------------------------------------------------


def test_stateless_person_who_never_moved() -> None:
    s = d.ARCHETYPES["Stateless person in the country of birth"]
    assert classify(s) == {UNHCR: cr.NOT_REFUGEE, IOM: cr.NOT_MIGRANT, UNDESA: cr.NOT_COUNTED}
    assert lead_entity(s).startswith("UNHCR leads")
    assert lead_rules.lead_rule(s).applies_to == "Stateless persons"
    assert d.in_world_total(UNHCR, s) == "no: counted separately, as stateless"


def test_stateless_refugee_outside_former_habitual_residence() -> None:
    s = sit.with_facts(REFUGEE, stateless=True)
    assert classify(s)[UNHCR] == cr.REFUGEE and lead_entity(s).startswith("UNHCR leads")


def test_generalised_violence_is_not_persecution() -> None:
    s = d.ARCHETYPES["Fled generalised violence, not persecution"]
    assert classify(s)[UNHCR] == cr.WIDER_MANDATE
    assert not d.is_included(UNHCR, classify(s)[UNHCR])
    assert "wider mandate" in classification.explain(s)[UNHCR]
    assert lead_entity(s).startswith("UNHCR leads")
    assert d.in_world_total(UNHCR, s) == archetypes.YES  # UNHCR's mandate statistics include them


def test_rejected_asylum_seeker() -> None:
    s = d.ARCHETYPES["Rejected asylum-seeker"]
    assert classify(s) == {UNHCR: cr.NOT_REFUGEE, IOM: cr.MIGRANT_INTERNATIONAL, UNDESA: cr.LONG_TERM}
    assert lead_entity(s) == "no UN lead; OHCHR and IOM contribute"


def test_conflict_idp() -> None:
    s = d.ARCHETYPES["Internally displaced by conflict"]
    assert classify(s) == {UNHCR: cr.NOT_REFUGEE, IOM: cr.MIGRANT_INTERNAL, UNDESA: cr.NOT_COUNTED}
    assert lead_entity(s) == "UNHCR leads; OCHA coordinates; WFP contributes"
    assert d.in_world_total(IOM, s) == "yes (conflict IDPs)"


def test_disaster_idp() -> None:
    s = d.ARCHETYPES["Internally displaced by a flood"]
    assert lead_entity(s) == "IOM leads; OCHA coordinates"
    assert d.in_world_total(IOM, s).startswith("no")


def test_trafficked_person() -> None:
    s = d.ARCHETYPES["Trafficked across a border"]
    assert classify(s) == {UNHCR: cr.NOT_REFUGEE, IOM: cr.MIGRANT_INTERNATIONAL, UNDESA: cr.SHORT_TERM}
    assert lead_entity(s) == "UNODC leads; IOM contributes"


def test_trafficked_person_who_fears_persecution_is_a_refugee_first() -> None:
    s = sit.with_facts(REFUGEE, trafficked=True)
    assert classify(s)[UNHCR] == cr.REFUGEE and lead_entity(s).startswith("UNHCR leads")


def test_short_term_student() -> None:
    s = d.ARCHETYPES["Exchange student, one semester"]
    assert classify(s) == {UNHCR: cr.NOT_REFUGEE, IOM: cr.MIGRANT_INTERNATIONAL, UNDESA: cr.SHORT_TERM}
    assert lead_entity(s) == "no UN lead; OHCHR and IOM contribute"
    assert d.in_world_total(UNDESA, s).startswith("no")


def test_labour_migrant() -> None:
    s = d.ARCHETYPES["Labour migrant on a two-year contract"]
    assert classify(s) == {UNHCR: cr.NOT_REFUGEE, IOM: cr.MIGRANT_INTERNATIONAL, UNDESA: cr.LONG_TERM}
    # ILO leads for migrant workers, as in data/mandates.csv; IOM contributes.
    assert lead_entity(s) == "ILO leads; IOM contributes"
    assert d.in_world_total(UNDESA, s) == archetypes.YES and d.in_world_total(IOM, s) == "yes (migrant stock)"


def test_convention_refugee_is_in_every_definition() -> None:
    status = classify(REFUGEE)
    assert all(d.is_included(key, value) for key, value in status.items())
    assert lead_entity(REFUGEE).startswith("UNHCR leads")
    assert all(d.in_world_total(key, REFUGEE).startswith("yes") for key in d.DEFINITIONS)


def test_palestine_refugee_in_unrwa_area() -> None:
    s = d.ARCHETYPES["Palestine refugee from Syria, now in Lebanon"]
    assert classify(s)[UNHCR] == cr.EXCLUDED_1D
    assert lead_entity(s) == "UNRWA leads"
    assert d.in_world_total(UNHCR, s) == "no: counted by UNRWA"
    # even a well-founded fear of persecution does not lift the art. 1D exclusion
    assert classify(sit.with_facts(s, well_founded_fear=True, convention_ground="nationality"))[UNHCR] == cr.EXCLUDED_1D


def test_palestine_refugee_forced_out_of_unrwa_area() -> None:
    s = sit.with_facts(d.ARCHETYPES["Palestine refugee from Syria, now in Lebanon"], in_unrwa_area=False)
    assert classify(s)[UNHCR] == cr.REFUGEE_1D and lead_entity(s).startswith("UNHCR leads")


def test_returnee() -> None:
    s = d.ARCHETYPES["Refugee who returned home"]
    assert classify(s) == {UNHCR: cr.NOT_REFUGEE, IOM: cr.MIGRANT_RETURN, UNDESA: cr.LONG_TERM_RETURNING}
    assert "art. 1C(4)" in classification.explain(s)[UNHCR]
    assert lead_entity(s).startswith("UNHCR leads")
    assert lead_entity(sit.with_facts(s, former_refugee=False)).startswith("no UN lead")
    assert all(d.in_world_total(key, s).startswith("no") for key in d.DEFINITIONS)


def test_internal_migrant() -> None:
    s = d.ARCHETYPES["Internal migrant, village to city for work"]
    assert classify(s) == {UNHCR: cr.NOT_REFUGEE, IOM: cr.MIGRANT_INTERNAL, UNDESA: cr.NOT_COUNTED}
    assert lead_entity(s).startswith("none")
    assert d.in_world_total(IOM, s).startswith("cannot tell")


def test_disaster_displacement_across_a_border() -> None:
    s = d.ARCHETYPES["Displaced across a border by a drought"]
    assert classify(s) == {UNHCR: cr.NOT_REFUGEE, IOM: cr.MIGRANT_INTERNATIONAL, UNDESA: cr.SHORT_TERM}
    assert lead_entity(s).startswith("none: no UN mandate")
    assert citations.NANSEN_AGENDA in lead_rules.lead_rule(s).sources


def test_nobody_who_stayed_put_has_a_lead_entity() -> None:
    assert lead_entity(Situation()).startswith("none")


# --- lead rules and tables --------------------------------------------------------------------


def test_lead_rules_are_sourced_and_end_with_a_catch_all() -> None:
    for rule in lead_rules.LEAD_RULES[:-1]:
        assert rule.sources, rule.applies_to
    assert lead_rules.LEAD_RULES[-1].test(Situation(crossed_border=True))


def test_archetype_table_has_at_least_ten_situations() -> None:
    table = d.archetype_table()
    assert len(table) >= 10
    assert list(table.columns) == [UNHCR, IOM, UNDESA, "lead UN entity"]
    assert table.loc["Internally displaced by conflict", IOM] == cr.MIGRANT_INTERNAL


def test_in_world_total_rejects_unknown_definition() -> None:
    with pytest.raises(KeyError, match="unknown definition"):
        d.in_world_total("ILO", REFUGEE)


def test_draw_counts_labels_totals_and_leaves_gaps_empty() -> None:
    bars = pd.DataFrame({"migrant_stock": [248e6, None], "idps": [40e6, 70e6]}, index=["2015", "2024"])
    fig = d.draw_counts(bars, "Title", "Source: test", ymax=400e6).wide
    ax = fig.axes[0]
    assert fig.get_suptitle() == "Title"
    assert len(ax.patches) == 3  # the missing stock value is not drawn as a zero bar
    # each stack under its group's reader's label, in its group's colour
    legend = {
        text.get_text(): handle.get_facecolor()
        for text, handle in zip(fig.legends[0].get_texts(), fig.legends[0].legend_handles, strict=True)
    }
    assert legend == {GROUPS[key].label: to_rgba(GROUPS[key].colour) for key in ("migrant_stock", "idps")}
    assert [t.get_text() for t in ax.texts] == ["288.0 m", "70.0 m"]
    plt.close(fig)


# --- the live classifier ----------------------------------------------------------------------


def test_live_classifier_starts_from_an_archetype() -> None:
    box = d.live_classifier()
    assert isinstance(box, widgets.VBox)
    assert not any(isinstance(w, widgets.Output) for w in _walk(box))
    assert set(box.controls) == set(sit.field_names())
    assert "<b>refugee</b>" in box.result.value


def test_live_classifier_updates_when_a_control_changes() -> None:
    box = d.live_classifier("Convention refugee (political opinion)")
    box.controls["convention_ground"].value = sit.NO_GROUND
    assert box.preset.value == explorer.CUSTOM
    assert "<b>not a refugee</b>" in box.result.value
    assert "<b>migrant (international)</b>" in box.result.value
    box.controls["months_of_stay"].value = 6
    assert "<b>international migrant (short-term)</b>" in box.result.value
    box.controls["months_of_stay"].value = 1
    assert "<b>not counted</b>" in box.result.value


def test_live_classifier_shows_every_definition_and_the_lead_entity_at_once() -> None:
    box = d.live_classifier("Internally displaced by conflict")
    for definition in d.DEFINITIONS.values():
        assert definition.name.replace("'", "&#x27;") in box.result.value
    assert "UNHCR leads; OCHA coordinates" in box.result.value
    box.preset.value = "Palestine refugee from Syria, now in Lebanon"
    assert box.controls["in_unrwa_area"].value is True
    assert "Lead UN entity:</b> UNRWA" in box.result.value


def test_live_classifier_reports_impossible_combinations() -> None:
    box = d.live_classifier("Refugee who returned home")
    box.controls["outside_country_of_origin"].value = True
    assert "Not a possible case" in box.result.value
    box.controls["outside_country_of_origin"].value = False
    assert "Not a possible case" not in box.result.value


def test_lead_roles_are_coded_once_across_the_matrix_and_the_classifier() -> None:
    """Chapter 2's mandate matrix and chapter 4's classifier name the same roles for the same people:
    the classifier reads them from data/mandates.csv, so a change there changes its answer."""
    from iomun import data as package_data

    mandates = package_data.load("mandates")
    worker = d.ARCHETYPES["Labour migrant on a two-year contract"]
    assert lead_entity(worker) == "ILO leads; IOM contributes"
    # A labour migrant who is not moving for work is a migrant in general: nobody leads in the matrix.
    assert lead_entity(sit.with_facts(worker, for_work=False)) == "no UN lead; OHCHR and IOM contribute"
    # Edit the table as a maintainer would: IOM now leads for migrant workers, and ILO contributes.
    edited = mandates.copy()
    workers = edited["population_group"] == "Migrant workers"
    edited.loc[workers, "role"] = edited.loc[workers, "entity"].map({"ILO": "contributes", "IOM": "lead"})
    assert lead_entity(worker, edited) == "IOM leads; ILO contributes"
    # Every rule that names a population group names one of the matrix's rows.
    groups = set(mandates["population_group"])
    assert {rule.population_group for rule in lead_rules.LEAD_RULES} - {None} <= groups


def test_a_rule_naming_a_group_the_matrix_lacks_is_an_error() -> None:
    with pytest.raises(KeyError, match="no row for the population group 'Astronauts'"):
        lead_rules.roles_in_words("Astronauts")
