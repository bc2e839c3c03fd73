"""Screenshots of the built site as readers see it: every page of the TOC (and the search page
with results), on a laptop and on a phone, in the light and the dark colour scheme.

    .venv/bin/python -m maintainer.screenshots [--pages DOC ...] [--out DIR] [--viewport-only]
        [--screens N] [--figures]

writes ``<out>/<page>--<laptop|phone>--<light|dark>.png`` (default out: ``_build/screenshots``),
each the whole page unless ``--viewport-only``; with ``--figures`` also
``<page>--<size>--<scheme>--figure<i>.png``, each chart with its caption as a reader scrolled to it.
The charts' sizes as numbers: ``python -m maintainer.chart_sizes``. `make screenshots` runs it on the built book.
The viewports are the ones the browser tests use (:data:`maintainer.site.VIEWPORTS`).
Look at them: a text check does not see clipped tables, unreadable charts or grey-on-grey.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .paths import HTML, ROOT
from .site import CHROMIUM_ARGS, PAGES, VIEWPORTS, chromium_path, serve, settle

SEARCH = "search.html?q=refugees"

FIGURE_BOXES = """() => [...document.querySelectorAll('figure.book-figure')]
  .filter(f => f.querySelector('img') && f.getClientRects().length && f.getBoundingClientRect().width > 0)
  .map(f => { const r = f.getBoundingClientRect();
              return {x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height}; })"""


def shoot(
    pages: list[str], out: Path, full_page: bool = True, html: Path = HTML, screens: int = 0, figures: bool = False
) -> list[Path]:
    """Every page in every viewport and scheme as PNG files in ``out``; the paths written.

    ``screens`` > 0 keeps only the top of each page, that many viewport heights: what a reader
    sees before scrolling further ("the first two laptop screens"). ``figures`` adds each chart
    with its caption, scrolled to first and given a moment, as a reader scrolls to it.
    """
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if executable is None:
        raise SystemExit("chromium is not on PATH: run `make browser`")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    server, base = serve(html)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            for size, options in VIEWPORTS.items():
                for scheme in ("light", "dark"):
                    context = browser.new_context(**options, color_scheme=scheme)
                    page = context.new_page()
                    for doc in pages:
                        url = base + (doc if doc.startswith("search.html") else f"{doc}.html")
                        page.goto(url, wait_until="load")
                        settle(page)
                        name = "search" if doc.startswith("search.html") else doc.replace("/", "--")
                        target = out / f"{name}--{size}--{scheme}.png"
                        clip = None
                        if screens:
                            viewport = options["viewport"]
                            clip = {
                                "x": 0,
                                "y": 0,
                                "width": viewport["width"],
                                "height": min(
                                    screens * viewport["height"], page.evaluate("document.documentElement.scrollHeight")
                                ),
                            }
                        page.screenshot(
                            path=str(target), full_page=full_page or bool(screens), clip=clip, timeout=180_000
                        )  # tall phone pages
                        written.append(target)
                        if figures:
                            written += _figures(page, out / f"{name}--{size}--{scheme}")
                    context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return written


def _figures(page, stem: Path) -> list[Path]:
    """Each chart of ``page`` with its caption, as ``<stem>--figure<i>.png``."""
    written = []
    for i, box in enumerate(page.evaluate(FIGURE_BOXES)):
        page.evaluate("(y) => window.scrollTo(0, y)", max(box["y"] - 40, 0))
        page.wait_for_timeout(300)
        target = stem.with_name(f"{stem.name}--figure{i + 1}.png")
        page.screenshot(path=str(target), full_page=True, clip=box)
        written.append(target)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--pages",
        nargs="*",
        default=[*PAGES, SEARCH],
        help="TOC documents (e.g. book/claims_ledger) or search.html?q=…",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "screenshots")
    parser.add_argument("--viewport-only", action="store_true", help="the first screen, not the whole page")
    parser.add_argument(
        "--screens",
        type=int,
        default=0,
        help="only the top of each page, this many screens (2: the first two laptop screens)",
    )
    parser.add_argument("--figures", action="store_true", help="each chart with its caption too")
    args = parser.parse_args()
    written = shoot(args.pages, args.out, full_page=not args.viewport_only, screens=args.screens, figures=args.figures)
    print(f"screenshots: {len(written)} files in {args.out}")


if __name__ == "__main__":
    main()
