"""Refresh ``data/world_populations.csv`` from the official services, never overwriting good data.

Usage (from the repository root)::

    python -m maintainer.refresh                      # UNHCR API and UN DESA workbook
    python -m maintainer.refresh --only unhcr         # or --only desa
    python -m maintainer.refresh --force              # accept past-year moves beyond the tolerance
    python -m maintainer.refresh --desa-file ~/Downloads/undesa_pd_2024_ims_stock_by_sex_destination_and_origin.xlsx

Options: ``--tolerance 0.05`` (largest accepted relative move of a year already in the file),
``--unhcr-base URL``, ``--desa-url URL`` or ``--desa-file PATH`` (a workbook downloaded with a
browser), ``--data-dir DIR`` (another copy of ``data/``), ``--year-to YEAR`` (last UNHCR year,
default last calendar year: end-year figures appear in June of the next year), ``--timeout S``
and ``--retries N`` (bounded retries of connection errors, read timeouts and HTTP 429/5xx, with
exponential back-off, by ``urllib3.util.Retry`` on the ``requests`` adapter).

Against hostile or broken servers: only the years asked for are kept (others are reported
and dropped); a world total above ``PERSONS_CEILING`` is an error even with ``--force``, and a
value more than ``--max-jump`` (3) times above or below the previous year of its series is
refused unless ``--force``; each download has a total ``--deadline`` (600 s) besides the
per-read ``--timeout``, is streamed and cut at ``--max-bytes`` (64 MiB, counted after gzip or
deflate decoding, which is done here in bounded steps); a workbook whose zip members declare
more than ``--max-unpacked`` (256 MiB) is refused before openpyxl opens it; a redirect is
followed only to the same host or to one of ``OFFICIAL_HOSTS``; errors say "connection
refused", "host name not found", "timed out" or "truncated payload" as the case is; and
temporary files a killed run left beside the data file are removed by the next run (they
are git-ignored).

Exit status: 0 refreshed or nothing to change; 1 a download, payload or validation error;
2 a usage error; 3 refused because a year already in the file moves beyond the tolerance or
a value jumps beyond the factor. In every case other than 0 the data file is left byte for
byte as it was.

The UNHCR series are read from the population API and labelled with the release actually
read: a source ``unhcr_api_YYYY_MM_DD`` (the day of the download) that the refresh adds to
``data/sources.csv``. Endpoints, payload formats, the mapping to our series and how the file
is replaced are described in ``maintainer/refresh_formats.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import hashlib
import http.client
import io
import json
import math
import os
import shutil
import socket
import stat
import sys
import tempfile
import time
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

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

# Where data may come from: the services' own hosts. A redirect is followed only to the same
# host or to one of these; anything else (a hijacked or misconfigured server) is refused.
OFFICIAL_HOSTS = frozenset({"api.unhcr.org", "www.un.org", "un.org", "population.un.org"})
MAX_REDIRECTS = 5
CHUNK = 64 * 1024
MIB = 1024 * 1024
# Plausibility: a world total of persons above this many is impossible (more people than are
# alive; a bound, not a figure); a value more than MAX_JUMP times (or less than 1/MAX_JUMP of)
# the series' previous year is refused unless --force (the largest move in data/ is under 2.5).
PERSONS_CEILING = 10_000_000_000
MAX_JUMP = 3.0

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


@dataclass(frozen=True)
class Limits:
    """Bounds of one download: per-read timeout, total deadline, body and unpacked sizes."""

    timeout: float = 60.0
    deadline: float = 600.0
    max_bytes: int = 64 * MIB
    max_unpacked: int = 256 * MIB


@dataclass
class Release:
    """World totals per series and year from one service, ready to replace our rows."""

    series: tuple[str, ...]
    source_id: str
    unit: str
    totals: dict[str, dict[int, int]] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)
    source: dict[str, str] | None = None  # a row for data/sources.csv when the release is a new source


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
    session: requests.Session, url: str, params: dict[str, Any] | None, limits: Limits
) -> Payload:
    """GET ``url`` within ``limits``; any failure raises :class:`RefreshError` naming the URL.

    Redirects are followed by hand, only to the same host or an official one; the body is
    streamed, decompressed here (gzip or deflate) and cut off at ``limits.max_bytes`` and at
    the total deadline, so a hostile or broken server can neither fill the memory nor hold
    the refresh forever.
    """
    full_url = requests.Request("GET", url, params=params).prepare().url or url
    deadline = time.monotonic() + limits.deadline
    current = full_url
    for _ in range(MAX_REDIRECTS + 1):
        try:
            response = session.get(current, timeout=(limits.timeout, limits.timeout),
                                   stream=True, allow_redirects=False)
        except requests.RequestException as exc:
            raise RefreshError(f"{full_url}: {_describe(exc, limits.timeout)}") from exc
        with contextlib.closing(response):
            if response.is_redirect:
                current = _redirect_target(full_url, current, response.headers["Location"])
                continue
            if response.status_code >= 400:
                raise RefreshError(f"{full_url}: HTTP {response.status_code} "
                                   f"{response.reason or ''}".rstrip())
            content = _read_body(response, full_url, limits, deadline)
            break
    else:
        raise RefreshError(f"{full_url}: more than {MAX_REDIRECTS} redirects")
    if not content:
        raise RefreshError(f"{full_url}: empty payload")
    payload = Payload(current, content)
    print(f"  sha256 {payload.sha256}  {len(content):>10,} bytes  {payload.url}")
    return payload


def _redirect_target(full_url: str, current: str, location: str) -> str:
    """The next URL of a redirect, if it stays on the same host or goes to an official one."""
    target = urljoin(current, location)
    here, there = urlsplit(current), urlsplit(target)
    same = (there.hostname, there.port) == (here.hostname, here.port)
    if there.scheme not in ("http", "https") or (here.scheme == "https" and there.scheme != "https"):
        raise RefreshError(f"{full_url}: refused a redirect to {target} (not https)")
    if not same and there.hostname not in OFFICIAL_HOSTS:
        raise RefreshError(f"{full_url}: refused a redirect to another host, {there.hostname} "
                           f"(allowed: the same host or {', '.join(sorted(OFFICIAL_HOSTS))})")
    return target


def _decoder(response: requests.Response, url: str) -> Any:
    """A zlib decompressor for the response's Content-Encoding, or None for identity."""
    encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj()
    raise RefreshError(f"{url}: unsupported Content-Encoding '{encoding}'")


