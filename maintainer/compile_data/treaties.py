"""Refugee-treaty party years from the UN Treaty Collection status tables of chapters V.2 and V.5.

The depositary's date is used; where the book's earlier readings differ, the difference is
recorded in the disagreements resource. Later accessions come from official pages.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .inputs import CompileError

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
    }
}

# The Holy See is a party (UNTC rows) but outside the Correlates of War state list.
ADDED_STATES = {"VAT": {"country": "Holy See", "iom_status": "not_coded", "source_id": "cow_igo_v3_via_igoR"}}


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


def read_untc(path: Path, date_column: int) -> list[Party]:
    """Participants of a UNTC status table with the date of their deposit."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    if not rows or rows[0][0] != "Participant":
        raise CompileError(f"{path}: first column is not 'Participant'")
    return [Party(row[0].strip(), row[date_column].strip()) for row in rows[1:] if row and row[0].strip()]


def untc_iso3(parties: Iterable[Party], desa_names: dict[str, str]) -> dict[str, Party]:
    """ISO3 -> UNTC row, matching UNTC names to UN DESA's UN names (aliases where they differ)."""
    found: dict[str, Party] = {}
    for party in parties:
        iso3 = UNTC_ALIASES.get(party.name) or desa_names.get(party.name)
        if iso3 is None:
            raise CompileError(f"UNTC participant '{party.name}' matches no UN DESA country name")
        found[iso3] = party
    return found


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
                new = (
                    party.year,
                    source,
                    f"UNTC status table as of {snapshot[treaty]}, row '{party.name}' (published: '{party.date}')",
                )
            elif iso3 in LATER_ACCESSIONS:
                later = LATER_ACCESSIONS[iso3]
                new = (later["year"], later["source_id"], later["locator"])
            else:
                new = (None, None, None)
            if pd.notna(old_year) and new[0] is not None and int(old_year) != new[0]:
                disagreements.append(
                    {
                        "resource": "memberships",
                        "record": iso3,
                        "field": year_col,
                        "value_used": str(new[0]),
                        "source_id_used": new[1],
                        "value_other": str(int(old_year)),
                        "source_other": str(old_source),
                        "note": "The UN depositary's date of deposit is used.",
                    }
                )
            if pd.notna(old_year) and new[0] is None:
                dropped.append((iso3, treaty, int(old_year), str(old_source)))
            frame.loc[index, [year_col, src_col, loc_col]] = new
    for column in ("convention_1951_year", "protocol_1967_year", "iom_join_year"):
        frame[column] = frame[column].astype("Int64")
    return TreatyResult(frame.sort_values("iso3").reset_index(drop=True), disagreements, dropped)


def merge_disagreements(existing: pd.DataFrame, new: list[dict[str, str]], memberships: pd.DataFrame) -> pd.DataFrame:
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
    fresh = fresh[[key not in seen for key in zip(fresh["record"], fresh["field"], fresh["value_other"], strict=True)]]
    return pd.concat([kept, fresh], ignore_index=True)
