"""A copy of data/ for a test to break, and the digests that show data/ itself was left alone."""

from __future__ import annotations

import hashlib
from pathlib import Path


def digests(folder: Path) -> dict[str, str]:
    """``{file name: sha256}`` of every regular file of ``folder``."""
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.iterdir()) if path.is_file()}


def changed_files(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """The names whose content differs, or that were added or removed, between two :func:`digests`."""
    return sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
