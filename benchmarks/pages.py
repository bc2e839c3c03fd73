"""(d) each chapter page's transfer size and (e) a toggle's click-to-repaint, in Chromium."""

from __future__ import annotations

import gzip
import statistics
from pathlib import Path

from settings import MB, chromium, is_foreign, log

from maintainer.site import CHROMIUM_ARGS, serve, wait_for_widgets

TOGGLE_CLICKS = 21


def _open(browser, url: str):
    """A fresh context (empty cache) with every off-machine request aborted."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route(
        "**/*", lambda route: route.abort() if is_foreign(route.request.url) else route.continue_()
    )
    page = context.new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(url, wait_until="load")
    if page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count():
        wait_for_widgets(page)  # the pointer on a widget brings the runtime in, as a reader's does
    page.wait_for_function(
        "() => [...document.images].every(img => img.complete)"
        " && document.fonts.status === 'loaded'"
    )
    page.wait_for_timeout(500)  # late requests (fonts, icons) still arrive
    return context, page, responses


def transfer_size(browser, base: str, doc: str) -> dict:
    context, page, responses = _open(browser, f"{base}{doc}.html")
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
    context.close()
    assets.sort(key=lambda asset: -asset["gzip"])
    return {"requests": len(assets), "raw_bytes": raw, "gzip_bytes": gz, "largest": assets[:5]}


# Runs in the page: click the next option of the first toggle group, clicks times; for each,
# time from click() to the next animation frame after the visible pane changed (the pane's
# visible elements are replaced: ipywidgets' Stack renders only the selected child). Also,
# for information, to the next frame after the new pane's images are decoded.
TOGGLE_JS = """
async (clicks) => {
    const root = [...document.querySelectorAll('.widget-subarea')]
        .find(r => r.querySelector('.widget-toggle-buttons'));
    const group = root.querySelector('.widget-toggle-buttons');
    const buttons = [...group.querySelectorAll('button')];
    const visible = () => [...root.querySelectorAll('.widget-html-content, img')]
        .filter(el => !el.closest('.widget-toggle-buttons') && el.checkVisibility());
    const same = (a, b) => a.length === b.length && a.every((el, i) => el === b[i]);
    const frame = () => new Promise(resolve => requestAnimationFrame(resolve));
    const repaint = [], decoded = [];
    for (let i = 0; i < clicks; i++) {
        await frame(); await frame();  // start from a quiet page
        const active = buttons.findIndex(b => b.classList.contains('mod-active'));
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
        label: group.querySelector('.widget-label')?.textContent || '',
        options: buttons.map(b => b.textContent),
        repaint, decoded,
    };
}
"""


def toggle_repaint(browser, base: str, docs: list[str], html: Path) -> dict:
    view = "application/vnd.jupyter.widget-view+json"
    doc = next((d for d in docs if view in (html / f"{d}.html").read_text("utf-8")), None)
    if doc is None:
        return {"page": None, "median_ms": None, "note": "no chapter page has a toggle"}
    context, page, _ = _open(browser, f"{base}{doc}.html")
    result = page.evaluate(TOGGLE_JS, TOGGLE_CLICKS)
    context.close()
    return {
        "page": doc,
        "toggle": result["label"].strip(),
        "options": result["options"],
        "clicks": len(result["repaint"]),
        "median_ms": round(statistics.median(result["repaint"]), 1),
        "max_ms": round(max(result["repaint"]), 1),
        "median_ms_until_images_decoded": round(statistics.median(result["decoded"]), 1),
        "samples_ms": [round(value, 1) for value in result["repaint"]],
    }


def browser_measures(html: Path, docs: list[str]) -> tuple[dict, dict]:
    executable = chromium()
    from playwright.sync_api import sync_playwright

    server, base = serve(html)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            sizes = {}
            for doc in docs:
                sizes[doc] = transfer_size(browser, base, doc)
                log(f"{doc}: {sizes[doc]['gzip_bytes'] / MB:.2f} MB gzipped, "
                    f"{sizes[doc]['requests']} responses")
            toggle = toggle_repaint(browser, base, docs, html)
            log(f"toggle: median {toggle['median_ms']} ms on {toggle['page']}")
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return sizes, toggle
