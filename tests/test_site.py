"""Browser tests of the built site: every page of the table of contents, in Chromium.

The built book (``_build/html``, made by ``make book``) is served on 127.0.0.1 and driven
with Playwright and Debian's chromium. Nothing leaves the machine: every request to another
host is recorded, aborted and reported as a failure. The widget toggles are exercised with
no kernel at all, as a reader of the static site meets them.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
import yaml

from maintainer.site import CHAPTERS, HOST, HTML, PAGES, ROOT, TOGGLE, has_widgets, tab_to, wait_for_widgets

pytestmark = pytest.mark.browser

LOCAL_SCHEMES = {"data", "blob", "about"}  # never leave the page, whatever their "host"
TIMEOUT_MS = 30_000

# The site is served by the ``site`` fixture and Chromium launched by ``browser``
# (tests/conftest.py); paths, pages and Chromium's flags come from maintainer/site.py.


@dataclass
class Visit:
    """A page opened in a fresh browser context, with what happened while it loaded."""

    page: object
    status: int | None = None
    requests: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    bad_responses: list[str] = field(default_factory=list)


def _is_foreign(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme not in LOCAL_SCHEMES and parts.hostname != HOST


@pytest.fixture
def open_page(browser, site) -> Iterator[Callable[[str], Visit]]:
    """Open a TOC document by name; widgets, if any, are rendered when this returns."""
    contexts = []

    def _open(doc: str) -> Visit:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        context.set_default_timeout(TIMEOUT_MS)
        visit = Visit(page=None)

        def on_request(request) -> None:
            visit.requests.append(request.url)
            if _is_foreign(request.url):
                visit.foreign.append(request.url)

        def on_response(response) -> None:
            if response.status >= 400:
                visit.bad_responses.append(f"{response.status} {response.url}")

        def route(route) -> None:
            if _is_foreign(route.request.url):
                route.abort("blockedbyclient")
            else:
                route.continue_()

        def on_console(message) -> None:
            if message.type == "error":
                where = (message.location or {}).get("url", "")
                visit.console_errors.append(f"{message.text} ({where})")

        context.on("request", on_request)
        context.on("response", on_response)
        context.route("**/*", route)
        context.add_init_script(HELPERS_JS)
        page = visit.page = context.new_page()
        page.on("console", on_console)
        page.on("pageerror", lambda error: visit.page_errors.append(str(error)))

        response = page.goto(site + f"{doc}.html", wait_until="load")
        visit.status = response.status if response else None
        if has_widgets(doc):
            wait_for_widgets(page)
        # every image and web font has arrived (a fixed idle wait would only slow tests down)
        page.wait_for_function(
            "() => [...document.images].every(img => img.complete) && document.fonts.status === 'loaded'"
        )
        return visit

    yield _open
    for context in contexts:
        context.close()


# --------------------------------------------------------------------------- page helpers

# Page-side helpers, installed in every test page before its scripts run.
# A widget root is a rendered widget view holding toggle groups. Its visible pane is
# everything visible in the root except the toggle groups: ipywidgets' Stack renders only
# the selected child, and images carry their PNG inline, so the markup identifies the pane.
HELPERS_JS = """
window.__site = {
    roots() {
        return [...document.querySelectorAll('.widget-subarea')]
            .filter(root => root.querySelector('.widget-toggle-buttons'));
    },
    pane(rootIndex) {
        const parts = [];
        for (const el of this.roots()[rootIndex].querySelectorAll('.widget-html-content, img')) {
            if (el.closest('.widget-toggle-buttons') || !el.checkVisibility()) continue;
            parts.push(el.tagName === 'IMG' ? 'img:' + el.src : 'html:' + el.innerHTML);
        }
        return parts.join('\\n');
    },
    images(rootIndex) {
        const scope = rootIndex === null ? document : this.roots()[rootIndex];
        return [...scope.querySelectorAll('img')].map(img => ({
            src: img.currentSrc || img.src,
            complete: img.complete,
            decoded: img.complete && img.naturalWidth > 0,
            alt: img.getAttribute('alt'),
        }));
    },
};
"""
PANE_SETTLE_MS = 5_000

FILE_NAME = re.compile(r"^[\w.\- ]+\.(png|jpe?g|gif|svg|webp|avif|bmp|ico)$", re.IGNORECASE)


def _image_problems(images: list[dict]) -> list[str]:
    problems = []
    for image in images:
        where = image["src"] if not image["src"].startswith("data:") else image["src"][:40] + "…"
        alt = (image["alt"] or "").strip()
        if not image["decoded"]:
            problems.append(f"not decoded: {where}")
        if not alt:
            problems.append(f"no alt text: {where}")
        elif FILE_NAME.match(alt):
            problems.append(f"alt text is a file name ({alt!r}): {where}")
    return problems


def _groups(page, root_index: int):
    root = page.locator(".widget-subarea").filter(has=page.locator(TOGGLE)).nth(root_index)
    return root.locator(TOGGLE)


def _visible_pane(page, root_index: int) -> str:
    return page.evaluate("(i) => window.__site.pane(i)", root_index)


def _digest(pane: str) -> str:
    """A short name for a pane's markup (images are inline PNG, far too long to print)."""
    return f"{hashlib.sha1(pane.encode()).hexdigest()[:10]} ({len(pane)} chars)"


