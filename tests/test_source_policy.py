"""The source policy: every value behind a figure, a table or a glued number is official.

A source is official when its ``url`` is the publisher's own address (UN bodies, UNHCR, IOM,
IDMC, BLS, governments and their gazettes) and, for a value read in a copy
(``provenance`` = ``official_copy``), its notes name the copy's address and what was checked.
Values read only in non-official copies live in ``secondary_readings`` (never used) or in
``disagreements``/``gaps`` (where a value is contested or missing).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd
import pytest

from iomun import data
from iomun.definitions import citations

# Host suffixes of official publishers (a host matches itself or any subdomain).
OFFICIAL_HOSTS = (
    "un.org", "undocs.org", "un-ilibrary.org", "unsceb.org", "unsystem.org", "unu.edu", "un.am",
    "unmissions.org", "reliefweb.int", "ohchr.org", "ilo.org", "interagencystandingcommittee.org",
    "3rpsyriacrisis.org", "unhcr.org", "acnur.org", "refworld.org", "unrwa.org",
    # the African Union, successor of the OAU, publishes the OAU's treaties
    "au.int",
    # the Joint Migration and Development Initiative, a UN inter-agency programme led by UNDP
    "migration4development.org",
    # the UN Office on Drugs and Crime, custodian of the trafficking protocol
    "unodc.org",
    "iom.int", "iom-nederland.nl", "migrationdataportal.org", "internal-displacement.org", "bls.gov",
    # governments and their gazettes
    "gov", "gov.in", "gov.cn", "govt.nz", "gov.pg", "cubaminrex.cu", "auswaertiges-amt.de",
    "bgbl.de", "gv.at", "overheid.nl", "officielebekendmakingen.nl", "oireachtas.ie", "gesetze.li",
    "palais.mc", "admin.ch", "loc.gov",
)
# UNHCR publishes its population statistics package from its own GitHub organisation.
OFFICIAL_PREFIXES = ("https://github.com/PopulationStatistics/",)
# Resources that record contested, missing or unusable readings rather than feed the book.
NOTES_RESOURCES = {"sources", "gaps", "disagreements", "secondary_readings"}
# The one non-official source still behind a table, named in gaps until IOM's records replace it:
# the columns it may be cited in (the 2014 status coding, and the admission years IOM's records lack).
COW = "cow_igo_v3_via_igoR"
NAMED_EXCEPTIONS = {COW: {("memberships", "source_id"), ("memberships", "iom_join_source_id")}}
EXCEPTION_GAPS = {COW: "iom_membership"}  # the gap lives with IOM's own records
SUBJECT = {"funds_briefing42_2016"}  # the briefing this book re-reads: its own claims
SHARING_SITES = re.compile(
    r"vdocuments|docslib|lawsdocbox|fdokumen|fdocuments|yumpu|issuu|scribd|studylib|studymode|pdfslide|"
    r"docplayer|docsbay|wikipedia|sourcewatch|wikileaks|tarjamaan|hozir|mrkva|vlex|henriscounty", re.I)


def is_official_url(url: str) -> bool:
    """Whether ``url`` is on an official publisher's host."""
    if url.startswith(OFFICIAL_PREFIXES):
        return True
    host = (urlparse(url).hostname or "").lower()
    return any(host == suffix or host.endswith("." + suffix) for suffix in OFFICIAL_HOSTS)


def cited_columns(data_dir: Path) -> dict[str, set[tuple[str, str]]]:
    """source_id -> (resource, column) pairs, outside the notes resources, whose rows cite it."""
    cited: dict[str, set[tuple[str, str]]] = {}
    for resource in data.read_descriptor(data_dir)["resources"]:
        if resource["name"] in NOTES_RESOURCES:
            continue
        frame = data.load(resource["name"], data_dir)
        for column in frame.columns:
            if column.endswith("source_id"):
                for sid in frame[column].dropna():
                    cited.setdefault(sid, set()).add((resource["name"], column))
    return cited


def definition_sources() -> set[str]:
    """The sources the definitions' citations name (they are cited from code, not from a data row)."""
    return {value.source_id for value in vars(citations).values() if isinstance(value, citations.Citation)}


def policy_violations(data_dir: Path) -> list[str]:
    """Every way the data in ``data_dir`` break the source policy, one line each."""
    sources = data.load("sources", data_dir).set_index("source_id")
    problems = []
    places = cited_columns(data_dir)
    for sid in definition_sources():
        places.setdefault(sid, set()).add(("definitions", "Citation"))
    for sid, where in sorted(places.items()):
        row, resources = sources.loc[sid], {name for name, _ in where}
        # the exception holds only within its named columns
        if where <= NAMED_EXCEPTIONS.get(sid, set()):
            continue
        if row["provenance"] == "subject" and sid in SUBJECT:
            continue
        if row["provenance"] not in ("official", "official_copy"):
            problems.append(f"{sid} ({row['provenance']}) is cited by {sorted(resources)}")
        elif not is_official_url(row["url"]):
            problems.append(f"{sid}: {row['url']} is not a publisher's own address")
        elif row["provenance"] == "official_copy":
            notes = str(row["notes"])
            if "copy" not in notes.lower() or "http" not in notes or "Checked" not in notes:
                problems.append(f"{sid}: a copy's notes must give its address and what was checked")
    return problems


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
    problems = violations_after_edit(tmp_path, "sources.csv",
                                     "https://www.iom.int/news/iom-becomes-related-organization-un",
                                     "https://vdocuments.us/iom-becomes-related-organization-un.html")
    assert problems == ["iom_news_2016_07_26: https://vdocuments.us/iom-becomes-related-organization-un.html "
                        "is not a publisher's own address"]


def test_the_policy_catches_the_exception_cited_elsewhere(tmp_path):
    problems = violations_after_edit(tmp_path, "facts.csv", "1951,year,1951,un_am_iom_2016,", f"1951,year,1951,{COW},")
    assert problems == [f"{COW} (not_official) is cited by ['facts', 'memberships']"]


def test_the_policy_covers_the_sources_of_the_definitions(tmp_path):
    assert definition_sources() >= {"oau_refugee_convention_1969", "convention_1951_refugees"}
    problems = violations_after_edit(
        tmp_path, "sources.csv",
        "https://au.int/en/treaties/oau-convention-governing-specific-aspects-refugee-problems-africa",
        "https://www.scribd.com/document/699743522")
    assert problems == ["oau_refugee_convention_1969: https://www.scribd.com/document/699743522 "
                        "is not a publisher's own address"]


@pytest.mark.parametrize("url, official", [
    ("https://treaties.un.org/pages/x", True), ("https://www.unhcr.org/x", True),
    ("https://nigeria.iom.int/x", True), ("https://geneva.usmission.gov/x", True),
    ("https://au.int/en/treaties/x", True), ("https://un.org.au/x", False),
    ("https://docslib.org/doc/1", False), ("https://un.org.example.com/x", False),
    ("https://github.com/someone/refugees", False),
])
def test_official_hosts(url, official):
    assert is_official_url(url) is official
