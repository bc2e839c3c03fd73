"""The whole book as one PDF, printed by Chromium from the built site with its print stylesheet.

``python -m maintainer.pdf [--paper a4|letter|both] [--html DIR]`` (``make pdf``; ``make book``
runs it too) serves the built site on 127.0.0.1, opens every page of ``_toc.yml`` in order in
Debian's Chromium (Playwright) and prints it with ``page.pdf`` under ``book/_print/print.css``:
no site chrome, each toggle's default pane (the static copy ``first_paint.py`` writes, so no
widget runtime is needed), numbered captions. Before printing, every link into the site is
pointed at the published book (``url`` of ``CITATION.cff``), so that links stay live on paper
and on screen once the local server is gone, and each page's BibTeX and RIS (folded on
screen) are left out, its citation kept.

A title page (title, authors, edition and date, the book's citation, the briefing read) and a
contents page are printed from HTML made here, every string escaped. pypdf (pinned in
``requirements-build.txt``) merges the parts, links each contents entry to its page, adds
the outline (bookmarks) and the document's metadata, and stamps a running footer with the
page number onto every page (one more Chromium page, printed with that many pages), since
each part printed alone would number from 1. Chromium embeds the subset of each font it
uses, and keeps the text as text. The files: ``<html>/_downloads/book-a4.pdf`` and
``book-letter.pdf``, the addresses every page's footer links to (``book/_ext/edition.py``).
"""

from __future__ import annotations

import argparse
import html
import io
import sys
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.generic import Fit

from .edition import Citation, Edition, read_edition
from .paths import HTML
from .site import CHROMIUM_ARGS, PAGES, chromium_path, offline_context, serve

PAPERS = {"a4": ("A4", 210.0, 297.0), "letter": ("Letter", 215.9, 279.4)}  # name, width and height in mm
OUTPUT = {"a4": "_downloads/book-a4.pdf", "letter": "_downloads/book-letter.pdf"}
MARGIN_MM = 16.0
FOOTER_MM = 10.0  # the running footer sits in the bottom margin
PX_PER_MM = 96 / 25.4
PT_PER_PX = 72 / 96
PAGE_TIMEOUT_MS = 60_000

# On paper: no common ligatures (copied or searched text reads "fi", not one glyph), no
# heading alone at the foot of a page.
PAPER_CSS = "* { font-variant-ligatures: no-common-ligatures; } h1, h2, h3, h4 { break-after: avoid; }"
# Links into the site point at the published book; BibTeX and RIS stay on screen.
PREPARE_JS = """
([local, published, css]) => {
    const style = document.createElement('style');
    style.textContent = css;
    document.head.append(style);
    for (const a of document.querySelectorAll('a[href]')) {
        if (a.href.startsWith(local)) a.href = published + a.href.slice(local.length);
    }
    document.querySelectorAll('.edition-cite-formats').forEach(el => el.remove());
}
"""
STYLE = (
    PAPER_CSS
    + """
@page { margin: %(m)smm; }
body { font-family: "DejaVu Serif", "Liberation Serif", serif; color: #111; line-height: 1.4; }
h1 { font-size: 24pt; margin: 30mm 0 6mm; line-height: 1.2; }
.lead { font-size: 13pt; } .edition { font-size: 14pt; margin: 10mm 0; }
.cite { font-size: 10pt; margin-top: 30mm; border-top: 1px solid #999; padding-top: 4mm; }
ol { padding-left: 0; list-style: none; font-size: 12pt; }
li { display: flex; gap: 1em; padding: 1.5mm 0; border-bottom: 1px dotted #999; }
li .t { flex: 1; } a { color: #0b4f8a; }
"""
)


def title_page(edition: Edition) -> str:
    """The title page's HTML: title, authors, edition and date, the book's citation."""
    e = edition
    citation = Citation(e).html()
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(e.title)}</title>"
        f"<style>{STYLE % {'m': MARGIN_MM}}</style></head><body>"
        f"<h1>{html.escape(e.title)}</h1>"
        f"<p class='lead'>{html.escape(', '.join(e.authors))}</p>"
        f"<p class='edition'>Edition {html.escape(e.version)}, {html.escape(e.date_text)}</p>"
        "<p class='lead'>A reading of FUNDS Briefing 42 (September 2016), <em>International Organization "
        "for Migration and the UN System: A Missed Opportunity</em>, by Nicholas R. Micinski and "
        "Thomas G. Weiss, with every figure and number computed from official, cited data.</p>"
        f"<p>Read it online: <a href='{html.escape(e.url)}'>{html.escape(e.url)}</a></p>"
        f"<p class='cite'>Cite this book: {citation}</p></body></html>"
    )


def contents_page(entries: list[tuple[str, int]]) -> str:
    """The contents' HTML: each page's title and the page of the PDF where it starts."""
    items = "".join(
        f"<li data-page='{page}'><span class='t'>{html.escape(title)}</span><span>{page}</span></li>"
        for title, page in entries
    )
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Contents</title>"
        f"<style>{STYLE % {'m': MARGIN_MM}}</style></head><body><h2>Contents</h2><ol>{items}</ol></body></html>"
    )


def footer_pages(count: int) -> str:
    """``count`` empty pages; Chromium's footer template numbers them (stamped onto the book)."""
    return "<!doctype html><html><body>" + "<div style='break-after:page'>&nbsp;</div>" * count + "</body></html>"


def _footer_template(edition: Edition) -> str:
    label = html.escape(f"{edition.title}, edition {edition.version}")
    return (
        f"<div style='font-size:7.5pt;width:100%;margin:0 {MARGIN_MM}mm;display:flex;color:#333'>"
        f"<span style='flex:1'>{label}</span><span class='pageNumber'></span></div>"
    )


