"""(d) each chapter page's transfer size, (e) a toggle's click-to-repaint and (g) each page's
growth while scrolled through, in Chromium."""

from __future__ import annotations

import gzip
import statistics
from pathlib import Path

from settings import MB, chromium, is_foreign, log

from maintainer.site import CHROMIUM_ARGS, VIEWPORTS, WIDGET_VIEW, page_growth, serve, settle, wait_for_widgets

TOGGLE_CLICKS = 21
RUNTIME = "widgets/embed.js"


def _settle(page) -> None:
    page.wait_for_function(
        "() => [...document.images].every(img => img.complete) && document.fonts.status === 'loaded'"
    )
    page.wait_for_timeout(500)  # late requests (fonts, icons) still arrive


def _open(browser, url: str, interact: bool = True, block_runtime: bool = False):
    """A fresh context (empty cache) with every off-machine request aborted; with
    ``interact``, the pointer on a widget brings the runtime in, as a reader's does."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route(
        "**/*",
        lambda route: (
            route.abort()
            if is_foreign(route.request.url) or (block_runtime and RUNTIME in route.request.url)
            else route.continue_()
        ),
    )
    page = context.new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(url, wait_until="load")
    if interact and page.locator(f'script[type="{WIDGET_VIEW}"]').count():
        wait_for_widgets(page)
    _settle(page)
    return context, page, responses


def _sizes(responses: list, base: str) -> dict:
    raw = gz = 0
    assets = []
    for response in responses:
        try:
            body = response.body()
        except Exception:  # redirects and aborted requests carry no body
            continue
        packed = len(gzip.compress(body, compresslevel=6))
        raw += len(body)
        gz += packed
        assets.append({"url": response.url.removeprefix(base), "bytes": len(body), "gzip": packed})
    assets.sort(key=lambda asset: -asset["gzip"])
    return {"requests": len(assets), "raw_bytes": raw, "gzip_bytes": gz, "largest": assets[:5]}


def transfer_size(browser, base: str, doc: str) -> dict:
    """What a first visit transfers, then with the widget runtime a reader's use brings in."""
    context, page, responses = _open(browser, f"{base}{doc}.html", interact=False)
    on_load = _sizes(list(responses), base)
    if page.locator(f'script[type="{WIDGET_VIEW}"]').count():
        wait_for_widgets(page)
        _settle(page)
    total = _sizes(responses, base)
    context.close()
    return {**total, "on_load_gzip_bytes": on_load["gzip_bytes"], "on_load_requests": on_load["requests"]}


# Runs in the page: click the next option of the first toggle group, clicks times; for each,
# time from click() to the next animation frame after the visible pane changed (the pane's
# visible elements are replaced: ipywidgets' Stack renders only the selected child). Also,
# for information, to the next frame after the new pane's images are decoded.
TOGGLE_JS = """
async ([clicks, kind]) => {
    const live = kind === 'live';
    const groups = live ? '.widget-toggle-buttons' : '.iomun-fallback-choice';
    const isActive = b => live ? b.classList.contains('mod-active') : b.getAttribute('aria-pressed') === 'true';
    const root = [...document.querySelectorAll(live ? '.widget-subarea' : '.iomun-fallback')]
        .find(r => r.querySelector(groups));
    const group = root.querySelector(groups);
    const buttons = [...group.querySelectorAll('button')];
    const visible = () => [...root.querySelectorAll('.widget-html-content, img, table')]
        .filter(el => !el.closest(groups) && el.checkVisibility());
    const same = (a, b) => a.length === b.length && a.every((el, i) => el === b[i]);
    const frame = () => new Promise(resolve => requestAnimationFrame(resolve));
    const repaint = [], decoded = [];
    for (let i = 0; i < clicks; i++) {
        await frame(); await frame();  // start from a quiet page
        const active = buttons.findIndex(isActive);
        const target = buttons[(active + 1) % buttons.length];
        const before = visible();
        let t0 = 0;
        const painted = await new Promise((resolve, reject) => {
            let done = false;
            const finish = () => {
                if (done || same(visible(), before)) return;
                done = true;
                observer.disconnect();
                requestAnimationFrame(() => resolve(performance.now()));
            };
            const observer = new MutationObserver(finish);
            observer.observe(root, {subtree: true, childList: true, attributes: true});
            setTimeout(() => done || reject(new Error('the pane did not change')), 5000);
            t0 = performance.now();
            target.click();
            finish();  // the switch may be synchronous
        });
        repaint.push(painted - t0);
        const images = visible().filter(el => el.tagName === 'IMG');
        await Promise.all(images.map(img => img.decode().catch(() => null)));
        await frame();
        decoded.push(performance.now() - t0);
    }
    return {
        label: (live ? group.querySelector('.widget-label') : group.querySelector('span'))?.textContent || '',
        options: buttons.map(b => b.textContent),
        repaint, decoded,
    };
}
"""