def _read_body(
    response: requests.Response, url: str, limits: Limits, deadline: float
) -> bytes:
    """The body, streamed chunk by chunk against the size cap and the total deadline."""
    announced = response.headers.get("Content-Length", "")
    if announced.isdigit() and int(announced) > limits.max_bytes:
        raise RefreshError(f"{url}: payload of {int(announced):,} bytes announced, above the "
                           f"cap of {limits.max_bytes:,} bytes")
    decoder = _decoder(response, url)
    parts: list[bytes] = []
    received = size = 0
    while True:
        if time.monotonic() > deadline:
            raise RefreshError(f"{url}: download exceeded the total deadline of "
                               f"{limits.deadline:g} s ({received:,} bytes received)")
        try:
            # read1: at most one read from the socket, so the deadline is checked between
            # reads however slowly the server sends; undecoded, so the cap bounds the output.
            chunk = response.raw.read1(CHUNK, decode_content=False)
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise RefreshError(f"{url}: {_describe(exc, limits.timeout)}") from exc
        if not chunk:
            break
        received += len(chunk)
        for piece in _decoded(decoder, chunk, limits.max_bytes - size + 1, url):
            size += len(piece)
            if size > limits.max_bytes:
                what = "decompresses to" if decoder else "is"
                raise RefreshError(f"{url}: payload {what} more than the cap of "
                                   f"{limits.max_bytes:,} bytes")
            parts.append(piece)
    if announced.isdigit() and received != int(announced):
        raise RefreshError(f"{url}: truncated payload ({received} of {announced} bytes)")
    if decoder is not None and not decoder.eof:
        raise RefreshError(f"{url}: truncated payload (compressed stream ends early)")
    return b"".join(parts)


