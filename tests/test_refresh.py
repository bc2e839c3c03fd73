"""The refresh command against local stand-ins for the UNHCR API and the UN DESA workbook.

Offline: a ``ThreadingHTTPServer`` on 127.0.0.1 serves payloads in the services' formats
(see the docstring of :mod:`maintainer.refresh`), built here from a copy of ``data/`` in tmp_path.
The numbers served are test fixtures, not official figures, and never reach the real ``data/``.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import math
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import zipfile
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
DESA_WORLD = {1990: 154_123_456, 1995: 161_000_001, 2000: 173_500_000, 2005: 191_600_000,
              2010: 221_000_000, 2015: 247_900_000, 2020: 275_300_000, 2024: 304_021_813}
API_FIELDS = {series: (endpoint, name) for endpoint, fields in refresh.UNHCR_ENDPOINTS.items()
              for name, series in fields.items()}
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
            self.send_response(reply.status)
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
                        self.wfile.write(reply.body[index:index + 1])
                        self.wfile.flush()
                else:
                    self.wfile.write(reply.body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture(scope="module")
def server() -> Iterator[Services]:
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
        item: dict[str, Any] = {"year": year, "coo_id": "-", "coo_name": "-", "coo": "-",
                                "coo_iso": "-", "coa_id": "-", "coa_name": "-", "coa": "-",
                                "coa_iso": "-"}
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
        chosen = [i for i in items if isinstance(i.get("year"), str)
                  or low <= int(i["year"]) <= high]
        limit = min(int(query.get("limit", 25)), page_cap)
        page = int(query.get("page", 1))
        body = {"page": page, "maxPages": math.ceil(len(chosen) / limit), "total": [],
                "items": chosen[(page - 1) * limit: page * limit]}
        return Reply(json.dumps(body).encode())
    return answer


def desa_workbook(world: dict[int, Any], years: tuple[int, ...] = DESA_YEARS,
                  world_codes: tuple[int, int] = (900, 900)) -> bytes:
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
    header = ["Index", "Region, development group, country or area of destination", "Coverage",
              "Data type", "Location code of destination",
              "Region, development group, country or area of origin", "Location code of origin"]
    sheet.append([])  # openpyxl appends after the last used row (10)
    for column, label in enumerate(header + list(years) * 3, start=1):
        sheet.cell(row=11, column=column, value=label)

    def row(index: int, dest: tuple[str, int], origin: tuple[str, int], values: list[Any]) -> list:
        halves = [v // 2 if isinstance(v, int) else v for v in values]
        return [index, dest[0], None, None, dest[1], origin[0], origin[1], *values, *halves, *halves]

    decoy = [v // 10 if isinstance(v, int) else v for v in world.values()]
    sheet.append(row(1, ("Sub-Saharan Africa", 947), ("WORLD", 900), decoy))
    sheet.append(row(2, ("WORLD", world_codes[0]), ("WORLD", world_codes[1]),
                     [world.get(y) for y in years]))
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
        return refresh.main([
            "--data-dir", str(self.data_dir), "--unhcr-base", f"{self.services.base}/population/v1/",
            "--desa-url", f"{self.services.base}/desa/ims2024.xlsx", "--year-to", str(YEAR_TO),
            "--timeout", str(TIMEOUT), "--retries", "1", "--backoff", "0", *args,
        ])


@pytest.fixture
def setup(server: Services, tmp_path: Path) -> Iterator[Setup]:
    """data/ copied to tmp_path, and a good release of both services to refresh it from."""
    data_dir = tmp_path / "data"
    shutil.copytree(ROOT / "data", data_dir)
    server.routes.clear()
    server.hits.clear()
    current = read_series(data_dir / "world_populations.csv")
    result = Setup(data_dir, server, current)
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


def assert_failed_cleanly(setup: Setup, before: bytes, capsys: pytest.CaptureFixture[str],
                          status: int, *fragments: str) -> str:
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


# --- a good release ------------------------------------------------------------------------


def test_good_release_updates_the_file_and_reports_changes(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    setup.serve_unhcr(revised(setup.current, refugees_unhcr_mandate={2025: 1.01},
                              idps_conflict_idmc={2024: 0.995}))
    before = data.load("world_populations", setup.data_dir)  # fills the loader's cache
    untouched = [line for line in setup.target.read_text().splitlines()
                 if "_ims2020," in line or "_grid2016," in line or "_ims2015," in line]

    status = setup.run()

    captured = capsys.readouterr()
    out = captured.out
    assert status == refresh.EXIT_OK, out + captured.err
    urls = SHA_LINE.findall(out)
    # population/ has 36 years: 4 pages of 10; unrwa/ and idmc/ 4 each; the workbook 1.
    assert len(urls) == 13, out
    assert sum("/population/v1/population/" in u for u in urls) == 4
    assert urls[-1].endswith("/desa/ims2024.xlsx")
    assert re.search(r"refugees_unhcr_mandate +2025 +[\d,]+ +[\d,]+ +\+1\.00%", out), out
    assert re.search(r"idps_conflict_idmc +2024 .* -0\.50%", out), out
    # the data hold the eight years of the 2024 revision: the fixture's 2015 is a change, not an addition
    assert re.search(r"international_migrants_undesa_ims2024 +2015 +250,042,020 +247,900,000", out), out
    assert "international_migrants_undesa_ims2024 2020" in re.sub(" +", " ", out)
    assert "replaced" in out

    after = data.load("world_populations", setup.data_dir)  # the cache was cleared
    value = after.set_index(["series", "year"])["value"]
    old = before.set_index(["series", "year"])["value"]
    assert value["refugees_unhcr_mandate", 2025] == round(old["refugees_unhcr_mandate", 2025] * 1.01)
    assert value["international_migrants_undesa_ims2024", 2024] == 304_021_813
    assert value["refugees_unhcr_mandate", 2015] == 16_110_276
    ims2024 = after[after["series"] == "international_migrants_undesa_ims2024"]
    assert sorted(ims2024["year"]) == list(DESA_YEARS)
    assert set(ims2024["unit"]) == {"persons"} and set(ims2024["source_id"]) == {refresh.DESA_SOURCE}
    text = setup.target.read_text()
    assert all(line in text for line in untouched)
    assert not list(setup.data_dir.glob(".*.tmp"))


def test_refreshed_rows_cite_the_release_read_and_the_registry_names_it(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    setup.serve_unhcr(revised(setup.current, refugees_unhcr_mandate={2025: 1.01}))
    assert setup.run("--only", "unhcr") == refresh.EXIT_OK, capsys.readouterr().err
    read_on = dt.date.today()
    source_id = f"unhcr_api_{read_on:%Y_%m_%d}"
    rows = data.load("world_populations", setup.data_dir)
    cited = set(rows.loc[rows["series"].isin(API_FIELDS), "source_id"])
    assert cited == {source_id}, "every refreshed UNHCR row cites the release read, none the old one"
    registry = data.load("sources", setup.data_dir).set_index("source_id")
    assert registry.loc[source_id, "date_read"] == read_on.isoformat()
    assert f"version served on {read_on:%Y-%m-%d}" in registry.loc[source_id, "title"]
    assert set(rows.loc[rows["series"] == "international_migrants_undesa_ims2015", "source_id"]) == {
        "undesa_ims2015_press"}, "series that were not refreshed keep their citation"


def test_a_refused_release_adds_no_source(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    registry = (setup.data_dir / "sources.csv").read_bytes()
    setup.serve_unhcr(revised(setup.current, refugees_unhcr_mandate={2015: 1.5}))
    assert setup.run("--only", "unhcr") == refresh.EXIT_REFUSED
    assert (setup.data_dir / "sources.csv").read_bytes() == registry


def test_an_identical_release_leaves_the_file_byte_for_byte(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    before = setup.target.read_bytes()
    status = setup.run("--only", "unhcr")
    out = capsys.readouterr().out
    assert status == refresh.EXIT_OK
    assert "no value changes" in out and "already up to date" in out
    assert setup.target.read_bytes() == before


def test_a_downloaded_workbook_can_be_given_as_a_file(
    setup: Setup, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    workbook = tmp_path / "undesa_pd_2024_ims_stock_by_sex_destination_and_origin.xlsx"
    workbook.write_bytes(desa_workbook(DESA_WORLD))
    setup.serve("/desa/ims2024.xlsx", Reply(b"", status=403, content_type="text/plain"))
    status = refresh.main(["--data-dir", str(setup.data_dir), "--only", "desa",
                           "--desa-file", str(workbook)])
    out = capsys.readouterr().out
    assert status == refresh.EXIT_OK, out
    assert workbook.as_uri() in out
    assert setup.services.hits["/desa/ims2024.xlsx"] == 0


def test_a_transient_server_error_is_retried(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    good = setup.services.routes["/population/v1/unrwa/"]
    assert callable(good)
    calls = Counter()

    def busy_once(query: dict[str, str]) -> Reply:
        calls["n"] += 1
        return Reply(b"busy", status=503) if calls["n"] == 1 else good(query)

    setup.services.routes["/population/v1/unrwa/"] = busy_once
    status = setup.run("--only", "unhcr")
    assert status == refresh.EXIT_OK, capsys.readouterr().err
    assert setup.services.hits["/population/v1/unrwa/"] == 5  # 4 pages, the first one twice


# --- past years beyond the tolerance ---------------------------------------------------------


@pytest.mark.parametrize(
    ("moves", "row"),
    [
        ({"refugees_unhcr_mandate": {2015: 1.10}}, r"refugees_unhcr_mandate +2015 .*\+10\.00%"),
        ({"palestine_refugees_unrwa": {1990: None}}, r"palestine_refugees_unrwa +1990 .* removed"),
    ],
    ids=["moved-10-percent", "year-removed"],
)
def test_a_past_year_beyond_tolerance_is_refused_then_forced(
    setup: Setup, capsys: pytest.CaptureFixture[str], moves: dict, row: str
) -> None:
    totals = revised(setup.current)
    for series, years in moves.items():
        for year, factor in years.items():
            if factor is None:
                del totals[series][year]
            else:
                totals[series][year] = round(totals[series][year] * factor)
    setup.serve_unhcr(totals)
    before = setup.target.read_bytes()

    status = setup.run("--only", "unhcr")
    captured = capsys.readouterr()
    assert status == refresh.EXIT_REFUSED
    assert re.search(row + r" +BEYOND 5% TOLERANCE", captured.out), captured.out
    assert "--force" in captured.err and "left unchanged" in captured.err
    assert setup.target.read_bytes() == before
    assert not list(setup.data_dir.glob(".*.tmp"))

    assert setup.run("--only", "unhcr", "--force") == refresh.EXIT_OK
    assert "accepted with --force" in capsys.readouterr().out
    assert read_series(setup.target) == {**setup.current, **totals}


def test_a_wider_tolerance_accepts_the_move(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    setup.serve_unhcr(revised(setup.current, refugees_unhcr_mandate={2015: 1.10}))
    assert setup.run("--only", "unhcr", "--tolerance", "0.2") == refresh.EXIT_OK
    assert read_series(setup.target)["refugees_unhcr_mandate"][2015] == round(16_110_276 * 1.1)


# --- failures: the file is kept byte for byte --------------------------------------------------


def test_a_timeout_names_the_url(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    before = setup.target.read_bytes()
    setup.serve("/population/v1/idmc/", Reply(b"{}", delay=3 * TIMEOUT))
    status = setup.run("--only", "unhcr")
    line = assert_failed_cleanly(setup, before, capsys, status, "/population/v1/idmc/?yearFrom=1990",
                                 "timed out")
    assert f"{setup.services.base}/population/v1/idmc/" in line
    assert setup.services.hits["/population/v1/idmc/"] == 2  # one bounded retry


@pytest.mark.parametrize(("code", "attempts"), [(500, 2), (404, 1)])
def test_an_http_error_names_the_url(
    setup: Setup, capsys: pytest.CaptureFixture[str], code: int, attempts: int
) -> None:
    before = setup.target.read_bytes()
    setup.serve("/population/v1/population/", Reply(b"error", status=code, content_type="text/plain"))
    status = setup.run()
    assert_failed_cleanly(setup, before, capsys, status,
                          f"{setup.services.base}/population/v1/population/?yearFrom=1990",
                          f"HTTP {code}")
    assert setup.services.hits["/population/v1/population/"] == attempts


def test_a_missing_workbook_names_the_url(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    before = setup.target.read_bytes()
    del setup.services.routes["/desa/ims2024.xlsx"]
    status = setup.run()
    assert_failed_cleanly(setup, before, capsys, status,
                          f"{setup.services.base}/desa/ims2024.xlsx", "HTTP 404")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<html><body>Service unavailable</body></html>", "malformed JSON"),
        (b'{"page": 1, "maxPages": 1, "total": [], "items": [{"year": 2015, "total": 52', "malformed JSON"),
        (b'{"page": 1, "maxPages": 1}', "no list of 'items'"),
        (b'{"page": 1, "maxPages": "many", "items": []}', "'maxPages' is 'many'"),
        (b'{"page": 1, "maxPages": 1, "items": [{"year": 2015, "total": "n/a"}]}',
         "year 2015, field 'total': not a count: 'n/a'"),
        (b'{"page": 1, "maxPages": 1, "items": [{"total": 5}]}', "an item has no 'year'"),
        (b'{"page": 1, "maxPages": 0, "items": []}', "no items for the years 1990-2025"),
    ],
    ids=["html", "cut-json", "no-items", "bad-maxpages", "not-a-count", "no-year", "empty"],
)
def test_a_malformed_payload_names_the_url(
    setup: Setup, capsys: pytest.CaptureFixture[str], body: bytes, message: str
) -> None:
    before = setup.target.read_bytes()
    setup.serve("/population/v1/unrwa/", Reply(body))
    status = setup.run()
    assert_failed_cleanly(setup, before, capsys, status, "/population/v1/unrwa/", message)


@pytest.mark.parametrize("path", ["/population/v1/population/", "/desa/ims2024.xlsx"])
def test_a_payload_shorter_than_its_content_length_is_refused(
    setup: Setup, capsys: pytest.CaptureFixture[str], path: str
) -> None:
    before = setup.target.read_bytes()
    good = setup.services.routes[path]
    reply = good({"limit": "100"}) if callable(good) else good[0]
    setup.serve(path, Reply(reply.body[: len(reply.body) // 2], content_type=reply.content_type,
                            content_length=len(reply.body)))
    status = setup.run()
    assert_failed_cleanly(setup, before, capsys, status, f"{setup.services.base}{path}",
                          "truncated payload")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (lambda: desa_workbook(DESA_WORLD)[:-400], "malformed xlsx"),
        (lambda: b"<html>Access denied</html>", "malformed xlsx"),
        (lambda: desa_workbook(DESA_WORLD, world_codes=(900, 903)), "no WORLD row (M49 900)"),
        (lambda: desa_workbook({y: DESA_WORLD[y] for y in DESA_YEARS[:-1]}, DESA_YEARS[:-1]),
         "is not the 2024 revision (latest year column: 2020)"),
        (lambda: desa_workbook({**DESA_WORLD, 2015: "about 250 million"}),
         "Table 1!M13: not a number ('about 250 million')"),
    ],
    ids=["cut-zip", "html", "no-world-row", "ims2020-file", "text-value"],
)
def test_a_malformed_workbook_names_the_url(
    setup: Setup, capsys: pytest.CaptureFixture[str], body: Callable[[], bytes], message: str
) -> None:
    before = setup.target.read_bytes()
    setup.serve("/desa/ims2024.xlsx", Reply(body(), content_type=XLSX))
    status = setup.run("--only", "desa")
    assert_failed_cleanly(setup, before, capsys, status, f"{setup.services.base}/desa/ims2024.xlsx",
                          message)


def test_a_negative_count_in_the_api_names_url_year_and_field(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    before = setup.target.read_bytes()
    totals = revised(setup.current)
    totals["stateless_persons"][2016] = -3
    setup.serve_unhcr(totals)
    status = setup.run("--only", "unhcr")
    assert_failed_cleanly(setup, before, capsys, status, "/population/v1/population/",
                          "year 2016, field 'stateless': negative count -3")


def test_a_negative_count_in_the_workbook_fails_validation_naming_file_row_field(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    before = setup.target.read_bytes()
    setup.serve("/desa/ims2024.xlsx", Reply(desa_workbook({**DESA_WORLD, 2015: -1}),
                                            content_type=XLSX))
    status = setup.run("--only", "desa")
    line = assert_failed_cleanly(setup, before, capsys, status, "world_populations.csv",
                                 "field 'value'", "minimum", "/desa/ims2024.xlsx")
    row = int(re.search(r"row (\d+)", line).group(1))
    rows = list(csv.DictReader(io.StringIO(before.decode())))
    merged = refresh.merge(rows, [refresh.Release(
        series=(refresh.DESA_SERIES,), source_id=refresh.DESA_SOURCE, unit="persons",
        totals={refresh.DESA_SERIES: {**DESA_WORLD, 2015: -1}})])
    assert merged[row - 2]["year"] == "2015" and merged[row - 2]["value"] == "-1"


def test_years_not_asked_for_are_never_written(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    totals = revised(setup.current)
    totals["refugees_unhcr_mandate"][1985] = 1_000  # served although 1990 was asked for
    totals["refugees_unhcr_mandate"][YEAR_TO + 1] = 10**15  # and a year after --year-to
    items = api_items("population/", totals)
    setup.services.routes["/population/v1/population/"] = lambda query: Reply(json.dumps(
        {"page": 1, "maxPages": 1, "total": [], "items": items}).encode())
    status = setup.run("--only", "unhcr")
    out = capsys.readouterr().out
    assert status == refresh.EXIT_OK, out
    assert "ignored 2 item(s)" in out and "for years outside 1990-2025" in out
    written = read_series(setup.target)["refugees_unhcr_mandate"]
    assert 1985 not in written and YEAR_TO + 1 not in written
    assert written == setup.current["refugees_unhcr_mandate"]


def test_invalid_current_data_are_not_refreshed(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = setup.target.read_bytes().replace(b"2015,refugees_unhcr_mandate,16110276",
                                               b"2015,refugees_unhcr_mandate,lots", 1)
    setup.target.write_bytes(broken)
    status = setup.run("--only", "unhcr")
    assert_failed_cleanly(setup, broken, capsys, status, "current data are invalid",
                          "field 'value'")
    assert setup.services.hits == Counter()


# --- hostile or broken servers ---------------------------------------------------------------


def test_a_slow_server_hits_the_total_deadline(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    before = setup.target.read_bytes()
    good = setup.services.routes["/population/v1/unrwa/"]({"limit": "100"})
    # One byte every 0.2 s: no single read times out (TIMEOUT is 0.5 s), the whole never ends.
    setup.serve("/population/v1/unrwa/", Reply(good.body, drip=0.2))
    status = setup.run("--only", "unhcr", "--deadline", "2")
    assert_failed_cleanly(setup, before, capsys, status, "/population/v1/unrwa/",
                          "exceeded the total deadline of 2 s")


def _zeros(total: int) -> Callable[[], Iterator[bytes]]:
    def chunks() -> Iterator[bytes]:
        block = b"0" * (1024 * 1024)
        for _ in range(total // len(block)):
            yield block
    return chunks


def test_an_endless_body_is_cut_at_the_size_cap(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    before = setup.target.read_bytes()
    setup.serve("/desa/ims2024.xlsx", Reply(stream=_zeros(200 * 1024 * 1024), content_type=XLSX))
    status = setup.run("--only", "desa", "--max-bytes", str(2 * 1024 * 1024))
    assert_failed_cleanly(setup, before, capsys, status, "/desa/ims2024.xlsx",
                          "payload is more than the cap of 2,097,152 bytes")
    assert refresh.Limits().max_bytes < 200 * 1024 * 1024  # the default cap is below that too


def test_an_announced_oversized_body_is_refused_before_reading(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    before = setup.target.read_bytes()
    setup.serve("/desa/ims2024.xlsx", Reply(b"PK", content_type=XLSX,
                                            content_length=200 * 1024 * 1024))
    status = setup.run("--only", "desa")
    assert_failed_cleanly(setup, before, capsys, status, "/desa/ims2024.xlsx",
                          "payload of 209,715,200 bytes announced, above the cap")


def test_a_gzip_bomb_is_stopped_while_decompressing(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    before = setup.target.read_bytes()
    bomb = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)  # ~64 KiB on the wire
    setup.serve("/population/v1/idmc/", Reply(bomb, headers={"Content-Encoding": "gzip"}))
    status = setup.run("--only", "unhcr", "--max-bytes", str(1024 * 1024))
    assert_failed_cleanly(setup, before, capsys, status, "/population/v1/idmc/",
                          "payload decompresses to more than the cap of 1,048,576 bytes")


def test_a_gzip_encoded_good_payload_is_read(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = setup.services.routes["/population/v1/unrwa/"]
    setup.services.routes["/population/v1/unrwa/"] = lambda query: Reply(
        gzip.compress(plain(query).body), headers={"Content-Encoding": "gzip"})
    status = setup.run("--only", "unhcr")
    assert status == refresh.EXIT_OK, capsys.readouterr().err


def _bloated_workbook(member_size: int) -> bytes:
    """The good workbook plus one member that unpacks to ``member_size`` bytes."""
    buffer = io.BytesIO(desa_workbook(DESA_WORLD))
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings2.xml", b"A" * member_size)
    return buffer.getvalue()


@pytest.mark.parametrize("as_file", [False, True], ids=["downloaded", "local-file"])
def test_a_workbook_that_unpacks_beyond_the_cap_is_refused(
    setup: Setup, capsys: pytest.CaptureFixture[str], tmp_path: Path, as_file: bool
) -> None:
    before = setup.target.read_bytes()
    bloated = _bloated_workbook(16 * 1024 * 1024)
    cap = ["--only", "desa", "--max-unpacked", str(8 * 1024 * 1024)]
    if as_file:
        (tmp_path / "ims.xlsx").write_bytes(bloated)
        status = refresh.main(["--data-dir", str(setup.data_dir), *cap,
                               "--desa-file", str(tmp_path / "ims.xlsx")])
    else:
        setup.serve("/desa/ims2024.xlsx", Reply(bloated, content_type=XLSX))
        status = setup.run(*cap)
    assert_failed_cleanly(setup, before, capsys, status,
                          "xlsx unpacks to more than the cap of 8,388,608 bytes",
                          "xl/sharedStrings2.xml")


def test_a_redirect_to_another_host_is_refused(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    before = setup.target.read_bytes()
    port = urlsplit(setup.services.base).port
    setup.serve("/desa/ims2024.xlsx", Reply(status=302, headers={
        "Location": f"http://localhost:{port}/desa/elsewhere.xlsx"}))
    setup.serve("/desa/elsewhere.xlsx", Reply(desa_workbook(DESA_WORLD), content_type=XLSX))
    status = setup.run("--only", "desa")
    assert_failed_cleanly(setup, before, capsys, status, "/desa/ims2024.xlsx",
                          "refused a redirect to another host, localhost")
    assert setup.services.hits["/desa/elsewhere.xlsx"] == 0


def test_a_redirect_on_the_same_host_is_followed(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    setup.serve("/desa/ims2024.xlsx", Reply(status=301, headers={"Location": "/desa/moved.xlsx"}))
    setup.serve("/desa/moved.xlsx", Reply(desa_workbook(DESA_WORLD), content_type=XLSX))
    status = setup.run("--only", "desa")
    out = capsys.readouterr().out
    assert status == refresh.EXIT_OK, out
    assert SHA_LINE.findall(out)[-1].endswith("/desa/moved.xlsx")


def test_a_refused_connection_is_named_as_such(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    before = setup.target.read_bytes()
    with socket.socket() as probe:  # a port that nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    status = refresh.main(["--data-dir", str(setup.data_dir), "--only", "unhcr",
                           "--unhcr-base", f"http://127.0.0.1:{closed}/population/v1/",
                           "--timeout", "5", "--retries", "0"])
    line = assert_failed_cleanly(setup, before, capsys, status, "connection refused")
    assert "timed out" not in line


def test_a_world_total_above_the_world_population_is_refused(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    before = setup.target.read_bytes()
    totals = revised(setup.current)
    totals["refugees_unhcr_mandate"][YEAR_TO] = 10**15
    setup.serve_unhcr(totals)
    status = setup.run("--only", "unhcr", "--force")  # --force cannot make it possible
    assert_failed_cleanly(setup, before, capsys, status, "/population/v1/population/",
                          f"year {YEAR_TO}", "above the plausibility ceiling")


def test_a_year_on_year_jump_is_refused_then_forced(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    # 2005 taken out of the file, so that only the year-on-year check (not the tolerance) can refuse it.
    lines = setup.target.read_text(encoding="utf-8").splitlines(keepends=True)
    setup.target.write_text("".join(line for line in lines
                                    if not line.startswith(f"2005,{refresh.DESA_SERIES},")), encoding="utf-8")
    before = setup.target.read_bytes()
    jumpy = {**DESA_WORLD, 2005: DESA_WORLD[2005] * 10}
    setup.serve("/desa/ims2024.xlsx", Reply(desa_workbook(jumpy), content_type=XLSX))
    status = setup.run("--only", "desa")
    captured = capsys.readouterr()
    assert status == refresh.EXIT_REFUSED, captured.err
    assert "jump by more than a factor of 3" in captured.err
    assert "JUMP international_migrants_undesa_ims2024 2000->2005" in captured.out
    assert setup.target.read_bytes() == before
    assert setup.run("--only", "desa", "--force") == refresh.EXIT_OK
    assert read_series(setup.target)[refresh.DESA_SERIES][2005] == jumpy[2005]


KILL_AFTER_CANDIDATE = """
import os, signal, sys
from maintainer import refresh
write = refresh.write_candidate
def write_then_die(*args):
    path = write(*args)
    os.kill(os.getpid(), signal.SIGKILL)  # as a power cut or the OOM killer would
refresh.write_candidate = write_then_die
sys.exit(refresh.main(sys.argv[1:]))
"""


def test_a_killed_refresh_leaves_a_git_ignored_file_the_next_run_removes(
    setup: Setup, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    workbook = tmp_path / "ims.xlsx"
    workbook.write_bytes(desa_workbook(DESA_WORLD))
    args = ["--data-dir", str(setup.data_dir), "--only", "desa", "--desa-file", str(workbook)]
    killed = subprocess.run([sys.executable, "-c", KILL_AFTER_CANDIDATE, *args],
                            capture_output=True, timeout=120, check=False, cwd=ROOT)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    left = list(setup.data_dir.glob(".world_populations.*.tmp"))
    assert len(left) == 1
    ignored = subprocess.run(["git", "check-ignore", "-q", f"data/{left[0].name}"], cwd=ROOT,
                             check=False, timeout=60)
    assert ignored.returncode == 0, f"data/{left[0].name} is not git-ignored"
    assert refresh.main(args) == refresh.EXIT_OK
    assert f"removed {left[0]}" in capsys.readouterr().out
    assert not list(setup.data_dir.glob(".*.tmp"))
