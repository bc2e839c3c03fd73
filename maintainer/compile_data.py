"""Build the CPI-U, migrant-stock and treaty-year resources of ``data/`` from official files.

Run by a maintainer (``make compile-data``, or ``python -m maintainer.compile_data``) after
installing ``requirements-maintainer.txt``. Inputs:

- BLS CPI-U, series CUUR0000SA0, period M13 (annual average), from ``cpi/cpi.db`` of the
  PyPI package ``cpi`` (an SQLite copy of the BLS time-series files);
- UN DESA, *International Migrant Stock 2024: Destination* (Tables 1 and 3) and the UN Treaty
  Collection status tables of chapters V.2 and V.5, byte-faithful copies in
  ``../shared/reference/raw`` (``--raw-dir`` or ``IOMUN_RAW_DIR`` to read them elsewhere).

Every row written names its source and where in it the value was read; every changed file is
validated against ``datapackage.json`` before it replaces the old one. The script never types a
value: what the inputs do not hold stays as it was (or missing).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import sqlite3
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd

from iomun import data

REPO = Path(__file__).resolve().parent.parent
DEFAULT_RAW_DIR = REPO.parent / "shared" / "reference" / "raw"

DESA_FILE = "undesa_pd_2024_ims_stock_by_sex_and_destination.xlsx"
UNTC_V2_FILE = "untc_V2_convention_status_2013.csv"
UNTC_V5_FILE = "untc_V5_protocol_status_2014.csv"

CPI_SERIES, CPI_PERIOD = "CUUR0000SA0", "M13"
CPI_YEARS = (2000, 2025)
DESA_SERIES = "international_migrants_undesa_ims2024"
DESA_YEARS = (1990, 1995, 2000, 2005, 2010, 2015, 2020, 2024)
WORLD_M49 = 900
# Regions that the workbook prints with a data type like a country (their members follow them).
AGGREGATES_WITH_DATA_TYPE = {927: "Australia/New Zealand"}

CPI_SOURCE = "bls_cpi_u_cuur0000sa0"
DESA_SOURCE = "undesa_ims2024_destination"
UNTC_V2_SOURCE = "untc_v2_status"
UNTC_V5_SOURCE = "untc_v5_status"
SOUTH_SUDAN_SOURCE = "unhcr_pr_2018_10_01_south_sudan_accession"
TREATY_SOURCES = {"convention_1951": UNTC_V2_SOURCE, "protocol_1967": UNTC_V5_SOURCE}

# UN Treaty Collection names that differ from UN DESA's names of the same State.
UNTC_ALIASES = {
    "Czech Republic": "CZE",
    "St. Kitts and Nevis": "KNA",
    "St. Vincent and the Grenadines": "VCT",
    "Swaziland": "SWZ",
    "The former Yugoslav Republic of Macedonia": "MKD",
    "Turkey": "TUR",
    "United Kingdom of Great Britain and Northern Ireland": "GBR",
}

# Accessions after the dates of the stored UNTC tables, each from an official page.
LATER_ACCESSIONS = {
    "SSD": {
        "year": 2018,
        "source_id": SOUTH_SUDAN_SOURCE,
        "locator": "first paragraph: South Sudan's accession to the 1951 Convention and its 1967 "
                   "Protocol, instrument signed in Juba on Friday 28 September (release of 1 October 2018)",
    },
}

# The Holy See is a party (UNTC rows) but outside the Correlates of War state list.
ADDED_STATES = {"VAT": {"country": "Holy See", "iom_status": "not_coded", "source_id": "cow_igo_v3_via_igoR"}}


class CompileError(RuntimeError):
    """An input file is missing or not in the expected shape."""


@dataclass(frozen=True)
class Party:
    """One row of a UNTC status table: the State's name as printed and its date cell."""

    name: str
    date: str

    @property
    def year(self) -> int:
        """Year of the deposit (ratification, accession a, succession d)."""
        match = re.search(r"\b(19|20)\d{2}\b", self.date)
        if not match:
            raise CompileError(f"UNTC row '{self.name}': no year in '{self.date}'")
        return int(match.group(0))


