"""What a reader sees before (and without) the widget runtime, and a description per page.

* Static fallback of every saved widget view: the widget runtime (``embed.js`` of
  ``@jupyter-widgets/html-manager``, loaded ``defer`` through ``nb_ipywidgets_js``) renders
  the saved views only once the page has loaded, and not at all without JavaScript. So that
  the text and each toggle's default pane (Figure N) are there at first paint, every
  ``application/vnd.jupyter.widget-view+json`` script gets, just before it, the view's
  default state rendered as plain HTML from the notebook's saved widget state: each
  selector as a labelled group of real buttons (the shown option pressed), and the selected
  child of every stack, marked with its model so that ``lazy_widgets.js`` can switch it.
  html-manager inserts the live view right after this fallback (before the script); the
  fallback is hidden once ``lazy_widgets.js`` has handed the reader's choices over to it.
* Figures of saved widget views as files: panes carry their figures as inline PNG
  (``data:`` URIs), which made a chapter's HTML (state and fallback alike) several hundred
  kilobytes that must arrive before anything paints. Each such PNG is written once to
  ``_images/widget-<sha256>.png`` and referenced relative to the page, with its width and
  height so the space is kept while it loads; the default pane's figure is preloaded. The
  figures of ordinary cell outputs (``render_figure``'s inline PNG) go the same way, so
  the page's HTML, which everything else waits for, stays small.
* Scripts that nothing needs before the first paint are loaded ``defer`` (in order, so
  their dependencies hold); ``documentation_options.js`` stays, since inline scripts of the
  theme use it at once. The widget runtime is left to ``lazy_widgets.py``, which requests
  it only when a reader turns to a widget.
* Web fonts ``font-display: swap`` instead of ``block``: the theme's Font Awesome faces and
  the widget runtime's copy would otherwise hide their text for up to three seconds while
  the font loads (rewritten in the built files; a theme upgrade that changes them warns).
* ``<meta name="description">`` per page, from its opening paragraph (a page with none,
  such as the references, gets its title and the book's), escaped.
"""

from __future__ import annotations

import hashlib
import html
import json
import posixpath
import re
import struct
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
FALLBACK_CLASS = "iomun-fallback"
MODEL_REF = "IPY_MODEL_"
DESCRIPTION_CHARS = 160
VIEW_SCRIPT = re.compile(rf'<script type="{re.escape(WIDGET_VIEW)}">(.*?)</script>', flags=re.S)
# Until the reader's choices are handed over (lazy_widgets.js), the live view is hidden and
# the fallback shown; then the other way round. The selector rows are laid out as the live
# ones are (the label on its own 28 px line, the 28 px buttons below it) and the pane's text
# is set as html-manager sets it (13 px on 28 px lines), so the swap barely moves the page;
# colours are the browser's own button colours.
FALLBACK_CSS = f"""<style>
.{FALLBACK_CLASS}.iomun-replaced, .{FALLBACK_CLASS}:not(.iomun-replaced) + .widget-subarea {{ display: none; }}
.{FALLBACK_CLASS}-choice {{ padding-bottom: 9px; }}
.{FALLBACK_CLASS} > .{FALLBACK_CLASS}-stack {{ display: flow-root; margin: 2px; font-size: 13px; line-height: 28px; }}
.{FALLBACK_CLASS}-choice span {{ display: block; line-height: 28px; }}
.{FALLBACK_CLASS}-choice button {{ height: 28px; margin: 0 2px 1px; padding: 0 10px; font: inherit; font-size: 13px;
  vertical-align: top; border: 1px solid transparent; cursor: pointer; }}
.{FALLBACK_CLASS}-choice [aria-pressed="true"] {{ font-weight: bold; box-shadow: inset 0 -3px 0 currentColor; }}
@media print {{ .{FALLBACK_CLASS}-choice {{ display: none; }} }}
</style>"""


INLINE_PNG = re.compile(r'(<source media="([^"]*)" )?(src|srcset)="data:image/png;base64,([A-Za-z0-9+/=]+)"')
IMAGES = "_images"
KEEP_BLOCKING = ("documentation_options.js",)  # read at once by the theme's inline scripts
RUNTIME = "widgets/embed.js"  # left to lazy_widgets.py


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    return struct.unpack(">II", png[16:24])


