"""Payloads in the wrong format: malformed JSON or workbooks, values that are not counts, years not
asked for. Each failure names the URL, and the data file is kept byte for byte.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from refresh_stand_ins import (
    DESA_WORLD,
    DESA_YEARS,
    XLSX,
    YEAR_TO,
    Reply,
    Setup,
    api_items,
    assert_failed_cleanly,
    desa_workbook,
    read_series,
    revised,
)

from maintainer import refresh


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<html><body>Service unavailable</body></html>", "malformed JSON"),
        (b'{"page": 1, "maxPages": 1, "total": [], "items": [{"year": 2015, "total": 52', "malformed JSON"),
        (b'{"page": 1, "maxPages": 1}', "no list of 'items'"),
        (b'{"page": 1, "maxPages": "many", "items": []}', "'maxPages' is 'many'"),
        (
            b'{"page": 1, "maxPages": 1, "items": [{"year": 2015, "total": "n/a"}]}',
            "year 2015, field 'total': not a count: 'n/a'",
        ),
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


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (lambda: desa_workbook(DESA_WORLD)[:-400], "malformed xlsx"),
        (lambda: b"<html>Access denied</html>", "malformed xlsx"),
        (lambda: desa_workbook(DESA_WORLD, world_codes=(900, 903)), "no WORLD row (M49 900)"),
        (
            lambda: desa_workbook({y: DESA_WORLD[y] for y in DESA_YEARS[:-1]}, DESA_YEARS[:-1]),
            "is not the 2024 revision (latest year column: 2020)",
        ),
        (
            lambda: desa_workbook({**DESA_WORLD, 2015: "about 250 million"}),
            "Table 1!M13: not a number ('about 250 million')",
        ),
    ],
    ids=["cut-zip", "html", "no-world-row", "ims2020-file", "text-value"],
)
def test_a_malformed_workbook_names_the_url(
    setup: Setup, capsys: pytest.CaptureFixture[str], body: Callable[[], bytes], message: str
) -> None:
    before = setup.target.read_bytes()
    setup.serve("/desa/ims2024.xlsx", Reply(body(), content_type=XLSX))
    status = setup.run("--only", "desa")
    assert_failed_cleanly(setup, before, capsys, status, f"{setup.services.base}/desa/ims2024.xlsx", message)


def test_a_negative_count_in_the_api_names_url_year_and_field(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    before = setup.target.read_bytes()
    totals = revised(setup.current)
    totals["stateless_persons"][2016] = -3
    setup.serve_unhcr(totals)
    status = setup.run("--only", "unhcr")
    assert_failed_cleanly(
        setup, before, capsys, status, "/population/v1/population/", "year 2016, field 'stateless': negative count -3"
    )


def test_years_not_asked_for_are_never_written(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    totals = revised(setup.current)
    totals["refugees_unhcr_mandate"][1985] = 1_000  # served although 1990 was asked for
    totals["refugees_unhcr_mandate"][YEAR_TO + 1] = 10**15  # and a year after --year-to
    items = api_items("population/", totals)
    setup.services.routes["/population/v1/population/"] = lambda query: Reply(
        json.dumps({"page": 1, "maxPages": 1, "total": [], "items": items}).encode()
    )
    status = setup.run("--only", "unhcr")
    out = capsys.readouterr().out
    assert status == refresh.EXIT_OK, out
    assert "ignored 2 item(s)" in out and "for years outside 1990-2025" in out
    written = read_series(setup.target)["refugees_unhcr_mandate"]
    assert 1985 not in written and YEAR_TO + 1 not in written
    assert written == setup.current["refugees_unhcr_mandate"]
