"""The one facts lookup, the one source registry, and what captions and prose read from them."""

from __future__ import annotations

import ast
import csv

import pandas as pd
import pytest
from code_sources import package_and_chapter_code

from iomun import definitions, facts, prose
from iomun.definitions import citations, cited_sources
from iomun.finances import ceb_expenses
from iomun.sources import cited_release, release_in_words, release_label, source_registry
from maintainer.paths import ROOT


def _briefing_literals(source: str) -> list[str]:
    """Where ``source`` writes the briefing's date or year itself: a name about the briefing given a
    literal, or the date written out."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            names = [target.id for target in node.targets if isinstance(target, ast.Name)]
            found += [name for name in names if "briefing" in name.lower()]
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.strip() == "2016-09-19":
            found.append(node.value)
    return found


def test_the_briefing_date_is_defined_once() -> None:
    """The briefing's "now" is the day the IOM-UN agreement was signed, as data/facts.csv records it,
    and only iomun/facts.py writes it: every chapter and module takes it from there."""
    with (ROOT / "data" / "facts.csv").open(encoding="utf-8", newline="") as handle:
        signed = next(
            row for row in csv.DictReader(handle) if row["fact_id"] == "iom_un_relationship_agreement_signed_date"
        )
    assert facts.BRIEFING_DATE == pd.Timestamp(signed["value"]) and facts.BRIEFING_YEAR == facts.BRIEFING_DATE.year
    written = {
        path: hits
        for path, source in package_and_chapter_code(skip=("facts.py",)).items()
        if (hits := _briefing_literals(source))
    }
    assert not written, f"the briefing's date or year written outside iomun/facts.py: {written}"


def test_a_second_briefing_date_is_found() -> None:
    """The scan can fail: a chapter that sets its own briefing year, or writes the date, is named."""
    assert _briefing_literals("briefing_year = 2016\nBRIEFING = '2016-09-19'") == [
        "briefing_year",
        "BRIEFING",
        "2016-09-19",
    ]
    assert _briefing_literals("briefing_year = BRIEFING_YEAR") == []


def test_a_fact_is_read_as_data_facts_csv_writes_it() -> None:
    """What fact() gives for an id is that id's row of data/facts.csv, read here with the csv module
    alone: its value, its date and its source."""
    with (ROOT / "data" / "facts.csv").open(encoding="utf-8", newline="") as handle:
        rows = {row["fact_id"]: row for row in csv.DictReader(handle)}
    for fact_id in (
        "iom_predecessor_founded_year",
        "iom_un_relationship_agreement_signed_date",
        "jmdi_phase1_projects_count",
    ):
        read = facts.fact(fact_id)
        assert (str(read["value"]), str(read["as_of"]), read["source_id"]) == (
            rows[fact_id]["value"],
            rows[fact_id]["as_of"],
            rows[fact_id]["source_id"],
        ), fact_id
    with pytest.raises(KeyError, match="no_such_fact"):
        facts.fact("no_such_fact")


def test_release_label_reads_the_version_or_the_reading_date() -> None:
    assert release_label("unhcr_refugees_pkg_2025_12_1") == "2025.12.1"
    read_on = source_registry().loc["undesa_ims2024_destination", "date_read"]
    assert release_label("undesa_ims2024_destination") == f"read on {read_on}"


def test_cited_release_follows_the_latest_row() -> None:
    rows = pd.DataFrame(
        {
            "year": [2024, 2025],
            "series": ["s", "s"],
            "source_id": ["unhcr_refugees_pkg_2025_12_1", "undesa_ims2024_destination"],
        }
    )
    assert cited_release(rows, "s").startswith("read on ")
    assert cited_release(rows.iloc[:1]) == "2025.12.1"
    with pytest.raises(KeyError, match="no rows"):
        cited_release(rows, "other")


def test_every_citation_of_the_definitions_is_in_the_registry() -> None:
    registry = source_registry()
    cited = {c.source_id for c in cited_sources.all_citations()}
    assert cited <= set(registry.index), sorted(cited - set(registry.index))
    table = definitions.sources_table()
    assert len(table) == len(cited_sources.all_citations()) and table["url"].str.match(r"https?://").all()


def test_a_citation_missing_from_the_registry_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    stray = citations.Citation("no_such_source", "para. 1")
    monkeypatch.setattr(definitions.cited_sources, "all_citations", lambda: [stray])
    with pytest.raises(KeyError, match="no_such_source"):
        definitions.sources_table()


def test_day_month_year_has_no_zero_padding() -> None:
    assert prose.day_month_year(pd.Timestamp("2016-09-05")) == "5 September 2016"
    assert prose.day_month_year(pd.Timestamp("2018-12-17")) == "17 December 2018"


def test_ceb_expenses_is_one_column_per_agency() -> None:
    finances = pd.DataFrame(
        {
            "agency": ["UNHCR", "IOM", "UNHCR", "IOM"],
            "year": [2016, 2016, 2016, 2016],
            "measure": ["total_expenses_ceb", "total_expenses_ceb", "expenditure", "total_expenditure"],
            "value_usd": [4.0e9, 1.6e9, 3.9e9, 1.5e9],
        }
    )
    table = ceb_expenses(finances)
    assert table.loc[2016, "UNHCR"] == 4.0e9 and table.loc[2016, "IOM"] == 1.6e9


def test_a_release_is_named_in_words_for_readers() -> None:
    """Captions say "December 2025 release", never the version id "2025.12.1"."""
    rows = pd.DataFrame({"series": ["s"], "year": [2024], "source_id": ["unhcr_refugees_pkg_2025_12_1"]})
    assert release_in_words(rows) == "December 2025 release"
    rows["source_id"] = "undesa_ims2024_destination"
    assert release_in_words(rows).startswith("as read on ")