# --- inputs ------------------------------------------------------------------------------

def sha256(path: Path) -> str:
    """SHA-256 of a file, written into the source notes so a reader can check the copy."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def default_cpi_db() -> Path:
    """``cpi.db`` of the installed ``cpi`` package (imported only here: it is a maintainer need)."""
    import cpi  # noqa: PLC0415 - optional maintainer dependency

    return Path(cpi.__file__).resolve().parent / "cpi.db"


def read_cpi(db_path: Path, years: tuple[int, int] = CPI_YEARS) -> dict[int, float]:
    """Annual averages of CPI-U (1982-84=100) for every year in ``years``, from the BLS copy."""
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as connection:
        rows = connection.execute(
            "SELECT year, value FROM indexes WHERE series = ? AND period = ? "
            "AND year BETWEEN ? AND ? ORDER BY year",
            (CPI_SERIES, CPI_PERIOD, *years),
        ).fetchall()
    values = {int(year): float(value) for year, value in rows}
    missing = [y for y in range(years[0], years[1] + 1) if y not in values]
    if missing:
        raise CompileError(f"{db_path}: {CPI_SERIES} {CPI_PERIOD} has no value for {missing}")
    return values


def _desa_rows(
    workbook_path: Path, sheet: str
) -> Iterator[tuple[int, str, int, dict[int, Any], str | None]]:
    """(file row, name, M49 code, {year: both-sexes value}, data type) of rows with a location code."""
    workbook = openpyxl.load_workbook(workbook_path, read_only=True)
    try:
        rows = iter(workbook[sheet].iter_rows(values_only=True))
        for header_row, row in enumerate(rows, start=1):  # noqa: B007 - used after the loop
            if "Location code" in row:
                header = list(row)
                break
        else:
            raise CompileError(f"{workbook_path} [{sheet}]: no header row with 'Location code'")
        code = header.index("Location code")
        years = {}
        for index, cell in enumerate(header):
            if isinstance(cell, int) and cell in DESA_YEARS:
                years.setdefault(cell, index)  # first occurrence: both sexes combined
        if sorted(years) != list(DESA_YEARS):
            raise CompileError(f"{workbook_path} [{sheet}]: year columns {sorted(years)}")
        for number, row in enumerate(rows, start=header_row + 1):
            if isinstance(row[code], int):
                name = str(row[1]).strip().rstrip("*").strip()
                yield number, name, row[code], {year: row[i] for year, i in years.items()}, row[3]
    finally:
        workbook.close()


@dataclass(frozen=True)
class DesaTable:
    """World row and country rows (those with a data type) of one sheet."""

    world: dict[int, Any]
    world_row: int
    countries: list[tuple[int, str, int, dict[int, Any]]]


def read_desa(workbook_path: Path, sheet: str) -> DesaTable:
    """Read one sheet of the destination workbook (Table 1: persons; Table 3: per cent)."""
    world, world_row, countries = None, 0, []
    for number, name, m49, values, data_type in _desa_rows(workbook_path, sheet):
        if m49 == WORLD_M49:
            world, world_row = values, number
        elif data_type and m49 not in AGGREGATES_WITH_DATA_TYPE:
            countries.append((number, name, m49, values))
    if world is None:
        raise CompileError(f"{workbook_path} [{sheet}]: no World row (location code {WORLD_M49})")
    return DesaTable(world, world_row, countries)


def read_untc(path: Path, date_column: int) -> list[Party]:
    """Participants of a UNTC status table with the date of their deposit."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    if not rows or rows[0][0] != "Participant":
        raise CompileError(f"{path}: first column is not 'Participant'")
    return [Party(row[0].strip(), row[date_column].strip()) for row in rows[1:] if row and row[0].strip()]


def m49_to_iso3(m49: int) -> str | None:
    """ISO 3166 alpha-3 of a UN M49 country code (the two share the numeric codes)."""
    import pycountry  # noqa: PLC0415 - optional maintainer dependency

    country = pycountry.countries.get(numeric=f"{m49:03d}")
    return country.alpha_3 if country else None


