"""Texts of ``data/datapackage.json`` are data on the "Data and sources" page, never code.

A copy of ``data/`` gets hostile strings in every text field of its descriptor (package
description, resource titles and descriptions, caveats, field titles and descriptions, source
titles, publishers and licences); the page is generated from it and built with the book's
MyST settings (the ``substitution`` extension renders ``{{ }}`` with Jinja2) into tmp_path.
The build must not run the Jinja expression, the HTML must show each string literally, and
Chromium must open no dialog and create no element from them. The real ``data/`` and
``_build/html`` are only read.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from data_copies import build_data_page

from maintainer.paths import HTML, ROOT
from maintainer.site import serve

pytestmark = [pytest.mark.slow]


def hostile_texts(marker: Path) -> list[str]:
    """One string per way a text could turn into code or markup."""
    return [
        "{{ cycler.__init__.__globals__.os.popen('touch " + str(marker) + "').read() }}",
        "a legitimate {{ brace }} and {% raw %}",
        "<img src=x onerror=alert(1) id=hostile-img>",
        "<script>alert(2)</script>",
        "<a id=hostile-link href=javascript:alert(3)>click</a>",
        "[a link](javascript:alert(4)) and `code` and *stars* and **bold**",
        "{download}`x <../../../etc/passwd>` and :::{note}",
        "| a | pipe | and &lt;entity&gt; &amp;",
    ]


def poison(descriptor: dict, texts: list[str]) -> dict:
    """Put hostile strings into every text field a page shows, cycling through ``texts``."""
    counter = iter(range(10**6))

    def next_text(original: str) -> str:
        return f"{original} {texts[next(counter) % len(texts)]}"

    descriptor["description"] = next_text(descriptor.get("description", ""))
    for resource in descriptor["resources"]:
        resource["title"] = next_text(resource["title"])
        resource["description"] = next_text(resource.get("description", ""))
        resource["caveats"] = [next_text(c) for c in resource.get("caveats", [])] + texts
        for field in resource["schema"]["fields"]:
            field["title"] = next_text(field.get("title", ""))
            field["description"] = next_text(field.get("description", ""))
        for source in resource.get("sources", []):
            for key in ("title", "publisher", "license"):
                source[key] = next_text(source[key])
    return descriptor


def tree_digest(folder: Path) -> str:
    """One SHA-256 over the paths and bytes of every file under ``folder``."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path, list[str]]]:
    """The data page of a poisoned copy of data/, built into tmp; (html folder, marker, texts)."""
    before = (tree_digest(ROOT / "data"), tree_digest(HTML) if HTML.is_dir() else "")
    work = tmp_path_factory.mktemp("hostile")
    marker = work / "JINJA-RAN"
    texts = hostile_texts(marker)
    html = build_data_page(work, lambda descriptor: poison(descriptor, texts), "hostile")
    yield html, marker, texts
    after = (tree_digest(ROOT / "data"), tree_digest(HTML) if HTML.is_dir() else "")
    assert after == before, "the real data/ or _build/html changed"


def test_jinja_in_a_descriptor_text_is_not_evaluated(built: tuple[Path, Path, list[str]]) -> None:
    html_dir, marker, _ = built
    assert not marker.exists(), "a {{ }} expression of the descriptor ran during the build"
    page = (html_dir / "data_sources.html").read_text(encoding="utf-8")
    assert "{{ cycler.__init__.__globals__.os.popen(" in page
    assert "a legitimate {{ brace }} and {% raw %}" in page


class _Elements(HTMLParser):
    """Every start tag of a page with its attributes, and the text of its scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, text: str) -> None:
        if self._in_script:
            self.scripts.append(text)


def test_markup_in_descriptor_texts_shows_literally(built: tuple[Path, Path, list[str]]) -> None:
    html_dir, _, texts = built
    page = (html_dir / "data_sources.html").read_text(encoding="utf-8")
    parsed = _Elements()
    parsed.feed(page)
    made = [
        (tag, attrs)
        for tag, attrs in parsed.tags
        if attrs.get("id", "") in ("hostile-img", "hostile-link")
        or attrs.get("src") == "x"
        or (attrs.get("href") or "").startswith("javascript:")
        or "onerror" in attrs
        or "../../../etc/passwd" in (attrs.get("href") or "")
    ]
    assert made == [], f"descriptor texts became elements: {made[:3]}"
    assert not [s for s in parsed.scripts if "alert(" in s], "a descriptor text became a script"
    assert "<em>stars</em>" not in page and "<strong>bold</strong>" not in page
    assert '<div class="admonition note' not in page
    # Sphinx's smart quotes may curl quotes, so the hostile strings carry none.
    for escaped in (
        "&lt;img src=x onerror=alert(1) id=hostile-img&gt;",
        "&lt;a id=hostile-link href=javascript:alert(3)&gt;click&lt;/a&gt;",
        "&lt;script&gt;alert(2)&lt;/script&gt;",
        "[a link](javascript:alert(4)) and `code` and *stars* and **bold**",
        "{download}`x &lt;../../../etc/passwd&gt;` and :::{note}",
        "| a | pipe | and &amp;lt;entity&amp;gt; &amp;amp;",
    ):
        assert escaped in page, f"{escaped!r} is not shown literally"


@pytest.fixture(scope="module")
def served(built: tuple[Path, Path, list[str]]) -> Iterator[str]:
    """The hostile build served on 127.0.0.1 (a free port)."""
    server, url = serve(built[0])
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.browser
def test_chromium_opens_no_dialog_and_creates_no_element(browser, served: str) -> None:
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(served + "data_sources.html", wait_until="load")
        page.wait_for_timeout(500)  # give an onerror handler the chance to fire
        assert dialogs == []
        created = page.evaluate("""() => ({
            img: document.querySelectorAll('#hostile-img, img[src="x"]').length,
            link: document.querySelectorAll('#hostile-link, a[href^="javascript:"]').length,
            script: [...document.scripts].filter(s => s.textContent.includes('alert(')).length,
        })""")
        assert created == {"img": 0, "link": 0, "script": 0}
        assert page.get_by_text("<img src=x onerror=alert(1)", exact=False).count() > 0
    finally:
        page.close()
