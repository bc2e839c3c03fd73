"""The source policy as code: which addresses are official, and what in a copy of data/ breaks the policy.

Read by ``tests/test_source_policy.py``, which states the policy and shows each rule catching a breach.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

from iomun import data
from iomun.definitions import citations

# Host suffixes of official publishers (a host matches itself or any subdomain).
OFFICIAL_HOSTS = (
    "un.org",
    "undocs.org",
    "un-ilibrary.org",
    "unsceb.org",
    "unsystem.org",
    "unu.edu",
    "un.am",
    "unmissions.org",
    "reliefweb.int",
    "ohchr.org",
    "ilo.org",
    "interagencystandingcommittee.org",
    "3rpsyriacrisis.org",
    "unhcr.org",
    "acnur.org",
    "refworld.org",
    "unrwa.org",
    # the African Union, successor of the OAU, publishes the OAU's treaties
    "au.int",
    # the Joint Migration and Development Initiative, a UN inter-agency programme led by UNDP
    "migration4development.org",
    # the UN Office on Drugs and Crime, custodian of the trafficking protocol
    "unodc.org",
    "iom.int",
    "iom-nederland.nl",
    "migrationdataportal.org",
    "internal-displacement.org",
    "bls.gov",
    # governments and their gazettes
    "gov",
    "gov.in",
    "gov.cn",
    "govt.nz",
    "gov.pg",
    "cubaminrex.cu",
    "auswaertiges-amt.de",
    "bgbl.de",
    "gv.at",
    "overheid.nl",
    "officielebekendmakingen.nl",
    "oireachtas.ie",
    "gesetze.li",
    "palais.mc",
    "admin.ch",
    "loc.gov",
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
# Tier 3: hosts no row of the data may point at, not even as the copy a value was read in
# (wikis, leaked cables and their mirrors, aggregators, news summaries of official releases).
BANNED_HOSTS = re.compile(
    r"wikipedia|wikiwand|sourcewatch|wikileaks|mrkva|cables\.|globalpolicy\.org|henriscounty|onuitalia|"
    r"chanakyaiasacademy|alb-aviation",
    re.I,
)
COPY_STATUSES_USED = {"cross_checked", "confirmed_official"}
SHARING_SITES = re.compile(
    r"vdocuments|docslib|lawsdocbox|fdokumen|fdocuments|yumpu|issuu|scribd|studylib|studymode|pdfslide|"
    r"docplayer|docsbay|dokumen|vdocument|moam\.info|123dok|docbox|kipdf|documents\.pub|pdfprof|readkong|"
    r"wikipedia|sourcewatch|wikileaks|tarjamaan|hozir|mrkva|vlex|henriscounty",
    re.I,
)


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
        if row["provenance"] not in ("official", "official_copy", "read_in_copy"):
            problems.append(f"{sid} ({row['provenance']}) is cited by {sorted(resources)}")
        elif not is_official_url(row["url"]):
            problems.append(f"{sid}: {row['url']} is not a publisher's own address")
        elif row["provenance"] == "official_copy":
            notes = str(row["notes"])
            if "copy" not in notes.lower() or "http" not in notes or "Checked" not in notes:
                problems.append(f"{sid}: a copy's notes must give its address and what was checked")
    return problems + copy_reading_violations(data_dir)


def _record_values(data_dir: Path) -> dict[tuple[str, str, str], tuple[float | str, str]]:
    """(resource, record, field) -> (value, source_id) for the values a copy may give: amounts and text cells."""
    finances = data.load("agency_finances", data_dir)
    cultures = data.load("working_cultures", data_dir)
    values: dict[tuple[str, str, str], tuple[float | str, str]] = {
        ("agency_finances", f"{r.year}|{r.agency}|{r.measure}", "value_usd"): (float(r.value_usd), r.source_id)
        for r in finances.itertuples()
    }
    values.update(
        {
            ("working_cultures", f"{r.dimension}|{r.agency}", "description"): (r.description, r.source_id)
            for r in cultures.itertuples()
        }
    )
    return values


def _amount(value: object) -> float | None:
    """The value as an amount, or None for a quoted passage."""
    try:
        return float(str(value))
    except ValueError:
        return None


def _agrees(recorded: float | str, read: object) -> bool:
    """The same figure, allowing for the copy printing it rounded (to its last non-zero digit).

    A text cell paraphrases the passage read, so any cross-checked reading of it agrees."""
    if isinstance(recorded, str) or _amount(read) is None:
        return isinstance(recorded, str) and _amount(read) is None
    read = _amount(read)
    unit, whole = 1, int(round(read))
    while whole and whole % (unit * 10) == 0 and unit < 10**9:
        unit *= 10
    return abs(recorded - read) <= unit / 2


def copy_reading_violations(data_dir: Path) -> list[str]:
    """Tier 2: a value read in a copy counts only when cross-checked, addressed and located."""
    readings = data.load("copy_readings", data_dir)
    sources = data.load("sources", data_dir).set_index("source_id")
    values = _record_values(data_dir)
    problems = []
    for n, row in enumerate(readings.itertuples(), start=2):
        where = f"copy_readings row {n} ({row.record})"
        for name, url in (("copy_url", row.copy_url), ("official_url", row.official_url)):
            if isinstance(url, str) and BANNED_HOSTS.search(url):
                problems.append(f"{where}: {name} {url} is a wiki, leak, aggregator or news summary")
        if is_official_url(row.copy_url):
            problems.append(f"{where}: the copy is on the publisher's own host; cite it as official instead")
        if row.status in COPY_STATUSES_USED:
            if pd.isna(row.official_url) or not is_official_url(row.official_url):
                problems.append(f"{where}: a value read in a copy needs the publisher's own address for the document")
            if pd.isna(row.locator) or not str(row.locator).strip():
                problems.append(f"{where}: a value read in a copy needs its page or table")
        if row.status == "cross_checked" and (
            pd.isna(row.cross_check) or not re.search(r"https?://|\b[A-Z]{1,3}/\d", str(row.cross_check))
        ):
            problems.append(
                f"{where}: cross_checked needs the second copy or official document, with its address or symbol"
            )
        if row.status == "confirmed_official" and pd.isna(row.official_sha256):
            problems.append(f"{where}: confirmed_official needs the SHA-256 of the publisher's file")
        recorded = values.get((row.resource, row.record, row.field))
        if row.status in COPY_STATUSES_USED and recorded and not _agrees(recorded[0], row.value):
            problems.append(f"{where}: the data hold {recorded[0]:,.0f}, the copy {_amount(row.value) or 0:,.0f}")
    # a value whose source is read in a copy must have a cross-checked reading of the same figure
    for key, (value, sid) in values.items():
        if sid in sources.index and sources.loc[sid, "provenance"] == "read_in_copy":
            rows = readings[
                (readings["resource"] == key[0])
                & (readings["record"] == key[1])
                & (readings["field"] == key[2])
                & readings["status"].isin(COPY_STATUSES_USED)
            ]
            if not any(_agrees(value, read) for read in rows["value"]):
                problems.append(f"{key[0]} {key[1]}: read in a copy ({sid}) without a cross-checked reading")
    return problems
