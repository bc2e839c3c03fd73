"""The chapter template of CONTRIBUTING.md runs as it stands, and stays out of the book and of nbval."""

from __future__ import annotations

import nbformat
import yaml
from nbclient import NotebookClient

from maintainer.paths import ROOT

TEMPLATE = ROOT / "maintainer" / "templates" / "chapter.ipynb"


def test_the_template_runs_and_carries_the_cell_tags() -> None:
    notebook = nbformat.read(TEMPLATE, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    tags = {tag for cell in notebook.cells for tag in cell.metadata.get("tags", [])}
    assert {"hide-input", "nbval-check-output"} <= tags
    checked = [c for c in notebook.cells if "nbval-check-output" in c.metadata.get("tags", [])]
    assert all(c.outputs for c in checked), "a compared cell must show something to compare"


def test_the_template_is_not_a_chapter() -> None:
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    assert "templates" not in str(yaml.safe_load(toc))
    assert not TEMPLATE.is_relative_to(ROOT / "notebooks")
