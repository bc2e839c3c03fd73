"""The execution cache is cleared when the data the notebooks read change."""

from __future__ import annotations

from pathlib import Path

import pytest

from maintainer import cache_guard


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for folder in cache_guard.INPUTS:
        (tmp_path / folder).mkdir()
    (tmp_path / "data" / "a.csv").write_text("year,value\n2015,1\n")
    (tmp_path / "iomun" / "m.py").write_text("X = 1\n")
    monkeypatch.setattr(cache_guard, "ROOT", tmp_path)
    return tmp_path


def _fake_cache(build: Path) -> Path:
    cache = build / ".jupyter_cache"
    cache.mkdir(parents=True, exist_ok=True)
    (cache / "entry").write_text("cached")
    return cache


def test_cache_survives_when_inputs_are_unchanged(tree: Path) -> None:
    build = tree / "_build"
    assert cache_guard.guard(build) is True  # first build: no stamp yet
    cache = _fake_cache(build)
    assert cache_guard.guard(build) is False
    assert cache.exists()


@pytest.mark.parametrize("changed", ["data/a.csv", "iomun/m.py"])
def test_cache_is_cleared_when_an_input_changes(tree: Path, changed: str) -> None:
    build = tree / "_build"
    cache_guard.guard(build)
    cache = _fake_cache(build)
    (tree / changed).write_text((tree / changed).read_text() + "# changed\n")
    assert cache_guard.guard(build) is True
    assert not cache.exists()
