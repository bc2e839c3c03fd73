"""The chapter template of CONTRIBUTING.md runs as it stands, teaches the structure every chapter follows,
and stays out of the book and of nbval.

The structure (the chapter spec): the title, the lead "What the data say" with glued numbers and a
link to the main figure, then the main figure itself; methods and tables after it; the last
top-level section "What it means for the briefing's argument".
"""

from __future__ import annotations

import re

import nbformat
import yaml
from bs4 import BeautifulSoup
from nbclient import NotebookClient

from maintainer.paths import ROOT

TEMPLATE = ROOT / "maintainer" / "templates" / "chapter.ipynb"
LAST_SECTION = "What it means for the briefing's argument"


def executed(notebook: nbformat.NotebookNode | None = None) -> nbformat.NotebookNode:
    notebook = notebook or nbformat.read(TEMPLATE, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    return notebook


def structure_problems(notebook: nbformat.NotebookNode) -> list[str]:
    """What an executed chapter does wrong against the chapter spec (empty: nothing)."""
    problems = []
    cells = notebook.cells
    markdown = [c for c in cells if c.cell_type == "markdown"]
    if not markdown or not re.match(r"# \S", markdown[0].source) or "**What the data say.**" not in markdown[0].source:
        problems.append("the first cell is not the title with the lead 'What the data say'")
    figure_at = next(
        (
            i
            for i, c in enumerate(cells)
            for out in c.get("outputs", [])
            if "<figure" in out.get("data", {}).get("text/html", "")
        ),
        None,
    )
    if figure_at is None:
        return [*problems, "no cell draws a captioned figure"]
    before = [c for c in cells[:figure_at] if c.cell_type == "markdown"]
    if len(before) > 2 or any(re.search(r"^#{2} ", c.source, re.M) for c in before):
        problems.append("more than the title, the lead and one short paragraph before the main figure")
    figure = BeautifulSoup(
        next(
            out["data"]["text/html"]
            for out in cells[figure_at].outputs
            if "<figure" in out.get("data", {}).get("text/html", "")
        ),
        "html.parser",
    )
    figure_id = figure.find("figure").get("id")
    if not figure.find("img") or not figure.find("img").get("alt") or not figure.find("figcaption"):
        problems.append("the main figure has no image with alt text and a numbered caption")
    if f'href="#{figure_id}"' not in markdown[0].source:
        problems.append(f"the lead does not link to the main figure ({figure_id})")
    sections = [m for c in markdown for m in re.findall(r"^## (.+)$", c.source, re.M)]
    if not sections or sections[-1] != LAST_SECTION:
        problems.append(f"the last section is not '{LAST_SECTION}'")
    glued = {
        key
        for c in cells
        for out in c.get("outputs", [])
        for key in [out.get("metadata", {}).get("scrapbook", {}).get("name")]
        if key
    }
    pasted = {key for c in markdown for key in re.findall(r"\{glue:text\}`([^`]+)`", c.source)}
    if pasted - glued:
        problems.append(f"the prose pastes values no cell glues: {sorted(pasted - glued)}")
    return problems


def test_the_template_runs_and_follows_the_chapter_structure() -> None:
    notebook = executed()
    assert structure_problems(notebook) == []
    tags = {tag for cell in notebook.cells for tag in cell.metadata.get("tags", [])}
    assert {"hide-input", "nbval-check-output"} <= tags
    checked = [c for c in notebook.cells if "nbval-check-output" in c.metadata.get("tags", [])]
    assert all(c.outputs for c in checked), "a compared cell must show something to compare"


def test_the_structure_check_names_what_is_wrong() -> None:
    """The check can fail: a template whose figure part is commented out, or whose last section is
    another, is caught."""
    notebook = nbformat.read(TEMPLATE, as_version=4)
    figure_cell = next(c for c in notebook.cells if "render_figure" in c.source)
    figure_cell.source = "\n".join(f"# {line}" for line in figure_cell.source.splitlines())
    notebook.cells[-1].source = notebook.cells[-1].source.replace(LAST_SECTION, "Conclusion")
    assert structure_problems(executed(notebook)) == ["no cell draws a captioned figure"]
    notebook = nbformat.read(TEMPLATE, as_version=4)
    notebook.cells[-1].source = notebook.cells[-1].source.replace(LAST_SECTION, "Conclusion")
    assert structure_problems(executed(notebook)) == [f"the last section is not '{LAST_SECTION}'"]


def test_the_template_is_not_a_chapter() -> None:
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    assert "templates" not in str(yaml.safe_load(toc))
    assert not TEMPLATE.is_relative_to(ROOT / "notebooks")
