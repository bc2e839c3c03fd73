"""Refresh ``data/world_populations.csv`` from the official services, never overwriting good data.

Usage (from the repository root)::

    python -m iomun.refresh                      # UNHCR API and UN DESA workbook
    python -m iomun.refresh --only unhcr         # or --only desa
    python -m iomun.refresh --force              # accept past-year moves beyond the tolerance
    python -m iomun.refresh --desa-file ~/Downloads/undesa_pd_2024_ims_stock_by_sex_destination_and_origin.xlsx

Options: ``--tolerance 0.05`` (largest accepted relative move of a year already in the file),
``--unhcr-base URL``, ``--desa-url URL`` or ``--desa-file PATH`` (a workbook downloaded with a
browser), ``--data-dir DIR`` (another copy of ``data/``), ``--year-to YEAR`` (last UNHCR year,
default last calendar year: end-year figures appear in June of the next year), ``--timeout S``
and ``--retries N`` (bounded retries of connection errors, read timeouts and HTTP 429/5xx, with
exponential back-off, by ``urllib3.util.Retry`` on the ``requests`` adapter).

Exit status: 0 refreshed or nothing to change; 1 a download, payload or validation error;
2 a usage error; 3 refused because a year already in the file moves beyond the tolerance.
In every case other than 0 the data file is left byte for byte as it was.

What is fetched, and where the formats were confirmed (public material read on 2026-11-29
with the project's search tool; nothing here was fetched from the live services):

* UNHCR Refugee Population Statistics Database API, https://api.unhcr.org/population/v1/
  (the data of the Refugee Data Finder and of the R package ``refugees``). Endpoints
  ``population/``, ``unrwa/`` and ``idmc/`` with ``yearFrom``, ``yearTo`` (inclusive),
  ``limit`` and ``page``; a dimension left out (``coo``, ``coa``) is "summed and aggregated
  to one row", so a query without them returns world totals, one item per year. A response is
  ``{"page": 1, "maxPages": N, "total": [...], "items": [...]}``; a ``population`` item holds
  ``year``, ``coo*``/``coa*`` (``"-"`` when aggregated) and the counts ``refugees``,
  ``asylum_seekers``, ``returned_refugees``, ``idps``, ``returned_idps``, ``stateless``,
  ``ooc``, ``oip``, ``hst``; ``unrwa`` and ``idmc`` items hold ``year`` and ``total``.
  Counts come as numbers or as strings (``"0"``), and ``"-"`` where not applicable. Sources:
  a data-catalogue entry that queried the API on 2026-10-06 ("UNHCR 難民統計": parameters,
  ``.../unrwa/?year=2025 | jq '.items[0].total'``, and world totals for 2025, refugees
  28,461,306, asylum-seekers 8,998,097, oip 7,177,473, idps 64,239,352, stateless 4,477,220,
  UNRWA 5,964,782, IDMC 68,653,080: exactly this package's 2025 rows, which confirms the
  mapping below); a test log of the API of 2026-02-01 (``"idps": "0"``, ``"oip": "-"``);
  the TypeScript interface ``UNHCRApiResponse {page, maxPages, total, items}`` of a client;
  an access report ("Field is ``total``, not ``refugees``" for ``unrwa``); and UNHCR's API
  explainer (unhcr.org/refugee-statistics/insights/explainers/forcibly-displaced-api.html).
  A world total is the sum of the items of a year; a world total of 0 means the population was
  not collected that year (asylum-seekers before 1993, other people in need of international
  protection before 2018) and is left out, never written as 0.
* UN DESA International Migrant Stock 2024, workbook
  ``undesa_pd_2024_ims_stock_by_sex_destination_and_origin.xlsx`` (6.0 MB, under
  https://www.un.org/development/desa/pd/sites/www.un.org.development.desa.pd/files/).
  Sheet ``Table 1``; title rows, then the header row (row 11 in 2024, row 10 in the 2020
  edition, so it is found by its labels) with ``Location code of destination``,
  ``Location code of origin`` and one column per year (1990, 1995, ..., 2020, 2024) three times:
  both sexes, males, females; the first block is both sexes. The world total is the row whose
  destination and origin are both WORLD, M49 code 900. Sources: several public scripts reading
  that file (``read_excel(..., sheet_name="Table 1", header=10)``, ``WORLD = 900``; readxl's
  note that "the FIRST [year block] is the both-sexes total") and an access report of
  2026-09-17 (years 1990-2024, file size, "403 w/ curl default UA": un.org may refuse scripts,
  hence ``--desa-file``).

Mapping to our series (``source_id`` in brackets; the refresh keeps the package's citations,
so after a real refresh update ``date_read`` and the notes of those sources):
refugees -> refugees_unhcr_mandate, asylum_seekers -> asylum_seekers, idps ->
idps_unhcr_protected, stateless -> stateless_persons, oip ->
other_in_need_of_international_protection, unrwa total -> palestine_refugees_unrwa, idmc total
-> idps_conflict_idmc [unhcr_refugees_pkg_2025_12_1]; the WORLD row of the DESA workbook ->
international_migrants_undesa_ims2024, unit ``persons`` [undesa_ims2024_destination].

How the file is replaced: every payload's SHA-256 is printed; the refreshed series replace their
old rows in a temporary file beside the data file, which is validated with
:func:`iomun.data.validate_file`; a table of changes is printed; a year already in the file that
moves by more than the tolerance (or disappears) refuses the refresh unless ``--force``; then the
temporary file replaces the data file with :func:`os.replace` (atomic) and
:func:`iomun.data.clear_cache` forgets what was loaded.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import http.client
import io
import json
import math
import os
import stat
import sys
import tempfile
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import openpyxl
import requests
import urllib3.exceptions
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from requests.adapters import HTTPAdapter
from urllib3.util import Retry

from iomun import data

RESOURCE = "world_populations"
DEFAULT_UNHCR_BASE = "https://api.unhcr.org/population/v1/"
DEFAULT_DESA_URL = (
    "https://www.un.org/development/desa/pd/sites/www.un.org.development.desa.pd/files/"
    "undesa_pd_2024_ims_stock_by_sex_destination_and_origin.xlsx"
)
USER_AGENT = "iomun-refresh/0.1 (executable edition of FUNDS Briefing 42; python-requests)"

UNHCR_SOURCE = "unhcr_refugees_pkg_2025_12_1"
UNHCR_ENDPOINTS: dict[str, dict[str, str]] = {
    "population/": {
        "refugees": "refugees_unhcr_mandate",
        "asylum_seekers": "asylum_seekers",
        "idps": "idps_unhcr_protected",
        "stateless": "stateless_persons",
        "oip": "other_in_need_of_international_protection",
    },
    "unrwa/": {"total": "palestine_refugees_unrwa"},
    "idmc/": {"total": "idps_conflict_idmc"},
}
YEAR_FROM = 1990  # the schema's first year
PAGE_SIZE = 100
MAX_PAGES = 1000  # a bound on pagination, far above the ~36 years asked for

DESA_SOURCE = "undesa_ims2024_destination"
DESA_SERIES = "international_migrants_undesa_ims2024"
DESA_REVISION = 2024
DESA_SHEET = "Table 1"
DESA_DESTINATION = "location code of destination"
DESA_ORIGIN = "location code of origin"
WORLD_M49 = 900
DESA_GAPS = {"", "..", "-", "\u2026"}

EXIT_OK, EXIT_ERROR, EXIT_REFUSED = 0, 1, 3


class RefreshError(Exception):
    """A download, payload or validation problem; the message is one line naming where."""


@dataclass(frozen=True)
class Payload:
    """The bytes of one download (or local file) and where they came from."""

    url: str
    content: bytes

    @property
    def sha256(self) -> str:
        """Hex SHA-256 of the payload, printed so a refresh can be traced to its inputs."""
        return hashlib.sha256(self.content).hexdigest()


@dataclass
class Release:
    """World totals per series and year from one service, ready to replace our rows."""

    series: tuple[str, ...]
    source_id: str
    unit: str
    totals: dict[str, dict[int, int]] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Change:
    """One (series, year) whose value or unit differs between the file and the release."""

    series: str
    year: int
    old: int | None
    new: int | None
    old_unit: str | None
    new_unit: str | None

    def beyond(self, tolerance: float) -> bool:
        """True if a year already in the file disappears or moves by more than ``tolerance``."""
        if self.old is None:
            return False
        if self.new is None:
            return True
        return abs(self.new - self.old) > tolerance * self.old

    def describe(self) -> str:
        """The change as text: relative move, added or removed."""
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        if self.old == 0:
            return "from 0"
        return f"{(self.new - self.old) / self.old:+.2%}"


# --- downloads ---------------------------------------------------------------------------


def make_session(retries: int, backoff: float) -> requests.Session:
    """A session whose adapter retries GETs a bounded number of times with back-off."""
    retry = Retry(
        total=retries, connect=retries, read=retries, status=retries, other=0,
        backoff_factor=backoff, status_forcelist=(429, 500, 502, 503, 504),
        allowed_methods=frozenset({"GET"}), raise_on_status=False,
    )
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    return session


def download(
    session: requests.Session, url: str, params: dict[str, Any] | None, timeout: float
) -> Payload:
    """GET ``url`` and return the whole body; any failure raises :class:`RefreshError`."""
    full_url = requests.Request("GET", url, params=params).prepare().url or url
    try:
        response = session.get(url, params=params, timeout=(timeout, timeout))
        response.raise_for_status()
        content = response.content
    except requests.HTTPError as exc:
        status = exc.response.status_code if exc.response is not None else "?"
        reason = exc.response.reason if exc.response is not None else ""
        raise RefreshError(f"{full_url}: HTTP {status} {reason}".rstrip()) from exc
    except requests.RequestException as exc:
        raise RefreshError(f"{full_url}: {_describe(exc, timeout)}") from exc
    announced = response.headers.get("Content-Length")
    if announced and not response.headers.get("Content-Encoding"):
        if announced.isdigit() and int(announced) != len(content):
            raise RefreshError(
                f"{full_url}: truncated payload ({len(content)} of {announced} bytes)"
            )
    if not content:
        raise RefreshError(f"{full_url}: empty payload")
    payload = Payload(response.url or full_url, content)
    print(f"  sha256 {payload.sha256}  {len(content):>10,} bytes  {payload.url}")
    return payload


def _describe(exc: requests.RequestException, timeout: float) -> str:
    """Say what went wrong in a failed request, in words (timeout, truncation, refusal)."""
    causes: list[BaseException] = [exc]
    while len(causes) < 10 and causes[-1].args and isinstance(causes[-1].args[0], BaseException):
        causes.append(causes[-1].args[0])
    if isinstance(causes[-1], urllib3.exceptions.MaxRetryError) and causes[-1].reason:
        causes.append(causes[-1].reason)
    if any(
        isinstance(c, (requests.Timeout, urllib3.exceptions.TimeoutError, TimeoutError))
        for c in causes
    ):
        return f"timed out (no answer within {timeout:g} s)"
    short = [a for c in causes for a in c.args if isinstance(a, http.client.IncompleteRead)]
    if short:
        return f"truncated payload (connection closed after {short[0]!r})"
    if any(
        isinstance(c, (requests.exceptions.ChunkedEncodingError, urllib3.exceptions.ProtocolError))
        for c in causes
    ):
        return f"truncated payload (connection broken before the end: {causes[-1]})"
    return f"download failed ({type(causes[-1]).__name__}: {causes[-1]})"


# --- UNHCR -------------------------------------------------------------------------------


def fetch_unhcr(
    session: requests.Session, base: str, year_to: int, timeout: float
) -> Release:
    """World totals of the seven UNHCR-published series for ``YEAR_FROM``..``year_to``."""
    series = tuple(s for fields in UNHCR_ENDPOINTS.values() for s in fields.values())
    release = Release(series=series, source_id=UNHCR_SOURCE, unit="persons")
    for endpoint, fields in UNHCR_ENDPOINTS.items():
        url = urljoin(base if base.endswith("/") else base + "/", endpoint)
        items = fetch_items(session, url, year_to, timeout)
        for name, totals in world_totals(items, fields, url).items():
            release.totals[name] = totals
            release.urls[name] = url
    return release


def fetch_items(
    session: requests.Session, url: str, year_to: int, timeout: float
) -> list[dict[str, Any]]:
    """All ``items`` of a paginated endpoint of the UNHCR API for the years asked."""
    items: list[dict[str, Any]] = []
    page, max_pages = 1, 1
    while page <= max_pages:
        params = {"yearFrom": YEAR_FROM, "yearTo": year_to, "limit": PAGE_SIZE, "page": page}
        payload = download(session, url, params, timeout)
        body = parse_json(payload)
        max_pages = body["maxPages"]
        if max_pages > MAX_PAGES:
            raise RefreshError(f"{payload.url}: maxPages {max_pages} exceeds {MAX_PAGES}")
        items.extend(body["items"])
        page += 1
    if not items:
        raise RefreshError(f"{url}: no items for the years {YEAR_FROM}-{year_to}")
    return items


def parse_json(payload: Payload) -> dict[str, Any]:
    """Decode a UNHCR API page and check its shape: ``maxPages`` and a list of ``items``."""
    try:
        body = json.loads(payload.content.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RefreshError(f"{payload.url}: malformed JSON ({exc})") from exc
    if not isinstance(body, dict) or not isinstance(body.get("items"), list):
        raise RefreshError(f"{payload.url}: unexpected JSON: no list of 'items'")
    max_pages = body.get("maxPages")
    if not isinstance(max_pages, int) or isinstance(max_pages, bool) or max_pages < 0:
        raise RefreshError(f"{payload.url}: unexpected JSON: 'maxPages' is {max_pages!r}")
    if not all(isinstance(item, dict) for item in body["items"]):
        raise RefreshError(f"{payload.url}: unexpected JSON: an item is not an object")
    return body


def world_totals(
    items: list[dict[str, Any]], fields: dict[str, str], url: str
) -> dict[str, dict[int, int]]:
    """Sum each field over the items of a year; drop world totals of 0 (not collected)."""
    totals: dict[str, dict[int, int]] = {series: {} for series in fields.values()}
    for item in items:
        year = _count(item.get("year"), url, "?", "year")
        if year is None:
            raise RefreshError(f"{url}: an item has no 'year'")
        for name, series in fields.items():
            value = _count(item.get(name), url, year, name)
            if value is not None:
                totals[series][year] = totals[series].get(year, 0) + value
    return {s: {y: v for y, v in sorted(t.items()) if v != 0} for s, t in totals.items()}


def _count(value: Any, url: str, year: int | str, name: str) -> int | None:
    """A non-negative count from a JSON number or numeric string; ``None`` for ``"-"``/null."""
    if value is None or (isinstance(value, str) and value.strip() in ("", "-")):
        return None
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and value.strip().lstrip("-").isdigit():
        number = int(value.strip())
    if number is None:
        raise RefreshError(f"{url}: year {year}, field '{name}': not a count: {value!r}")
    if number < 0:
        raise RefreshError(f"{url}: year {year}, field '{name}': negative count {number}")
    return number


# --- UN DESA -----------------------------------------------------------------------------


def fetch_desa(
    session: requests.Session, url: str, local_file: Path | None, timeout: float
) -> Release:
    """World migrant stock per year from the DESA workbook (downloaded or a local copy)."""
    if local_file is not None:
        try:
            payload = Payload(local_file.resolve().as_uri(), local_file.read_bytes())
        except OSError as exc:
            raise RefreshError(f"{local_file}: cannot read ({exc.strerror})") from exc
        print(f"  sha256 {payload.sha256}  {len(payload.content):>10,} bytes  {payload.url}")
    else:
        payload = download(session, url, None, timeout)
    release = Release(series=(DESA_SERIES,), source_id=DESA_SOURCE, unit="persons")
    release.totals[DESA_SERIES] = parse_desa_world(payload)
    release.urls[DESA_SERIES] = payload.url
    return release


def parse_desa_world(payload: Payload) -> dict[int, int]:
    """The both-sexes WORLD-to-WORLD row of sheet ``Table 1``, as {year: persons}."""
    where = payload.url
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(payload.content), read_only=True)
    except (InvalidFileException, zipfile.BadZipFile, zlib.error, OSError, KeyError,
            ValueError, EOFError, SyntaxError) as exc:
        raise RefreshError(f"{where}: malformed xlsx ({type(exc).__name__}: {exc})") from exc
    try:
        if DESA_SHEET not in workbook.sheetnames:
            raise RefreshError(f"{where}: malformed xlsx: no sheet '{DESA_SHEET}'")
        return _world_row(iter(workbook[DESA_SHEET].iter_rows(values_only=True)), where)
    except (zipfile.BadZipFile, zlib.error, OSError, KeyError, ValueError, EOFError,
            SyntaxError) as exc:
        raise RefreshError(f"{where}: malformed xlsx ({type(exc).__name__}: {exc})") from exc
    finally:
        workbook.close()


def _world_row(rows: Iterator[Sequence[Any]], where: str) -> dict[int, int]:
    """Find the header by its labels, then the row with destination and origin code 900."""
    header_row, destination, origin, years = _find_header(rows, where)
    latest = max(years, default=None)
    if latest != DESA_REVISION:
        raise RefreshError(
            f"{where}: sheet '{DESA_SHEET}' is not the {DESA_REVISION} revision "
            f"(latest year column: {latest})"
        )
    for number, row in enumerate(rows, start=header_row + 1):
        if _m49(row, destination) == WORLD_M49 and _m49(row, origin) == WORLD_M49:
            return _world_values(row, years, number, where)
    raise RefreshError(f"{where}: sheet '{DESA_SHEET}': no WORLD row (M49 {WORLD_M49})")


def _find_header(
    rows: Iterator[Sequence[Any]], where: str
) -> tuple[int, int, int, dict[int, int]]:
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


def _world_values(
    row: Sequence[Any], years: dict[int, int], number: int, where: str
) -> dict[int, int]:
    values: dict[int, int] = {}
    for year, index in sorted(years.items()):
        cell = row[index] if index < len(row) else None
        if isinstance(cell, (int, float)) and not isinstance(cell, bool):
            if not math.isfinite(cell):
                raise RefreshError(f"{where}: {DESA_SHEET}!{get_column_letter(index + 1)}"
                                   f"{number}: not a number ({cell})")
            values[year] = int(round(cell))
        elif _label(cell) in DESA_GAPS:
            continue
        else:
            text = str(cell).replace(",", "").replace(" ", "").replace("\u00a0", "")
            if not text.lstrip("-").isdigit():
                raise RefreshError(f"{where}: {DESA_SHEET}!{get_column_letter(index + 1)}"
                                   f"{number}: not a number ({cell!r})")
            values[year] = int(text)
    if not values:
        raise RefreshError(f"{where}: {DESA_SHEET} row {number}: the WORLD row has no values")
    return values


# --- comparing and replacing -------------------------------------------------------------


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of the current data file, as the strings written in it."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            return list(reader.fieldnames or []), list(reader)
    except (OSError, UnicodeDecodeError) as exc:
        raise RefreshError(f"{path}: cannot read the current data ({exc})") from exc


def merge(rows: list[dict[str, str]], releases: Sequence[Release]) -> list[dict[str, str]]:
    """Replace every row of a refreshed series by the release's; keep the others as written."""
    refreshed = {series for release in releases for series in release.series}
    merged = [row for row in rows if row["series"] not in refreshed]
    for release in releases:
        for series in release.series:
            for year, value in sorted(release.totals.get(series, {}).items()):
                merged.append({"year": str(year), "series": series, "value": str(value),
                               "unit": release.unit, "source_id": release.source_id})
    return sorted(merged, key=lambda row: (row["series"], int(row["year"])))


