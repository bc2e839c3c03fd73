"""One lock for everything that writes a data package folder (the refresh, the compile step).

Two writers at once lose data: each reads the files, merges its own release and replaces
them, and the second replace drops the first one's rows and leaves its source orphaned. So
each writer holds an exclusive ``flock`` on a lock file beside the folder (``data/`` gets
``.data.lock``, git-ignored) from its first read to its last replace; a second writer is
refused at once with a message naming the holder. The book build takes the same lock,
shared, while it copies the folder into its snapshot (:mod:`maintainer.cache_guard`), so it
never copies a half-written package.

The lock file lives beside the folder, not in it: the files of ``data/`` are exactly the
package (digests of every file are published in the build's manifest).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

_POLL_S = 0.1


class DataLocked(Exception):
    """Another process writes the data folder, or the folder cannot be written."""


def lock_path(data_dir: Path) -> Path:
    """The lock file of ``data_dir``: ``.<name>.lock`` in its parent folder."""
    folder = Path(data_dir).resolve()
    return folder.parent / f".{folder.name}.lock"


def check_writable(data_dir: Path) -> None:
    """Refuse early, in words, a data folder that is missing or read-only."""
    folder = Path(data_dir)
    if not folder.is_dir():
        raise DataLocked(f"{folder}: no such data folder (check --data-dir)")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise DataLocked(
            f"{folder}: the data folder is read-only (no permission to replace its files); nothing was changed"
        )


@contextlib.contextmanager
def data_lock(data_dir: Path, *, shared: bool = False, wait: float = 0.0) -> Iterator[None]:
    """Hold the lock of ``data_dir`` (exclusive to write, ``shared`` to read a consistent copy).

    Waits at most ``wait`` seconds for another holder, then raises :class:`DataLocked`.
    """
    path = lock_path(data_dir)
    try:
        handle = path.open("a+", encoding="utf-8")
    except OSError as exc:
        raise DataLocked(f"{path}: cannot create the lock of {data_dir} ({exc.strerror})") from exc
    with handle:
        deadline = time.monotonic() + wait
        mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
        while True:
            try:
                fcntl.flock(handle, mode | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip()[:200] or "another process"
                    raise DataLocked(
                        f"{data_dir} is being written by {holder} (lock {path}); "
                        "run one refresh or compile at a time, and again once it has finished"
                    ) from None
                time.sleep(_POLL_S)
        if not shared:
            handle.seek(0)
            handle.truncate()
            handle.write(f"process {os.getpid()}\n")
            handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
