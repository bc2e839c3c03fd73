"""UN DESA, *International Migrant Stock 2024: Destination*: world totals, shares and country rows.

Table 1 gives persons, Table 3 the stock as a share of the total population; rows are found
by their location code (UN M49), years by the header.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd

from .inputs import CompileError

DESA_SERIES = "international_migrants_undesa_ims2024"
DESA_YEARS = (1990, 1995, 2000, 2005, 2010, 2015, 2020, 2024)
WORLD_M49 = 900
# Regions that the workbook prints with a data type like a country (their members follow them).
AGGREGATES_WITH_DATA_TYPE = {927: "Australia/New Zealand"}
DESA_SOURCE = "undesa_ims2024_destination"


def _desa_rows(workbook_path: Path, sheet: str) -> Iterator[tuple[int, str, int, dict[int, Any], str | None]]:
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


def m49_to_iso3(m49: int) -> str | None:
    """ISO 3166 alpha-3 of a UN M49 country code (the two share the numeric codes)."""
    import pycountry  # noqa: PLC0415 - optional maintainer dependency

    country = pycountry.countries.get(numeric=f"{m49:03d}")
    return country.alpha_3 if country else None


def build_world_stock(existing: pd.DataFrame, stock: DesaTable) -> pd.DataFrame:
    """world_populations with the 2024 revision's eight world totals (persons, unrounded)."""
    others = existing[existing["series"] != DESA_SERIES]
    rows = pd.DataFrame(
        [
            {
                "year": year,
                "series": DESA_SERIES,
                "value": int(stock.world[year]),
                "unit": "persons",
                "source_id": DESA_SOURCE,
            }
            for year in DESA_YEARS
        ]
    )
    combined = pd.concat([others, rows], ignore_index=True)
    order = list(dict.fromkeys(existing["series"].tolist() + [DESA_SERIES]))
    combined["_order"] = combined["series"].map({s: i for i, s in enumerate(order)})
    return combined.sort_values(["_order", "year"]).drop(columns="_order").reset_index(drop=True)


def build_shares(shares: DesaTable) -> pd.DataFrame:
    """migrant_stock_shares: the world's stock as % of total population, all eight years."""
    return pd.DataFrame(
        [
            {
                "year": year,
                "series": DESA_SERIES,
                "share_percent": float(shares.world[year]),
                "source_id": DESA_SOURCE,
                "locator": f"Table 3, row {shares.world_row} (World, location code {WORLD_M49}), "
                f"column {year}, both sexes combined",
            }
            for year in DESA_YEARS
        ]
    )


def build_country_stock(stock: DesaTable, known_iso3: set[str]) -> pd.DataFrame:
    """migrant_stock_by_destination: each country or area's 2024 stock (Table 1)."""
    rows = []
    for number, name, m49, values in stock.countries:
        iso3 = m49_to_iso3(m49)
        rows.append(
            {
                "m49": m49,
                "location": name,
                "iso3": iso3 if iso3 in known_iso3 else None,
                "year": 2024,
                "migrant_stock": int(values[2024]),
                "source_id": DESA_SOURCE,
                "locator": f"Table 1, row {number} ({name}), column 2024, both sexes combined",
            }
        )
    return pd.DataFrame(rows)
