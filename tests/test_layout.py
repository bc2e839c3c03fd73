"""No Python module of the project is longer than about 400 lines (the developer guide's limit).

A long module holds several things; split it by what it holds, as ``maintainer/refresh/`` and
``iomun/definitions/`` are split. The check covers the reader package, the maintainer tools, the
benchmark, the Sphinx extensions and the tests themselves.
"""

from __future__ import annotations

from pathlib import Path

from maintainer.paths import ROOT

MAX_LINES = 400
FOLDERS = ("iomun", "maintainer", "benchmarks", "book/_ext", "tests")
SKIPPED_PARTS = {"node_modules", "__pycache__"}  # installed or generated, not the project's code


def line_counts(root: Path, folders: tuple[str, ...] = FOLDERS) -> dict[str, int]:
    """Lines of every ``.py`` file under ``folders`` of ``root``, by path relative to ``root``."""
    counts = {}
    for folder in folders:
        for path in sorted((root / folder).rglob("*.py")):
            relative = path.relative_to(root)
            if SKIPPED_PARTS.isdisjoint(relative.parts) and path.is_file():
                counts[relative.as_posix()] = len(path.read_text(encoding="utf-8").splitlines())
    return counts


def too_long(counts: dict[str, int], limit: int = MAX_LINES) -> dict[str, int]:
    """The files of ``counts`` longer than ``limit`` lines."""
    return {path: lines for path, lines in counts.items() if lines > limit}


def test_no_module_is_longer_than_the_limit() -> None:
    counts = line_counts(ROOT)
    assert all(any(path.startswith(f"{folder}/") for path in counts) for folder in FOLDERS), "a folder was not read"
    long = too_long(counts)
    assert not long, "split by what they hold (at most {} lines each): {}".format(
        MAX_LINES, ", ".join(f"{path} ({lines:,} lines)" for path, lines in sorted(long.items()))
    )


def test_the_check_names_a_long_file_and_its_length(tmp_path: Path) -> None:
    (tmp_path / "pkg" / "sub").mkdir(parents=True)
    (tmp_path / "pkg" / "short.py").write_text("x = 1\n" * MAX_LINES, encoding="utf-8")
    (tmp_path / "pkg" / "sub" / "long.py").write_text("x = 1\n" * (MAX_LINES + 1), encoding="utf-8")
    (tmp_path / "pkg" / "node_modules").mkdir()
    (tmp_path / "pkg" / "node_modules" / "vendored.py").write_text("x = 1\n" * 999, encoding="utf-8")
    counts = line_counts(tmp_path, ("pkg",))
    assert counts == {"pkg/short.py": MAX_LINES, "pkg/sub/long.py": MAX_LINES + 1}
    assert too_long(counts) == {"pkg/sub/long.py": MAX_LINES + 1}