def externalize_images(markup: str, docname: str, outdir: Path) -> tuple[str, list[tuple[str, str]]]:
    """``markup`` with every inline PNG written to ``_images/`` and linked from the page.

    A ``<picture>``'s ``<source media=... srcset=...>`` (a chart's phone layout,
    :func:`iomun.figures.chart_html`) goes the same way as an ``<img src=...>``. Returns the new
    markup and, in order, each image's page-relative URL with the media query it is served to
    (empty: any; the image that follows a source gets the source's query negated).
    """
    import base64

    urls: list[tuple[str, str]] = []

    def replace(match: re.Match[str]) -> str:
        source, media, attribute, data = match.groups()
        png = base64.b64decode(data)
        name = f"widget-{hashlib.sha256(png).hexdigest()[:20]}.png"
        target = outdir / IMAGES / name
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(png)
        url = posixpath.relpath(f"{IMAGES}/{name}", posixpath.dirname(docname) or ".")
        in_picture = markup.rfind("<picture", 0, match.start()) > markup.rfind("</picture>", 0, match.start())
        if source:
            urls.append((url, media))
        else:  # the fallback of a picture is for every screen its sources are not for
            urls.append((url, f"not {urls[-1][1]}" if in_picture and urls and urls[-1][1] else ""))
        width, height = png_size(png)
        return f'{source or ""}{attribute}="{html.escape(url, quote=True)}" width="{width}" height="{height}"'

    return INLINE_PNG.sub(replace, markup), urls


class FallbackError(ValueError):
    """A saved view cannot be shown as static HTML."""


