"""The whole book as a PDF (``maintainer/pdf.py``, made by ``make book``), read as a reader of it would.

Both papers: the right page size; a title page with the edition and its date; a contents page
that lists every page of ``_toc.yml`` with the page where it starts, each entry a live link
to that page, and each page indeed starting there with its title; every figure number of the
site's default panes present with its caption; text extractable from every page; every font
embedded; links to the published book live. Three pages (title, contents, the first figure)
are rendered with poppler's ``pdftoppm`` and must show ink where a reader expects it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from maintainer.edition import read_edition
from maintainer.page_audit import FIGURE_LABEL, figures
from maintainer.paths import HTML
from maintainer.pdf import OUTPUT, PAPERS
from maintainer.site import PAGES

pytestmark = pytest.mark.book

SIZES_PT = {"a4": (595, 842), "letter": (612, 792)}


@pytest.fixture(scope="module", params=sorted(PAPERS))
def book(request) -> tuple[str, PdfReader, list[str]]:
    path = HTML / OUTPUT[request.param]
    if not path.is_file():
        pytest.fail(f"{path} is missing: `make book` prints it (python -m maintainer.pdf)", pytrace=False)
    reader = PdfReader(path)
    return request.param, reader, [page.extract_text() or "" for page in reader.pages]


def _flat(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).replace("\u00ad", "").split())


def _contents(texts: list[str]) -> list[tuple[str, int]]:
    lines = [_flat(line) for line in texts[1].splitlines() if line.strip()]
    assert lines[0] == "Contents", lines[:3]
    return [
        (m.group(1).strip(), int(m.group(2)))
        for line in lines[1:]
        if (m := re.match(r"^(.*\S)\s+(\d+)$", line)) and not line.startswith(read_edition().title)
    ]


def test_size_title_page_and_page_count(book) -> None:
    paper, reader, texts = book
    size = [float(x) for x in reader.pages[0].mediabox.upper_right]
    assert all(abs(a - b) < 2 for a, b in zip(size, SIZES_PT[paper], strict=True)), (paper, size)
    edition = read_edition()
    title = _flat(texts[0])
    for expected in (edition.title, f"Edition {edition.version}, {edition.date_text}", "Micinski", edition.url):
        assert expected in title or expected in title.replace(" ", ""), f"title page lacks {expected!r}: {title[:300]}"
    assert len(reader.pages) >= 2 + len(PAGES) * 2, f"{len(reader.pages)} pages for {len(PAGES)} pages of the site"
    assert reader.metadata.title == edition.title


def test_contents_lists_every_page_where_it_starts(book) -> None:
    paper, reader, texts = book
    entries = _contents(texts)
    assert len(entries) == len(PAGES), entries
    starts = [page for _, page in entries]
    assert starts == sorted(starts) and starts[0] == 3 and starts[-1] <= len(reader.pages)
    for title, page in entries:  # each page starts with its title (after the running footer's line)
        assert _flat(title) in _flat(texts[page - 1])[:400], f"{paper}: {title!r} not at the top of page {page}"
    links = [annot.get_object() for annot in reader.pages[1].get("/Annots", [])]
    targets = sorted(reader.get_destination_page_number(_Dest(link)) + 1 for link in links if "/Dest" in link)
    assert targets == starts, f"{paper}: contents links go to {targets}, not {starts}"


class _Dest:
    """A link annotation's explicit destination in the form pypdf's page lookup reads."""

    def __init__(self, link: DictionaryObject) -> None:
        self.page = link["/Dest"][0]


def test_every_chapter_title_and_figure_number_is_printed(book) -> None:
    paper, reader, texts = book
    text = _flat(" ".join(texts))
    numbers: set[str] = set()
    for doc in PAGES:
        page_html = (HTML / f"{doc}.html").read_text(encoding="utf-8")
        for figure in figures(page_html):
            if figure.where == "page" and (match := FIGURE_LABEL.match(figure.caption)):
                numbers.add(f"Figure {match.group(1)}.{match.group(2)}:")
    assert len(numbers) >= 10, numbers
    missing = sorted(n for n in numbers if n not in text)
    assert not missing, f"{paper}: figures missing from the PDF: {missing}"


def test_text_extractable_fonts_embedded_links_live(book) -> None:
    paper, reader, texts = book
    empty = [i + 1 for i, t in enumerate(texts) if len(t.strip()) < 20]
    assert not empty, f"{paper}: pages without extractable text: {empty}"
    unembedded = set()
    for page in reader.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for font in (f.get_object() for f in fonts.values()):
            if font.get("/Subtype") == "/Type3":
                continue  # glyphs drawn inside the PDF itself
            described = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = described.get("/FontDescriptor", {})
            if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                unembedded.add(str(font.get("/BaseFont")))
    assert not unembedded, f"{paper}: fonts not embedded: {unembedded}"
    uris = {annot.get_object().get("/A", {}).get("/URI") for page in reader.pages for annot in page.get("/Annots", [])}
    published = read_edition().url
    assert any(str(u).startswith(published) for u in uris), f"{paper}: no link into the published book"
    assert not any("127.0.0.1" in str(u) for u in uris), f"{paper}: a link points at the local server"


def _ink(png: Path, box: tuple[float, float, float, float]) -> float:
    """The share of non-white pixels of ``png`` within ``box`` (fractions of width and height)."""
    image = Image.open(png).convert("L")
    w, h = image.size
    region = image.crop((int(box[0] * w), int(box[1] * h), int(box[2] * w), int(box[3] * h)))
    pixels = list(region.get_flattened_data())
    return sum(p < 200 for p in pixels) / len(pixels)


def test_three_pages_as_images(book, tmp_path: Path) -> None:
    """Title, contents and the first figure's page, rendered by pdftoppm (kept for a look with -s)."""
    paper, reader, texts = book
    tool = shutil.which("pdftoppm")
    assert tool, "pdftoppm is missing: `make browser` installs poppler-utils (.ci/install-system-packages)"
    figure_page = next(i + 1 for i, t in enumerate(texts) if "Figure 1.1:" in t)
    out = tmp_path / paper
    out.mkdir()
    for page in (1, 2, figure_page):
        subprocess.run(
            [
                tool,
                "-r",
                "40",
                "-png",
                "-f",
                str(page),
                "-l",
                str(page),
                str(HTML / OUTPUT[paper]),
                str(out / f"p{page}"),
            ],
            check=True,
            timeout=60,
        )
    title, contents, chart = (next(out.glob(f"p{page}-*.png")) for page in (1, 2, figure_page))
    assert _ink(title, (0.05, 0.1, 0.95, 0.3)) > 0.02, "the title page shows no title"
    assert _ink(title, (0.05, 0.85, 0.95, 0.95)) < 0.001, "the title page carries a footer"
    assert _ink(contents, (0.05, 0.1, 0.95, 0.6)) > 0.01, "the contents page is blank"
    assert _ink(contents, (0.05, 0.93, 0.95, 1.0)) > 0.0005, "the contents page has no running footer"
    assert _ink(chart, (0.0, 0.0, 1.0, 0.93)) > 0.05, f"page {figure_page} shows no chart"
    print(f"{paper}: looked at {title}, {contents}, {chart}")
