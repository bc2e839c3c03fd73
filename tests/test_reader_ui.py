"""The built site as a reader uses it on a laptop (1280x900) and a phone (390x844, device
scale 2, touch): search, wide tables, dark mode, stable scrolling, the page furniture.

Every test runs in Debian's chromium against the built book served on 127.0.0.1
(``make book`` first); the viewports are :data:`maintainer.site.VIEWPORTS`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from maintainer.site import PAGES, VIEWPORTS, page_growth, settle, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.book]

SIZES = list(VIEWPORTS)
QUERIES = ["laissez-passer", "Eritrea", "projectization"]
TABLE_PAGES = ["book/claims_ledger", "book/argument_map", "notebooks/07_since_2016"]
MAX_GROWTH_PCT = 3.0
CONTRAST = 4.5


class Reader:
    """A page opened in a fresh context of one viewport and colour scheme, with its errors."""

    def __init__(self, context, base: str) -> None:
        self.context, self.base = context, base
        self.errors: list[str] = []
        self.page = context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def open(self, path: str) -> Reader:
        self.page.goto(self.base + path, wait_until="load")
        settle(self.page)
        return self


@pytest.fixture
def reader(browser, site) -> Iterator[Callable[..., Reader]]:
    contexts = []

    def _open(size: str, path: str, scheme: str = "light") -> Reader:
        context = browser.new_context(**VIEWPORTS[size], color_scheme=scheme)
        context.set_default_timeout(30_000)
        contexts.append(context)
        return Reader(context, site).open(path)

    yield _open
    for context in contexts:
        context.close()


def _results(reader: Reader) -> list[str]:
    page = reader.page
    page.wait_for_function(
        "() => document.querySelector('#search-results p.search-summary, "
        "#search-results .search-summary') || /found|did not match/i.test("
        "document.querySelector('#search-results')?.innerText || '')"
    )
    return page.eval_on_selector_all("#search-results ul.search > li > a", "as => as.map(a => a.textContent)")


# --------------------------------------------------------------------------- search


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("query", QUERIES)
def test_search_page_finds(reader, size: str, query: str) -> None:
    """search.html?q=… lists pages for each query, with no console error."""
    visit = reader(size, f"search.html?q={query}")
    titles = _results(visit)
    assert titles, f"{size}: no result for {query!r}"
    assert not visit.errors, visit.errors


@pytest.mark.parametrize("size", SIZES)
def test_search_from_a_chapter(reader, size: str) -> None:
    """Ctrl+K on a laptop, the search icon on a phone: the box sends the query to the results."""
    visit = reader(size, "notebooks/04_different_definitions.html")
    page = visit.page
    if size == "laptop":
        page.keyboard.press("Control+k")
    else:
        page.locator(".search-button:visible, .search-button-field:visible").first.tap()
    box = page.locator(".search-button__search-container input[type=search], #pst-search-dialog input").first
    box.wait_for(state="visible")
    box.fill("Eritrea")
    box.press("Enter")
    page.wait_for_url("**/search.html?q=Eritrea*")
    assert _results(visit), f"{size}: the search box found nothing for Eritrea"
    assert not visit.errors, visit.errors


@pytest.mark.parametrize("size", SIZES)
def test_one_search_box(reader, size: str) -> None:
    """One search control in view, on a laptop and on a phone."""
    page = reader(size, "book/key_findings.html").page
    shown = page.eval_on_selector_all(
        ".search-button-field, .search-button", "els => els.filter(e => e.checkVisibility()).length"
    )
    assert shown == 1, f"{size}: {shown} search boxes or buttons in view"


# --------------------------------------------------------------------------- tables

REGIONS_JS = """() => [...document.querySelectorAll('.bd-article table')].map(table => {
    const region = table.closest('[role="region"]');
    const hint = region?.previousElementSibling;
    const width = table.style.width;
    table.style.width = 'min-content';  // the narrowest the table gets with whole words
    const minContent = table.offsetWidth;
    table.style.width = width;
    return {
        column: region ? region.clientWidth : table.parentElement.clientWidth,
        minContent,
        region: !!region,
        label: region?.getAttribute('aria-label') || '',
        tabindex: region?.getAttribute('tabindex'),
        overflow: region ? region.scrollWidth - region.clientWidth : table.offsetWidth,
        scrollable: !!region?.classList.contains('is-scrollable'),
        mask: region ? getComputedStyle(region).maskImage : 'none',
        hint: hint?.classList.contains('scroll-hint') && hint.checkVisibility() ? hint.textContent : '',
    };
})"""


@pytest.mark.parametrize("doc", PAGES)
def test_no_table_clipped_on_a_laptop(reader, doc: str) -> None:
    """At 1280 px a table fits its column whenever its words do (the ledger's long identifiers
    break); one whose whole words cannot fit (chapter 2's eleven-column matrix) shows that it
    scrolls, as on a phone. Nothing is hidden without a sign."""
    regions = reader("laptop", f"{doc}.html").page.evaluate(REGIONS_JS)
    for region in regions:
        if region["overflow"] <= 1:
            continue
        assert region["minContent"] > region["column"], (
            f"{doc}: a table wider than the column at 1280 px, though its words fit: {region}"
        )
        assert region["scrollable"] and "scroll sideways" in region["hint"].lower(), region
        assert region["mask"] != "none" and region["tabindex"] == "0", region
    if doc in TABLE_PAGES:
        assert all(r["overflow"] <= 1 for r in regions), f"{doc}: a table is clipped at 1280 px: {regions}"


@pytest.mark.parametrize("doc", TABLE_PAGES)
def test_wide_tables_show_they_scroll_on_a_phone(reader, doc: str) -> None:
    """At 390 px a table wider than the screen says so (hint, faded edge), and the keyboard reaches it."""
    page = reader("phone", f"{doc}.html").page
    regions = page.evaluate(REGIONS_JS)
    assert regions, f"{doc}: no table"
    wide = [r for r in regions if r["overflow"] > 1]
    assert wide, f"{doc}: no table is wider than a phone (the test would prove nothing)"
    for region in regions:
        assert region["region"] and region["label"] and region["tabindex"] == "0", region
    for region in wide:
        assert region["scrollable"] and "scroll sideways" in region["hint"].lower(), region
        assert region["mask"] != "none", f"{doc}: a wide table's hidden side does not fade: {region}"
    page.evaluate("() => { window.scrollTo(0, 0); document.activeElement?.blur(); }")
    assert tab_to(page, '[role="region"].is-scrollable'), f"{doc}: Tab never reaches a wide table"
    before = page.evaluate("() => document.activeElement.scrollLeft")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("(x) => document.activeElement.scrollLeft > x", arg=before)


# --------------------------------------------------------------------------- dark mode

CAPTION_CONTRAST_JS = """() => {
    const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
    const lum = ([r, g, b]) => {
        const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = el => {
        for (; el; el = el.parentElement) {
            const c = rgb(getComputedStyle(el).backgroundColor);
            if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3);
        }
        return [255, 255, 255];
    };
    return [...document.querySelectorAll('figcaption, .table-note')].filter(e => e.checkVisibility()).map(el => {
        const a = lum(rgb(getComputedStyle(el).color)), b = lum(background(el));
        return {text: el.textContent.slice(0, 60), ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)};
    });
}"""

CHART_CARDS_JS = """() => [...document.querySelectorAll('.bd-article figure img, .bd-article .cell_output img')]
    .filter(img => img.checkVisibility())
    .map(img => ({src: img.src.slice(-40), background: getComputedStyle(img).backgroundColor}))"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("doc", ["notebooks/01_why_join_the_un", "notebooks/07_since_2016", "book/key_findings"])
