"""A copy of data/ for a test to break, the digests that show data/ itself was left alone, and the
data page built from a broken copy."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import yaml

from iomun import data
from maintainer import data_page
from maintainer.paths import ROOT

JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"
BUILD_TIMEOUT_S = 600


def digests(folder: Path) -> dict[str, str]:
    """``{file name: sha256}`` of every regular file of ``folder``."""
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(folder.iterdir()) if path.is_file()
    }


def changed_files(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """The names whose content differs, or that were added or removed, between two :func:`digests`."""
    return sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))


def build_data_page(work: Path, edit: Callable[[dict], dict], title: str, extensions: tuple[str, ...] = ()) -> Path:
    """The "Data and sources" page of a copy of data/ whose descriptor ``edit`` changed, built alone into ``work``.

    The copy goes to ``work/data``; the page is generated from it (:mod:`maintainer.data_page`) with its
    downloads and built by Jupyter Book with the book's MyST settings and, when named, the site's
    templates and these page extensions of ``book/_ext``. Returns the built html folder; a failed
    build fails the test with the build's output. The real data/ is only read.
    """
    data_dir = work / "data"
    shutil.copytree(ROOT / "data", data_dir)
    descriptor = edit(data.read_descriptor(data_dir))
    (data_dir / "datapackage.json").write_text(json.dumps(descriptor, indent=1), encoding="utf-8")
    book = work / "book"
    book.mkdir()
    (book / "data_sources.md").write_text(data_page.render(data_dir), encoding="utf-8")
    data_page.write_downloads(book / data_page.DOWNLOADS, data_dir)
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    settings: dict = {
        "title": title,
        "only_build_toc_files": True,
        "parse": config["parse"],
        "execute": {"execute_notebooks": "off"},
    }
    if extensions:
        settings["sphinx"] = {
            "local_extensions": {name: str(ROOT / "book" / "_ext") for name in extensions},
            "config": {"templates_path": [str(ROOT / "book" / "_templates")]},
        }
    (book / "_config.yml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    (book / "_toc.yml").write_text("format: jb-book\nroot: data_sources\n", encoding="utf-8")
    result = subprocess.run(
        [str(JUPYTER_BOOK), "build", str(book), "--path-output", str(work / "out")],
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
        check=False,
    )
    data.clear_cache()
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return work / "out" / "_build" / "html"
