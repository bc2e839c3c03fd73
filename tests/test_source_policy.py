"""The source policy: every value behind a figure, a table or a glued number is official.

A source is official when its ``url`` is the publisher's own address (UN bodies, UNHCR, IOM,
IDMC, BLS, governments and their gazettes) and, for a value read in a copy
(``provenance`` = ``official_copy``), its notes name the copy's address and what was checked.
Values read only in non-official copies live in ``secondary_readings`` (never used) or in
``disagreements``/``gaps`` (where a value is contested or missing).

Tiers: (1) the publisher's own address or a faithful copy of its file (``official``,
``official_copy``); (2) an official document identified by symbol or title and the publisher's
address, read in a third-party copy (``read_in_copy``): each value it gives needs a
``cross_checked`` row in ``copy_readings`` with the copy's address, the page or table, and the
second copy or other official document that states the same figure; (3) never: wikis, leaked
cables, aggregators and news summaries, anywhere in the data.
"""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest
from source_policy import (
    BANNED_HOSTS,
    COW,
    EXCEPTION_GAPS,
    NAMED_EXCEPTIONS,
    SHARING_SITES,
    definition_sources,
    is_official_url,
    policy_violations,
)

from iomun import data


def test_every_value_behind_the_book_rests_on_an_official_source():
    assert policy_violations(data.DATA_DIR) == []


def test_the_named_exception_is_a_listed_gap():
    gaps = data.load("gaps")
    for sid, places in NAMED_EXCEPTIONS.items():
        named = gaps[(gaps["resource"] == EXCEPTION_GAPS[sid]) & gaps["reason"].str.contains("Correlates of War")]
        assert len(named) == 1, f"{sid} must be named in gaps as the non-official source behind {sorted(places)}"


def test_the_gap_says_how_many_admission_years_still_rest_on_the_exception():
    members = data.load("memberships")
    on_cow = int((members["iom_join_source_id"] == COW).sum())
    coded = int((members["iom_status"] == "member_2014").sum())
    reason = data.load("gaps").query("resource == 'iom_membership'")["reason"].str.cat(sep=" ")
    assert f"iom_join_year for {on_cow} States" in reason
    assert f"({coded} full members)" in reason


def test_no_admission_year_rests_on_the_exception_where_iom_records_give_one():
    members = data.load("memberships").set_index("iso3")
    iom = data.load("iom_membership")
    admitted = iom[(iom["status"] == "member") & iom["admission_year"].notna()].groupby("iso3")
    official = members[members["iom_join_source_id"].notna() & (members["iom_join_source_id"] != COW)]
    assert len(official) > 0
    for iso3, row in official.iterrows():
        # the same reading as IOM's record in iom_membership, one source of truth
        record = admitted.get_group(iso3)
        assert row["iom_join_source_id"] in set(record["source_id"]), iso3
        assert row["iom_join_year"] == record["admission_year"].min(), iso3
    on_cow = members.index[members["iom_join_source_id"] == COW]
    assert not set(on_cow) & set(admitted.groups), "an admission IOM records is still coded from CoW"


def test_no_source_points_at_a_document_sharing_site_wiki_or_leak():
    sources = data.load("sources")
    bad = sources[sources["url"].str.contains(SHARING_SITES)]
    assert bad.empty, bad[["source_id", "url"]].to_string()


def test_no_row_points_at_a_wiki_leak_or_aggregator():
    for path in sorted(data.DATA_DIR.glob("*.csv")):
        if path.stem in ("secondary_readings", "sources"):  # the record of what was refused, and notes quoting it
            continue
        urls = re.findall(r"https?://[^\s,\"')]+", path.read_text(encoding="utf-8"))
        assert [u for u in urls if BANNED_HOSTS.search(u)] == [], path.name


def test_secondary_readings_are_cited_nowhere():
    readings = data.load("secondary_readings")
    assert len(readings) > 0
    sources = set(data.load("sources")["source_id"])
    # their copies are addresses, not sources: no row of the book can cite them
    assert not set(readings["read_at"]) & sources
    for row in readings.itertuples():
        if row.resource == "facts":
            # the fact is empty, or holds another reading from an official page
            facts = data.load("facts").set_index("fact_id")
            if row.record in facts.index:  # dated counts without an official reading were removed
                fact = facts.loc[row.record]
                assert pd.isna(fact["value"]) or fact["value"] != row.value, row.record


def test_urls_in_mandates_and_coordination_spaces_are_official():
    for name in ("mandates", "coordination_spaces"):
        urls = data.load(name)["url"]
        assert [u for u in urls if not is_official_url(u)] == [], name


def test_no_internal_ticket_numbers_in_the_data():
    for path in sorted(data.DATA_DIR.glob("*")):
        text = path.read_text(encoding="utf-8")
        # lower case: titles such as "Data Briefing Series, Issue No. 8" are citations, not tickets
        assert not re.search(r"\bissue \d+\b", text), f"{path.name} names an internal issue"


def violations_after_edit(tmp_path, name: str, old: str, new: str) -> list[str]:
    """The policy's findings on a copy of ``data/`` whose ``name`` file has ``old`` replaced by ``new``."""
    copy = tmp_path / "data"
    shutil.copytree(data.DATA_DIR, copy)
    text = (copy / name).read_text(encoding="utf-8")
    edited = text.replace(old, new, 1)
    assert edited != text, f"{old!r} is not in {name}"
    (copy / name).write_text(edited, encoding="utf-8")
    data.clear_cache()
    try:
        return policy_violations(copy)
    finally:
        data.clear_cache()


