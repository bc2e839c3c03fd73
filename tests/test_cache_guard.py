"""The execution cache is cleared when the data the notebooks read change, and a build
holds a lock on its build folder while it clears the cache and executes."""

from __future__ import annotations

import fcntl
import shutil
import sys
import threading
from pathlib import Path

import pytest

from maintainer import cache_guard


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for folder in ("data", cache_guard.CODE):
        (tmp_path / folder).mkdir()
    (tmp_path / "data" / "a.csv").write_text("year,value\n2015,1\n")
    (tmp_path / "iomun" / "m.py").write_text("X = 1\n")
    (tmp_path / "_config.yml").write_text("repository:\n  url: https://github.com/iomun/iom-un-briefing\n")
    monkeypatch.setattr(cache_guard, "ROOT", tmp_path)
    monkeypatch.delenv("IOMUN_DATA_DIR", raising=False)
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


# _config.yml: the chapters build their Binder links from its repository.url (iomun.live)
@pytest.mark.parametrize("changed", ["data/a.csv", "iomun/m.py", "_config.yml"])
def test_cache_is_cleared_when_an_input_changes(tree: Path, changed: str) -> None:
    build = tree / "_build"
    cache_guard.guard(build)
    cache = _fake_cache(build)
    (tree / changed).write_text((tree / changed).read_text() + "# changed\n")
    assert cache_guard.guard(build) is True
    assert not cache.exists()


def test_cache_is_cleared_when_the_build_reads_another_data_dir(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build = tree / "_build"
    cache_guard.guard(build)
    cache = _fake_cache(build)
    other = tree / "other-data"
    shutil.copytree(tree / "data", other)
    (other / "a.csv").write_text("year,value\n2015,2\n")
    monkeypatch.setenv("IOMUN_DATA_DIR", str(other))
    assert cache_guard.guard(build) is True
    assert not cache.exists()
    cache = _fake_cache(build)
    assert cache_guard.guard(build) is False  # the same other data: the cache is reused
    assert cache.exists()


def _hold_lock(build: Path):
    """Take the build lock as another build would (flock on its own open file)."""
    build.mkdir(parents=True, exist_ok=True)
    handle = (build / cache_guard.LOCK).open("a+")
    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    handle.write("process 4242 (the first build)\n")
    handle.flush()
    return handle


def test_a_second_build_refuses_clearly_and_leaves_the_cache(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build = tree / "_build"
    cache_guard.guard(build)
    cache = _fake_cache(build)
    (tree / "data" / "a.csv").write_text("year,value\n2015,3\n")  # the cache is now stale
    ran = tree / "ran"
    first = _hold_lock(build)
    try:
        status = cache_guard.main(
            ["--build-dir", str(build), "--wait", "0", "--", sys.executable, "-c", f"open({str(ran)!r}, 'w')"]
        )
    finally:
        first.close()
    err = capsys.readouterr().err
    assert status == cache_guard.EXIT_LOCKED
    assert "another build is running" in err and "process 4242" in err, err
    assert cache.exists(), "the second build cleared the cache under the first"
    assert not ran.exists(), "the second build ran while the first held the lock"


def test_a_second_build_waits_for_the_first_then_runs(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build = tree / "_build"
    released = tree / "released"
    first = _hold_lock(build)

    def finish_first() -> None:
        released.write_text("done")
        first.close()

    timer = threading.Timer(0.5, finish_first)
    timer.start()
    try:
        check = f"import pathlib, sys; sys.exit(0 if pathlib.Path({str(released)!r}).exists() else 9)"
        status = cache_guard.main(["--build-dir", str(build), "--wait", "120", "--", sys.executable, "-c", check])
    finally:
        timer.join()
    assert status == 0, "the build ran before the first one released the lock"
    assert "waiting" in capsys.readouterr().err
