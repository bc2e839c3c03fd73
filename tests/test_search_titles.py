"""Titles from data reach the search results as text, never as markup.

A copy of ``data/`` gets a resource title with markup in it; the "Data and sources" page is
generated from it (:mod:`maintainer.data_page`) and built, with the site's templates and page
extensions, into tmp. Sphinx 7's search page writes each result's title with ``innerHTML``, so
Chromium opens the search page for that title and must show the title's characters and run
nothing. The real ``data/`` and ``_build/html`` are only read.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from data_copies import build_data_page

from maintainer.site import serve

pytestmark = [pytest.mark.slow]

# Sphinx lists a section title when the query is part of it and at least half its length
QUERY = "Resource title with markup that must stay text in the search results of this book"
HOSTILE = QUERY + " <img src=x onerror=alert(document.domain) id=hostile-title>"
# the site's own search templates and the extensions that shape its pages and index
EXTENSIONS = ("drop_thebe", "page_fixes", "lean_assets", "first_paint")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The data page of a copy of data/ whose first resource has a hostile title, built into tmp."""

    def hostile_title(descriptor: dict) -> dict:
        descriptor["resources"][0]["title"] = HOSTILE
        return descriptor

    return build_data_page(tmp_path_factory.mktemp("search-titles"), hostile_title, "search titles", EXTENSIONS)


def test_index_holds_titles_as_text(built: Path) -> None:
    """The index stores the section title HTML-escaped: the search page's innerHTML shows it."""
    index = (built / "searchindex.js").read_text(encoding="utf-8")
    assert HOSTILE not in index
    assert HOSTILE.replace("<", "&lt;").replace(">", "&gt;") in index


@pytest.mark.browser
def test_search_result_shows_the_title_and_runs_nothing(browser, built: Path) -> None:
    server, base = serve(built)
    page = browser.new_page()
    dialogs: list[str] = []
    errors: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{base}search.html?q={quote(QUERY)}", wait_until="load")
        page.wait_for_function("() => document.querySelectorAll('#search-results ul.search > li').length")
        page.wait_for_timeout(500)  # give an onerror handler the chance to fire
        titles = page.eval_on_selector_all("#search-results ul.search > li > a", "as => as.map(a => a.textContent)")
        assert any(HOSTILE in title for title in titles), titles
        assert dialogs == [], f"a title ran script: {dialogs}"
        assert page.locator('#hostile-title, img[src="x"]').count() == 0
        assert errors == []
    finally:
        page.close()
        server.shutdown()
        server.server_close()
