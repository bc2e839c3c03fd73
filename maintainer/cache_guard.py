"""Make Jupyter Book's execution cache aware of the data and code the notebooks read.

jupyter-cache keys a notebook on its code cells only, so a change in the data or in this
package would otherwise publish stale figures. Before each build this compares a
fingerprint of those inputs with the one stored beside the cache and clears the cache
when they differ. The data are the folder the notebooks actually read: ``IOMUN_DATA_DIR``
when set, else ``data/`` (its path is part of the fingerprint). The book's ``_config.yml`` is
read by the chapters too (``iomun.live`` builds the Binder links from ``repository.url``), so
it is part of the fingerprint.

Run as ``python -m maintainer.cache_guard [--build-dir DIR] [--wait S] [-- COMMAND ...]``, it holds
an exclusive lock on ``<build dir>/.build.lock`` while it clears the cache and while COMMAND
(the book build) runs, so a second build in the same folder waits for the first instead of
clearing the cache under it; after ``--wait`` seconds it gives up with exit status 75.

COMMAND works from a snapshot of the data (:func:`take_snapshot`): the folder is copied to
``<build dir>/data-snapshot/`` while the data lock (:mod:`maintainer.data_lock`) is held
shared, so no refresh or compile writes it meanwhile, and COMMAND runs with
``IOMUN_DATA_DIR`` set to the copy. A data file replaced during the build then cannot mix
old and new figures in one site, nor make the manifest record a file the pages were not
built from; the guard says so after the build, so the change is published by the next one.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

from .data_lock import DataLocked, data_lock
from .paths import ROOT

CODE = "iomun"
# Files at the root that the chapters read when they run (iomun.live reads the repository's URL).
CONFIG_FILES = ("_config.yml",)
LOCK = ".build.lock"
EXIT_LOCKED = 75  # EX_TEMPFAIL: another build holds the lock; try again later
_POLL_S = 0.2


class BuildLocked(Exception):
    """Another build holds the lock of the build folder for longer than we wait."""


def data_dir(root: Path | None = None) -> Path:
    """The data folder the notebooks read (``iomun.data.DATA_DIR``'s rule, without pandas)."""
    configured = os.environ.get("IOMUN_DATA_DIR")
    return Path(configured) if configured else (root or ROOT) / "data"


def fingerprint(root: Path | None = None, data_folder: Path | None = None) -> str:
    """SHA-256 over the data folder's path, every file of it and of the package, and the config files."""
    root = root or ROOT
    data = (data_folder or data_dir(root)).resolve()
    digest = hashlib.sha256(f"data: {data}\n".encode())
    for label, folder in (("data", data), (CODE, root / CODE)):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(f"{label}/{path.relative_to(folder)}".encode())
                digest.update(path.read_bytes())
    for name in CONFIG_FILES:
        config = root / name
        digest.update(f"config/{name}\n".encode())
        digest.update(config.read_bytes() if config.is_file() else b"(missing)")
    return digest.hexdigest()


SNAPSHOT = "data-snapshot"
EXIT_UNSAFE = 1


class UnsafeData(Exception):
    """The data folder holds a link or a special file: nothing is copied or built."""


def _check_plain(source: Path) -> None:
    """Only folders and regular files: a link could publish a file from elsewhere, a device hang the build."""
    for path in sorted(source.rglob("*")):
        if path.is_symlink() or not (path.is_dir() or path.is_file()):
            kind = "a symbolic link" if path.is_symlink() else "a special file (device, FIFO or socket)"
            raise UnsafeData(f"{path} is {kind}: the data folder must hold regular files only; nothing was built")


def _digests(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


def take_snapshot(source: Path, build_dir: Path, wait: float = 600.0) -> Path:
    """A copy of the data folder ``source`` in ``build_dir``, taken while no writer holds it.

    Links are copied as links (the loader refuses them); the copy is checked file by file
    against the folder after copying, so an editor saving a file meanwhile is caught too.
    """
    target = build_dir / SNAPSHOT / source.name
    with data_lock(source, shared=True, wait=wait):
        _check_plain(source)
        for _ in range(3):
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(source, target, symlinks=True)
            if _digests(target) == _digests(source):
                return target
    raise DataLocked(f"{source} kept changing while it was copied for the build; try again")


def changed_since(source: Path, snapshot: Path) -> list[str]:
    """Files of ``source`` that differ from the snapshot (added, removed or changed)."""
    before, now = _digests(snapshot), _digests(source)
    return sorted(name for name in before.keys() | now.keys() if before.get(name) != now.get(name))


def guard(build_dir: Path, data_folder: Path | None = None) -> bool:
    """Clear the execution cache if the inputs changed; return True when it was cleared."""
    stamp = build_dir / ".inputs-fingerprint"
    current = fingerprint(data_folder=data_folder)
    stale = not stamp.exists() or stamp.read_text().strip() != current
    if stale:
        shutil.rmtree(build_dir / ".jupyter_cache", ignore_errors=True)
        # Sphinx would otherwise keep the old pages' doctrees for unchanged notebooks.
        shutil.rmtree(build_dir / ".doctrees", ignore_errors=True)
        build_dir.mkdir(parents=True, exist_ok=True)
        stamp.write_text(current + "\n")
    return stale


@contextlib.contextmanager
def build_lock(build_dir: Path, wait: float) -> Iterator[IO[str]]:
    """Hold the exclusive lock of ``build_dir``, waiting at most ``wait`` seconds for it."""
    build_dir.mkdir(parents=True, exist_ok=True)
    path = build_dir / LOCK
    with path.open("a+", encoding="utf-8") as handle:
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "another build"
                if time.monotonic() >= deadline:
                    raise BuildLocked(
                        f"{path} is held by {holder}: another build is running in {build_dir}; "
                        f"gave up after {wait:g} s (wait for it, or rerun later)"
                    ) from None
                if not told:
                    print(f"cache_guard: {holder} holds {path}; waiting up to {wait:g} s", file=sys.stderr, flush=True)
                    told = True
                time.sleep(_POLL_S)
        handle.seek(0)
        handle.truncate()
        handle.write(f"process {os.getpid()}\n")
        handle.flush()
        try:
            yield handle
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line; see the module docstring."""
    parser = argparse.ArgumentParser(prog="python -m maintainer.cache_guard")
    parser.add_argument("--build-dir", type=Path, default=ROOT / "_build")
    parser.add_argument(
        "--wait", type=float, default=3600.0, help="seconds to wait for another build to finish (default 3600)"
    )
    parser.add_argument(
        "--data-wait",
        type=float,
        default=600.0,
        help="seconds to wait for a refresh or compile writing the data (default 600)",
    )
    parser.add_argument("command", nargs=argparse.REMAINDER, help="after --: the build to run while holding the lock")
    options = parser.parse_args(argv)
    if options.command[:1] == ["--"]:
        options.command = options.command[1:]
    return options


def main(argv: Sequence[str] | None = None) -> int:
    """Lock, clear a stale cache, run the build command; return its exit status."""
    options = parse_args(argv)
    try:
        with build_lock(options.build_dir, options.wait):
            source = data_dir()
            snapshot = take_snapshot(source, options.build_dir, options.data_wait) if options.command else None
            if guard(options.build_dir, snapshot):
                print(
                    f"cache_guard: the data ({source}), iomun/ or {', '.join(CONFIG_FILES)} changed; cleared the "
                    f"execution cache in {options.build_dir}"
                )
            else:
                print("cache_guard: inputs unchanged; the execution cache is reused")
            if not options.command:
                return 0
            # Only the build's environment names the snapshot; this process's stays as it was.
            env = {**os.environ, "IOMUN_DATA_DIR": str(snapshot.resolve())} if snapshot else None
            status = subprocess.run(options.command, check=False, env=env).returncode
            changed = changed_since(source, snapshot) if snapshot else []
            if changed:
                print(
                    f"cache_guard: {source} changed during the build ({', '.join(changed[:5])}); "
                    f"the site was built from the copy taken at its start ({snapshot}); "
                    "build again to publish the change",
                    file=sys.stderr,
                )
            return status
    except (BuildLocked, DataLocked) as exc:
        print(f"cache_guard: refused: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    except UnsafeData as exc:
        print(f"cache_guard: refused: {exc}", file=sys.stderr)
        return EXIT_UNSAFE


if __name__ == "__main__":
    sys.exit(main())