def _models(state: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return state.get("state", {})


def _child_ids(refs: list[str]) -> list[str]:
    return [ref.removeprefix(MODEL_REF) for ref in refs]


def _choice_html(model_id: str, model: dict[str, Any]) -> str:
    """A selector as a labelled group of buttons, the selected one pressed (all escaped)."""
    labels = model.get("_options_labels") or []
    index = model.get("index")
    options = "".join(
        f'<button type="button" data-index="{i}" aria-pressed="{str(i == index).lower()}">{html.escape(label)}</button>'
        for i, label in enumerate(labels)
    )
    label = html.escape(model.get("description") or "", quote=True)
    return (
        f'<div class="{FALLBACK_CLASS}-choice" role="group" aria-label="{label}"'
        f' data-model="{html.escape(model_id, quote=True)}"><span>{label}</span>{options}</div>'
    )


def _pane_html(value: str) -> str:
    # Markup that html-manager would set as innerHTML, where a <script> never runs; parsed
    # as part of the page it would, so such a pane gets no fallback.
    if "<script" in value.lower():
        raise FallbackError("an HTML pane holds a <script>")
    return value


def render_model(models: dict[str, dict[str, Any]], model_id: str) -> str:
    """The default look of one saved widget model (and its children) as static HTML."""
    if model_id not in models:
        raise FallbackError(f"model {model_id} is not in the saved widget state")
    name = models[model_id].get("model_name", "")
    state = models[model_id].get("state", {})
    if name == "ToggleButtonsModel":
        return _choice_html(model_id, state)
    if name == "HTMLModel":
        return _pane_html(state.get("value") or "")
    if name == "StackModel":
        children = _child_ids(state.get("children") or [])
        index = state.get("selected_index")
        child = "" if index is None else render_model(models, children[index])
        # the same wrapper as render() in lazy_widgets.js, which re-renders it on a click
        return (
            f'<div class="{FALLBACK_CLASS}-stack" data-model="{html.escape(model_id, quote=True)}"'
            f' data-index="{"" if index is None else index}">{child}</div>'
        )
    if name in {"VBoxModel", "HBoxModel", "BoxModel"}:
        return "".join(render_model(models, c) for c in _child_ids(state.get("children") or []))
    raise FallbackError(f"no static rendering for {name or 'a model without a name'}")


def _widget_state(app: Sphinx, docname: str) -> dict[str, Any] | None:
    from myst_nb.sphinx_ import NbMetadataCollector

    if docname not in NbMetadataCollector.get_doc_data(app.env):
        return None
    saved = NbMetadataCollector.get_js_files(app.env, docname).get("ipywidgets_state")
    return json.loads(saved[1]["body"]) if saved else None


def add_fallbacks(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Put the static default view before every saved widget view of the page."""
    state = _widget_state(app, docname)
    if state is None:
        return
    models = _models(state)
    added = 0
    preloads: list[tuple[str, str]] = []
    for raw in list(doctree.findall(nodes.raw)):
        match = VIEW_SCRIPT.fullmatch(raw.astext().strip())
        if not match or "html" not in raw.get("format", ""):
            continue
        model_id = json.loads(match.group(1)).get("model_id", "")
        try:
            body = render_model(models, model_id)
        except FallbackError as error:
            logger.warning(f"{docname}: widget view {model_id} has no static fallback: {error}")
            continue
        body, urls = externalize_images(body, docname, Path(app.outdir))
        preloads.extend(urls)
        fallback = nodes.raw(text=f'<div class="{FALLBACK_CLASS}">{body}</div>', format="html")
        raw.parent.insert(raw.parent.index(raw), fallback)
        added += 1
    if added:
        doctree["iomun_fallbacks"] = added
        # the first figure, the likely largest paint: both layouts of a chart, each for its own screens
        doctree["iomun_preloads"] = preloads[:2] if preloads and preloads[0][1] else preloads[:1]


CITATION_LABEL = re.compile(r"\s*\[\s*[A-Z][A-Za-z+]*\d{2}[a-z]?\s*\]")


def opening_paragraph(doctree: nodes.document) -> str:
    """The text of the page's first paragraph of prose, whitespace collapsed."""
    for paragraph in doctree.findall(nodes.paragraph):
        if any(
            isinstance(parent, (nodes.Admonition, nodes.footnote, nodes.citation, nodes.field_list))
            for parent in _ancestors(paragraph)
        ):
            continue
        # Citation labels such as "[MW16]" mean nothing in a search result: leave them out.
        text = CITATION_LABEL.sub("", " ".join(paragraph.astext().split()))
        if text:
            return text
    return ""


def _title_line(app: Sphinx | None, doctree: nodes.document) -> str:
    """For a page without prose: its first title, then the book's title."""
    title = doctree.next_node(nodes.title)
    parts = [title.astext() if title else "", app.config.html_title if app else ""]
    return ": ".join(part for part in parts if part)


def _ancestors(node: nodes.Node) -> list[nodes.Node]:
    found = []
    while node.parent is not None:
        node = node.parent
        found.append(node)
    return found


def shorten(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def add_head_tags(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """The page's meta description, and the fallback stylesheet on pages with widgets."""
    if doctree is None:
        return
    tags = []
    description = shorten(opening_paragraph(doctree) or _title_line(app, doctree))
    if description:
        tags.append(f'<meta name="description" content="{html.escape(description, quote=True)}">')
    if doctree.get("iomun_fallbacks"):
        tags.append(FALLBACK_CSS)
        tags += [
            f'<link rel="preload" as="image" href="{html.escape(url, quote=True)}"'
            + (f' media="{html.escape(media, quote=True)}"' if media else "")
            + ">"
            for url, media in doctree.get("iomun_preloads", [])
        ]
    if tags:
        context["metatags"] = context.get("metatags", "") + "\n    " + "\n    ".join(tags)


def _with_defer(asset: Any) -> Any:
    attributes = {**asset.attributes, "defer": "defer"}
    return type(asset)(asset.filename, priority=asset.priority, **attributes)


def defer_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Every script file of the page ``defer`` (order kept), but the ones read at once and
    the widget runtime."""
    files = context.get("script_files")
    if not files:
        return
    out = []
    for asset in files:
        filename = str(getattr(asset, "filename", None) or "")
        waits = filename.endswith((RUNTIME, *KEEP_BLOCKING)) or {"defer", "async"} & set(asset.attributes)
        out.append(asset if not filename or waits else _with_defer(asset))
    files[:] = out


def externalize_state_images(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """The page's saved widget state with its inline PNGs moved to ``_images/``."""
    from myst_nb.core.render import sanitize_script_content

    files = context.get("script_files") or []
    for i, asset in enumerate(files):
        attributes = getattr(asset, "attributes", {})
        if attributes.get("type") != "application/vnd.jupyter.widget-state+json":
            continue
        saved = json.loads(attributes["body"])
        for model in _models(saved).values():
            value = model.get("state", {}).get("value")
            if model.get("model_name") == "HTMLModel" and isinstance(value, str):
                model["state"]["value"], _ = externalize_images(value, pagename, Path(app.outdir))
        state = sanitize_script_content(json.dumps(saved))
        files[i] = type(asset)(asset.filename, priority=asset.priority, **{**attributes, "body": state})


def externalize_page_images(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """The page body's inline PNGs (cell outputs) moved to ``_images/``."""
    body = context.get("body")
    if body and "data:image/png;base64," in body:
        context["body"], _ = externalize_images(body, pagename, Path(app.outdir))


SWAP_FONTS = ("_static/styles/pydata-sphinx-theme.css", "_static/widgets/embed.js")


def swap_fonts(app: Sphinx, exception: Exception | None) -> None:
    """At ``build-finished``: ``font-display:block`` becomes ``swap`` in the built assets."""
    if exception is not None or app.builder.format != "html":
        return
    for name in SWAP_FONTS:
        path = Path(app.outdir) / name
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        if "font-display:block" in text:
            path.write_text(text.replace("font-display:block", "font-display:swap"), encoding="utf-8")
        elif "font-display:swap" not in text:
            logger.warning(f"first_paint: {name} declares no font-display any more; check its fonts")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("build-finished", swap_fonts)
    app.connect("doctree-resolved", add_fallbacks)
    app.connect("html-page-context", add_head_tags)
    # late: after myst-nb added the widget state and runtime to the page
    app.connect("html-page-context", defer_scripts, priority=950)
    app.connect("html-page-context", externalize_state_images, priority=950)
    app.connect("html-page-context", externalize_page_images, priority=950)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