def untc_iso3(parties: Iterable[Party], desa_names: dict[str, str]) -> dict[str, Party]:
    """ISO3 -> UNTC row, matching UNTC names to UN DESA's UN names (aliases where they differ)."""
    found: dict[str, Party] = {}
    for party in parties:
        iso3 = UNTC_ALIASES.get(party.name) or desa_names.get(party.name)
        if iso3 is None:
            raise CompileError(f"UNTC participant '{party.name}' matches no UN DESA country name")
        found[iso3] = party
    return found


# --- building the resources -------------------------------------------------------------

def build_cpi(values: dict[int, float], package_version: str) -> pd.DataFrame:
    """The cpi_u resource: one row per year."""
    locator = (f"BLS series {CPI_SERIES} (CPI-U, U.S. city average, all items, not seasonally "
               f"adjusted), period {CPI_PERIOD} (annual average), year {{year}}; read from cpi.db "
               f"of the PyPI package cpi {package_version}")
    return pd.DataFrame([
        {"year": year, "cpi_u_annual_average": value, "base_period": "1982-84=100",
         "source_id": CPI_SOURCE, "locator": locator.format(year=year)}
        for year, value in sorted(values.items())
    ])


def build_world_stock(existing: pd.DataFrame, stock: DesaTable) -> pd.DataFrame:
    """world_populations with the 2024 revision's eight world totals (persons, unrounded)."""
    others = existing[existing["series"] != DESA_SERIES]
    rows = pd.DataFrame([
        {"year": year, "series": DESA_SERIES, "value": int(stock.world[year]), "unit": "persons",
         "source_id": DESA_SOURCE}
        for year in DESA_YEARS
    ])
    combined = pd.concat([others, rows], ignore_index=True)
    order = list(dict.fromkeys(existing["series"].tolist() + [DESA_SERIES]))
    combined["_order"] = combined["series"].map({s: i for i, s in enumerate(order)})
    return combined.sort_values(["_order", "year"]).drop(columns="_order").reset_index(drop=True)


def build_shares(shares: DesaTable) -> pd.DataFrame:
    """migrant_stock_shares: the world's stock as % of total population, all eight years."""
    return pd.DataFrame([
        {"year": year, "series": DESA_SERIES, "share_percent": float(shares.world[year]),
         "source_id": DESA_SOURCE,
         "locator": f"Table 3, row {shares.world_row} (World, location code {WORLD_M49}), "
                    f"column {year}, both sexes combined"}
        for year in DESA_YEARS
    ])


def build_country_stock(stock: DesaTable, known_iso3: set[str]) -> pd.DataFrame:
    """migrant_stock_by_destination: each country or area's 2024 stock (Table 1)."""
    rows = []
    for number, name, m49, values in stock.countries:
        iso3 = m49_to_iso3(m49)
        rows.append({
            "m49": m49, "location": name, "iso3": iso3 if iso3 in known_iso3 else None,
            "year": 2024, "migrant_stock": int(values[2024]), "source_id": DESA_SOURCE,
            "locator": f"Table 1, row {number} ({name}), column 2024, both sexes combined",
        })
    return pd.DataFrame(rows)


@dataclass
class TreatyResult:
    """Memberships with treaty years from the depositary, and the readings it replaced."""

    memberships: pd.DataFrame
    disagreements: list[dict[str, str]]
    dropped: list[tuple[str, str, int, str]]


