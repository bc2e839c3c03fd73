"""Check the external links of the built site, listed (unfetched) by ``tests/test_links.py``.

Run weekly, outside ``make test``: ``python -m maintainer.check_links _build/external-links.txt``.
Each URL is asked once (HEAD, then GET where a server refuses HEAD), with a timeout per read
and a total ``--deadline`` per link (a server sending its headers a byte at a time never
times out a single read; at the deadline its connection is shut down); the result of every
link is written beside the list, and the exit code is 1 when any link is broken.
"""

from __future__ import annotations

import argparse
import http.client
import socket
import sys
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

USER_AGENT = "iomun-link-check (weekly check of a book's citations)"


@dataclass(frozen=True)
class LinkResult:
    """What asking one URL gave: an HTTP status, or the reason there was none."""

    url: str
    status: int | None
    reason: str

    @property
    def ok(self) -> bool:
        return self.status is not None and self.status < 400


def read_list(path: Path) -> dict[str, list[str]]:
    """The URLs of an external-links list, each with the pages that use it."""
    links: dict[str, list[str]] = {}
    current: str | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith((" ", "\t")):
            if current is not None:
                links[current].append(line.strip())
        else:
            current = line.strip()
            links[current] = []
    return links


class _Deadline:
    """Shuts down every connection of one link's check once its total time is up."""

    def __init__(self, seconds: float) -> None:
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                self._shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        try:
            sock.shutdown(socket.SHUT_RDWR)  # a blocked read returns at once
        except OSError:
            pass

    def cancel(self) -> None:
        self._timer.cancel()


def _opener(deadline: _Deadline) -> urllib.request.OpenerDirector:
    """urllib's opener whose HTTP and HTTPS connections (redirects included) ``deadline`` watches."""

    def watched(base: type[http.client.HTTPConnection]) -> type[http.client.HTTPConnection]:
        class Connection(base):  # type: ignore[valid-type, misc]
            def connect(self) -> None:
                super().connect()
                deadline.watch(self.sock)

        return Connection

    class Handler(urllib.request.HTTPHandler):
        def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(watched(http.client.HTTPConnection), req)

    class SecureHandler(urllib.request.HTTPSHandler):
        def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(watched(http.client.HTTPSConnection), req, context=self._context)

    return urllib.request.build_opener(Handler(), SecureHandler())


def _ask(opener: urllib.request.OpenerDirector, url: str, method: str, timeout: float) -> int:
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def check(url: str, timeout: float = 20.0, deadline: float = 60.0) -> LinkResult:
    """Ask for ``url`` within ``deadline`` seconds in all; servers refusing HEAD (405, 403) get a GET."""
    watch = _Deadline(deadline)
    opener = _opener(watch)
    try:
        status = _ask(opener, url, "HEAD", timeout)
        if status in (403, 405, 501):
            status = _ask(opener, url, "GET", timeout)
    except (urllib.error.URLError, http.client.HTTPException, TimeoutError, OSError, ValueError) as error:
        if watch.expired:
            return LinkResult(url, None, f"no complete answer within the total deadline of {deadline:g} s")
        reason = getattr(error, "reason", error)
        return LinkResult(url, None, str(reason))
    finally:
        watch.cancel()
    return LinkResult(url, status, "ok" if status < 400 else f"HTTP {status}")


def check_all(urls: list[str], timeout: float = 20.0, workers: int = 8, deadline: float = 60.0) -> list[LinkResult]:
    """Check every URL, a few at a time, in the order given."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda url: check(url, timeout, deadline), urls))


def write_report(results: list[LinkResult], links: dict[str, list[str]], path: Path) -> None:
    """Broken links first, each with the pages to mend; then the working ones."""
    broken = [r for r in results if not r.ok]
    lines = [f"# {len(broken)} broken of {len(results)} external links"]
    for result in broken:
        lines.append(f"BROKEN {result.url} ({result.reason})")
        lines += [f"    {page}" for page in links.get(result.url, [])]
    lines += [f"ok     {r.url}" for r in results if r.ok]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("links", type=Path, help="the list written by tests/test_links.py")
    parser.add_argument("--out", type=Path, help="report file (default: beside the list)")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds per read (default 20)")
    parser.add_argument(
        "--deadline", type=float, default=60.0, help="seconds one link may take in all, redirects included (default 60)"
    )
    args = parser.parse_args(argv)
    if not (0 < args.timeout <= args.deadline):
        parser.error("give 0 < --timeout <= --deadline")
    if not args.links.is_file():
        print(f"{args.links}: no such list; run `make book` and tests/test_links.py first", file=sys.stderr)
        return 2
    links = read_list(args.links)
    results = check_all(list(links), args.timeout, deadline=args.deadline)
    out = args.out or args.links.with_name("external-links-checked.txt")
    write_report(results, links, out)
    broken = sum(not r.ok for r in results)
    print(f"{broken} broken of {len(results)} external links; report: {out}")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
