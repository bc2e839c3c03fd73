"""Printing a chapter: the print stylesheet (book/_print/print.css) in headless Chromium.

Each chapter of the built site is opened with its widgets rendered, then laid out for print
(``page.emulate_media(media="print")``): the site's chrome, the toggles' buttons and the
"Show code cell source" controls are gone, and every figure a screen reader sees is still
there, kept whole. One chapter is also printed to PDF, which must hold its figure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from maintainer.site import CHAPTERS, TOGGLE, has_widgets, offline_context, wait_for_widgets

pytestmark = pytest.mark.browser

# What the print layout hides: both sidebars, the header, the article's header buttons,
# search, the toggles' buttons, the folded-code controls, previous/next links.
HIDDEN_IN_PRINT = {
    "primary sidebar": ".bd-sidebar-primary",
    "secondary sidebar": ".bd-sidebar-secondary",
    "header": ".bd-header",
    "header buttons": ".bd-header-article",
    "search": ".search-button-field, .search-button, #pst-search-dialog",
    "toggle buttons": TOGGLE,
    "show code controls": "details.hide, details.hide > summary",
    "previous/next links": ".prev-next-footer",
}
# Page-side facts: what is visible, and the figures of the article.
STATE_JS = """
(selectors) => {
    const visible = (el) => el.checkVisibility({visibilityProperty: true})
        && el.getBoundingClientRect().width > 0;
    const shown = {};
    for (const [name, selector] of Object.entries(selectors)) {
        shown[name] = [...document.querySelectorAll(selector)].filter(visible).length;
    }
    const figures = [...document.querySelectorAll('.bd-article img')].filter(visible);
    return {
        shown,
        figures: figures.map(img => ({
            alt: img.alt,
            caption: (() => {
                const caption = img.closest('figure')?.querySelector('figcaption');
                return caption && visible(caption) ? caption.textContent.trim() : '';
            })(),
            width: img.getBoundingClientRect().width,
            breakInside: getComputedStyle(img).breakInside,
        })),
    };
}
"""


@pytest.fixture
def chapter_page(browser, site) -> Iterator:
    """Open a chapter (widgets rendered) in a fresh context that never leaves 127.0.0.1."""
    context = offline_context(browser, {"width": 1280, "height": 900})

    def _open(doc: str):
        page = context.new_page()
        page.goto(f"{site}{doc}.html", wait_until="load")
        if has_widgets(doc):
            wait_for_widgets(page)
        page.wait_for_function("() => [...document.images].every(img => img.complete)")
        return page

    yield _open
    context.close()


def _state(page) -> dict:
    return page.evaluate(STATE_JS, HIDDEN_IN_PRINT)


@pytest.mark.parametrize("doc", CHAPTERS)
def test_chapter_prints_without_chrome_and_with_figures(chapter_page, doc: str) -> None:
    """In print: chrome, toggles and code controls hidden; every figure still printed, whole."""
    page = chapter_page(doc)
    screen = _state(page)
    assert screen["shown"]["primary sidebar"], f"{doc}: no sidebar on screen; selectors stale?"
    assert screen["figures"], f"{doc}: no figure on screen"
    if has_widgets(doc):
        assert screen["shown"]["toggle buttons"], f"{doc}: no toggle on screen"

    page.emulate_media(media="print")
    printed = _state(page)
    still_shown = {name: count for name, count in printed["shown"].items() if count}
    assert not still_shown, f"{doc}: shown in print: {still_shown}"
    assert [f["alt"] for f in printed["figures"]] == [f["alt"] for f in screen["figures"]], (
        f"{doc}: the figures in print differ from the default panes on screen"
    )
    for figure in printed["figures"]:
        assert figure["width"] > 100, f"{doc}: figure {figure['alt'][:60]!r} shrank in print"
        assert figure["breakInside"] == "avoid", f"{doc}: figure may split across pages"
        assert re.match(r"Figure \d+\.\d+: \S", figure["caption"]), (
            f"{doc}: figure {figure['alt'][:60]!r} prints without its number and caption: {figure['caption']!r}"
        )


def test_print_stylesheet_does_the_hiding(chapter_page) -> None:
    """Without book/_print/print.css, the toggles and the code controls would print."""
    doc = next(doc for doc in CHAPTERS if has_widgets(doc))
    page = chapter_page(doc)
    removed = page.evaluate(
        "() => [...document.querySelectorAll('link[href*=\"print.css\"]')].map(link => link.remove()).length"
    )
    assert removed == 1, f"{doc}: print.css is linked {removed} times"
    page.emulate_media(media="print")
    shown = _state(page)["shown"]
    assert shown["toggle buttons"] and shown["show code controls"], shown


def test_chapter_pdf_holds_its_figure(chapter_page) -> None:
    """Printed to PDF (A4), the first chapter keeps its toggle's default figure."""
    doc = next(doc for doc in CHAPTERS if has_widgets(doc))
    page = chapter_page(doc)
    pdf = page.pdf(format="A4", print_background=False)
    assert pdf.startswith(b"%PDF-"), "not a PDF"
    images = pdf.count(b"/Subtype /Image")
    assert images >= 1, f"{doc}: the PDF holds no image"
    caption = _state(page)["figures"][0]["caption"]
    assert caption.startswith("Figure 1.1:"), f"{doc}: the first figure's caption on the page is {caption!r}"
