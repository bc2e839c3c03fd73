"""What the tests of the built site and the benchmark share: its pages, Chromium's settings, a quiet server.

The fixtures that serve the site and launch the browser (``site``, ``browser``) live in
``tests/conftest.py`` and use these; ``benchmarks/run.py`` uses the same.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
from pathlib import Path

import yaml

from .paths import HTML, ROOT

CHROMIUM_NAMES = ("chromium", "chromium-browser")  # Debian's name, then Ubuntu's
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HOST = "127.0.0.1"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
TOGGLE = ".widget-toggle-buttons"
FALLBACK = ".iomun-fallback"  # the static copy of a widget view (book/_ext/first_paint.py)
RUNTIME = "widgets/embed.js"  # the widget runtime, requested only when a reader turns to a widget
# Where the book is read: a laptop's window and a phone (390 CSS px, device scale 2, touch).
VIEWPORTS: dict[str, dict] = {
    "laptop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files without logging every request (the test and benchmark output stays readable)."""

    def log_message(self, *args: object) -> None:
        pass


def serve(
    directory: Path, handler_class: type[QuietHandler] = QuietHandler
) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve ``directory`` on 127.0.0.1 at a free port from a daemon thread; return the server and its URL.

    The caller stops it with ``server.shutdown()`` and ``server.server_close()``.
    """
    handler = functools.partial(handler_class, directory=str(directory))
    server = http.server.ThreadingHTTPServer((HOST, 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://{HOST}:{server.server_address[1]}/"


def offline_context(browser, viewport: dict[str, int], **options: object):
    """A browser context that reaches only this machine's stand-in server (127.0.0.1) and data URIs:
    every other request is refused, so a page that needs another host fails visibly."""
    context = browser.new_context(viewport=viewport, **options)
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(("data:", f"http://{HOST}:"))
            else route.abort("blockedbyclient")
        ),
    )
    return context


def chromium_path() -> str | None:
    """The one Chromium executable to launch: the first of :data:`CHROMIUM_NAMES` on PATH, or None."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def toc_documents(toc_path: Path = ROOT / "_toc.yml") -> list[str]:
    """Every document of ``_toc.yml``: the root, then parts, chapters and sections in order."""
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    documents = [toc["root"]]

    def walk(entries: list[dict]) -> None:
        for entry in entries or []:
            if "file" in entry:
                documents.append(entry["file"])
            for key in ("parts", "chapters", "sections"):
                walk(entry.get(key, []))

    walk([{key: toc[key]} for key in ("parts", "chapters", "sections") if key in toc])
    return [re.sub(r"\.(md|ipynb)$", "", doc) for doc in documents]


PAGES = toc_documents()
CHAPTERS = [doc for doc in PAGES if doc.startswith("notebooks/")]


def has_widgets(doc: str, html: Path = HTML) -> bool:
    """Whether the built page of ``doc`` carries saved widget views."""
    page = html / f"{doc}.html"
    return page.is_file() and WIDGET_VIEW in page.read_text(encoding="utf-8")


def wait_for_widgets(page) -> None:
    """Bring the widget runtime in as a reader does (the pointer on a widget's static copy;
    the page never loads it by itself), then wait until it rendered every saved view and
    each static copy handed over to its live view."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    waiting = page.locator(f"{FALLBACK}:not(.iomun-replaced)")
    if waiting.count():
        try:
            waiting.first.hover(timeout=5_000)
        except PlaywrightTimeout:
            pass  # handed over meanwhile (the runtime was already on its way)
    page.wait_for_selector(TOGGLE)
    page.wait_for_function(
        """([mime, fallback]) => document.querySelectorAll(`script[type="${mime}"]`).length
                    <= document.querySelectorAll('.widget-subarea').length
                && [...document.querySelectorAll(fallback)].every(f => f.classList.contains('iomun-replaced'))""",
        arg=[WIDGET_VIEW, FALLBACK],
    )


def settle(page) -> None:
    """Wait until every image of ``page`` is decoded and its web fonts have arrived."""
    page.wait_for_function(
        "() => [...document.images].every(img => img.complete) && document.fonts.status === 'loaded'"
    )


# Runs in the page: its height on load, then scrolled through to the bottom a screen at a
# time (80 % of the window, a pause at each step for lazy images and layout), then at the end.
GROWTH_JS = """
async () => {
    const height = () => document.documentElement.scrollHeight;
    const pause = () => new Promise(resolve => setTimeout(() => requestAnimationFrame(resolve), 60));
    window.scrollTo(0, 0);
    await pause();
    const before = height();
    let y = 0, steps = 0;
    while (y + innerHeight < height() && steps < 400) {
        y += Math.round(innerHeight * 0.8);
        window.scrollTo(0, y);
        steps += 1;
        await pause();
    }
    await pause();
    const after = height();
    window.scrollTo(0, 0);
    return {before, after, steps};
}
"""


def page_growth(page) -> dict:
    """How much ``page`` grows while a reader scrolls through it: heights in CSS px and growth in %."""
    found = page.evaluate(GROWTH_JS)
    return {**found, "growth_pct": round(100 * (found["after"] - found["before"]) / found["before"], 2)}


def runtime_requests(page) -> list[float]:
    """When (ms after navigation) ``page`` requested the widget runtime, one entry per request."""
    return page.evaluate(
        "(name) => performance.getEntriesByType('resource').filter(e => e.name.includes(name)).map(e => e.startTime)",
        RUNTIME,
    )


def tab_to(page, selector: str, presses: int = 1000) -> bool:
    """Press Tab until keyboard focus is inside ``selector``, as a keyboard reader would; whether it got there."""
    inside = f"() => !!document.activeElement?.closest({selector!r})"
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate(inside):
            return True
    return False
