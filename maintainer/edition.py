"""The book's edition and how to cite it: one reading of ``CITATION.cff``, one citation template.

``CITATION.cff`` is the one place that holds the edition: its ``version`` and ``date-released``,
the book's title, its authors and its address (``url``, where the site is published).
Everything else reads it from here: the pages' footer and "Cite this page" block
(``book/_ext/edition.py``), the PDF's title page (``maintainer/pdf.py``), Zenodo's metadata file
``.zenodo.json`` (written from it by :func:`zenodo_metadata`) and the release step
(``maintainer/release.py``), which is the only thing that changes the edition.

A citation is made once (:class:`Citation`) and rendered three ways: the common style as
HTML (every string escaped), BibTeX (LaTeX specials escaped, braces balanced) and RIS (one
line per field). Titles come from the pages and the file, so they are treated as data.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .paths import ROOT

CITATION_FILE = ROOT / "CITATION.cff"
VERSION = re.compile(r"^\d+\.\d+\.\d+$")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# LaTeX's special characters, as BibTeX field text
_LATEX = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


class EditionError(ValueError):
    """CITATION.cff lacks what an edition needs, or holds it in the wrong form."""


@dataclass(frozen=True)
class Edition:
    """One edition of the book: what every citation of it names."""

    title: str
    authors: tuple[str, ...]
    version: str
    date: dt.date
    url: str  # the published book, ending in "/"

    @property
    def date_text(self) -> str:
        """The date as readers write it: "29 November 2026"."""
        return f"{self.date.day} {self.date:%B %Y}"


def _author_name(entry: dict) -> str:
    if entry.get("name"):
        return str(entry["name"])
    parts = [entry.get("given-names"), entry.get("name-particle"), entry.get("family-names")]
    return " ".join(str(p) for p in parts if p)


def read_edition(path: Path = CITATION_FILE) -> Edition:
    """The edition described by ``path`` (CITATION.cff); an error names the file and the field."""
    try:
        cff = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise EditionError(f"{path}: cannot read it: {error}") from error
    if not isinstance(cff, dict):
        raise EditionError(f"{path}: not a mapping")
    version = str(cff.get("version", ""))
    if not VERSION.match(version):
        raise EditionError(f"{path}: field 'version' must look like 1.2.3, not {version!r}")
    date = cff.get("date-released")
    if isinstance(date, str):
        try:
            date = dt.date.fromisoformat(date)
        except ValueError as error:
            raise EditionError(f"{path}: field 'date-released' is not a date: {date!r}") from error
    if not isinstance(date, dt.date):
        raise EditionError(f"{path}: field 'date-released' is missing")
    authors = tuple(_author_name(a) for a in cff.get("authors") or [] if isinstance(a, dict))
    if not authors or not all(authors):
        raise EditionError(f"{path}: field 'authors' names nobody")
    url = str(cff.get("url", ""))
    if not url.startswith("https://"):
        raise EditionError(f"{path}: field 'url' (the published book) must be an https:// address, not {url!r}")
    title = str(cff.get("title") or "")
    if not title:
        raise EditionError(f"{path}: field 'title' is missing")
    return Edition(title, authors, version, date, url.rstrip("/") + "/")


@dataclass(frozen=True)
class Citation:
    """A citation of the whole book (``chapter`` None) or of one of its pages."""

    edition: Edition
    chapter: str | None = None
    page: str = ""  # the page's path in the site, e.g. "notebooks/01_why_join_the_un.html"

    @property
    def url(self) -> str:
        return self.edition.url + self.page

    @property
    def key(self) -> str:
        """A BibTeX key: first author's first word, year, and the page's file name."""
        words = [w for w in re.findall(r"[a-z0-9]+", self.edition.authors[0].lower()) if w != "the"]
        first = words[0] if words else "book"
        slug = re.sub(r"[^a-z0-9]+", "-", Path(self.page).stem.lower()).strip("-")
        return f"{first}{self.edition.date.year}" + (f"-{slug}" if self.chapter and slug else "")

    def html(self) -> str:
        """The common style: Authors (year). "Chapter". In *Book* (edition V, date). Address."""
        e = self.edition
        authors = html.escape(", ".join(e.authors))
        book = f"<em>{html.escape(e.title)}</em>"
        where = f"“{html.escape(self.chapter)}”. In {book}" if self.chapter else book
        url = html.escape(self.url)
        return (
            f"{authors} ({e.date.year}). {where} (edition {html.escape(e.version)}, "
            f'{html.escape(e.date_text)}). <a href="{url}">{url}</a>'
        )

    def text(self) -> str:
        """The common style as plain text (the PDF's title page, tests)."""
        return re.sub(r"<[^>]+>", "", html.unescape(self.html()).replace("<em>", "").replace("</em>", ""))

    def bibtex(self) -> str:
        """A BibTeX entry: @book for the book, @incollection for a page of it."""
        e = self.edition
        fields = [("author", " and ".join("{" + latex(a) + "}" for a in e.authors))]
        if self.chapter:
            fields += [("title", latex(self.chapter)), ("booktitle", latex(e.title))]
        else:
            fields += [("title", latex(e.title))]
        fields += [
            ("edition", latex(e.version)),
            ("year", str(e.date.year)),
            ("month", _MONTHS[e.date.month - 1]),
            ("date", e.date.isoformat()),
            ("url", bibtex_url(self.url)),
        ]
        kind = "incollection" if self.chapter else "book"
        body = ",\n".join(f"  {name} = {value if name == 'month' else '{' + value + '}'}" for name, value in fields)
        return f"@{kind}{{{self.key},\n{body}\n}}\n"

    def ris(self) -> str:
        """An RIS record: TY CHAP for a page, BOOK for the book."""
        e = self.edition
        lines = [("TY", "CHAP" if self.chapter else "BOOK")]
        lines += [("AU", a) for a in e.authors]
        if self.chapter:
            lines += [("TI", self.chapter), ("T2", e.title)]
        else:
            lines += [("TI", e.title)]
        lines += [
            ("ET", e.version),
            ("PY", str(e.date.year)),
            ("DA", e.date.strftime("%Y/%m/%d")),
            ("UR", self.url),
            ("ER", ""),
        ]
        return "".join(f"{tag}  - {ris_field(value)}".rstrip() + "\n" for tag, value in lines)


def latex(text: str) -> str:
    """``text`` as BibTeX field text: LaTeX's specials escaped, on one line."""
    return "".join(_LATEX.get(char, char) for char in " ".join(text.split()))


def bibtex_url(url: str) -> str:
    """An address as a BibTeX ``url`` field: braces, backslashes and spaces percent-encoded, ``%`` as ``\\%``."""
    encoded = re.sub(r"[{}\\\s]", lambda m: f"%{ord(m.group()):02X}", url)
    return encoded.replace("%", "\\%")  # LaTeX would read a bare % as the start of a comment


def ris_field(text: str) -> str:
    """A value on one RIS line (a line break would start a new, meaningless field)."""
    return " ".join(str(text).split())


def zenodo_metadata(edition: Edition, path: Path = CITATION_FILE) -> dict:
    """``.zenodo.json`` for ``edition``: Zenodo reads it in place of CITATION.cff when both exist."""
    cff = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        "title": edition.title,
        "upload_type": "publication",
        "publication_type": "book",
        "version": edition.version,
        "publication_date": edition.date.isoformat(),
        "creators": [{"name": name} for name in edition.authors],
        "description": str(cff.get("abstract") or cff.get("message") or edition.title),
        "license": {"id": str(cff.get("license", "MIT")).lower()},
        "keywords": [str(k) for k in cff.get("keywords") or []],
        "related_identifiers": [
            {"identifier": edition.url, "relation": "isIdenticalTo", "resource_type": "publication-book"},
            {
                "identifier": str(cff.get("repository-code", "")),
                "relation": "isSupplementedBy",
                "resource_type": "software",
            },
        ],
    }


def zenodo_text(edition: Edition, path: Path = CITATION_FILE) -> str:
    """The text of ``.zenodo.json`` for ``edition``, as the release step writes it."""
    return json.dumps(zenodo_metadata(edition, path), indent=2, ensure_ascii=False) + "\n"