def build_treaty_years(
    memberships: pd.DataFrame, parties: dict[str, dict[str, Party]], snapshot: dict[str, str]
) -> TreatyResult:
    """Treaty years from the UNTC tables; differences from the old readings are reported.

    ``parties`` maps "convention_1951"/"protocol_1967" to ISO3 -> UNTC row; ``snapshot`` gives
    each table's date (for the locator). A year the depositary does not list is kept only if
    it is a later accession read from an official page (``LATER_ACCESSIONS``).
    """
    frame = memberships.copy()
    for iso3, fields in ADDED_STATES.items():
        if iso3 not in set(frame["iso3"]):
            frame = pd.concat([frame, pd.DataFrame([{"iso3": iso3, **fields}])], ignore_index=True)
    disagreements: list[dict[str, str]] = []
    dropped: list[tuple[str, str, int, str]] = []
    for index, row in frame.iterrows():
        iso3 = row["iso3"]
        for treaty, source in TREATY_SOURCES.items():
            year_col, src_col, loc_col = f"{treaty}_year", f"{treaty}_source_id", f"{treaty}_locator"
            old_year, old_source = row[year_col], row[src_col]
            party = parties[treaty].get(iso3)
            if party is not None:
                new = (party.year, source,
                       f"UNTC status table as of {snapshot[treaty]}, row '{party.name}' "
                       f"(published: '{party.date}')")
            elif iso3 in LATER_ACCESSIONS:
                later = LATER_ACCESSIONS[iso3]
                new = (later["year"], later["source_id"], later["locator"])
            else:
                new = (None, None, None)
            if pd.notna(old_year) and new[0] is not None and int(old_year) != new[0]:
                disagreements.append({
                    "resource": "memberships", "record": iso3, "field": year_col,
                    "value_used": str(new[0]), "source_id_used": new[1],
                    "value_other": str(int(old_year)), "source_other": str(old_source),
                    "note": "The UN depositary's date of deposit is used.",
                })
            if pd.notna(old_year) and new[0] is None:
                dropped.append((iso3, treaty, int(old_year), str(old_source)))
            frame.loc[index, [year_col, src_col, loc_col]] = new
    for column in ("convention_1951_year", "protocol_1967_year", "iom_join_year"):
        frame[column] = frame[column].astype("Int64")
    return TreatyResult(frame.sort_values("iso3").reset_index(drop=True), disagreements, dropped)


def merge_disagreements(
    existing: pd.DataFrame, new: list[dict[str, str]], memberships: pd.DataFrame
) -> pd.DataFrame:
    """Add the treaty-year disagreements found now; keep earlier ones the data still bear out.

    A re-run finds no difference for a year it already replaced, so earlier rows are kept as
    long as the year they say is used is still the one in the data.
    """
    treaty_fields = {f"{t}_year" for t in TREATY_SOURCES}
    years = memberships.set_index("iso3")

    def still_used(row: pd.Series) -> bool:
        if row["field"] not in treaty_fields or row["resource"] != "memberships":
            return True
        value = years.loc[row["record"], row["field"]] if row["record"] in years.index else pd.NA
        return pd.notna(value) and str(int(value)) == row["value_used"]

    kept = existing[existing.apply(still_used, axis=1)] if len(existing) else existing
    fresh = pd.DataFrame(new, columns=existing.columns)
    seen = set(zip(kept["record"], kept["field"], kept["value_other"], strict=True))
    fresh = fresh[[key not in seen for key in zip(fresh["record"], fresh["field"], fresh["value_other"],
                                                   strict=True)]]
    return pd.concat([kept, fresh], ignore_index=True)


