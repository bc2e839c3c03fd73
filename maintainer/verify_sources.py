"""Confirm values read in copies against the publishers' own files: ``make verify-sources``.

``data/copy_readings.csv`` lists values of official documents that were read in third-party
copies (text renderings on document-sharing sites). For each row that names the publisher's
address for the document (``official_url``), this step downloads the publisher's file, within
the refresh's bounds (per-read timeout, total deadline, size cap, redirects only to official
hosts), extracts its text (PDF with pypdf, HTML with the standard library), and looks for the
value at its locator ("page 3" reads that page only). When the value is there, the row's status
becomes ``confirmed_official`` and the file's SHA-256 is recorded. A value is never changed: a
value the file does not show at its locator is reported, and the row stays as it was.

Run on a machine with network access: ``make verify-sources`` (add ``ARGS=--write`` to record
the confirmations in the CSV).
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from iomun import data
from maintainer.refresh.transport import MIB, Limits, Payload, RefreshError, download, make_session

RESOURCE = "copy_readings"
# Publishers whose own files the data cite: the UN and its documents system, UNHCR, IOM.
# A host matches itself or any of its subdomains (governingbodies.iom.int, documents.un.org).
PUBLISHER_HOSTS = ("un.org", "undocs.org", "unhcr.org", "refworld.org", "iom.int")
PAGE = re.compile(r"\bpages?\s+(\d+)", re.I)


@dataclass(frozen=True)
class Finding:
    """What the publisher's file says about one row: confirmed, not found, refused or failed."""

    row: int  # row of copy_readings.csv as its loader names it (the header is row 1)
    record: str
    outcome: str
    message: str
    sha256: str = ""


def host_is_publisher(host: str, hosts: Sequence[str] = PUBLISHER_HOSTS) -> bool:
    """Whether ``host`` is one of ``hosts`` or a subdomain of one."""
    host = host.lower()
    return any(host == h or host.endswith("." + h) for h in hosts)


class _TextOfHtml(HTMLParser):
    """Collects the visible text of an HTML page (script and style left out)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style") and self._skip > 0

    def handle_data(self, text: str) -> None:
        if not self._skip:
            self.parts.append(text)


def document_pages(payload: Payload) -> list[str]:
    """The text of the file, one string per page (an HTML page is one page)."""
    if payload.content.startswith(b"%PDF"):
        try:
            reader = PdfReader(io.BytesIO(payload.content))
            return [page.extract_text() or "" for page in reader.pages]
        except (PdfReadError, ValueError, KeyError) as exc:
            raise RefreshError(f"{payload.url}: not a readable PDF ({exc})") from exc
    parser = _TextOfHtml()
    parser.feed(payload.content.decode("utf-8", "replace"))
    return [" ".join(parser.parts)]


def spellings(value: float) -> list[str]:
    """The ways a document may print ``value`` US dollars: in full, or in millions or billions."""
    forms = {f"{value:,.0f}", f"{value:.0f}", f"{value:,.0f}".replace(",", " ")}
    millions = value / 1e6
    for decimals in (1, 2, 3):
        if round(millions, decimals) == millions:
            forms |= {f"{millions:,.{decimals}f}", f"{millions:.{decimals}f}"}
            break
    else:
        forms |= {f"{millions:,.1f}"}
    if millions == int(millions):
        forms |= {f"{millions:,.0f}", f"{millions:.0f}"}
    billions = value / 1e9
    if billions >= 1 and round(billions, 2) == billions:
        forms |= {f"{billions:.2f}".rstrip("0").rstrip(".")}
    # the French and Spanish versions write a decimal comma and group thousands with a space
    forms |= {f.replace(",", " ").replace(".", ",") for f in forms if "." in f}
    return sorted(forms, key=len, reverse=True)


def shows_value(text: str, value: float) -> bool:
    """Whether ``text`` prints ``value`` as a whole number (not as part of a longer one)."""
    flat = re.sub(r"[\s\u00a0\u202f]+", " ", text)
    for form in spellings(value):
        if re.search(rf"(?<![\d.,]){re.escape(form)}(?![\d]|[.,]\d)", flat):
            return True
    return False


def _flat(text: str) -> str:
    """Text compared as a reader would: one space for any run of spaces, words rejoined at a
    line-end hyphen, typographic quotes as plain ones, case ignored."""
    text = re.sub(r"-\s*\n\s*", "", text)
    text = text.translate(str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'}))
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip().casefold()


def shows_passage(text: str, passage: str) -> bool:
    """Whether ``text`` contains the quoted ``passage`` (spacing, line breaks and case aside)."""
    return _flat(passage) in _flat(text)


def find_value(pages: list[str], value: str, locator: str) -> tuple[bool, str]:
    """Look for ``value`` (an amount, or a quoted passage) where ``locator`` points: a page when
    it names one, else anywhere in the document."""
    named = PAGE.search(locator)
    if named:
        number = int(named.group(1))
        if not 1 <= number <= len(pages):
            return False, f"the file has {len(pages)} page(s), the locator names page {number}"
        where, text = f"page {number}", pages[number - 1]
    else:
        where, text = "the document", "\n".join(pages)
    try:
        amount = float(value)
    except ValueError:
        if shows_passage(text, value):
            return True, f"the passage is on {where}"
        return False, f"the passage is not on {where}"
    if shows_value(text, amount):
        return True, f"found on {where}"
    return False, f"not found on {where} (looked for {', '.join(spellings(amount))})"


def check_row(index: int, row: dict[str, str], fetch: Callable[[str], Payload], hosts: Sequence[str]) -> Finding | None:
    """Verify one row against the publisher's file; ``None`` when there is nothing to check."""
    url, record = row["official_url"].strip(), f"{row['resource']}:{row['record']}:{row['field']}"
    if row["status"] == "confirmed_official":
        return None
    if not url:
        return Finding(index, record, "no_address", "no publisher's address recorded for the document")
    host = urlsplit(url).hostname or ""
    if not host_is_publisher(host, hosts):
        return Finding(index, record, "refused", f"{url}: {host} is not a publisher's own host")
    try:
        payload = fetch(url)
        found, message = find_value(document_pages(payload), row["value"], row["locator"])
    except RefreshError as exc:
        return Finding(index, record, "failed", str(exc))
    if found:
        return Finding(index, record, "confirmed", f"{message} in {payload.url}", payload.sha256)
    return Finding(index, record, "not_found", f"{message} in {payload.url}; the value is unchanged")


