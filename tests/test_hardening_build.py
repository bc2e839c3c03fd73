"""A data file replaced while the book builds: the build reads one snapshot of the data throughout.

Issue 25, case 5. ``maintainer.cache_guard`` runs the build command; here the command is a
small script standing in for the build's two readings of the data (the data page early, the
manifest late), with a refresh replacing ``world_populations.csv`` between them. Both
readings must see the same file, the one present when the build started. The data folder is
a copy in tmp_path.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
from pathlib import Path

import pytest

from maintainer import cache_guard
from maintainer.paths import ROOT

READER = """
import hashlib, os, pathlib, sys
source, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
read = lambda: hashlib.sha256(
    (pathlib.Path(os.environ.get("IOMUN_DATA_DIR", source)) / "world_populations.csv").read_bytes()).hexdigest()
first = read()                                    # the data page reads the data
(source / "world_populations.csv").write_text("year,series\\n")  # a refresh replaces a file
out.write_text(first + " " + read())              # the manifest reads the data
"""


@pytest.fixture
def copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    monkeypatch.setenv("IOMUN_DATA_DIR", str(target))
    return target


def test_a_file_replaced_during_the_build_does_not_mix_into_it(
    copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = hashlib.sha256((copy / "world_populations.csv").read_bytes()).hexdigest()
    out = tmp_path / "readings.txt"
    status = cache_guard.main(
        ["--build-dir", str(tmp_path / "_build"), "--", sys.executable, "-c", READER, str(copy), str(out)]
    )
    assert status == 0
    assert out.read_text().split() == [original, original]
    assert "changed during the build" in capsys.readouterr().err
    assert os.environ["IOMUN_DATA_DIR"] == str(copy)  # the snapshot is the build's, not this process's


def test_the_snapshot_waits_for_a_writer_of_the_data(copy: Path, tmp_path: Path) -> None:
    """No half-written package is copied: a writer holding the data lock keeps the snapshot out."""
    from maintainer.data_lock import data_lock  # noqa: PLC0415

    with data_lock(copy):
        with pytest.raises(cache_guard.DataLocked, match="being written"):
            cache_guard.take_snapshot(copy, tmp_path / "_build", wait=0.3)
    assert not (tmp_path / "_build" / cache_guard.SNAPSHOT / "data").exists()


def test_no_build_runs_while_a_writer_holds_the_data(copy: Path, tmp_path: Path) -> None:
    """Refused: the build command never runs, so the built site is left as it was."""
    from maintainer.data_lock import data_lock  # noqa: PLC0415

    marker = tmp_path / "built"
    with data_lock(copy):
        status = cache_guard.main(
            [
                "--build-dir",
                str(tmp_path / "_build"),
                "--data-wait",
                "0.3",
                "--",
                sys.executable,
                "-c",
                f"open({str(marker)!r}, 'w')",
            ]
        )
    assert status == cache_guard.EXIT_LOCKED and not marker.exists()


@pytest.mark.parametrize("target", ["/dev/zero", "/etc/passwd"])
def test_no_build_runs_on_a_data_folder_holding_a_link(copy: Path, tmp_path: Path, target: str) -> None:
    (copy / "extra.csv").symlink_to(target)
    marker = tmp_path / "built"
    status = cache_guard.main(
        ["--build-dir", str(tmp_path / "_build"), "--", sys.executable, "-c", f"open({str(marker)!r}, 'w')"]
    )
    assert status == cache_guard.EXIT_UNSAFE and not marker.exists()
    assert not (tmp_path / "_build" / cache_guard.SNAPSHOT / "data").exists()