def test_captions_readable_and_charts_on_white(reader, doc: str, scheme: str) -> None:
    """Captions at least 4.5:1 against what is behind them; in dark, charts sit on a white card."""
    page = reader("laptop", f"{doc}.html", scheme).page
    assert page.evaluate("() => document.documentElement.dataset.theme") == scheme
    captions = page.evaluate(CAPTION_CONTRAST_JS)
    assert captions, f"{doc}: no caption"
    low = [c for c in captions if c["ratio"] < CONTRAST]
    assert not low, f"{doc} ({scheme}): captions below {CONTRAST}:1: {low[:3]}"
    if scheme == "dark":
        charts = page.evaluate(CHART_CARDS_JS)
        assert charts and all(c["background"] == "rgb(255, 255, 255)" for c in charts), charts


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("doc", PAGES)
def test_accessibility_axe_dark(reader, doc: str, size: str) -> None:
    """axe-core in the dark colour scheme: no serious or critical violation (light: test_site.py)."""
    from axe_playwright_python.sync_playwright import Axe

    page = reader(size, f"{doc}.html", "dark").page
    assert page.evaluate("() => document.documentElement.dataset.theme") == "dark"
    # the theme switches to dark after the first paint; its colours fade in over 0.15 s
    page.wait_for_function(
        "() => document.getAnimations().filter(a => a instanceof CSSTransition).every(a => a.playState === 'finished')"
    )
    violations = Axe().run(page).response["violations"]
    blocking = [v for v in violations if v.get("impact") in ("serious", "critical")]
    assert not blocking, "\n".join(
        f"{v['impact']} {v['id']}: {v['help']} — " + "; ".join(str(n["target"]) for n in v["nodes"][:5])
        for v in blocking
    )


# --------------------------------------------------------------------------- scrolling


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("doc", PAGES)
def test_page_keeps_its_height_while_scrolled(reader, doc: str, size: str) -> None:
    """Scrolled through from top to bottom, no page grows by more than a few per cent."""
    growth = page_growth(reader(size, f"{doc}.html").page)
    assert growth["growth_pct"] <= MAX_GROWTH_PCT, f"{doc} ({size}): {growth}"


def test_contents_highlight_follows_the_section(reader) -> None:
    """The "Contents" entry marked active is the section at the top of the window."""
    page = reader("laptop", "notebooks/04_different_definitions.html").page
    targets = page.eval_on_selector_all(
        "#pst-page-toc-nav a.nav-link[href^='#']", "as => as.map(a => a.getAttribute('href'))"
    )
    assert len(targets) >= 3, targets
    for href in targets:
        page.evaluate("(id) => document.getElementById(id.slice(1)).scrollIntoView({block: 'start'})", href)
        page.wait_for_timeout(400)
        active = page.eval_on_selector_all(
            "#pst-page-toc-nav a.nav-link.active, #pst-page-toc-nav li.active > a",
            "as => as.map(a => a.getAttribute('href'))",
        )
        assert active and active[-1] == href, f"section {href} in view, Contents marks {active}"


# --------------------------------------------------------------------------- furniture


@pytest.mark.parametrize("path", ["book/intro.html", "notebooks/01_why_join_the_un.html", "search.html?q=IOM"])
def test_page_furniture(reader, path: str) -> None:
    """One viewport meta tag, an icon that loads, and a footer naming the authors."""
    page = reader("laptop", path).page
    assert page.locator('meta[name="viewport"]').count() == 1
    icon = page.eval_on_selector('link[rel~="icon"]', "l => l.href")
    response = page.request.get(icon)
    assert response.ok and response.headers["content-type"].startswith("image/"), icon
    footer = page.locator(".component-author").inner_text()
    assert "Micinski" in footer and "Weiss" in footer and "iomun contributors" not in footer, footer
