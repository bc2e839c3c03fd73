"""Transport safety: timeouts, HTTP errors, retries, truncated payloads, deadlines, size caps,
gzip and zip bombs, redirects and refused connections. Each failure says what went wrong, in words,
and names the URL; the data file is kept byte for byte.
"""

from __future__ import annotations

import gzip
import io
import socket
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from refresh_stand_ins import DESA_WORLD, SHA_LINE, TIMEOUT, XLSX, Reply, Setup, assert_failed_cleanly, desa_workbook

from maintainer import refresh


def test_a_timeout_names_the_url(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    before = setup.target.read_bytes()
    setup.serve("/population/v1/idmc/", Reply(b"{}", delay=3 * TIMEOUT))
    status = setup.run("--only", "unhcr")
    line = assert_failed_cleanly(setup, before, capsys, status, "/population/v1/idmc/?yearFrom=1990", "timed out")
    assert f"{setup.services.base}/population/v1/idmc/" in line
    assert setup.services.hits["/population/v1/idmc/"] == 2  # one bounded retry


@pytest.mark.parametrize(("code", "attempts"), [(500, 2), (404, 1)])
def test_an_http_error_names_the_url(
    setup: Setup, capsys: pytest.CaptureFixture[str], code: int, attempts: int
) -> None:
    before = setup.target.read_bytes()
    setup.serve("/population/v1/population/", Reply(b"error", status=code, content_type="text/plain"))
    status = setup.run()
    assert_failed_cleanly(
        setup, before, capsys, status, f"{setup.services.base}/population/v1/population/?yearFrom=1990", f"HTTP {code}"
    )
    assert setup.services.hits["/population/v1/population/"] == attempts


def test_a_missing_workbook_names_the_url(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    before = setup.target.read_bytes()
    del setup.services.routes["/desa/ims2024.xlsx"]
    status = setup.run()
    assert_failed_cleanly(setup, before, capsys, status, f"{setup.services.base}/desa/ims2024.xlsx", "HTTP 404")


def test_a_transient_server_error_is_retried(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    good = setup.services.routes["/population/v1/unrwa/"]
    assert callable(good)
    calls = Counter()

    def busy_once(query: dict[str, str]) -> Reply:
        calls["n"] += 1
        return Reply(b"busy", status=503) if calls["n"] == 1 else good(query)

    setup.services.routes["/population/v1/unrwa/"] = busy_once
    status = setup.run("--only", "unhcr")
    assert status == refresh.EXIT_OK, capsys.readouterr().err
    assert setup.services.hits["/population/v1/unrwa/"] == 5  # 4 pages, the first one twice


@pytest.mark.parametrize("path", ["/population/v1/population/", "/desa/ims2024.xlsx"])
def test_a_payload_shorter_than_its_content_length_is_refused(
    setup: Setup, capsys: pytest.CaptureFixture[str], path: str
) -> None:
    before = setup.target.read_bytes()
    good = setup.services.routes[path]
    reply = good({"limit": "100"}) if callable(good) else good[0]
    setup.serve(
        path, Reply(reply.body[: len(reply.body) // 2], content_type=reply.content_type, content_length=len(reply.body))
    )
    status = setup.run()
    assert_failed_cleanly(setup, before, capsys, status, f"{setup.services.base}{path}", "truncated payload")


def test_a_slow_server_hits_the_total_deadline(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    before = setup.target.read_bytes()
    good = setup.services.routes["/population/v1/unrwa/"]({"limit": "100"})
    # One byte every 0.2 s: no single read times out (TIMEOUT is 0.5 s), the whole never ends.
    setup.serve("/population/v1/unrwa/", Reply(good.body, drip=0.2))
    status = setup.run("--only", "unhcr", "--deadline", "2")
    assert_failed_cleanly(setup, before, capsys, status, "/population/v1/unrwa/", "exceeded the total deadline of 2 s")


def _zeros(total: int) -> Callable[[], Iterator[bytes]]:
    def chunks() -> Iterator[bytes]:
        block = b"0" * (1024 * 1024)
        for _ in range(total // len(block)):
            yield block

    return chunks


def test_an_endless_body_is_cut_at_the_size_cap(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    before = setup.target.read_bytes()
    setup.serve("/desa/ims2024.xlsx", Reply(stream=_zeros(200 * 1024 * 1024), content_type=XLSX))
    status = setup.run("--only", "desa", "--max-bytes", str(2 * 1024 * 1024))
    assert_failed_cleanly(
        setup, before, capsys, status, "/desa/ims2024.xlsx", "payload is more than the cap of 2,097,152 bytes"
    )
    assert refresh.Limits().max_bytes < 200 * 1024 * 1024  # the default cap is below that too


def test_an_announced_oversized_body_is_refused_before_reading(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    before = setup.target.read_bytes()
    setup.serve("/desa/ims2024.xlsx", Reply(b"PK", content_type=XLSX, content_length=200 * 1024 * 1024))
    status = setup.run("--only", "desa")
    assert_failed_cleanly(
        setup, before, capsys, status, "/desa/ims2024.xlsx", "payload of 209,715,200 bytes announced, above the cap"
    )


def test_a_gzip_bomb_is_stopped_while_decompressing(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    before = setup.target.read_bytes()
    bomb = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)  # ~64 KiB on the wire
    setup.serve("/population/v1/idmc/", Reply(bomb, headers={"Content-Encoding": "gzip"}))
    status = setup.run("--only", "unhcr", "--max-bytes", str(1024 * 1024))
    assert_failed_cleanly(
        setup,
        before,
        capsys,
        status,
        "/population/v1/idmc/",
        "payload decompresses to more than the cap of 1,048,576 bytes",
    )


def test_a_gzip_encoded_good_payload_is_read(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    plain = setup.services.routes["/population/v1/unrwa/"]
    setup.services.routes["/population/v1/unrwa/"] = lambda query: Reply(
        gzip.compress(plain(query).body), headers={"Content-Encoding": "gzip"}
    )
    status = setup.run("--only", "unhcr")
    assert status == refresh.EXIT_OK, capsys.readouterr().err


def _bloated_workbook(member_size: int) -> bytes:
    """The good workbook plus one member that unpacks to ``member_size`` bytes."""
    buffer = io.BytesIO(desa_workbook(DESA_WORLD))
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings2.xml", b"A" * member_size)
    return buffer.getvalue()


@pytest.mark.parametrize("as_file", [False, True], ids=["downloaded", "local-file"])
def test_a_workbook_that_unpacks_beyond_the_cap_is_refused(
    setup: Setup, capsys: pytest.CaptureFixture[str], tmp_path: Path, as_file: bool
) -> None:
    before = setup.target.read_bytes()
    bloated = _bloated_workbook(16 * 1024 * 1024)
    cap = ["--only", "desa", "--max-unpacked", str(8 * 1024 * 1024)]
    if as_file:
        (tmp_path / "ims.xlsx").write_bytes(bloated)
        status = refresh.main(["--data-dir", str(setup.data_dir), *cap, "--desa-file", str(tmp_path / "ims.xlsx")])
    else:
        setup.serve("/desa/ims2024.xlsx", Reply(bloated, content_type=XLSX))
        status = setup.run(*cap)
    assert_failed_cleanly(
        setup, before, capsys, status, "xlsx unpacks to more than the cap of 8,388,608 bytes", "xl/sharedStrings2.xml"
    )


def test_a_redirect_to_another_host_is_refused(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    before = setup.target.read_bytes()
    port = urlsplit(setup.services.base).port
    setup.serve(
        "/desa/ims2024.xlsx", Reply(status=302, headers={"Location": f"http://localhost:{port}/desa/elsewhere.xlsx"})
    )
    setup.serve("/desa/elsewhere.xlsx", Reply(desa_workbook(DESA_WORLD), content_type=XLSX))
    status = setup.run("--only", "desa")
    assert_failed_cleanly(
        setup, before, capsys, status, "/desa/ims2024.xlsx", "refused a redirect to another host, localhost"
    )
    assert setup.services.hits["/desa/elsewhere.xlsx"] == 0


def test_a_redirect_on_the_same_host_is_followed(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    setup.serve("/desa/ims2024.xlsx", Reply(status=301, headers={"Location": "/desa/moved.xlsx"}))
    setup.serve("/desa/moved.xlsx", Reply(desa_workbook(DESA_WORLD), content_type=XLSX))
    status = setup.run("--only", "desa")
    out = capsys.readouterr().out
    assert status == refresh.EXIT_OK, out
    assert SHA_LINE.findall(out)[-1].endswith("/desa/moved.xlsx")


def test_a_refused_connection_is_named_as_such(setup: Setup, capsys: pytest.CaptureFixture[str]) -> None:
    before = setup.target.read_bytes()
    with socket.socket() as probe:  # a port that nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    status = refresh.main(
        [
            "--data-dir",
            str(setup.data_dir),
            "--only",
            "unhcr",
            "--unhcr-base",
            f"http://127.0.0.1:{closed}/population/v1/",
            "--timeout",
            "5",
            "--retries",
            "0",
        ]
    )
    line = assert_failed_cleanly(setup, before, capsys, status, "connection refused")
    assert "timed out" not in line
