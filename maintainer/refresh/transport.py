"""Downloads within bounds: retries, a total deadline, size caps, redirects only to official hosts.

Every failure is a :class:`RefreshError` whose one-line message names the URL and says, in
words, what went wrong (connection refused, host name not found, timed out, truncated payload).
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import socket
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
import urllib3.exceptions
from requests.adapters import HTTPAdapter
from urllib3.util import Retry

USER_AGENT = "iomun-refresh/0.1 (executable edition of FUNDS Briefing 42; python-requests)"

# Where data may come from: the services' own hosts. A redirect is followed only to the same
# host or to one of these; anything else (a hijacked or misconfigured server) is refused.
OFFICIAL_HOSTS = frozenset({"api.unhcr.org", "www.un.org", "un.org", "population.un.org"})
MAX_REDIRECTS = 5
CHUNK = 64 * 1024
MIB = 1024 * 1024


class RefreshError(Exception):
    """A download, payload or validation problem; the message is one line naming where."""


@dataclass(frozen=True)
class Payload:
    """The bytes of one download (or local file) and where they came from."""

    url: str
    content: bytes

    @property
    def sha256(self) -> str:
        """Hex SHA-256 of the payload, printed so a refresh can be traced to its inputs."""
        return hashlib.sha256(self.content).hexdigest()


def terminal_safe(text: object) -> str:
    """``text`` with every non-printing character escaped (``\\x1b``, ``\\r``, ``\\u202e``).

    A server's reason phrase, a redirect address or a file's text can hold ANSI escapes, a
    carriage return or a bidi override that would forge lines on the maintainer's terminal.
    """
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(text))


@dataclass
class Budget:
    """Bounds of all downloads of one refresh together: bytes and time, across every page."""

    total_bytes: int = 256 * MIB
    total_time: float = 1800.0
    used: int = 0
    ends: float | None = None  # monotonic time; set by the first download

    def deadline(self) -> float:
        """When the whole refresh's downloads must be done (the clock starts at the first)."""
        if self.ends is None:
            self.ends = time.monotonic() + self.total_time
        return self.ends


@dataclass(frozen=True)
class Limits:
    """Bounds of one download (per-read timeout, deadline, body and unpacked sizes) and of all."""

    timeout: float = 60.0
    deadline: float = 600.0
    max_bytes: int = 64 * MIB
    max_unpacked: int = 256 * MIB
    budget: Budget = field(default_factory=Budget)


def make_session(retries: int, backoff: float) -> requests.Session:
    """A session whose adapter retries GETs a bounded number of times with back-off."""
    retry = Retry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        other=0,
        backoff_factor=backoff,
        status_forcelist=(429, 500, 502, 503, 504),
        allowed_methods=frozenset({"GET"}),
        raise_on_status=False,
    )
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    return session


def download(
    session: requests.Session,
    url: str,
    params: dict[str, Any] | None,
    limits: Limits,
    redirect_allowed: Callable[[str], bool] | None = None,
) -> Payload:
    """GET ``url`` within ``limits``; any failure raises :class:`RefreshError` naming the URL.

    Redirects are followed by hand, only to the same host or an official one; the body is
    streamed, decompressed here (gzip or deflate) and cut off at ``limits.max_bytes`` and at
    the total deadline, so a hostile or broken server can neither fill the memory nor hold
    the refresh forever. ``redirect_allowed`` replaces the list of official hosts a redirect
    may go to (``make verify-sources`` reaches other publishers than the refresh).
    """
    full_url = requests.Request("GET", url, params=params).prepare().url or url
    budget = limits.budget
    deadline = min(time.monotonic() + limits.deadline, budget.deadline())
    cap = min(limits.max_bytes, budget.total_bytes - budget.used)
    current = full_url
    for _ in range(MAX_REDIRECTS + 1):
        if time.monotonic() > budget.deadline() or cap <= 0:
            raise RefreshError(f"{full_url}: {_over_budget(budget)}")
        try:
            response = session.get(
                current, timeout=(limits.timeout, limits.timeout), stream=True, allow_redirects=False
            )
        except requests.RequestException as exc:
            raise RefreshError(f"{full_url}: {_describe(exc, limits.timeout)}") from exc
        with contextlib.closing(response):
            if response.is_redirect:
                current = _redirect_target(full_url, current, response.headers["Location"], redirect_allowed)
                continue
            if response.status_code >= 400:  # the reason phrase is the server's text: escaped
                raise RefreshError(
                    f"{full_url}: HTTP {response.status_code} {terminal_safe(response.reason or '')[:100]}".rstrip()
                )
            content = _read_body(response, full_url, limits, deadline, cap)
            break
    else:
        raise RefreshError(f"{full_url}: more than {MAX_REDIRECTS} redirects")
    if not content:
        raise RefreshError(f"{full_url}: empty payload")
    budget.used += len(content)
    payload = Payload(current, content)
    print(f"  sha256 {payload.sha256}  {len(content):>10,} bytes  {terminal_safe(payload.url)}")
    return payload


