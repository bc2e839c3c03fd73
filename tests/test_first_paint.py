"""What a reader gets before the widget runtime has run: deferred scripts, each toggle's
default pane as static HTML (also without JavaScript), and a meta description per page."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from maintainer import page_audit
from maintainer.page_audit import WIDGET_STATE
from maintainer.site import FALLBACK, HTML, PAGES, RUNTIME, WIDGET_VIEW, has_widgets, runtime_requests, wait_for_widgets

WIDGET_PAGES = [doc for doc in PAGES if has_widgets(doc)]


class _Head(HTMLParser):
    """The script tags (attributes) and meta descriptions of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[dict[str, str | None]] = []
        self.descriptions: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script":
            self.scripts.append(found)
        elif tag == "meta" and found.get("name") == "description":
            self.descriptions.append(found.get("content") or "")


def _head(doc: str) -> _Head:
    parser = _Head()
    parser.feed((HTML / f"{doc}.html").read_text(encoding="utf-8"))
    return parser


@pytest.mark.parametrize("doc", WIDGET_PAGES or [pytest.param("none", marks=pytest.mark.skip)])
def test_widget_runtime_is_not_requested_before_interaction(browser, site, doc: str) -> None:
    """No script tag names the runtime, and a page left alone never requests it."""
    assert not [s for s in _head(doc).scripts if RUNTIME in (s.get("src") or "")]
    context = browser.new_context(viewport={"width": 412, "height": 823})
    try:
        requested: list[str] = []
        context.on("request", lambda request: RUNTIME in request.url and requested.append(request.url))
        page = context.new_page()
        page.goto(site + f"{doc}.html", wait_until="networkidle")
        assert not requested and not runtime_requests(page), f"{doc}: runtime requested on page load"
        assert page.locator(".widget-subarea").count() == 0
    finally:
        context.close()


@pytest.mark.book
@pytest.mark.parametrize("doc", PAGES)
def test_no_script_file_blocks_the_parser_but_documentation_options(doc: str) -> None:
    blocking = [
        s["src"]
        for s in _head(doc).scripts
        if s.get("src")
        and not {"defer", "async"} & set(s)
        and not s["src"].split("?")[0].endswith("documentation_options.js")
    ]
    assert not blocking, f"{doc}: parser-blocking scripts {blocking}"


@pytest.mark.book
@pytest.mark.parametrize("doc", PAGES)
def test_meta_description_from_the_opening_paragraph(doc: str) -> None:
    descriptions = _head(doc).descriptions
    assert len(descriptions) == 1, f"{doc}: {len(descriptions)} meta descriptions"
    text = descriptions[0]
    assert 10 <= len(text) <= 160, f"{doc}: description of {len(text)} characters: {text!r}"
    page = (HTML / f"{doc}.html").read_text(encoding="utf-8")
    article = page[page.index('<article class="bd-article">') :]
    heading = html.unescape(re.sub(r"<[^>]+>", "", re.search(r"<h1>(.*?)</h1>", article, re.S).group(1)))
    if "<p>" not in article.split('<div class="citation"')[0].split('role="list"')[0]:
        # no prose on the page (the references): its title, then the book's
        assert text.startswith(heading.strip("#").strip() + ": "), f"{doc}: {text!r}"
        return
    body = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", article)).split())
    body = _first_paint().CITATION_LABEL.sub("", body)  # the description leaves citation labels out
    body = re.sub(r"\s+([,.;:!?)])", r"\1", body)  # tags split "briefing</a>," into "briefing ,"
    assert text.removesuffix("…")[:60] in body, f"{doc}: description not from the page: {text!r}"