def toggle_repaint(browser, base: str, docs: list[str], html: Path, kind: str = "live") -> dict:
    """Click-to-repaint of the first toggle: ``live`` (the runtime's view) or ``static``
    (its copy, the runtime held back)."""
    doc = next((d for d in docs if WIDGET_VIEW in (html / f"{d}.html").read_text("utf-8")), None)
    if doc is None:
        return {"page": None, "median_ms": None, "note": "no chapter page has a toggle"}
    static = kind == "static"
    context, page, _ = _open(browser, f"{base}{doc}.html", interact=not static, block_runtime=static)
    result = page.evaluate(TOGGLE_JS, [TOGGLE_CLICKS, kind])
    context.close()
    return {
        "page": doc,
        "kind": kind,
        "toggle": result["label"].strip(),
        "options": result["options"],
        "clicks": len(result["repaint"]),
        "median_ms": round(statistics.median(result["repaint"]), 1),
        "max_ms": round(max(result["repaint"]), 1),
        "median_ms_until_images_decoded": round(statistics.median(result["decoded"]), 1),
        "samples_ms": [round(value, 1) for value in result["repaint"]],
    }


def browser_measures(html: Path, docs: list[str]) -> tuple[dict, dict, dict]:
    executable = chromium()
    from playwright.sync_api import sync_playwright

    server, base = serve(html)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            sizes = {}
            for doc in docs:
                sizes[doc] = transfer_size(browser, base, doc)
                log(f"{doc}: {sizes[doc]['gzip_bytes'] / MB:.2f} MB gzipped, {sizes[doc]['requests']} responses")
            toggle = toggle_repaint(browser, base, docs, html)
            log(f"toggle: median {toggle['median_ms']} ms on {toggle['page']}")
            static = toggle_repaint(browser, base, docs, html, kind="static")
            log(f"static toggle: median {static['median_ms']} ms on {static['page']}")
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return sizes, toggle, static


def growth_measures(html: Path, docs: list[str]) -> dict:
    """(g) Every page's height on load and once scrolled through to the bottom, on a laptop
    and on a phone (:data:`maintainer.site.VIEWPORTS`): ``{viewport: {doc: measure}}``."""
    executable = chromium()
    from playwright.sync_api import sync_playwright

    server, base = serve(html)
    found: dict = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            for size, options in VIEWPORTS.items():
                found[size] = {}
                for doc in docs:
                    context = browser.new_context(**options)
                    context.route(
                        "**/*", lambda route: route.abort() if is_foreign(route.request.url) else route.continue_()
                    )
                    page = context.new_page()
                    page.goto(f"{base}{doc}.html", wait_until="load")
                    settle(page)
                    found[size][doc] = page_growth(page)
                    context.close()
                worst = max(found[size].items(), key=lambda item: item[1]["growth_pct"])
                log(f"{size}: largest growth {worst[1]['growth_pct']} % on {worst[0]}")
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return found