def _decoded(decoder: Any, chunk: bytes, room: int, url: str) -> Iterator[bytes]:
    """Decompress ``chunk`` in bounded pieces (never more than ``room`` bytes at once)."""
    if decoder is None:
        yield chunk
        return
    try:
        piece = decoder.decompress(chunk, room)
        yield piece
        while decoder.unconsumed_tail:
            yield decoder.decompress(decoder.unconsumed_tail, room)
    except zlib.error as exc:
        raise RefreshError(f"{url}: malformed compressed payload ({exc})") from exc


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception and what it wraps: first arguments, urllib3's ``reason``, ``__cause__``."""
    causes: list[BaseException] = []
    pending: list[BaseException | None] = [exc]
    while pending and len(causes) < 20:
        current = pending.pop(0)
        if current is None or current in causes:
            continue
        causes.append(current)
        pending += [a for a in current.args if isinstance(a, BaseException)]
        pending += [getattr(current, "reason", None), current.__cause__, current.__context__]
    return [c for c in causes if isinstance(c, BaseException)]


def _describe(exc: BaseException, timeout: float) -> str:
    """Say what went wrong in a failed request, in words (timeout, truncation, refusal)."""
    causes = _causes(exc)
    if any(isinstance(c, ConnectionRefusedError) for c in causes):
        return "connection refused (nothing listens at that address and port)"
    if any(isinstance(c, socket.gaierror) for c in causes):
        return "host name not found (DNS lookup failed)"
    if any(isinstance(c, ConnectionResetError) for c in causes):
        return "connection reset by the server"
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


def unhcr_source(base: str, read_on: dt.date) -> dict[str, str]:
    """The row of ``data/sources.csv`` for what the API served on ``read_on`` (the release read)."""
    return {
        "source_id": f"unhcr_api_{read_on:%Y_%m_%d}",
        "title": "UNHCR Refugee Population Statistics Database API (endpoints population, unrwa, idmc), "
                 f"version served on {read_on:%Y-%m-%d}",
        "publisher": "UNHCR (with UNRWA and IDMC figures)",
        "year": str(read_on.year),
        "url": base,
        "license": "CC BY 4.0",
        "provenance": "official",  # UNHCR's own API
        "notes": "World totals: sums over all items of a year, read by python -m maintainer.refresh. "
                 "The latest year can be revised in the next release.",
        "date_read": read_on.isoformat(),
    }


def fetch_unhcr(
    session: requests.Session, base: str, year_to: int, limits: Limits,
    read_on: dt.date | None = None,
) -> Release:
    """World totals of the seven UNHCR-published series for ``YEAR_FROM``..``year_to``.

    The rows cite the release read: a source named for the day of the download (``read_on``).
    """
    series = tuple(s for fields in UNHCR_ENDPOINTS.values() for s in fields.values())
    source = unhcr_source(base, read_on or dt.date.today())
    release = Release(series=series, source_id=source["source_id"], unit="persons", source=source)
    for endpoint, fields in UNHCR_ENDPOINTS.items():
        url = urljoin(base if base.endswith("/") else base + "/", endpoint)
        items = fetch_items(session, url, year_to, limits)
        for name, totals in world_totals(items, fields, url).items():
            release.totals[name] = totals
            release.urls[name] = url
    return release


def fetch_items(
    session: requests.Session, url: str, year_to: int, limits: Limits
) -> list[dict[str, Any]]:
    """All ``items`` of a paginated endpoint of the UNHCR API for the years asked."""
    items: list[dict[str, Any]] = []
    page, max_pages = 1, 1
    while page <= max_pages:
        params = {"yearFrom": YEAR_FROM, "yearTo": year_to, "limit": PAGE_SIZE, "page": page}
        payload = download(session, url, params, limits)
        body = parse_json(payload)
        max_pages = body["maxPages"]
        if max_pages > MAX_PAGES:
            raise RefreshError(f"{payload.url}: maxPages {max_pages} exceeds {MAX_PAGES}")
        items.extend(body["items"])
        page += 1
    if not items:
        raise RefreshError(f"{url}: no items for the years {YEAR_FROM}-{year_to}")
    return requested_years(items, year_to, url)


