"""Measure every chart image of the built book as a reader's Chromium shows it, on a laptop and a phone.

For each page of the book and each viewport (1280x900 laptop; 390x844 phone, device scale 2,
touch) it lists every visible chart image (``figure.book-figure img``, the static copy of a
widget's default pane included): the image's natural size, its rendered CSS size, the width of
the reading column, which file was loaded (wide or phone variant) and the smallest text in the
chart as rendered, in CSS px:

    smallest px = smallest font pt x dpi / 72 x rendered width / natural width

The font and dpi come from the image's ``data-font-pt`` and ``data-dpi`` attributes (``data-phone-*``
when the phone layout is shown), written by :func:`iomun.figures.chart_html`; an image without them
(a build from before they existed) is measured with ``--assume-pt`` and ``--assume-dpi`` and
marked "assumed".

    python -m maintainer.chart_sizes [--html _build/html] [--json]

To look at the charts too: ``python -m maintainer.screenshots --figures`` (every page, and each
chart with its caption, at both sizes).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from .paths import HTML
from .site import CHROMIUM_ARGS, PAGES, VIEWPORTS, chromium_path, serve

MEASURE = """([assumedPt, assumedDpi]) => {
  const column = document.querySelector('article.bd-article') || document.body;
  return [...document.querySelectorAll('figure.book-figure img')]
    .filter(img => img.getClientRects().length && img.getBoundingClientRect().width > 0)
    .map(img => {
      const figure = img.closest('figure');
      const number = figure.querySelector('.figure-number');
      const source = img.closest('picture')?.querySelector('source');
      const phone = !!source && img.currentSrc === new URL(source.getAttribute('srcset'), location.href).href;
      const pt = img.dataset[phone ? 'phoneFontPt' : 'fontPt'];
      const dpi = img.dataset[phone ? 'phoneDpi' : 'dpi'];
      const box = img.getBoundingClientRect();
      const smallest = (pt ? parseFloat(pt) : assumedPt) * (dpi ? parseFloat(dpi) : assumedDpi) / 72
        * box.width / img.naturalWidth;
      return {
        figure: number ? number.textContent.replace(':', '').trim() : '?',
        variant: source ? (phone ? 'phone' : 'wide') : 'single',
        live: !!img.closest('.widget-subarea'),
        static_copy: !!img.closest('.iomun-fallback'),
        natural: [img.naturalWidth, img.naturalHeight],
        rendered: [Math.round(box.width), Math.round(box.height)],
        column: Math.round(column.getBoundingClientRect().width),
        caption: Math.round(figure.querySelector('figcaption')?.getBoundingClientRect().height || 0),
        file: (img.currentSrc || img.src).split('/').pop(),
        assumed: !pt,
        smallest_px: Math.round(smallest * 10) / 10,
      };
    });
}"""


def chart_images(page, assume_pt: float = 8.0, assume_dpi: float = 110.0) -> list[dict]:
    """Every chart image shown on ``page`` (a Playwright page), as :data:`MEASURE` describes it."""
    page.wait_for_function("() => [...document.images].every(i => i.complete)")
    return page.evaluate(MEASURE, [assume_pt, assume_dpi])


def measure(html: Path, assume_pt: float, assume_dpi: float) -> list[dict]:
    """One row per chart image shown, per page and viewport."""
    from playwright.sync_api import sync_playwright

    server, base = serve(html)
    rows: list[dict] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            for name, options in VIEWPORTS.items():
                context = browser.new_context(**options)
                page = context.new_page()
                for doc in PAGES:
                    page.goto(f"{base}{doc}.html", wait_until="load")
                    rows += [
                        {**row, "page": doc, "viewport": name} for row in chart_images(page, assume_pt, assume_dpi)
                    ]
                context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return rows


def main() -> None:
    """Print the table (or JSON with ``--json``)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--html", type=Path, default=HTML)
    parser.add_argument("--assume-pt", type=float, default=8.0, help="smallest font of an image without data-font-pt")
    parser.add_argument("--assume-dpi", type=float, default=110.0, help="dpi of an image without data-dpi")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = measure(args.html, args.assume_pt, args.assume_dpi)
    if args.json:
        print(json.dumps(rows, indent=1))
        return
    print(
        f"{'viewport':8} {'figure':11} {'page':38} {'variant':7} {'natural':>10} {'rendered':>9} {'column':>6} "
        f"{'caption':>7} {'smallest px':>11}"
    )
    for r in rows:
        print(
            f"{r['viewport']:8} {r['figure']:11} {r['page']:38} {r['variant']:7} "
            f"{'x'.join(map(str, r['natural'])):>10} {'x'.join(map(str, r['rendered'])):>9} {r['column']:>6} "
            f"{r['caption']:>7} {r['smallest_px']:>10}{'*' if r['assumed'] else ' '}"
        )
    if any(r["assumed"] for r in rows):
        print("* font and dpi assumed (--assume-pt, --assume-dpi): the image does not carry them")


if __name__ == "__main__":
    main()
