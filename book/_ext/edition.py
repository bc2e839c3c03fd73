"""The edition on every page: a footer line, "Cite this page", and the "What changed" page filled in.

The edition (version, date, authors, title, address) is read once from ``CITATION.cff`` by
:mod:`maintainer.edition`, which also holds the one citation template. Here, at
``html-page-context``:

* every page's footer gets a line naming the edition, with links to the page's citation,
  to the whole book as a PDF (A4 and Letter, written by ``maintainer/pdf.py`` into
  ``_downloads/``) and to what changed in this edition;
* every page of the book gets, at the end of its article, its citation in the common style
  and, folded in a ``<details>`` (no script), as BibTeX and RIS; a chapter's block cites
  the chapter and then the whole book, the root page the book.

At ``build-finished``, after ``manifest.py`` wrote ``_manifest.json``, the "What changed in
this edition" page (``book/changes.md``) gets its body from :mod:`maintainer.changes_page`:
the previous edition's manifest in ``editions/`` against this build's.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

from maintainer.changes_page import CHANGES_DOC, fill_page
from maintainer.edition import Citation, Edition, EditionError, read_edition

PDF_FILES = {"A4": "_downloads/book-a4.pdf", "Letter": "_downloads/book-letter.pdf"}
BLOCK_ID = "cite-this-page"
# Long lines wrap instead of scrolling (a phone's column is narrow; no style sheet to load)
WRAP = ' style="white-space: pre-wrap; overflow-wrap: anywhere"'


def _edition(app: Sphinx) -> Edition:
    if not hasattr(app, "_iomun_edition"):
        try:
            app._iomun_edition = read_edition(Path(app.srcdir) / "CITATION.cff")  # type: ignore[attr-defined]
        except EditionError as error:
            raise ExtensionError(str(error)) from error
    return app._iomun_edition  # type: ignore[attr-defined]


def _formats(citation: Citation, label: str) -> str:
    """One citation: the common style shown, BibTeX and RIS folded (selectable, escaped)."""
    return (
        f'<p class="edition-cite-text">{citation.html()}</p>'
        f'<details class="edition-cite-formats"><summary>{html.escape(label)} as BibTeX and RIS</summary>'
        f'<p>BibTeX</p><pre class="edition-bibtex"{WRAP}>{html.escape(citation.bibtex())}</pre>'
        f'<p>RIS</p><pre class="edition-ris"{WRAP}>{html.escape(citation.ris())}</pre></details>'
    )


def citation_block(edition: Edition, chapter: str | None, page: str) -> str:
    """The "Cite this page" block appended to a page's article."""
    book = Citation(edition, None, "")
    parts = [
        f'<section class="edition-cite" id="{BLOCK_ID}" aria-labelledby="{BLOCK_ID}-title">',
        f'<p class="rubric" id="{BLOCK_ID}-title">Cite this page (edition {html.escape(edition.version)}, '
        f"{html.escape(edition.date_text)})</p>",
    ]
    if chapter:
        parts.append(_formats(Citation(edition, chapter, page), "This page"))
        parts.append("<p>The whole book:</p>")
    parts.append(_formats(book, "The book"))
    parts.append("</section>")
    return "".join(parts)


def footer_line(edition: Edition, pathto: Any, cite: bool) -> str:
    """The footer's edition line (every page, the search page too)."""
    pdfs = ", ".join(f'<a href="{html.escape(pathto(path, 1))}">{paper}</a>' for paper, path in PDF_FILES.items())
    links = [f'<a href="#{BLOCK_ID}">Cite this page</a>'] if cite else []
    links += [
        f"the whole book as PDF ({pdfs})",
        f'<a href="{html.escape(pathto(CHANGES_DOC))}">what changed in this edition</a>',
    ]
    return (
        f'<p class="edition-line">Edition {html.escape(edition.version)}, {html.escape(edition.date_text)}: '
        + "; ".join(links)
        + ".</p>"
    )


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Give the page its edition line and, for a page of the book, its citation."""
    edition = _edition(app)
    is_doc = doctree is not None and pagename in app.env.found_docs
    context["theme_extra_footer"] = (context.get("theme_extra_footer") or "") + footer_line(
        edition, context["pathto"], is_doc
    )
    if not is_doc:
        return
    title = app.env.titles[pagename].astext() if pagename in app.env.titles else ""
    chapter = None if pagename == app.config.root_doc else title
    context["body"] = context.get("body", "") + citation_block(edition, chapter, f"{pagename}.html")


def fill_changes(app: Sphinx, exception: Exception | None) -> None:
    """After the manifest is written: the changes page compares it with the previous edition."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    page = outdir / f"{CHANGES_DOC}.html"
    manifest = outdir / "_manifest.json"
    if not page.is_file() or not manifest.is_file():
        return
    current = json.loads(manifest.read_text(encoding="utf-8"))
    try:
        titles = {doc: title.astext() for doc, title in app.env.titles.items()}
        fill_page(page, current, _edition(app), Path(app.srcdir), titles)
    except ValueError as error:
        raise ExtensionError(f"edition: {error}") from error


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("html-page-context", page_context)
    app.connect("build-finished", fill_changes, priority=900)  # after manifest.py (500)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
