"""The rows of ``sources.csv`` for this step's inputs: each copy's address, digest and what was checked."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from .cpi_u import CPI_SOURCE
from .desa_2024 import DESA_SOURCE
from .inputs import DESA_FILE, UNTC_V2_FILE, UNTC_V5_FILE
from .treaties import SOUTH_SUDAN_SOURCE, UNTC_V2_SOURCE, UNTC_V5_SOURCE


def sha256(path: Path) -> str:
    """SHA-256 of a file, written into the source notes so a reader can check the copy."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def source_rows(raw_dir: Path, cpi_db: Path, cpi_version: str, today: str) -> pd.DataFrame:
    """Rows of sources.csv for the inputs of this step, with the copies' addresses and digests."""
    desa, v2, v5 = raw_dir / DESA_FILE, raw_dir / UNTC_V2_FILE, raw_dir / UNTC_V5_FILE
    compiled = f"Compiled on {today} by python -m maintainer.compile_data."
    return pd.DataFrame(
        [
            {
                "source_id": CPI_SOURCE,
                "title": "Consumer Price Index for All Urban Consumers (CPI-U), U.S. city average, all items, "
                "not seasonally adjusted, 1982-84=100: series CUUR0000SA0, annual average (M13)",
                "publisher": "U.S. Bureau of Labor Statistics",
                "year": "2026",
                "url": "https://data.bls.gov/timeseries/CUUR0000SA0",
                "license": "public domain (US government work)",
                "provenance": "official_copy",
                "notes": f"Read from cpi.db in the PyPI package cpi {cpi_version} (MIT licence; an SQLite copy "
                "of the BLS time-series files https://download.bls.gov/pub/time.series/cu/; "
                f"sha256 of cpi.db {sha256(cpi_db)}). Checked: 2008, 2009, 2011, 2012, 2022, 2024 and 2025 "
                "equal the annual averages printed in BLS regional CPI overview tables, and 2000-2006 "
                "equal the one-decimal BLS values the book used before. " + compiled,
                "date_read": today,
            },
            {
                "source_id": DESA_SOURCE,
                "title": "International Migrant Stock 2024: Destination (POP/DB/MIG/Stock/Rev.2024), Table 1 "
                "(stock at mid-year by destination) and Table 3 (stock as % of total population)",
                "publisher": "United Nations Department of Economic and Social Affairs, Population Division",
                "year": "2024",
                "url": "https://www.un.org/development/desa/pd/content/international-migrant-stock",
                "license": "CC BY 3.0 IGO",
                "provenance": "official_copy",
                "notes": "Byte-faithful copy of the official workbook "
                "undesa_pd_2024_ims_stock_by_sex_and_destination.xlsx, "
                "taken from the public repository MIT-Emerging-Talent/ET6-CDSP-group-12-repo, "
                "https://github.com/MIT-Emerging-Talent/ET6-CDSP-group-12-repo/blob/"
                "5f5ef89ba64702f3bae7167d1c936cbb1598f92c/1_datasets/raw_datasets_files/"
                f"undesa_pd_2024_ims_stock_by_sex_and_destination.raw.xlsx (sha256 {sha256(desa)}). "
                "Checked: World 1990, 2020 and 2024 agree with the rounded figures UN DESA and IOM "
                "published (154, 275 and 304 million; 2.9, 3.5 and 3.7 per cent). " + compiled,
                "date_read": today,
            },
            {
                "source_id": UNTC_V2_SOURCE,
                "title": "Multilateral Treaties Deposited with the Secretary-General, chapter V.2: Convention "
                "relating to the Status of Refugees (Geneva, 28 July 1951), status of participants",
                "publisher": "United Nations (Office of Legal Affairs, Treaty Section)",
                "year": "2013",
                "url": "https://treaties.un.org/pages/ViewDetails.aspx?src=TREATY&mtdsg_no=V-2&chapter=5",
                "license": "UN terms of use",
                "provenance": "official_copy",
                "notes": "Copy of the status table (participant, signature, date of ratification, accession a or "
                "succession d) scraped from the UNTC page, in the public repository zmjones/untreaties, "
                "https://github.com/zmjones/untreaties/blob/003ce1309cc2a27a5a3909f39b7e6634550bf173/"
                f"treaties/5-2.csv (file last changed 2013-07-06; footnote numbers stripped; sha256 {sha256(v2)}). "
                "Checked: 145 participants; 231 of 232 years the book had read State by State from "
                "official pages agree (Iran differs). Accessions after July 2013 are not in it. " + compiled,
                "date_read": today,
            },
            {
                "source_id": UNTC_V5_SOURCE,
                "title": "Multilateral Treaties Deposited with the Secretary-General, chapter V.5: Protocol "
                "relating to the Status of Refugees (New York, 31 January 1967), status of participants",
                "publisher": "United Nations (Office of Legal Affairs, Treaty Section)",
                "year": "2014",
                "url": "https://treaties.un.org/pages/ViewDetails.aspx?src=TREATY&mtdsg_no=V-5&chapter=5",
                "license": "UN terms of use",
                "provenance": "official_copy",
                "notes": "Copy of the status table scraped from the UNTC page, in the public repository "
                "zmjones/untreaties, https://github.com/zmjones/untreaties/blob/"
                f"003ce1309cc2a27a5a3909f39b7e6634550bf173/treaties/5-5.csv (file last changed 2014-01-27; "
                f"sha256 {sha256(v5)}). Checked: 146 participants, agreeing with the book's earlier "
                "State-by-State readings except where the disagreements resource says otherwise. " + compiled,
                "date_read": today,
            },
            {
                "source_id": SOUTH_SUDAN_SOURCE,
                "title": "South Sudan signs the 1951 Refugee Convention (news release, 1 October 2018)",
                "publisher": "UNHCR",
                "year": "2018",
                "url": "https://unhcr.org/fr/actualites/news-releases/le-soudan-du-sud-signe-la-convention-de-1951-relative-au-statut-des",
                "license": "UNHCR terms of use",
                "provenance": "official",
                "notes": "UNHCR's release in French (Le Soudan du Sud signe la Convention de 1951 relative au statut "
                "des réfugiés); the English text is the same release as carried on ReliefWeb. "
                "Year of the accession instrument (signed 28 September 2018); the depositary's date of "
                "deposit was not read. " + compiled,
                "date_read": today,
            },
        ]
    )