def source_rows(raw_dir: Path, cpi_db: Path, cpi_version: str, today: str) -> pd.DataFrame:
    """Rows of sources.csv for the inputs of this step, with the copies' addresses and digests."""
    desa, v2, v5 = raw_dir / DESA_FILE, raw_dir / UNTC_V2_FILE, raw_dir / UNTC_V5_FILE
    compiled = f"Compiled on {today} by python -m maintainer.compile_data."
    return pd.DataFrame([
        {"source_id": CPI_SOURCE,
         "title": "Consumer Price Index for All Urban Consumers (CPI-U), U.S. city average, all items, "
                  "not seasonally adjusted, 1982-84=100: series CUUR0000SA0, annual average (M13)",
         "publisher": "U.S. Bureau of Labor Statistics", "year": "2026",
         "url": "https://data.bls.gov/timeseries/CUUR0000SA0", "license": "public domain (US government work)",
         "provenance": "official_copy",
         "notes": f"Read from cpi.db in the PyPI package cpi {cpi_version} (MIT licence; an SQLite copy "
                  "of the BLS time-series files https://download.bls.gov/pub/time.series/cu/; "
                  f"sha256 of cpi.db {sha256(cpi_db)}). Checked: 2008, 2009, 2011, 2012, 2022, 2024 and 2025 "
                  "equal the annual averages printed in BLS regional CPI overview tables, and 2000-2006 "
                  "equal the one-decimal BLS values the book used before. " + compiled,
         "date_read": today},
        {"source_id": DESA_SOURCE,
         "title": "International Migrant Stock 2024: Destination (POP/DB/MIG/Stock/Rev.2024), Table 1 "
                  "(stock at mid-year by destination) and Table 3 (stock as % of total population)",
         "publisher": "United Nations Department of Economic and Social Affairs, Population Division",
         "year": "2024", "url": "https://www.un.org/development/desa/pd/content/international-migrant-stock",
         "license": "CC BY 3.0 IGO", "provenance": "official_copy",
         "notes": "Byte-faithful copy of the official workbook undesa_pd_2024_ims_stock_by_sex_and_destination.xlsx, "
                  "taken from the public repository MIT-Emerging-Talent/ET6-CDSP-group-12-repo, "
                  "https://github.com/MIT-Emerging-Talent/ET6-CDSP-group-12-repo/blob/"
                  "5f5ef89ba64702f3bae7167d1c936cbb1598f92c/1_datasets/raw_datasets_files/"
                  f"undesa_pd_2024_ims_stock_by_sex_and_destination.raw.xlsx (sha256 {sha256(desa)}). "
                  "Checked: World 1990, 2020 and 2024 agree with the rounded figures UN DESA and IOM "
                  "published (154, 275 and 304 million; 2.9, 3.5 and 3.7 per cent). " + compiled,
         "date_read": today},
        {"source_id": UNTC_V2_SOURCE,
         "title": "Multilateral Treaties Deposited with the Secretary-General, chapter V.2: Convention "
                  "relating to the Status of Refugees (Geneva, 28 July 1951), status of participants",
         "publisher": "United Nations (Office of Legal Affairs, Treaty Section)", "year": "2013",
         "url": "https://treaties.un.org/pages/ViewDetails.aspx?src=TREATY&mtdsg_no=V-2&chapter=5",
         "license": "UN terms of use", "provenance": "official_copy",
         "notes": "Copy of the status table (participant, signature, date of ratification, accession a or "
                  "succession d) scraped from the UNTC page, in the public repository zmjones/untreaties, "
                  "https://github.com/zmjones/untreaties/blob/003ce1309cc2a27a5a3909f39b7e6634550bf173/"
                  f"treaties/5-2.csv (file last changed 2013-07-06; footnote numbers stripped; sha256 {sha256(v2)}). "
                  "Checked: 145 participants; 231 of 232 years the book had read State by State from "
                  "official pages agree (Iran differs). Accessions after July 2013 are not in it. " + compiled,
         "date_read": today},
        {"source_id": UNTC_V5_SOURCE,
         "title": "Multilateral Treaties Deposited with the Secretary-General, chapter V.5: Protocol "
                  "relating to the Status of Refugees (New York, 31 January 1967), status of participants",
         "publisher": "United Nations (Office of Legal Affairs, Treaty Section)", "year": "2014",
         "url": "https://treaties.un.org/pages/ViewDetails.aspx?src=TREATY&mtdsg_no=V-5&chapter=5",
         "license": "UN terms of use", "provenance": "official_copy",
         "notes": "Copy of the status table scraped from the UNTC page, in the public repository "
                  "zmjones/untreaties, https://github.com/zmjones/untreaties/blob/"
                  f"003ce1309cc2a27a5a3909f39b7e6634550bf173/treaties/5-5.csv (file last changed 2014-01-27; "
                  f"sha256 {sha256(v5)}). Checked: 146 participants, agreeing with the book's earlier "
                  "State-by-State readings except where the disagreements resource says otherwise. " + compiled,
         "date_read": today},
        {"source_id": SOUTH_SUDAN_SOURCE,
         "title": "South Sudan signs the 1951 Refugee Convention (news release, 1 October 2018)",
         "publisher": "UNHCR", "year": "2018",
         "url": "https://unhcr.org/fr/actualites/news-releases/le-soudan-du-sud-signe-la-convention-de-1951-relative-au-statut-des",
         "license": "UNHCR terms of use", "provenance": "official",
         "notes": "UNHCR's release in French (Le Soudan du Sud signe la Convention de 1951 relative au statut "
                  "des réfugiés); the English text is the same release as carried on ReliefWeb. "
                  "Year of the accession instrument (signed 28 September 2018); the depositary's date of "
                  "deposit was not read. " + compiled,
         "date_read": today},
    ])