def compare(
    old_rows: list[dict[str, str]], new_rows: list[dict[str, str]], series: set[str]
) -> list[Change]:
    """Every (series, year) of the refreshed series whose value or unit differs."""
    def index(rows: list[dict[str, str]]) -> dict[tuple[str, int], tuple[int, str]]:
        return {(r["series"], int(r["year"])): (int(r["value"]), r["unit"])
                for r in rows if r["series"] in series}

    old, new = index(old_rows), index(new_rows)
    changes = []
    for key in sorted(old.keys() | new.keys()):
        before, after = old.get(key), new.get(key)
        if before != after:
            changes.append(Change(
                key[0], key[1], before[0] if before else None, after[0] if after else None,
                before[1] if before else None, after[1] if after else None,
            ))
    return changes


def change_table(changes: Sequence[Change], tolerance: float) -> str:
    """The changes as a fixed-width table, each move beyond the tolerance marked."""
    if not changes:
        return "  no value changes"
    lines = [f"  {'series':<42} {'year':>4} {'old':>13} {'new':>13} {'change':>8}  note"]
    for change in changes:
        old = f"{change.old:,}" if change.old is not None else "-"
        new = f"{change.new:,}" if change.new is not None else "-"
        notes = []
        if change.beyond(tolerance):
            notes.append(f"BEYOND {tolerance:.0%} TOLERANCE")
        if None not in (change.old_unit, change.new_unit) and change.old_unit != change.new_unit:
            notes.append(f"unit now '{change.new_unit}'")
        lines.append(f"  {change.series:<42} {change.year:>4} {old:>13} {new:>13} "
                     f"{change.describe():>8}  {'; '.join(notes)}".rstrip())
    return "\n".join(lines)


