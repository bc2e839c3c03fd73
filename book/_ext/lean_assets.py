"""Theme assets the first paint does not need, kept off its critical path.

Every stylesheet in ``<head>`` blocks rendering until it has arrived and been parsed; on a
phone over slow 4G each one delays the first paint. This extension, per page:

* drops sphinx-design's stylesheet (55 kB) and tab script, which Jupyter Book 1 always
  loads, from pages that use none of its components (no ``sd-`` class in the body);
* loads the stylesheets of things that scripts add after the first paint (copy button,
  toggle button) or that only colour code (Pygments) without blocking rendering: they start
  as ``media="print"`` and switch to all media once loaded, and a ``<noscript>`` copy keeps
  them for readers without JavaScript;
* writes ``documentation_options.js`` (0.4 kB, which the theme's inline scripts read at
  once, so it cannot be deferred) into the page itself: one round trip fewer before the
  first paint. It is rendered from Sphinx's own template with the build's context, so it
  says what the file says.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import sphinx
from sphinx.application import Sphinx

DESIGN_ASSETS = ("sphinx-design.min.css", "design-tabs.js")
DESIGN_CLASS = ('class="sd-', " sd-")
LATE_STYLESHEETS = ("copybutton.css", "togglebutton.css", "pygments.css")
SWAP = "this.media='all'"
OPTIONS = "documentation_options.js"
OPTIONS_TEMPLATE = Path(sphinx.__file__).parent / "themes" / "basic" / "static" / f"{OPTIONS}.jinja"


def _name(asset: Any) -> str:
    return str(getattr(asset, "filename", asset) or "").split("?")[0]


def _uses_design(body: str) -> bool:
    return any(marker in body for marker in DESIGN_CLASS)


def drop_unused_design(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Without a sphinx-design component on the page, none of its assets."""
    if _uses_design(context.get("body", "")):
        return
    for key in ("css_files", "script_files"):
        files = context.get(key)
        if files:
            files[:] = [asset for asset in files if not _name(asset).endswith(DESIGN_ASSETS)]


def load_late_stylesheets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """The late stylesheets as ``media="print"`` links that switch to all media on load."""
    files = context.get("css_files") or []
    fallbacks = []
    for i, asset in enumerate(files):
        if not _name(asset).endswith(LATE_STYLESHEETS) or "media" in asset.attributes:
            continue
        files[i] = type(asset)(
            asset.filename, priority=asset.priority, **{**asset.attributes, "media": "print", "onload": SWAP}
        )
        href = context["pathto"](str(asset.filename), 1)
        fallbacks.append(f'<link rel="stylesheet" href="{html.escape(href, quote=True)}">')
    if fallbacks:
        context["metatags"] = context.get("metatags", "") + "\n    <noscript>" + "".join(fallbacks) + "</noscript>"


def documentation_options(app: Sphinx) -> str:
    """The body of ``documentation_options.js`` as Sphinx writes it for this build."""
    return app.builder.templates.render_string(OPTIONS_TEMPLATE.read_text(encoding="utf-8"), app.builder.globalcontext)


def inline_documentation_options(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """The page's ``documentation_options.js`` tag becomes an inline script, in its place."""
    files = context.get("script_files") or []
    for i, asset in enumerate(files):
        if _name(asset).endswith(OPTIONS):
            files[i] = type(asset)(None, priority=asset.priority, body=documentation_options(app))


def setup(app: Sphinx) -> dict[str, Any]:
    # late: after every extension added its assets (drop_thebe runs at 900)
    app.connect("html-page-context", drop_unused_design, priority=940)
    app.connect("html-page-context", load_late_stylesheets, priority=940)
    app.connect("html-page-context", inline_documentation_options, priority=940)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
