"""The widget runtime only when a reader turns to a widget; kernel-free static toggles until then.

myst-nb adds the widget runtime (``embed.js`` of ``@jupyter-widgets/html-manager``, 1.9 MB,
0.46 MB gzipped) to every page with saved widget views. Evaluating it takes the main thread
for a second or more on a phone, which Lighthouse counts as blocking time even after
``load``. So the page never requests it by itself: its script tag becomes the inline
``lazy_widgets.js``, which

* makes the static copy of each view (``first_paint.py``) work: its buttons switch the
  pane at once, from the page's saved widget state;
* requests the runtime on the first pointer, touch or focus on a static copy, or when one
  scrolls near the viewport after the reader scrolled;
* hands the reader's choices and focus over to each live view once it has rendered.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

RUNTIME = "widgets/embed.js"
SCRIPT = Path(__file__).with_name("lazy_widgets.js")
PLACEHOLDER = '"__RUNTIME_URL__"'


def loader_script(runtime_url: str) -> str:
    """The inline script of a widget page, naming the runtime's page-relative URL."""
    body = SCRIPT.read_text(encoding="utf-8")
    if PLACEHOLDER not in body:
        raise ValueError(f"{SCRIPT.name} no longer names {PLACEHOLDER}")
    # json.dumps gives a JavaScript string; "</" is escaped so the URL cannot end the script
    return body.replace(PLACEHOLDER, json.dumps(runtime_url).replace("</", "<\\/"))


def replace_runtime(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    """The page's runtime script tag becomes the inline loader (same place, same order)."""
    files = context.get("script_files")
    for i, asset in enumerate(files or []):
        name = str(getattr(asset, "filename", None) or "")
        if not name.endswith(RUNTIME):
            continue
        path = name if name.startswith("_static/") else f"_static/{name}"
        files[i] = type(asset)(None, priority=asset.priority, body=loader_script(context["pathto"](path, 1)))


def setup(app: Sphinx) -> dict[str, Any]:
    # late: after myst-nb added the runtime to the page (first_paint defers at 950)
    app.connect("html-page-context", replace_runtime, priority=960)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
