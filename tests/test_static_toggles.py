"""Static copies of the toggles: they switch like the live views, and hand over to them.

Before the widget runtime arrives, a toggle's static copy switches its panes from the saved
widget state; when the live view has rendered, the reader's choices and focus move over to it
and what follows the toggle barely moves.
"""

from __future__ import annotations

import pytest

from maintainer.site import FALLBACK, PAGES, RUNTIME, has_widgets, runtime_requests, tab_to, wait_for_widgets

WIDGET_PAGES = [doc for doc in PAGES if has_widgets(doc)]


# The visible pane of a static copy or of a live view: its visible figures (by address)
# and tables (by text), the selectors left out.
PANE_JS = """
window.__pane = (scope) => [...scope.querySelectorAll('img, table')]
    .filter(el => el.checkVisibility() && !el.closest('.widget-toggle-buttons, .iomun-fallback-choice'))
    .map(el => el.tagName === 'IMG' ? 'img:' + el.getAttribute('src')
                                    : 'table:' + el.textContent.replace(/\\s+/g, ' ').trim())
    .join('\\n');
"""


def _live_pane(locator) -> str:
    return locator.evaluate("(el) => window.__pane(el)")


def _widget_context(browser, hold_runtime: list | None = None):
    """A fresh context with the pane helper; ``hold_runtime`` collects the runtime's
    requests unanswered (the test lets them through), ``[]`` given."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(PANE_JS)
    if hold_runtime is not None:
        context.route(f"**/{RUNTIME}*", lambda route: hold_runtime.append(route))
    return context


@pytest.mark.parametrize("doc", WIDGET_PAGES or [pytest.param("none", marks=pytest.mark.skip)])
def test_pointer_on_a_widget_brings_the_runtime_and_its_toggle_works(browser, site, doc: str) -> None:
    """The pointer on a static copy requests the runtime once, from this host; the live
    view then replaces the copy and its buttons switch the pane."""
    context = _widget_context(browser)
    try:
        page = context.new_page()
        page.goto(site + f"{doc}.html", wait_until="load")
        with page.expect_request(f"**/{RUNTIME}*") as request:
            wait_for_widgets(page)  # hovers the first static copy
        assert request.value.url.startswith(site)
        assert len(runtime_requests(page)) == 1, f"{doc}: the runtime was requested more than once"
        live = page.locator(f"{FALLBACK} + .widget-subarea").first
        before = _live_pane(live)
        live.locator(".widget-toggle-buttons button:not(.mod-active)").first.click()
        page.wait_for_function("([el, before]) => window.__pane(el) !== before", arg=[live.element_handle(), before])
    finally:
        context.close()


def _click_through(page, root, groups_selector: str, live: bool) -> list[str]:
    """Click every option of every selector of ``root`` in turn; the pane after each click."""
    panes = []
    groups = root.locator(groups_selector)
    for g in range(groups.count()):
        buttons = groups.nth(g).locator("button")
        for o in range(buttons.count()):
            button = buttons.nth(o)
            before = _live_pane(root)
            pressed = (
                "mod-active" in (button.get_attribute("class") or "")
                if live
                else button.get_attribute("aria-pressed") == "true"
            )
            button.click()
            if not pressed:  # the static copy switches once the saved state is in (at once if it is)
                page.wait_for_function(
                    "([el, before]) => window.__pane(el) !== before", arg=[root.element_handle(), before], timeout=5_000
                )
            panes.append(_live_pane(root))
    return panes


@pytest.mark.parametrize("doc", WIDGET_PAGES or [pytest.param("none", marks=pytest.mark.skip)])
def test_static_copy_switches_like_the_live_view(browser, site, doc: str) -> None:
    """With the runtime never delivered, each static copy's buttons switch its pane at once,
    and after every click it shows what the live view shows after the same clicks."""
    static_context, live_context = _widget_context(browser, hold_runtime=[]), _widget_context(browser)
    try:
        page = static_context.new_page()
        page.goto(site + f"{doc}.html", wait_until="load")
        fallbacks = page.locator(FALLBACK)
        static = [
            _click_through(page, fallbacks.nth(v), ".iomun-fallback-choice", live=False)
            for v in range(fallbacks.count())
        ]
        assert page.locator(".widget-subarea").count() == 0, "the runtime ran although held back"
        page = live_context.new_page()
        page.goto(site + f"{doc}.html", wait_until="load")
        wait_for_widgets(page)
        views = page.locator(f"{FALLBACK} + .widget-subarea")
        live = [_click_through(page, views.nth(v), ".widget-toggle-buttons", live=True) for v in range(views.count())]
    finally:
        static_context.close()
        live_context.close()
    for v, (static_panes, live_panes) in enumerate(zip(static, live, strict=True)):
        assert all(static_panes), f"{doc}: static copy {v} shows an empty pane"
        assert len(set(static_panes)) > 1, f"{doc}: static copy {v} never changes its pane"
        assert static_panes == live_panes, f"{doc}: static copy {v} differs from its live view"


@pytest.mark.parametrize("doc", WIDGET_PAGES[:1] or [pytest.param("none", marks=pytest.mark.skip)])
def test_a_static_button_presses_at_once_and_its_pane_follows_the_saved_state(browser, site, doc: str) -> None:
    """While the page's saved widget state is still on its way, a click presses the button;
    the pane switches when the state arrives."""
    held_state: list = []
    context = _widget_context(browser, hold_runtime=[])
    context.route("**/_widget_state/**", lambda route: held_state.append(route))
    try:
        page = context.new_page()
        page.goto(site + f"{doc}.html", wait_until="load")
        copy = page.locator(FALLBACK).first
        buttons = copy.locator(".iomun-fallback-choice").first.locator("button")
        button = buttons.nth(
            [buttons.nth(i).get_attribute("aria-pressed") for i in range(buttons.count())].index("false")
        )
        before = _live_pane(copy)
        button.click()
        assert button.get_attribute("aria-pressed") == "true", f"{doc}: the click did not press the button"
        assert _live_pane(copy) == before and held_state, f"{doc}: the pane changed without the saved state"
        for route in held_state:
            route.continue_()
        page.wait_for_function(
            "([el, before]) => window.__pane(el) !== before", arg=[copy.element_handle(), before], timeout=5_000
        )
    finally:
        context.close()


@pytest.mark.parametrize("doc", WIDGET_PAGES or [pytest.param("none", marks=pytest.mark.skip)])
def test_keyboard_switches_the_static_copy_and_the_live_view_keeps_choice_and_focus(browser, site, doc: str) -> None:
    """Tab reaches a static copy's button and Enter switches its pane before the runtime
    has arrived; once it has, the live view shows that choice and its button has the focus."""
    held: list = []
    context = _widget_context(browser, hold_runtime=held)
    try:
        page = context.new_page()
        page.goto(site + f"{doc}.html", wait_until="load")
        in_copy = "() => !!document.activeElement?.closest('.iomun-fallback-choice')"
        if not tab_to(page, ".iomun-fallback-choice"):
            pytest.fail(f"{doc}: 1000 presses of Tab never reached a static toggle button")
        pressed = "() => document.activeElement.getAttribute('aria-pressed') === 'true'"
        if page.evaluate(pressed):
            page.keyboard.press("Tab")
            assert page.evaluate(in_copy), f"{doc}: Tab left the static toggle after its first option"
        copy = page.locator(FALLBACK).filter(has=page.locator(":focus"))
        before = _live_pane(copy)
        label = page.evaluate("() => document.activeElement.textContent")
        page.keyboard.press("Enter")
        assert page.evaluate(pressed), f"{doc}: Enter did not press the static button at once"
        page.wait_for_function(
            "([el, before]) => window.__pane(el) !== before", arg=[copy.element_handle(), before], timeout=5_000
        )
        chosen = _live_pane(copy)
        for _ in range(100):  # the focus asked for the runtime: wait for that request
            if held:
                break
            page.wait_for_timeout(50)
        assert held, f"{doc}: focusing a static toggle did not request the runtime"
        for route in held:
            route.continue_()
        wait_for_widgets(page)
        focus = page.evaluate("""() => ({live: !!document.activeElement.closest('.widget-toggle-buttons'),
            active: document.activeElement.classList.contains('mod-active'),
            label: document.activeElement.textContent})""")
        assert focus == {"live": True, "active": True, "label": label}, f"{doc}: focus after hand-over {focus}"
        live = page.locator(".widget-subarea").filter(has=page.locator(":focus"))
        assert _live_pane(live) == chosen, f"{doc}: the live view does not show the reader's choice"
    finally:
        context.close()


# Where the content after each static copy starts, in page coordinates.
FOLLOWING_JS = """(sel) => [...document.querySelectorAll(sel)].map(f => {
    const after = f.closest('.cell')?.nextElementSibling;
    return after ? after.getBoundingClientRect().top + window.scrollY : null;
})"""
MAX_SHIFT_PX = 12


@pytest.mark.parametrize("width", [412, 1280])
@pytest.mark.parametrize("doc", WIDGET_PAGES or [pytest.param("none", marks=pytest.mark.skip)])
def test_hand_over_barely_moves_the_page(browser, site, doc: str, width: int) -> None:
    """The live view takes the static copy's place at (almost) its height: what follows a
    toggle moves by a few pixels at most, on a phone and on a desktop."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        page.goto(site + f"{doc}.html", wait_until="load")
        # every section laid out, not left to content-visibility's estimate
        page.add_style_tag(content="section { content-visibility: visible !important; }")
        page.wait_for_function("() => [...document.images].every(i => i.complete)")
        before = page.evaluate(FOLLOWING_JS, FALLBACK)
        wait_for_widgets(page)
        page.wait_for_function("() => [...document.images].every(i => i.complete)")
        after = page.evaluate(FOLLOWING_JS, FALLBACK)
    finally:
        context.close()
    shifts = [round(a - b) for a, b in zip(after, before, strict=True) if a is not None and b is not None]
    assert all(abs(shift) <= MAX_SHIFT_PX for shift in shifts), f"{doc} at {width} px: content moved {shifts} px"
