"""``make verify-sources`` against stand-ins: a small PDF and an HTML page served on 127.0.0.1.

The PDF is made here with matplotlib's PdfPages (two pages, the figure on page 2), so the test
exercises real PDF text extraction; the numbers in it are test fixtures, never official figures,
and the copy of ``data/`` they are checked against lives in tmp_path.
"""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
from pathlib import Path

import matplotlib
import pytest
from refresh_stand_ins import Reply, Services

from iomun import data
from maintainer import verify_sources
from maintainer.refresh.transport import Limits

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 (after the backend is chosen)
from matplotlib.backends.backend_pdf import PdfPages  # noqa: E402

STAND_IN = ("127.0.0.1",)
LIMITS = Limits(timeout=2.0, deadline=10.0, max_bytes=2 * 1024 * 1024)
HEADER = [
    "resource",
    "record",
    "field",
    "value",
    "symbol",
    "title",
    "official_url",
    "copy_url",
    "locator",
    "status",
    "cross_check",
    "official_sha256",
]


def report_pdf(pages: list[str]) -> bytes:
    """A PDF with one line of text per page, as a financial report's pages would carry it."""
    buffer = io.BytesIO()
    with PdfPages(buffer, metadata={"CreationDate": None}) as pdf:
        for text in pages:
            fig = plt.figure(figsize=(6, 4))
            fig.text(0.05, 0.5, text, fontsize=8)
            pdf.savefig(fig)
            plt.close(fig)
    return buffer.getvalue()


PDF = report_pdf(
    [
        "FINANCIAL REPORT FOR THE YEAR ENDED 31 DECEMBER 2007 (test fixture)",
        "Total expenditure for the year reached USD 783.8 million (2006: USD 733.3 million).",
    ]
)
HTML = (
    b"<html><head><style>p{}</style><script>var x = 'USD 952.1 million';</script></head><body>"
    b"<p>Total expenditure in 2005: US$ 952.0 million</p>"
    b"<p>3. Contributions to the operational expenditure of the Organization shall be\n   voluntary and any "
    b"contributor may stipulate terms</p></body></html>"
)


def reading(record: str, value: str, url: str, locator: str, status: str = "not_cross_checked") -> dict[str, str]:
    return {
        "resource": "agency_finances",
        "record": record,
        "field": "value_usd",
        "value": value,
        "symbol": "MC/2254",
        "title": "Financial Report (test fixture)",
        "official_url": url,
        "copy_url": "https://docslib.org/doc/1",
        "locator": locator,
        "status": status,
        "cross_check": "",
        "official_sha256": "",
    }


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(data.DATA_DIR, copy)
    data.clear_cache()
    yield copy
    data.clear_cache()


def write_readings(data_dir: Path, rows: list[dict[str, str]]) -> Path:
    path = data_dir / "copy_readings.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_a_value_on_its_page_is_confirmed_and_the_file_hash_recorded(stand_in_services: Services, data_dir):
    stand_in_services.routes["/mc2254.pdf"] = [Reply(PDF, content_type="application/pdf")]
    url = stand_in_services.base + "/mc2254.pdf"
    path = write_readings(data_dir, [reading("2007|IOM|total_expenditure", "783800000", url, "page 2")])
    findings = verify_sources.run(data_dir, LIMITS, write=True, hosts=STAND_IN)
    assert [f.outcome for f in findings] == ["confirmed"]
    row = rows_of(path)[0]
    assert row["status"] == "confirmed_official"
    assert row["official_sha256"] == hashlib.sha256(PDF).hexdigest()
    assert row["value"] == "783800000"  # the value itself is never rewritten
    data.clear_cache()
    assert data.load("copy_readings", data_dir)["status"].tolist() == ["confirmed_official"]


def test_a_value_on_another_page_or_a_different_value_is_reported_not_changed(stand_in_services, data_dir, capsys):
    stand_in_services.routes["/mc2254.pdf"] = [Reply(PDF, content_type="application/pdf")]
    url = stand_in_services.base + "/mc2254.pdf"
    rows = [
        reading("2007|IOM|total_expenditure", "783800000", url, "page 1"),  # the figure is on page 2
        reading("2006|IOM|total_expenditure", "733400000", url, "page 2"),
    ]  # the file says 733.3
    path = write_readings(data_dir, rows)
    before = path.read_bytes()
    findings = verify_sources.run(data_dir, LIMITS, write=True, hosts=STAND_IN)
    assert [f.outcome for f in findings] == ["not_found", "not_found"]
    assert "not found on page 1" in findings[0].message and "the value is unchanged" in findings[0].message
    assert path.read_bytes() == before
    assert "0 confirmed, 2 not found" in capsys.readouterr().out