def _wait_for_pane_change(page, root_index: int, before: str) -> str:
    """The visible pane once it differs from ``before`` (or ``before``, after a while)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(
            "([i, before]) => window.__site.pane(i) !== before", arg=[root_index, before], timeout=PANE_SETTLE_MS
        )
    except PlaywrightTimeout:
        pass  # the caller's assertion names the toggle that did not switch
    return _visible_pane(page, root_index)


def _click_option(page, root_index: int, group_index: int, option_index: int) -> str:
    """Click one option; return the visible pane once it has settled."""
    before = _visible_pane(page, root_index)
    button = _groups(page, root_index).nth(group_index).locator("button").nth(option_index)
    was_active = "mod-active" in (button.get_attribute("class") or "")
    button.click()
    page.wait_for_function("(el) => el.classList.contains('mod-active')", arg=button.element_handle())
    return before if was_active else _wait_for_pane_change(page, root_index, before)


# --------------------------------------------------------------------------- tests


def test_toc_lists_pages() -> None:
    assert PAGES[0] == yaml.safe_load((ROOT / "_toc.yml").read_text())["root"]
    assert CHAPTERS, "no chapter under notebooks/ in _toc.yml"
    for doc in PAGES:
        assert (HTML / f"{doc}.html").is_file(), f"{doc}.html missing: run `make book`"


@pytest.mark.parametrize("doc", PAGES)
def test_page_loads_clean_and_offline(open_page, doc: str) -> None:
    """HTTP 200, no console error, no uncaught exception, no request off 127.0.0.1."""
    visit = open_page(doc)
    assert visit.status == 200, f"{doc}.html answered {visit.status}"
    assert not visit.foreign, "requests to other hosts (aborted):\n" + "\n".join(visit.foreign)
    assert not visit.bad_responses, "failed responses:\n" + "\n".join(visit.bad_responses)
    assert not visit.page_errors, "uncaught errors:\n" + "\n".join(visit.page_errors)
    assert not visit.console_errors, "console errors:\n" + "\n".join(visit.console_errors)


@pytest.mark.parametrize("doc", PAGES)
def test_images_decoded_with_alt_text(open_page, doc: str) -> None:
    """Every <img> is decoded and has real alt text, in every state of every widget pane."""
    visit = open_page(doc)
    page = visit.page
    problems = _image_problems(page.evaluate("() => window.__site.images(null)"))
    for root_index in range(page.evaluate("() => window.__site.roots().length")):
        groups = _groups(page, root_index)
        sizes = [groups.nth(g).locator("button").count() for g in range(groups.count())]
        for state in itertools.product(*(range(n) for n in sizes)):
            for group_index, option_index in enumerate(state):
                _click_option(page, root_index, group_index, option_index)
            page.wait_for_function("(i) => window.__site.images(i).every(img => img.complete)", arg=root_index)
            images = page.evaluate("(i) => window.__site.images(i)", root_index)
            problems += [f"widget {root_index}, state {state}: {p}" for p in _image_problems(images)]
    assert not problems, f"{doc}:\n" + "\n".join(dict.fromkeys(problems))


WIDGET_PAGES = [doc for doc in PAGES if has_widgets(doc)]


@pytest.mark.parametrize("doc", WIDGET_PAGES or [pytest.param("none", marks=pytest.mark.skip)])
def test_every_toggle_switches_without_kernel(open_page, doc: str) -> None:
    """For every toggle group, each option in turn shows a different visible pane."""
    visit = open_page(doc)
    page = visit.page
    roots = page.evaluate("() => window.__site.roots().length")
    assert roots, f"{doc}: widget views saved, but no toggle rendered"
    checked = 0
    for root_index in range(roots):
        groups = _groups(page, root_index)
        for group_index in range(groups.count()):
            buttons = groups.nth(group_index).locator("button")
            assert buttons.count() >= 2, f"{doc}: toggle group with fewer than two options"
            panes = [_click_option(page, root_index, group_index, option) for option in range(buttons.count())]
            name = f"{doc}: toggle {root_index}.{group_index}"
            assert all(panes), f"{name} shows an empty pane"
            digests = [_digest(pane) for pane in panes]
            assert len(set(digests)) == len(digests), f"{name} shows the same pane for two options: {digests}"
            checked += 1
    assert checked
    assert not visit.page_errors and not visit.console_errors, visit.page_errors + visit.console_errors
    assert not visit.foreign, visit.foreign


@pytest.mark.parametrize("doc", WIDGET_PAGES or [pytest.param("none", marks=pytest.mark.skip)])
def test_toggle_works_with_keyboard_only(open_page, doc: str) -> None:
    """From the top of the page, Tab reaches a toggle; Enter and Space switch the pane."""
    page = open_page(doc).page
    page.evaluate("() => { window.scrollTo(0, 0); document.activeElement?.blur(); }")
    in_toggle = "() => !!document.activeElement?.closest('.widget-toggle-buttons')"
    if not tab_to(page, ".widget-toggle-buttons"):
        pytest.fail(f"{doc}: 1000 presses of Tab never reached a toggle button")

    root_index = page.evaluate("() => window.__site.roots().findIndex(r => r.contains(document.activeElement))")
    focused_active = "() => document.activeElement.classList.contains('mod-active')"
    first = _visible_pane(page, root_index)
    if page.evaluate(focused_active):  # the shown option: Tab on to the next one
        page.keyboard.press("Tab")
        assert page.evaluate(in_toggle), f"{doc}: Tab left the toggle after its first option"
        assert not page.evaluate(focused_active)

    page.keyboard.press("Enter")
    page.wait_for_function(focused_active)
    second = _wait_for_pane_change(page, root_index, first)
    assert _digest(second) != _digest(first), f"{doc}: Enter on a toggle did not change the pane"

    page.keyboard.press("Shift+Tab")
    assert page.evaluate(in_toggle), f"{doc}: Shift+Tab left the toggle"
    assert not page.evaluate(focused_active)
    page.keyboard.press("Space")
    page.wait_for_function(focused_active)
    third = _wait_for_pane_change(page, root_index, second)
    assert _digest(third) != _digest(second), f"{doc}: Space on a toggle did not change the pane"
    assert _digest(third) == _digest(first), f"{doc}: back on the first option, another pane"


def _binder_base() -> tuple[str, str, str, str]:
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    repository = config["repository"]
    parts = urlsplit(repository["url"])
    assert parts.hostname == "github.com", f"repository.url is not on GitHub: {parts}"
    org, repo = parts.path.strip("/").removesuffix(".git").split("/")[:2]
    hub = (config.get("launch_buttons", {}).get("binderhub_url") or "").rstrip("/")
    return hub, org, repo, repository.get("branch", "main")


@pytest.mark.parametrize("doc", CHAPTERS)
def test_binder_link_points_at_this_notebook(open_page, doc: str) -> None:
    """The launch button opens this chapter's notebook on Binder, from _config.yml."""
    hub, org, repo, branch = _binder_base()
    assert hub == "https://mybinder.org", f"launch_buttons.binderhub_url is {hub!r}"
    assert (ROOT / f"{doc}.ipynb").is_file()
    expected = f"{hub}/v2/gh/{org}/{repo}/{branch}?urlpath=lab/tree/{doc}.ipynb"
    links = open_page(doc).page.eval_on_selector_all(
        "a[href*='mybinder.org'], a[href*='/v2/gh/']", "links => links.map(a => a.href)"
    )
    assert links, f"{doc}: no Binder launch link"
    assert set(links) == {expected}, f"{doc}: Binder links {links}, expected {expected}"


@pytest.mark.parametrize("doc", PAGES)
def test_accessibility_axe(open_page, doc: str) -> None:
    """axe-core: no serious or critical violation; the rest is printed."""
    from axe_playwright_python.sync_playwright import Axe

    page = open_page(doc).page
    violations = Axe().run(page).response["violations"]
    blocking = [v for v in violations if v.get("impact") in ("serious", "critical")]
    for violation in violations:
        if violation not in blocking:
            targets = [node["target"] for node in violation["nodes"][:3]]
            print(
                f"{doc}: axe {violation['impact']} {violation['id']}: "
                f"{violation['help']} ({len(violation['nodes'])} nodes, e.g. {targets})"
            )
    assert not blocking, "\n".join(
        f"{v['impact']} {v['id']}: {v['help']} — " + "; ".join(str(node["target"]) for node in v["nodes"][:5])
        for v in blocking
    )