def test_the_policy_catches_a_mirror(tmp_path):
    problems = violations_after_edit(
        tmp_path,
        "sources.csv",
        "https://www.iom.int/news/iom-becomes-related-organization-un",
        "https://vdocuments.us/iom-becomes-related-organization-un.html",
    )
    assert problems == [
        "iom_news_2016_07_26: https://vdocuments.us/iom-becomes-related-organization-un.html "
        "is not a publisher's own address"
    ]


def test_the_policy_catches_the_exception_cited_elsewhere(tmp_path):
    problems = violations_after_edit(tmp_path, "facts.csv", "1951,year,1951,un_am_iom_2016,", f"1951,year,1951,{COW},")
    assert problems == [f"{COW} (not_official) is cited by ['facts', 'memberships']"]


def test_the_policy_covers_the_sources_of_the_definitions(tmp_path):
    assert definition_sources() >= {"oau_refugee_convention_1969", "convention_1951_refugees"}
    problems = violations_after_edit(
        tmp_path,
        "sources.csv",
        "https://au.int/en/treaties/oau-convention-governing-specific-aspects-refugee-problems-africa",
        "https://www.scribd.com/document/699743522",
    )
    assert problems == [
        "oau_refugee_convention_1969: https://www.scribd.com/document/699743522 is not a publisher's own address"
    ]


@pytest.mark.parametrize(
    "url, official",
    [
        ("https://treaties.un.org/pages/x", True),
        ("https://www.unhcr.org/x", True),
        ("https://nigeria.iom.int/x", True),
        ("https://geneva.usmission.gov/x", True),
        ("https://au.int/en/treaties/x", True),
        ("https://un.org.au/x", False),
        ("https://docslib.org/doc/1", False),
        ("https://un.org.example.com/x", False),
        ("https://github.com/someone/refugees", False),
    ],
)
def test_official_hosts(url, official):
    assert is_official_url(url) is official


READ_IN_COPY_SOURCE = (
    "mc_2254_financial_report_2007,Financial Report for the year ended 31 December 2007 "
    "(MC/2254),IOM,2008,https://governingbodies.iom.int/mc-2254,IOM terms,read_in_copy,,"
    "2026-12-06\n"
)
READING = (
    "agency_finances,2007|IOM|total_expenditure,value_usd,783800000,MC/2254,Financial Report 2007,"
    'https://governingbodies.iom.int/mc-2254,https://docslib.org/doc/1,page 2,{status},"{check}",\n'
)


def violations_with_copy_reading(tmp_path, status: str, check: str, reading: str = READING) -> list[str]:
    """The policy's findings once a value read in a copy of MC/2254 enters the data."""
    copy = tmp_path / "data"
    shutil.copytree(data.DATA_DIR, copy)
    with (copy / "sources.csv").open("a", encoding="utf-8") as f:
        f.write(READ_IN_COPY_SOURCE)
    with (copy / "agency_finances.csv").open("a", encoding="utf-8") as f:
        f.write("2007,IOM,total_expenditure,783800000.0,mc_2254_financial_report_2007,page 2\n")
    with (copy / "copy_readings.csv").open("a", encoding="utf-8") as f:
        f.write(reading.format(status=status, check=check))
    data.clear_cache()
    try:
        return policy_violations(copy)
    finally:
        data.clear_cache()


def test_a_value_read_in_a_copy_counts_when_cross_checked(tmp_path):
    check = "MC/2277 (Financial Report 2008), page 2, comparative column: 783.8 (https://docslib.org/doc/2)"
    assert violations_with_copy_reading(tmp_path, "cross_checked", check) == []


def test_a_value_read_in_a_copy_without_cross_check_fails(tmp_path):
    problems = violations_with_copy_reading(tmp_path, "not_cross_checked", "")
    assert problems == [
        "agency_finances 2007|IOM|total_expenditure: read in a copy (mc_2254_financial_report_2007) "
        "without a cross-checked reading"
    ]


def test_a_cross_check_must_name_its_document(tmp_path):
    problems = violations_with_copy_reading(tmp_path, "cross_checked", "another copy agrees")
    assert any("cross_checked needs the second copy or official document" in p for p in problems)


def test_a_value_read_in_a_copy_needs_its_locator(tmp_path):
    reading = READING.replace(",page 2,", ",,")
    with pytest.raises(data.DataError, match=r"copy_readings.csv, row \d+, field 'locator'"):
        violations_with_copy_reading(tmp_path, "cross_checked", "MC/2277, page 2", reading)


def test_a_copy_on_a_wiki_or_leak_fails(tmp_path):
    reading = READING.replace("https://docslib.org/doc/1", "https://en.wikipedia.org/wiki/IOM")
    problems = violations_with_copy_reading(tmp_path, "cross_checked", "MC/2277, page 2", reading)
    assert any("is a wiki, leak, aggregator or news summary" in p for p in problems)


def test_a_cross_checked_copy_must_agree_with_the_data(tmp_path):
    reading = READING.replace(",783800000,", ",783900000,")
    problems = violations_with_copy_reading(tmp_path, "cross_checked", "MC/2277, page 2", reading)
    assert any("the data hold 783,800,000, the copy 783,900,000" in p for p in problems)


def test_a_text_cell_read_in_a_copy_needs_its_cross_check(tmp_path):
    problems = violations_after_edit(
        tmp_path,
        "copy_readings.csv",
        'article 20, paragraph 3",cross_checked',
        'article 20, paragraph 3",not_cross_checked',
    )
    assert problems == [
        "working_cultures Voluntary money|IOM: read in a copy (iom_constitution_art20_read_in_copy) "
        "without a cross-checked reading"
    ]