def write_candidate(target: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    """Write ``rows`` to a temporary file beside ``target`` (same folder: atomic replace)."""
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}.", suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        stream.flush()
        os.fsync(stream.fileno())
    os.chmod(name, stat.S_IMODE(target.stat().st_mode))
    return Path(name)


def validate_candidate(
    candidate: Path, target: Path, rows: list[dict[str, str]], releases: Sequence[Release],
    data_dir: Path,
) -> None:
    """Validate the temporary file as the resource; name file, row, field and origin URL."""
    try:
        data.validate_file(RESOURCE, candidate, data_dir)
    except data.DataError as exc:
        message = str(exc).replace(str(candidate), f"{target} (as refreshed)")
        origin = ""
        if exc.row is not None and 2 <= exc.row < len(rows) + 2:
            series = rows[exc.row - 2]["series"]
            urls = {s: u for release in releases for s, u in release.urls.items()}
            origin = f" [values from {urls[series]}]" if series in urls else ""
        raise RefreshError(f"the release fails validation: {message}{origin}") from exc


def refresh(options: argparse.Namespace) -> int:
    """Fetch, merge, compare, validate and (unless refused) replace; return the exit status."""
    data_dir = Path(options.data_dir)
    target = data_dir / data.resource_descriptor(RESOURCE, data_dir)["path"]
    try:
        data.validate_file(RESOURCE, target, data_dir)
    except data.DataError as exc:
        raise RefreshError(f"the current data are invalid, fix them first: {exc}") from exc
    header, old_rows = read_rows(target)
    session = make_session(options.retries, options.backoff)
    releases = []
    print("downloaded:")
    if options.only in (None, "unhcr"):
        releases.append(fetch_unhcr(session, options.unhcr_base, options.year_to, options.timeout))
    if options.only in (None, "desa"):
        releases.append(fetch_desa(session, options.desa_url, options.desa_file, options.timeout))
    new_rows = merge(old_rows, releases)
    changes = compare(old_rows, new_rows, {s for r in releases for s in r.series})
    refused = [c for c in changes if c.beyond(options.tolerance)]
    print(f"changes to {target}:")
    print(change_table(changes, options.tolerance))
    candidate = write_candidate(target, header, new_rows)
    try:
        validate_candidate(candidate, target, new_rows, releases, data_dir)
        if candidate.read_bytes() == target.read_bytes():
            print(f"{target}: already up to date, left as is")
            return EXIT_OK
        if refused and not options.force:
            print(
                f"refresh: refused: {len(refused)} value(s) of years already in {target} move "
                f"by more than {options.tolerance:.0%} or disappear (marked in the table); "
                f"check the release, then rerun with --force to accept; {target} left unchanged",
                file=sys.stderr,
            )
            return EXIT_REFUSED
        os.replace(candidate, target)
    finally:
        candidate.unlink(missing_ok=True)
    data.clear_cache()
    forced = f", {len(refused)} beyond the tolerance accepted with --force" if refused else ""
    print(f"{target}: replaced ({len(changes)} change(s){forced})")
    cited = sorted({release.source_id for release in releases})
    print(f"note: the new rows cite {', '.join(cited)}; record this refresh (date_read, notes) "
          "in data/sources.csv and data/datapackage.json")
    return EXIT_OK


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line; see the module docstring."""
    parser = argparse.ArgumentParser(
        prog="python -m iomun.refresh",
        description="Refresh data/world_populations.csv from the UNHCR population API and the "
        "UN DESA International Migrant Stock 2024 workbook. Never overwrites good data with bad.",
    )
    parser.add_argument("--only", choices=("unhcr", "desa"), help="refresh one service only")
    parser.add_argument("--force", action="store_true",
                        help="accept moves of years already in the file beyond the tolerance")
    parser.add_argument("--tolerance", type=_fraction, default=0.05,
                        help="largest accepted relative move of a past year (default 0.05)")
    parser.add_argument("--unhcr-base", default=DEFAULT_UNHCR_BASE,
                        help=f"UNHCR API base URL (default {DEFAULT_UNHCR_BASE})")
    desa = parser.add_mutually_exclusive_group()
    desa.add_argument("--desa-url", default=DEFAULT_DESA_URL,
                      help="URL of the DESA workbook (default: the 2024 revision on un.org)")
    desa.add_argument("--desa-file", type=Path,
                      help="a DESA workbook already downloaded (un.org may refuse scripts)")
    parser.add_argument("--data-dir", type=Path, default=data.DATA_DIR,
                        help="the data package folder to update (default: data/)")
    parser.add_argument("--year-to", type=int, default=dt.date.today().year - 1,
                        help="last UNHCR year asked for (default: last calendar year)")
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="seconds to wait for a connection or for data (default 60)")
    parser.add_argument("--retries", type=int, default=3,
                        help="retries of a failed GET, with exponential back-off (default 3)")
    parser.add_argument("--backoff", type=float, default=1.0, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _fraction(text: str) -> float:
    value = float(text)
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"{text}: give a fraction such as 0.05")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """Run the refresh; print one line to stderr and return non-zero on any failure."""
    options = parse_args(argv)
    try:
        return refresh(options)
    except RefreshError as exc:
        target = Path(options.data_dir) / f"{RESOURCE}.csv"
        print(f"refresh: error: {exc}; {target} left unchanged", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
