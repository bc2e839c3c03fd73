"""Small fixes to markup that comes from docutils and the theme, not from our pages.

* Citation lists: docutils 0.21 writes ``<div role="list">`` around entries with
  ``role="doc-biblioentry"``. That DPUB role is deprecated and is not a list item, so
  assistive technology sees a list without items (axe-core: ``aria-required-children``,
  critical). Entries are written with ``role="listitem"`` instead.
* Theme mode: pydata-sphinx-theme starts from ``html_context["default_mode"]``; left unset
  it is an empty string and the theme logs "Got invalid theme mode" as a console error on a
  reader's first visit before falling back to ``auto``. We set ``auto`` explicitly: the look
  is unchanged and the console stays clean.
* Favicon: with no icon declared, every browser asks for ``/favicon.ico`` at the host's root
  (on a project site that is not even our folder) and logs the 404 as a console error. The
  book's icon is ``book/_style/favicon.svg`` (``html_favicon`` in ``_config.yml``); a build
  without one declares an empty inline icon, so no request is made.
* One viewport meta tag: Sphinx's basic layout writes one and docutils' HTML5 writer adds
  another to the page's meta tags; the docutils one is dropped.
* Links with ``&`` in their query: MyST-Parser 3 stores the URL HTML-escaped and the HTML
  writer escapes it again, so ``?a=1&b=2`` reaches the reader as ``?a=1&amp;b=2``
  (executablebooks/MyST-Parser#760, #1028). That escaping is undone before writing
  (exactly markdown-it's ``escapeHtml``; ``html.unescape`` would also turn ``&sect=`` into
  ``§=``).
* Smart quotes on the "Data and sources" page: Sphinx's ``smartquotes`` would curl the
  straight quotes and apostrophes of the descriptor's texts (``book's`` became ``book’s``),
  which that page promises to show exactly. Its document is marked
  ``support_smartquotes = False`` before the SmartQuotes transform runs; other pages keep
  typographic quotes.
* Search titles: Sphinx 7's search page writes each result's title with ``innerHTML``. Page
  titles reach the index as HTML (escaped), but section titles as plain text, so a heading
  made from data (a resource title on "Data and sources") containing ``<img onerror=…>``
  would run in the results. The index is written with section titles HTML-escaped (and
  read back unescaped, so a rebuild does not escape them twice); Sphinx's matching lowercases
  the title and the query, so a reader's search still finds them.
"""

from __future__ import annotations

import html
import re
from typing import IO, Any

import sphinx.search
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.transforms import SphinxTransform

EMPTY_ICON = '<link rel="icon" href="data:,">'
DOCUTILS_VIEWPORT = re.compile(r'\s*<meta name="viewport"[^>]*>')
# markdown-it's escapeHtml, undone in reverse order (``&amp;`` last)
UNESCAPE = (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&amp;", "&"))
# Pages whose texts are data shown exactly (written by maintainer/data_page.py).
EXACT_TEXT_PAGES = frozenset({"book/data_sources"})


class ExactTexts(SphinxTransform):
    """Keep Sphinx's SmartQuotes (priority 750) off the pages that show data texts exactly."""

    default_priority = 700

    def apply(self, **kwargs: Any) -> None:
        if self.env.docname in EXACT_TEXT_PAGES:
            self.document["support_smartquotes"] = False


def _visit_citation(self: Any, node: nodes.citation) -> None:
    type(self).visit_citation(self, node)
    self.body[-1] = self.body[-1].replace('role="doc-biblioentry"', 'role="listitem"')


def _depart_citation(self: Any, node: nodes.citation) -> None:
    type(self).depart_citation(self, node)


def _default_mode(app: Sphinx, config: Config) -> None:
    config.html_context.setdefault("default_mode", "auto")


def _declare_icon(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    if not context.get("favicon_url"):
        context["metatags"] = f"{context.get('metatags', '')}\n    {EMPTY_ICON}"


def _one_viewport(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    context["metatags"] = DOCUTILS_VIEWPORT.sub("", context.get("metatags", ""))


def _unescape_uris(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    for reference in doctree.findall(nodes.reference):
        uri = reference.get("refuri", "")
        if "&" in uri:
            for escaped, character in UNESCAPE:
                uri = uri.replace(escaped, character)
            reference["refuri"] = uri


class TextTitleIndexBuilder(sphinx.search.IndexBuilder):
    """Sphinx's search index with section titles stored as HTML text, never markup."""

    def freeze(self) -> dict[str, Any]:
        frozen = super().freeze()
        frozen["alltitles"] = {html.escape(title): places for title, places in frozen["alltitles"].items()}
        return frozen

    def load(self, stream: IO, format: Any) -> None:
        super().load(stream, format)
        self._all_titles = {
            doc: [(html.unescape(title), anchor) for title, anchor in titles]
            for doc, titles in self._all_titles.items()
        }


def _text_titles(app: Sphinx) -> None:
    # the HTML builder imports IndexBuilder from sphinx.search when it prepares writing
    sphinx.search.IndexBuilder = TextTitleIndexBuilder


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_node(nodes.citation, override=True, html=(_visit_citation, _depart_citation))
    app.connect("config-inited", _default_mode)
    app.connect("html-page-context", _declare_icon)
    app.connect("html-page-context", _one_viewport)
    app.connect("doctree-resolved", _unescape_uris)
    app.add_transform(ExactTexts)
    app.connect("builder-inited", _text_titles)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
