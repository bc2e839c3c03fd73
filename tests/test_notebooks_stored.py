"""Stored notebooks must give nbval something to compare, and carry no errors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

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
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-c", str(ROOT / "pyproject.toml"),
         "--rootdir", str(ROOT), str(chapter)],
        env={**os.environ, "IOMUN_DATA_DIR": str(data)},
        capture_output=True, text=True, cwd=ROOT, timeout=600,
    )
    assert result.returncode != 0, "nbval passed although a refugee figure changed"
    # tables for people group the digits
    shown = {f"{v}" for v in (current, current + 1)} | {f"{v:,}" for v in (current, current + 1)}
    assert any(value in result.stdout for value in shown), result.stdout[-3000:]
