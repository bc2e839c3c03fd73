"""The widget runtime only when a reader turns to a widget; kernel-free static toggles until then.

myst-nb adds the widget runtime (``embed.js`` of ``@jupyter-widgets/html-manager``, 1.9 MB,
0.46 MB gzipped) to every page with saved widget views. Evaluating it takes the main thread
for a second or more on a phone, which Lighthouse counts as blocking time even after
``load``. So the page never requests it by itself: its script tag becomes the deferred
``static/lazy_widgets.js`` (one small file, cached across chapters), which

* makes the static copy of each view (``first_paint.py``) work: its buttons switch the
  pane, from the page's saved widget state;
* requests the runtime on the first pointer, touch or focus on a static copy, or when one
  scrolls near the viewport after the reader scrolled;
* hands the reader's choices and focus over to each live view once it has rendered.

The saved widget state (every pane of every toggle, 14–103 kB a chapter) is not in the
page either: the first paint would wait for all of it, though it shows only the default
panes, which the static copies already hold. It goes to ``_widget_state/<page>.js``, which
the loader brings in once the page has loaded (or at the first touch of a toggle) and puts
back into the page as the ``<script type="application/vnd.jupyter.widget-state+json">``
that html-manager reads. A script rather than a JSON file, so that it loads from a copy of
the site opened from disk too (no ``fetch`` of ``file:`` URLs).
"""

from __future__ import annotations

import json
import posixpath
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

RUNTIME = "widgets/embed.js"
LOADER = "_static/lazy_widgets.js"  # from book/_ext/static, in html_static_path (_config.yml)
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
STATE_DIR = "_widget_state"
# what a state file holds around the state's JSON; maintainer/page_audit.py reads it back
STATE_PREFIX = "window.iomunWidgetState = "
STATE_SUFFIX = ";\n"


def state_script(state_json: str) -> str:
    """The state file's text: the saved state as a JavaScript value.

    Re-serialised with ASCII escapes: no character of the data can end the value (JSON is a
    JavaScript expression), and U+2028/U+2029 stay escaped.
    """
    return STATE_PREFIX + json.dumps(json.loads(state_json), ensure_ascii=True) + STATE_SUFFIX


def write_state(outdir: Path, pagename: str, state_json: str) -> str:
    """Write the page's saved state to its file; its path inside the site."""
    name = f"{STATE_DIR}/{pagename}.js"
    target = outdir / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(state_script(state_json), encoding="utf-8")
    return name


def _page_url(pagename: str, path: str) -> str:
    return posixpath.relpath(path, posixpath.dirname(pagename) or ".")


def replace_runtime(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """The page's state leaves it for its own file; the runtime's tag becomes the loader's."""
    files = context.get("script_files") or []
    states = [asset for asset in files if getattr(asset, "attributes", {}).get("type") == WIDGET_STATE]
    runtimes = [asset for asset in files if str(getattr(asset, "filename", None) or "").endswith(RUNTIME)]
    if not runtimes:
        return
    if len(states) != 1:
        raise ValueError(f"{pagename}: {len(states)} saved widget states, expected one")
    state = write_state(Path(app.outdir), pagename, states[0].attributes["body"])
    runtime = runtimes[0]
    loader = type(runtime)(
        LOADER,
        priority=runtime.priority,
        defer="defer",
        **{"data-runtime": _page_url(pagename, f"_static/{RUNTIME}"), "data-state": _page_url(pagename, state)},
    )
    files[:] = [loader if asset is runtime else asset for asset in files if asset is not states[0]]


def setup(app: Sphinx) -> dict[str, Any]:
    # late: after myst-nb added the state and runtime to the page, and after first_paint
    # moved the state's figures to files (both at 950)
    app.connect("html-page-context", replace_runtime, priority=960)
    return {"version": "1.1", "parallel_read_safe": True, "parallel_write_safe": True}