def _redirect_target(full_url: str, current: str, location: str, allowed: Callable[[str], bool] | None = None) -> str:
    """The next URL of a redirect, if it stays on the same host or goes to an official one."""
    target = urljoin(current, location)
    here, there = urlsplit(current), urlsplit(target)
    same = (there.hostname, there.port) == (here.hostname, here.port)
    if there.scheme not in ("http", "https") or (here.scheme == "https" and there.scheme != "https"):
        raise RefreshError(f"{full_url}: refused a redirect to {target} (not https)")
    official = allowed(there.hostname or "") if allowed else there.hostname in OFFICIAL_HOSTS
    if not same and not official:
        where = "a publisher's own host" if allowed else ", ".join(sorted(OFFICIAL_HOSTS))
        raise RefreshError(
            f"{full_url}: refused a redirect to another host, {there.hostname} (allowed: the same host or {where})"
        )
    return target


def _decoder(response: requests.Response, url: str) -> Any:
    """A zlib decompressor for the response's Content-Encoding, or None for identity."""
    encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj()
    raise RefreshError(f"{url}: unsupported Content-Encoding '{encoding}'")


def _over_budget(budget: Budget) -> str:
    return (
        f"the refresh exceeded its total of {budget.total_bytes:,} bytes or "
        f"{budget.total_time:g} s across all downloads and pages "
        f"({budget.used:,} bytes received before this one)"
    )


def _read_body(response: requests.Response, url: str, limits: Limits, deadline: float, cap: int) -> bytes:
    """The body, streamed chunk by chunk against the size cap and the total deadline.

    ``cap`` and ``deadline`` are this download's own bounds or what is left of the refresh's
    :class:`Budget`, whichever is smaller.
    """
    budget = limits.budget
    announced = response.headers.get("Content-Length", "")
    if announced.isdigit() and int(announced) > cap:
        if cap < limits.max_bytes:
            raise RefreshError(f"{url}: {_over_budget(budget)}")
        raise RefreshError(f"{url}: payload of {int(announced):,} bytes announced, above the cap of {cap:,} bytes")
    decoder = _decoder(response, url)
    parts: list[bytes] = []
    received = size = 0
    while True:
        if time.monotonic() > deadline:
            if deadline >= budget.deadline():
                raise RefreshError(f"{url}: {_over_budget(budget)}")
            raise RefreshError(
                f"{url}: download exceeded the total deadline of {limits.deadline:g} s ({received:,} bytes received)"
            )
        try:
            # read1: at most one read from the socket, so the deadline is checked between
            # reads however slowly the server sends; undecoded, so the cap bounds the output.
            chunk = response.raw.read1(CHUNK, decode_content=False)
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise RefreshError(f"{url}: {_describe(exc, limits.timeout)}") from exc
        if not chunk:
            break
        received += len(chunk)
        for piece in _decoded(decoder, chunk, cap - size + 1, url):
            size += len(piece)
            if size > cap and cap < limits.max_bytes:
                raise RefreshError(f"{url}: {_over_budget(budget)}")
            if size > cap:
                what = "decompresses to" if decoder else "is"
                raise RefreshError(f"{url}: payload {what} more than the cap of {limits.max_bytes:,} bytes")
            parts.append(piece)
    if announced.isdigit() and received != int(announced):
        raise RefreshError(f"{url}: truncated payload ({received} of {announced} bytes)")
    if decoder is not None and not decoder.eof:
        raise RefreshError(f"{url}: truncated payload (compressed stream ends early)")
    return b"".join(parts)


def _decoded(decoder: Any, chunk: bytes, room: int, url: str) -> Iterator[bytes]:
    """Decompress ``chunk`` in bounded pieces (never more than ``room`` bytes at once)."""
    if decoder is None:
        yield chunk
        return
    try:
        piece = decoder.decompress(chunk, room)
        yield piece
        while decoder.unconsumed_tail:
            yield decoder.decompress(decoder.unconsumed_tail, room)
    except zlib.error as exc:
        raise RefreshError(f"{url}: malformed compressed payload ({exc})") from exc


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception and what it wraps: first arguments, urllib3's ``reason``, ``__cause__``."""
    causes: list[BaseException] = []
    pending: list[BaseException | None] = [exc]
    while pending and len(causes) < 20:
        current = pending.pop(0)
        if current is None or current in causes:
            continue
        causes.append(current)
        pending += [a for a in current.args if isinstance(a, BaseException)]
        pending += [getattr(current, "reason", None), current.__cause__, current.__context__]
    return [c for c in causes if isinstance(c, BaseException)]


def _describe(exc: BaseException, timeout: float) -> str:
    """Say what went wrong in a failed request, in words (timeout, truncation, refusal)."""
    causes = _causes(exc)
    if any(isinstance(c, ConnectionRefusedError) for c in causes):
        return "connection refused (nothing listens at that address and port)"
    if any(isinstance(c, socket.gaierror) for c in causes):
        return "host name not found (DNS lookup failed)"
    if any(isinstance(c, ConnectionResetError) for c in causes):
        return "connection reset by the server"
    if any(isinstance(c, (requests.Timeout, urllib3.exceptions.TimeoutError, TimeoutError)) for c in causes):
        return f"timed out (no answer within {timeout:g} s)"
    short = [a for c in causes for a in c.args if isinstance(a, http.client.IncompleteRead)]
    if short:
        return f"truncated payload (connection closed after {short[0]!r})"
    if any(isinstance(c, (requests.exceptions.ChunkedEncodingError, urllib3.exceptions.ProtocolError)) for c in causes):
        return f"truncated payload (connection broken before the end: {causes[-1]})"
    return f"download failed ({type(causes[-1]).__name__}: {causes[-1]})"
