"""The UNHCR population API: endpoints, paginated JSON, and the world totals of its seven series.

Formats and the mapping of fields to our series: ``maintainer/refresh_formats.md``.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from urllib.parse import urljoin

import requests

from .release import YEAR_FROM, Release
from .transport import Limits, Payload, RefreshError, download

DEFAULT_UNHCR_BASE = "https://api.unhcr.org/population/v1/"

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
PAGE_SIZE = 100
MAX_PAGES = 1000  # a bound on pagination, far above the ~36 years asked for


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
    session: requests.Session, base: str, year_to: int, limits: Limits, read_on: dt.date | None = None
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


def fetch_items(session: requests.Session, url: str, year_to: int, limits: Limits) -> list[dict[str, Any]]:
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


def requested_years(items: list[dict[str, Any]], year_to: int, url: str) -> list[dict[str, Any]]:
    """Only the items of the years asked for: a server's extra years are never written."""

    def asked(item: dict[str, Any]) -> bool:
        year = item.get("year")
        text = str(year).strip() if isinstance(year, (int, str)) else ""
        return not text.isdigit() or YEAR_FROM <= int(text) <= year_to  # odd years: see world_totals

    kept = [item for item in items if asked(item)]
    if len(kept) < len(items):
        print(
            f"  ignored {len(items) - len(kept)} item(s) of {url} for years outside "
            f"{YEAR_FROM}-{year_to} (not asked for)"
        )
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


def world_totals(items: list[dict[str, Any]], fields: dict[str, str], url: str) -> dict[str, dict[int, int]]:
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