def requested_years(
    items: list[dict[str, Any]], year_to: int, url: str
) -> list[dict[str, Any]]:
    """Only the items of the years asked for: a server's extra years are never written."""
    def asked(item: dict[str, Any]) -> bool:
        year = item.get("year")
        text = str(year).strip() if isinstance(year, (int, str)) else ""
        return not text.isdigit() or YEAR_FROM <= int(text) <= year_to  # odd years: see world_totals

    kept = [item for item in items if asked(item)]
    if len(kept) < len(items):
        print(f"  ignored {len(items) - len(kept)} item(s) of {url} for years outside "
              f"{YEAR_FROM}-{year_to} (not asked for)")
    return kept


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
    session: requests.Session, url: str, local_file: Path | None, limits: Limits
) -> Release:
    """World migrant stock per year from the DESA workbook (downloaded or a local copy)."""
    if local_file is not None:
        try:
            if local_file.stat().st_size > limits.max_bytes:
                raise RefreshError(f"{local_file}: {local_file.stat().st_size:,} bytes, above "
                                   f"the cap of {limits.max_bytes:,} bytes")
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


def check_ceilings(releases: Sequence[Release]) -> None:
    """Refuse a world total no population can reach (never overridable: it is impossible)."""
    for release in releases:
        for series, totals in release.totals.items():
            for year, value in sorted(totals.items()):
                if value > PERSONS_CEILING:
                    raise RefreshError(
                        f"{release.urls.get(series, release.source_id)}: year {year}, series "
                        f"'{series}': {value:,} persons is above the plausibility ceiling of "
                        f"{PERSONS_CEILING:,} (more than the world's population)"
                    )


def jumps(rows: list[dict[str, str]], series: set[str], factor: float) -> list[str]:
    """Each value of ``series`` more than ``factor`` times above or below its previous year's."""
    found = []
    previous: dict[str, tuple[int, int]] = {}
    for row in sorted(rows, key=lambda r: (r["series"], int(r["year"]))):
        name, year, value = row["series"], int(row["year"]), int(row["value"])
        if name in series and name in previous:
            before_year, before = previous[name]
            if min(before, value) > 0 and max(value / before, before / value) > factor:
                found.append(f"{name} {before_year}->{year}: {before:,} -> {value:,} "
                             f"(x{value / before:.2f}, beyond the factor {factor:g})")
        previous[name] = (year, value)
    return found


def remove_stale_candidates(target: Path) -> None:
    """Delete temporary files an interrupted refresh left beside ``target`` (git-ignored)."""
    for stale in sorted(target.parent.glob(f".{target.stem}.*.tmp")):
        with contextlib.suppress(FileNotFoundError):
            stale.unlink()
            print(f"removed {stale}, left by an interrupted refresh")


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


def new_sources(registry: Path, releases: Sequence[Release]) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of ``sources.csv`` with the releases' sources added (each once)."""
    header, rows = read_rows(registry)
    known = {row["source_id"] for row in rows}
    for release in releases:
        if release.source and release.source["source_id"] not in known:
            rows.append({column: release.source.get(column, "") for column in header})
            known.add(release.source["source_id"])
    return header, rows


@contextlib.contextmanager
def staged_package(data_dir: Path, releases: Sequence[Release]) -> Iterator[Path]:
    """A temporary copy of ``data_dir`` whose source registry holds the releases' new sources.

    The refreshed rows cite those sources, so they are validated against this copy; the real
    registry changes only once the refresh is accepted (:func:`register_sources`).
    """
    with tempfile.TemporaryDirectory(prefix="refresh-") as folder:
        stage = Path(folder) / "data"
        shutil.copytree(data_dir, stage)
        header, rows = new_sources(stage / "sources.csv", releases)
        staged = write_candidate(stage / "sources.csv", header, rows)
        os.replace(staged, stage / "sources.csv")
        yield stage


