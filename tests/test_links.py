"""Links of the built site: every internal link and anchor resolves; external links are listed.

The check runs on the files of ``_build/html`` (made by ``make book``), offline: see
``tests/site_links.py`` for what counts as a link. External links are written, with the
pages that use them, to ``_build/external-links.txt`` and never fetched.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from site_links import LinkReport, scan, write_external

from maintainer.site import HTML, PAGES

pytestmark = pytest.mark.book

EXTERNAL_REPORT = HTML.parent / "external-links.txt"


def _built() -> Path:
    if not (HTML / "index.html").is_file():
        pytest.fail(f"{HTML / 'index.html'} is missing: run `make book` first", pytrace=False)
    return HTML


@pytest.fixture(scope="module")
def report() -> LinkReport:
    """The scan of the built site; its external links are written to the report file."""
    found = scan(_built())
    write_external(found, EXTERNAL_REPORT)
    return found


def test_internal_links_and_anchors_resolve(report: LinkReport) -> None:
    """Every local href/src and #fragment of the built site points at something real."""
    print(
        f"{report.pages} pages, {report.checked} internal links checked, "
        f"{len(report.external)} external links listed in {EXTERNAL_REPORT}"
    )
    assert report.pages >= len(PAGES), f"only {report.pages} pages found in {HTML}"
    assert report.checked > 0, "no internal link found: is the site empty?"
    assert not report.broken, f"{len(report.broken)} broken links:\n" + "\n".join(report.broken)


def test_external_links_are_listed_not_fetched(report: LinkReport) -> None:
    """The report names each external URL once, with the pages that use it."""
    text = EXTERNAL_REPORT.read_text(encoding="utf-8")
    assert report.external, "the book cites sources: some external links were expected"
    for url, pages in report.external.items():
        assert f"\n{url}\n" in text
        assert all(f"    {page}" in text for page in pages)


def _damage(site: Path, old: str, new: str) -> str:
    """Replace the first ``old`` by ``new`` in a chapter page; the page's name."""
    page = site / "notebooks" / "01_why_join_the_un.html"
    text = page.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {page}: the damage test needs another target"
    page.write_text(text.replace(old, new, 1), encoding="utf-8")
    return page.relative_to(site).as_posix()


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ('href="02_global_division_of_labor.html"', 'href="02_missing_chapter.html"', "no such file"),
        ('href="#', 'href="#no-such-anchor" data-was="#', "no id 'no-such-anchor'"),
        (
            'href="02_global_division_of_labor.html"',
            'href="02_global_division_of_labor.html#no-such-section"',
            "no id 'no-such-section'",
        ),
        ('src="../_static/', 'src="../_static/missing/', "no such file"),
        ('href="../_static/', 'href="/_static/', "absolute"),
    ],
    ids=["missing-page", "missing-anchor-same-page", "missing-anchor-other-page", "missing-asset", "root-absolute"],
)
def test_checker_fails_on_damaged_copy(tmp_path: Path, report: LinkReport, old: str, new: str, reason: str) -> None:
    """The check bites: one broken link in a copy of the site is reported, with its page."""
    site = tmp_path / "html"
    shutil.copytree(_built(), site)
    page = _damage(site, old, new)
    broken = [problem for problem in scan(site).broken if problem not in report.broken]
    assert len(broken) == 1, broken
    assert broken[0].startswith(f"{page}: ") and reason in broken[0], broken[0]


def test_checker_flags_a_double_escaped_query(tmp_path: Path) -> None:
    """An external URL whose ``&`` was escaped twice is an error, though never fetched."""
    (tmp_path / "index.html").write_text(
        '<a href="https://example.org/?a=1&amp;amp;b=2">x</a><a href="https://example.org/?a=1&amp;b=2">y</a>',
        encoding="utf-8",
    )
    report = scan(tmp_path)
    assert report.broken == ["index.html: https://example.org/?a=1&amp;b=2 (HTML-escaped twice)"]
    assert set(report.external) == {"https://example.org/?a=1&amp;b=2", "https://example.org/?a=1&b=2"}
