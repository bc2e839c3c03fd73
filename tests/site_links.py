"""Check the links of a built static site offline; collect its external links unfetched.

Every page (``*.html`` outside ``_static/``, which holds the theme's template fragments) is
parsed (Beautiful Soup, Python's parser). A
link is a URL in ``href``, ``src``, ``srcset``, ``poster`` or ``data`` of any element,
including the HTML that saved widget views carry in their state (rendered by JavaScript,
so the same reader meets it); local stylesheets' ``url(...)`` references count too.

* Internal (a relative URL): the file it names must exist inside the site (a folder means
  its ``index.html``), and a ``#fragment`` must be the ``id`` (or ``<a name>``) of an
  element of the target page. A root-absolute path (``/x``) or a ``file:`` URL is an
  error: neither works once the site is published under a project path.
* External (``http(s)://`` or ``//host``): recorded with the pages that use it, never
  fetched; only a URL still holding ``&amp;`` once the HTML is decoded (escaped twice, so
  the server gets a wrong query) is an error. ``data:``, ``mailto:``, ``javascript:`` and
  the like are left alone.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

from maintainer.page_audit import read_page, widget_panes

LINK_ATTRIBUTES = ("href", "src", "srcset", "poster", "data")
IGNORED_SCHEMES = {"data", "mailto", "tel", "javascript", "blob", "about"}
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
# fragments a browser resolves without an element: the top of the page, text fragments
FREE_FRAGMENTS = re.compile(r"^(top|:~:.*)?$")


@dataclass
class LinkReport:
    """What a scan found: pages and links checked, broken ones, external ones."""

    pages: int = 0
    checked: int = 0
    broken: list[str] = field(default_factory=list)
    external: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


def _urls(soup: BeautifulSoup) -> list[str]:
    urls = []
    for tag in soup.find_all(True):
        for attribute in LINK_ATTRIBUTES:
            value = tag.get(attribute)
            if not isinstance(value, str) or not value.strip():
                continue
            if attribute == "srcset":
                urls += [part.split()[0] for part in value.split(",") if part.strip()]
            elif not (attribute == "data" and tag.name != "object"):
                urls.append(value.strip())
    return urls


def _anchors(soup: BeautifulSoup) -> set[str]:
    ids = {tag["id"] for tag in soup.find_all(id=True)}
    return ids | {tag["name"] for tag in soup.find_all("a", attrs={"name": True})}


def scan(site: Path) -> LinkReport:
    """Check every internal link and anchor of the site in ``site``; collect external ones."""
    site = site.resolve()
    report = LinkReport()
    anchors: dict[Path, set[str]] = {}
    links: list[tuple[Path, str]] = []  # (file that links, URL)
    for page in sorted(path for path in site.rglob("*.html") if "_static" not in path.relative_to(site).parts):
        soup = BeautifulSoup(read_page(page), "html.parser")
        anchors[page] = _anchors(soup)
        for document in (soup, *(BeautifulSoup(pane, "html.parser") for pane in widget_panes(soup))):
            links += [(page, url) for url in _urls(document)]
        report.pages += 1
    stylesheets = {
        (page.parent / unquote(urlsplit(url).path)).resolve()
        for page, url in links
        if not urlsplit(url).scheme and urlsplit(url).path.endswith(".css")
    }
    for sheet in sorted(path for path in stylesheets if path.is_file()):
        links += [(sheet, match[1]) for match in CSS_URL.findall(sheet.read_text(encoding="utf-8"))]

    for source, url in links:
        where = source.relative_to(site).as_posix()
        parts = urlsplit(url)
        if parts.scheme in IGNORED_SCHEMES:
            continue
        if parts.scheme in ("http", "https") or parts.netloc:
            report.external[url].add(where)
            if "&amp;" in url:
                report.broken.append(f"{where}: {url} (HTML-escaped twice)")
            continue
        report.checked += 1
        if parts.scheme or parts.path.startswith("/"):
            report.broken.append(f"{where}: {url} (absolute; breaks once published under a path)")
            continue
        target = (source.parent / unquote(parts.path)).resolve() if parts.path else source
        if target.is_dir():
            target = target / "index.html"
        if site not in target.parents:
            report.broken.append(f"{where}: {url} (leaves the site)")
        elif not target.is_file():
            report.broken.append(f"{where}: {url} (no such file: {target.relative_to(site)})")
        elif target.suffix == ".html" and parts.fragment:
            fragment = unquote(parts.fragment)
            if not FREE_FRAGMENTS.match(fragment) and fragment not in anchors.get(target, set()):
                report.broken.append(f"{where}: {url} (no id {fragment!r} in {target.relative_to(site)})")
    return report


def write_external(report: LinkReport, path: Path) -> None:
    """Write the external links, each followed by the pages that use it (never fetched)."""
    lines = [
        "# External links of the built site, with the pages that use them.",
        "# Collected by tests/test_links.py offline; none of them was fetched.",
    ]
    for url in sorted(report.external):
        lines.append(url)
        lines += [f"    {page}" for page in sorted(report.external[url])]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