def _pdf(page, paper: str, **options) -> bytes:
    name = PAPERS[paper][0]
    margin = {side: f"{MARGIN_MM}mm" for side in ("top", "right", "bottom", "left")}
    return page.pdf(format=name, margin=margin, print_background=False, **options)


def _page_title(page) -> str:
    return page.evaluate("() => (document.querySelector('.bd-article h1') || {}).textContent || document.title")


def print_site(browser, site: str, edition: Edition, paper: str) -> tuple[list[bytes], list[str]]:
    """Every page of the book printed: the PDFs and the pages' titles, in the order of ``_toc.yml``."""
    context = offline_context(browser, {"width": 1280, "height": 900})
    parts, titles = [], []
    try:
        page = context.new_page()
        for doc in PAGES:
            page.goto(f"{site}{doc}.html", wait_until="load", timeout=PAGE_TIMEOUT_MS)
            page.wait_for_function("() => [...document.images].every(img => img.complete)", timeout=PAGE_TIMEOUT_MS)
            page.evaluate(PREPARE_JS, [site, edition.url, PAPER_CSS])
            titles.append(" ".join(_page_title(page).replace("#", " ").split()))
            parts.append(_pdf(page, paper))
    finally:
        context.close()
    return parts, titles


def _print_html(browser, text: str, paper: str, **options) -> tuple[bytes, list[list[float]]]:
    """Print an HTML document made here; also the boxes (CSS px) of its contents entries, if any."""
    width_px = round((PAPERS[paper][1] - 2 * MARGIN_MM) * PX_PER_MM)
    page = browser.new_page(viewport={"width": width_px, "height": 900})
    try:
        page.set_content(text, wait_until="load")
        page.emulate_media(media="print")
        rects = page.evaluate(
            "() => [...document.querySelectorAll('li[data-page]')].map(li => {"
            " const r = li.getBoundingClientRect();"
            " return [+li.dataset.page, r.left, r.top, r.right, r.bottom]; })"
        )
        return _pdf(page, paper, **options), rects
    finally:
        page.close()


def build(html_dir: Path, paper: str, browser) -> Path:
    """Print the built site in ``html_dir`` as one PDF on ``paper``; return its path."""
    edition = read_edition()
    server, site = serve(html_dir)
    try:
        parts, titles = print_site(browser, site, edition, paper)
    finally:
        server.shutdown()
        server.server_close()
    counts = [len(PdfReader(io.BytesIO(part)).pages) for part in parts]
    first = 3  # title page, contents, then the book (pages numbered from 1 at the title page)
    starts = [first + sum(counts[:i]) for i in range(len(counts))]
    title_pdf, _ = _print_html(browser, title_page(edition), paper)
    contents_pdf, rects = _print_html(browser, contents_page(list(zip(titles, starts, strict=True))), paper)
    if len(PdfReader(io.BytesIO(contents_pdf)).pages) != 1:
        raise RuntimeError("the contents no longer fit on one page: the page numbers of the book would be off by one")

    writer = PdfWriter()
    for part in [title_pdf, contents_pdf, *parts]:
        writer.append(PdfReader(io.BytesIO(part)))
    total = len(writer.pages)
    footer = _print_html(
        browser,
        footer_pages(total),
        paper,
        display_header_footer=True,
        header_template="<span></span>",
        footer_template=_footer_template(edition),
    )[0]
    for index, stamp in enumerate(PdfReader(io.BytesIO(footer)).pages):
        if index:  # the title page carries no number
            writer.pages[index].merge_page(stamp)
    height_pt = PAPERS[paper][2] / 25.4 * 72
    top_pt = MARGIN_MM / 25.4 * 72
    left_pt = MARGIN_MM / 25.4 * 72
    for target, left, top, right, bottom in rects:  # contents entries link to their pages
        rect = (
            left_pt + left * PT_PER_PX,
            height_pt - top_pt - bottom * PT_PER_PX,
            left_pt + right * PT_PER_PX,
            height_pt - top_pt - top * PT_PER_PX,
        )
        writer.add_annotation(1, Link(rect=rect, target_page_index=target - 1, fit=Fit.fit()))
    writer.add_outline_item(title="Title page", page_number=0)
    writer.add_outline_item(title="Contents", page_number=1)
    for title, start in zip(titles, starts, strict=True):
        writer.add_outline_item(title=title, page_number=start - 1)
    writer.add_metadata(
        {
            "/Title": edition.title,
            "/Author": ", ".join(edition.authors),
            "/Subject": f"Edition {edition.version}, {edition.date_text}",
            "/Creator": "Chromium, pypdf",
        }
    )
    out = html_dir / OUTPUT[paper]
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".pdf.tmp")
    with tmp.open("wb") as handle:
        writer.write(handle)
    tmp.replace(out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paper", choices=[*PAPERS, "both"], default="both")
    parser.add_argument("--html", type=Path, default=HTML, help="the built site (default: _build/html)")
    args = parser.parse_args(argv)
    if not (args.html / "index.html").is_file():
        print(f"{args.html / 'index.html'} is missing: build the book first (make book)", file=sys.stderr)
        return 1
    executable = chromium_path()
    if executable is None:
        print("Debian's chromium is not on PATH: run `make browser` (or apt-get install chromium)", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            for paper in PAPERS if args.paper == "both" else [args.paper]:
                out = build(args.html, paper, browser)
                print(f"Wrote {out} ({len(PdfReader(out).pages)} pages)")
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
