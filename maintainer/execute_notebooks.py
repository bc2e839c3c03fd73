"""Execute notebooks in place with a fresh kernel, storing outputs and widget state.

Binder readers and nbval read the stored outputs, so they must come from a real run of
the current code and data: ``make notebooks`` runs this after any change.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def execute_notebook(notebook: nbformat.NotebookNode, directory: Path, timeout: int = 600) -> None:
    """Run ``notebook`` top to bottom in ``directory`` with a fresh kernel, as it is stored.

    Execution counts are renumbered 1, 2, ... over the code cells, so a stored notebook and a
    fresh run of it can be compared (``tests/test_notebooks_stored.py`` does).
    """
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(directory)}},
        record_timing=False,  # no timestamps in stored notebooks
        store_widget_state=True,
    )
    client.execute()
    for number, cell in enumerate(c for c in notebook.cells if c.cell_type == "code"):
        cell.execution_count = number + 1
        for output in cell.get("outputs", []):
            if "execution_count" in output:
                output["execution_count"] = number + 1


def execute(path: Path, timeout: int = 600) -> None:
    """Run ``path`` top to bottom in its own directory and write it back."""
    notebook = nbformat.read(path, as_version=4)
    execute_notebook(notebook, path.parent, timeout)
    nbformat.write(notebook, path)


def main() -> None:
    for name in sys.argv[1:]:
        execute(Path(name))
        print(f"executed {name}")


if __name__ == "__main__":
    main()