# --- writing -----------------------------------------------------------------------------

def to_csv_text(frame: pd.DataFrame) -> str:
    """CSV as the package stores it: UTF-8, LF line ends, empty cells for missing values."""
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n", float_format=None)
    return buffer.getvalue()


def write_validated(name: str, frame: pd.DataFrame, data_dir: Path) -> bool:
    """Validate ``frame`` as resource ``name`` from a temporary file, then replace the file.

    Returns whether the file changed.
    """
    target = data_dir / data.resource_descriptor(name, data_dir)["path"]
    text = to_csv_text(frame)
    if target.exists() and target.read_text(encoding="utf-8") == text:
        return False
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=data_dir, suffix=".csv",
                                     delete=False, newline="") as handle:
        handle.write(text)
        temporary = Path(handle.name)
    try:
        data.clear_cache()
        data.validate_file(name, temporary, data_dir)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
        data.clear_cache()
    return True


SOURCE_COLUMNS = ("source_id", "convention_1951_source_id", "protocol_1967_source_id", "source_id_used")


def sync_descriptor_sources(data_dir: Path, names: Sequence[str]) -> bool:
    """List in ``datapackage.json`` exactly the sources each written resource cites."""
    path = data_dir / "datapackage.json"
    descriptor = data.read_descriptor(data_dir)
    sources = data.validate_file("sources", data_dir / "sources.csv", data_dir).set_index("source_id")
    for resource in descriptor["resources"]:
        if resource["name"] not in names:
            continue
        frame = data.validate_file(resource["name"], data_dir / resource["path"], data_dir)
        cited = sorted({sid for column in SOURCE_COLUMNS if column in frame
                        for sid in frame[column].dropna() if sid in sources.index})
        resource["sources"] = [
            {"title": sources.loc[sid, "title"], "path": sources.loc[sid, "url"],
             "publisher": sources.loc[sid, "publisher"], "license": sources.loc[sid, "license"],
             "date_read": sources.loc[sid, "date_read"], "source_id": sid}
            for sid in cited
        ]
    text = json.dumps(descriptor, indent=1, ensure_ascii=False) + "\n"
    if path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    data.clear_cache()
    return True


