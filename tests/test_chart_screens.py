"""Charts in Chromium: a 390 px phone loads each chart's phone layout, a 1280 px laptop (and print) the
wide one, and every chart's text is shown at least 11 px on the phone and 12 px on the laptop, in the
static copy of a toggle, in its live view and on the key findings page alike.

The text size comes from the image as shown: its smallest font and dpi (the ``data-*`` attributes
written by :func:`iomun.figures.chart_html`) x its rendered width / natural width, measured here.
"""

from __future__ import annotations

import pytest

from iomun.figures import PHONE, WIDE
from maintainer.chart_sizes import VIEWPORTS, chart_images
from maintainer.site import PAGES, wait_for_widgets

CHART_PAGES = [doc for doc in PAGES if doc.startswith("notebooks/") or doc == "book/key_findings"]
MINIMUM = {"laptop": WIDE.min_px, "phone": PHONE.min_px}
VARIANT = {"laptop": "wide", "phone": "phone"}


def _check(images: list[dict], viewport: str, where: str) -> None:
    assert images, f"{where}: no chart shown"
    for image in images:
        name = f"{where}, {image['figure']} ({image['file']})"
        assert image["variant"] == VARIANT[viewport], f"{name}: the {image['variant']} layout is shown"
        assert image["smallest_px"] >= MINIMUM[viewport] - 0.05, f"{name}: text at {image['smallest_px']} px"
        if viewport == "phone":  # the chart, not its caption, fills the figure
            assert image["rendered"][1] > image["caption"], f"{name}: caption taller than the chart"


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("doc", CHART_PAGES)
def test_each_screen_gets_its_layout_with_legible_text(browser, site, doc: str, viewport: str) -> None:
    context = browser.new_context(**VIEWPORTS[viewport])
    try:
        page = context.new_page()
        page.goto(f"{site}{doc}.html", wait_until="load")
        first_paint = chart_images(page)
        _check(first_paint, viewport, f"{doc} at first paint")
        if any(image["static_copy"] for image in first_paint):  # a toggle's chart: its live view too
            wait_for_widgets(page)
            live = [image for image in chart_images(page) if image["live"]]
            _check(live, viewport, f"{doc}, live view")
    finally:
        context.close()


def test_a_phone_prints_the_wide_layout(browser, site) -> None:
    context = browser.new_context(**VIEWPORTS["phone"])
    try:
        page = context.new_page()
        page.goto(f"{site}notebooks/01_why_join_the_un.html", wait_until="load")
        assert {image["variant"] for image in chart_images(page)} == {"phone"}
        page.emulate_media(media="print")
        page.wait_for_timeout(300)
        assert {image["variant"] for image in chart_images(page)} == {"wide"}
    finally:
        context.close()
