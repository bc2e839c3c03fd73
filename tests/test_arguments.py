"""The argument map: every argument of the briefing, a section of the book that exists, a verdict the data allow."""

from __future__ import annotations

import re

import pytest
import yaml
from bs4 import BeautifulSoup
from site_links import scan

from iomun import arguments, claims, data
from maintainer.paths import HTML

ROOT = arguments.ROOT
BRIEFING_ORDER = [
    "Summary and introduction",
    "Why join the UN?",
    "Global division of labor",
    "What will change?",
    "Major challenges",
    "Different definitions",
    "Different member states",
    "Different working cultures",
    "Conclusion",
]


@pytest.fixture(scope="module")
def table():
    return arguments.argument_map()


def _toc_files() -> set[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return {toc["root"]} | {chapter["file"] for part in toc["parts"] for chapter in part["chapters"]}


def test_every_argument_of_the_briefing_has_a_row_in_its_order(table) -> None:
    assert 40 <= len(table) <= 70
    assert table["argument_id"].is_unique
    positions = table["section"].map(BRIEFING_ORDER.index)
    assert positions.is_monotonic_increasing, "rows must follow the briefing's order of sections"
    assert set(table["section"]) == set(BRIEFING_ORDER), "every section of the briefing is mapped"


def test_every_row_links_to_a_labelled_section_of_a_page_in_the_book(table) -> None:
    pages = _toc_files()
    for row in table.itertuples():
        assert row.page in pages, f"{row.argument_id}: {row.page} is not in _toc.yml"
        assert row.anchor in arguments.page_anchors(row.page), f"{row.argument_id}: no {row.anchor!r} on {row.page}"


def test_verdicts_agree_with_the_claims_ledger(table) -> None:
    assert set(table["verdict"]) <= set(arguments.VERDICTS)
    named = table[table["claim_id"].notna()]
    assert set(named["claim_id"]) <= set(data.load("briefing_claims")["claim_id"])
    for row in named.itertuples():
        assert row.verdict in arguments.VERDICTS_FOR_STATUS[row.ledger_status], row.argument_id
        assert row.data, f"{row.argument_id}: the ledger's value is shown beside the verdict"


def test_no_number_is_typed_in_the_evidence(table) -> None:
    # Numbers a reader sees come from the ledger's computation, never from the resource's prose.
    typed = table[table["evidence"].str.contains(r"\d")]
    assert typed.empty, typed[["argument_id", "evidence"]].to_string()


def test_the_map_escapes_text_from_data(table) -> None:
    hostile = table.head(1).assign(argument="<script>alert(1)</script> {{ jinja }}", evidence="a & b")
    rendered = arguments.map_html(hostile)
    assert "<script>" not in rendered and "&lt;script&gt;" in rendered
    assert "a &amp; b" in rendered


def test_hrefs_are_relative_to_the_map_page() -> None:
    chapter = arguments.href("notebooks/01_why_join_the_un", "why-benefits")
    assert chapter == "../notebooks/01_why_join_the_un.html#why-benefits"
    assert arguments.href("book/claims_ledger", "claims-ledger-table") == "claims_ledger.html#claims-ledger-table"


def test_link_text_names_the_section() -> None:
    benefits = arguments.link_text("notebooks/01_why_join_the_un", "why-benefits")
    assert benefits == "Why join the UN?: What IOM expected to gain"
    # A label on a paragraph, not a heading: the page title alone.
    assert arguments.link_text("notebooks/04_different_definitions", "definitions-postponed") == "Different definitions"
    assert arguments.link_text("notebooks/01_why_join_the_un", "why-join-the-un") == "Why join the UN?"


def test_a_changed_ledger_value_reaches_the_map(monkeypatch: pytest.MonkeyPatch, table) -> None:
    monkeypatch.setitem(claims.CHECKS, "years_side_by_side", lambda briefing: claims.Check("64", "differs", "test"))
    changed = arguments.argument_map().set_index("argument_id")
    assert changed.loc["side_by_side", "data"] == "64"
    assert changed.loc["side_by_side", "ledger_status"] == "differs"


@pytest.mark.book
def test_the_built_map_links_every_row_to_an_existing_section(table) -> None:
    page = HTML / "book" / "argument_map.html"
    if not page.is_file():
        pytest.fail(f"{page} is missing: run `make book` first", pytrace=False)
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    rows = soup.select("table.argument-map tbody tr")
    assert len(rows) == len(table)
    hrefs = [row.find("a")["href"] for row in rows]
    assert hrefs == [arguments.href(r.page, r.anchor) for r in table.itertuples()]
    broken = [line for line in scan(HTML).broken if line.startswith("book/argument_map.html")]
    assert not broken, broken
    assert all(re.fullmatch(r"[^#]+\.html#[a-z0-9-]+", href) for href in hrefs)
