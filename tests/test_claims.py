"""The claims ledger recomputes the briefing's numbers from data/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from iomun import claims, data, member_states
from iomun.briefing_terms import NAMED_NON_PARTIES, QUARTER_CENTURY


@pytest.fixture
def ledger() -> dict[str, dict]:
    table = claims.ledger()
    ids = data.load("briefing_claims")["claim_id"]
    return dict(zip(ids, table.to_dict("records"), strict=True))


def test_every_claim_is_listed_with_a_status(ledger: dict[str, dict]) -> None:
    assert len(ledger) == len(data.load("briefing_claims"))
    allowed = {"agrees", "differs", "partly checkable", "not checkable from data"}
    assert {row["status"] for row in ledger.values()} <= allowed


def test_sixty_five_years_side_by_side_is_recomputed(ledger: dict[str, dict]) -> None:
    assert ledger["years_side_by_side"]["data"] == "65"
    assert ledger["years_side_by_side"]["status"] == "agrees"


def test_iom_counts_come_from_the_dated_facts(ledger: dict[str, dict]) -> None:
    assert ledger["iom_members_2016"]["data"] == "165"
    assert ledger["iom_observers_2016"]["data"] == "8"
    assert "Correlates of War codes 155" in ledger["iom_members_2016"]["basis"]


def test_un_components_differ_from_the_gmg(ledger: dict[str, dict]) -> None:
    assert ledger["un_components"]["status"] == "differs"
    assert ledger["un_components"]["data"].startswith("18 (Global Migration Group")


def test_claims_without_a_check_say_why(ledger: dict[str, dict]) -> None:
    for claim_id in ["interviews", "greece_working_groups", "benefits_2007", "options_2007"]:
        assert ledger[claim_id]["status"] == "not checkable from data"
        assert ledger[claim_id]["basis"] and ledger[claim_id]["basis"] != claims.NOT_CHECKABLE, claim_id


def test_a_changed_fact_changes_the_verdict(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "data"
    shutil.copytree(data.DATA_DIR, copy)
    facts = copy / "facts.csv"
    facts.write_text(
        facts.read_text(encoding="utf-8").replace("iom_member_states_sep2016,165,", "iom_member_states_sep2016,166,"),
        encoding="utf-8",
    )
    monkeypatch.setattr(data, "DATA_DIR", copy)
    original_load = data.load
    monkeypatch.setattr(data, "load", lambda name, data_dir=copy: original_load(name, data_dir))
    check = claims.iom_members_2016("165")
    assert (check.value, check.status) == ("166", "differs")


def test_published_count_picks_the_nearest_and_the_latest_dated_count():
    nearest = claims.published_count("iom_member_states_", pd.Timestamp("2016-09-30"))
    assert nearest["as_of"] == "2016-09"
    latest = claims.published_count("iom_member_states_")
    facts = data.load("facts")
    dated = pd.to_datetime(facts.loc[facts["fact_id"].str.startswith("iom_member_states_"), "as_of"], format="ISO8601")
    assert pd.Timestamp(pd.to_datetime(latest["as_of"], format="ISO8601")) == dated.max()
    with pytest.raises(KeyError):
        claims.published_count("no_such_count_")


def test_the_ledger_covers_every_checkable_claim(ledger: dict[str, dict]) -> None:
    assert len(ledger) >= 30
    for claim_id in [
        "ga_observer_1992",
        "cooperation_agreement_1996",
        "mou_2013",
        "box1_items",
        "jmdi_projects",
        "china_application",
        "russia_observer",
        "figure2_iom_membership",
        "figure2_unhcr_operations",
    ]:
        assert claim_id in ledger
    named = [claim_id for claim_id in ledger if claim_id.startswith("non_party_")]
    assert len(named) == len(NAMED_NON_PARTIES)


def test_dates_of_the_relationship_are_recomputed(ledger: dict[str, dict]) -> None:
    assert (ledger["ga_observer_1992"]["data"], ledger["ga_observer_1992"]["status"]) == ("1992", "agrees")
    # The 1996 agreement's year was read only in a non-official copy: a gap, not an agreement.
    assert ledger["cooperation_agreement_1996"]["status"] == "not checkable from data"
    # No official copy of the 2013 memorandum was found: the ledger says so instead of agreeing.
    assert ledger["mou_2013"]["status"] == "not checkable from data"
    assert ledger["related_agency_september"]["status"] == "agrees"


def test_burgeoning_numbers_are_judged_per_series_over_the_briefings_window(ledger: dict[str, dict]) -> None:
    assert QUARTER_CENTURY == (1990, 2015)
    assert ledger["figure1_migrant_stock"]["status"] == "agrees"
    assert ledger["figure1_idps"]["status"] == "agrees"
    # Refugees under UNHCR's mandate were fewer in 2015 than in 1990: the ledger says the briefing is wrong there.
    assert ledger["figure1_refugees"]["status"] == "differs"
    assert ledger["figure1_refugees"]["data"].startswith("×0.")


def test_south_sudan_is_a_non_party_in_2016_and_a_party_since_2018(ledger: dict[str, dict]) -> None:
    assert ledger["non_party_ssd"]["data"] == "not a party in 2016; party since 2018"
    assert ledger["non_party_ssd"]["status"] == "agrees"
    # Absent from the UN Treaty Collection tables and the later accessions compiled: not a party then or now.
    assert (ledger["non_party_ind"]["data"], ledger["non_party_ind"]["status"]) == (
        "not a party in 2016 or now",
        "agrees",
    )


def test_the_two_readings_of_figure_2_say_what_the_data_cannot_show(ledger: dict[str, dict]) -> None:
    iom, unhcr = ledger["figure2_iom_membership"], ledger["figure2_unhcr_operations"]
    assert iom["status"] == unhcr["status"] == "partly checkable"
    assert "member states ×" in iom["data"] and "cannot show" in iom["basis"]
    assert "people of concern ×" in unhcr["data"] and "do not split expenses" in unhcr["basis"]


def test_box_1_items_are_not_matched_to_articles_until_the_text_is_read(ledger: dict[str, dict]) -> None:
    provisions = data.load("agreement_provisions")
    box = provisions[provisions["locator"].str.startswith("Box 1")]
    assert ledger["box1_items"]["data"].startswith(f"{len(box)} items")
    assert ledger["box1_items"]["status"] == ("agrees" if box["article"].notna().all() else "partly checkable")


def test_china_was_admitted_before_the_briefing_and_russia_is_not_checkable(ledger: dict[str, dict]) -> None:
    assert ledger["china_application"]["status"] == "differs"
    assert "member from 2016" in ledger["china_application"]["data"]
    # Russia's status was read only in news agency reports (secondary readings).
    assert ledger["russia_observer"]["status"] == "not checkable from data"


def test_the_briefings_two_appointment_errors_are_named(ledger: dict[str, dict]) -> None:
    """The Special Rapporteur is a Commission / Human Rights Council mandate, and Boček served the
    Council of Europe's Secretary General: neither is a UN Secretary-General's appointment."""
    rapporteur, bocek = ledger["special_rapporteur_appointment"], ledger["bocek_appointment"]
    assert rapporteur["status"] == bocek["status"] == "differs"
    assert "resolution 1999/44" in rapporteur["data"] and "Human Rights Council" in rapporteur["data"]
    assert "Council of Europe" in bocek["data"]


def test_non_parties_are_weighed_by_every_state_outside_both_instruments(ledger: dict[str, dict]) -> None:
    """All non-party states hosted about a quarter of UNHCR's refugees at end-2016, about a sixth at end-2024."""
    share_2016, hosted, world = member_states.non_party_share(2016)
    assert round(share_2016, 2) == 0.25 and hosted < world
    assert round(member_states.non_party_share(2024)[0], 2) == 0.16
    assert ledger["non_parties_weighed"]["data"] == "25% at end-2016; 16% at end-2024"
    assert "Palestine refugees" in ledger["non_parties_weighed"]["basis"]


def test_the_published_party_count_of_2016_is_never_a_later_one() -> None:
    from iomun.facts import BRIEFING_DATE, published_count

    row = published_count("refugee_instruments_parties_either_count", BRIEFING_DATE, on_or_before=True)
    assert pd.Timestamp(row["as_of"]) <= BRIEFING_DATE
    assert published_count("refugee_instruments_parties_either_count", BRIEFING_DATE)["as_of"] == "2024-07-26"


def test_un_components_say_they_count_different_things(ledger: dict[str, dict]) -> None:
    assert "count different things" in ledger["un_components"]["basis"]
