"""The claims ledger recomputes the briefing's numbers from data/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from iomun import claims, data


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
    for claim_id in ["interviews", "greece_working_groups", "jmdi_projects"]:
        assert ledger[claim_id]["status"] == "not checkable from data"
        assert ledger[claim_id]["basis"]


def test_a_changed_fact_changes_the_verdict(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "data"
    shutil.copytree(data.DATA_DIR, copy)
    facts = copy / "facts.csv"
    facts.write_text(facts.read_text(encoding="utf-8").replace(
        "iom_member_states_sep2016,165,", "iom_member_states_sep2016,166,"), encoding="utf-8")
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
