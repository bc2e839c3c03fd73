"""Write ``_manifest.json`` beside the built site: the numbers and files a reader gets.

At the end of every HTML build the manifest lists

* ``glue``: every value glued by a chapter (``myst_nb.glue``), per document, as the text
  that ``{glue:text}`` pastes (from ``text/plain``; other kinds of output by SHA-256). myst-nb
  writes each executed notebook's glue outputs to ``<build>/jupyter_execute/<doc>.glue.json``
  and keeps the keys in the environment; both are read here, so cached and fresh builds agree;
* ``data``: the SHA-256 of every file of the data package the notebooks read (``data/``, or
  ``IOMUN_DATA_DIR`` when set, as ``iomun.data`` does);
* ``downloads``: the SHA-256 of every file a page offers for download (``<a download>``),
  whether served from ``_downloads/`` or carried inside the page as a ``data:`` URI.

Two clean builds of the same sources must write identical manifests
(``tests/test_reproducible.py``). Nothing in it depends on the time or the output folder.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from sphinx.application import Sphinx
from sphinx.util import logging

MANIFEST = "_manifest.json"
logger = logging.getLogger(__name__)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _glued_value(bundle: dict[str, Any]) -> str:
    """What ``{glue:text}`` pastes (no format spec); any other kind of output by its digest."""
    from myst_nb.core.variables import format_plain_text

    if "text/plain" in bundle:
        return format_plain_text(str(bundle["text/plain"]), "")
    return "sha256:" + sha256(json.dumps(bundle, sort_keys=True).encode("utf-8"))


def glued_values(app: Sphinx) -> dict[str, dict[str, str]]:
    """Every glued key and value per document, from myst-nb's ``.glue.json`` files."""
    from myst_nb.sphinx_ import NbMetadataCollector

    folder = Path(app.env.mystnb_config.output_folder)
    found: dict[str, dict[str, str]] = {}
    for docname, meta in sorted(NbMetadataCollector.get_doc_data(app.env).items()):
        keys = meta.get("glue") or []
        if not keys or docname not in app.env.found_docs:
            continue
        path = folder / f"{docname}.glue.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            logger.warning(f"manifest: cannot read the glue data of {docname}: {error}")
            continue
        missing = sorted(set(keys) - set(data))
        if missing:
            logger.warning(f"manifest: {path} lacks glued keys {missing}")
        found[docname] = {key: _glued_value(data[key]["data"]) for key in sorted(data)}
    return found


def data_digests(srcdir: Path) -> dict[str, str]:
    """SHA-256 of every file of the data package, named ``data/<file>``."""
    folder = Path(os.environ.get("IOMUN_DATA_DIR") or srcdir / "data")
    return {
        f"data/{path.relative_to(folder).as_posix()}": sha256(path.read_bytes())
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    }


class _DownloadLinks(HTMLParser):
    """Collects ``(name, href)`` of every ``<a download>`` of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and "download" in found and found.get("href"):
            self.links.append((found["download"] or "", str(found["href"])))


def _data_uri_bytes(uri: str) -> bytes:
    header, _, payload = uri.partition(",")
    if header.endswith(";base64"):
        return base64.b64decode(payload)
    return unquote_to_bytes(payload)


def download_digests(outdir: Path) -> dict[str, dict[str, str]]:
    """SHA-256 of every download offered by a built page, per page, by file name."""
    found: dict[str, dict[str, str]] = {}
    for page in sorted(outdir.rglob("*.html")):
        parser = _DownloadLinks()
        parser.feed(page.read_text(encoding="utf-8"))
        digests: dict[str, str] = {}
        for name, href in parser.links:
            if href.startswith("data:"):
                content = _data_uri_bytes(href)
            else:
                target = page.parent / unquote(urlsplit(href).path)
                if not target.is_file():
                    logger.warning(f"manifest: {page.relative_to(outdir)} offers a missing download {href}")
                    continue
                content = target.read_bytes()
            label = name or PurePosixPath(urlsplit(href).path).name
            while label in digests:  # two downloads of one name on a page: number them
                label += "+"
            digests[label] = sha256(content)
        if digests:
            found[page.relative_to(outdir).as_posix()] = digests
    return found


def write_manifest(app: Sphinx, exception: Exception | None) -> None:
    """At ``build-finished`` of an HTML build: write ``<outdir>/_manifest.json``."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    manifest = {
        "glue": glued_values(app),
        "data": data_digests(Path(app.srcdir)),
        "downloads": download_digests(outdir),
    }
    (outdir / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("build-finished", write_manifest)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