def _first_paint():
    """The extension module (book/_ext is not a package)."""
    import importlib.util

    path = HTML.parent.parent / "book" / "_ext" / "first_paint.py"
    spec = importlib.util.spec_from_file_location("first_paint", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _saved(labels: list[str], panes: list[str]) -> dict:
    """A saved widget state as static_toggle writes it: VBox(ToggleButtons, Stack(HTML...))."""
    models = {
        "box": {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_sel", "IPY_MODEL_stack"]}},
        "sel": {
            "model_name": "ToggleButtonsModel",
            "state": {"_options_labels": labels, "index": 1, "description": "<b>Lens</b>:"},
        },
        "stack": {
            "model_name": "StackModel",
            "state": {"children": [f"IPY_MODEL_p{i}" for i in range(len(panes))], "selected_index": 1},
        },
    }
    for i, pane in enumerate(panes):
        models[f"p{i}"] = {"model_name": "HTMLModel", "state": {"value": pane}}
    return models


def test_fallback_shows_the_selected_pane_and_escapes_labels() -> None:
    first_paint = _first_paint()
    markup = first_paint.render_model(_saved(["a & b", "<i>c</i>"], ["<p>one</p>", "<p>two</p>"]), "box")
    assert "<p>two</p>" in markup and "<p>one</p>" not in markup
    assert '<button type="button" data-index="1" aria-pressed="true">&lt;i&gt;c&lt;/i&gt;</button>' in markup
    assert '<button type="button" data-index="0" aria-pressed="false">a &amp; b</button>' in markup
    assert 'aria-label="&lt;b&gt;Lens&lt;/b&gt;:"' in markup and "<span>&lt;b&gt;Lens&lt;/b&gt;:</span>" in markup
    assert '<div class="iomun-fallback-stack" data-model="stack" data-index="1"><p>two</p></div>' in markup


def test_fallback_refuses_a_pane_with_a_script() -> None:
    first_paint = _first_paint()
    with pytest.raises(first_paint.FallbackError):
        first_paint.render_model(_saved(["a", "b"], ["<p>x</p>", "<SCRIPT>alert(1)</SCRIPT>"]), "box")


def test_meta_description_is_escaped() -> None:
    """Markup in an opening paragraph reaches the attribute as text, never as a tag."""
    from docutils import nodes
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser
    from docutils.utils import new_document

    first_paint = _first_paint()
    document = new_document("test", get_default_settings(Parser))
    document += nodes.paragraph(text='A "quoted" <script>alert(1)</script> & more text here, long enough.')
    context: dict = {}
    first_paint.add_head_tags(None, "page", "page.html", context, document)
    tag = re.search(r'<meta name="description" content="([^"]*)">', context["metatags"])
    assert tag, context["metatags"]
    assert "<script" not in context["metatags"]
    assert html.unescape(tag.group(1)).startswith('A "quoted" <script>alert(1)</script> & more')


def _blocked_runtime(context) -> None:
    context.route(f"**/{RUNTIME}*", lambda route: route.abort())


@pytest.mark.parametrize("doc", WIDGET_PAGES or [pytest.param("none", marks=pytest.mark.skip)])
def test_default_panes_visible_before_the_runtime_runs(browser, site, doc: str) -> None:
    """With the runtime held back (never delivered), each saved view shows its default
    pane: the figure or table of the toggle's first option, and its options as text."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        _blocked_runtime(context)
        page = context.new_page()
        page.goto(site + f"{doc}.html", wait_until="load")
        views = page.locator(f'script[type="{WIDGET_VIEW}"]').count()
        fallbacks = page.locator(FALLBACK)
        assert fallbacks.count() == views, f"{doc}: {views} widget views, {fallbacks.count()} fallbacks"
        assert page.locator(".widget-subarea").count() == 0, "the runtime ran although blocked"
        for i in range(views):
            fallback = fallbacks.nth(i)
            assert fallback.is_visible(), f"{doc}: fallback {i} hidden"
            assert fallback.locator("button[aria-pressed=true]").count() >= 1, f"{doc}: fallback {i} names no option"
            content = fallback.locator("img, table")
            assert content.count() >= 1 and content.first.is_visible(), f"{doc}: fallback {i} is empty"
        page.wait_for_function("() => [...document.images].every(i => i.complete && i.naturalWidth)")
    finally:
        context.close()


@pytest.mark.parametrize("doc", WIDGET_PAGES[:1] or [pytest.param("none", marks=pytest.mark.skip)])
def test_default_panes_without_javascript(browser, site, doc: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site + f"{doc}.html", wait_until="load")
        fallbacks = page.locator(FALLBACK)
        assert fallbacks.count() >= 1 and fallbacks.first.locator("img, table").first.is_visible()
    finally:
        context.close()


@pytest.mark.parametrize("doc", WIDGET_PAGES or [pytest.param("none", marks=pytest.mark.skip)])
def test_live_view_replaces_the_fallback(browser, site, doc: str) -> None:
    """Once the runtime has run, every fallback is hidden and its live view shows the same
    default pane (the first option's markup)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(site + f"{doc}.html", wait_until="load")
        wait_for_widgets(page)
        page.wait_for_function(
            "(sel) => [...document.querySelectorAll(sel)].every(f => !f.checkVisibility())", arg=FALLBACK
        )
        pairs = page.evaluate(
            """(sel) => [...document.querySelectorAll(sel)].map(f => {
                const live = f.nextElementSibling;
                const img = el => [...el.querySelectorAll('img')]
                    .filter(i => i.checkVisibility() || el === f).map(i => i.getAttribute('src'));
                return [img(f), live.classList.contains('widget-subarea') ? img(live) : null];
            })""",
            FALLBACK,
        )
        for i, (fallback_images, live_images) in enumerate(pairs):
            assert live_images is not None, f"{doc}: fallback {i} not followed by its live view"
            assert fallback_images == live_images, f"{doc}: view {i} default pane differs"
    finally:
        context.close()


@pytest.mark.book
def test_widget_figures_are_files_not_inline() -> None:
    """Saved widget state links its figures (kept out of the HTML the first paint waits for)."""
    linked = 0
    for doc in WIDGET_PAGES:
        state = page_audit.saved_state(_state_file(doc))
        values = json.dumps(state)
        assert "data:image/png" not in values, f"{doc}: an inline PNG left in the widget state"
        linked += values.count("_images/widget-")
    assert linked, "no widget figure is linked as a file"


def _loader(doc: str) -> dict[str, str | None]:
    loaders = [s for s in _head(doc).scripts if "lazy_widgets.js" in (s.get("src") or "")]
    assert len(loaders) == 1, f"{doc}: {len(loaders)} widget loaders"
    return loaders[0]


def _state_file(doc: str) -> Path:
    return (HTML / doc).parent / _loader(doc)["data-state"]


@pytest.mark.book
@pytest.mark.parametrize("doc", WIDGET_PAGES or [pytest.param("none", marks=pytest.mark.skip)])
def test_saved_widget_state_is_a_file_of_its_own(doc: str) -> None:
    """A chapter's HTML holds no widget state (the first paint would wait for all of it);
    its loader, deferred, names the state's file and the runtime, and both are in the site."""
    page = (HTML / f"{doc}.html").read_text(encoding="utf-8")
    assert WIDGET_STATE not in page, f"{doc}: widget state inline"
    loader = _loader(doc)
    assert "defer" in loader, f"{doc}: the widget loader blocks the parser"
    assert ((HTML / doc).parent / loader["data-runtime"]).resolve() == (HTML / "_static" / RUNTIME).resolve()
    models = page_audit.saved_state(_state_file(doc))["state"]
    views = [
        json.loads(v)["model_id"]
        for v in re.findall(rf'<script type="{re.escape(WIDGET_VIEW)}">(.*?)</script>', page, flags=re.S)
    ]
    assert views and all(view in models for view in views), f"{doc}: a view's model is not in the state"


@pytest.mark.book
def test_web_fonts_swap() -> None:
    """No web font of the site hides its text while it loads."""
    for name in ("_static/styles/pydata-sphinx-theme.css", "_static/widgets/embed.js"):
        text = (HTML / name).read_text(encoding="utf-8")
        assert "font-display:block" not in text and "font-display:swap" in text, name
