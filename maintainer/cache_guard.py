"""Make Jupyter Book's execution cache aware of the data and code the notebooks read.

jupyter-cache keys a notebook on its code cells only, so a change in ``data/`` or in this
package would otherwise publish stale figures. Before each build this compares a
fingerprint of those inputs with the one stored beside the cache and clears the cache
when they differ.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

from .paths import ROOT

INPUTS = ("data", "iomun")


def fingerprint(root: Path | None = None) -> str:
    """SHA-256 over the paths and bytes of every file the notebooks depend on."""
    root = root or ROOT
    digest = hashlib.sha256()
    for folder in INPUTS:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def guard(build_dir: Path) -> bool:
    """Clear the execution cache if the inputs changed; return True when it was cleared."""
    stamp = build_dir / ".inputs-fingerprint"
    current = fingerprint()
    stale = not stamp.exists() or stamp.read_text().strip() != current
    if stale:
        shutil.rmtree(build_dir / ".jupyter_cache", ignore_errors=True)
        # Sphinx would otherwise keep the old pages' doctrees for unchanged notebooks.
        shutil.rmtree(build_dir / ".doctrees", ignore_errors=True)
        build_dir.mkdir(parents=True, exist_ok=True)
        stamp.write_text(current + "\n")
    return stale


def main() -> None:
    build_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "_build"
    if guard(build_dir):
        print(f"cache_guard: data/ or iomun/ changed; cleared the execution cache in {build_dir}")
    else:
        print("cache_guard: inputs unchanged; the execution cache is reused")


if __name__ == "__main__":
    main()
