"""Local stand-ins for the UNHCR API and the UN DESA workbook, for the tests of the refresh.

Offline: a ``ThreadingHTTPServer`` on 127.0.0.1 serves payloads in the services' formats
(see the docstring of :mod:`maintainer.refresh`), built here from a copy of ``data/`` in tmp_path.
The numbers served are test fixtures, not official figures, and never reach the real ``data/``.
The fixtures ``stand_in_services`` and ``setup`` reach the tests through ``tests/conftest.py``.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import shutil
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest

from iomun import data
from maintainer import refresh
from maintainer.paths import ROOT

TIMEOUT = 0.5
YEAR_TO = 2025
DESA_YEARS = (1990, 1995, 2000, 2005, 2010, 2015, 2020, 2024)
# Test-fixture world totals of a DESA 2024 workbook (within 5% of the rounded values in data/).
DESA_WORLD = {
    1990: 154_123_456,
    1995: 161_000_001,
    2000: 173_500_000,
    2005: 191_600_000,
    2010: 221_000_000,
    2015: 247_900_000,
    2020: 275_300_000,
    2024: 304_021_813,
}
API_FIELDS = {
    series: (endpoint, name) for endpoint, fields in refresh.UNHCR_ENDPOINTS.items() for name, series in fields.items()
}
SHA_LINE = re.compile(r"sha256 [0-9a-f]{64} +[\d,]+ bytes +(\S+)")


# --- the stand-in services -----------------------------------------------------------------


@dataclass
class Reply:
    """What one request gets: status, body, extra headers, a delay, a false Content-Length."""

    body: bytes = b""
    status: int = 200
    content_type: str = "application/json"
    delay: float = 0.0
    content_length: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    drip: float = 0.0  # seconds between single bytes of the body (a slow-loris server)
    stream: Callable[[], Iterator[bytes]] | None = None  # a body made on the fly, unannounced
    reason: str | None = None  # the status line's reason phrase, if not the standard one


@dataclass
class Services:
    """Routes of the fake services (path -> answer) and a count of requests per path."""

    routes: dict[str, Callable[[dict[str, str]], Reply] | list[Reply]] = field(default_factory=dict)
    hits: Counter[str] = field(default_factory=Counter)
    stop: threading.Event = field(default_factory=threading.Event)
    base: str = ""

    def answer(self, path: str, query: dict[str, str]) -> Reply:
        self.hits[path] += 1
        route = self.routes.get(path)
        if route is None:
            return Reply(b"not found", status=404, content_type="text/plain")
        if isinstance(route, list):
            return route.pop(0) if len(route) > 1 else route[0]
        return route(query)


def _handler(services: Services) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            url = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(url.query).items()}
            reply = services.answer(url.path, query)
            if reply.delay and services.stop.wait(reply.delay):
                return
            self.send_response(reply.status, reply.reason)
            self.send_header("Content-Type", reply.content_type)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            length = reply.content_length if reply.content_length is not None else len(reply.body)
            if reply.stream is None:
                self.send_header("Content-Length", str(length))
            self.end_headers()
            try:
                if reply.stream is not None:
                    for chunk in reply.stream():
                        if services.stop.is_set():
                            return
                        self.wfile.write(chunk)
                elif reply.drip:
                    for index in range(len(reply.body)):
                        if services.stop.wait(reply.drip):
                            return
                        self.wfile.write(reply.body[index : index + 1])
                        self.wfile.flush()
                else:
                    self.wfile.write(reply.body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture(scope="module")
def stand_in_services() -> Iterator[Services]:
    """One HTTP server on 127.0.0.1 for the module; each test sets its routes."""
    services = Services()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(services))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    services.base = f"http://127.0.0.1:{httpd.server_port}"
    yield services
    services.stop.set()
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


# --- payloads in the services' formats -----------------------------------------------------


def read_series(path: Path) -> dict[str, dict[int, int]]:
    """Series -> year -> value of a world_populations.csv."""
    series: dict[str, dict[int, int]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            series.setdefault(row["series"], {})[int(row["year"])] = int(row["value"])
    return series


def api_items(endpoint: str, totals: dict[str, dict[int, int]]) -> list[dict[str, Any]]:
    """World-total items of one endpoint, one per year, as the API aggregates them."""
    fields = refresh.UNHCR_ENDPOINTS[endpoint]
    years = sorted({y for s in fields.values() for y in totals.get(s, {})})
    items = []
    for year in years:
        item: dict[str, Any] = {
            "year": year,
            "coo_id": "-",
            "coo_name": "-",
            "coo": "-",
            "coo_iso": "-",
            "coa_id": "-",
            "coa_name": "-",
            "coa": "-",
            "coa_iso": "-",
        }
        for name, series in fields.items():
            value = totals.get(series, {}).get(year)
            if value is None:  # not collected: the API says "-" or "0"
                item[name] = "-" if name == "oip" else "0"
            else:  # counts come as numbers or as strings
                item[name] = value if year % 2 else str(value)
        if endpoint == "population/":
            item.update(returned_refugees="0", returned_idps="0", ooc=12, hst="0")
        items.append(item)
    return items


def paginated(items: list[dict[str, Any]], page_cap: int = 10) -> Callable[[dict[str, str]], Reply]:
    """An endpoint honouring yearFrom, yearTo, limit (capped, to force paging) and page."""

    def answer(query: dict[str, str]) -> Reply:
        low, high = int(query.get("yearFrom", 0)), int(query.get("yearTo", 9999))
        chosen = [i for i in items if isinstance(i.get("year"), str) or low <= int(i["year"]) <= high]
        limit = min(int(query.get("limit", 25)), page_cap)
        page = int(query.get("page", 1))
        body = {
            "page": page,
            "maxPages": math.ceil(len(chosen) / limit),
            "total": [],
            "items": chosen[(page - 1) * limit : page * limit],
        }
        return Reply(json.dumps(body).encode())

    return answer


def desa_workbook(
    world: dict[int, Any], years: tuple[int, ...] = DESA_YEARS, world_codes: tuple[int, int] = (900, 900)
) -> bytes:
    """A small workbook laid out like undesa_pd_2024_ims_stock_by_sex_destination_and_origin."""
    book = openpyxl.Workbook()
    book.active.title = "Contents"
    book.active["A1"] = "International Migrant Stock 2024"
    sheet = book.create_sheet("Table 1")
    sheet["A1"] = "United Nations, Department of Economic and Social Affairs, Population Division"
    sheet["A2"] = "International Migrant Stock 2024: Destination and origin"
    sheet["A3"] = "Table 1: International migrant stock at mid-year by sex and by region, ..."
    first = 8
    for offset, label in enumerate(("Both sexes", "Males", "Females")):
        sheet.cell(row=10, column=first + offset * len(years), value=label)
    header = [
        "Index",
        "Region, development group, country or area of destination",
        "Coverage",
        "Data type",
        "Location code of destination",
        "Region, development group, country or area of origin",
        "Location code of origin",
    ]
    sheet.append([])  # openpyxl appends after the last used row (10)
    for column, label in enumerate(header + list(years) * 3, start=1):
        sheet.cell(row=11, column=column, value=label)

    def row(index: int, dest: tuple[str, int], origin: tuple[str, int], values: list[Any]) -> list:
        halves = [v // 2 if isinstance(v, int) else v for v in values]
        return [index, dest[0], None, None, dest[1], origin[0], origin[1], *values, *halves, *halves]

    decoy = [v // 10 if isinstance(v, int) else v for v in world.values()]
    sheet.append(row(1, ("Sub-Saharan Africa", 947), ("WORLD", 900), decoy))
    sheet.append(row(2, ("WORLD", world_codes[0]), ("WORLD", world_codes[1]), [world.get(y) for y in years]))
    sheet.append(row(3, ("WORLD", 900), ("Sub-Saharan Africa", 947), decoy))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Setup:
    """A copy of data/, the services serving a good release built from it, and how to run."""

    data_dir: Path
    services: Services
    current: dict[str, dict[int, int]]

    @property
    def target(self) -> Path:
        return self.data_dir / "world_populations.csv"

    def serve_unhcr(self, totals: dict[str, dict[int, int]]) -> None:
        for endpoint in refresh.UNHCR_ENDPOINTS:
            items = api_items(endpoint, totals)
            self.services.routes[f"/population/v1/{endpoint}"] = paginated(items)

    def serve(self, path: str, reply: Reply | list[Reply]) -> None:
        self.services.routes[path] = reply if isinstance(reply, list) else [reply]

    def run(self, *args: str) -> int:
        return refresh.main(
            [
                "--data-dir",
                str(self.data_dir),
                "--unhcr-base",
                f"{self.services.base}/population/v1/",
                "--desa-url",
                f"{self.services.base}/desa/ims2024.xlsx",
                "--year-to",
                str(YEAR_TO),
                "--timeout",
                str(TIMEOUT),
                "--retries",
                "1",
                "--backoff",
                "0",
                *args,
            ]
        )


@pytest.fixture
def setup(stand_in_services: Services, tmp_path: Path) -> Iterator[Setup]:
    """data/ copied to tmp_path, and a good release of both services to refresh it from."""
    data_dir = tmp_path / "data"
    shutil.copytree(ROOT / "data", data_dir)
    stand_in_services.routes.clear()
    stand_in_services.hits.clear()
    current = read_series(data_dir / "world_populations.csv")
    result = Setup(data_dir, stand_in_services, current)
    result.serve_unhcr(current)
    result.serve("/desa/ims2024.xlsx", Reply(desa_workbook(DESA_WORLD), content_type=XLSX))
    yield result
    data.clear_cache()


def revised(current: dict[str, dict[int, int]], **moves: dict[int, float]) -> dict:
    """A copy of the series with some years scaled: revised(current, series={year: factor})."""
    totals = {series: dict(years) for series, years in current.items()}
    for series, factors in moves.items():
        for year, factor in factors.items():
            totals[series][year] = round(totals[series][year] * factor)
    return totals


def assert_failed_cleanly(
    setup: Setup, before: bytes, capsys: pytest.CaptureFixture[str], status: int, *fragments: str
) -> str:
    """Exit status non-zero, one stderr line naming the fragments, data file byte for byte."""
    err = capsys.readouterr().err
    assert status == refresh.EXIT_ERROR, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    for fragment in fragments:
        assert fragment in lines[0], f"{fragment!r} not in {lines[0]!r}"
    assert setup.target.read_bytes() == before
    assert not list(setup.data_dir.glob(".*.tmp")), "a temporary file was left behind"
    return lines[0]
