"""The code a reader's chapter runs, by path: the reader package's modules and the chapters' code
cells, for tests that check a concept is written in one place only."""

from __future__ import annotations

import json

from maintainer.paths import ROOT


def package_and_chapter_code(skip: tuple[str, ...] = ()) -> dict[str, str]:
    """Every ``iomun`` module (except those named in ``skip``) and every chapter's code cells
    (without IPython magics and shell lines), keyed by path relative to the repository."""
    sources = {
        str(path.relative_to(ROOT)): path.read_text(encoding="utf-8")
        for path in sorted((ROOT / "iomun").rglob("*.py"))
        if path.name not in skip
    }
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        sources[str(notebook.relative_to(ROOT))] = "\n".join(
            line
            for c in cells
            if c["cell_type"] == "code"
            for line in "".join(c["source"]).splitlines()
            if not line.lstrip().startswith(("%", "!"))
        )
    return sources
