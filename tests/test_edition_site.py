"""Every page of the built site shows its edition and its citation (``book/_ext/edition.py``).

In the built HTML: every page of ``_toc.yml`` carries the footer's edition line (version and
date of CITATION.cff, links to the PDFs that exist, to "What changed") and a "Cite this page"
block citing that page by its title, in the common style, BibTeX and RIS, then the whole book.
In Chromium at a desktop (1280 x 900) and a phone (390 x 844) size, a chapter's citation and
footer line are visible, within the viewport's width, and the BibTeX opens from the keyboard.
"""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from maintainer.edition import Citation, read_edition
from maintainer.paths import HTML
from maintainer.site import CHAPTERS, PAGES, offline_context

EDITION = read_edition()


def _soup(doc: str) -> BeautifulSoup:
    path = HTML / f"{doc}.html"
    if not path.is_file():
        pytest.fail(f"{path} is missing: build the book first with `make book`", pytrace=False)
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.mark.book
@pytest.mark.parametrize("doc", PAGES)
def test_every_page_shows_its_edition_and_citation(doc: str) -> None:
    soup = _soup(doc)
    line = soup.select_one("footer .edition-line")
    assert line is not None, f"{doc}: no edition line in the footer"
    assert f"Edition {EDITION.version}, {EDITION.date_text}" in line.get_text(" ")
    for link in line.find_all("a"):
        href = link["href"].split("#")[0]
        if href:
            assert (HTML / doc).parent.joinpath(href).resolve().is_file(), f"{doc}: footer links to missing {href}"
    block = soup.select_one("article #cite-this-page, .bd-article #cite-this-page")
    assert block is not None, f"{doc}: no 'Cite this page' block in the article"
    title = soup.select_one(".bd-article h1").get_text(" ").replace("#", "").strip()
    texts = [" ".join(p.get_text(" ").split()) for p in block.select(".edition-cite-text")]
    book = " ".join(Citation(EDITION).text().split())
    assert texts[-1] == book, f"{doc}: the book's citation reads {texts[-1]!r}"
    if doc != PAGES[0]:
        chapter = Citation(EDITION, " ".join(title.split()), f"{doc}.html")
        assert texts[0] == " ".join(chapter.text().split()), f"{doc}: {texts[0]!r}"
        assert block.select_one(".edition-bibtex").get_text() == chapter.bibtex()
        assert block.select_one(".edition-ris").get_text() == chapter.ris()
        assert f"edition = {{{EDITION.version}}}" in chapter.bibtex() and f"ET  - {EDITION.version}" in chapter.ris()


@pytest.mark.book
def test_citation_is_escaped_in_the_page() -> None:
    """The BibTeX in the HTML source is escaped text (a title's quotes and ampersands stay data)."""
    doc = CHAPTERS[0]
    raw = (HTML / f"{doc}.html").read_text(encoding="utf-8")
    soup = _soup(doc)
    bibtex = soup.select_one(".edition-bibtex").get_text()
    assert html.escape(bibtex) in raw


@pytest.mark.parametrize("size", [(1280, 900), (390, 844)], ids=["desktop", "phone"])
def test_chapter_citation_seen_in_chromium(browser, site, size: tuple[int, int], tmp_path: Path) -> None:
    context = offline_context(browser, {"width": size[0], "height": size[1]})
    try:
        page = context.new_page()
        page.goto(f"{site}{CHAPTERS[0]}.html", wait_until="load")
        block = page.locator("#cite-this-page")
        block.scroll_into_view_if_needed()
        assert block.is_visible()
        assert f"edition {EDITION.version}, {EDITION.date_text}" in block.inner_text()
        box = block.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= size[0] + 0.5, box
        assert page.evaluate("() => document.documentElement.scrollWidth") <= size[0]
        page.screenshot(path=str(tmp_path / "cite.png"))
        summary = block.locator("summary").first
        summary.focus()
        page.keyboard.press("Enter")
        assert block.locator(".edition-bibtex").first.is_visible()
        line = page.locator("footer .edition-line")
        line.scroll_into_view_if_needed()
        assert line.is_visible() and EDITION.version in line.inner_text()
        page.screenshot(path=str(tmp_path / "footer.png"))
        print(f"screenshots: {tmp_path}")
    finally:
        context.close()
