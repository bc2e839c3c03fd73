"""The weekly external-link check, against a local server only (never the real sites)."""

from __future__ import annotations

import http.server
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from maintainer import check_links


class _Handler(http.server.BaseHTTPRequestHandler):
    """200 for /ok, 405 on HEAD but 200 on GET for /no-head, 404 for anything else."""

    def _answer(self, head: bool) -> None:
        if self.path == "/ok" or (self.path == "/no-head" and not head):
            code = 200
        elif self.path == "/no-head":
            code = 405
        else:
            code = 404
        self.send_response(code)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self) -> None:  # noqa: N802 (http.server's naming)
        self._answer(head=True)

    def do_GET(self) -> None:  # noqa: N802
        self._answer(head=False)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture()
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_broken_links_are_reported_with_their_pages(server: str, tmp_path: Path) -> None:
    refused = f"http://127.0.0.1:{_closed_port()}/gone"
    listing = tmp_path / "external-links.txt"
    listing.write_text(
        "# External links\n"
        f"{server}/ok\n    intro.html\n"
        f"{server}/no-head\n    notebooks/01.html\n"
        f"{server}/missing\n    book/data_sources.html\n"
        f"{refused}\n    book/references.html\n",
        encoding="utf-8",
    )
    code = check_links.main([str(listing), "--timeout", "5"])
    report = (tmp_path / "external-links-checked.txt").read_text(encoding="utf-8")
    assert code == 1
    assert report.startswith("# 2 broken of 4 external links")
    assert f"BROKEN {server}/missing (HTTP 404)\n    book/data_sources.html" in report
    assert f"BROKEN {refused}" in report and "book/references.html" in report
    assert f"ok     {server}/ok" in report and f"ok     {server}/no-head" in report


def test_all_links_working_exits_zero(server: str, tmp_path: Path) -> None:
    listing = tmp_path / "links.txt"
    listing.write_text(f"{server}/ok\n    intro.html\n", encoding="utf-8")
    assert check_links.main([str(listing), "--timeout", "5"]) == 0


@pytest.fixture()
def dribbling() -> Iterator[str]:
    """A server sending its status line and headers one byte every 0.3 s (a slow loris)."""
    stop = threading.Event()

    class Dribble(http.server.BaseHTTPRequestHandler):
        def _answer(self) -> None:
            for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n" + b"X-Slow: " + b"a" * 200 + b"\r\n\r\n":
                if stop.wait(0.3):
                    return
                try:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                except OSError:
                    return

        do_HEAD = do_GET = _answer  # noqa: N815 (http.server's naming)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Dribble)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/slow"
    finally:
        stop.set()
        httpd.shutdown()
        httpd.server_close()


def test_a_link_answering_a_byte_at_a_time_is_cut_at_its_total_deadline(dribbling: str, tmp_path: Path) -> None:
    """No single read times out (a byte every 0.3 s, --timeout 1); the link's total time is bounded."""
    listing = tmp_path / "links.txt"
    listing.write_text(f"{dribbling}\n    intro.html\n", encoding="utf-8")
    started = time.monotonic()
    code = check_links.main([str(listing), "--timeout", "1", "--deadline", "2"])
    took = time.monotonic() - started
    report = (tmp_path / "external-links-checked.txt").read_text(encoding="utf-8")
    assert code == 1 and took < 5, took
    assert f"BROKEN {dribbling} (no complete answer within the total deadline of 2 s)" in report
