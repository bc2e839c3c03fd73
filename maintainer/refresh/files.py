"""Reading and replacing the data files: temporary files beside the target, validated, then an atomic replace.

New sources are validated in a staged copy of the package first, so the data never cite a
source that the registry does not hold; temporary files a killed run left are removed.
"""

from __future__ import annotations

import contextlib
import csv
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from iomun import data

from .release import RESOURCE, Release
from .transport import RefreshError


def remove_stale_candidates(target: Path) -> None:
    """Delete temporary files an interrupted refresh left beside ``target`` (git-ignored)."""
    for stale in sorted(target.parent.glob(f".{target.stem}.*.tmp")):
        with contextlib.suppress(FileNotFoundError):
            stale.unlink()
            print(f"removed {stale}, left by an interrupted refresh")


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of the current data file, as the strings written in it."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            return list(reader.fieldnames or []), list(reader)
    except (OSError, UnicodeDecodeError) as exc:
        raise RefreshError(f"{path}: cannot read the current data ({exc})") from exc


def write_candidate(target: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    """Write ``rows`` to a temporary file beside ``target`` (same folder: atomic replace)."""
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}.", suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        stream.flush()
        os.fsync(stream.fileno())
    os.chmod(name, stat.S_IMODE(target.stat().st_mode))
    return Path(name)


def new_sources(registry: Path, releases: Sequence[Release]) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of ``sources.csv`` with the releases' sources added (each once)."""
    header, rows = read_rows(registry)
    known = {row["source_id"] for row in rows}
    for release in releases:
        if release.source and release.source["source_id"] not in known:
            rows.append({column: release.source.get(column, "") for column in header})
            known.add(release.source["source_id"])
    return header, rows


@contextlib.contextmanager
def staged_package(data_dir: Path, releases: Sequence[Release]) -> Iterator[Path]:
    """A temporary copy of ``data_dir`` whose source registry holds the releases' new sources.

    The refreshed rows cite those sources, so they are validated against this copy; the real
    registry changes only once the refresh is accepted (:func:`register_sources`).
    """
    with tempfile.TemporaryDirectory(prefix="refresh-") as folder:
        stage = Path(folder) / "data"
        shutil.copytree(data_dir, stage)
        header, rows = new_sources(stage / "sources.csv", releases)
        staged = write_candidate(stage / "sources.csv", header, rows)
        os.replace(staged, stage / "sources.csv")
        yield stage


def register_sources(data_dir: Path, releases: Sequence[Release]) -> None:
    """Add the releases' new sources to ``data_dir/sources.csv`` (atomic replace; nothing if none is new)."""
    registry = data_dir / "sources.csv"
    header, rows = new_sources(registry, releases)
    if len(rows) == len(read_rows(registry)[1]):
        return
    candidate = write_candidate(registry, header, rows)
    try:
        data.validate_file("sources", candidate, data_dir)
        os.replace(candidate, registry)
    except data.DataError as exc:
        raise RefreshError(f"the new source fails validation: {exc}") from exc
    finally:
        candidate.unlink(missing_ok=True)


def validate_candidate(
    candidate: Path, target: Path, rows: list[dict[str, str]], releases: Sequence[Release], data_dir: Path
) -> None:
    """Validate the temporary file as the resource; name file, row, field and origin URL."""
    try:
        data.validate_file(RESOURCE, candidate, data_dir)
    except data.DataError as exc:
        message = str(exc).replace(str(candidate), f"{target} (as refreshed)")
        origin = ""
        if exc.row is not None and 2 <= exc.row < len(rows) + 2:
            series = rows[exc.row - 2]["series"]
            urls = {s: u for release in releases for s, u in release.urls.items()}
            origin = f" [values from {urls[series]}]" if series in urls else ""
        raise RefreshError(f"the release fails validation: {message}{origin}") from exc
