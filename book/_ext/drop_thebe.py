"""Keep sphinx-thebe out of the built pages.

Jupyter Book 1 always loads the ``sphinx_thebe`` extension, even with
``launch_buttons.thebe: false``. On every page it then adds an inline script declaring
``THEBE_JS_URL`` (a third-party CDN URL), twice on a fresh build, so the browser
logs "Identifier 'THEBE_JS_URL' has already been declared", plus ``sphinx-thebe.js``,
``sphinx-thebe.css`` and a Binder configuration block naming an unrelated example repository.
This book does not use Thebe (static readers get kernel-free toggles, live readers get the
Binder launch button), so this extension unhooks sphinx-thebe before the build starts and
drops whatever asset of it is still registered from every page.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

THEBE_MODULE = "sphinx_thebe"
THEBE_ASSETS = ("sphinx-thebe.js", "sphinx-thebe.css")


def _unhook_thebe(app: Sphinx, config: Config) -> None:
    """Disconnect every event handler registered by sphinx-thebe.

    Runs on ``config-inited``, after all extensions were set up and before any of the
    handlers fired: no static path, no script, no configuration block is added.
    """
    for listeners in app.events.listeners.values():
        for listener in list(listeners):
            if getattr(listener.handler, "__module__", "").startswith(THEBE_MODULE):
                app.disconnect(listener.id)


def _is_thebe_asset(asset: Any) -> bool:
    filename = str(getattr(asset, "filename", asset) or "")
    body = str((getattr(asset, "attributes", None) or {}).get("body") or "")
    return filename.endswith(THEBE_ASSETS) or "THEBE_JS_URL" in body


def _drop_thebe_assets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Remove sphinx-thebe's stylesheet (added at setup time) and any script left."""
    for key in ("css_files", "script_files"):
        files = context.get(key)
        if files:
            # in place: the list is the builder's per-page list, restored for the next page
            files[:] = [asset for asset in files if not _is_thebe_asset(asset)]


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", _unhook_thebe)
    # late priority: after every extension that adds assets in this event
    app.connect("html-page-context", _drop_thebe_assets, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