def test_an_html_page_is_read_without_its_scripts(stand_in_services: Services, data_dir):
    stand_in_services.routes["/key-indicators"] = [Reply(HTML, content_type="text/html")]
    url = stand_in_services.base + "/key-indicators"
    rows = [
        reading("2005|IOM|total_expenditure", "952000000", url, "bullet on total expenditure"),
        reading("2004|IOM|total_expenditure", "952100000", url, "bullet on total expenditure"),
    ]
    write_readings(data_dir, rows)
    findings = verify_sources.run(data_dir, LIMITS, write=False, hosts=STAND_IN)
    assert [f.outcome for f in findings] == ["confirmed", "not_found"]


def test_only_publishers_hosts_are_downloaded(stand_in_services: Services, data_dir):
    stand_in_services.routes["/copy.pdf"] = [Reply(PDF, content_type="application/pdf")]
    stand_in_services.hits.clear()
    rows = [
        reading("2007|IOM|total_expenditure", "783800000", "https://docslib.org/doc/2983047", "page 2"),
        reading("2006|IOM|total_expenditure", "733300000", stand_in_services.base + "/copy.pdf", "page 2"),
        reading("2005|IOM|total_expenditure", "952000000", "", "page 2"),
    ]
    path = write_readings(data_dir, rows)
    before = path.read_bytes()
    # the publishers' own hosts only: a document-sharing site and the stand-in are both refused
    findings = verify_sources.run(data_dir, LIMITS, write=True)
    assert [f.outcome for f in findings] == ["refused", "refused", "no_address"]
    assert "docslib.org is not a publisher's own host" in findings[0].message
    assert stand_in_services.hits["/copy.pdf"] == 0
    assert path.read_bytes() == before


def test_a_redirect_to_another_host_and_an_oversized_file_are_refused(stand_in_services: Services, data_dir):
    stand_in_services.routes["/moved"] = [Reply(status=302, headers={"Location": "https://docslib.org/doc/1"})]
    stand_in_services.routes["/big.pdf"] = [Reply(PDF + b"%" * (3 * 1024 * 1024), content_type="application/pdf")]
    base = stand_in_services.base
    write_readings(
        data_dir,
        [
            reading("2007|IOM|total_expenditure", "783800000", base + "/moved", "page 2"),
            reading("2006|IOM|total_expenditure", "733300000", base + "/big.pdf", "page 2"),
        ],
    )
    findings = verify_sources.run(data_dir, LIMITS, write=True, hosts=STAND_IN)
    assert [f.outcome for f in findings] == ["failed", "failed"]
    assert "refused a redirect to another host, docslib.org" in findings[0].message
    assert "above the cap" in findings[1].message


def test_a_malformed_readings_file_stops_before_any_download(stand_in_services: Services, data_dir):
    stand_in_services.hits.clear()
    row = reading(
        "2007|IOM|total_expenditure",
        "783800000",
        stand_in_services.base + "/mc2254.pdf",
        "page 2",
        status="checked by hand",
    )
    write_readings(data_dir, [row])
    with pytest.raises(data.DataError, match=r"copy_readings.csv, row 2, field 'status'"):
        verify_sources.run(data_dir, LIMITS, write=True, hosts=STAND_IN)
    assert sum(stand_in_services.hits.values()) == 0


@pytest.mark.parametrize(
    "value, text, shown",
    [
        (783_800_000, "reached USD 783.8 million", True),
        (783_800_000, "USD 1,783.8 million", False),
        (1_057_000_000, "overall budget of USD 1,057 million", True),
        (3_294_814_770.81, "USD 3,294,814,771", True),
        (954_900_000, "US$ 954.9 million", True),
        (954_900_000, "US$ 954.95 million", False),
        (783_800_000, "s'est élevé à 783,8 millions de dollars E.-U.", True),
        (3_294_800_000, "3 294,8 millions de dollars", True),
        (783_800_000, "783,800 dollars", False),
    ],
)
def test_spellings_of_an_amount(value, text, shown):
    assert verify_sources.shows_value(text, value) is shown


def test_a_quoted_passage_is_found_across_line_breaks_and_a_misquote_is_not(stand_in_services: Services, data_dir):
    stand_in_services.routes["/constitution"] = [Reply(HTML, content_type="text/html")]
    stand_in_services.hits.clear()
    url = stand_in_services.base + "/constitution"
    quote = "Contributions to the operational expenditure of the Organization shall be voluntary"
    rows = [
        dict(
            reading("Voluntary money|IOM", quote, url, "article 20, paragraph 3"),
            resource="working_cultures",
            field="description",
        ),
        dict(
            reading("Who pays for the core|IOM", quote.replace("voluntary", "assessed"), url, "article 20"),
            resource="working_cultures",
            field="description",
        ),
    ]
    path = write_readings(data_dir, rows)
    findings = verify_sources.run(data_dir, LIMITS, write=True, hosts=STAND_IN)
    assert [f.outcome for f in findings] == ["confirmed", "not_found"]
    assert [r["status"] for r in rows_of(path)] == ["confirmed_official", "not_cross_checked"]
    assert rows_of(path)[0]["value"] == quote
    assert stand_in_services.hits["/constitution"] == 1  # one download for the two rows citing the document
