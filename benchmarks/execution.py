"""(a) bare execution of the notebooks, (b, c) cold and cached book builds: wall times."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from settings import BIN, ROOT, log


def bare_execution(timeout: int = 300) -> dict:
    """Run every notebook once with nbclient, sequentially, each in a fresh kernel."""
    per_notebook = {}
    start = time.perf_counter()
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        client = NotebookClient(
            notebook,
            timeout=timeout,
            kernel_name=notebook.metadata.get("kernelspec", {}).get("name", "python3"),
            resources={"metadata": {"path": str(path.parent)}},
        )
        t0 = time.perf_counter()
        client.execute()
        per_notebook[path.name] = round(time.perf_counter() - t0, 2)
        log(f"executed {path.name} in {per_notebook[path.name]:.1f} s")
    return {"seconds": round(time.perf_counter() - start, 2), "per_notebook": per_notebook}


def build(output: Path, logfile: Path) -> float:
    """One ``jupyter-book build`` into ``output``; its wall time in seconds."""
    command = [
        str(BIN / "jupyter-book"),
        "build",
        str(ROOT),
        "--path-output",
        str(output),
        "--warningiserror",
        "--keep-going",
    ]
    t0 = time.perf_counter()
    with logfile.open("w", encoding="utf-8") as stream:
        result = subprocess.run(command, cwd=ROOT, stdout=stream, stderr=subprocess.STDOUT)
    seconds = time.perf_counter() - t0
    if result.returncode != 0:
        raise SystemExit(f"the build failed (exit {result.returncode}); see {logfile}")
    return round(seconds, 2)