def upsert_sources(existing: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """Replace or append this step's source rows, keeping the others in their order."""
    keep = existing[~existing["source_id"].isin(rows["source_id"])]
    return pd.concat([keep, rows[existing.columns]], ignore_index=True)


def compile_all(raw_dir: Path, data_dir: Path, cpi_db: Path, cpi_version: str,
                today: str | None = None) -> dict[str, Any]:
    """Build every resource of this step into ``data_dir``; return a short report."""
    today = today or dt.date.today().isoformat()
    for name in (DESA_FILE, UNTC_V2_FILE, UNTC_V5_FILE):
        if not (raw_dir / name).is_file():
            raise CompileError(f"{raw_dir / name}: raw file missing (use --raw-dir)")
    stock = read_desa(raw_dir / DESA_FILE, "Table 1")
    shares = read_desa(raw_dir / DESA_FILE, "Table 3")
    desa_names = {name: m49_to_iso3(m49) for _, name, m49, _ in stock.countries}
    parties = {
        "convention_1951": untc_iso3(read_untc(raw_dir / UNTC_V2_FILE, 2), desa_names),
        "protocol_1967": untc_iso3(read_untc(raw_dir / UNTC_V5_FILE, 1), desa_names),
    }
    snapshot = {"convention_1951": "2013-07-06", "protocol_1967": "2014-01-27"}

    load = lambda name: data.validate_file(  # noqa: E731 - read the current file, uncached
        name, data_dir / data.resource_descriptor(name, data_dir)["path"], data_dir)
    sources = upsert_sources(load("sources"), source_rows(raw_dir, cpi_db, cpi_version, today))
    changed = {"sources": write_validated("sources", sources, data_dir)}
    known_iso3 = set(load("countries")["iso3"].dropna())
    treaty = build_treaty_years(load("memberships"), parties, snapshot)
    outputs = {
        "cpi_u": build_cpi(read_cpi(cpi_db), cpi_version),
        # read without the revision rule: the old rows of this series are the ones being replaced
        "world_populations": build_world_stock(
            pd.read_csv(data_dir / "world_populations.csv", dtype={"series": str, "unit": str, "source_id": str}),
            stock),
        "migrant_stock_shares": build_shares(shares),
        "migrant_stock_by_destination": build_country_stock(stock, known_iso3),
        "memberships": treaty.memberships,
        "disagreements": merge_disagreements(load("disagreements"), treaty.disagreements, treaty.memberships),
    }
    for name, frame in outputs.items():
        changed[name] = write_validated(name, frame, data_dir)
    changed["datapackage.json"] = sync_descriptor_sources(data_dir, list(outputs))
    return {"changed": changed, "disagreements": treaty.disagreements, "dropped": treaty.dropped,
            "no_year": _parties_without_year(treaty.memberships, parties)}


def _parties_without_year(memberships: pd.DataFrame, parties: dict[str, dict[str, Party]]) -> list[str]:
    """States in a UNTC table that the memberships resource cannot hold (not in its list)."""
    listed = set(memberships["iso3"])
    return sorted({iso3 for table in parties.values() for iso3 in table} - listed)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command line: where the raw files, the data and the CPI database are."""
    parser = argparse.ArgumentParser(prog="python -m maintainer.compile_data", description=__doc__.split("\n")[0])
    parser.add_argument("--raw-dir", type=Path,
                        default=Path(os.environ.get("IOMUN_RAW_DIR", DEFAULT_RAW_DIR)),
                        help="folder of the raw official files (default: ../shared/reference/raw)")
    parser.add_argument("--data-dir", type=Path, default=data.DATA_DIR, help="the data package to update")
    parser.add_argument("--cpi-db", type=Path, default=None,
                        help="SQLite CPI database (default: cpi.db of the installed cpi package)")
    parser.add_argument("--today", default=None, help="date written as date_read (default: today)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the compilation and print what changed; exit 1 on a bad input."""
    args = parse_args(argv)
    try:
        import importlib.metadata as metadata  # noqa: PLC0415

        cpi_db = args.cpi_db or default_cpi_db()
        version = metadata.version("cpi") if args.cpi_db is None else f"(database {cpi_db.name})"
        report = compile_all(args.raw_dir.resolve(), args.data_dir.resolve(), cpi_db, version, args.today)
    except (CompileError, data.DataError, OSError, sqlite3.Error) as exc:
        print(f"compile_data: {exc}", file=sys.stderr)
        return 1
    for name, changed in report["changed"].items():
        print(f"{name}: {'updated' if changed else 'unchanged'}")
    for row in report["disagreements"]:
        print(f"disagreement {row['record']} {row['field']}: UNTC {row['value_used']}, "
              f"was {row['value_other']} ({row['source_other']})")
    for iso3, treaty, year, source in report["dropped"]:
        print(f"dropped {iso3} {treaty} {year} ({source}): not in the UNTC table nor a later accession")
    for iso3 in report["no_year"]:
        print(f"UNTC party {iso3} is not in memberships.csv")
    return 0


if __name__ == "__main__":
    sys.exit(main())
