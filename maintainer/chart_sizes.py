"""Measure every chart image of the built book as a reader's Chromium shows it, on a laptop and a phone.

For each page of the book and each viewport (1280x900 laptop; 390x844 phone, device scale 2,
touch) it lists every visible chart image (``figure.book-figure img``, the static copy of a
widget's default pane included): the image's natural size, its rendered CSS size, the width of
the reading column, which file was loaded (wide or phone variant) and the smallest text in the
chart as rendered, in CSS px:

    smallest px = smallest font pt x dpi / 72 x rendered width / natural width

The font and dpi come from the image's ``data-font-pt`` and ``data-dpi`` attributes, written by
:func:`iomun.figures.chart_html`; an image without them (a build from before they existed) is
measured with ``--assume-pt`` and ``--assume-dpi`` and marked "assumed".

    python -m maintainer.chart_sizes [--html _build/html] [--screenshots DIR]

``--screenshots DIR`` also saves a full-page screenshot of every page at both sizes.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from .paths import HTML
from .site import CHROMIUM_ARGS, PAGES, chromium_path, serve

VIEWPORTS = {
    "laptop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True,
              "has_touch": True},
}
MEASURE = """() => {
  const column = document.querySelector('#main-content article, article.bd-article, main');
  return [...document.querySelectorAll('figure.book-figure img')]
    .filter(img => img.offsetParent !== null && img.getBoundingClientRect().width > 0)
    .map(img => {
      const figure = img.closest('figure');
      const number = figure.querySelector('.figure-number');
      return {
        figure: number ? number.textContent.replace(':', '').trim() : '?',
        natural: [img.naturalWidth, img.naturalHeight],
        rendered: [Math.round(img.getBoundingClientRect().width), Math.round(img.getBoundingClientRect().height)],
        column: Math.round(column.getBoundingClientRect().width),
        file: (img.currentSrc || img.src).split('/').pop().slice(0, 40),
        pt: img.dataset.fontPt ? parseFloat(img.dataset.fontPt) : null,
        dpi: img.dataset.dpi ? parseFloat(img.dataset.dpi) : null,
        caption: Math.round(figure.querySelector('figcaption')?.getBoundingClientRect().height || 0),
      };
    });
}"""


def measure(html: Path, assume_pt: float, assume_dpi: float, screenshots: Path | None) -> list[dict]:
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
                    page.wait_for_function("() => [...document.images].every(i => i.complete)")
                    for row in page.evaluate(MEASURE):
                        assumed = row["pt"] is None
                        pt = assume_pt if assumed else row["pt"]
                        dpi = assume_dpi if assumed else row["dpi"]
                        row.update(page=doc, viewport=name, assumed=assumed,
                                   smallest_px=round(pt * dpi / 72 * row["rendered"][0] / row["natural"][0], 1))
                        rows.append(row)
                    if screenshots:
                        screenshots.mkdir(parents=True, exist_ok=True)
                        page.screenshot(path=str(screenshots / f"{doc.replace('/', '_')}-{name}.png"),
                                        full_page=True)
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
    parser.add_argument("--screenshots", type=Path, default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = measure(args.html, args.assume_pt, args.assume_dpi, args.screenshots)
    if args.json:
        print(json.dumps(rows, indent=1))
        return
    print(f"{'viewport':8} {'figure':12} {'page':38} {'natural':>10} {'rendered':>9} {'column':>6} "
          f"{'caption':>7} {'smallest px':>11}  file")
    for r in rows:
        print(f"{r['viewport']:8} {r['figure']:12} {r['page']:38} {'x'.join(map(str, r['natural'])):>10} "
              f"{'x'.join(map(str, r['rendered'])):>9} {r['column']:>6} {r['caption']:>7} "
              f"{r['smallest_px']:>10}{'*' if r['assumed'] else ' '}  {r['file']}")
    if any(r["assumed"] for r in rows):
        print("* font and dpi assumed (--assume-pt, --assume-dpi): the image does not carry them")


if __name__ == "__main__":
    main()
