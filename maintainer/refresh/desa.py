"""The UN DESA International Migrant Stock 2024 workbook: the WORLD row of its ``Table 1``.

The workbook is checked before openpyxl opens it (declared unpacked size), and the row is
found by its labels and M49 codes, not by its position. Formats: ``maintainer/refresh_formats.md``.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import requests
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from .release import YEAR_FROM, Release
from .transport import Limits, Payload, RefreshError, download

DEFAULT_DESA_URL = (
    "https://www.un.org/development/desa/pd/sites/www.un.org.development.desa.pd/files/"
    "undesa_pd_2024_ims_stock_by_sex_destination_and_origin.xlsx"
)

DESA_SOURCE = "undesa_ims2024_destination"
DESA_SERIES = "international_migrants_undesa_ims2024"
DESA_REVISION = 2024
DESA_SHEET = "Table 1"
DESA_DESTINATION = "location code of destination"
DESA_ORIGIN = "location code of origin"
WORLD_M49 = 900
DESA_GAPS = {"", "..", "-", "\u2026"}


def fetch_desa(session: requests.Session, url: str, local_file: Path | None, limits: Limits) -> Release:
    """World migrant stock per year from the DESA workbook (downloaded or a local copy)."""
    if local_file is not None:
        try:
            if local_file.stat().st_size > limits.max_bytes:
                raise RefreshError(
                    f"{local_file}: {local_file.stat().st_size:,} bytes, above the cap of {limits.max_bytes:,} bytes"
                )
            payload = Payload(local_file.resolve().as_uri(), local_file.read_bytes())
        except OSError as exc:
            raise RefreshError(f"{local_file}: cannot read ({exc.strerror})") from exc
        print(f"  sha256 {payload.sha256}  {len(payload.content):>10,} bytes  {payload.url}")
    else:
        payload = download(session, url, None, limits)
    release = Release(series=(DESA_SERIES,), source_id=DESA_SOURCE, unit="persons")
    this_year = dt.date.today().year
    world = parse_desa_world(payload, limits.max_unpacked)
    release.totals[DESA_SERIES] = {y: v for y, v in world.items() if YEAR_FROM <= y <= this_year}
    release.urls[DESA_SERIES] = payload.url
    return release


def parse_desa_world(payload: Payload, max_unpacked: int = Limits.max_unpacked) -> dict[int, int]:
    """The both-sexes WORLD-to-WORLD row of sheet ``Table 1``, as {year: persons}."""
    where = payload.url
    check_unpacked_size(payload, max_unpacked)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(payload.content), read_only=True)
    except (
        InvalidFileException,
        zipfile.BadZipFile,
        zlib.error,
        OSError,
        KeyError,
        ValueError,
        EOFError,
        SyntaxError,
    ) as exc:
        raise RefreshError(f"{where}: malformed xlsx ({type(exc).__name__}: {exc})") from exc
    try:
        if DESA_SHEET not in workbook.sheetnames:
            raise RefreshError(f"{where}: malformed xlsx: no sheet '{DESA_SHEET}'")
        return _world_row(iter(workbook[DESA_SHEET].iter_rows(values_only=True)), where)
    except (zipfile.BadZipFile, zlib.error, OSError, KeyError, ValueError, EOFError, SyntaxError) as exc:
        raise RefreshError(f"{where}: malformed xlsx ({type(exc).__name__}: {exc})") from exc
    finally:
        workbook.close()


def check_unpacked_size(payload: Payload, max_unpacked: int) -> None:
    """Refuse a workbook whose zip members unpack beyond ``max_unpacked`` bytes (a zip bomb).

    ``zipfile`` never inflates a member beyond the size its directory declares, so checking
    the declared sizes bounds what openpyxl can unpack.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(payload.content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise RefreshError(f"{payload.url}: malformed xlsx ({type(exc).__name__}: {exc})") from exc
    total = 0
    for member in members:
        total += member.file_size
        if total > max_unpacked:
            raise RefreshError(
                f"{payload.url}: xlsx unpacks to more than the cap of {max_unpacked:,} bytes "
                f"(member '{member.filename}' alone: {member.file_size:,} bytes)"
            )


def _world_row(rows: Iterator[Sequence[Any]], where: str) -> dict[int, int]:
    """Find the header by its labels, then the row with destination and origin code 900."""
    header_row, destination, origin, years = _find_header(rows, where)
    latest = max(years, default=None)
    if latest != DESA_REVISION:
        raise RefreshError(
            f"{where}: sheet '{DESA_SHEET}' is not the {DESA_REVISION} revision (latest year column: {latest})"
        )
    for number, row in enumerate(rows, start=header_row + 1):
        if _m49(row, destination) == WORLD_M49 and _m49(row, origin) == WORLD_M49:
            return _world_values(row, years, number, where)
    raise RefreshError(f"{where}: sheet '{DESA_SHEET}': no WORLD row (M49 {WORLD_M49})")


def _find_header(rows: Iterator[Sequence[Any]], where: str) -> tuple[int, int, int, dict[int, int]]:
    """Row number, destination and origin code columns, and year columns of the header."""
    for number, row in enumerate(rows, start=1):
        labels = [_label(cell) for cell in row]
        if DESA_DESTINATION in labels and DESA_ORIGIN in labels:
            destination, origin = labels.index(DESA_DESTINATION), labels.index(DESA_ORIGIN)
            return number, destination, origin, _year_columns(row)
        if number >= 50:
            break
    raise RefreshError(f"{where}: sheet '{DESA_SHEET}': no header row naming '{DESA_ORIGIN}'")


def _label(cell: Any) -> str:
    return " ".join(str(cell).split()).lower() if cell is not None else ""


def _year_columns(header: Sequence[Any]) -> dict[int, int]:
    """Year -> column index of its first (both sexes) occurrence in the header row."""
    years: dict[int, int] = {}
    for index, cell in enumerate(header):
        text = _label(cell).removesuffix(".0")
        if text.isdigit() and len(text) == 4 and 1900 < int(text) < 2100:
            years.setdefault(int(text), index)
    return years


def _m49(row: Sequence[Any], index: int) -> int | None:
    cell = row[index] if index < len(row) else None
    text = _label(cell).removesuffix(".0")
    return int(text) if text.isdigit() else None


def _world_values(row: Sequence[Any], years: dict[int, int], number: int, where: str) -> dict[int, int]:
    values: dict[int, int] = {}
    for year, index in sorted(years.items()):
        cell = row[index] if index < len(row) else None
        if isinstance(cell, (int, float)) and not isinstance(cell, bool):
            if not math.isfinite(cell):
                raise RefreshError(
                    f"{where}: {DESA_SHEET}!{get_column_letter(index + 1)}{number}: not a number ({cell})"
                )
            values[year] = int(round(cell))
        elif _label(cell) in DESA_GAPS:
            continue
        else:
            text = str(cell).replace(",", "").replace(" ", "").replace("\u00a0", "")
            if not text.lstrip("-").isdigit():
                raise RefreshError(
                    f"{where}: {DESA_SHEET}!{get_column_letter(index + 1)}{number}: not a number ({cell!r})"
                )
            values[year] = int(text)
    if not values:
        raise RefreshError(f"{where}: {DESA_SHEET} row {number}: the WORLD row has no values")
    return values
