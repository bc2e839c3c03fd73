"""A chapter is read as an argument on a laptop: its main chart within the first two screens, its
last section what the findings mean for the briefing.

Each chapter of the built book is opened in Debian's Chromium at the laptop viewport (1280x900,
:data:`maintainer.site.VIEWPORTS`), every image decoded and the fonts loaded, and measured as a
reader sees it:

- the main figure, the first chart figure of the page (a ``<figure>`` holding a chart image, the
  static copy of a toggle's first pane included), starts less than two laptop screens (1800 px)
  from the top of the page: title, lead and main chart before any method, table or definition;
- the last top-level section (``h2``) is titled "What it means for the briefing's argument" and
  states numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from maintainer.site import CHAPTERS, VIEWPORTS, settle

pytestmark = [pytest.mark.browser, pytest.mark.book]

LAPTOP = VIEWPORTS["laptop"]
TWO_SCREENS = 2 * LAPTOP["viewport"]["height"]  # 1800 px
CLOSING = "What it means for the briefing's argument"

# The first chart figure shown (a figure whose image is drawn, not hidden in a closed pane), its top
# edge in page pixels; null when the page shows none.
MAIN_FIGURE_TOP = """() => {
  const shown = [...document.querySelectorAll('article figure')]
    .filter(f => f.querySelector('img, picture') && f.getClientRects().length
                 && f.getBoundingClientRect().height > 0);
  return shown.length ? Math.round(shown[0].getBoundingClientRect().top + window.scrollY) : null;
}"""

# Every h2 of the article, its heading text without the theme's permalink sign, and the text of
# its section.
SECTIONS = """() => [...document.querySelectorAll('article h2')].map(h => {
  const heading = h.cloneNode(true);
  heading.querySelectorAll('.headerlink').forEach(a => a.remove());
  const section = h.closest('section');
  return {title: heading.textContent.trim(), text: section ? section.innerText : ''};
})"""


@pytest.fixture(scope="module")
def laptop(browser) -> Iterator:
    context = browser.new_context(**LAPTOP)
    context.set_default_timeout(60_000)
    yield context.new_page()
    context.close()


def _open(page, site: str, doc: str) -> None:
    page.goto(f"{site}{doc}.html", wait_until="load")
    settle(page)


@pytest.mark.parametrize("doc", CHAPTERS)
def test_main_figure_within_two_laptop_screens(laptop, site, doc: str) -> None:
    _open(laptop, site, doc)
    top = laptop.evaluate(MAIN_FIGURE_TOP)
    assert top is not None, f"{doc}: no chart figure shown"
    assert top < TWO_SCREENS, (
        f"{doc}: the main figure starts {top} px down, {top / LAPTOP['viewport']['height']:.1f} laptop screens; "
        f"it must start within the first two ({TWO_SCREENS} px)"
    )


@pytest.mark.parametrize("doc", CHAPTERS)
def test_ends_on_what_it_means_for_the_briefing(laptop, site, doc: str) -> None:
    _open(laptop, site, doc)
    sections = laptop.evaluate(SECTIONS)
    assert sections, f"{doc}: no section"
    last = sections[-1]
    title = last["title"].replace("\u2019", "'")  # the theme's typographic apostrophe
    assert title == CLOSING, f"{doc}: the last section is {title!r}, not {CLOSING!r}"
    body = last["text"].split("\n", 1)[-1]
    assert re.search(r"\d", body), f"{doc}: the closing section states no number: {body[:200]!r}"
