"""What the tests of the built site share: its paths, its pages, and Chromium's settings.

The fixtures that serve the site and launch the browser (``site``, ``browser``) live in
``conftest.py`` and use these.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HOST = "127.0.0.1"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
TOGGLE = ".widget-toggle-buttons"


def toc_documents(toc_path: Path = ROOT / "_toc.yml") -> list[str]:
    """Every document of ``_toc.yml``: the root, then parts, chapters and sections in order."""
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    documents = [toc["root"]]

    def walk(entries: list[dict]) -> None:
        for entry in entries or []:
            if "file" in entry:
                documents.append(entry["file"])
            for key in ("parts", "chapters", "sections"):
                walk(entry.get(key, []))

    walk([{key: toc[key]} for key in ("parts", "chapters", "sections") if key in toc])
    return [re.sub(r"\.(md|ipynb)$", "", doc) for doc in documents]


PAGES = toc_documents()
CHAPTERS = [doc for doc in PAGES if doc.startswith("notebooks/")]


def has_widgets(doc: str, html: Path = HTML) -> bool:
    """Whether the built page of ``doc`` carries saved widget views."""
    page = html / f"{doc}.html"
    return page.is_file() and WIDGET_VIEW in page.read_text(encoding="utf-8")


def wait_for_widgets(page) -> None:
    """Wait until the widget runtime rendered every saved view of the page."""
    page.wait_for_selector(TOGGLE)
    page.wait_for_function(
        """(mime) => document.querySelectorAll(`script[type="${mime}"]`).length
                    <= document.querySelectorAll('.widget-subarea').length""",
        arg=WIDGET_VIEW,
    )