def verify(
    path: Path, fetch: Callable[[str], Payload], hosts: Sequence[str] = PUBLISHER_HOSTS, write: bool = False
) -> list[Finding]:
    """Check every row of ``path``; with ``write``, record the confirmations in the file."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = list(reader.fieldnames or []), list(reader)
    findings = [f for i, row in enumerate(rows, start=2) if (f := check_row(i, row, fetch, hosts))]
    confirmed = [f for f in findings if f.outcome == "confirmed"]
    if write and confirmed:
        for finding in confirmed:
            # the status and the file's hash change; the value never does
            rows[finding.row - 2].update(status="confirmed_official", official_sha256=finding.sha256)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        path.write_text(buffer.getvalue(), encoding="utf-8")
    return findings


def run(data_dir: Path, limits: Limits, write: bool, hosts: Sequence[str] = PUBLISHER_HOSTS) -> list[Finding]:
    """Validate the resource, download within ``limits``, verify and report."""
    path = data_dir / data.resource_descriptor(RESOURCE, data_dir)["path"]
    data.validate_file(RESOURCE, path, data_dir)  # a malformed file stops here, naming row and field
    session = make_session(retries=2, backoff=1.0)
    fetched: dict[str, Payload | RefreshError] = {}  # one download per document, however many rows cite it

    def fetch(url: str) -> Payload:
        if url not in fetched:
            try:
                fetched[url] = download(session, url, None, limits, lambda host: host_is_publisher(host, hosts))
            except RefreshError as exc:
                fetched[url] = exc
        result = fetched[url]
        if isinstance(result, RefreshError):
            raise result
        return result

    findings = verify(path, fetch, hosts, write)
    for f in findings:
        print(f"row {f.row} {f.record}: {f.outcome}: {f.message}")
    print(
        f"{sum(f.outcome == 'confirmed' for f in findings)} confirmed, "
        f"{sum(f.outcome == 'not_found' for f in findings)} not found, "
        f"{sum(f.outcome in ('failed', 'refused') for f in findings)} not checked (download refused or failed), "
        f"{sum(f.outcome == 'no_address' for f in findings)} without a publisher's address"
        + ("" if write else "; nothing written (add --write)")
    )
    return findings


def main(argv: Sequence[str] | None = None) -> int:
    """Command line of ``make verify-sources``; exit 1 when a value is not where its locator says."""
    parser = argparse.ArgumentParser(prog="python -m maintainer.verify_sources", description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, default=data.DATA_DIR)
    parser.add_argument("--write", action="store_true", help="record confirmations in copy_readings.csv")
    parser.add_argument("--deadline", type=float, default=300.0, help="seconds per download (total)")
    parser.add_argument("--max-mib", type=int, default=64, help="size cap of one file, MiB")
    args = parser.parse_args(argv)
    limits = Limits(timeout=60.0, deadline=args.deadline, max_bytes=args.max_mib * MIB)
    findings = run(args.data_dir, limits, args.write)
    return 1 if any(f.outcome == "not_found" for f in findings) else 0


if __name__ == "__main__":
    sys.exit(main())
