"""The Binder copy's prose (maintainer/binder_prose.py): every role converted, idempotent, nothing else touched."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest

from maintainer import binder_prose
from maintainer.paths import ROOT

RAW = re.compile(r"\{(glue|glue:text|cite|ref|doc|numref)\}`")


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """The files the conversion reads, as Binder's image holds them."""
    for folder in ("notebooks", "book"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    shutil.copy2(ROOT / "_toc.yml", tmp_path / "_toc.yml")
    return tmp_path


def _notebooks(root: Path) -> list[Path]:
    return sorted((root / "notebooks").glob("*.ipynb"))


def test_every_role_becomes_an_expression_or_a_link_with_the_stored_value(copy: Path) -> None:
    converter = binder_prose.Converter(copy)
    for path in _notebooks(copy):
        original = nbformat.read(path, as_version=4)
        glued = binder_prose.glued_outputs(original)
        assert converter.convert(path), f"{path.name}: nothing converted"
        notebook = nbformat.read(path, as_version=4)
        markdown = [c for c in notebook.cells if c.cell_type == "markdown"]
        assert not [c for c in markdown if RAW.search(c.source)], f"{path.name}: a role is left raw"
        assert not [c for c in markdown if binder_prose.NOTE_TAG in c.metadata.get("tags", [])], (
            f"{path.name}: a note says something cannot render, yet every role is known"
        )
        for cell in markdown:
            expressions = binder_prose.EVAL_ROLE.findall(cell.source)
            stored = cell.metadata.get(binder_prose.USER_EXPRESSIONS, [])
            assert [s["expression"] for s in stored] == expressions
            for item in stored:
                key = binder_prose.GLUED_KEY.match(item["expression"]).group(1)
                assert item["result"]["data"]["text/plain"] == glued[key]["text/plain"]
        # code, outputs and widget state are the build's, untouched
        assert [c for c in notebook.cells if c.cell_type == "code"] == [
            c for c in original.cells if c.cell_type == "code"
        ]
        assert notebook.metadata == original.metadata


def test_citations_and_cross_references_read_as_the_book_numbers_them(copy: Path) -> None:
    converter = binder_prose.Converter(copy)
    seven, four = _notebooks(copy)[6], _notebooks(copy)[3]
    converter.convert(seven)
    converter.convert(four)
    text = "\n".join(c.source for c in nbformat.read(seven, as_version=4).cells)
    assert "[\\[MW16\\]](../book/references.md " in text and "[\\[Bra21\\]](../book/references.md " in text
    text = "\n".join(c.source for c in nbformat.read(four, as_version=4).cells)
    assert "](../book/data_sources.md)" in text


def test_a_second_run_changes_nothing(copy: Path) -> None:
    converter = binder_prose.Converter(copy)
    for path in _notebooks(copy):
        converter.convert(path)
    first = {path: path.read_bytes() for path in _notebooks(copy)}
    assert not any(converter.convert(path) for path in _notebooks(copy))
    assert {path: path.read_bytes() for path in _notebooks(copy)} == first


def test_markup_that_cannot_render_is_named_once_at_the_top(copy: Path) -> None:
    path = _notebooks(copy)[0]
    notebook = nbformat.read(path, as_version=4)
    cell = next(c for c in notebook.cells if c.cell_type == "markdown")
    cell.source += "\n\nSee {numref}`fig-nowhere` and {cite}`no_such_key`."
    nbformat.write(notebook, path)
    converter = binder_prose.Converter(copy)
    converter.convert(path)
    converter.convert(path)
    cells = nbformat.read(path, as_version=4).cells
    notes = [c for c in cells if binder_prose.NOTE_TAG in c.metadata.get("tags", [])]
    assert len(notes) == 1 and cells[0] == notes[0]
    assert "{numref}" in notes[0].source and "{cite}" in notes[0].source
    assert len(notes[0].source.splitlines()) == 1