def register_sources(data_dir: Path, releases: Sequence[Release]) -> None:
    """Add the releases' new sources to ``data_dir/sources.csv`` (atomic replace; nothing if none is new)."""
    registry = data_dir / "sources.csv"
    header, rows = new_sources(registry, releases)
    if len(rows) == len(read_rows(registry)[1]):
        return
    candidate = write_candidate(registry, header, rows)
    try:
        data.validate_file("sources", candidate, data_dir)
        os.replace(candidate, registry)
    except data.DataError as exc:
        raise RefreshError(f"the new source fails validation: {exc}") from exc
    finally:
        candidate.unlink(missing_ok=True)


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
    remove_stale_candidates(target)
    header, old_rows = read_rows(target)
    session = make_session(options.retries, options.backoff)
    limits = Limits(options.timeout, options.deadline, options.max_bytes, options.max_unpacked)
    releases = []
    print("downloaded:")
    if options.only in (None, "unhcr"):
        releases.append(fetch_unhcr(session, options.unhcr_base, options.year_to, limits))
    if options.only in (None, "desa"):
        releases.append(fetch_desa(session, options.desa_url, options.desa_file, limits))
    check_ceilings(releases)
    new_rows = merge(old_rows, releases)
    refreshed = {s for r in releases for s in r.series}
    changes = compare(old_rows, new_rows, refreshed)
    refused = [c for c in changes if c.beyond(options.tolerance)]
    jumped = jumps(new_rows, refreshed, options.max_jump) if changes else []
    print(f"changes to {target}:")
    print(change_table(changes, options.tolerance))
    for line in jumped:
        print(f"  JUMP {line}")
    candidate = write_candidate(target, header, new_rows)
    try:
        with staged_package(data_dir, releases) as staged:
            validate_candidate(candidate, target, new_rows, releases, staged)
        if not changes or candidate.read_bytes() == target.read_bytes():  # same values: keep their citation
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
        if jumped and not options.force:
            print(
                f"refresh: refused: {len(jumped)} value(s) jump by more than a factor of "
                f"{options.max_jump:g} from the previous year (marked JUMP); check the release, "
                f"then rerun with --force to accept; {target} left unchanged",
                file=sys.stderr,
            )
            return EXIT_REFUSED
        register_sources(data_dir, releases)  # first, so the data never cite an unknown source
        os.replace(candidate, target)
    finally:
        candidate.unlink(missing_ok=True)
    data.clear_cache()
    forced = f", {len(refused)} beyond the tolerance accepted with --force" if refused else ""
    print(f"{target}: replaced ({len(changes)} change(s){forced})")
    cited = sorted({release.source_id for release in releases})
    print(f"note: the new rows cite {', '.join(cited)} (in data/sources.csv); check its notes, "
          "and the descriptions of the refreshed series in data/datapackage.json")
    return EXIT_OK


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line; see the module docstring."""
    parser = argparse.ArgumentParser(
        prog="python -m maintainer.refresh",
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
    parser.add_argument("--deadline", type=float, default=Limits.deadline,
                        help=f"seconds a whole download may take (default {Limits.deadline:g})")
    parser.add_argument("--max-bytes", type=int, default=Limits.max_bytes,
                        help=f"largest accepted payload, decompressed (default {Limits.max_bytes:,})")
    parser.add_argument("--max-unpacked", type=int, default=Limits.max_unpacked,
                        help="largest accepted unpacked size of a workbook's members "
                        f"(default {Limits.max_unpacked:,})")
    parser.add_argument("--max-jump", type=float, default=MAX_JUMP,
                        help="largest accepted year-on-year factor of a series without --force "
                        f"(default {MAX_JUMP:g})")
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
