"""The refresh against two writers at once, servers without end, forged terminal lines and bad arguments.

Cases of issue 25 about ``python -m maintainer.refresh`` (and the compile step's share of
the lock). Every run works on a copy of ``data/`` (the ``setup`` fixture) and the stand-in
services on 127.0.0.1; each refusal leaves the data files byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from refresh_stand_ins import DESA_WORLD, XLSX, Reply, Setup, desa_workbook

from maintainer import refresh


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


# --- case 4: one writer at a time -------------------------------------------------------


def test_two_refreshes_at_once_lose_nothing(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    """``--only desa`` downloads slowly; ``--only unhcr`` started meanwhile is refused, not lost."""
    workbook = desa_workbook(DESA_WORLD)

    def slowly() -> Iterator[bytes]:
        for start in range(0, len(workbook), len(workbook) // 8 + 1):
            time.sleep(0.2)  # each piece within the read timeout; the whole takes ~1.6 s
            yield workbook[start : start + len(workbook) // 8 + 1]

    setup.serve("/desa/ims2024.xlsx", Reply(stream=slowly, content_type=XLSX))
    setup.serve_unhcr({s: {y: v + 1 for y, v in years.items()} for s, years in setup.current.items()})
    sources_before = (setup.data_dir / "sources.csv").read_bytes()
    first: list[int] = []
    runner = threading.Thread(target=lambda: first.append(setup.run("--only", "desa")))
    runner.start()
    while not setup.services.hits["/desa/ims2024.xlsx"]:
        time.sleep(0.02)
    second = setup.run("--only", "unhcr")
    runner.join(timeout=60)
    err = capsys.readouterr().err
    assert second == refresh.EXIT_ERROR and "is being written by process" in err, err
    assert first == [refresh.EXIT_OK], err
    # the DESA update is in, and no UNHCR source was registered without its rows
    assert f"{DESA_WORLD[1990]}" in setup.target.read_text(encoding="utf-8")
    assert (setup.data_dir / "sources.csv").read_bytes() == sources_before


def test_a_refresh_is_refused_while_the_compile_step_holds_the_lock(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    from maintainer.data_lock import data_lock  # noqa: PLC0415

    before = digests(setup.data_dir)
    with data_lock(setup.data_dir):
        status = setup.run()
    assert status == refresh.EXIT_ERROR
    assert "being written" in capsys.readouterr().err
    assert digests(setup.data_dir) == before


def test_the_compile_step_is_refused_while_a_refresh_holds_the_lock(
    setup: Setup, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from maintainer.compile_data.cli import main as compile_main  # noqa: PLC0415
    from maintainer.data_lock import data_lock  # noqa: PLC0415

    before = digests(setup.data_dir)
    with data_lock(setup.data_dir):
        status = compile_main(["--data-dir", str(setup.data_dir), "--raw-dir", str(tmp_path)])
    assert status == 1 and "being written" in capsys.readouterr().err
    assert digests(setup.data_dir) == before


# --- case 3: bounds across pages --------------------------------------------------------


def test_many_pages_are_bounded_in_total_bytes(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    """Each page is below the per-download cap; together they would never end."""
    page = json.dumps({"page": 1, "maxPages": 1000, "items": [], "pad": "x" * 1_000_000}).encode()
    setup.serve("/population/v1/population/", Reply(page))
    before = digests(setup.data_dir)
    status = setup.run("--only", "unhcr", "--total-bytes", "5000000")
    err = capsys.readouterr().err
    assert status == refresh.EXIT_ERROR and "exceeded its total of 5,000,000 bytes" in err, err
    assert setup.services.hits["/population/v1/population/"] <= 6
    assert digests(setup.data_dir) == before


def test_many_slow_pages_are_bounded_in_total_time(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    page = json.dumps({"page": 1, "maxPages": 1000, "items": []}).encode()
    setup.serve("/population/v1/population/", Reply(page, delay=0.3))
    before = digests(setup.data_dir)
    started = time.monotonic()
    status = setup.run("--only", "unhcr", "--total-time", "2")
    err = capsys.readouterr().err
    assert status == refresh.EXIT_ERROR and "across all downloads and pages" in err, err
    assert time.monotonic() - started < 10
    assert digests(setup.data_dir) == before


# --- case 9: server text never reaches the terminal raw ----------------------------------


def test_a_forged_reason_phrase_is_printed_escaped(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    forged = "\x1b[2K\r\x1b[32mworld_populations.csv: replaced (0 change(s))\x1b[0m"  # latin-1, as HTTP/1.1
    setup.serve("/population/v1/population/", Reply(b"no", status=404, reason=forged))
    before = digests(setup.data_dir)
    status = setup.run("--only", "unhcr")
    captured = capsys.readouterr()
    assert status == refresh.EXIT_ERROR
    for stream in (captured.out, captured.err):
        assert not any(char in stream for char in "\x1b\r"), repr(stream)
    assert "HTTP 404 \\x1b[2K\\r\\x1b[32mworld_populations.csv: replaced" in captured.err
    assert digests(setup.data_dir) == before


def test_bidi_and_control_characters_are_escaped_for_the_terminal() -> None:
    assert refresh.terminal_safe("IOM\u202eNU\x1b[31m\r\n") == "IOM\\u202eNU\\x1b[31m\\r\\n"


# --- case 8: arguments out of range -----------------------------------------------------


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--year-to", str(2**2000)], "give a year from 1990"),
        (["--year-to", "1989"], "give a year from 1990"),
        (["--retries", "-5"], "give a whole number from 0 to 100"),
        (["--retries=--5"], "give a whole number"),
        (["--timeout", "0"], "give a number of seconds above 0"),
        (["--deadline", "nan"], "give a number of seconds above 0"),
        (["--max-bytes", "-1"], "give a number of bytes"),
    ],
    ids=["year-2**2000", "year-1989", "count-minus-5", "count---5", "timeout-0", "deadline-nan", "bytes-minus-1"],
)
def test_an_argument_out_of_range_is_a_usage_error(
    setup: Setup, capsys: pytest.CaptureFixture[str], args: list[str], words: str
) -> None:
    before = digests(setup.data_dir)
    with pytest.raises(SystemExit) as caught:
        setup.run(*args)
    err = capsys.readouterr().err
    assert caught.value.code == 2 and words in err and "Traceback" not in err, err
    assert len(err) < 2000 and digests(setup.data_dir) == before


def test_a_missing_data_dir_is_named(setup: Setup, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "no-such-data"
    status = refresh.main(["--data-dir", str(missing), "--only", "unhcr"])
    err = capsys.readouterr().err
    assert status == refresh.EXIT_ERROR and f"{missing}: no such data folder" in err, err
    assert not missing.exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write a read-only folder")
def test_a_read_only_data_dir_is_named(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    before = digests(setup.data_dir)
    setup.data_dir.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        status = setup.run("--only", "unhcr")
    finally:
        setup.data_dir.chmod(stat.S_IRWXU)
    assert status == refresh.EXIT_ERROR and "read-only" in capsys.readouterr().err
    assert digests(setup.data_dir) == before
